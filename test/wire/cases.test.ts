/** Hand-picked wire cases: the rules of docs/protocol.md §5/§6.3 and the strictness wireCheck adds. */
import { describe, expect, it } from 'vitest';
import type { DecodeResult, Message } from '../../src/protocol/messages.js';
import { EMPTY_BYTES, NO_ADDITIONAL_PARAMS } from '../../src/protocol/messages.js';
import { protos } from '../../src/wire/generated/protos.js';
import {
  decodeChaincodeInput,
  decodeGetState,
  decodeMessage,
  decodeTimestamp,
  encodeChaincodeAdditionalParams,
  encodeChaincodeInput,
  encodeGetState,
  encodeMessage,
  encodePutState,
  encodeTimestamp,
} from '../../src/wire/index.js';
import { expectSame, hex } from './oracle.js';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function ok(r: DecodeResult): Message {
  if (!r.ok) throw new Error(`expected a message, got ${r.malformed.scope}: ${r.malformed.reason}`);
  return r.message;
}

/** A frame of a known type whose payload bytes are given verbatim (UNKNOWN encodes them raw). */
function frame(code: number, payload: Uint8Array, txid = 'tx1', channelId = 'ch1'): Uint8Array {
  return encodeMessage({ type: 'UNKNOWN', code, txid, channelId, payload });
}

describe('READY payload (docs/protocol.md §6.3, Go shim handleEstablished)', () => {
  it('empty payload (Fabric <= 3.0) is all-zero params', () => {
    expect(ok(decodeMessage(bytes(0x08, 0x04)))).toMatchObject({ type: 'READY', payload: NO_ADDITIONAL_PARAMS });
  });

  it('garbage payload is "no features", not malformed', () => {
    for (const garbage of [bytes(0xff, 0xff), bytes(0x0a, 0x00), bytes(0x08), ascii('hello')]) {
      const m = ok(decodeMessage(frame(4, Uint8Array.from(garbage), '', '')));
      expect(m).toMatchObject({ type: 'READY', payload: NO_ADDITIONAL_PARAMS });
    }
  });

  it('Fabric >= 3.1 params decode, and all-zero params encode to an empty payload', () => {
    const params = { useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 100 };
    const m = ok(decodeMessage(frame(4, encodeChaincodeAdditionalParams(params), '', '')));
    expect(m).toMatchObject({ type: 'READY', payload: params });
    const zero = encodeMessage({ type: 'READY', txid: '', channelId: '', payload: NO_ADDITIONAL_PARAMS });
    expect(hex(zero)).toBe('0804');
  });
});

describe('payload failures keep the envelope', () => {
  it('truncated PUT_STATE payload: scope payload, txid and channel kept', () => {
    const full = encodePutState({ key: 'asset1', value: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), collection: '' });
    const r = decodeMessage(frame(9, full.subarray(0, full.length - 3)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.malformed).toMatchObject({ scope: 'payload', type: 'PUT_STATE', code: 9, txid: 'tx1', channelId: 'ch1' });
    expect(r.malformed.reason).toMatch(/^PutState: /);
  });

  it('REGISTER payload that only protobufjs would read as a ChaincodeID', () => {
    // Field 2 (name) sent as a varint 3, then "abc": protobufjs takes the 3 as a string length.
    const payload = bytes(0x10, 0x03, ...ascii('abc'));
    expect(protos.ChaincodeID.decode(payload).name).toBe('abc');
    const r = decodeMessage(frame(1, payload, '', ''));
    expect(r).toMatchObject({ ok: false, malformed: { scope: 'payload', type: 'REGISTER', code: 1 } });
  });

  it('envelope failure: nothing is trusted', () => {
    const r = decodeMessage(bytes(0x08, 0x09, 0x22, 0x05, ...ascii('tx')));
    expect(r).toEqual({
      ok: false,
      malformed: { scope: 'envelope', txid: '', channelId: '', reason: expect.stringMatching(/^ChaincodeMessage: /) },
    });
  });
});

describe('unknown type numbers', () => {
  it('99 is UNKNOWN with code 99', () => {
    const m = ok(decodeMessage(bytes(0x08, 99, 0x22, 0x02, ...ascii('tx'))));
    expect(m).toMatchObject({ type: 'UNKNOWN', code: 99, txid: 'tx', payload: EMPTY_BYTES });
  });

  it('12 (the gap in the enum) is UNKNOWN', () => {
    expect(ok(decodeMessage(bytes(0x08, 12)))).toMatchObject({ type: 'UNKNOWN', code: 12 });
  });

  it('a negative type (10-byte varint) is UNKNOWN and re-encodes identically', () => {
    const wire = bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    const m = ok(decodeMessage(wire));
    expect(m).toMatchObject({ type: 'UNKNOWN', code: -1 });
    expect(hex(encodeMessage(m))).toBe(hex(wire));
  });

  it('the payload of an unknown type stays raw', () => {
    const m = ok(decodeMessage(frame(26, bytes(0xde, 0xad))));
    expect(m).toMatchObject({ type: 'UNKNOWN', code: 26, txid: 'tx1', channelId: 'ch1' });
    expect(hex(m.payload as Uint8Array)).toBe('dead');
  });
});

describe('strictness beyond protobufjs (wireCheck, StrictReader)', () => {
  it('invalid UTF-8 is refused (protobuf-go rejects it in proto3 strings)', () => {
    for (const bad of [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const env = decodeMessage(bytes(0x08, 0x08, 0x22, bad.length, ...bad));
      expect(env.ok ? 'ok' : env.malformed.scope).toBe('envelope');
      const long = [...ascii('x'.repeat(40)), ...bad];
      const payload = decodeGetState(bytes(0x0a, long.length, ...long));
      expect(payload.ok).toBe(false);
    }
  });

  it('a leading byte-order mark is content and survives', () => {
    for (const key of ['\uFEFFk', `\uFEFF${'k'.repeat(40)}`]) {
      const r = decodeGetState(encodeGetState({ key, collection: '' }));
      expect(r).toEqual({ ok: true, value: { key, collection: '' } });
    }
  });

  it('lone surrogates are written as U+FFFD, as TextEncoder does', () => {
    for (const [key, expected] of [['a\uD800b', 'a\uFFFDb'], [`${'k'.repeat(40)}\uDC00`, `${'k'.repeat(40)}\uFFFD`]]) {
      expect(decodeGetState(encodeGetState({ key: key!, collection: '' }))).toEqual({
        ok: true,
        value: { key: expected, collection: '' },
      });
    }
  });

  it('refuses field number 0, stray or mismatched end-groups, 6..9-byte varints in 32-bit fields', () => {
    const cases = [
      bytes(0x00, 0x01), // field 0
      bytes(0x0c), // end-group for field 1 without a start
      bytes(0x7b, 0x0a, 0x00, 0x84, 0x01), // group 15 closed by end-group 16
      bytes(0x08, 0x89, 0x80, 0x80, 0x80, 0x80, 0x00), // type as a 6-byte varint
      bytes(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), // 11-byte varint
      bytes(0x0e), // wire type 6
      bytes(0x22, 0x80, 0x80, 0x80, 0x80, 0x08), // length 2^31
    ];
    for (const wire of cases) {
      const r = decodeMessage(wire);
      expect(r.ok, hex(wire)).toBe(false);
    }
  });

  it('accepts well-formed unknown fields, including groups, and ignores them', () => {
    const known = encodePutState({ key: 'k', value: bytes(1), collection: 'c' });
    const unknown = [
      0x78, 0x05, // field 15 varint
      0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, // field 16 fixed64
      0x8b, 0x01, 0x08, 0x01, 0x8c, 0x01, // field 17 group { 1: 1 }
      0x95, 0x01, 1, 2, 3, 4, // field 18 fixed32
    ];
    const m = ok(decodeMessage(frame(9, Uint8Array.from([...known, ...unknown]))));
    expectSame(m.payload, { key: 'k', value: bytes(1), collection: 'c' });
  });
});

describe('maps, numbers, bytes', () => {
  it('a "__proto__" map key is plain data: no prototype pollution, round trips', () => {
    const wire = bytes(0x12, 0x0e, 0x0a, 0x09, ...ascii('__proto__'), 0x12, 0x01, 0x07);
    const r = decodeChaincodeInput(wire);
    if (!r.ok) throw new Error(r.reason);
    const decorations = r.value.decorations;
    expect(Object.keys(decorations)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decorations)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decorations, '__proto__')?.value).toEqual(bytes(7));
    expect(hex(encodeChaincodeInput(r.value))).toBe(hex(wire));
  });

  it('a map entry without a value decodes to empty bytes', () => {
    const r = decodeChaincodeInput(bytes(0x12, 0x03, 0x0a, 0x01, ...ascii('k')));
    expect(r.ok && hex(r.value.decorations['k']!)).toBe('');
    expect(r.ok && r.value.decorations['k']).toBeInstanceOf(Uint8Array);
  });

  it('int64 timestamps come out as numbers, negative and large', () => {
    for (const seconds of [-62135596800, 253402300799, 0, -1, Number.MAX_SAFE_INTEGER]) {
      expect(decodeTimestamp(encodeTimestamp({ seconds, nanos: 5 }))).toEqual({ ok: true, value: { seconds, nanos: 5 } });
    }
  });

  it('a 64-bit integer beyond 2^53 - 1 is refused, not rounded (it would re-encode differently)', () => {
    // Timestamp{seconds: 2^63 - 1 (varint of nine 0xff bytes and a 0x00), nanos: 2^28}: the
    // counterexample the wire fuzz test found at 20,000 runs.
    const huge = bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x10, 0x80, 0x80, 0x80, 0x80, 0x01);
    const r = decodeTimestamp(huge);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/9223372036854775807 is beyond what a JS number holds exactly/);
    // In a ChaincodeMessage's timestamp (field 2) it is an envelope failure.
    const msg = bytes(0x08, 0x09, 0x12, huge.length, ...huge);
    const m = decodeMessage(msg);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.malformed).toMatchObject({ scope: 'envelope', reason: expect.stringMatching(/beyond what a JS number holds/) });
    // The edges that fit still round-trip exactly.
    for (const seconds of [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(decodeTimestamp(encodeTimestamp({ seconds, nanos: 0 }))).toEqual({ ok: true, value: { seconds, nanos: 0 } });
    }
  });

  it('Buffer input yields plain Uint8Array views of the same memory, never copies', () => {
    const wire = Buffer.from(encodeMessage({ type: 'RESPONSE', txid: 't', channelId: 'c', payload: bytes(1, 2, 3) }));
    const m = ok(decodeMessage(wire));
    const payload = m.payload as Uint8Array;
    expect(payload.constructor).toBe(Uint8Array);
    expect(payload.buffer).toBe(wire.buffer);
  });

  it('proto3 defaults are not written; present-but-empty sub-messages are', () => {
    expect(hex(encodeMessage({ type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES }))).toBe('0812');
    expect(hex(encodeMessage({ type: 'UNDEFINED', txid: '', channelId: '', payload: EMPTY_BYTES }))).toBe('');
    expect(hex(encodeMessage({ type: 'GET_STATE', txid: '', channelId: '', payload: { key: '', collection: '' } }))).toBe('0808');
    const withEmptyProposal = encodeMessage({
      type: 'TRANSACTION',
      txid: '',
      channelId: '',
      proposal: { proposalBytes: EMPTY_BYTES, signature: EMPTY_BYTES },
      payload: { args: [], decorations: {}, isInit: false },
    });
    expect(hex(withEmptyProposal)).toBe('08052a00');
  });

  it('the INVOKE_CHAINCODE reply nests a whole ChaincodeMessage in RESPONSE', () => {
    const inner: Message = {
      type: 'COMPLETED',
      txid: 'tx1',
      channelId: 'other',
      payload: { status: 200, message: 'OK', payload: bytes(42) },
      chaincodeEvent: { chaincodeId: 'callee', txId: 'tx1', eventName: 'e', payload: EMPTY_BYTES },
    };
    const outer = ok(decodeMessage(encodeMessage({ type: 'RESPONSE', txid: 'tx1', channelId: 'ch1', payload: encodeMessage(inner) })));
    expect(outer.type).toBe('RESPONSE');
    expectSame(ok(decodeMessage(outer.payload as Uint8Array)), inner);
  });
});
