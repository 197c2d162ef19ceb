/**
 * How `ccproto peer` prints the peer's `LogRecord`s: one readable text line per record (default) or
 * one JSON object per line (`--log-format json`). Never throws, whatever the record holds.
 */
import type { LogRecord } from '../peer/types.js';

export type LogFormat = 'text' | 'json';
export type LogLevel = LogRecord['level'];

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Whether a record of `level` passes a `--log-level` threshold (unknown levels always pass). */
export function levelEnabled(level: unknown, threshold: LogLevel): boolean {
  const i = LOG_LEVELS.indexOf(level as LogLevel);
  return i < 0 || i >= LOG_LEVELS.indexOf(threshold);
}

/**
 * A JSON-safe copy of any value: bytes become base64, errors `{name, message}`, bigints strings,
 * Maps/Sets plain objects/arrays, cycles `"[Circular]"`, functions and symbols dropped.
 */
export function toPlain(value: unknown, seen: Set<object> = new Set(), depth = 0): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth > 20) return '[Too deep]';
  if (obj instanceof Uint8Array) return Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64');
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? String(obj) : obj.toISOString();
  if (obj instanceof Error) {
    const out: Record<string, unknown> = { name: obj.name, message: obj.message };
    const code = (obj as { code?: unknown }).code;
    if (code !== undefined) out['code'] = toPlain(code, seen, depth + 1);
    return out;
  }
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => toPlain(v, seen, depth + 1) ?? null);
    if (obj instanceof Set) return [...obj].map((v) => toPlain(v, seen, depth + 1) ?? null);
    const entries: [string, unknown][] =
      obj instanceof Map ? [...obj].map(([k, v]) => [String(k), v]) : Object.entries(obj);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const p = toPlain(v, seen, depth + 1);
      if (p !== undefined) out[k] = p;
    }
    return out;
  } catch {
    return '[Unreadable]';
  } finally {
    seen.delete(obj);
  }
}

/** A field value as text: bare when it is one simple token, JSON-quoted otherwise. */
export function formatFieldValue(value: unknown): string {
  const plain = toPlain(value);
  if (typeof plain === 'string') return /^[^\s"=\\]+$/.test(plain) ? plain : JSON.stringify(plain);
  if (plain !== null && typeof plain === 'object') {
    if ('message' in plain && 'name' in plain && Object.keys(plain).length <= 3) {
      return JSON.stringify((plain as { message: unknown }).message);
    }
    return JSON.stringify(plain);
  }
  return String(plain);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `HH:MM:SS.mmm` in local time. */
export function formatClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function isScalar(v: unknown): v is string | number {
  return typeof v === 'string' || typeof v === 'number';
}

/**
 * The start of a text line: `msg`, except for the peer's transaction records
 * (`tx ab12cd34 mychannel basic invoke CreateAsset → 200 (3 ms)`) and chaincode output
 * (`[basic stdout] the line`). `used` are the fields the headline already shows.
 */
function headline(record: LogRecord): { text: string; used: Set<string> } {
  const r = record as Record<string, unknown>;
  if (
    record.msg === 'transaction' &&
    isScalar(r['txId']) &&
    isScalar(r['channel']) &&
    isScalar(r['chaincode']) &&
    isScalar(r['kind']) &&
    isScalar(r['status'])
  ) {
    const used = new Set(['txId', 'channel', 'chaincode', 'kind', 'status']);
    const fn = isScalar(r['fn']) && r['fn'] !== '' ? ` ${formatFieldValue(r['fn'])}` : '';
    if (isScalar(r['fn'])) used.add('fn');
    let tail = '';
    if (typeof r['committed'] === 'boolean') {
      used.add('committed');
      if (r['committed']) tail += ' committed';
      else if (r['kind'] === 'invoke' && Number(r['status']) < 400) tail += ' not committed';
    }
    if (typeof r['ms'] === 'number') {
      tail += ` (${r['ms']} ms)`;
      used.add('ms');
    }
    return { text: `tx ${r['txId']} ${r['channel']} ${r['chaincode']} ${r['kind']}${fn} → ${r['status']}${tail}`, used };
  }
  if (record.msg === 'chaincode output' && isScalar(r['chaincode']) && isScalar(r['line'])) {
    const stream = isScalar(r['stream']) ? ` ${r['stream']}` : '';
    return { text: `[${r['chaincode']}${stream}] ${r['line']}`, used: new Set(['chaincode', 'stream', 'line']) };
  }
  return { text: typeof record.msg === 'string' ? record.msg : formatFieldValue(record.msg), used: new Set() };
}

/**
 * One line (no trailing newline).
 * - text: `09:12:01.123 INFO  chaincode registered  name=basic:1.0 channel=mychannel`
 * - json: `{"time":"2025-01-01T09:12:01.123Z","level":"info","msg":"chaincode registered","name":"basic:1.0"}`
 */
export function formatLogRecord(record: LogRecord, format: LogFormat, now: Date = new Date()): string {
  try {
    if (format === 'json') {
      const plain = toPlain(record);
      const fields = plain !== null && typeof plain === 'object' && !Array.isArray(plain) ? plain : { msg: String(plain) };
      return JSON.stringify({ time: now.toISOString(), ...fields });
    }
    const level = typeof record.level === 'string' ? record.level.toUpperCase() : 'INFO';
    const { text, used } = headline(record);
    const fields: string[] = [];
    for (const [key, value] of Object.entries(record)) {
      if (key === 'level' || key === 'msg' || used.has(key) || toPlain(value) === undefined) continue;
      fields.push(`${key}=${formatFieldValue(value)}`);
    }
    const line = `${formatClock(now)} ${level.padEnd(5)} ${text.replace(/[\r\n]+/g, ' ')}`;
    return fields.length ? `${line}  ${fields.join(' ')}` : line;
  } catch (err) {
    return `${formatClock(now)} ERROR unprintable log record: ${err instanceof Error ? err.message : String(err)}`;
  }
}
