/**
 * Totality of the decoders: arbitrary bytes and mutated valid encodings never make decodeMessage
 * or any payload decoder throw, the result is always well formed, and whatever decodes re-encodes
 * to bytes that decode to the same value (the decoded form is canonical).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../src/protocol/messages.js';
import { ALL_MESSAGE_TYPES, MessageType, type MessageTypeName } from '../../src/protocol/messageType.js';
import { decodeMessage, encodeMessage, payloadCodecs } from '../../src/wire/index.js';
import type { DecodeOutcome, UntypedCodec } from '../../src/wire/index.js';
import { assertProp } from '../support/props.js';
import { arbitraryOf, arbMessage, expectSame, NUM_RUNS } from './oracle.js';

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x7f, 0x80, 0xff, 0x08, 0x12, 0x1a) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
);
const arbMutations = fc.array(arbMutation, { minLength: 1, maxLength: 4 });

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (b.length + (m.op === 'insert' ? 1 : 0));
    switch (m.op) {
      case 'flip':
        if (b.length) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length) b[at] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

const KNOWN_CODES = new Set<number>(Object.values(MessageType));
const RAW_TYPES = new Set<MessageTypeName>(['UNDEFINED', 'REGISTERED', 'ERROR', 'RESPONSE', 'KEEPALIVE', 'UNKNOWN']);

/** Shape of a DecodeResult, and the canonical round trip of anything that decoded. */
function checkResult(r: DecodeResult): void {
  if (r.ok) {
    const m = r.message;
    expect(ALL_MESSAGE_TYPES).toContain(m.type);
    expect(typeof m.txid).toBe('string');
    expect(typeof m.channelId).toBe('string');
    if (m.type === 'UNKNOWN') {
      expect(Number.isInteger(m.code) && !KNOWN_CODES.has(m.code)).toBe(true);
    }
    if (RAW_TYPES.has(m.type)) expect(m.payload).toBeInstanceOf(Uint8Array);
    else expect(typeof m.payload).toBe('object');
    const again = decodeMessage(encodeMessage(m));
    if (!again.ok) throw new Error(`re-encoded message does not decode: ${again.malformed.reason}`);
    expectSame(again.message, m);
  } else {
    const f = r.malformed;
    expect(['envelope', 'payload']).toContain(f.scope);
    expect(typeof f.reason).toBe('string');
    expect(f.reason.length).toBeGreaterThan(0);
    expect(typeof f.txid).toBe('string');
    expect(typeof f.channelId).toBe('string');
    if (f.scope === 'envelope') {
      expect([f.txid, f.channelId, f.type, f.code]).toEqual(['', '', undefined, undefined]);
    } else {
      expect(KNOWN_CODES.has(f.code!)).toBe(true);
      expect(ALL_MESSAGE_TYPES).toContain(f.type);
    }
  }
}

function checkOutcome(codec: UntypedCodec, r: DecodeOutcome<unknown>): void {
  if (r.ok) {
    expect(typeof r.value).toBe('object');
    const again = codec.decode(codec.encode(r.value as never));
    if (!again.ok) throw new Error(`re-encoded value does not decode: ${again.reason}`);
    expectSame(again.value, r.value);
  } else {
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
  }
}

/** Bytes that look a little like protobuf: tags of small fields, short lengths. */
const arbProtobufish = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x08, 0x10, 0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x0b, 0x0c, 0x01, 0x00)), {
    maxLength: 64,
  })
  .map((xs) => Uint8Array.from(xs));
const arbGarbage = fc.oneof(fc.uint8Array({ maxLength: 64 }), arbProtobufish);

describe('decoders are total', () => {
  it('decodeMessage: arbitrary bytes (prop)', () => {
    assertProp(fc.property(arbGarbage, (bytes) => checkResult(decodeMessage(bytes))), { runs: NUM_RUNS * 5 });
  });

  it('decodeMessage: mutated valid encodings of every type (prop)', () => {
    const arbEncoded = fc.constantFrom(...ALL_MESSAGE_TYPES).chain((t) => arbMessage(t)).map(encodeMessage);
    assertProp(
      fc.property(arbEncoded, arbMutations, (bytes, ms) => checkResult(decodeMessage(mutate(bytes, ms)))),
      { runs: NUM_RUNS * 5 },
    );
  });

  it('decodeMessage: typed payloads replaced by garbage (prop)', () => {
    const arb = fc.record({
      type: fc.constantFrom(...ALL_MESSAGE_TYPES.filter((t) => t !== 'UNKNOWN')),
      payload: arbGarbage,
      txid: fc.string({ maxLength: 8 }),
    });
    assertProp(
      fc.property(arb, ({ type, payload, txid }) => {
        const bytes = encodeMessage({ type: 'UNKNOWN', code: MessageType[type], txid, channelId: 'ch', payload });
        const r = decodeMessage(bytes);
        checkResult(r);
        if (!r.ok) expect(r.malformed).toMatchObject({ scope: 'payload', type, txid, channelId: 'ch' });
      }),
      { runs: NUM_RUNS * 5 },
    );
  });

  it('decodeMessage: inputs that are not bytes at all', () => {
    for (const junk of [null, undefined, 42, 'text', {}, [1, 2, 3]]) {
      const r = decodeMessage(junk as unknown as Uint8Array);
      expect(r.ok).toBe(false);
    }
  });

  for (const [name, codec] of Object.entries(payloadCodecs)) {
    it(`${name}: arbitrary and mutated bytes (prop)`, () => {
      const arbInput = fc.oneof(
        arbGarbage,
        fc.tuple(arbitraryOf(name), arbMutations).map(([v, ms]) => mutate(codec.encode(v as never), ms)),
      );
      assertProp(fc.property(arbInput, (bytes) => checkOutcome(codec, codec.decode(bytes))), { runs: NUM_RUNS });
    });
  }
});
