/**
 * The client of bench:gateway, in its own process (as applications are), on one
 * @hyperledger/fabric-gateway connection. GW_CLIENTS concurrent loops submit GW_WARM, then GW_TXS
 * timed get+put transactions and wait for their commit status; then GW_LATENCY transactions go
 * one at a time (submit-to-commit latency). Reads its settings from the environment, prints one
 * JSON line: seconds, failed, cpuMs of the timed phase, and the sorted latencies in ms.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, hash } from '@hyperledger/fabric-gateway';
import { signLowS } from '../src/identity/ecdsa.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const clients = Number(env('GW_CLIENTS'));
const warm = Number(env('GW_WARM'));
const txs = Number(env('GW_TXS'));
const latencyTxs = Number(env('GW_LATENCY'));
const key = createPrivateKey(readFileSync(env('GW_KEY')));
const client = new grpc.Client(env('GW_ADDRESS'), grpc.credentials.createInsecure());
// Native low-S signing on the whole message (`hash.none`): fabric-gateway's default signer is pure
// JavaScript (~2 ms a signature), which would measure the client rather than the peer.
const gateway = connect({
  client,
  identity: { mspId: 'Org1MSP', credentials: readFileSync(env('GW_CERT')) },
  signer: async (message) => signLowS(key, message),
  hash: hash.none,
});
const contract = gateway.getNetwork('mychannel').getContract('ours');

async function committed(count: number, prefix: string): Promise<{ seconds: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const commit = await contract.submitAsync('put', { arguments: [`${prefix}-${i}`, `{"value":${i}}`] });
        if (!(await commit.getStatus()).successful) failed++;
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, failed };
}

async function latency(count: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await contract.submitTransaction('put', `lat-${i}`, '{"value":1}');
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

await committed(warm, 'warm');
const cpu0 = process.cpuUsage();
const run = await committed(txs, 'run');
const cpu = process.cpuUsage(cpu0);
const latencies = await latency(latencyTxs);
gateway.close();
client.close();
console.log(JSON.stringify({ ...run, cpuMs: (cpu.user + cpu.system) / 1000, latencies }));
