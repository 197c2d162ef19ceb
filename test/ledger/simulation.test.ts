/**
 * Simulation semantics: no read-your-own-writes, read/write sets, transaction-shape restrictions
 * with Fabric's texts, CouchDB key/value validation, write batches, metadata, end of simulation.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ledger/bytes.js';
import { LedgerError } from '../../src/ledger/index.js';
import type { WriteRecord } from '../../src/protocol/messages.js';
import { dec, enc, memWs, seed, sim } from './helpers.js';

const PVT = JSON.stringify([{ name: 'pvt', policy: "OR('Org1MSP.member')", requiredPeerCount: 0, maxPeerCount: 1 }]);

describe('reads see committed state only', () => {
  it('GET_STATE, GET_STATE_MULTIPLE, range and rich queries ignore the transaction own writes', async () => {
    const ws = await memWs();
    await seed(ws, { a: '{"v":1}' });
    const s = sim(ws);
    await s.putState('a', enc('{"v":2}'));
    await s.putState('b', enc('{"v":3}'));
    await s.delState('a');
    expect(dec(await s.getState('a'))).toBe('{"v":1}');
    expect((await s.getState('b')).length).toBe(0);
    expect((await s.getStateMultiple(['b', 'a', 'zz'])).map(dec)).toEqual(['', '{"v":1}', '']);
    expect((await s.getStateByRange('', '')).results.map((r) => r.key)).toEqual(['a']);
    expect((await s.getQueryResult('{"selector":{"v":{"$gt":0}}}')).results.map((r) => r.key)).toEqual(['a']);
    await ws.close();
  });

  it('a simulation keeps reading the state of its start even when others commit', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' });
    const s = sim(ws);
    await seed(ws, { a: '2', b: '2' });
    expect(dec(await s.getState('a'))).toBe('1');
    expect((await s.getStateByRange('', '')).results).toHaveLength(1);
    expect(dec(await sim(ws).getState('a'))).toBe('2');
    await ws.close();
  });
});

describe('read/write set', () => {
  it('records committed versions, writes, deletes and metadata writes, sorted by key', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' });
    await seed(ws, { b: '2' });
    const s = sim(ws, { txId: 'tx-rw' });
    await s.getState('b');
    await s.getState('a');
    await s.getState('missing');
    await s.getStateMultiple(['a', 'm2']);
    await s.getStateMetadata('b');
    await s.putState('z', enc('Z'));
    await s.putState('y', new Uint8Array());
    await s.delState('a');
    await s.putStateMetadata('b', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') });
    const rw = await s.result();
    expect(rw.channel).toBe('ch1');
    expect(rw.txId).toBe('tx-rw');
    const [ns] = rw.publicRwSet;
    expect(ns?.namespace).toBe('cc');
    expect(ns?.reads).toEqual([
      { key: 'a', version: { blockNum: 1, txNum: 0 } },
      { key: 'b', version: { blockNum: 2, txNum: 0 } },
      { key: 'm2', version: undefined },
      { key: 'missing', version: undefined },
    ]);
    expect(ns?.writes).toEqual([
      { key: 'a', isDelete: true, value: new Uint8Array() },
      { key: 'y', isDelete: true, value: new Uint8Array() },
      { key: 'z', isDelete: false, value: enc('Z') },
    ]);
    expect(ns?.metadataWrites).toEqual([{ key: 'b', entries: [{ metakey: 'VALIDATION_PARAMETER', value: enc('ep') }] }]);
    expect(rw.privateRwSet).toEqual([]);
    await ws.close();
  });

  it('records range query infos for phantom validation', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1', b: '2', c: '3' });
    const s = sim(ws);
    await s.getStateByRange('a', 'c');
    await s.getStateByRange('b', '', '', { pageSize: 1, bookmark: '' });
    const rw = await s.result();
    expect(rw.publicRwSet[0]?.rangeQueriesInfo).toEqual([
      {
        startKey: 'a',
        endKey: 'c',
        itrExhausted: true,
        reads: [
          { key: 'a', version: { blockNum: 1, txNum: 0 } },
          { key: 'b', version: { blockNum: 1, txNum: 0 } },
        ],
      },
      { startKey: 'b', endKey: 'b', itrExhausted: false, reads: [{ key: 'b', version: { blockNum: 1, txNum: 0 } }] },
    ]);
    await ws.close();
  });

  it('keeps private values in the private part and their SHA-256 hashes in the public part', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    const s = sim(ws);
    await s.putPrivateData('pvt', 'k', enc('secret'));
    await s.delPrivateData('pvt', 'gone');
    await s.getPrivateData('pvt', 'r');
    const rw = await s.result();
    const coll = rw.publicRwSet[0]?.collHashedRwSets[0];
    expect(coll?.collectionName).toBe('pvt');
    expect(coll?.hashedReads).toEqual([{ keyHash: sha256('r'), version: undefined }]);
    expect(coll?.hashedWrites).toEqual([
      { keyHash: sha256('gone'), isDelete: true, isPurge: false, valueHash: new Uint8Array() },
      { keyHash: sha256('k'), isDelete: false, isPurge: false, valueHash: sha256(enc('secret')) },
    ]);
    expect(rw.privateRwSet).toEqual([
      {
        namespace: 'cc',
        collectionPvtRwSets: [
          {
            collectionName: 'pvt',
            writes: [
              { key: 'gone', isDelete: true, isPurge: false, value: new Uint8Array() },
              { key: 'k', isDelete: false, isPurge: false, value: enc('secret') },
            ],
            metadataWrites: [],
          },
        ],
      },
    ]);
    await ws.close();
  });

  it('chaincode-to-chaincode on the same channel joins the same read/write set', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await s.putState('x', enc('1'));
    const callee = s.forNamespace('other');
    await callee.getState('y');
    await callee.putState('y', enc('2'));
    const rw = await s.result();
    expect(rw.publicRwSet.map((n) => n.namespace)).toEqual(['cc', 'other']);
    expect(rw.publicRwSet[1]?.writes).toEqual([{ key: 'y', isDelete: false, value: enc('2') }]);
    await expect(callee.getState('y')).rejects.toMatchObject({ code: 'SIMULATION_DONE' });
    await ws.close();
  });
});

describe('transaction restrictions (txmgr/tx_simulator.go)', () => {
  it('refuses writes after a private-data query, and private-data queries after a write', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    const s1 = sim(ws, { txId: 'T1' });
    await s1.getStateByRange('', '', 'pvt');
    await expect(s1.putState('a', enc('1'))).rejects.toMatchObject({
      code: 'WRITE_AFTER_PVT_QUERY',
      message: 'txid [T1]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed',
    });
    await expect(s1.putStateMetadata('a', { metakey: 'm', value: enc('v') })).rejects.toMatchObject({ code: 'WRITE_AFTER_PVT_QUERY' });
    const s2 = sim(ws, { txId: 'T2' });
    await s2.putState('a', enc('1'));
    await expect(s2.getQueryResult('{"selector":{}}', 'pvt')).rejects.toMatchObject({
      code: 'PVT_QUERY_AFTER_WRITE',
      message: 'txid [T2]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
    });
    await expect(s2.getStateByRange('', '', 'pvt')).rejects.toMatchObject({ code: 'PVT_QUERY_AFTER_WRITE' });
    // Public, non-paginated queries stay allowed after writes.
    await expect(s2.getStateByRange('', '')).resolves.toMatchObject({ hasMore: false });
    await ws.close();
  });

  it('refuses writes after a paginated query, and paginated queries after a write', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    await seed(ws, { a: '{"x":1}' });
    const s1 = sim(ws, { txId: 'T3' });
    await s1.getQueryResult('{"selector":{}}', '', { pageSize: 5, bookmark: '' });
    await expect(s1.delState('a')).rejects.toMatchObject({
      code: 'WRITE_AFTER_PAGINATED_QUERY',
      message: 'txid [T3]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
    });
    await expect(s1.putPrivateData('pvt', 'k', enc('v'))).rejects.toMatchObject({ code: 'WRITE_AFTER_PAGINATED_QUERY' });
    const s2 = sim(ws, { txId: 'T4' });
    await s2.putPrivateData('pvt', 'k', enc('v'));
    await expect(s2.getStateByRange('', '', '', { pageSize: 5, bookmark: '' })).rejects.toMatchObject({
      code: 'PAGINATED_QUERY_AFTER_WRITE',
      message: 'txid [T4]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
    });
    // Private queries ignore pagination, so they are not "paginated queries".
    const s3 = sim(ws, { txId: 'T5' });
    const r = await s3.getStateByRange('', '', 'pvt', { pageSize: 1, bookmark: 'zzz' });
    expect(r.metadata).toBeUndefined();
    await ws.close();
  });


  it('runs calls made without waiting one at a time, in call order; a failing call does not stop the next', async () => {
    const ws = await memWs();
    await seed(ws, { a: '{"x":1}' });
    const s = sim(ws, { txId: 'T6' });
    const settled: string[] = [];
    const note = (name: string) => [() => void settled.push(name), () => void settled.push(`${name} failed`)] as const;
    // The paginated query is called first, so the write after it must be refused, although its
    // body is synchronous and the query's is not.
    await Promise.all([
      s.getStateByRange('', '', '', { pageSize: 5, bookmark: '' }).then(...note('query')),
      s.putState('_bad', enc('v')).then(...note('bad key')),
      s.putState('b', enc('v')).then(...note('put')),
      s.getState('a').then(...note('get')),
    ]);
    expect(settled).toEqual(['query', 'bad key failed', 'put failed', 'get']);
    const s2 = sim(ws, { txId: 'T7' });
    const order: string[] = [];
    await Promise.all([s2.putState('b', enc('v')).then(...note('put')), s2.getStateByRange('', '', '', { pageSize: 5, bookmark: '' }).then(() => order.push('x'), (e: LedgerError) => order.push(e.code))]);
    expect(order).toEqual(['PAGINATED_QUERY_AFTER_WRITE']);
    await ws.close();
  });
  it('counts a write as performed even when its key is then rejected (writePerformed is set first)', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    const s = sim(ws, { txId: 'T6' });
    await expect(s.putState('_bad', enc('1'))).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(s.getStateByRange('', '', 'pvt')).rejects.toMatchObject({ code: 'PVT_QUERY_AFTER_WRITE' });
    await ws.close();
  });
});

describe('CouchDB key and value validation (statecouchdb)', () => {
  it.each([
    ['_bad', 'x', 'invalid key [_bad], cannot begin with "_"'],
    ['', 'x', 'invalid key. Empty string is not supported as a key by couchdb'],
    ['k', '{"_id":"x"}', 'field [_id] is not valid for the CouchDB state database'],
    ['k', '{"~version":"x"}', 'field [~version] is not valid for the CouchDB state database'],
    ['k', '{"~version":1,"_rev":2,"_id":3}', 'field [_id] is not valid for the CouchDB state database'],
    ['bad\ud800', 'x', 'invalid key [626164efbfbd], must be a UTF-8 string'],
  ])('rejects key %j value %j', async (key, value, message) => {
    const ws = await memWs();
    const s = sim(ws);
    await expect(s.putState(key, enc(value))).rejects.toMatchObject({ message });
    await ws.close();
  });

  it('accepts anything in the goleveldb flavour', async () => {
    const ws = await memWs({ stateDatabase: 'goleveldb' });
    const s = sim(ws);
    await s.putState('', enc('{"_id":1}'));
    await s.putState('_x', enc('1'));
    await ws.commit(s);
    expect(dec((await ws.getCommitted('ch1', 'cc', ''))?.value ?? new Uint8Array())).toBe('{"_id":1}');
    await ws.close();
  });
});

describe('write batch (WRITE_BATCH_STATE)', () => {
  const rec = (type: number, key: string, value = '', collection = '', metadata?: { metakey: string; value: Uint8Array }): WriteRecord => ({
    type,
    key,
    value: enc(value),
    collection,
    metadata,
  });

  it('applies records in order with the single-operation semantics', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    await seed(ws, { old: '1' });
    const s = sim(ws);
    await s.applyWriteBatch([
      rec(9, 'a', 'A'),
      rec(9, 'a', 'A2'),
      rec(10, 'old'),
      rec(21, 'a', '', '', { metakey: 'VALIDATION_PARAMETER', value: enc('p') }),
      rec(9, 'k', 'pv', 'pvt'),
      rec(23, 'k2', '', 'pvt'),
      rec(21, 'b'),
    ]);
    const rw = await s.result();
    const ns = rw.publicRwSet[0];
    expect(ns?.writes.map((w) => [w.key, dec(w.value), w.isDelete])).toEqual([
      ['a', 'A2', false],
      ['old', '', true],
    ]);
    // A PUT_STATE_METADATA record without metadata becomes {metakey: '', value: empty} (nil-safe getters).
    expect(ns?.metadataWrites).toEqual([
      { key: 'a', entries: [{ metakey: 'VALIDATION_PARAMETER', value: enc('p') }] },
      { key: 'b', entries: [{ metakey: '', value: new Uint8Array() }] },
    ]);
    expect(rw.privateRwSet[0]?.collectionPvtRwSets[0]?.writes.map((w) => [w.key, w.isPurge])).toEqual([
      ['k', false],
      ['k2', true],
    ]);
    await ws.close();
  });

  it('stops at the first failing record and keeps the earlier ones', async () => {
    const ws = await memWs({ collections: { cc: PVT } });
    const s = sim(ws);
    await expect(s.applyWriteBatch([rec(9, 'a', 'A'), rec(23, 'p'), rec(9, 'b', 'B')])).rejects.toMatchObject({
      code: 'COLLECTION_REQUIRED',
      message: 'only applicable for private data',
    });
    await expect(s.applyWriteBatch([rec(9, 'c', 'C'), rec(99, 'x')])).rejects.toMatchObject({
      code: 'UNKNOWN_WRITE_TYPE',
      message: 'unknown operation type',
    });
    const rw = await s.result();
    expect(rw.publicRwSet[0]?.writes.map((w) => w.key)).toEqual(['a', 'c']);
    await ws.close();
  });
});

describe('metadata requests', () => {
  it('PUT_STATE_METADATA without metadata is the peer panic', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await expect(s.putStateMetadata('a', undefined)).rejects.toMatchObject({
      code: 'MISSING_METADATA',
      message: 'panic during execution',
    });
    await ws.close();
  });

  it('GET_STATE_METADATA returns committed entries and records a read', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' });
    const w = sim(ws);
    await w.putStateMetadata('a', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') });
    await ws.commit(w);
    const s = sim(ws);
    expect(await s.getStateMetadata('a')).toEqual([{ metakey: 'VALIDATION_PARAMETER', value: enc('ep') }]);
    expect(await s.getStateMetadata('none')).toEqual([]);
    expect((await s.result()).publicRwSet[0]?.reads.map((r) => r.key)).toEqual(['a', 'none']);
    await ws.close();
  });
});

describe('end of simulation', () => {
  it('operations after result() fail; result() is idempotent', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await s.putState('a', enc('1'));
    const r1 = await s.result();
    expect(await s.result()).toBe(r1);
    expect(s.isDone).toBe(true);
    await expect(s.getState('a')).rejects.toMatchObject({
      code: 'SIMULATION_DONE',
      message: 'this instance should not be used after calling Done()',
    });
    await expect(s.putState('a', enc('1'))).rejects.toBeInstanceOf(LedgerError);
    await ws.close();
  });

  it('a discarded (failed or evaluate-only) transaction changes nothing', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await s.putState('a', enc('1'));
    await s.done();
    expect(await ws.getCommitted('ch1', 'cc', 'a')).toBeUndefined();
    expect(await ws.height('ch1')).toBe(0);
    await ws.close();
  });

  it('rejects bad arguments with LedgerError, never an untyped throw', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await expect(s.getState(42 as unknown as string)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.putState('a', 'text' as unknown as Uint8Array)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.getStateByRange('a', 'b', '', { pageSize: 1.5, bookmark: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => ws.newSimulation({ channel: 'a\u0000b', namespace: 'cc', txId: 't', creatorMspId: 'm' })).toThrow(LedgerError);
    await ws.close();
    await expect(s.getState('a')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('uses the injected iterator id generator', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' });
    const s = sim(ws);
    expect((await s.getStateByRange('', '')).id).toBe('it-1');
    expect((await s.getHistoryForKey('a')).id).toBe('it-2');
    expect((await s.getQueryResult('{"selector":{}}')).id).toBe('it-3');
    await ws.close();
  });
});
