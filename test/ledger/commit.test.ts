/**
 * Commit: MVCC and phantom validation with nothing applied on conflict, duplicate txids, versions,
 * metadata merging rules (validation/tx_ops.go) and history (newest first, is_delete).
 */
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../src/ledger/index.js';
import { dec, drain, enc, memWs, seed, sim } from './helpers.js';

describe('MVCC validation', () => {
  it('rejects a transaction whose read was overwritten, and applies nothing of it', async () => {
    const ws = await memWs();
    await seed(ws, { k: '1' });
    const s1 = sim(ws);
    const s2 = sim(ws);
    await s1.getState('k');
    await s2.getState('k');
    await s1.putState('k', enc('from-1'));
    await s2.putState('k', enc('from-2'));
    await s2.putState('other', enc('x'));
    await ws.commit(s1);
    const before = await ws.height('ch1');
    const err = await ws.commit(s2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerError);
    expect((err as LedgerError).code).toBe('MVCC_READ_CONFLICT');
    expect(dec((await ws.getCommitted('ch1', 'cc', 'k'))?.value ?? new Uint8Array())).toBe('from-1');
    expect(await ws.getCommitted('ch1', 'cc', 'other')).toBeUndefined();
    expect(await ws.height('ch1')).toBe(before);
    const h = sim(ws);
    expect((await drain(h, await h.getHistoryForKey('other'))).keys).toEqual([]);
    await ws.close();
  });

  it('a read of a missing key conflicts with its creation; blind writes never conflict', async () => {
    const ws = await memWs();
    const reader = sim(ws);
    await reader.getState('k');
    await reader.putState('r', enc('1'));
    const blind = sim(ws);
    await blind.putState('k', enc('b'));
    await seed(ws, { k: 'created' });
    await expect(ws.commit(reader)).rejects.toMatchObject({ code: 'MVCC_READ_CONFLICT' });
    await expect(ws.commit(blind)).resolves.toMatchObject({ blockNum: 2, txNum: 0 });
    await ws.close();
  });

  it('validates rich-query reads (each returned key is in the read set)', async () => {
    const ws = await memWs();
    await seed(ws, { a: '{"x":1}', b: '{"x":2}' });
    const s = sim(ws);
    await s.getQueryResult('{"selector":{"x":{"$gt":1}}}');
    await s.putState('out', enc('1'));
    await seed(ws, { b: '{"x":3}' });
    await expect(ws.commit(s)).rejects.toMatchObject({ code: 'MVCC_READ_CONFLICT' });
    await ws.close();
  });

  it('rejects a duplicate transaction id', async () => {
    const ws = await memWs();
    const s1 = sim(ws, { txId: 'same' });
    await s1.putState('a', enc('1'));
    await ws.commit(s1);
    const s2 = sim(ws, { txId: 'same' });
    await s2.putState('b', enc('1'));
    await expect(ws.commit(s2)).rejects.toMatchObject({ code: 'DUPLICATE_TXID' });
    expect(await ws.getCommitted('ch1', 'cc', 'b')).toBeUndefined();
    expect(await ws.committedTx('ch1', 'same')).toEqual({ blockNum: 1, txNum: 0 });
    await ws.close();
  });

  it('never applies the same simulation twice, even without a txid', async () => {
    const ws = await memWs();
    const s = sim(ws, { txId: '' });
    await s.putState('a', enc('1'));
    await ws.commit(s);
    await expect(ws.commit(s)).rejects.toMatchObject({ code: 'DUPLICATE_TXID' });
    expect(await ws.height('ch1')).toBe(1);
    await ws.close();
  });
});

describe('phantom reads (range queries)', () => {
  it('rejects when a key appears in an exhausted range', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1', c: '3' });
    const s = sim(ws);
    await s.getStateByRange('a', 'd');
    await s.putState('z', enc('1'));
    await seed(ws, { b: '2' });
    await expect(ws.commit(s)).rejects.toMatchObject({ code: 'PHANTOM_READ_CONFLICT' });
    await ws.close();
  });

  it('rejects when a key in the range is updated or deleted', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1', c: '3' });
    const s1 = sim(ws);
    await s1.getStateByRange('a', 'd');
    const s2 = sim(ws);
    await s2.getStateByRange('a', 'd');
    const d = sim(ws);
    await d.delState('c');
    await ws.commit(d);
    await expect(ws.commit(s1)).rejects.toMatchObject({ code: 'PHANTOM_READ_CONFLICT' });
    await expect(ws.commit(s2)).rejects.toMatchObject({ code: 'PHANTOM_READ_CONFLICT' });
    await ws.close();
  });

  it('accepts changes outside the range, and past the last key of a range that was not exhausted', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1', b: '2', c: '3' });
    const s = sim(ws);
    await s.getStateByRange('a', 'c');
    const p = sim(ws);
    await p.getStateByRange('a', '', '', { pageSize: 1, bookmark: '' });
    await seed(ws, { c: 'changed', d: '4', bb: '5' });
    await expect(ws.commit(s)).rejects.toMatchObject({ code: 'PHANTOM_READ_CONFLICT' }); // bb is inside [a, c)
    await expect(ws.commit(p)).resolves.toMatchObject({ blockNum: 3 }); // only [a, a] was seen
    await ws.close();
  });
});

describe('versions and channels', () => {
  it('counts blocks per channel; every commit is a block with one transaction', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' });
    await seed(ws, { a: '2' });
    await seed(ws, { a: '1' }, { channel: 'ch2' });
    expect((await ws.getCommitted('ch1', 'cc', 'a'))?.version).toEqual({ blockNum: 2, txNum: 0 });
    expect((await ws.getCommitted('ch2', 'cc', 'a'))?.version).toEqual({ blockNum: 1, txNum: 0 });
    sim(ws, { channel: 'ch3' });
    expect(await ws.listChannels()).toEqual(['ch1', 'ch2', 'ch3']);
    await ws.close();
  });

  it('keeps namespaces apart', async () => {
    const ws = await memWs();
    await seed(ws, { a: '1' }, { namespace: 'n1' });
    await seed(ws, { ab: '2' }, { namespace: 'n' });
    const s = sim(ws, { namespace: 'n' });
    expect((await s.getStateByRange('', '')).results.map((r) => r.key)).toEqual(['ab']);
    await ws.close();
  });
});

describe('metadata at commit (validation/tx_ops.go)', () => {
  const meta = (v: string) => ({ metakey: 'VALIDATION_PARAMETER', value: enc(v) });

  it('keeps metadata across value updates, replaces it on metadata writes, drops it on delete', async () => {
    const ws = await memWs();
    await seed(ws, { k: '1' });
    const m = sim(ws);
    await m.putStateMetadata('k', meta('p1'));
    await ws.commit(m);
    expect((await ws.getCommitted('ch1', 'cc', 'k'))?.version).toEqual({ blockNum: 2, txNum: 0 });
    await seed(ws, { k: '2' });
    expect(await ws.getCommitted('ch1', 'cc', 'k')).toEqual({ value: enc('2'), version: { blockNum: 3, txNum: 0 }, metadata: [meta('p1')] });
    const m2 = sim(ws);
    await m2.putStateMetadata('k', { metakey: 'OTHER', value: enc('o') });
    await ws.commit(m2);
    expect((await ws.getCommitted('ch1', 'cc', 'k'))?.metadata).toEqual([{ metakey: 'OTHER', value: enc('o') }]);
    const both = sim(ws);
    await both.putState('k', enc('3'));
    await both.putStateMetadata('k', meta('p3'));
    await ws.commit(both);
    expect(await ws.getCommitted('ch1', 'cc', 'k')).toMatchObject({ value: enc('3'), metadata: [meta('p3')] });
    const del = sim(ws);
    await del.delState('k');
    await ws.commit(del);
    await seed(ws, { k: 'again' });
    expect((await ws.getCommitted('ch1', 'cc', 'k'))?.metadata).toEqual([]);
    await ws.close();
  });

  it('drops metadata written for a key that does not exist', async () => {
    const ws = await memWs();
    const m = sim(ws);
    await m.putStateMetadata('ghost', meta('p'));
    await ws.commit(m);
    expect(await ws.getCommitted('ch1', 'cc', 'ghost')).toBeUndefined();
    await ws.close();
  });
});

describe('history (history/query_executer.go: newest first)', () => {
  it('returns every write and delete, newest first, with txid, timestamp and is_delete', async () => {
    const ws = await memWs();
    const ts = (seconds: number) => ({ seconds, nanos: 7 });
    for (const [txId, op, seconds] of [
      ['t1', 'put:v1', 10],
      ['t2', 'put:v2', 20],
      ['t3', 'del', 30],
      ['t4', 'put:v4', 40],
    ] as const) {
      const s = ws.newSimulation({ channel: 'ch1', namespace: 'cc', txId, creatorMspId: 'Org1MSP', timestamp: ts(seconds) });
      if (op === 'del') await s.delState('k');
      else await s.putState('k', enc(op.slice(4)));
      await ws.commit(s);
    }
    const meta = sim(ws);
    await meta.putStateMetadata('k', { metakey: 'm', value: enc('x') });
    await ws.commit(meta);
    const s = sim(ws);
    const r = await s.getHistoryForKey('k');
    expect(r.kind).toBe('history');
    expect(r.hasMore).toBe(false);
    expect(r.results).toEqual([
      { txId: 't4', value: enc('v4'), timestamp: ts(40), isDelete: false },
      { txId: 't3', value: new Uint8Array(), timestamp: ts(30), isDelete: true },
      { txId: 't2', value: enc('v2'), timestamp: ts(20), isDelete: false },
      { txId: 't1', value: enc('v1'), timestamp: ts(10), isDelete: false },
    ]);
    await ws.close();
  });

  it('separates keys that are prefixes of each other, and batches by 100', async () => {
    const ws = await memWs();
    for (let i = 0; i < 120; i++) await seed(ws, { k: `v${i}`, k2: 'x', 'k\u0000': 'y' });
    const s = sim(ws);
    const d = await drain(s, await s.getHistoryForKey('k'));
    expect(d.batches).toEqual([100, 20]);
    const first = await s.getHistoryForKey('k');
    expect(first.results[0]).toMatchObject({ value: enc('v119') });
    await ws.close();
  });

  it('can be disabled like ledger.history.enableHistoryDatabase', async () => {
    const ws = await memWs({ enableHistoryDatabase: false });
    const s = sim(ws);
    await expect(s.getHistoryForKey('k')).rejects.toMatchObject({ code: 'HISTORY_DISABLED', message: 'history database is not enabled' });
    await ws.close();
  });
});

describe('commit input', () => {
  it('accepts a read/write set object and commit-time overrides', async () => {
    const ws = await memWs();
    const s = sim(ws, { txId: 'orig' });
    await s.putState('a', enc('1'));
    const rw = await s.result();
    const res = await ws.commit(rw, { txId: 'renamed', timestamp: { seconds: 5, nanos: 0 } });
    expect(res).toEqual({ channel: 'ch1', txId: 'renamed', blockNum: 1, txNum: 0 });
    const h = sim(ws);
    expect((await h.getHistoryForKey('a')).results[0]).toMatchObject({ txId: 'renamed', timestamp: { seconds: 5, nanos: 0 } });
    await ws.close();
  });
});
