/**
 * The load generator of bench:gateway, in its own process (as applications are): BENCH_CLIENTS
 * concurrent loops on one @hyperledger/fabric-gateway connection submit get+put transactions and
 * wait for their commit status. Reads its settings from the environment, prints one JSON line.
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

await committed(warm, 'warm');
const cpu0 = process.cpuUsage();
const run = await committed(txs, 'run');
const cpu = process.cpuUsage(cpu0);
gateway.close();
client.close();
console.log(JSON.stringify({ ...run, cpuMs: (cpu.user + cpu.system) / 1000 }));
