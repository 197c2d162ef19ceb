/**
 * npm run bench:core — both protocol cores over the in-memory pair, every message encoded and
 * decoded by the real codec. Each transaction: TRANSACTION, GET_STATE, RESPONSE, PUT_STATE,
 * RESPONSE, COMPLETED. 64 transactions in flight for about 5 seconds (after a short warm-up).
 * In the same run, the ceiling (bench/ceilingPair.ts): the same pair, codec, ledger stand-in and
 * chaincode function with the cores replaced by the least code that answers each message. The two
 * are measured in alternating slices (pair, ceiling, pair, ceiling) so that neither gets the better
 * of the machine's warm-up or a noisy moment.
 * Prints a table, then one JSON line:
 * {"bench":"core","txPerSecond":N,"p50Micros":N,"p99Micros":N,"ceilingTxPerSecond":N,"ratio":N}.
 *
 * Options: BENCH_SECONDS (default 5), BENCH_IN_FLIGHT (default 64), BENCH_CODEC=none to pass
 * domain objects instead of bytes.
 */
import type { TransactionHandle } from '../src/drive/chaincodeConnection.js';
import type { ExecuteResult } from '../src/drive/peerConnection.js';
import { MemoryPair } from '../src/pair/memoryPair.js';
import { CeilingPair } from './ceilingPair.js';
import { utf8Bytes } from '../src/protocol/messages.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const useCodec = process.env.BENCH_CODEC !== 'none';

const value = utf8Bytes('{"owner":"alice","amount":100}');
const OK = { status: 200, message: '', payload: new Uint8Array(0) };

async function chaincode(tx: TransactionHandle): Promise<void> {
  const key = `asset${tx.txid.length % 100}`;
  await tx.request({ type: 'GET_STATE', payload: { key, collection: '' } });
  await tx.request({ type: 'PUT_STATE', payload: { key, value, collection: '' } });
  tx.complete(OK);
}

const pair = new MemoryPair({ ...(useCodec ? {} : { codec: null }), chaincode });
await pair.start();
const ceiling = new CeilingPair(chaincode);

type Execute = (req: { channelId: string; txid: string; input: typeof input }) => Promise<ExecuteResult>;
const input = { args: [utf8Bytes('transfer'), utf8Bytes('asset1')], decorations: {}, isInit: false };
let seq = 0;

interface Tally {
  completed: number;
  failed: number;
  seconds: number;
  latencies: number[];
}
const newTally = (): Tally => ({ completed: 0, failed: 0, seconds: 0, latencies: [] });

/** `inFlight` workers for `ms`. The whole pipeline runs on microtasks (no I/O), so a timer would
 *  never get to fire: each worker checks the deadline itself. */
async function run(execute: Execute, ms: number, tally: Tally | undefined): Promise<void> {
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const r = await execute({ channelId: 'bench', txid: `tx${seq++}`, input });
        if (!tally) continue;
        if (r.ok) tally.completed++;
        else tally.failed++;
        tally.latencies.push((performance.now() - t0) * 1000);
      }
    }),
  );
  if (tally) tally.seconds += (performance.now() - start) / 1000;
}

const ours = newTally();
const least = newTally();
const viaPair: Execute = (r) => pair.execute(r);
const viaCeiling: Execute = (r) => ceiling.execute(r);
await run(viaPair, 500, undefined);
await run(viaCeiling, 500, undefined);
for (let slice = 0; slice < 2; slice++) {
  await run(viaPair, (seconds * 1000) / 2, ours);
  await run(viaCeiling, (seconds * 1000) / 2, least);
}
const latencies = ours.latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
const completed = ours.completed;
const failed = ours.failed + least.failed;
const elapsed = ours.seconds;
const txPerSecond = Math.round(completed / elapsed);
const ceilingTxPerSecond = Math.round(least.completed / least.seconds);
const ratio = Number((txPerSecond / ceilingTxPerSecond).toFixed(2));
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
  'ceiling: least code that answers, tx/s': ceilingTxPerSecond,
  'ratio (cores ÷ ceiling)': ratio,
});
console.log(JSON.stringify({ bench: 'core', txPerSecond, p50Micros: pct(0.5), p99Micros: pct(0.99), ceilingTxPerSecond, ratio }));
