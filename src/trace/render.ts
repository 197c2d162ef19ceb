/**
 * `ccproto trace render` (docs/conformance.md): what a sequence diagram of a trace shows, before it
 * is written as Mermaid (./renderMermaid.ts) or as one self-contained HTML page (./renderHtml.ts).
 *
 * The trace is replayed stream by stream through both charts (./replay.ts), as `ccproto check`
 * does, so a trace written by another tool renders the same. A diagram is a stream (every message, the end with its reason) or one
 * transaction on one stream and channel (only its messages; the end only when the transaction was
 * still running after its last message, or the end found something about it).
 *
 * Everything here is text from untrusted implementations: the labels are plain strings, clipped and
 * without control characters; each renderer escapes them for its own format.
 */
import type { Finding } from '../observe/findings.js';
import type { ChartSnapshot } from '../observe/streamObserver.js';
import type { Message } from '../protocol/messages.js';
import type { MessageRecord, TraceRecord } from './format.js';
import { replayTrace, type EndStep, type Step, type StreamReplay } from './replay.js';

export type { EndStep, Step } from './replay.js';

export interface TxRef {
  channelId: string;
  txid: string;
}

/** One sequence diagram: a stream, or one transaction of it (`tx`: then `steps` are only its messages). */
export interface Diagram extends StreamReplay {
  tx?: TxRef;
}

export interface Selection {
  /** Only this stream. */
  stream?: number;
  /** Only the messages of this txid (one diagram per stream and channel it occurs on). */
  tx?: string;
}

export type Selected = { ok: true; diagrams: Diagram[] } | { ok: false; reason: string };

/** The diagrams `selection` asks for, or why there are none. */
export function selectDiagrams(records: readonly TraceRecord[], selection: Selection = {}): Selected {
  let streams = replayTrace(records);
  if (streams.length === 0) return { ok: false, reason: 'the trace has no stream' };
  if (selection.stream !== undefined) {
    const ids = streams.map((s) => s.stream);
    streams = streams.filter((s) => s.stream === selection.stream);
    if (streams.length === 0) return { ok: false, reason: `no stream ${selection.stream} in the trace (streams: ${ids.join(', ')})` };
  }
  if (selection.tx === undefined) return { ok: true, diagrams: streams };
  const diagrams = streams.flatMap((s) => txDiagrams(s, selection.tx!));
  if (diagrams.length === 0) {
    const where = selection.stream === undefined ? 'the trace' : `stream ${selection.stream}`;
    return { ok: false, reason: `no message of transaction ${JSON.stringify(selection.tx)} in ${where}` };
  }
  return { ok: true, diagrams };
}

/** One diagram per channel the txid occurs on in this stream, in the order they first appear. */
function txDiagrams(s: Diagram, txid: string): Diagram[] {
  const byChannel = new Map<string, Step[]>();
  for (const step of s.steps) {
    const tx = txOf(step.record);
    if (tx.txid !== txid) continue;
    const steps = byChannel.get(tx.channelId);
    if (steps) steps.push(step);
    else byChannel.set(tx.channelId, [step]);
  }
  return [...byChannel].map(([channelId, steps]) => {
    const tx = { channelId, txid };
    const d: Diagram = { stream: s.stream, tx, steps };
    if (s.open) d.open = s.open;
    if (s.end) {
      // A snapshot holds the state of the message's own transaction only: the transaction was cut
      // short when either side still ran it after its last message.
      const last = steps.at(-1)!;
      const cut = txState(last.peer, tx) !== undefined || txState(last.chaincode, tx) !== undefined;
      const findings = s.end.findings.filter((f) => f.txid === txid && f.channelId === channelId);
      if (cut || findings.length > 0) d.end = { ...s.end, findings };
    }
    return d;
  });
}

// ---- labels ------------------------------------------------------------------------------------

/** The transaction a record belongs to (`''`/`''` for stream-level messages and broken envelopes). */
export function txOf(r: MessageRecord): TxRef {
  const m = r.message ?? r.malformed;
  return { channelId: str(m?.channelId), txid: str(m?.txid) };
}

/** A diagram's title. */
export function diagramTitle(d: Diagram): string {
  if (d.tx) {
    const tx = d.tx.channelId === '' ? d.tx.txid : `${d.tx.channelId}/${d.tx.txid}`;
    return clip(`transaction ${tx} on stream ${d.stream}`, 120);
  }
  const how = d.open ? ` (${d.open.mode}${d.open.remote ? `, from ${d.open.remote}` : ''})` : '';
  return clip(`stream ${d.stream}${how}`, 120);
}

/**
 * A message's short label: `[seq] TYPE txid summary` (the txid shortened, left out in a
 * transaction's diagram), or `[seq] malformed … (reason)`.
 */
export function messageLabel(step: Step, inTx: boolean, width = 60): string {
  const r = step.record;
  const tx = txOf(r);
  const txPart = inTx || tx.txid === '' ? '' : ` ${clip(tx.txid, 12)}`;
  if (!r.message) {
    const m = r.malformed;
    const what = m?.scope === 'payload' ? `malformed ${str(m.type) || 'payload'}` : 'malformed frame';
    return `[${r.seq}] ${what}${txPart} (${clip(str(m?.reason), width)})`;
  }
  const summary = payloadSummary(r.message, width);
  return `[${r.seq}] ${clip(str(r.message.type), 30)}${txPart}${summary ? ` ${summary}` : ''}`;
}

/** What to say of a payload in a label: a key, a status, an error's text … (never the whole value). */
export function payloadSummary(m: Message, width = 40): string {
  const p = m.payload as unknown as Record<string, unknown> | undefined;
  const field = (name: string): unknown => (p !== null && typeof p === 'object' ? p[name] : undefined);
  const key = (): string => {
    const collection = str(field('collection'));
    return clip(collection ? `${str(field('key'))} @${collection}` : str(field('key')), width);
  };
  switch (m.type) {
    case 'REGISTER':
      return clip(str(field('name')), width);
    case 'INIT':
    case 'TRANSACTION': {
      const args = field('args');
      return Array.isArray(args) && args.length > 0 ? clip(text(args[0]), width) : '';
    }
    case 'COMPLETED': {
      const status = field('status');
      const message = str(field('message'));
      return clip(`status ${typeof status === 'number' ? status : '?'}${message ? ` ${message}` : ''}`, width);
    }
    case 'ERROR':
      return clip(text(m.payload), width);
    case 'RESPONSE':
      return m.payload instanceof Uint8Array ? `${m.payload.length} bytes` : '';
    case 'GET_STATE':
    case 'PUT_STATE':
    case 'DEL_STATE':
    case 'GET_STATE_METADATA':
    case 'PUT_STATE_METADATA':
    case 'GET_PRIVATE_DATA_HASH':
    case 'PURGE_PRIVATE_DATA':
    case 'GET_HISTORY_FOR_KEY':
      return key();
    case 'GET_STATE_BY_RANGE':
      return clip(`${str(field('startKey'))}..${str(field('endKey'))}`, width);
    case 'GET_QUERY_RESULT':
      return clip(str(field('query')), width);
    case 'QUERY_STATE_NEXT':
    case 'QUERY_STATE_CLOSE':
      return clip(`iterator ${str(field('id'))}`, width);
    case 'INVOKE_CHAINCODE': {
      const id = field('chaincodeId') as Record<string, unknown> | undefined;
      return clip(str(id?.name), width);
    }
    case 'WRITE_BATCH_STATE': {
      const records = field('records');
      return Array.isArray(records) ? `${records.length} writes` : '';
    }
    case 'GET_STATE_MULTIPLE': {
      const keys = field('keys');
      return Array.isArray(keys) ? `${keys.length} keys` : '';
    }
    case 'UNKNOWN':
      return `type ${typeof m.code === 'number' ? m.code : '?'}`;
    default:
      return '';
  }
}

/** The state of `tx` in a side's charts, undefined when that chart holds no such transaction. */
export function txState(side: ChartSnapshot, tx: TxRef): string | undefined {
  return side.txs.find((x) => x.txid === tx.txid && x.channelId === tx.channelId)?.state;
}

/**
 * A side's charts as one short string: `handler`, or `handler/transaction` for a message of a
 * transaction (`–` when that side's chart does not hold the transaction: not started, or done).
 */
export function sideState(side: ChartSnapshot, tx: TxRef | undefined): string {
  if (!tx || (tx.txid === '' && tx.channelId === '')) return side.handler;
  return `${side.handler}/${txState(side, tx) ?? '–'}`;
}

/** Both sides' states after a step, chaincode first (as the participants). */
export function statesLabel(step: Step | EndStep, tx: TxRef | undefined): string {
  return `chaincode ${sideState(step.chaincode, tx)} · peer ${sideState(step.peer, tx)}`;
}

/** A finding in a few words: its code and the side to blame. */
export function findingLabel(f: Finding): string {
  return `${f.code} · blame ${f.blame}`;
}

/** A finding in full: who found it in which state, what came and what was expected, the rule. */
export function findingDetail(f: Finding): string {
  const tx = f.txid ? `, tx ${f.channelId ? `${f.channelId}/` : ''}${f.txid}` : '';
  return `found by the ${f.foundBy}'s chart in ${f.state}${tx}: got ${f.got}; expected ${f.expected}${f.cause ? ` (${f.cause})` : ''}; rule: ${f.rule}`;
}

/** The end of a stream in a few words, with its reason. */
export function endLabel(end: EndStep, width = 60): string {
  return `end of stream (${clip(str(end.record.reason), width)})`;
}

// ---- text --------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A string field of an untrusted record ('' when it is not a string). */
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Bytes as (lossy) UTF-8 text; a string as itself. */
function text(v: unknown): string {
  return v instanceof Uint8Array ? utf8.decode(v) : str(v);
}

/** One line of at most `width` characters: control characters become spaces, runs of spaces one. */
export function clip(s: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= width ? line : chars.slice(0, Math.max(1, width - 1)).join('') + '…';
}
