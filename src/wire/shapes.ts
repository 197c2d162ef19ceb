/**
 * How the Fabric messages outside the chaincode stream (gateway, blocks, deliver, rwsets,
 * policies, config) are shaped in TypeScript, and the helpers their codecs share.
 *
 * Beyond the conventions of proposalTypes.ts (camelCase fields, proto3 defaults, `undefined` for an
 * absent sub-message, serialized-bytes fields kept as bytes):
 *
 *  - oneof: one property named after the oneof (camelCase: Fabric's `Type` becomes `type`,
 *    `reads_info` becomes `readsInfo`) holding `{ case: '<memberField>', value }` for the member
 *    that is set, or `undefined` when none is. A member set to its default (`signedBy: 0`,
 *    `status: 0`, an empty message) is still set and is written, as protobuf does for oneofs.
 *    Bytes that set several members (no conforming encoder writes them) decode to one member,
 *    the later one in the usual case `A B` (protobufjs's choice; see the oneof getter it generates).
 *  - map<string, V>: a plain `Record<string, V>` whose entries are own enumerable properties
 *    (a `"__proto__"` key is ordinary data), like ChaincodeInput.decorations. Encoded in the
 *    record's key order. An entry without a value decodes to V's default (empty bytes, or the
 *    all-default message).
 *  - map<uint64, V> (only BlockAndPrivateData.privateDataMap): a `Map<number, V>`; keys are
 *    non-negative safe integers and are encoded in ascending order.
 *  - enums: fields hold the plain number (any int32 is carried); the TS const objects and their
 *    `*Name(code)` lookups name the values Fabric defines.
 *  - 64-bit integers: JS numbers, exact up to 2^53 - 1; decoding refuses larger values
 *    (runtime.ts StrictReader).
 */
import { EMPTY_BYTES, type Bytes } from '../protocol/messages.js';

/** The member of a oneof that is set: its field name (camelCase) and its value. */
export interface OneOf<K extends string, V> {
  readonly case: K;
  readonly value: V;
}

/** A message without fields (SeekNewest, SubmitResponse, Capability, ...). */
export type Empty = Record<string, never>;

/**
 * Reverse lookup of a Fabric enum's const object: the name of a number, or `undefined` for a
 * number the enum does not define.
 */
export function enumNames<E extends Record<string, number>>(values: E): (code: number) => (keyof E & string) | undefined {
  const byNumber = new Map<number, keyof E & string>();
  for (const name of Object.keys(values) as (keyof E & string)[]) byNumber.set(values[name]!, name);
  return (code) => byNumber.get(code);
}

/** Sets `key` as an own, enumerable data property (a plain assignment to "__proto__" would not). */
function put<V>(target: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** map<string, V> for the generated encoder: every value mapped; an empty record is not written. */
export function wireRecord<V, W>(record: Readonly<Record<string, V>>, toWire: (v: V) => W): Record<string, W> | undefined {
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  const out: Record<string, W> = {};
  for (const key of keys) put(out, key, toWire(record[key]!));
  return out;
}

/** A decoded map<string, message>: an entry without a value (null) becomes the default message. */
export function recordOf<W, V>(decoded: Record<string, W | null> | null | undefined, fromWire: (w: W) => V, empty: () => V): Record<string, V> {
  const out: Record<string, V> = {};
  if (!decoded) return out;
  for (const key of Object.keys(decoded)) {
    const w = decoded[key];
    put(out, key, w === null || w === undefined ? empty() : fromWire(w));
  }
  return out;
}

/** A decoded map<string, bytes>: absent or empty values become EMPTY_BYTES. */
export function bytesRecordOf(decoded: Record<string, Uint8Array | null> | null | undefined): Record<string, Bytes> {
  return recordOf(decoded, (b) => (b.length === 0 ? EMPTY_BYTES : b), () => EMPTY_BYTES);
}

/** map<uint64, V> for the generated encoder, keys ascending; an empty map is not written. */
export function wireUint64Map<V, W>(map: ReadonlyMap<number, V>, toWire: (v: V) => W): Record<string, W> | undefined {
  if (map.size === 0) return undefined;
  const out: Record<string, W> = {};
  for (const key of [...map.keys()].sort((a, b) => a - b)) out[String(key)] = toWire(map.get(key)!);
  return out;
}

/** A decoded map<uint64, message> (keys arrive as decimal strings of JS numbers). */
export function uint64MapOf<W, V>(decoded: Record<string, W | null> | null | undefined, fromWire: (w: W) => V, empty: () => V): Map<number, V> {
  const out = new Map<number, V>();
  if (!decoded) return out;
  for (const key of Object.keys(decoded)) {
    const w = decoded[key];
    out.set(Number(key), w === null || w === undefined ? empty() : fromWire(w));
  }
  return out;
}

/** Repeated messages for the generated encoder; an empty list is not written. */
export function wireList<V, W>(items: readonly V[], toWire: (v: V) => W): W[] | undefined {
  return items.length === 0 ? undefined : items.map(toWire);
}

/** Decoded repeated messages. */
export function listOf<W, V>(decoded: readonly W[] | null | undefined, fromWire: (w: W) => V): V[] {
  return decoded ? decoded.map(fromWire) : [];
}

/** Decoded repeated bytes: empty elements become EMPTY_BYTES (as bytesOf does for single fields). */
export function bytesListOf(decoded: readonly Uint8Array[] | null | undefined): Bytes[] {
  return decoded ? decoded.map((b) => (b.length === 0 ? EMPTY_BYTES : b)) : [];
}
