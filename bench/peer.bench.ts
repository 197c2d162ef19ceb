/**
 * npm run bench:peer — a fabric-shim 2.5 chaincode process (1 getState + 1 putState per
 * transaction) driven over gRPC by our peer, 64 transactions in flight, each submitted (simulated,
 * then committed to the in-memory world state); and, in the same run, a raw @grpc/grpc-js
 * bidirectional echo between two processes with the same number of round trips in flight.
 *
 * A transaction costs three round trips on the stream (TRANSACTION/COMPLETED, GET_STATE/RESPONSE,
 * PUT_STATE/RESPONSE), so ratio = 3 × txPerSecond / rawRoundTripsPerSecond: the share of the raw
 * transport's capacity the whole peer (protocol, proposal signing, ledger, commit) achieves.
 *
 * Last line: {"bench":"peer","txPerSecond":N,"rawRoundTripsPerSecond":N,"ratio":N}
 * Options: BENCH_SECONDS (default 5), BENCH_IN_FLIGHT (default 64).
 */
import { Peer } from '../src/peer/peer.js';
import { runRawEcho } from './rawGrpcEcho.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);

const peer = await Peer.start({
  listenPort: 0,
  chaincodes: { getput: { kind: 'process', command: `node ${new URL('./fixtures/getPutShim.cjs', import.meta.url).pathname}` } },
});

let deadline = 0;
let seq = 0;
let completed = 0;
let failed = 0;
const latencies: number[] = [];
async function worker(recording: boolean): Promise<void> {
  while (performance.now() < deadline) {
    const i = seq++;
    const t0 = performance.now();
    const r = await peer.invoke({ chaincode: 'getput', args: ['put', `asset${i}`, `{"owner":"o${i}","value":${i}}`], submit: true });
    if (!recording) continue;
    if (r.status === 200 && r.committed) completed++;
    else failed++;
    latencies.push((performance.now() - t0) * 1000);
  }
}
async function run(ms: number, recording: boolean): Promise<number> {
  const start = performance.now();
  deadline = start + ms;
  await Promise.all(Array.from({ length: inFlight }, () => worker(recording)));
  return (performance.now() - start) / 1000;
}

try {
  await run(1000, false); // launch + warm-up
  const elapsed = await run(seconds * 1000, true);
  const txPerSecond = Math.round(completed / elapsed);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  await peer.close();

  const raw = await runRawEcho({ durationMs: seconds * 1000, inFlight });
  const rawRoundTripsPerSecond = Math.round(raw.roundTripsPerSecond);
  const ratio = Number(((3 * txPerSecond) / rawRoundTripsPerSecond).toFixed(3));
  console.log('ccproto peer benchmark (fabric-shim 2.5.8 chaincode process, gRPC, submit + commit)');
  console.table({
    'transactions committed': completed,
    'transactions failed': failed,
    'in flight': inFlight,
    'tx/s': txPerSecond,
    'latency p50 (µs)': pct(0.5),
    'latency p99 (µs)': pct(0.99),
    'raw grpc-js round trips/s': rawRoundTripsPerSecond,
    'ratio (3 × tx/s ÷ raw)': ratio,
  });
  console.log(JSON.stringify({ bench: 'peer', txPerSecond, rawRoundTripsPerSecond, ratio }));
} finally {
  await peer.close().catch(() => {});
}
