/**
 * The server as a whole: context checks at creation, error-to-cause mapping (LedgerError text
 * vs recovered panic), requests after the simulation or the world state ended, and a property:
 * random request sequences (valid, invalid, private, paginated, cc2cc with a misbehaving
 * runtime) never reject and always answer a well-formed ServeResult.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestServer, type InvokeOutcome } from '../../../src/peer/serve/index.js';
import type { RequestMessage } from '../../../src/protocol/inputs.js';
import type { Message, WriteRecord } from '../../../src/protocol/messages.js';
import { decodeGetStateMultipleResult, decodeQueryResponse, decodeStateMetadataResult, encodeQueryMetadata } from '../../../src/wire/index.js';
import { assertProp } from '../../support/props.js';
import { dec, enc, EMPTY, expectCause, newSim, okPayload, openWs, req, seed, serverFor } from './helpers.js';

describe('createRequestServer', () => {
  it('refuses a context that does not describe its simulation', async () => {
    const ws = await openWs();
    const sim = newSim(ws);
    const base = { simulation: sim, namespace: 'cc', isInit: false, channel: 'ch1', invokeChaincode: async (): Promise<InvokeOutcome> => ({ ok: false, cause: 'x' }) };
    expect(() => createRequestServer(base)).not.toThrow();
    expect(() => createRequestServer({ ...base, namespace: 'other' })).toThrow(/namespace/);
    expect(() => createRequestServer({ ...base, channel: 'ch2' })).toThrow(/channel/);
    expect(() => createRequestServer({ ...base, isInit: true })).toThrow(/isInit/);
    await ws.close();
  });

  it('answers `panic during execution` for a non-LedgerError and reports it to onPanic', async () => {
    const ws = await openWs();
    const panics: unknown[] = [];
    const serve = serverFor(newSim(ws), (async () => undefined) as unknown as () => Promise<InvokeOutcome>, {
      onPanic: (e) => {
        panics.push(e);
        throw new Error('hook failure is ignored');
      },
    });
    const r = req('INVOKE_CHAINCODE', { type: 0, chaincodeId: { name: 'x', path: '', version: '' }, input: { args: [], decorations: {}, isInit: false }, timeout: 0 });
    expectCause(await serve(r), 'panic during execution');
    expect(panics).toHaveLength(1);
    expect(panics[0]).toBeInstanceOf(TypeError);
    // A LedgerError (even one with the panic text) is not a bug of this process.
    expectCause(await serve(req('PUT_STATE_METADATA', { key: 'k', collection: '', metadata: undefined })), 'panic during execution');
    expectCause(await serve(req('QUERY_STATE_NEXT', { id: 'x' })), 'query iterator not found');
    expect(panics).toHaveLength(1);
    await ws.close();
  });

  it('a request type outside the catalogue is a recovered panic, not a rejection', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    expectCause(await serve({ type: 'KEEPALIVE', payload: EMPTY, txid: 't', channelId: 'ch1' } as unknown as RequestMessage), 'panic during execution');
    expectCause(await serve(req('GET_STATE', null as never)), 'panic during execution');
    await ws.close();
  });

  it('after the simulation ended, and after the world state closed, requests get the ledger\'s texts', async () => {
    const ws = await openWs();
    await seed(ws, [['a', 'A']]);
    const sim = newSim(ws);
    const serve = serverFor(sim);
    expect(dec(okPayload(await serve(req('GET_STATE', { key: 'a', collection: '' }))))).toBe('A');
    await sim.done();
    expectCause(await serve(req('GET_STATE', { key: 'a', collection: '' })), 'this instance should not be used after calling Done()');
    expect((await serve(req('QUERY_STATE_CLOSE', { id: 'it-9' }))).ok).toBe(true);
    const live = serverFor(newSim(ws));
    await ws.close();
    expectCause(await live(req('GET_STATE', { key: 'a', collection: '' })), 'world state is closed');
  });
});

// ---- property ----------------------------------------------------------------------------------

const key = fc.constantFrom('a', 'b', 'k1', 'k2', '', '_x', '\u0000c\u0000k\u0000', 'z');
const coll = fc.constantFrom('', '', '', 'org1', 'open', 'nope');
const value = fc.oneof(fc.constant(EMPTY), fc.uint8Array({ maxLength: 8 }), fc.constantFrom(enc('{"a":1}'), enc('{"_id":1}'), enc('{"a":"x"}')));
const queryMeta = fc.oneof(
  fc.constant(EMPTY),
  fc.record({ pageSize: fc.constantFrom(-1, 0, 1, 2, 200), bookmark: fc.constantFrom('', 'b', 'k1', 'ccb1_garbage') }).map((m) => Uint8Array.from(encodeQueryMetadata(m))),
  fc.uint8Array({ maxLength: 6 }),
);
const query = fc.constantFrom('{"selector":{}}', '{"selector":{"a":{"$gt":0}}}', '{bad', '{"selector":{},"sort":[{"a":"asc"}]}', '{"selector":{"$nope":1}}');
const iterId = fc.constantFrom('it-1', 'it-2', 'it-3', 'it-4', 'nope', '');
const record: fc.Arbitrary<WriteRecord> = fc.record({
  key,
  value,
  collection: coll,
  metadata: fc.option(fc.record({ metakey: fc.constantFrom('m', ''), value }), { nil: undefined }),
  type: fc.constantFrom(0, 9, 10, 21, 23, 7),
});
const ccName = fc.oneof(fc.constantFrom('other', 'other:1/ch2', 'other/ch1', '/', ':'), fc.string({ maxLength: 8 }));

const request: fc.Arbitrary<RequestMessage> = fc.oneof(
  fc.record({ key, collection: coll }).map((p) => req('GET_STATE', p)),
  fc.record({ key, value, collection: coll }).map((p) => req('PUT_STATE', p)),
  fc.record({ key, collection: coll }).map((p) => req('DEL_STATE', p)),
  fc
    .record({ name: ccName, withId: fc.boolean(), withInput: fc.boolean(), isInit: fc.boolean() })
    .map(({ name, withId, withInput, isInit }) =>
      req('INVOKE_CHAINCODE', {
        type: 0,
        chaincodeId: withId ? { name, path: '', version: '' } : undefined,
        input: withInput ? { args: [enc('f')], decorations: {}, isInit } : undefined,
        timeout: 0,
      }),
    ),
  fc.record({ startKey: key, endKey: key, collection: coll, metadata: queryMeta }).map((p) => req('GET_STATE_BY_RANGE', p)),
  fc.record({ query, collection: coll, metadata: queryMeta }).map((p) => req('GET_QUERY_RESULT', p)),
  iterId.map((id) => req('QUERY_STATE_NEXT', { id })),
  iterId.map((id) => req('QUERY_STATE_CLOSE', { id })),
  key.map((k) => req('GET_HISTORY_FOR_KEY', { key: k })),
  fc.record({ key, collection: coll }).map((p) => req('GET_STATE_METADATA', p)),
  fc
    .record({ key, collection: coll, metadata: fc.option(fc.record({ metakey: fc.constantFrom('m', 'VALIDATION_PARAMETER'), value }), { nil: undefined }) })
    .map((p) => req('PUT_STATE_METADATA', p)),
  fc.record({ key, collection: coll }).map((p) => req('GET_PRIVATE_DATA_HASH', p)),
  fc.record({ key, collection: coll }).map((p) => req('PURGE_PRIVATE_DATA', p)),
  fc.array(record, { maxLength: 4 }).map((records) => req('WRITE_BATCH_STATE', { records })),
  fc.record({ keys: fc.array(key, { maxLength: 5 }), collection: coll }).map((p) => req('GET_STATE_MULTIPLE', p)),
);

const completed: Message = { type: 'COMPLETED', payload: { status: 200, message: '', payload: enc('r') }, txid: 't', channelId: 'ch1' };
const invokeBehaviour = fc.constantFrom<() => Promise<InvokeOutcome>>(
  async () => ({ ok: true, message: completed }),
  async () => ({ ok: true, message: { type: 'ERROR', payload: enc('boom'), txid: 't', channelId: 'ch1' } }),
  async () => ({ ok: false, cause: 'timeout' }),
  async () => {
    throw new Error('launch failed');
  },
  () => Promise.reject('not an error'),
  (async () => null) as unknown as () => Promise<InvokeOutcome>,
);

type Step = { kind: 'request'; request: RequestMessage } | { kind: 'commitOther' } | { kind: 'end' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: request.map((r) => ({ kind: 'request' as const, request: r })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'commitOther' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'end' as const }) },
);

describe('prop: the server never rejects', () => {
  it('prop: random request sequences always resolve to a well-formed ServeResult', async () => {
    await assertProp(
      fc.asyncProperty(
        fc.record({
          isInit: fc.boolean(),
          mspId: fc.constantFrom('Org1MSP', 'Org2MSP'),
          leveldb: fc.boolean(),
          invoke: invokeBehaviour,
          steps: fc.array(step, { maxLength: 25 }),
        }),
        async ({ isInit, mspId, leveldb, invoke, steps }) => {
          const ws = await openWs({ stateDatabase: leveldb ? 'goleveldb' : 'CouchDB', totalQueryLimit: 150 });
          try {
            const seeded: [string, string][] = Array.from({ length: 120 }, (_, i) => [`k${i}`, `{"a":${i}}`]);
            await seed(ws, [...seeded, ['a', 'A']]);
            await seed(ws, [['a', 'pa'], ['k1', 'pk1']], 'org1');
            const sim = newSim(ws, { isInit, creatorMspId: mspId });
            const panics: string[] = [];
            const serve = serverFor(sim, invoke, { onPanic: (_e, r) => void panics.push(r.type) });
            let ended = false;
            for (const s of steps) {
              if (s.kind === 'end') {
                await sim.done();
                ended = true;
                continue;
              }
              if (s.kind === 'commitOther') {
                await seed(ws, [['a', 'changed'], ['new', 'n']]);
                continue;
              }
              const r = await serve(s.request);
              if (r.ok) {
                expect(r.payload).toBeInstanceOf(Uint8Array);
                // Payload shapes decode as the request type says.
                if (['GET_STATE_BY_RANGE', 'GET_QUERY_RESULT', 'QUERY_STATE_NEXT', 'QUERY_STATE_CLOSE', 'GET_HISTORY_FOR_KEY'].includes(s.request.type)) {
                  expect(decodeQueryResponse(r.payload).ok).toBe(true);
                }
                if (s.request.type === 'GET_STATE_MULTIPLE') {
                  const d = decodeGetStateMultipleResult(r.payload);
                  expect(d.ok && d.value.values.length).toBe(s.request.payload.keys.length);
                }
                if (s.request.type === 'GET_STATE_METADATA') expect(decodeStateMetadataResult(r.payload).ok).toBe(true);
                // Reads come from the snapshot taken at the start: never the later commit, never own writes.
                if (s.request.type === 'GET_STATE' && s.request.payload.collection === '' && s.request.payload.key === 'a') {
                  expect(dec(r.payload)).toBe('A');
                }
                // After the end only what never reaches the simulator succeeds (as in Fabric: closing,
                // cc2cc through the runtime, an empty write batch).
                const untouched =
                  s.request.type === 'QUERY_STATE_CLOSE' ||
                  s.request.type === 'INVOKE_CHAINCODE' ||
                  (s.request.type === 'WRITE_BATCH_STATE' && s.request.payload.records.length === 0);
                expect(ended && !untouched).toBe(false);
              } else {
                expect(typeof r.cause).toBe('string');
                expect(r.cause.length).toBeGreaterThan(0);
                // Fabric's panic text only where Fabric panics (nil fields) or the runtime misbehaves.
                if (r.cause === 'panic during execution') expect(['INVOKE_CHAINCODE', 'PUT_STATE_METADATA']).toContain(s.request.type);
              }
            }
            // Only the misbehaving runtime (resolving to null) is a bug of this process.
            expect(panics.every((t) => t === 'INVOKE_CHAINCODE')).toBe(true);
          } finally {
            await ws.close();
          }
        },
      ),
      { runs: 60, seed: 0x5e12ed },
    );
  });
});
