/**
 * npm run bench:core — both protocol cores over the in-memory pair, every message encoded and
 * decoded by the real codec. Each transaction: TRANSACTION, GET_STATE, RESPONSE, PUT_STATE,
 * RESPONSE, COMPLETED. 64 transactions in flight for about 5 seconds (after a short warm-up).
 * Prints a table, then one JSON line: {"bench":"core","txPerSecond":N,"p50Micros":N,"p99Micros":N}.
 *
 * Options: BENCH_SECONDS (default 5), BENCH_IN_FLIGHT (default 64), BENCH_CODEC=none to pass
 * domain objects instead of bytes.
 */
import { MemoryPair } from '../src/pair/memoryPair.js';
import { utf8Bytes } from '../src/protocol/messages.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const useCodec = process.env.BENCH_CODEC !== 'none';

const value = utf8Bytes('{"owner":"alice","amount":100}');
const OK = { status: 200, message: '', payload: new Uint8Array(0) };

const pair = new MemoryPair({
  ...(useCodec ? {} : { codec: null }),
  chaincode: async (tx) => {
    const key = `asset${tx.txid.length % 100}`;
    await tx.request({ type: 'GET_STATE', payload: { key, collection: '' } });
    await tx.request({ type: 'PUT_STATE', payload: { key, value, collection: '' } });
    tx.complete(OK);
  },
});
await pair.start();

const input = { args: [utf8Bytes('transfer'), utf8Bytes('asset1')], decorations: {}, isInit: false };
let seq = 0;
let deadline = 0;
let completed = 0;
let failed = 0;
const latencies: number[] = [];

// The whole pipeline runs on microtasks (no I/O), so a timer would never get to fire: each worker
// checks the deadline itself.
async function worker(record: () => boolean): Promise<void> {
  while (performance.now() < deadline) {
    const txid = `tx${seq++}`;
    const t0 = performance.now();
    const r = await pair.execute({ channelId: 'bench', txid, input });
    if (record()) {
      if (r.ok) completed++;
      else failed++;
      latencies.push((performance.now() - t0) * 1000);
    }
  }
}

async function run(ms: number, recording: boolean): Promise<number> {
  const start = performance.now();
  deadline = start + ms;
  await Promise.all(Array.from({ length: inFlight }, () => worker(() => recording)));
  return (performance.now() - start) / 1000;
}

await run(500, false);
const elapsed = await run(seconds * 1000, true);
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
const txPerSecond = Math.round(completed / elapsed);
const messages = completed * 6;

console.log('ccproto core benchmark (in-memory pair, both sides, ' + (useCodec ? 'codec bytes' : 'no codec') + ')');
console.table({
  'transactions completed': completed,
  'transactions failed': failed,
  'in flight': inFlight,
  'seconds': Number(elapsed.toFixed(2)),
  'tx/s': txPerSecond,
  'messages/s': Math.round(messages / elapsed),
  'latency p50 (µs)': pct(0.5),
  'latency p99 (µs)': pct(0.99),
  'violations': pair.violations.length,
});
console.log(JSON.stringify({ bench: 'core', txPerSecond, p50Micros: pct(0.5), p99Micros: pct(0.99) }));
