/**
 * `npm run verify [-- --bench] [-- --only <name>] [-- --trace <file>]`: explore both cores at each
 * named bound, print a table (states, transitions, depth, seconds) and, last, one JSON line
 * `{"bench":"verify",…}` for the largest bound run. On a property failure, the shortest
 * counterexample is written to `--trace` (default verify-counterexample.jsonl) as a trace of the
 * conformance kit (the messages, for ccproto check and ccproto trace render), and to
 * `<trace>.steps` as one move per line with the core steps it produced; the exit code is 1.
 */
import { writeFileSync } from 'node:fs';
import { stepChaincode, stepPeer } from '../core/index.js';
import { BENCH_BOUNDS, VERIFY_BOUNDS, type NamedBounds } from './bounds.js';
import { counterexampleTrace, explore, traceToJsonl, type ExploreResult } from './explore.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const bench = process.argv.includes('--bench');
const only = arg('--only');
const tracePath = arg('--trace') ?? 'verify-counterexample.jsonl';
let list: NamedBounds[] = bench ? BENCH_BOUNDS : VERIFY_BOUNDS;
if (only) list = list.filter((b) => b.name === only);

const header = ['bound', 'txs', 'script', 'states', 'transitions', 'depth', 'quiescent', 'seconds', 'states/s', 'result'];
const rows: string[][] = [];
const widths = header.map((h) => h.length);
const print = (cells: string[]) => console.log(cells.map((c, i) => (i < 3 || i === 9 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
for (let i = 0; i < header.length; i++) widths[i] = Math.max(widths[i]!, [19, 3, 39, 9, 11, 5, 9, 7, 8, 6][i]!);
print(header);

let last: { nb: NamedBounds; r: ExploreResult } | undefined;
let failed = false;
for (const nb of list) {
  const r = explore({ steppers: { peer: stepPeer, chaincode: stepChaincode }, bounds: nb.bounds });
  const row = [
    nb.name,
    String(nb.bounds.maxTxs),
    nb.bounds.script.join(','),
    String(r.states),
    String(r.transitions),
    String(r.depth),
    String(r.quiescent),
    r.seconds.toFixed(1),
    String(Math.round(r.states / r.seconds)),
    r.counterexample ? 'FAIL' : 'ok',
  ];
  rows.push(row);
  print(row);
  if (r.overflows) console.log(`  moves not taken (a FIFO would hold more than ${nb.bounds.maxChannel}): ${r.overflows}`);
  const unnoticed = Object.entries(r.faulty).filter(([, f]) => f.unnoticed > 0);
  if (Object.keys(r.faulty).length) {
    const total = Object.values(r.faulty).reduce((n, f) => n + f.deliveries, 0);
    console.log(`  faulty deliveries: ${total}; not named by the receiver: ${unnoticed.map(([t, f]) => `${t} ${f.unnoticed}/${f.deliveries}`).join(', ') || 'none'}`);
  }
  last = { nb, r };
  if (r.counterexample) {
    failed = true;
    writeFileSync(tracePath, counterexampleTrace(r.counterexample.trace));
    writeFileSync(`${tracePath}.steps`, traceToJsonl(r.counterexample.trace));
    console.log(`  ${r.counterexample.failures.map((f) => `${f.property}: ${f.detail}`).join('\n  ')}`);
    console.log(`  shortest counterexample: ${r.counterexample.moves.length} moves, written to ${tracePath} (a trace: ccproto check / ccproto trace render read it) and ${tracePath}.steps (every core step)`);
    break;
  }
}
if (last) {
  const { nb, r } = last;
  console.log(
    JSON.stringify({ bench: 'verify', states: r.states, transitions: r.transitions, statesPerSecond: Math.round(r.states / r.seconds), maxTxs: nb.bounds.maxTxs }),
  );
}
process.exitCode = failed ? 1 : 0;
