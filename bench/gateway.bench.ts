/**
 * npm run bench:gateway — submit and commit through the Fabric Gateway, against the endorse-only
 * rate of the same peer, in one run.
 *
 *   committed   a client process (bench/gatewayClient.ts, as applications run) with BENCH_CLIENTS
 *               concurrent loops (default 64) on one @hyperledger/fabric-gateway connection submits
 *               get+put transactions (examples/bench-getput, our runtime) and waits for their
 *               commit status: endorsement, client signing, ordering into blocks, validation
 *               (signatures, policy, MVCC) and the ledger write per block, end to end.
 *   endorse     the same peer's `Peer.execute` with 64 in flight on pre-signed proposals, as
 *               bench:chaincode measures it (no gRPC, no commit).
 *   latency     the client process again, one transaction at a time: submit-to-commit p50/p99.
 *   CPU         milliseconds of CPU per committed transaction in the peer (this process), the client
 *               process and the chaincode process: where the time goes.
 *
 * The client endpoint is plaintext here (TLS costs the same in both directions for every client
 * call and is not what is measured). The peer keeps its data in memory.
 *
 * Last line: {"bench":"gateway","committedTxPerSecond":N,"endorseOnlyTxPerSecond":N,"ratio":N,"p50CommitMs":N}
 * Options: BENCH_TXS (committed transactions, default 6000), BENCH_CLIENTS (default 64),
 * BENCH_LATENCY_TXS (default 200).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchClient, childPid, cpuMs, driveExecutes, fromDist, signedPutProposals } from './support.js';

const { Peer } = await fromDist<typeof import('../src/peer/peer.js')>('src/peer/peer.js');
const { startGatewayServer } = await fromDist<typeof import('../src/gateway/server.js')>('src/gateway/server.js');
const { buildSignedProposal } = await fromDist<typeof import('../src/peer/proposal.js')>('src/peer/proposal.js');

const txs = Number(process.env.BENCH_TXS ?? 6000);
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
const latencyTxs = Number(process.env.BENCH_LATENCY_TXS ?? 200);
const cryptoDir = mkdtempSync(join(tmpdir(), 'ccproto-bench-gw-'));

const peer = await Peer.start({
  listenPort: 0,
  chaincodes: { ours: { kind: 'process', command: `node ${new URL('../dist/examples/bench-getput/index.js', import.meta.url).pathname}` } },
  network: { orgs: ['Org1MSP'], cryptoDir },
});
const server = await startGatewayServer({ peer, host: '127.0.0.1', port: 0 });

const userDir = join(cryptoDir, 'peerOrganizations/org1.example.com/users/User1@org1.example.com/msp');

for (let i = 0; i < 50 && !peer.listChaincodes().some((c) => c.name === 'ours' && c.state === 'ready'); i++) await new Promise((r) => setTimeout(r, 100));

interface ClientRun {
  seconds: number;
  failed: number;
  cpuMs: number;
  latencies: number[];
}

/** The client process (bench/gatewayClient.ts): its own timing, CPU and latencies. */
async function client(o: { warm: number; txs: number; latency: number }): Promise<ClientRun> {
  const file = (dir: string) => join(userDir, dir, readdirSync(join(userDir, dir))[0]!);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', new URL('./gatewayClient.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      GW_ADDRESS: server.address,
      GW_CERT: file('signcerts'),
      GW_KEY: file('keystore'),
      GW_CLIENTS: String(clients),
      GW_WARM: String(o.warm),
      GW_TXS: String(o.txs),
      GW_LATENCY: String(o.latency),
    },
    encoding: 'utf8',
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ClientRun;
}

// Warm up both paths, then measure.
await driveExecutes((r) => peer.execute(r), await signedPutProposals(buildSignedProposal, benchClient(), 'ours', 2000, 0), 64);

const chaincodePid = childPid('bench-getput');
const peerCpu0 = process.cpuUsage();
const chaincodeCpu0 = cpuMs(chaincodePid);
const c = await client({ warm: Math.min(1000, txs), txs, latency: 0 });
const peerCpu = process.cpuUsage(peerCpu0);
const chaincodeCpu = (cpuMs(chaincodePid) ?? NaN) - (chaincodeCpu0 ?? NaN);
const committedTxPerSecond = txs / c.seconds;
// Warm-up included for the peer and the chaincode (their counters cannot tell the phases apart).
const perTx = (ms: number) => ms / (txs + Math.min(1000, txs));
const e = await driveExecutes((r) => peer.execute(r), await signedPutProposals(buildSignedProposal, benchClient(), 'ours', txs, 10_000), 64);
const endorseOnlyTxPerSecond = txs / e.seconds;
const lat = (await client({ warm: 0, txs: 0, latency: latencyTxs })).latencies;
const p50CommitMs = lat[Math.floor(lat.length / 2)]!;
const p99CommitMs = lat[Math.floor(lat.length * 0.99)]!;

await server.close();
await peer.close();
rmSync(cryptoDir, { recursive: true, force: true });

const ratio = committedTxPerSecond / endorseOnlyTxPerSecond;
const round = (n: number, d = 0) => Number(n.toFixed(d));
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| committed through the Gateway (${clients} clients) | ${round(committedTxPerSecond)} tx/s (${c.failed} failed) |`);
console.log(`| endorse only (Peer.execute, 64 in flight) | ${round(endorseOnlyTxPerSecond)} tx/s (${e.failed} failed) |`);
console.log(`| ratio | ${round(ratio, 2)} |`);
console.log(`| CPU per committed tx: peer / client process / chaincode | ${round(perTx((peerCpu.user + peerCpu.system) / 1000), 2)} ms / ${round(c.cpuMs / txs, 2)} ms / ${round(perTx(chaincodeCpu), 2)} ms |`);
console.log(`| submit-to-commit, one client: p50 / p99 | ${round(p50CommitMs, 1)} ms / ${round(p99CommitMs, 1)} ms |`);
console.log(JSON.stringify({ bench: 'gateway', committedTxPerSecond: round(committedTxPerSecond), endorseOnlyTxPerSecond: round(endorseOnlyTxPerSecond), ratio: round(ratio, 3), p50CommitMs: round(p50CommitMs, 1) }));
