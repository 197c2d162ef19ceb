/**
 * Iterator requests through the request server: QueryResponse batching by 100 with
 * QUERY_STATE_NEXT, iterator cleanup, pagination (pages, bookmarks, fetched counts), private
 * queries ignoring pagination, rich and history queries, QUERY_STATE_CLOSE, and QueryMetadata
 * decoding — every payload decoded back with the wire decoders.
 */
import { describe, expect, it } from 'vitest';
import { closeTransactionIterators } from '../../../src/peer/serve/index.js';
import { encodeQueryMetadata, encodeQueryResponse } from '../../../src/wire/index.js';
import { dec, decodeQR, enc, EMPTY, expectCause, newSim, okPayload, openWs, req, seed, serverFor, type Serve } from './helpers.js';

const pad = (i: number) => `k${String(i).padStart(3, '0')}`;
const keysUpTo = (n: number): [string, string][] => Array.from({ length: n }, (_, i) => [pad(i), `v${i}`]);
const meta = (pageSize: number, bookmark: string) => encodeQueryMetadata({ pageSize, bookmark });
const range = (startKey: string, endKey: string, metadata: Uint8Array = EMPTY, collection = '') =>
  req('GET_STATE_BY_RANGE', { startKey, endKey, collection, metadata });

/** Follows has_more with QUERY_STATE_NEXT; returns the keys and the batch sizes. */
async function drain(serve: Serve, first: Awaited<ReturnType<Serve>>): Promise<{ keys: string[]; batches: number[]; ids: string[] }> {
  const keys: string[] = [];
  const batches: number[] = [];
  const ids: string[] = [];
  let r = decodeQR(first);
  for (;;) {
    batches.push(r.kvs.length);
    ids.push(r.id);
    keys.push(...r.kvs.map((kv) => kv.key));
    expect(r.metadata).toBeUndefined();
    if (!r.hasMore) return { keys, batches, ids };
    r = decodeQR(await serve(req('QUERY_STATE_NEXT', { id: r.id })));
  }
}

describe('GET_STATE_BY_RANGE without pagination', () => {
  it('answers KV records of the namespace in batches of 100 with has_more, then closes the iterator', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(250));
    const s = newSim(ws);
    const serve = serverFor(s);
    const first = decodeQR(await serve(range('', '')));
    expect(first).toMatchObject({ id: 'it-1', hasMore: true, metadata: undefined });
    expect(first.kvs[0]).toEqual({ namespace: 'cc', key: 'k000', value: enc('v0') });
    const d = await drain(serve, await serve(range('', '')));
    expect(d.batches).toEqual([100, 100, 50]);
    expect(d.ids).toEqual(['it-2', 'it-2', 'it-2']);
    expect(d.keys).toEqual(keysUpTo(250).map(([k]) => k));
    // The exhausted iterator is gone; the first one (never drained) is still open.
    expectCause(await serve(req('QUERY_STATE_NEXT', { id: 'it-2' })), 'query iterator not found');
    expect(s.openIteratorCount).toBe(1);
    await ws.close();
  });

  it('exactly 100 results: one batch with has_more=false (the read-ahead found nothing)', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(100));
    const s = newSim(ws);
    const d = await drain(serverFor(s), await serverFor(s)(range('', '')));
    expect(d.batches).toEqual([100]);
    expect(s.openIteratorCount).toBe(0);
    await ws.close();
  });

  it('honours [start, end) and an empty result', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(10));
    const serve = serverFor(newSim(ws));
    expect(decodeQR(await serve(range('k003', 'k006'))).kvs.map((kv) => kv.key)).toEqual(['k003', 'k004', 'k005']);
    expect(decodeQR(await serve(range('x', '')))).toMatchObject({ kvs: [], hasMore: false, metadata: undefined });
    await ws.close();
  });

  it('caps an iterator silently at totalQueryLimit', async () => {
    const ws = await openWs({ totalQueryLimit: 150 });
    await seed(ws, keysUpTo(250));
    const serve = serverFor(newSim(ws));
    expect((await drain(serve, await serve(range('', '')))).batches).toEqual([100, 50]);
    await ws.close();
  });

  it('pageSize 0 with an empty bookmark is not pagination', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(150));
    const serve = serverFor(newSim(ws));
    expect((await drain(serve, await serve(range('', '', meta(0, ''))))).batches).toEqual([100, 50]);
    await ws.close();
  });
});

describe('GET_STATE_BY_RANGE with pagination', () => {
  it('answers one page per request with QueryResponseMetadata, bookmark = next start key', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(250));
    const s = newSim(ws);
    const serve = serverFor(s);
    const p1 = decodeQR(await serve(range('', '', meta(120, ''))));
    expect(p1).toMatchObject({ id: 'it-1', hasMore: false, metadata: { fetchedRecordsCount: 120, bookmark: 'k120' } });
    expect(p1.kvs.length).toBe(120);
    expect(s.openIteratorCount).toBe(0);
    expectCause(await serve(req('QUERY_STATE_NEXT', { id: 'it-1' })), 'query iterator not found');
    const p2 = decodeQR(await serve(range('', '', meta(120, 'k120'))));
    expect(p2.kvs[0]?.key).toBe('k120');
    expect(p2.metadata).toEqual({ fetchedRecordsCount: 120, bookmark: 'k240' });
    const p3 = decodeQR(await serve(range('', '', meta(120, 'k240'))));
    expect(p3.kvs.map((kv) => kv.key)).toEqual(keysUpTo(250).slice(240).map(([k]) => k));
    expect(p3.metadata).toEqual({ fetchedRecordsCount: 10, bookmark: '' });
    expect(p3.id).toBe('it-3');
    await ws.close();
  });

  it('a bookmark alone paginates: everything up to the limit in one response', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(250));
    const serve = serverFor(newSim(ws));
    const r = decodeQR(await serve(range('k000', '', meta(0, 'k100'))));
    expect(r.kvs.length).toBe(150);
    expect(r).toMatchObject({ hasMore: false, metadata: { fetchedRecordsCount: 150, bookmark: '' } });
    await ws.close();
  });

  it('an empty page marshals an all-default QueryResponseMetadata, i.e. no bytes', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    const r = decodeQR(await serve(range('', '', meta(5, ''))));
    expect(r.rawMetadata.length).toBe(0);
    expect(r).toMatchObject({ kvs: [], hasMore: false });
    await ws.close();
  });

  it('paginated queries and writes exclude each other (read-only rule)', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws, { txId: 'T1' }));
    expect(decodeQR(await serve(range('', '', meta(5, '')))).hasMore).toBe(false);
    expectCause(
      await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: '' })),
      'txid [T1]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
    );
    const other = serverFor(newSim(ws, { txId: 'T2' }));
    expect((await other(req('PUT_STATE', { key: 'k', value: enc('v'), collection: '' }))).ok).toBe(true);
    expectCause(
      await other(range('', '', meta(5, ''))),
      'txid [T2]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
    );
    await ws.close();
  });

  it('refuses QueryMetadata that does not unmarshal', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws));
    const bad = new Uint8Array([0x12, 0x05, 0x61]);
    const r = await serve(range('', '', bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.cause).toMatch(/^unmarshal failed: /);
    const r2 = await serve(req('GET_QUERY_RESULT', { query: '{"selector":{}}', collection: '', metadata: bad }));
    expect(!r2.ok && r2.cause.startsWith('unmarshal failed: ')).toBe(true);
    await ws.close();
  });
});

describe('private-collection queries', () => {
  it('ignore pagination: batches of 100 with has_more and no metadata', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(150), 'org1');
    const serve = serverFor(newSim(ws));
    const d = await drain(serve, await serve(range('', '', meta(0, 'k050'), 'org1')));
    expect(d.batches).toEqual([100, 50]);
    expect(d.keys[0]).toBe('k000');
    await ws.close();
  });

  it('but a page size still caps the first response (limit computed before the private branch)', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(150), 'org1');
    const s = newSim(ws);
    const r = decodeQR(await serverFor(s)(range('', '', meta(30, ''), 'org1')));
    expect(r).toMatchObject({ hasMore: false, metadata: undefined });
    expect(r.kvs.length).toBe(30);
    expect(s.openIteratorCount).toBe(0);
    await ws.close();
  });

  it('are refused after a write (pvt read-only rule)', async () => {
    const ws = await openWs();
    const serve = serverFor(newSim(ws, { txId: 'T3' }));
    await serve(req('PUT_STATE', { key: 'k', value: enc('v'), collection: '' }));
    expectCause(
      await serve(range('', '', EMPTY, 'org1')),
      'txid [T3]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
    );
    await ws.close();
  });
});

describe('GET_QUERY_RESULT', () => {
  const docs: [string, string][] = [
    ['a1', '{"color":"red","n":1}'],
    ['a2', '{"color":"blue","n":2}'],
    ['a3', '{"color":"red","n":3}'],
    ['a4', '{"color":"red","n":4}'],
  ];

  it('answers KV records of the matching documents', async () => {
    const ws = await openWs();
    await seed(ws, docs);
    const serve = serverFor(newSim(ws));
    const r = decodeQR(await serve(req('GET_QUERY_RESULT', { query: '{"selector":{"color":"red"}}', collection: '', metadata: EMPTY })));
    expect(r.kvs.map((kv) => [kv.namespace, kv.key, dec(kv.value)])).toEqual([
      ['cc', 'a1', '{"color":"red","n":1}'],
      ['cc', 'a3', '{"color":"red","n":3}'],
      ['cc', 'a4', '{"color":"red","n":4}'],
    ]);
    expect(r).toMatchObject({ hasMore: false, metadata: undefined });
    await ws.close();
  });

  it('pages with an opaque bookmark and fetched counts', async () => {
    const ws = await openWs();
    await seed(ws, docs);
    const serve = serverFor(newSim(ws));
    const q = '{"selector":{"color":"red"}}';
    const p1 = decodeQR(await serve(req('GET_QUERY_RESULT', { query: q, collection: '', metadata: meta(2, '') })));
    expect(p1.kvs.map((kv) => kv.key)).toEqual(['a1', 'a3']);
    expect(p1.metadata?.fetchedRecordsCount).toBe(2);
    expect(p1.metadata?.bookmark).not.toBe('');
    const p2 = decodeQR(await serve(req('GET_QUERY_RESULT', { query: q, collection: '', metadata: meta(2, p1.metadata?.bookmark ?? '') })));
    expect(p2.kvs.map((kv) => kv.key)).toEqual(['a4']);
    expect(p2.metadata?.fetchedRecordsCount).toBe(1);
    await ws.close();
  });

  it('is refused on the goleveldb flavour with Fabric\'s text', async () => {
    const ws = await openWs({ stateDatabase: 'goleveldb' });
    const serve = serverFor(newSim(ws));
    expectCause(
      await serve(req('GET_QUERY_RESULT', { query: '{"selector":{}}', collection: '', metadata: EMPTY })),
      'ExecuteQuery not supported for leveldb',
    );
    expectCause(
      await serve(req('GET_QUERY_RESULT', { query: '{"selector":{}}', collection: '', metadata: meta(3, '') })),
      'ExecuteQueryWithMetadata not supported for leveldb',
    );
    await ws.close();
  });
});

describe('GET_HISTORY_FOR_KEY', () => {
  it('answers KeyModification records, newest first', async () => {
    const ws = await openWs();
    const t1 = newSim(ws, { txId: 'h1' });
    await t1.putState('k', enc('one'));
    await ws.commit(t1);
    const t2 = newSim(ws, { txId: 'h2' });
    await t2.delState('k');
    await ws.commit(t2);
    const serve = serverFor(newSim(ws));
    const r = decodeQR(await serve(req('GET_HISTORY_FOR_KEY', { key: 'k' })), 'history');
    expect(r).toMatchObject({ id: 'it-1', hasMore: false, metadata: undefined });
    expect(r.mods.map((m) => [m.txId, dec(m.value), m.isDelete])).toEqual([
      ['h2', '', true],
      ['h1', 'one', false],
    ]);
    expect(r.mods[1]?.timestamp).toEqual(t1.timestamp);
    await ws.close();
  });

  it('batches history by 100 as well', async () => {
    const ws = await openWs();
    for (let i = 0; i < 130; i++) await seed(ws, [['k', `v${i}`]]);
    const serve = serverFor(newSim(ws));
    const first = decodeQR(await serve(req('GET_HISTORY_FOR_KEY', { key: 'k' })), 'history');
    expect([first.mods.length, first.hasMore]).toEqual([100, true]);
    const next = decodeQR(await serve(req('QUERY_STATE_NEXT', { id: first.id })), 'history');
    expect([next.mods.length, next.hasMore]).toEqual([30, false]);
    expect(dec(next.mods[29]?.value ?? EMPTY)).toBe('v0');
    await ws.close();
  });

  it('is refused when the history database is disabled', async () => {
    const ws = await openWs({ enableHistoryDatabase: false });
    expectCause(await serverFor(newSim(ws))(req('GET_HISTORY_FOR_KEY', { key: 'k' })), 'history database is not enabled');
    await ws.close();
  });
});

describe('QUERY_STATE_CLOSE and iterator cleanup', () => {
  it('answers QueryResponse{has_more=false, id} for an unknown id', async () => {
    const ws = await openWs();
    const r = await serverFor(newSim(ws))(req('QUERY_STATE_CLOSE', { id: 'nope' }));
    expect(okPayload(r)).toEqual(Uint8Array.from(encodeQueryResponse({ results: [], hasMore: false, id: 'nope', metadata: EMPTY })));
    expect(decodeQR(r)).toMatchObject({ id: 'nope', hasMore: false, kvs: [], metadata: undefined });
    await ws.close();
  });

  it('closes an open iterator; QUERY_STATE_NEXT then fails and a second close still answers', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(150));
    const s = newSim(ws);
    const serve = serverFor(s);
    const first = decodeQR(await serve(range('', '')));
    expect(first.hasMore).toBe(true);
    expect(decodeQR(await serve(req('QUERY_STATE_CLOSE', { id: first.id })))).toMatchObject({ id: first.id, hasMore: false, kvs: [] });
    expect(s.openIteratorCount).toBe(0);
    expectCause(await serve(req('QUERY_STATE_NEXT', { id: first.id })), 'query iterator not found');
    expect((await serve(req('QUERY_STATE_CLOSE', { id: first.id }))).ok).toBe(true);
    await ws.close();
  });

  it('closeTransactionIterators closes every iterator and never rejects, even after the end', async () => {
    const ws = await openWs();
    await seed(ws, keysUpTo(150));
    const s = newSim(ws);
    const serve = serverFor(s);
    await serve(range('', ''));
    await serve(req('GET_HISTORY_FOR_KEY', { key: 'k001' }));
    await serve(range('k010', ''));
    expect(s.openIteratorCount).toBe(2);
    await closeTransactionIterators(s);
    expect(s.openIteratorCount).toBe(0);
    expectCause(await serve(req('QUERY_STATE_NEXT', { id: 'it-1' })), 'query iterator not found');
    await s.done();
    await expect(closeTransactionIterators(s)).resolves.toBeUndefined();
    await ws.close();
    await expect(closeTransactionIterators(s)).resolves.toBeUndefined();
  });
});
