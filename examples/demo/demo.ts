/**
 * The ccproto demo (`npm start`): a dev peer in this process, the asset-transfer example chaincode
 * (written on ccproto's runtime) launched as a child process that dials the peer over gRPC, and a
 * scripted session. It prints every transaction with the protocol messages exchanged, the state
 * changes of both handler machines, and a one-screen summary.
 */
import { fileURLToPath } from 'node:url';
import { Peer } from '../../src/peer/peer.js';
import type { InvokeResult, LogRecord, TraceEvent } from '../../src/peer/types.js';

interface Step {
  title: string;
  args: string[];
  submit: boolean;
  init?: boolean;
  /** The status this step must end with (the failing call expects 500). */
  expect: number;
}

const SCRIPT: Step[] = [
  { title: 'init (INIT message: Init runs once)', args: ['Init'], submit: true, init: true, expect: 200 },
  { title: 'seed the ledger (6 assets in one write batch)', args: ['InitLedger'], submit: true, expect: 200 },
  { title: 'create an asset (emits an event)', args: ['CreateAsset', 'asset7', 'purple', '20', 'Ava', '900'], submit: true, expect: 200 },
  { title: 'read it back', args: ['ReadAsset', 'asset7'], submit: false, expect: 200 },
  { title: 'update it', args: ['UpdateAsset', 'asset7', 'orange', '20', 'Ava', '950'], submit: true, expect: 200 },
  { title: 'range query, first page of 3', args: ['GetAssetsByRangeWithPagination', 'asset1', 'asset9', '3', ''], submit: false, expect: 200 },
  { title: "the asset's history", args: ['GetAssetHistory', 'asset7'], submit: false, expect: 200 },
  { title: 'a failing call: reading an asset that does not exist', args: ['ReadAsset', 'asset404'], submit: false, expect: 500 },
];

export interface DemoResult {
  ok: boolean;
  transactions: number;
  messages: number;
}

const arrowIn = 'chaincode → peer ';
const arrowOut = 'peer → chaincode ';

export async function runDemo(write: (line: string) => void = (l) => void process.stdout.write(`${l}\n`)): Promise<DemoResult> {
  const started = performance.now();
  const peerStates: string[] = [];
  const chaincodeStates: string[] = [];
  const pending: string[] = [];
  const counts = new Map<string, number>();
  let messages = 0;
  let registered!: () => void;
  const registeredP = new Promise<void>((r) => (registered = r));

  const trace = (e: TraceEvent) => {
    if (e.kind === 'message') {
      messages++;
      counts.set(e.message.type, (counts.get(e.message.type) ?? 0) + 1);
      const who = e.direction === 'in' ? arrowIn : arrowOut;
      const tx = e.message.txid ? `  tx ${e.message.txid.slice(0, 8)}` : '';
      pending.push(`    ${who} ${e.message.type.padEnd(20)}${tx}${detail(e.message)}`);
    } else if (e.kind === 'state') {
      peerStates.push(`${e.from} → ${e.to}`);
      pending.push(`    [peer handler]       ${e.from} → ${e.to}`);
    } else {
      pending.push(`    ! violation ${e.violation.code}: ${e.violation.got}`);
    }
  };
  const log = (r: LogRecord) => {
    if (r.msg === 'chaincode output' && typeof r.line === 'string' && r.line.startsWith('ccproto-trace ')) {
      const e = JSON.parse(r.line.slice('ccproto-trace '.length)) as { kind: string; from?: string; to?: string };
      if (e.kind === 'state') {
        chaincodeStates.push(`${e.from} → ${e.to}`);
        pending.push(`    [chaincode handler]  ${e.from} → ${e.to}   (reported by the chaincode process)`);
      }
    } else if (r.msg === 'chaincode registered') registered();
  };
  const flush = () => {
    for (const l of pending.splice(0)) write(l);
  };

  write('ccproto demo: a dev peer in this process, the asset-transfer chaincode (ccproto runtime) in a child process, gRPC between them');
  write('');
  const chaincodeMain = fileURLToPath(new URL('../asset-transfer/index.ts', import.meta.url));
  const peer = await Peer.start({
    listenPort: 0,
    chaincodes: { basic: { kind: 'process', command: `${process.execPath} --import tsx ${chaincodeMain}`, env: { CCPROTO_TRACE: '1' } } },
    collections: {},
    log,
    trace,
  });
  let ok = true;
  const results: { step: Step; r: InvokeResult }[] = [];
  try {
    write(`── launch: the peer listens on ${peer.chaincodeAddress} and starts the chaincode, which registers`);
    await Promise.race([registeredP, new Promise((_, rej) => setTimeout(() => rej(new Error('the chaincode did not register within 20 s')), 20_000).unref())]);
    await settle();
    flush();
    for (const [i, step] of SCRIPT.entries()) {
      write('');
      write(`── ${i + 1}. ${step.title}: ${step.submit ? 'invoke' : 'query'} ${step.args.join(' ')}`);
      const r = await peer.invoke({ chaincode: 'basic', args: step.args, submit: step.submit, ...(step.init ? { init: true } : {}) });
      await settle();
      flush();
      const payload = Buffer.from(r.payload).toString('utf8');
      write(`    result: status ${r.status}${r.message ? ` "${r.message}"` : ''}${payload ? `  payload ${clip(payload)}` : ''}${r.committed ? '  (committed)' : ''}`);
      for (const ev of r.events) write(`    event: ${ev.name} ${clip(Buffer.from(ev.payload).toString('utf8'))}`);
      if (r.status !== step.expect) {
        ok = false;
        write(`    UNEXPECTED: wanted status ${step.expect}`);
      }
      results.push({ step, r });
    }
  } catch (err) {
    ok = false;
    write(`demo failed: ${(err as Error).message}`);
  } finally {
    await peer.close();
  }
  await settle();
  flush();

  const ms = Math.round(performance.now() - started);
  write('');
  write('══ summary ' + '═'.repeat(70));
  write(`  transactions: ${results.length} (${results.filter((x) => x.r.committed).length} committed, ${results.filter((x) => x.r.status >= 400).length} failed as scripted)`);
  write(`  messages on the stream: ${messages}   ${[...counts].map(([t, n]) => `${t}×${n}`).join('  ')}`);
  write(`  peer handler:      ${peerStates.join(', ')}`);
  write(`  chaincode handler: ${chaincodeStates.join(', ')}`);
  write(`  events: ${results.flatMap((x) => x.r.events.map((e) => e.name)).join(', ') || 'none'}`);
  write(`  elapsed: ${ms} ms — ${ok ? 'every step ended as scripted' : 'SOMETHING WENT WRONG (see above)'}`);
  return { ok, transactions: results.length, messages };
}

function detail(m: { type: string; payload: unknown }): string {
  const p = m.payload as Record<string, unknown> | Uint8Array;
  if (p instanceof Uint8Array) return '';
  if (typeof p.key === 'string') return `  key ${JSON.stringify(p.key)}`;
  if (Array.isArray(p.records)) return `  ${p.records.length} records`;
  if (typeof p.startKey === 'string') return `  [${JSON.stringify(p.startKey)}, ${JSON.stringify(p.endKey)})`;
  if (Array.isArray(p.args)) return `  ${(p.args as Uint8Array[]).map((a) => Buffer.from(a).toString('utf8')).join(' ')}`;
  if (typeof p.status === 'number') return `  status ${p.status}`;
  if (typeof p.name === 'string') return `  ${p.name}`;
  return '';
}

function clip(s: string): string {
  return s.length > 90 ? `${s.slice(0, 87)}...` : s;
}

/** Let the chaincode's stdout trace lines arrive before printing. */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 60));
}
