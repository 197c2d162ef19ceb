/**
 * State requests through the request server against a real in-memory WorldState: payload mapping
 * (collection -> private variants), RESPONSE payloads decoded back with the wire decoders, and
 * the handler.go texts for private data, Init and write batches.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WriteRecordType, type WriteRecord } from '../../../src/protocol/messages.js';
import { decodeGetStateMultipleResult, decodeStateMetadataResult } from '../../../src/wire/index.js';
import { dec, enc, EMPTY, expectCause, newSim, okPayload, openWs, req, seed, serverFor, unwrap } from './helpers.js';

const INIT_TEXT = 'private data APIs are not allowed in chaincode Init()';
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('GET_STATE', () => {
  it('answers the raw committed value, and an empty payload for a missing key', async () => {
    const ws = await openWs();
    await seed(ws, [['a', 'alpha']]);
    const serve = serverFor(newSim(ws));
    expect(dec(okPayload(await serve(req('GET_STATE', { key: 'a', collection: '' }))))).toBe('alpha');
    expect(okPayload(await serve(req('GET_STATE', { key: 'missing', collection: '' })))).toEqual(EMPTY);
    await ws.close();
  });

  it('reads private data when a collection is set', async () => {
    const ws = await openWs();
    await seed(ws, [['p', 'secret']], 'org1');
    await seed(ws, [['p', 'public']]);
    const serve = serverFor(newSim(ws));
    expect(dec(okPayload(await serve(req('GET_STATE', { key: 'p', collection: 'org1' }))))).toBe('secret');
    expect(dec(okPayload(await serve(req('GET_STATE', { key: 'p', collection: '' }))))).toBe('public');
    await ws.close();
  });

  it('never sees the transaction\'s own writes', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    expect((await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: '' }))).ok).toBe(true);
    expect(okPayload(await serve(req('GET_STATE', { key: 'k', collection: '' })))).toEqual(EMPTY);
    await ws.close();
  });
});

describe('private data rules (docs/protocol.md §8.3)', () => {
  it('refuses every collection request in Init with the handler text, public requests still work', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws, { isInit: true }));
    const c = 'org1';
    for (const r of [
      req('GET_STATE', { key: 'k', collection: c }),
      req('PUT_STATE', { key: 'k', value: enc('v'), collection: c }),
      req('DEL_STATE', { key: 'k', collection: c }),
      req('GET_STATE_METADATA', { key: 'k', collection: c }),
      req('PUT_STATE_METADATA', { key: 'k', collection: c, metadata: { metakey: 'm', value: enc('x') } }),
      req('GET_STATE_MULTIPLE', { keys: ['k'], collection: c }),
      req('GET_STATE_BY_RANGE', { startKey: '', endKey: '', collection: c, metadata: EMPTY }),
      req('GET_QUERY_RESULT', { query: '{"selector":{}}', collection: c, metadata: EMPTY }),
      req('PURGE_PRIVATE_DATA', { key: 'k', collection: c }),
      // GET_PRIVATE_DATA_HASH checks Init whatever the collection (even unknown or empty).
      req('GET_PRIVATE_DATA_HASH', { key: 'k', collection: c }),
      req('GET_PRIVATE_DATA_HASH', { key: 'k', collection: '' }),
      req('WRITE_BATCH_STATE', { records: [{ key: 'k', value: enc('v'), collection: c, metadata: undefined, type: WriteRecordType.PUT_STATE }] }),
    ]) {
      expectCause(await serve(r), INIT_TEXT);
    }
    expect((await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: '' }))).ok).toBe(true);
    expect((await serve(req('GET_STATE', { key: 'k', collection: '' }))).ok).toBe(true);
    await ws.close();
  });

  it('checks member-only read and write permission with the handler texts', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws, { creatorMspId: 'Org2MSP' }));
    const read = 'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: org1';
    const write = 'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: org1';
    expectCause(await serve(req('GET_STATE', { key: 'k', collection: 'org1' })), read);
    expectCause(await serve(req('GET_STATE_MULTIPLE', { keys: ['k'], collection: 'org1' })), read);
    expectCause(await serve(req('GET_STATE_METADATA', { key: 'k', collection: 'org1' })), read);
    expectCause(await serve(req('GET_STATE_BY_RANGE', { startKey: '', endKey: '', collection: 'org1', metadata: EMPTY })), read);
    expectCause(await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: 'org1' })), write);
    expectCause(await serve(req('DEL_STATE', { key: 'k', collection: 'org1' })), write);
    expectCause(await serve(req('PURGE_PRIVATE_DATA', { key: 'k', collection: 'org1' })), write);
    expectCause(await serve(req('PUT_STATE_METADATA', { key: 'k', collection: 'org1', metadata: { metakey: 'm', value: enc('x') } })), write);
    // No membership check for the hash (HandleGetPrivateDataHash).
    expect(okPayload(await serve(req('GET_PRIVATE_DATA_HASH', { key: 'k', collection: 'org1' })))).toEqual(EMPTY);
    // A collection without member-only flags is open to everyone.
    expect((await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: 'open' }))).ok).toBe(true);
    await ws.close();
  });

  it('names unknown collections as the handler (permission lookup) or the ledger (hash) does', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    expectCause(await serve(req('GET_STATE', { key: 'k', collection: 'nope' })), 'collection ch1/cc/nope could not be found');
    expectCause(
      await serve(req('GET_PRIVATE_DATA_HASH', { key: 'k', collection: 'nope' })),
      'collection [nope] not defined in the collection config for chaincode [cc]',
    );
    await ws.close();
  });
});

describe('GET_PRIVATE_DATA_HASH', () => {
  it('answers the SHA-256 of the committed private value, empty when absent', async () => {
    const ws = await openWs();
    await seed(ws, [['p', 'secret']], 'org1');
    const serve = serverFor(newSim(ws));
    expect(okPayload(await serve(req('GET_PRIVATE_DATA_HASH', { key: 'p', collection: 'org1' })))).toEqual(sha256(enc('secret')));
    expect(okPayload(await serve(req('GET_PRIVATE_DATA_HASH', { key: 'q', collection: 'org1' })))).toEqual(EMPTY);
    await ws.close();
  });
});

describe('writes', () => {
  it('PUT_STATE / DEL_STATE / private variants answer empty payloads and land in the rwset', async () => {
    const ws = await openWs();
    const s = newSim(ws);
    const serve = serverFor(s);
    for (const r of [
      req('PUT_STATE', { key: 'a', value: enc('1'), collection: '' }),
      req('DEL_STATE', { key: 'b', collection: '' }),
      req('PUT_STATE', { key: 'c', value: EMPTY, collection: '' }),
      req('PUT_STATE', { key: 'p', value: enc('x'), collection: 'org1' }),
      req('DEL_STATE', { key: 'q', collection: 'org1' }),
    ]) {
      expect(okPayload(await serve(r))).toEqual(EMPTY);
    }
    const rw = await s.result();
    const ns = rw.publicRwSet.find((n) => n.namespace === 'cc');
    expect(ns?.writes.map((w) => [w.key, w.isDelete, dec(w.value)])).toEqual([
      ['a', false, '1'],
      ['b', true, ''],
      // An empty value is recorded as a delete (rwsetutil newKVWrite).
      ['c', true, ''],
    ]);
    const pvt = rw.privateRwSet.find((n) => n.namespace === 'cc')?.collectionPvtRwSets.find((c) => c.collectionName === 'org1');
    expect(pvt?.writes.map((w) => [w.key, w.isDelete, dec(w.value)])).toEqual([
      ['p', false, 'x'],
      ['q', true, ''],
    ]);
    await ws.close();
  });

  it('PURGE_PRIVATE_DATA needs a collection and records a purge', async () => {
    const ws = await openWs();
    const s = newSim(ws);
    const serve = serverFor(s);
    expectCause(await serve(req('PURGE_PRIVATE_DATA', { key: 'k', collection: '' })), 'only applicable for private data');
    expect(okPayload(await serve(req('PURGE_PRIVATE_DATA', { key: 'k', collection: 'org1' })))).toEqual(EMPTY);
    const pvt = (await s.result()).privateRwSet[0]?.collectionPvtRwSets[0];
    expect(pvt?.writes).toEqual([{ key: 'k', isDelete: true, isPurge: true, value: EMPTY }]);
    await ws.close();
  });

  it('surfaces ledger key validation (CouchDB flavour) as the cause', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    expectCause(await serve(req('PUT_STATE', { key: '_bad', value: enc('v'), collection: '' })), 'invalid key [_bad], cannot begin with "_"');
    await ws.close();
  });
});

describe('GET_STATE_METADATA / PUT_STATE_METADATA', () => {
  it('answers a StateMetadataResult of the committed entries (empty for none)', async () => {
    const ws = await openWs();
    const s0 = newSim(ws);
    await s0.putState('k', enc('v'));
    await s0.putStateMetadata('k', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') });
    await ws.commit(s0);
    const serve = serverFor(newSim(ws));
    const r = unwrap(decodeStateMetadataResult(okPayload(await serve(req('GET_STATE_METADATA', { key: 'k', collection: '' })))));
    expect(r.entries).toEqual([{ metakey: 'VALIDATION_PARAMETER', value: enc('ep') }]);
    const none = okPayload(await serve(req('GET_STATE_METADATA', { key: 'other', collection: '' })));
    expect(none).toEqual(EMPTY);
    await ws.close();
  });

  it('records the metadata write and answers an empty payload', async () => {
    const ws = await openWs();
    const s = newSim(ws);
    const serve = serverFor(s);
    const r = await serve(req('PUT_STATE_METADATA', { key: 'k', collection: '', metadata: { metakey: 'm', value: enc('x') } }));
    expect(okPayload(r)).toEqual(EMPTY);
    expect((await s.result()).publicRwSet[0]?.metadataWrites).toEqual([{ key: 'k', entries: [{ metakey: 'm', value: enc('x') }] }]);
    await ws.close();
  });

  it('without metadata answers Fabric\'s recovered-panic text, before the Init check', async () => {
    const ws = await openWs();
    for (const isInit of [false, true]) {
      const serve = serverFor(newSim(ws, { isInit }));
      expectCause(await serve(req('PUT_STATE_METADATA', { key: 'k', collection: 'org1', metadata: undefined })), 'panic during execution');
      expectCause(await serve(req('PUT_STATE_METADATA', { key: 'k', collection: '', metadata: undefined })), 'panic during execution');
    }
    await ws.close();
  });
});

describe('GET_STATE_MULTIPLE', () => {
  it('answers one value per key in request order, empty entries for missing keys', async () => {
    const ws = await openWs();
    await seed(ws, [['a', 'A'], ['c', 'C']]);
    const serve = serverFor(newSim(ws));
    const keys = ['c', 'missing', 'a', 'c', ''];
    const r = unwrap(decodeGetStateMultipleResult(okPayload(await serve(req('GET_STATE_MULTIPLE', { keys, collection: '' })))));
    expect(r.values.map(dec)).toEqual(['C', '', 'A', 'C', '']);
    const none = unwrap(decodeGetStateMultipleResult(okPayload(await serve(req('GET_STATE_MULTIPLE', { keys: [], collection: '' })))));
    expect(none.values).toEqual([]);
    await ws.close();
  });

  it('reads private values with a collection', async () => {
    const ws = await openWs();
    await seed(ws, [['x', 'X']], 'org1');
    const serve = serverFor(newSim(ws));
    const r = unwrap(decodeGetStateMultipleResult(okPayload(await serve(req('GET_STATE_MULTIPLE', { keys: ['y', 'x'], collection: 'org1' })))));
    expect(r.values.map(dec)).toEqual(['', 'X']);
    await ws.close();
  });
});

describe('WRITE_BATCH_STATE', () => {
  const rec = (type: number, key: string, extra: Partial<WriteRecord> = {}): WriteRecord => ({
    key,
    value: enc(`v-${key}`),
    collection: '',
    metadata: undefined,
    type,
    ...extra,
  });

  it('applies every record type in order and answers an empty payload', async () => {
    const ws = await openWs();
    const s = newSim(ws);
    const serve = serverFor(s);
    const records = [
      rec(WriteRecordType.PUT_STATE, 'a'),
      rec(WriteRecordType.DEL_STATE, 'b'),
      rec(WriteRecordType.PUT_STATE_METADATA, 'a', { metadata: { metakey: 'm', value: enc('1') } }),
      // Metadata record without metadata: the batch handler copies through nil-safe getters.
      rec(WriteRecordType.PUT_STATE_METADATA, 'c'),
      rec(WriteRecordType.PUT_STATE, 'p', { collection: 'org1' }),
      rec(WriteRecordType.PURGE_PRIVATE_DATA, 'q', { collection: 'org1' }),
    ];
    expect(okPayload(await serve(req('WRITE_BATCH_STATE', { records })))).toEqual(EMPTY);
    const rw = await s.result();
    const ns = rw.publicRwSet[0];
    expect(ns?.writes.map((w) => [w.key, w.isDelete])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(ns?.metadataWrites).toEqual([
      { key: 'a', entries: [{ metakey: 'm', value: enc('1') }] },
      { key: 'c', entries: [{ metakey: '', value: EMPTY }] },
    ]);
    expect(rw.privateRwSet[0]?.collectionPvtRwSets[0]?.writes.map((w) => [w.key, w.isPurge])).toEqual([
      ['p', false],
      ['q', true],
    ]);
    await ws.close();
  });

  it('stops at the first failing record; earlier records stay applied', async () => {
    const ws = await openWs();
    const s = newSim(ws, { creatorMspId: 'Org2MSP' });
    const serve = serverFor(s);
    const records = [
      rec(WriteRecordType.PUT_STATE, 'first'),
      rec(WriteRecordType.PUT_STATE, 'denied', { collection: 'org1' }),
      rec(WriteRecordType.PUT_STATE, 'never'),
    ];
    expectCause(
      await serve(req('WRITE_BATCH_STATE', { records })),
      'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: org1',
    );
    expect((await s.result()).publicRwSet[0]?.writes.map((w) => w.key)).toEqual(['first']);
    await ws.close();
  });

  it('refuses an unknown record type with `unknown operation type`', async () => {
    const ws = await openWs();
    const s = newSim(ws);
    const serve = serverFor(s);
    const records = [rec(WriteRecordType.PUT_STATE, 'a'), rec(WriteRecordType.UNDEFINED, 'b'), rec(99, 'c')];
    expectCause(await serve(req('WRITE_BATCH_STATE', { records })), 'unknown operation type');
    expect((await s.result()).publicRwSet[0]?.writes.map((w) => w.key)).toEqual(['a']);
    await ws.close();
  });

  it('an empty batch is fine', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    expect(okPayload(await serve(req('WRITE_BATCH_STATE', { records: [] })))).toEqual(EMPTY);
    await ws.close();
  });
});
