/**
 * Structural check of protobuf bytes against the layout of the message they should hold.
 *
 * Why: protobufjs's generated decoders dispatch on the field number alone and never look at the
 * wire type, so bytes that are not the expected message can still "decode". Example: a REGISTER
 * payload `10 03 61 62 63` (field 2 as a varint, then junk) decodes in protobufjs as
 * ChaincodeID{name: "abc"}, because the varint 3 is taken as a string length. protobuf-go, which
 * the Fabric peer and the Go shim use, never reads it that way (a wrong wire type makes the field
 * unknown, and the junk that follows then fails to parse). This pass runs before every generated
 * decode and rejects, with a reason, anything the decoder could misread:
 *   - a field number of 0 (protobuf-go `protowire.ConsumeTag` rejects numbers < 1), a tag or
 *     length varint longer than 5 bytes, a tag above 2^32 - 1 or a length above 2^31 - 1
 *     (protobufjs's `Reader.uint32` silently wraps or skips such varints);
 *   - a varint longer than 10 bytes or overflowing 64 bits (protobuf-go `protowire.ConsumeVarint`);
 *   - a 6..9-byte varint in a 32-bit field (valid protobuf, produced by no encoder, and misread by
 *     `Reader.uint32`, which skips exactly 10 bytes once it passes 5);
 *   - a known field with a wire type other than its declared one (protobuf-go would file it as an
 *     unknown field; we refuse it because protobufjs would not);
 *   - truncation, stray end-group tags, unbalanced or mismatched groups, wire types 6 and 7,
 *     and nesting deeper than protobufjs's own recursion limit (100).
 * Unknown fields with a well-formed encoding are accepted and ignored, as every protobuf runtime
 * does. UTF-8 validity of strings is checked later, where the string is decoded (StrictReader).
 * One difference from protobuf-go remains: an embedded message field that occurs twice is replaced
 * by its last occurrence (protobufjs) instead of merged (protobuf-go); conforming encoders never
 * write a singular field twice.
 *
 * The layouts come from src/wire/generated/schema.js, generated from the same .proto files as the
 * decoders, so field numbers live in one place.
 */
import { wireSchema } from './generated/schema.js';

/** Kinds, as small integers for a tight loop. `UNKNOWN` = field number not in the message. */
const UNKNOWN = 0;
const VARINT = 1; // 64-bit varint (int64, uint64, sint64)
const VARINT32 = 2; // int32, uint32, sint32, bool, enum
const FIXED64 = 3;
const FIXED32 = 4;
const LEN = 5; // bytes or string
const MESSAGE = 6;

/** protobufjs `util.recursionLimit`: deeper nesting makes its decoders throw anyway. */
const MAX_DEPTH = 100;

/** The compiled layout of one message. */
export interface Layout {
  readonly name: string;
  /** Kind by field number; numbers past the end are unknown. */
  readonly kinds: Uint8Array;
  /** Layout of the embedded message, by field number (only for MESSAGE kinds). */
  readonly nested: readonly (Layout | undefined)[];
}

const compiled = new Map<string, Layout>();

/**
 * The layout of a message by its full proto name, e.g. `protos.PutState`. Throws for a name not in
 * protos/ (a programming error, raised when the calling module loads, never while decoding).
 */
export function layoutOf(name: string): Layout {
  const done = compiled.get(name);
  if (done) return done;
  const fields = wireSchema[name];
  if (!fields) throw new Error(`wireCheck: no message ${name} in protos/`);
  const numbers = Object.keys(fields).map(Number);
  const size = numbers.length ? Math.max(...numbers) + 1 : 1;
  const kinds = new Uint8Array(size);
  const nested: (Layout | undefined)[] = new Array<Layout | undefined>(size).fill(undefined);
  const layout: Layout = { name, kinds, nested };
  compiled.set(name, layout); // before recursing, so self-referencing messages terminate
  for (const n of numbers) {
    const kind = fields[n]!;
    switch (kind) {
      case 'varint': kinds[n] = VARINT; break;
      case 'varint32': kinds[n] = VARINT32; break;
      case 'fixed64': kinds[n] = FIXED64; break;
      case 'fixed32': kinds[n] = FIXED32; break;
      case 'bytes':
      case 'string': kinds[n] = LEN; break;
      default:
        kinds[n] = MESSAGE;
        nested[n] = layoutOf(kind);
    }
  }
  return layout;
}

/** Thrown by `checkWire`; only its message is used (callers turn it into a decode failure). */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

// The scanner keeps its cursor in module state: it is synchronous and never re-entered.
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;

/** Throws a `WireFormatError` naming the first problem, if `bytes` could be misread as `layout`. */
export function checkWire(bytes: Uint8Array, layout: Layout): void {
  // Decoders promise a result for any input, including what a JS caller passes around the types.
  if (!(bytes instanceof Uint8Array)) throw new WireFormatError(`expected a Uint8Array, got ${kindOf(bytes)}`);
  buf = bytes;
  pos = 0;
  try {
    scan(bytes.length, layout, 0);
  } finally {
    buf = EMPTY;
  }
}
const EMPTY = new Uint8Array(0);

function kindOf(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

function fail(layout: Layout, what: string): never {
  throw new WireFormatError(`${what} (${layout.name}, offset ${pos})`);
}

function scan(end: number, layout: Layout, depth: number): void {
  const kinds = layout.kinds;
  while (pos < end) {
    const tag = varint32(end, layout, 'tag');
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) fail(layout, 'field number 0');
    const kind = field < kinds.length ? kinds[field]! : UNKNOWN;
    switch (wireType) {
      case 0: {
        if (kind !== UNKNOWN && kind !== VARINT && kind !== VARINT32) mismatch(layout, field, wireType);
        const start = pos;
        skipVarint(end, layout);
        const n = pos - start;
        if (kind === VARINT32 && n > 5 && n < 10) fail(layout, `${n}-byte varint in 32-bit field ${field}`);
        break;
      }
      case 1:
        if (kind !== UNKNOWN && kind !== FIXED64) mismatch(layout, field, wireType);
        advance(8, end, layout);
        break;
      case 2: {
        if (kind !== UNKNOWN && kind !== LEN && kind !== MESSAGE) mismatch(layout, field, wireType);
        const length = varint32(end, layout, 'length');
        if (length > end - pos) fail(layout, `length ${length} of field ${field} past the end`);
        if (kind === MESSAGE) {
          if (depth >= MAX_DEPTH) fail(layout, 'nesting too deep');
          scan(pos + length, layout.nested[field]!, depth + 1);
        } else {
          pos += length;
        }
        break;
      }
      case 3:
        if (kind !== UNKNOWN) mismatch(layout, field, wireType);
        skipGroup(field, end, layout, depth + 1);
        break;
      case 5:
        if (kind !== UNKNOWN && kind !== FIXED32) mismatch(layout, field, wireType);
        advance(4, end, layout);
        break;
      case 4:
        fail(layout, `end-group tag for field ${field} without a start`);
      default:
        fail(layout, `invalid wire type ${wireType}`);
    }
  }
}

/** The wire type each kind is written with. */
const WIRE_TYPE_OF_KIND = [-1, 0, 0, 1, 5, 2, 2];

function mismatch(layout: Layout, field: number, wireType: number): never {
  const expected = WIRE_TYPE_OF_KIND[layout.kinds[field]!];
  fail(layout, `field ${field} has wire type ${wireType}, declared type needs ${expected}`);
}

/** An unknown group: everything up to the end-group tag with the same field number. */
function skipGroup(field: number, end: number, layout: Layout, depth: number): void {
  if (depth >= MAX_DEPTH) fail(layout, 'nesting too deep');
  for (;;) {
    if (pos >= end) fail(layout, `group ${field} not closed`);
    const tag = varint32(end, layout, 'tag');
    const inner = tag >>> 3;
    const wireType = tag & 7;
    if (inner === 0) fail(layout, 'field number 0');
    switch (wireType) {
      case 0: skipVarint(end, layout); break;
      case 1: advance(8, end, layout); break;
      case 2: {
        const length = varint32(end, layout, 'length');
        advance(length, end, layout);
        break;
      }
      case 3: skipGroup(inner, end, layout, depth + 1); break;
      case 4:
        if (inner !== field) fail(layout, `group ${field} closed by end-group ${inner}`);
        return;
      case 5: advance(4, end, layout); break;
      default: fail(layout, `invalid wire type ${wireType}`);
    }
  }
}

function advance(n: number, end: number, layout: Layout): void {
  if (n > end - pos) fail(layout, 'truncated');
  pos += n;
}

/**
 * A tag or a length: at most 5 bytes, so that `Reader.uint32` reads it exactly; a tag fits in
 * 32 bits (field numbers up to 2^29 - 1), a length must stay below 2^31.
 */
function varint32(end: number, layout: Layout, what: 'tag' | 'length'): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) fail(layout, `truncated ${what}`);
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (value > (what === 'tag' ? 0xffffffff : 0x7fffffff)) fail(layout, `${what} ${value} too large`);
      return value;
    }
  }
  fail(layout, `${what} varint longer than 5 bytes`);
}

/** Any varint: at most 10 bytes, and the 10th may only carry bit 63 (protowire.ConsumeVarint). */
function skipVarint(end: number, layout: Layout): void {
  for (let i = 0; i < 10; i++) {
    if (pos >= end) fail(layout, 'truncated varint');
    const b = buf[pos++]!;
    if (b < 0x80) {
      if (i === 9 && b > 1) fail(layout, 'varint overflows 64 bits');
      return;
    }
  }
  fail(layout, 'varint longer than 10 bytes');
}
