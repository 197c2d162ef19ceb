/**
 * Blocks on LevelDB (classic-level): block bytes, heights and the txid index survive a restart;
 * a block is one database batch (a failing callback or a failing batch leaves nothing behind);
 * data directories written before blocks existed (old txid and channel records) keep working.
 */
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/ledger/bytes.js';
import { TxValidationCode as C, WorldState, type BlockTx, type TxSimulationResults } from '../../src/ledger/index.js';
import { keys } from '../../src/ledger/store.js';
import { dec, enc, idGen, putTx, sim, tempDir, textBlock } from './helpers.js';

const COLLS = { cc: JSON.stringify([{ name: 'pvt', policy: "OR('Org1MSP.member')", blockToLive: 0 }]) };

const dirs: (() => void)[] = [];
afterEach(() => {
  while (dirs.length > 0) dirs.pop()?.();
});

function newDir(): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return dir;
}

const open = (dir: string) => WorldState.open({ dataDir: dir, collections: COLLS, newIteratorId: idGen() });

const ok = (results: TxSimulationResults): BlockTx => ({ txId: results.txId, results });

describe('blocks with classic-level', () => {
  it('block bytes, height, txid index and state survive close and reopen', async () => {
    const dir = newDir();
    const ws = await open(dir);
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    const a = await putTx(ws, 'a', 'k', '1', true);
    const b = await putTx(ws, 'b', 'k', '2', true);
    expect((await ws.commitBlock(textBlock(1, [ok(a), ok(b), { txId: 'c', code: C.BAD_PAYLOAD }]))).codes).toEqual([0, C.MVCC_READ_CONFLICT, C.BAD_PAYLOAD]);
    await ws.close();

    const ws2 = await open(dir);
    expect(await ws2.blockHeight('ch1')).toBe(2);
    expect(dec((await ws2.getBlock('ch1', 0)) ?? new Uint8Array())).toBe('block 0: 0');
    expect(dec((await ws2.getBlock('ch1', 1)) ?? new Uint8Array())).toBe(`block 1: 0,${C.MVCC_READ_CONFLICT},${C.BAD_PAYLOAD}`);
    expect(await ws2.txStatus('ch1', 'a')).toEqual({ blockNumber: 1, txNumber: 0, code: C.VALID });
    expect(await ws2.txStatus('ch1', 'b')).toEqual({ blockNumber: 1, txNumber: 1, code: C.MVCC_READ_CONFLICT });
    expect(await ws2.txStatus('ch1', 'c')).toEqual({ blockNumber: 1, txNumber: 2, code: C.BAD_PAYLOAD });
    expect(await ws2.committedTx('ch1', 'a')).toEqual({ blockNum: 1, txNum: 0 });
    expect(await ws2.committedTx('ch1', 'b')).toBeUndefined();
    expect(await ws2.getCommitted('ch1', 'cc', 'k')).toMatchObject({ value: enc('1'), version: { blockNum: 1, txNum: 0 } });
    // Duplicates are still found, and the next block is 2.
    const again = await putTx(ws2, 'b', 'z', '1');
    await expect(ws2.commitBlock(textBlock(1, [ok(again)]))).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_ORDER' });
    expect((await ws2.commitBlock(textBlock(2, [ok(again)]))).codes).toEqual([C.DUPLICATE_TXID]);
    await ws2.close();
  });

  it('writes a block in one database batch; a failing callback or batch leaves nothing, even after reopen', async () => {
    const dir = newDir();
    const ws = await open(dir);
    await ws.commitBlock(textBlock(0, [{ txId: '' }]));
    const db = (ws as unknown as { db: { batch: (...args: unknown[]) => Promise<void> } }).db;
    const original = db.batch.bind(db);
    let batches = 0;
    let failNext = false;
    db.batch = async (...args: unknown[]) => {
      batches++;
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return original(...args);
    };
    const s = sim(ws, { txId: 't1' });
    await s.putState('a', enc('1'));
    await s.putPrivateData('pvt', 'p', enc('secret'));
    const t1 = await s.result();
    const t2 = await putTx(ws, 't2', 'b', '2');

    await expect(
      ws.commitBlock({
        ...textBlock(1, [ok(t1), ok(t2)]),
        encode: () => {
          throw new Error('no encoder');
        },
      }),
    ).rejects.toMatchObject({ code: 'COMMIT_ABORTED' });
    expect(batches).toBe(0);
    failNext = true;
    await expect(ws.commitBlock(textBlock(1, [ok(t1), ok(t2)]))).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: 'disk full' });
    expect(batches).toBe(1);
    await ws.close();

    const ws2 = await open(dir);
    expect(await ws2.blockHeight('ch1')).toBe(1);
    expect(await ws2.getBlock('ch1', 1)).toBeUndefined();
    expect(await ws2.txStatus('ch1', 't1')).toBeUndefined();
    expect(await ws2.getCommitted('ch1', 'cc', 'a')).toBeUndefined();
    expect(await ws2.getCommittedPrivate('ch1', 'cc', 'pvt', 'p')).toBeUndefined();
    const h = sim(ws2);
    expect((await h.getHistoryForKey('a')).results).toEqual([]);
    await h.done();
    expect((await ws2.commitBlock(textBlock(1, [ok(t1), ok(t2)]))).codes).toEqual([0, 0]);
    expect(await ws2.getCommittedPrivate('ch1', 'cc', 'pvt', 'p')).toMatchObject({ value: enc('secret'), version: { blockNum: 1, txNum: 0 } });
    await ws2.close();
  });

  it('reads data directories from before blocks: old channel and txid records', async () => {
    const dir = newDir();
    // What the single-transaction ledger wrote after three commits (blocks 1..3, block 0 never).
    const raw = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await raw.open();
    await raw.put(keys.channel('ch1'), utf8('{"h":3}'));
    await raw.put(keys.txid('ch1', 'old'), utf8('{"b":2,"t":0}'));
    await raw.put(keys.state('ch1', 'cc', 'k'), utf8(`{"v":"${Buffer.from('old').toString('base64')}","b":3,"t":0}`));
    await raw.close();

    const ws = await open(dir);
    expect(await ws.height('ch1')).toBe(3);
    expect(await ws.blockHeight('ch1')).toBe(4);
    expect(await ws.txStatus('ch1', 'old')).toEqual({ blockNumber: 2, txNumber: 0, code: C.VALID });
    expect(await ws.committedTx('ch1', 'old')).toEqual({ blockNum: 2, txNum: 0 });
    const s = sim(ws, { txId: 'new' });
    await s.getState('k');
    await s.putState('k', enc('new'));
    await expect(ws.commit(s)).resolves.toMatchObject({ blockNum: 4, txNum: 0 });
    const dup = await putTx(ws, 'old', 'z', '1');
    expect((await ws.commitBlock(textBlock(5, [ok(dup)]))).codes).toEqual([C.DUPLICATE_TXID]);
    expect(await ws.blockHeight('ch1')).toBe(6);
    await ws.close();
  });
});
