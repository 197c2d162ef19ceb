/**
 * Private write sets kept with blocks (BlockTx.privateWriteSets, WorldState.getBlockPrivateData):
 * written in the block's batch for valid and invalid transactions alike (Fabric's pvtdata store
 * with StorePvtDataOfInvalidTx), read back in (tx, namespace, collection) order, surviving a
 * reopen on LevelDB, removed when the collection's blockToLive expires them, and purge markers of
 * valid PurgePrivateData transactions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TxValidationCode as C, WorldState, type BlockToCommit, type BlockTx, type TxSimulationResults } from '../../src/ledger/index.js';
import { enc, idGen, putTx, sim, tempDir, textBlock } from './helpers.js';

const COLLS = {
  cc: JSON.stringify([
    { name: 'pvt', policy: "OR('Org1MSP.member')", blockToLive: 0 },
    { name: 'brief', policy: "OR('Org1MSP.member')", blockToLive: 1 },
  ]),
};

const dirs: (() => void)[] = [];
afterEach(() => {
  while (dirs.length > 0) dirs.pop()?.();
});

const set = (collection: string, text: string) => ({ namespace: 'cc', collection, rwset: enc(text) });

describe('private write sets kept with blocks', () => {
  it('are written with the block for valid and invalid transactions, in order, and survive a reopen', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const ws = await WorldState.open({ dataDir: dir, collections: COLLS, newIteratorId: idGen() });
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    const a = await putTx(ws, 'a', 'k', '1', true);
    const b = await putTx(ws, 'b', 'k', '2', true);
    const r = await ws.commitBlock(
      textBlock(1, [
        { txId: 'a', results: a, privateWriteSets: [set('pvt', 'a-pvt')] },
        { txId: 'b', results: b, privateWriteSets: [set('pvt', 'b-pvt'), { namespace: 'aa', collection: 'z', rwset: enc('b-aa') }] },
        { txId: 'c', code: C.BAD_PAYLOAD },
      ]),
    );
    expect(r.codes).toEqual([C.VALID, C.MVCC_READ_CONFLICT, C.BAD_PAYLOAD]);
    const expected = [
      { txNum: 0, namespace: 'cc', collection: 'pvt', rwset: enc('a-pvt') },
      { txNum: 1, namespace: 'aa', collection: 'z', rwset: enc('b-aa') },
      { txNum: 1, namespace: 'cc', collection: 'pvt', rwset: enc('b-pvt') },
    ];
    expect(await ws.getBlockPrivateData('ch1', 1)).toEqual(expected);
    expect(await ws.getBlockPrivateData('ch1', 0)).toEqual([]);
    expect(await ws.getBlockPrivateData('ch1', 7)).toEqual([]);
    await ws.close();
    const again = await WorldState.open({ dataDir: dir, collections: COLLS, newIteratorId: idGen() });
    expect(await again.getBlockPrivateData('ch1', 1)).toEqual(expected);
    await again.close();
  });

  it('a commit that fails keeps none of them', async () => {
    const ws = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    const failing: BlockToCommit = {
      ...textBlock(1, [{ txId: 'a', privateWriteSets: [set('pvt', 'x')] }]),
      encode: () => {
        throw new Error('no');
      },
    };
    await expect(ws.commitBlock(failing)).rejects.toMatchObject({ code: 'COMMIT_ABORTED' });
    expect(await ws.getBlockPrivateData('ch1', 1)).toEqual([]);
    await ws.close();
  });

  it('refuses malformed private write sets', async () => {
    const ws = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
    const bad = textBlock(0, [{ txId: 'a', privateWriteSets: [{ namespace: 'cc', collection: 'pvt', rwset: 'text' as unknown as Uint8Array }] }]);
    await expect(ws.commitBlock(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await ws.close();
  });

  it('blockToLive removes them with block + blockToLive + 1; collections without one keep them', async () => {
    const ws = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    await ws.commitBlock(textBlock(1, [{ txId: 'a', privateWriteSets: [set('brief', 'gone soon'), set('pvt', 'stays')] }]));
    await ws.commitBlock(textBlock(2, [{ txId: 'b' }]));
    expect((await ws.getBlockPrivateData('ch1', 1)).map((s) => s.collection)).toEqual(['brief', 'pvt']);
    await ws.commitBlock(textBlock(3, [{ txId: 'c' }]));
    expect((await ws.getBlockPrivateData('ch1', 1)).map((s) => s.collection)).toEqual(['pvt']);
    await ws.close();
  });

  it('a valid PurgePrivateData leaves a purge marker at its version; an invalid one none', async () => {
    const ws = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    const w = sim(ws, { txId: 'w' });
    await w.putPrivateData('pvt', 'k', enc('v'));
    await ws.commitBlock(textBlock(1, [{ txId: 'w', results: await w.result() }]));
    const p1 = sim(ws, { txId: 'p1' });
    await p1.purgePrivateData('pvt', 'k');
    const p2 = sim(ws, { txId: 'p2' });
    await p2.purgePrivateData('pvt', 'other');
    await ws.commitBlock(textBlock(2, [{ txId: 'x' }, { txId: 'p1', results: await p1.result() }, { txId: 'p2', results: await p2.result(), code: C.ENDORSEMENT_POLICY_FAILURE }]));
    expect(await ws.purgeMarker('ch1', 'cc', 'pvt', 'k')).toEqual({ blockNum: 2, txNum: 1 });
    expect(await ws.purgeMarker('ch1', 'cc', 'pvt', 'other')).toBeUndefined();
    await ws.close();
  });
});
