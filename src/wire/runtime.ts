/**
 * The protobufjs runtime as the codec uses it: a stricter Reader, a Writer that always emits
 * well-formed UTF-8, and the helpers every payload codec shares (decode outcome, proto3 default
 * elision). Nothing here knows about particular messages.
 */
import $protobuf from 'protobufjs/minimal.js';
import type { Bytes } from '../protocol/messages.js';
import { EMPTY_BYTES } from '../protocol/messages.js';
import { checkWire, layoutOf, type Layout } from './wireCheck.js';

/** What every payload decoder returns: never an exception. */
export type DecodeOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

// ignoreBOM: a leading U+FEFF is content, not a marker; `fatal`: see StrictReader.string.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Strings at most this long that are pure ASCII are built in JS; longer ones go to TextDecoder.
 * Measured on Node 20: a 6-byte key takes ~35 ns in JS and ~60 ns through TextDecoder; at 64 bytes
 * TextDecoder (~70 ns) wins clearly (the JS loop ~300 ns).
 */
const SHORT_STRING = 16;

/**
 * A protobufjs Reader with three differences, all applied to every generated decoder it is handed:
 *  - `string()` rejects invalid UTF-8 (throws) instead of substituting U+FFFD. protobuf-go refuses
 *    proto3 string fields that are not valid UTF-8 ("string field contains invalid UTF-8"), so a
 *    Fabric peer or Go shim would refuse such a message; we do the same rather than decode a key
 *    that differs from what was sent.
 *  - `bytes()` always returns a plain Uint8Array view into the input (protobufjs returns a fresh
 *    Buffer for empty fields and Buffer views when the input is a Buffer, which gRPC hands us).
 *  - `int64()` / `uint64()` return JS numbers (exact up to 2^53) instead of Long objects; this is
 *    what `--force-number` declares in the generated typings.
 */
export class StrictReader extends $protobuf.Reader {
  override bytes(): Uint8Array {
    const length = this.uint32();
    const start = this.pos;
    if (length > this.len - start) {
      throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    }
    this.pos = start + length;
    // A fresh view rather than subarray(): the input may be a Buffer, whose subarrays are Buffers.
    const buf = this.buf;
    return new Uint8Array(buf.buffer, buf.byteOffset + start, length);
  }

  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    if (length > this.len - start) {
      throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    }
    const end = (this.pos = start + length);
    if (length > SHORT_STRING) return this.utf8(start, end);
    // Short ASCII straight from the input, without creating a view.
    const buf = this.buf;
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c > 0x7f) return this.utf8(start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }

  private utf8(start: number, end: number): string {
    try {
      return strictUtf8.decode(this.buf.subarray(start, end));
    } catch {
      throw new Error(`string field is not valid UTF-8 (offset ${start})`);
    }
  }
}

// Long-returning readers become number-returning ones. Declared outside the class because the base
// typings say `Long`; the generated .d.ts (built with --force-number) says `number`.
const baseInt64 = $protobuf.Reader.prototype.int64;
const baseUint64 = $protobuf.Reader.prototype.uint64;
Object.assign(StrictReader.prototype, {
  int64(this: StrictReader): number {
    return longToNumber(baseInt64.call(this), false);
  },
  uint64(this: StrictReader): number {
    return longToNumber(baseUint64.call(this), true);
  },
});

/**
 * protobufjs hands out a Long (or a number when no Long library is installed). A value a JS number
 * cannot hold exactly (beyond ±(2^53 − 1)) is refused rather than rounded: a rounded value would
 * re-encode to other bytes than were received (found by the wire fuzz test at 20,000 runs), and no
 * field Fabric fills in this protocol comes near 2^53 (Go's timestamp validity ends in year 9999,
 * 2.5 × 10^11 seconds).
 */
function longToNumber(v: $protobuf.Long | number, unsigned: boolean): number {
  const n = typeof v === 'number' ? v : (unsigned ? v.high >>> 0 : v.high | 0) * 0x1_0000_0000 + (v.low >>> 0);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`64-bit integer ${typeof v === 'number' ? v : v.toString()} is beyond what a JS number holds exactly (2^53 - 1)`);
  }
  return n;
}

/**
 * A StrictReader whose unsigned 64-bit values beyond 2^53 − 1 read as Number.MAX_SAFE_INTEGER
 * instead of failing. For block numbers in seek positions only: clients ask for "every block from
 * here on" with math.MaxUint64 (the Go Gateway client, the peer CLI), and no block number comes
 * near either bound. Such a value re-encodes as MAX_SAFE_INTEGER, not as the bytes received.
 */
export class SaturatingReader extends StrictReader {}
Object.assign(SaturatingReader.prototype, {
  uint64(this: StrictReader): number {
    const v = baseUint64.call(this);
    const n = typeof v === 'number' ? v : (v.high >>> 0) * 0x1_0000_0000 + (v.low >>> 0);
    return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
  },
});

/**
 * A decoded 64-bit field. Present fields are numbers already (StrictReader), but an absent one
 * reads the generated prototype default, which is a Long zero whenever the `long` package is
 * installed, despite the `number` typing.
 */
export const int64Of = (v: number | null | undefined): number => (typeof v === 'number' ? v : 0);

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * A protobufjs BufferWriter (so `finish()` returns a Node Buffer, which @grpc/grpc-js wants without
 * a copy) that writes lone UTF-16 surrogates as U+FFFD, like TextEncoder. Without this, protobufjs
 * writes them as invalid UTF-8 for strings shorter than 40 chars (and as U+FFFD for longer ones);
 * a Go peer would then reject the whole message. Callers that must refuse such strings (e.g. key
 * validation, docs/protocol.md §13.2) do so before encoding.
 */
export class WellFormedWriter extends $protobuf.BufferWriter {
  override string(value: string): $protobuf.BufferWriter {
    const s = value as unknown as WellFormedString;
    return super.string(s.isWellFormed() ? value : s.toWellFormed());
  }
}

/**
 * A generated message class as pbjs emits it (`protos.X`), seen through its `I`-interface `P`
 * (all fields optional): `encode` accepts such a plain object, `decode` returns an instance of
 * the class, which implements `P` with proto3 defaults on its prototype.
 */
export interface GeneratedMessage<P> {
  encode(message: P, writer?: $protobuf.Writer): $protobuf.Writer;
  decode(reader: $protobuf.Reader | Uint8Array, length?: number): P;
}

/** A payload codec: bytes in both directions, decode never throws. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): DecodeOutcome<T>;
}
/** A codec plus the mappings to and from the generated types, for nesting one message in another. */
export interface MessageCodec<T, P> extends Codec<T> {
  /** The compiled wire layout (wireCheck.ts). */
  readonly layout: Layout;
  /** Domain value -> sparse object for the generated encoder. */
  readonly toWire: (value: T) => P;
  /** Decoded generated instance -> domain value. */
  readonly fromWire: (message: P) => T;
}

/** Any codec, when the message type is not known statically. */
export interface UntypedCodec {
  encode(value: never): Uint8Array;
  decode(bytes: Uint8Array): DecodeOutcome<unknown>;
}

/**
 * Builds the codec of one message from its generated class and two plain mappings:
 *  - `toWire` returns the sparse object the generated encoder should write: proto3 defaults must
 *    be `undefined` (use `str`, `bin`, `num`, `flag`), because generated encoders write every
 *    property that is set, default or not;
 *  - `fromWire` maps the decoded generated instance to the domain value (use `bytesOf`, because
 *    an absent bytes field reads as the prototype's shared empty Buffer).
 * `name` is the full proto name (`protos.PutState`); its last part prefixes failure reasons.
 */
export function messageCodec<T, P>(
  name: string,
  generated: GeneratedMessage<P>,
  toWire: (value: T) => P,
  fromWire: (message: P) => T,
  /** The reader to decode with (SaturatingReader for seek positions); default StrictReader. */
  Reader: typeof StrictReader = StrictReader,
): MessageCodec<T, P> {
  const layout = layoutOf(name);
  const label = name.slice(name.lastIndexOf('.') + 1);
  return {
    layout,
    toWire,
    fromWire,
    encode: (value) => generated.encode(toWire(value), new WellFormedWriter()).finish(),
    decode: (bytes) => {
      try {
        checkWire(bytes, layout);
        return { ok: true, value: fromWire(generated.decode(new Reader(bytes))) };
      } catch (err) {
        return { ok: false, reason: `${label}: ${errorMessage(err)}` };
      }
    },
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// proto3 default elision for `toWire`: the default value becomes `undefined` (not written).
export const str = (s: string): string | undefined => (s === '' ? undefined : s);
export const bin = (b: Bytes): Bytes | undefined => (b.length === 0 ? undefined : b);
export const num = (n: number): number | undefined => (n === 0 ? undefined : n);
export const flag = (b: boolean): true | undefined => (b ? true : undefined);
/** Repeated fields: an empty list is simply not written. */
export const list = <E>(items: readonly E[]): E[] | undefined => (items.length === 0 ? undefined : (items as E[]));

/** Decoded bytes field: absent fields (the generated prototype default, a shared empty Buffer) become EMPTY_BYTES. */
export const bytesOf = (b: Uint8Array | null | undefined): Bytes => (b && b.length !== 0 ? b : EMPTY_BYTES);
