/**
 * LevelDB (classic-level) persistence: state, metadata, private data and hashes, history, channel
 * heights, committed txids and the blockToLive schedule survive close + reopen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ledger/bytes.js';
import { WorldState } from '../../src/ledger/index.js';
import { dec, enc, idGen, sim, tempDir } from './helpers.js';

const COLLS = { cc: JSON.stringify([{ name: 'pvt', policy: "OR('Org1MSP.member')", blockToLive: 1 }]) };

const dirs: (() => void)[] = [];
afterEach(() => {
  while (dirs.length > 0) dirs.pop()?.();
});

describe('persistence with classic-level', () => {
  it('survives close and reopen', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const ws = await WorldState.open({ dataDir: dir, collections: COLLS, newIteratorId: idGen() });
    const s = sim(ws, { txId: 'p1' });
    await s.putState('a', enc('{"n":1}'));
    await s.putState('\u0000comp\u0000x\u0000', enc('c'));
    await s.putPrivateData('pvt', 'secret', enc('s'));
    await ws.commit(s);
    const m = sim(ws, { txId: 'p2' });
    await m.putStateMetadata('a', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') });
    await m.putState('a', enc('{"n":2}'));
    await ws.commit(m);
    await ws.close();

    const ws2 = await WorldState.open({ dataDir: dir, collections: COLLS, newIteratorId: idGen() });
    expect(await ws2.getCommitted('ch1', 'cc', 'a')).toEqual({
      value: enc('{"n":2}'),
      version: { blockNum: 2, txNum: 0 },
      metadata: [{ metakey: 'VALIDATION_PARAMETER', value: enc('ep') }],
    });
    expect(await ws2.height('ch1')).toBe(2);
    expect(await ws2.listChannels()).toEqual(['ch1']);
    expect(await ws2.committedTx('ch1', 'p1')).toEqual({ blockNum: 1, txNum: 0 });
    const r = sim(ws2);
    expect(dec(await r.getPrivateData('pvt', 'secret'))).toBe('s');
    expect(await r.getPrivateDataHash('pvt', 'secret')).toEqual(sha256(enc('s')));
    expect((await r.getStateByRange('\u0000', '\u0001')).results.map((x) => x.key)).toEqual(['\u0000comp\u0000x\u0000']);
    expect((await r.getQueryResult('{"selector":{"n":2}}')).results.map((x) => x.key)).toEqual(['a']);
    const h = await r.getHistoryForKey('a');
    expect(h.results.map((x) => [x.txId, dec(x.value)])).toEqual([
      ['p2', '{"n":2}'],
      ['p1', '{"n":1}'],
    ]);
    await r.done();
    // The txid index and the expiry schedule persisted too.
    const dup = sim(ws2, { txId: 'p1' });
    await dup.putState('z', enc('1'));
    await expect(ws2.commit(dup)).rejects.toMatchObject({ code: 'DUPLICATE_TXID' });
    // blockToLive 1: written at block 1, purged when block 3 commits.
    const t = sim(ws2, { txId: 'p3' });
    await t.putState('tick', enc('1'));
    await ws2.commit(t);
    expect(await ws2.getCommittedPrivate('ch1', 'cc', 'pvt', 'secret')).toBeUndefined();
    await ws2.close();
  });

  it('close waits for a running commit and ends open simulations', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const ws = await WorldState.open({ dataDir: dir });
    const open = sim(ws);
    const s = sim(ws);
    await s.putState('a', enc('1'));
    const committing = ws.commit(s);
    await ws.close();
    await expect(committing).resolves.toMatchObject({ blockNum: 1 });
    await expect(open.getState('a')).rejects.toMatchObject({ code: 'CLOSED' });
    const ws2 = await WorldState.open({ dataDir: dir });
    expect(dec((await ws2.getCommitted('ch1', 'cc', 'a'))?.value ?? new Uint8Array())).toBe('1');
    await ws2.close();
  });
});
