/**
 * Byte helpers shared by the ledger modules: UTF-8 encoding, byte order, hashing.
 *
 * Keys are ordered by the bytes of their UTF-8 encoding everywhere (range scans, rich query
 * default order, bookmarks), which is LevelDB's order and therefore Fabric's goleveldb state order.
 */
import { createHash } from 'node:crypto';
import { EMPTY_BYTES, utf8Bytes, type Bytes } from '../protocol/messages.js';

export type { Bytes };

export const EMPTY: Bytes = EMPTY_BYTES;

export const utf8: (s: string) => Bytes = utf8Bytes;

const dec = new TextDecoder('utf-8', { fatal: false });

export function fromUtf8(b: Bytes): string {
  return dec.decode(b);
}

/** Lexicographic comparison of two byte strings. */
export function compareBytes(a: Bytes, b: Bytes): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Compares two strings in the byte order of their UTF-8 encodings without encoding them:
 * UTF-8 byte order equals code point order, which differs from JS `<` (UTF-16 code units) only
 * between astral characters and U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const ra = a.length - i;
  const rb = b.length - j;
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

/** True when the string has no lone surrogate, i.e. it round-trips through UTF-8. */
export function isWellFormed(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** SHA-256, as Fabric's util.ComputeHash / ComputeStringHash (core/ledger/util/util.go). */
export function sha256(data: Bytes | string): Bytes {
  return new Uint8Array(createHash('sha256').update(typeof data === 'string' ? utf8(data) : data).digest());
}

export function toHex(b: Bytes): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function toBase64(b: Bytes): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function fromBase64(s: string): Bytes {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function concatBytes(parts: readonly Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Bytes, b: Bytes): boolean {
  return compareBytes(a, b) === 0;
}

/** A private copy (values handed to callers must not alias stored buffers). */
export function copyBytes(b: Bytes): Bytes {
  return new Uint8Array(b);
}
