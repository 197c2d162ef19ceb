/**
 * What Node's timers cost the in-memory pair (docs/decisions/0007-time-per-transaction-timers.md): the same pair and
 * load as bench:core, once with the real clock (one execute-timeout timer armed and cleared per
 * transaction) and once with a clock whose timers are no-ops, alternating 4 × 1.5 s slices each.
 * `share` = 1 − real ÷ no-timers: what one deadline per connection could at most save at the Node
 * level. Run: `npx tsx bench/timerShare.ts`. Last line: {"bench":"timerShare",…}.
 */
import type { TransactionHandle } from '../src/drive/chaincodeConnection.js';
import type { Clock } from '../src/drive/clock.js';
import { MemoryPair } from '../src/pair/memoryPair.js';
import { utf8Bytes } from '../src/protocol/messages.js';
const value = utf8Bytes('{"owner":"alice","amount":100}');
const OK = { status: 200, message: '', payload: new Uint8Array(0) };
async function chaincode(tx: TransactionHandle) {
  const key = `asset${tx.txid.length % 100}`;
  await tx.request({ type: 'GET_STATE', payload: { key, collection: '' } });
  await tx.request({ type: 'PUT_STATE', payload: { key, value, collection: '' } });
  tx.complete(OK);
}
let armed = 0;
const noTimers: Clock = { now: () => performance.now(), setTimer: () => (armed++, 0), clearTimer: () => {} };
const real = new MemoryPair({ chaincode });
const none = new MemoryPair({ chaincode, clock: noTimers });
await real.start(); await none.start();
const input = { args: [utf8Bytes('transfer')], decorations: {}, isInit: false };
let seq = 0;
async function run(p: MemoryPair, ms: number) {
  const end = performance.now() + ms; let n = 0;
  await Promise.all(Array.from({ length: 64 }, async () => { while (performance.now() < end) { await p.execute({ channelId: 'b', txid: `t${seq++}`, input }); n++; } }));
  return n / (ms / 1000);
}
await run(real, 500); await run(none, 500);
const r: number[] = [], z: number[] = [];
for (let i = 0; i < 4; i++) { r.push(await run(real, 1500)); z.push(await run(none, 1500)); }
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const realTx = Math.round(sum(r));
const noTimersTx = Math.round(sum(z));
console.table({ 'tx/s, real timers': realTx, 'tx/s, no-op timers': noTimersTx, 'timer share': Number((1 - sum(r) / sum(z)).toFixed(3)), 'timers armed per tx': Number((armed / (seq / 2)).toFixed(2)) });
console.log(JSON.stringify({ bench: 'timerShare', realTimers: Math.round(sum(r)), noNodeTimers: Math.round(sum(z)), share: Number((1 - sum(r) / sum(z)).toFixed(3)), armedPerTx: Number((armed / (seq / 2)).toFixed(2)) }));
