/**
 * The token encoding canon.ts hashes: a JSON value as a stream of 32-bit ints, in
 * JSON.stringify's order (undefined and functions skipped in objects, null in arrays), strings
 * interned, and the ids that only correlate things kept raw behind a tag that says which kind they
 * are (timer ids: `"t<n>"` strings; the numbers under `serveId`, `executeId`, `pendingId`,
 * `requestId`, `waiting`), so that canon.ts can rename them while it hashes the stream. The id
 * counters (`nextTimer`, …) come out as 0.
 */

// Tags; a value is a tag and its payload, so a stream reads back one way only (the hash of an
// unambiguous encoding is a hash of the JSON text's information). Objects: OBJ (key value)* END.
export const OBJ = -1;
export const ARR = -2;
export const END = -3;
export const STR = -4; // interned id
export const INT = -5; // int32
export const NUM = -6; // interned text of any other finite number
export const NULL = -7;
export const TRUE = -8;
export const FALSE = -9;
export const BYTES = -10; // length, then one int per byte
// An interned FIFO item's number (items.ts). Ids inside a message are not renamed (nor were they
// in the JSON text, where a message was a string: its quotes escaped).
export const ITEM = -11;
// Renamed ids: tag, then the raw id (the interned string for timers), renamed at hash time.
export const TIMER = -12;
export const SERVE = -13;
export const EXECUTE = -14;
export const REQUEST = -15;

/** What a key says about a number under it: an id (renamed: its tag) or an id counter (zeroed). */
const COUNTER = 1;
const KEY_KINDS = new Map([
  ['serveId', SERVE],
  ['executeId', EXECUTE],
  ['pendingId', REQUEST],
  ['requestId', REQUEST],
  ['waiting', REQUEST],
  ['nextTimer', COUNTER],
  ['nextServe', COUNTER],
  ['nextExecute', COUNTER],
  ['nextRequest', COUNTER],
]);
// Interned strings: id -> whether it is a timer id, and what it means as a key.
const interned = new Map<string, number>();
const timerLike: boolean[] = [];
const keyKind: number[] = [];

function intern(s: string): number {
  let id = interned.get(s);
  if (id === undefined) {
    interned.set(s, (id = interned.size));
    timerLike[id] = /^t\d+$/.test(s);
    keyKind[id] = KEY_KINDS.get(s) ?? 0;
  }
  return id;
}

/** A growable int32 token buffer; `ids` holds the positions of raw ids (the int after a rename tag). */
export class Tokens {
  buf = new Int32Array(512);
  n = 0;
  ids: number[] = [];

  push(a: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[this.n++] = a;
  }
  push2(a: number, b: number): void {
    if (this.n + 2 > this.buf.length) this.grow();
    this.buf[this.n++] = a;
    this.buf[this.n++] = b;
  }
  id(tag: number, raw: number): void {
    this.push2(tag, raw);
    this.ids.push(this.n - 1);
  }
  reset(): void {
    this.n = 0;
    this.ids.length = 0;
  }
  private grow(): void {
    const b = new Int32Array(this.buf.length * 2);
    b.set(this.buf);
    this.buf = b;
  }
}

/** A string (value or key); returns its interned id. */
export function str(t: Tokens, s: string): number {
  const id = intern(s);
  if (timerLike[id]) t.id(TIMER, id);
  else t.push2(STR, id);
  return id;
}

/** Tokens of one JSON value, as JSON.stringify would write it (undefined and functions skipped in objects, null in arrays). */
export function value(t: Tokens, x: unknown, key: number): void {
  switch (typeof x) {
    case 'string':
      str(t, x);
      return;
    case 'boolean':
      return t.push(x ? TRUE : FALSE);
    case 'number': {
      const kind = key < 0 ? 0 : keyKind[key]!;
      if (kind !== 0 && (x | 0) === x && x >= 0) {
        if (kind === COUNTER) return t.push2(INT, 0);
        if (!(kind === SERVE && x === 0)) return t.id(kind, x);
      }
      if ((x | 0) === x) return t.push2(INT, x);
      return Number.isFinite(x) ? t.push2(NUM, intern(String(x))) : t.push(NULL);
    }
    case 'object':
      if (x === null) return t.push(NULL);
      if (x instanceof Uint8Array) {
        t.push2(BYTES, x.length);
        for (let i = 0; i < x.length; i++) t.push(x[i]!);
        return;
      }
      // A core's tables (src/core/txTable.ts, the peer's timers) as persistState writes them: a
      // Map as an object.
      if (x instanceof Map) return mapObject(t, x as Map<string, unknown>);
      if (Array.isArray(x)) {
        t.push(ARR);
        for (let i = 0; i < x.length; i++) {
          const v: unknown = x[i];
          if (v === undefined || typeof v === 'function') t.push(NULL);
          else value(t, v, -1);
        }
        return t.push(END);
      }
      return object(t, x as Record<string, unknown>);
    default:
      return t.push(NULL);
  }
}

function object(t: Tokens, o: Record<string, unknown>): void {
  t.push(OBJ);
  for (const k in o) {
    const v = o[k];
    if (v === undefined || typeof v === 'function') continue;
    value(t, v, str(t, k));
  }
  t.push(END);
}

function mapObject(t: Tokens, m: Map<string, unknown>): void {
  t.push(OBJ);
  for (const [k, v] of m) {
    if (v === undefined || typeof v === 'function') continue;
    value(t, v, str(t, k));
  }
  t.push(END);
}
