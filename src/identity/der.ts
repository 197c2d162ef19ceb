/**
 * Minimal ASN.1 DER encoder and reader: just what is needed to mint and inspect the X.509 certificates
 * of src/identity (ITU-T X.690 §8 and §10).
 *
 * Why our own instead of @peculiar/x509: that package pulls in tsyringe, which throws at import time unless
 * a global `Reflect.getMetadata` polyfill (reflect-metadata) was loaded first. reflect-metadata is not a
 * dependency of this package (only a transitive devDependency via fabric-shim), and a home-made partial
 * polyfill would be kept by reflect-metadata when it loads later (it only defines missing functions),
 * splitting metadata storage and breaking fabric-contract-api decorators running in the same process.
 * The subset of DER needed here is small, synchronous and has no global side effects.
 */

/** Universal tags and the context-specific tags we use. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  let n = len;
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-byte tag (all tags we use are < 31). */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(Tag.SEQUENCE, Buffer.concat(items));
}

/** SET OF: DER (X.690 §11.6) requires the encodings to be sorted. */
export function setOf(...items: Uint8Array[]): Buffer {
  const sorted = items.map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(Tag.SET, Buffer.concat(sorted));
}

/** Explicit context tag [n] (constructed). */
export function explicit(n: number, content: Uint8Array): Buffer {
  return tlv(0xa0 | n, content);
}

/** Implicit primitive context tag [n]. */
export function implicitPrimitive(n: number, content: Uint8Array): Buffer {
  return tlv(0x80 | n, content);
}

/** Minimal two's-complement content octets of a non-negative integer. */
export function unsignedIntegerContent(value: bigint | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError('negative INTEGER not supported');
    let hex = value.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = Buffer.from(hex, 'hex');
  } else {
    bytes = Buffer.from(value);
  }
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  // A set high bit would make the value negative: prefix a zero octet.
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return bytes;
}

export function integer(value: bigint | Uint8Array): Buffer {
  return tlv(Tag.INTEGER, unsignedIntegerContent(value));
}

export function boolean(value: boolean): Buffer {
  return tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return Buffer.from([Tag.NULL, 0]);
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(Tag.OCTET_STRING, content);
}

export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  return tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), content]));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map((p) => {
    if (!/^\d+$/.test(p)) throw new Error(`invalid OID ${dotted}`);
    return BigInt(p);
  });
  const [first, second, ...rest] = parts;
  if (first === undefined || second === undefined) throw new Error(`invalid OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    let v = arc >> 7n;
    while (v > 0n) {
      chunk.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...chunk);
  }
  return tlv(Tag.OID, Buffer.from(out));
}

export function decodeOid(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of content) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  const [first, ...rest] = arcs;
  if (first === undefined) throw new Error('empty OID');
  const a = first < 80n ? first / 40n : 2n;
  const b = first - a * 40n;
  return [a, b, ...rest].join('.');
}

/** X.680 PrintableString alphabet. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * A directory string the way Go's encoding/asn1 (used by fabric-ca and cryptogen) writes it:
 * PrintableString when every character allows it, UTF8String otherwise.
 */
export function directoryString(value: string): Buffer {
  return PRINTABLE.test(value)
    ? tlv(Tag.PRINTABLE_STRING, Buffer.from(value, 'latin1'))
    : tlv(Tag.UTF8_STRING, Buffer.from(value, 'utf8'));
}

export function printableString(value: string): Buffer {
  if (!PRINTABLE.test(value)) throw new Error(`not a PrintableString: ${JSON.stringify(value)}`);
  return tlv(Tag.PRINTABLE_STRING, Buffer.from(value, 'latin1'));
}

export function ia5String(value: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(value)) throw new Error(`not an IA5String: ${JSON.stringify(value)}`);
  return tlv(Tag.IA5_STRING, Buffer.from(value, 'latin1'));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC with seconds, no fraction. */
export function time(date: Date): Buffer {
  const y = date.getUTCFullYear();
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const rest =
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    'Z';
  if (y >= 1950 && y < 2050) return tlv(Tag.UTC_TIME, Buffer.from(pad(y % 100) + rest, 'latin1'));
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(pad(y, 4) + rest, 'latin1'));
}

export function decodeTime(node: DerNode): Date {
  const s = node.content.toString('latin1');
  let m: RegExpMatchArray | null;
  if (node.tag === Tag.UTC_TIME && (m = s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    const yy = Number(m[1]);
    return new Date(
      Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
    );
  }
  if (node.tag === Tag.GENERALIZED_TIME && (m = s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    return new Date(
      Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
    );
  }
  throw new Error(`unsupported time encoding ${s}`);
}

// ---------------------------------------------------------------------------------------------------------
// Reader

/** A decoded TLV; `raw` is the full encoding (tag + length + content), `content` the value octets. */
export interface DerNode {
  readonly tag: number;
  readonly raw: Buffer;
  readonly content: Buffer;
}

/** Reads the TLV at `offset`; rejects indefinite lengths and high tag numbers (not DER / not used). */
export function readNode(buf: Buffer, offset = 0): DerNode {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: truncated header');
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: high tag numbers not supported');
  let len: number;
  let header = 2;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: unsupported length encoding');
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = buf[offset + 2 + i];
      if (b === undefined) throw new Error('DER: truncated length');
      len = len * 256 + b;
    }
    header += n;
  }
  const end = offset + header + len;
  if (end > buf.length) throw new Error('DER: truncated content');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** Decodes exactly one TLV spanning all of `buf`. */
export function decode(buf: Uint8Array): DerNode {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const node = readNode(b, 0);
  if (node.raw.length !== b.length) throw new Error('DER: trailing data');
  return node;
}

/** Children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let off = 0;
  while (off < node.content.length) {
    const child = readNode(node.content, off);
    out.push(child);
    off += child.raw.length;
  }
  return out;
}

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) {
    throw new Error(`DER: expected ${what} (tag 0x${tag.toString(16)}), got ${node ? '0x' + node.tag.toString(16) : 'nothing'}`);
  }
  return node;
}
