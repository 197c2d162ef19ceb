/**
 * The trace format (docs/conformance.md, "Traces"): JSON Lines, one object per line, written by
 * `ccproto proxy` and read by `ccproto check` and `ccproto trace render`.
 *
 *   {"t":…,"stream":1,"event":"open","mode":"register","remote":"127.0.0.1:5501"}
 *   {"t":…,"stream":1,"seq":0,"from":"chaincode","message":{"type":"REGISTER",…},"peer":{…},"chaincode":{…},"findings":[]}
 *   {"t":…,"stream":1,"seq":7,"from":"peer","malformed":{…},"frame":{"$bytes":"…"},…}
 *   {"t":…,"stream":1,"event":"end","reason":"EOF",…}
 *
 * `t` is milliseconds since the Unix epoch (fractional). A message is written as the codec decodes
 * it (payload decoded per type), every byte string as `{"$bytes": base64}`; `peer` and `chaincode`
 * are both sides' chart states after the message (src/observe/streamObserver.ts) and `findings`
 * what the observers found at it. A reader needs only `t`, `stream`, `from` and `message` (or
 * `malformed` + `frame`) and the open/end events: `ccproto check` recomputes everything else, so a
 * trace written by another tool only has to get those right.
 */
import type { Finding } from '../observe/findings.js';
import type { ChartSnapshot } from '../observe/streamObserver.js';
import { bytesReplacer, bytesReviver } from '../protocol/jsonBytes.js';
import type { Malformed, Message } from '../protocol/messages.js';
import type { Side } from '../protocol/violations.js';

export type TraceMode = 'register' | 'ccaas';

interface Base {
  /** Milliseconds since the Unix epoch. */
  t: number;
  /** Stream id, unique within the trace. */
  stream: number;
}

export interface OpenRecord extends Base {
  event: 'open';
  mode: TraceMode;
  /** The address of the side that opened the stream, when known. */
  remote?: string;
}

export interface EndRecord extends Base {
  event: 'end';
  reason: string;
  peer?: ChartSnapshot;
  chaincode?: ChartSnapshot;
  findings?: Finding[];
}

export interface MessageRecord extends Base {
  /** Position of the message in its stream, from 0. */
  seq: number;
  from: Side;
  /** The decoded message; absent when the frame did not decode. */
  message?: Message;
  /** Why the frame did not decode (then `frame` holds its bytes). */
  malformed?: Malformed;
  frame?: Uint8Array;
  peer?: ChartSnapshot;
  chaincode?: ChartSnapshot;
  findings?: Finding[];
}

export type TraceRecord = OpenRecord | EndRecord | MessageRecord;

export function isMessageRecord(r: TraceRecord): r is MessageRecord {
  return !('event' in r);
}

/** One record as a line of JSON (with its newline). */
export function traceLine(record: TraceRecord): string {
  return JSON.stringify(record, bytesReplacer) + '\n';
}

export type ParsedTrace = { ok: true; records: TraceRecord[] } | { ok: false; line: number; reason: string };

/** Reads a whole trace; the first line that is not a record makes it unreadable (with its number). */
export function parseTrace(text: string): ParsedTrace {
  const records: TraceRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line, bytesReviver);
    } catch (e) {
      return { ok: false, line: i + 1, reason: `not JSON: ${(e as Error).message}` };
    }
    const problem = recordProblem(value);
    if (problem) return { ok: false, line: i + 1, reason: problem };
    records.push(value as TraceRecord);
  }
  return { ok: true, records };
}

function recordProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const r = v as Record<string, unknown>;
  if (typeof r.t !== 'number') return '"t" (milliseconds) is missing';
  if (typeof r.stream !== 'number') return '"stream" (a number) is missing';
  if ('event' in r) {
    if (r.event === 'open') return r.mode === 'register' || r.mode === 'ccaas' ? undefined : '"mode" must be register or ccaas';
    if (r.event === 'end') return typeof r.reason === 'string' ? undefined : '"reason" (text) is missing';
    return `unknown event ${JSON.stringify(r.event)}`;
  }
  if (r.from !== 'peer' && r.from !== 'chaincode') return '"from" must be peer or chaincode';
  if (typeof r.seq !== 'number') return '"seq" (a number) is missing';
  const m = r.message as Record<string, unknown> | undefined;
  if (m !== undefined) {
    if (m === null || typeof m !== 'object' || typeof m.type !== 'string' || typeof m.txid !== 'string' || typeof m.channelId !== 'string') {
      return '"message" needs type, txid and channelId';
    }
    return undefined;
  }
  const mal = r.malformed as Record<string, unknown> | undefined;
  if (mal && typeof mal === 'object' && typeof mal.reason === 'string') return undefined;
  return 'a message record needs "message" or "malformed"';
}
