/**
 * A minimal protobuf wire-format writer and reader, for the few messages the runtime needs that are
 * not in our generated protos (common.SignaturePolicyEnvelope, common.SignaturePolicy, msp.MSPPrincipal,
 * msp.MSPRole; see policy.ts). Only what those messages use: varint (wire type 0) and length-delimited
 * (wire type 2) fields; the reader skips the other wire types so unknown fields are tolerated, as
 * every protobuf decoder does. Encoding rules: https://protobuf.dev/programming-guides/encoding/.
 */

const textEncoder = new TextEncoder();
const strictText = new TextDecoder('utf-8', { fatal: true });

/** Appends fields to a growing byte list. */
export class ProtoWriter {
  private readonly parts: number[] = [];

  /** Tag + varint. `value` is an int32: negative numbers take 10 bytes, as protobuf encodes them. */
  varint(field: number, value: number): this {
    this.tag(field, 0);
    this.rawVarint(value);
    return this;
  }

  /** Tag + length + bytes. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(value.length);
    for (const b of value) this.parts.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    // int32 semantics: a negative value is sign-extended to 64 bits.
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (v !== 0n);
  }
}

export interface ProtoField {
  field: number;
  wireType: number;
  /** Wire type 0: the value truncated to int32 (what an int32/enum field reads as). */
  varint: number;
  /** Wire type 2: the content bytes (a view into the input). */
  bytes: Uint8Array;
}

/** Reads all fields of one message. Throws on truncated or malformed input. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new Error('unexpected end of input in varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new Error('varint longer than 10 bytes');
  };
  while (pos < buf.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0) throw new Error('invalid field number 0');
    switch (wireType) {
      case 0: {
        const v = readVarint();
        out.push({ field, wireType, varint: Number(BigInt.asIntN(32, v)), bytes: new Uint8Array(0) });
        break;
      }
      case 1:
        if (pos + 8 > buf.length) throw new Error('unexpected end of input in fixed64');
        pos += 8;
        break;
      case 2: {
        const len = Number(readVarint());
        if (len > buf.length - pos) throw new Error(`length ${len} exceeds the remaining ${buf.length - pos} bytes`);
        out.push({ field, wireType, varint: 0, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new Error('unexpected end of input in fixed32');
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}

/** A string field's text; protobuf strings must be valid UTF-8. */
export function fieldText(bytes: Uint8Array): string {
  try {
    return strictText.decode(bytes);
  } catch {
    throw new Error('string field is not valid UTF-8');
  }
}
