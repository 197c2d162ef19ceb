/**
 * Range and rich queries through a simulation: batches of 100 with has_more, totalQueryLimit,
 * pagination (one page, metadata, iterator closed, bookmarks), key order, composite keys, and the
 * pagination invariant "pages concatenated == unpaginated result" as properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerError, type QueryResponseResult, type Simulation, type WorldState } from '../../src/ledger/index.js';
import { assertProp } from '../support/props.js';
import { dec, drain, enc, memWs, seed, sim } from './helpers.js';

const pad = (i: number): string => `k${String(i).padStart(4, '0')}`;

async function seedN(ws: WorldState, n: number, value = (i: number) => `v${i}`): Promise<void> {
  const kvs: [string, string][] = [];
  for (let i = 0; i < n; i++) kvs.push([pad(i), value(i)]);
  await seed(ws, kvs);
}

const keysOf = (r: QueryResponseResult): string[] => r.results.map((x) => ('key' in x ? x.key : x.txId));

describe('range query batching (QueryResponseGenerator)', () => {
  it.each([
    [0, [0], [false]],
    [1, [1], [false]],
    [99, [99], [false]],
    [100, [100], [false]],
    [101, [100, 1], [true, false]],
    [200, [100, 100], [true, false]],
    [250, [100, 100, 50], [true, true, false]],
  ])('%i keys -> batches %j, has_more %j', async (n, batches, hasMores) => {
    const ws = await memWs();
    await seedN(ws, n);
    const s = sim(ws);
    const d = await drain(s, await s.getStateByRange('', ''));
    expect(d.batches).toEqual(batches);
    expect(d.hasMores).toEqual(hasMores);
    expect(d.keys).toEqual(Array.from({ length: n }, (_, i) => pad(i)));
    expect(s.openIteratorCount).toBe(0);
    await ws.close();
  });

  it('keeps the iterator open while has_more and forgets it at the end', async () => {
    const ws = await memWs();
    await seedN(ws, 150);
    const s = sim(ws);
    const r = await s.getStateByRange('', '');
    expect(r.id).toBe('it-1');
    expect(s.openIteratorCount).toBe(1);
    const r2 = await s.queryNext(r.id);
    expect(r2.hasMore).toBe(false);
    await expect(s.queryNext(r.id)).rejects.toMatchObject({ code: 'ITERATOR_NOT_FOUND', message: 'query iterator not found' });
    await ws.close();
  });

  it('query close answers even for unknown ids and closes open ones', async () => {
    const ws = await memWs();
    await seedN(ws, 150);
    const s = sim(ws);
    const r = await s.getStateByRange('', '');
    expect(await s.queryClose(r.id)).toEqual({ kind: 'kv', id: r.id, results: [], hasMore: false, metadata: undefined });
    expect(s.openIteratorCount).toBe(0);
    expect((await s.queryClose('nope')).hasMore).toBe(false);
    const r3 = await s.getStateByRange('', '');
    await s.closeAllIterators();
    await expect(s.queryNext(r3.id)).rejects.toBeInstanceOf(LedgerError);
    await ws.close();
  });

  it.each([
    [150, 300, [100, 50]],
    [100, 300, [100]],
    [101, 300, [100, 1]],
    [5, 3, [3]],
  ])('totalQueryLimit %i caps %i results silently: %j', async (tql, n, batches) => {
    const ws = await memWs({ totalQueryLimit: tql });
    await seedN(ws, n);
    const s = sim(ws);
    const d = await drain(s, await s.getStateByRange('', ''));
    expect(d.batches).toEqual(batches);
    expect(d.hasMores[d.hasMores.length - 1]).toBe(false);
    await ws.close();
  });
});

describe('range query pagination', () => {
  it('returns one page with metadata and closes the iterator', async () => {
    const ws = await memWs();
    await seedN(ws, 250);
    const s = sim(ws);
    const r = await s.getStateByRange('', '', '', { pageSize: 120, bookmark: '' });
    expect(r.results).toHaveLength(120);
    expect(r.hasMore).toBe(false);
    expect(r.metadata).toEqual({ fetchedRecordsCount: 120, bookmark: pad(120) });
    expect(s.openIteratorCount).toBe(0);
    const r2 = await s.getStateByRange('', '', '', { pageSize: 120, bookmark: pad(120) });
    expect(keysOf(r2)[0]).toBe(pad(120));
    const r3 = await s.getStateByRange('', '', '', { pageSize: 120, bookmark: pad(240) });
    expect(r3.metadata).toEqual({ fetchedRecordsCount: 10, bookmark: '' });
    await ws.close();
  });

  it('page limit is totalQueryLimit when pageSize >= totalQueryLimit; bookmark is the next key', async () => {
    const ws = await memWs({ totalQueryLimit: 50 });
    await seedN(ws, 100);
    const s = sim(ws);
    const r = await s.getStateByRange('', '', '', { pageSize: 80, bookmark: '' });
    expect(r.results).toHaveLength(50);
    expect(r.metadata).toEqual({ fetchedRecordsCount: 50, bookmark: pad(50) });
    await ws.close();
  });

  it('a bookmark alone paginates (pageSize 0): everything up to the limit in one response', async () => {
    const ws = await memWs();
    await seedN(ws, 250);
    const s = sim(ws);
    const r = await s.getStateByRange(pad(0), '', '', { pageSize: 0, bookmark: pad(10) });
    expect(r.results).toHaveLength(240);
    expect(r.hasMore).toBe(false);
    expect(r.metadata).toEqual({ fetchedRecordsCount: 240, bookmark: '' });
    await ws.close();
  });

  it('pageSize 0 and empty bookmark is not pagination', async () => {
    const ws = await memWs();
    await seedN(ws, 150);
    const s = sim(ws);
    const r = await s.getStateByRange('', '', '', { pageSize: 0, bookmark: '' });
    expect(r.results).toHaveLength(100);
    expect(r.hasMore).toBe(true);
    expect(r.metadata).toBeUndefined();
    await ws.close();
  });
});

describe('range key order and bounds', () => {
  it('end key is exclusive, empty end is unbounded, start > end is empty', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1', b: '2', c: '3', d: '4' });
    const s = sim(ws);
    expect(keysOf(await s.getStateByRange('b', 'd'))).toEqual(['b', 'c']);
    expect(keysOf(await s.getStateByRange('b', ''))).toEqual(['b', 'c', 'd']);
    expect(keysOf(await s.getStateByRange('d', 'b'))).toEqual([]);
    await ws.close();
  });

  it('orders keys by UTF-8 bytes (as LevelDB), not UTF-16 code units', async () => {
    const ws = await memWs();
    const keys = ['😀', '\uffff', 'é', 'a', 'Z'];
    await seed(ws, keys.map((k): [string, string] => [k, 'x']));
    const s = sim(ws);
    expect(keysOf(await s.getStateByRange('', ''))).toEqual(['Z', 'a', 'é', '\uffff', '😀']);
    await ws.close();
  });

  it('composite keys (0x00 prefix) only appear when the range asks for them', async () => {
    const ws = await memWs();
    const ck = (...parts: string[]) => `\u0000${parts.map((p) => `${p}\u0000`).join('')}`;
    await seed(ws, [
      [ck('color', 'blue', 'k1'), 'x'],
      [ck('color', 'red', 'k2'), 'x'],
      [ck('size', 'big', 'k3'), 'x'],
      ['plain', 'x'],
    ]);
    const s = sim(ws);
    // The shims replace an empty start key by "\x01" for simple-key ranges (docs/protocol.md §13.2).
    expect(keysOf(await s.getStateByRange('\u0001', ''))).toEqual(['plain']);
    // Partial composite key range: start = prefix, end = prefix + U+10FFFF.
    const prefix = ck('color');
    expect(keysOf(await s.getStateByRange(prefix, `${prefix}\u{10FFFF}`))).toEqual([ck('color', 'blue', 'k1'), ck('color', 'red', 'k2')]);
    // GetAllStatesCompositeKeyWithPagination range.
    expect(keysOf(await s.getStateByRange('\u0000', '\u0000\u{10FFFF}'))).toHaveLength(3);
    // An empty start key at the peer is the start of the namespace (LevelDB statedb), composite keys included.
    expect(keysOf(await s.getStateByRange('', ''))).toHaveLength(4);
    await ws.close();
  });

  it('returns domain KVs with the namespace', async () => {
    const ws = await memWs();
    await seed(ws, { a: 'A' });
    const s = sim(ws);
    const r = await s.getStateByRange('', '');
    expect(r.results).toEqual([{ namespace: 'cc', key: 'a', value: enc('A') }]);
    await ws.close();
  });
});

// ---- pagination invariant (properties) -------------------------------------------------------

async function pagesOf(
  s: Simulation,
  query: (bookmark: string) => Promise<QueryResponseResult>,
  pageSize: number,
): Promise<string[]> {
  const out: string[] = [];
  let bookmark = '';
  for (let guard = 0; guard < 1000; guard++) {
    const r = await query(bookmark);
    expect(r.hasMore).toBe(false);
    expect(r.metadata?.fetchedRecordsCount).toBe(r.results.length);
    out.push(...keysOf(r));
    if (r.results.length < pageSize || r.metadata?.bookmark === '' || r.metadata?.bookmark === bookmark) break;
    bookmark = r.metadata?.bookmark ?? '';
  }
  return out;
}

async function unpaginated(s: Simulation, first: QueryResponseResult): Promise<string[]> {
  return (await drain(s, first)).keys;
}

const keyArb = fc.stringMatching(/^[a-e\u00e9\u0000]{1,4}$/);

describe('pagination invariants', () => {
  it('prop: range pages concatenated == unpaginated range', async () => {
    await assertProp(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 60 }),
        keyArb,
        fc.oneof(fc.constant(''), keyArb),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 20, max: 300 }),
        async (keys, start, end, pageSize, tql) => {
          const ws = await memWs({ totalQueryLimit: tql });
          try {
            if (keys.length > 0) await seed(ws, keys.map((k): [string, string] => [k, `v:${k}`]));
            const s = sim(ws);
            const all = await unpaginated(s, await s.getStateByRange(start, end));
            const paged = await pagesOf(s, (b) => s.getStateByRange(start, end, '', { pageSize, bookmark: b }), pageSize);
            // Each page is capped by totalQueryLimit separately, so pages may see more than one
            // unpaginated iterator (which stops at totalQueryLimit in total).
            expect(paged.slice(0, all.length)).toEqual(all);
            if (all.length < tql) expect(paged).toEqual(all);
          } finally {
            await ws.close();
          }
        },
      ),
      { runs: 40, seed: 0x7a9e5 },
    );
  });

  const docArb = fc.record({
    color: fc.constantFrom('red', 'blue', 'green'),
    size: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('big')),
    tags: fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }),
  });
  const selectorArb = fc.constantFrom<unknown>(
    {},
    { color: 'red' },
    { size: { $gt: 2 } },
    { $or: [{ color: 'blue' }, { tags: { $elemMatch: { $eq: 'a' } } }] },
    { size: { $type: 'number' } },
  );
  const sortArb = fc.constantFrom<unknown>(undefined, ['size'], [{ color: 'desc' }, { size: 'desc' }], ['_id']);

  it('prop: rich query pages concatenated == unpaginated query', async () => {
    await assertProp(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,3}$/), docArb), { selector: (t) => t[0], maxLength: 60 }),
        selectorArb,
        sortArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 7 }),
        async (docs, selector, sort, pageSize, internalQueryLimit) => {
          const ws = await memWs({ internalQueryLimit });
          try {
            if (docs.length > 0) await seed(ws, docs.map(([k, d]): [string, string] => [k, JSON.stringify(d)]));
            const query = JSON.stringify(sort === undefined ? { selector } : { selector, sort });
            const s = sim(ws);
            const all = await unpaginated(s, await s.getQueryResult(query));
            const paged = await pagesOf(s, (b) => s.getQueryResult(query, '', { pageSize, bookmark: b }), pageSize);
            expect(paged).toEqual(all);
          } finally {
            await ws.close();
          }
        },
      ),
      { runs: 40, seed: 0xc0dbee },
    );
  });
});

// ---- rich queries through the ledger ----------------------------------------------------------

describe('rich queries (Fabric on CouchDB)', () => {
  async function assets(ws: WorldState): Promise<void> {
    await seed(ws, {
      a1: JSON.stringify({ docType: 'asset', owner: 'tom', size: 5, color: 'red' }),
      a2: JSON.stringify({ docType: 'asset', owner: 'ann', size: 15, color: 'blue' }),
      a3: JSON.stringify({ docType: 'asset', owner: 'tom', size: 10, color: '<b>&' }),
      bin: '\u0001\u0002not json',
      arr: '[1,2,3]',
    });
  }

  it('matches JSON objects; other values are documents with only an _id', async () => {
    const ws = await memWs();
    await assets(ws);
    const s = sim(ws);
    expect(keysOf(await s.getQueryResult('{"selector":{"owner":"tom"}}'))).toEqual(['a1', 'a3']);
    expect(keysOf(await s.getQueryResult('{"selector":{"owner":{"$exists":false}}}'))).toEqual(['arr', 'bin']);
    expect(keysOf(await s.getQueryResult('{"selector":{"_id":{"$gt":"a3"}}}'))).toEqual(['arr', 'bin']);
    const r = await s.getQueryResult('{"selector":{"_id":"bin"}}');
    expect(dec(r.results[0]?.value ?? new Uint8Array())).toBe('\u0001\u0002not json');
    await ws.close();
  });

  it("ignores the query's limit (Fabric overwrites it) and honours sort", async () => {
    const ws = await memWs();
    await assets(ws);
    const s = sim(ws);
    const r = await s.getQueryResult('{"selector":{"docType":"asset"},"sort":[{"size":"desc"}],"limit":1}');
    expect(keysOf(r)).toEqual(['a2', 'a3', 'a1']);
    await ws.close();
  });

  it('projects fields as Go would marshal them (sorted keys, HTML escaped, no _id)', async () => {
    const ws = await memWs();
    await assets(ws);
    const s = sim(ws);
    const r = await s.getQueryResult('{"selector":{"_id":"a3"},"fields":["size","color","_id"]}');
    expect(dec(r.results[0]?.value ?? new Uint8Array())).toBe('{"color":"\\u003cb\\u003e\\u0026","size":10}');
    const b = await s.getQueryResult('{"selector":{"_id":"bin"},"fields":["size"]}');
    expect(dec(b.results[0]?.value ?? new Uint8Array())).toBe('{}');
    await ws.close();
  });

  it('rejects bad queries with Fabric/CouchDB texts', async () => {
    const ws = await memWs();
    await assets(ws);
    const s = sim(ws);
    await expect(s.getQueryResult('{"selector":{},"fields":"x"}')).rejects.toMatchObject({
      code: 'INVALID_QUERY',
      message: 'fields definition must be an array',
    });
    await expect(s.getQueryResult('[1]')).rejects.toMatchObject({
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
    await expect(s.getQueryResult('{"selector":{"a":{"$bad":1}}}')).rejects.toMatchObject({
      message: 'error handling CouchDB request. Error:invalid_operator,  Status Code:400,  Reason:Invalid operator: $bad',
    });
    await expect(s.getQueryResult('{"selector":{}}', '', { pageSize: 2, bookmark: 'garbage' })).rejects.toMatchObject({
      code: 'INVALID_QUERY',
    });
    await expect(s.getQueryResult('not json')).rejects.toMatchObject({ code: 'INVALID_QUERY' });
    await ws.close();
  });

  it('applies skip per internal chunk and per page, as CouchDB does with bookmarks', async () => {
    const ws = await memWs({ internalQueryLimit: 3 });
    await seedN(ws, 10, (i) => JSON.stringify({ i }));
    const s = sim(ws);
    // chunks: skip 1 take 3 (k1..k3), skip 1 take 3 (k5..k7), skip 1 take 2 (k9); last chunk short -> end.
    expect(keysOf(await s.getQueryResult('{"selector":{},"skip":1}'))).toEqual([pad(1), pad(2), pad(3), pad(5), pad(6), pad(7), pad(9)]);
    const p1 = await s.getQueryResult('{"selector":{},"skip":1}', '', { pageSize: 2, bookmark: '' });
    expect(keysOf(p1)).toEqual([pad(1), pad(2)]);
    const p2 = await s.getQueryResult('{"selector":{},"skip":1}', '', { pageSize: 2, bookmark: p1.metadata?.bookmark ?? '' });
    expect(keysOf(p2)).toEqual([pad(4), pad(5)]);
    await ws.close();
  });

  it('an empty last page keeps the bookmark it was given', async () => {
    const ws = await memWs();
    await seedN(ws, 4, (i) => JSON.stringify({ i }));
    const s = sim(ws);
    const p1 = await s.getQueryResult('{"selector":{}}', '', { pageSize: 4, bookmark: '' });
    const p2 = await s.getQueryResult('{"selector":{}}', '', { pageSize: 4, bookmark: p1.metadata?.bookmark ?? '' });
    expect(p2.results).toEqual([]);
    expect(p2.metadata).toEqual({ fetchedRecordsCount: 0, bookmark: p1.metadata?.bookmark });
    await ws.close();
  });

  it('batches rich results by 100 with has_more', async () => {
    const ws = await memWs();
    await seedN(ws, 230, (i) => JSON.stringify({ i }));
    const s = sim(ws);
    const d = await drain(s, await s.getQueryResult('{"selector":{"i":{"$gte":0}}}'));
    expect(d.batches).toEqual([100, 100, 30]);
    expect(d.hasMores).toEqual([true, true, false]);
    await ws.close();
  });

  it('the goleveldb flavour refuses rich queries with Fabric texts', async () => {
    const ws = await memWs({ stateDatabase: 'goleveldb' });
    const s = sim(ws);
    await expect(s.getQueryResult('{"selector":{}}')).rejects.toMatchObject({
      code: 'RICH_QUERY_UNSUPPORTED',
      message: 'ExecuteQuery not supported for leveldb',
    });
    await expect(s.getQueryResult('{"selector":{}}', '', { pageSize: 1, bookmark: '' })).rejects.toMatchObject({
      message: 'ExecuteQueryWithMetadata not supported for leveldb',
    });
    await ws.close();
  });
});

describe('open iterators per simulation (maxOpenIterators)', () => {
  it('a query past the limit is refused with TOO_MANY_ITERATORS; closing one makes room', async () => {
    const ws = await memWs({ maxOpenIterators: 2 });
    await seedN(ws, 150);
    const s = sim(ws);
    const a = await s.getStateByRange('', '');
    await s.getHistoryForKey(pad(0)); // finished at once: not held open
    const b = await s.getStateByRange('', '');
    expect([a.hasMore, b.hasMore]).toEqual([true, true]);
    expect(s.openIteratorCount).toBe(2);
    await expect(s.getStateByRange('', '')).rejects.toMatchObject({
      code: 'TOO_MANY_ITERATORS',
      message: 'too many open iterators in this transaction (limit 2, option maxOpenIterators / --max-open-iterators): close the iterators you are done with',
    });
    expect(s.openIteratorCount).toBe(2);
    await s.queryClose(a.id);
    expect((await s.getStateByRange('', '')).hasMore).toBe(true);
    await s.done();
    await ws.close();
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(memWs({ maxOpenIterators: 0 })).rejects.toThrow(/maxOpenIterators must be a positive integer/);
  });
});
