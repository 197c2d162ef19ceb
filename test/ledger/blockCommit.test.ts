/**
 * Blocks of several transactions (WorldState.commitBlock): validation in block order against the
 * committed state plus the earlier valid transactions of the block (MVCC, phantoms, hashed reads),
 * duplicate txids, caller codes and key-level checks, what is applied for valid transactions only
 * (state, history, private data), the block store (bytes, txid index with codes, height), block
 * order, and atomicity when a callback throws. Restart cases are in blockStore.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ledger/bytes.js';
import {
  TxValidationCode as C,
  type BlockMetadataView,
  type BlockToCommit,
  type BlockTx,
  type Simulation,
  type TxSimulationResults,
  type WorldState,
} from '../../src/ledger/index.js';
import { dec, drain, enc, memWs, sim } from './helpers.js';

const COLLS = { cc: JSON.stringify([{ name: 'pvt', policy: "OR('Org1MSP.member')", blockToLive: 0 }]) };
const VP = (v: string) => ({ metakey: 'VALIDATION_PARAMETER', value: enc(v) });

/** Simulates one transaction on the current committed state. */
async function tx(ws: WorldState, txId: string, body: (s: Simulation) => Promise<unknown>): Promise<TxSimulationResults> {
  const s = sim(ws, { txId });
  await body(s);
  return s.result();
}

const encodeCodes = (number: number) => (codes: readonly number[]) => enc(`block ${number}: ${codes.join(',')}`);

function block(number: number, txs: BlockTx[], channel = 'ch1'): BlockToCommit {
  return { channel, number, txs, encode: encodeCodes(number) };
}

const ok = (results: TxSimulationResults, extra: Partial<BlockTx> = {}): BlockTx => ({ txId: results.txId, results, ...extra });

/** A channel with its genesis block (block 0, one config transaction without a txid). */
async function withGenesis(options: Parameters<typeof memWs>[0] = {}): Promise<WorldState> {
  const ws = await memWs(options);
  await expect(ws.commitBlock(block(0, [{ txId: '' }]))).resolves.toEqual({ channel: 'ch1', number: 0, codes: [0] });
  return ws;
}

const value = async (ws: WorldState, key: string) => {
  const c = await ws.getCommitted('ch1', 'cc', key);
  return c === undefined ? undefined : dec(c.value);
};

describe('intra-block MVCC (validator.go validateAndPrepareBatch)', () => {
  it('a read of a key written by an earlier valid transaction of the block conflicts', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const t1 = await tx(ws, 't1', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('1'));
    });
    const t2 = await tx(ws, 't2', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('2'));
      await s.putState('other', enc('x'));
    });
    const r = await ws.commitBlock(block(2, [ok(t1), ok(t2)]));
    expect(r).toEqual({ channel: 'ch1', number: 2, codes: [C.VALID, C.MVCC_READ_CONFLICT] });
    expect(await ws.getCommitted('ch1', 'cc', 'k')).toMatchObject({ value: enc('1'), version: { blockNum: 2, txNum: 0 } });
    expect(await ws.getCommitted('ch1', 'cc', 'other')).toBeUndefined();
    expect(await ws.txStatus('ch1', 't2')).toEqual({ blockNumber: 2, txNumber: 1, code: C.MVCC_READ_CONFLICT });
    expect(await ws.committedTx('ch1', 't1')).toEqual({ blockNum: 2, txNum: 0 });
    expect(await ws.committedTx('ch1', 't2')).toBeUndefined();
    await ws.close();
  });

  it('versions are (block, index in block); blind writes of the same key are all valid, the last wins', async () => {
    const ws = await withGenesis();
    const w = await Promise.all(['a', 'b', 'c'].map((v) => tx(ws, `w-${v}`, (s) => s.putState('k', enc(v)))));
    const r = await ws.commitBlock(block(1, w.map((x) => ok(x))));
    expect(r.codes).toEqual([0, 0, 0]);
    expect(await ws.getCommitted('ch1', 'cc', 'k')).toMatchObject({ value: enc('c'), version: { blockNum: 1, txNum: 2 } });
    await ws.close();
  });

  it('a read of a key deleted earlier in the block conflicts, even a read of a key that never existed', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const del = await tx(ws, 'del', async (s) => {
      await s.delState('k');
      await s.delState('ghost');
    });
    const readK = await tx(ws, 'readK', async (s) => {
      await s.getState('k');
      await s.putState('x', enc('1'));
    });
    const readGhost = await tx(ws, 'readGhost', async (s) => {
      await s.getState('ghost');
      await s.putState('y', enc('1'));
    });
    const unrelated = await tx(ws, 'unrelated', async (s) => {
      await s.getState('z');
      await s.putState('z', enc('1'));
    });
    const r = await ws.commitBlock(block(2, [ok(del), ok(readK), ok(readGhost), ok(unrelated)]));
    // validateKVRead: UpdateBatch.Exists — a delete of a missing key is in the batch too.
    expect(r.codes).toEqual([C.VALID, C.MVCC_READ_CONFLICT, C.MVCC_READ_CONFLICT, C.VALID]);
    expect(await value(ws, 'k')).toBeUndefined();
    expect(await value(ws, 'x')).toBeUndefined();
    expect(await value(ws, 'z')).toBe('1');
    await ws.close();
  });

  it('an invalid transaction does not invalidate the ones after it', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const stale = await tx(ws, 'stale', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('stale'));
    });
    await ws.commitBlock(block(2, [ok(await tx(ws, 'bump', (s) => s.putState('k', enc('1'))))]));
    const reader = await tx(ws, 'reader', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('2'));
    });
    const r = await ws.commitBlock(block(3, [ok(stale), ok(reader)]));
    expect(r.codes).toEqual([C.MVCC_READ_CONFLICT, C.VALID]);
    expect(await value(ws, 'k')).toBe('2');
    await ws.close();
  });

  it('phantom reads: a range whose results change because of an earlier transaction of the block', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', async (s) => {
      await s.putState('a', enc('1'));
      await s.putState('c', enc('3'));
      await s.putState('m', enc('4'));
    }))]));
    const scan = (txId: string, start: string, end: string) =>
      tx(ws, txId, async (s) => {
        await s.getStateByRange(start, end);
        await s.putState(`out-${txId}`, enc('1'));
      });
    const sAD = await scan('sAD', 'a', 'd');
    const sDZ = await scan('sDZ', 'd', 'z');
    const sMN = await scan('sMN', 'm', 'n');
    const insert = await tx(ws, 'insert', (s) => s.putState('b', enc('2')));
    const update = await tx(ws, 'update', (s) => s.putState('m', enc('new')));
    const r = await ws.commitBlock(block(2, [ok(insert), ok(sAD), ok(sDZ), ok(update), ok(sMN)]));
    // sAD sees the new key b; sDZ ran before the update of m; sMN sees m at a new version.
    expect(r.codes).toEqual([C.VALID, C.PHANTOM_READ_CONFLICT, C.VALID, C.VALID, C.PHANTOM_READ_CONFLICT]);
    expect(await value(ws, 'out-sAD')).toBeUndefined();
    expect(await value(ws, 'out-sDZ')).toBe('1');
    await ws.close();
  });

  it('phantom reads: a key deleted earlier in the block disappears from the range', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', async (s) => {
      await s.putState('a', enc('1'));
      await s.putState('b', enc('2'));
    }))]));
    const scan = await tx(ws, 'scan', async (s) => {
      await s.getStateByRange('a', 'c');
      await s.putState('out', enc('1'));
    });
    const del = await tx(ws, 'del', (s) => s.delState('b'));
    expect((await ws.commitBlock(block(2, [ok(del), ok(scan)]))).codes).toEqual([C.VALID, C.PHANTOM_READ_CONFLICT]);
    await ws.close();
  });

  it('hashed reads of private data conflict with an earlier private write of the block', async () => {
    const ws = await withGenesis({ collections: COLLS });
    const w = await tx(ws, 'w', (s) => s.putPrivateData('pvt', 'k', enc('v')));
    const r = await tx(ws, 'r', async (s) => {
      await s.getPrivateData('pvt', 'k');
      await s.putState('out', enc('1'));
    });
    expect((await ws.commitBlock(block(1, [ok(w), ok(r)]))).codes).toEqual([C.VALID, C.MVCC_READ_CONFLICT]);
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'k')).toMatchObject({ value: enc('v'), version: { blockNum: 1, txNum: 0 } });
    await ws.close();
  });

  it('value-only writes keep metadata set by an earlier transaction of the block (tx_ops.go retrieveLatestMetadata)', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const meta = await tx(ws, 'meta', (s) => s.putStateMetadata('k', VP('p')));
    const write = await tx(ws, 'write', (s) => s.putState('k', enc('1')));
    const metaGhost = await tx(ws, 'metaGhost', (s) => s.putStateMetadata('ghost', VP('g')));
    expect((await ws.commitBlock(block(2, [ok(meta), ok(write), ok(metaGhost)]))).codes).toEqual([0, 0, 0]);
    expect(await ws.getCommitted('ch1', 'cc', 'k')).toEqual({ value: enc('1'), version: { blockNum: 2, txNum: 1 }, metadata: [VP('p')] });
    expect(await ws.getCommitted('ch1', 'cc', 'ghost')).toBeUndefined();
    await ws.close();
  });
});

describe('duplicate txids (txvalidator checkTxIdDupsLedger, markTXIdDuplicates)', () => {
  it('within a block: the second use of a txid is DUPLICATE_TXID and the index keeps the first', async () => {
    const ws = await withGenesis();
    const a1 = await tx(ws, 'same', (s) => s.putState('a', enc('1')));
    const a2 = await tx(ws, 'same', (s) => s.putState('b', enc('2')));
    const r = await ws.commitBlock(block(1, [ok(a1), ok(a2)]));
    expect(r.codes).toEqual([C.VALID, C.DUPLICATE_TXID]);
    expect(await value(ws, 'b')).toBeUndefined();
    expect(await ws.txStatus('ch1', 'same')).toEqual({ blockNumber: 1, txNumber: 0, code: C.VALID });
    await ws.close();
  });

  it('against an earlier block, also when the earlier transaction was invalid', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const stale = await tx(ws, 'was-invalid', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('x'));
    });
    await ws.commitBlock(block(2, [ok(await tx(ws, 'bump', (s) => s.putState('k', enc('1'))))]));
    expect((await ws.commitBlock(block(3, [ok(stale)]))).codes).toEqual([C.MVCC_READ_CONFLICT]);
    const again = await tx(ws, 'was-invalid', (s) => s.putState('k', enc('retry')));
    const seedAgain = await tx(ws, 'seed', (s) => s.putState('k', enc('replay')));
    expect((await ws.commitBlock(block(4, [ok(again), ok(seedAgain)]))).codes).toEqual([C.DUPLICATE_TXID, C.DUPLICATE_TXID]);
    expect(await value(ws, 'k')).toBe('1');
    expect(await ws.txStatus('ch1', 'was-invalid')).toEqual({ blockNumber: 3, txNumber: 0, code: C.MVCC_READ_CONFLICT });
    expect(await ws.txStatus('ch1', 'seed')).toEqual({ blockNumber: 1, txNumber: 0, code: C.VALID });
    // The legacy path refuses it too, without writing anything.
    const legacy = sim(ws, { txId: 'was-invalid' });
    await legacy.putState('k', enc('legacy'));
    await expect(ws.commit(legacy)).rejects.toMatchObject({ code: 'DUPLICATE_TXID' });
    expect(await ws.blockHeight('ch1')).toBe(5);
    await ws.close();
  });

  it('within a block only transactions that passed the endorsement check count; MVCC does not matter', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const failsCheck = await tx(ws, 'id1', (s) => s.putState('a', enc('1')));
    const sameId = await tx(ws, 'id1', (s) => s.putState('b', enc('2')));
    const conflicting = await tx(ws, 'id2', async (s) => {
      await s.getState('k');
      await s.putState('c', enc('3'));
    });
    const writer = await tx(ws, 'w', (s) => s.putState('k', enc('1')));
    const sameId2 = await tx(ws, 'id2', (s) => s.putState('d', enc('4')));
    const r = await ws.commitBlock(
      block(2, [ok(failsCheck, { check: () => C.ENDORSEMENT_POLICY_FAILURE }), ok(sameId), ok(writer), ok(conflicting), ok(sameId2)]),
    );
    expect(r.codes).toEqual([C.ENDORSEMENT_POLICY_FAILURE, C.VALID, C.VALID, C.MVCC_READ_CONFLICT, C.DUPLICATE_TXID]);
    expect(await value(ws, 'b')).toBe('2');
    expect(await value(ws, 'd')).toBeUndefined();
    // The index keeps the first use, whatever its code.
    expect(await ws.txStatus('ch1', 'id1')).toEqual({ blockNumber: 2, txNumber: 0, code: C.ENDORSEMENT_POLICY_FAILURE });
    await ws.close();
  });

  it('transactions without a txid (config) are neither indexed nor duplicates', async () => {
    const ws = await withGenesis();
    const r = await ws.commitBlock(block(1, [{ txId: '' }, { txId: '' }]));
    expect(r.codes).toEqual([0, 0]);
    expect(await ws.txStatus('ch1', '')).toBeUndefined();
    await ws.close();
  });
});

describe('codes decided before the ledger, and key-level checks', () => {
  it('a precomputed code is indexed but nothing of the transaction is applied', async () => {
    const ws = await withGenesis({ collections: COLLS });
    const bad = await tx(ws, 'bad', async (s) => {
      await s.putState('k', enc('bad'));
      await s.putPrivateData('pvt', 'p', enc('secret'));
    });
    const after = await tx(ws, 'after', async (s) => {
      await s.getState('k');
      await s.putState('k', enc('good'));
    });
    const r = await ws.commitBlock(block(1, [ok(bad, { code: C.ENDORSEMENT_POLICY_FAILURE }), ok(after), { txId: 'nopayload', code: C.BAD_PAYLOAD }]));
    expect(r.codes).toEqual([C.ENDORSEMENT_POLICY_FAILURE, C.VALID, C.BAD_PAYLOAD]);
    expect(await value(ws, 'k')).toBe('good');
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'p')).toBeUndefined();
    expect(await ws.txStatus('ch1', 'bad')).toEqual({ blockNumber: 1, txNumber: 0, code: C.ENDORSEMENT_POLICY_FAILURE });
    expect(await ws.txStatus('ch1', 'nopayload')).toEqual({ blockNumber: 1, txNumber: 2, code: C.BAD_PAYLOAD });
    expect(await ws.committedTx('ch1', 'bad')).toBeUndefined();
    await ws.close();
  });

  it('check sees metadata set by an earlier valid transaction of the block, not by an invalid one', async () => {
    const ws = await withGenesis({ collections: COLLS });
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', async (s) => {
      await s.putState('k', enc('0'));
      await s.putState('j', enc('0'));
      await s.putState('x', enc('0'));
      await s.putPrivateData('pvt', 'p', enc('0'));
    }))]));
    const setK = await tx(ws, 'setK', async (s) => {
      await s.putStateMetadata('k', VP('policy-k'));
      await s.putStateMetadata('p', VP('policy-p'), 'pvt');
    });
    // Reads x, which `bumpX` changes first: MVCC-invalid, so its metadata never applies.
    const setJ = await tx(ws, 'setJ', async (s) => {
      await s.getState('x');
      await s.putStateMetadata('j', VP('policy-j'));
    });
    const bumpX = await tx(ws, 'bumpX', (s) => s.putState('x', enc('1')));
    // Precomputed-invalid: never checked, no dependency.
    const setX = await tx(ws, 'setX', (s) => s.putStateMetadata('x', VP('policy-x')));
    const seen: unknown[] = [];
    const inspect = async (m: BlockMetadataView) => {
      seen.push({
        k: await m.publicMetadata('cc', 'k'),
        j: await m.publicMetadata('cc', 'j'),
        missing: await m.publicMetadata('cc', 'nope'),
        p: await m.privateMetadata('cc', 'pvt', sha256('p')),
        kUpdated: m.publicMetadataUpdatedInBlock('cc', 'k'),
        jUpdated: m.publicMetadataUpdatedInBlock('cc', 'j'),
        xUpdated: m.publicMetadataUpdatedInBlock('cc', 'x'),
        pUpdated: m.privateMetadataUpdatedInBlock('cc', 'pvt', sha256('p')),
      });
      return C.VALID;
    };
    const probe1 = await tx(ws, 'probe1', (s) => s.putState('q1', enc('1')));
    const probe2 = await tx(ws, 'probe2', (s) => s.putState('q2', enc('1')));
    const r = await ws.commitBlock(
      block(2, [
        ok(probe1, { check: inspect }),
        ok(bumpX),
        ok(setK),
        ok(setJ),
        ok(setX, { code: C.ENDORSEMENT_POLICY_FAILURE }),
        ok(probe2, { check: inspect }),
      ]),
    );
    expect(r.codes).toEqual([C.VALID, C.VALID, C.VALID, C.MVCC_READ_CONFLICT, C.ENDORSEMENT_POLICY_FAILURE, C.VALID]);
    expect(seen).toEqual([
      { k: [], j: [], missing: undefined, p: [], kUpdated: false, jUpdated: false, xUpdated: false, pUpdated: false },
      // setJ passed the (absent) check, so Fabric's key-level validation would treat j as updated
      // (ValidationParameterUpdatedError), though its metadata was not applied.
      { k: [VP('policy-k')], j: [], missing: undefined, p: [VP('policy-p')], kUpdated: true, jUpdated: true, xUpdated: false, pUpdated: true },
    ]);
    await ws.close();
  });

  it('a check that fails invalidates the transaction; its metadata then counts for nobody', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const setK = await tx(ws, 'setK', (s) => s.putStateMetadata('k', VP('p')));
    const probe = await tx(ws, 'probe', (s) => s.putState('q', enc('1')));
    let updated: boolean | undefined;
    const r = await ws.commitBlock(
      block(2, [
        ok(setK, { check: async () => C.ENDORSEMENT_POLICY_FAILURE }),
        ok(probe, {
          check: (m) => {
            updated = m.publicMetadataUpdatedInBlock('cc', 'k');
            return C.VALID;
          },
        }),
      ]),
    );
    expect(r.codes).toEqual([C.ENDORSEMENT_POLICY_FAILURE, C.VALID]);
    expect(updated).toBe(false);
    expect((await ws.getCommitted('ch1', 'cc', 'k'))?.metadata).toEqual([]);
    await ws.close();
  });

  it('the view works only while its check runs', async () => {
    const ws = await withGenesis();
    let kept: BlockMetadataView | undefined;
    const t = await tx(ws, 't', (s) => s.putState('a', enc('1')));
    await ws.commitBlock(
      block(1, [
        ok(t, {
          check: (m) => {
            kept = m;
            return C.VALID;
          },
        }),
      ]),
    );
    await expect(kept?.publicMetadata('cc', 'a')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => kept?.publicMetadataUpdatedInBlock('cc', 'a')).toThrow(/after its check returned/);
    await ws.close();
  });
});

describe('what valid transactions apply', () => {
  it('history entries have txNum = index in block, only for valid transactions', async () => {
    const ws = await withGenesis();
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('h', enc('0'))))]));
    const t0 = await tx(ws, 't0', (s) => s.putState('h', enc('v0')));
    const t1 = await tx(ws, 't1', async (s) => {
      await s.getState('h');
      await s.putState('h', enc('v1'));
    });
    const t2 = await tx(ws, 't2', (s) => s.delState('h'));
    const t3 = await tx(ws, 't3', (s) => s.putState('h', enc('v3')));
    const r = await ws.commitBlock(block(2, [ok(t0, { timestamp: { seconds: 100, nanos: 1 } }), ok(t1), ok(t2), ok(t3, { code: C.BAD_PAYLOAD })]));
    expect(r.codes).toEqual([C.VALID, C.MVCC_READ_CONFLICT, C.VALID, C.BAD_PAYLOAD]);
    const h = sim(ws);
    const all = await h.getHistoryForKey('h');
    expect(all.results.map((x) => [x.txId, dec(x.value), x.isDelete])).toEqual([
      ['t2', '', true],
      ['t0', 'v0', false],
      ['seed', '0', false],
    ]);
    expect(all.results[1]?.timestamp).toEqual({ seconds: 100, nanos: 1 });
    expect((await drain(h, await h.getHistoryForKey('h'))).keys).toEqual(['t2', 't0', 'seed']);
    await h.done();
    expect(await ws.getCommitted('ch1', 'cc', 'h')).toBeUndefined();
    await ws.close();
  });

  it('private data of valid transactions is applied, of invalid ones not', async () => {
    const ws = await withGenesis({ collections: COLLS });
    await ws.commitBlock(block(1, [ok(await tx(ws, 'seed', (s) => s.putState('k', enc('0'))))]));
    const good = await tx(ws, 'good', (s) => s.putPrivateData('pvt', 'g', enc('good')));
    const conflicting = await tx(ws, 'conflicting', async (s) => {
      await s.getState('k');
      await s.putPrivateData('pvt', 'c', enc('conflicting'));
    });
    const writer = await tx(ws, 'writer', (s) => s.putState('k', enc('1')));
    const r = await ws.commitBlock(block(2, [ok(good), ok(writer), ok(conflicting)]));
    expect(r.codes).toEqual([C.VALID, C.VALID, C.MVCC_READ_CONFLICT]);
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'g')).toEqual({
      value: enc('good'),
      valueHash: sha256(enc('good')),
      version: { blockNum: 2, txNum: 0 },
      metadata: [],
    });
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'c')).toBeUndefined();
    await ws.close();
  });

  it('blockToLive expiry runs once per block and spares keys a valid transaction of the block rewrites', async () => {
    const colls = { cc: JSON.stringify([{ name: 'pvt', policy: "OR('Org1MSP.member')", blockToLive: 1 }]) };
    const ws = await withGenesis({ collections: colls });
    await ws.commitBlock(block(1, [ok(await tx(ws, 'w', async (s) => {
      await s.putPrivateData('pvt', 'a', enc('a1'));
      await s.putPrivateData('pvt', 'b', enc('b1'));
    }))]));
    await ws.commitBlock(block(2, [{ txId: '' }]));
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'a')).toBeDefined();
    // Block 3 purges what block 1 wrote (1 + btl + 1), except b, rewritten in block 3.
    const noop = await tx(ws, 'noop', (s) => s.putState('z', enc('1')));
    const rewrite = await tx(ws, 'rewrite', (s) => s.putPrivateData('pvt', 'b', enc('b3')));
    await ws.commitBlock(block(3, [ok(noop), ok(rewrite)]));
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'a')).toBeUndefined();
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'b')).toMatchObject({ value: enc('b3'), version: { blockNum: 3, txNum: 1 } });
    await ws.close();
  });

  it('write sets the state database refuses are INVALID_WRITESET (batch_preparer.go validateWriteset)', async () => {
    const bad = (channel: string): TxSimulationResults => ({
      channel,
      txId: 'badkey',
      timestamp: undefined,
      publicRwSet: [
        { namespace: 'cc', reads: [], rangeQueriesInfo: [], writes: [{ key: '_bad', isDelete: false, value: enc('1') }], metadataWrites: [], collHashedRwSets: [] },
      ],
      privateRwSet: [],
    });
    const couch = await withGenesis();
    expect((await couch.commitBlock(block(1, [ok(bad('ch1'))]))).codes).toEqual([C.INVALID_WRITESET]);
    expect(await couch.getCommitted('ch1', 'cc', '_bad')).toBeUndefined();
    await couch.close();
    const level = await withGenesis({ stateDatabase: 'goleveldb' });
    expect((await level.commitBlock(block(1, [ok(bad('ch1'))]))).codes).toEqual([C.VALID]);
    await level.close();
  });
});

describe('the block store', () => {
  it('stores the bytes encode returns (given the final codes) and reads them back by number', async () => {
    const ws = await withGenesis();
    const seen: (readonly number[])[] = [];
    const t = await tx(ws, 't', (s) => s.putState('a', enc('1')));
    const r = await ws.commitBlock({
      channel: 'ch1',
      number: 1,
      txs: [ok(t), { txId: 'x', code: C.BAD_CREATOR_SIGNATURE }],
      encode: (codes) => {
        seen.push(codes);
        return new Uint8Array([1, 2, 3, ...codes]);
      },
    });
    expect(seen).toEqual([[0, C.BAD_CREATOR_SIGNATURE]]);
    expect(r.codes).toEqual([0, C.BAD_CREATOR_SIGNATURE]);
    expect(await ws.getBlock('ch1', 0)).toEqual(enc('block 0: 0'));
    expect(await ws.getBlock('ch1', 1)).toEqual(new Uint8Array([1, 2, 3, 0, C.BAD_CREATOR_SIGNATURE]));
    expect(await ws.getBlock('ch1', 2)).toBeUndefined();
    expect(await ws.getBlock('ch2', 0)).toBeUndefined();
    expect(await ws.blockHeight('ch1')).toBe(2);
    expect(await ws.height('ch1')).toBe(1);
    await ws.close();
  });

  it('keeps channels apart: each has its own block numbers', async () => {
    const ws = await memWs();
    await ws.commitBlock(block(0, [{ txId: '' }], 'ch1'));
    await ws.commitBlock(block(0, [{ txId: '' }], 'ch2'));
    await ws.commitBlock(block(1, [{ txId: 'same', code: C.BAD_PAYLOAD }], 'ch2'));
    expect(await ws.blockHeight('ch1')).toBe(1);
    expect(await ws.blockHeight('ch2')).toBe(2);
    expect(await ws.txStatus('ch1', 'same')).toBeUndefined();
    expect(await ws.listChannels()).toEqual(['ch1', 'ch2']);
    await ws.close();
  });

  it('refuses a block that is not the next one, writing nothing', async () => {
    const ws = await memWs();
    expect(await ws.blockHeight('ch1')).toBe(0);
    const t = await tx(ws, 't', (s) => s.putState('a', enc('1')));
    await expect(ws.commitBlock(block(1, [ok(t)]))).rejects.toMatchObject({
      code: 'BLOCK_OUT_OF_ORDER',
      message: 'block [1] is not the next block of channel [ch1]: expected block [0]',
    });
    expect(await ws.blockHeight('ch1')).toBe(0);
    expect(await ws.txStatus('ch1', 't')).toBeUndefined();
    expect(await value(ws, 'a')).toBeUndefined();
    expect(await ws.getBlock('ch1', 1)).toBeUndefined();
    await ws.commitBlock(block(0, [ok(t)]));
    await expect(ws.commitBlock(block(0, [{ txId: '' }]))).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_ORDER' });
    expect(await ws.blockHeight('ch1')).toBe(1);
    expect(await value(ws, 'a')).toBe('1');
    await ws.close();
  });

  it('refuses malformed input before anything runs', async () => {
    const ws = await memWs();
    const bad = [
      { ...block(-1, []) },
      { ...block(0, [{ txId: 'x', code: 254 }]) },
      { ...block(0, [{ txId: 'x', code: 1.5 }]) },
      { ...block(0, [{ txId: 7 as unknown as string }]) },
      { channel: 'ch1', number: 0, txs: [] } as unknown as BlockToCommit,
      { ...block(0, [{ txId: 'x', results: { channel: 'other', txId: 'x', timestamp: undefined, publicRwSet: [], privateRwSet: [] } }]) },
    ];
    for (const b of bad) await expect(ws.commitBlock(b)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await ws.blockHeight('ch1')).toBe(0);
    await ws.close();
  });

  it('an exception thrown by encode or check writes nothing, and the next commit works', async () => {
    const ws = await withGenesis({ collections: COLLS });
    const t = await tx(ws, 't', async (s) => {
      await s.putState('a', enc('1'));
      await s.putPrivateData('pvt', 'p', enc('s'));
    });
    const t2 = await tx(ws, 't2', (s) => s.putState('b', enc('2')));
    const snapshot = async () => [
      await ws.blockHeight('ch1'),
      await ws.getBlock('ch1', 1),
      await ws.txStatus('ch1', 't'),
      await ws.txStatus('ch1', 't2'),
      await value(ws, 'a'),
      await value(ws, 'b'),
      await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'p'),
    ];
    const before = await snapshot();
    const failing = await ws
      .commitBlock({
        ...block(1, [ok(t), ok(t2)]),
        encode: () => {
          throw new Error('encoder broke');
        },
      })
      .catch((e: unknown) => e);
    expect(failing).toMatchObject({ code: 'COMMIT_ABORTED', message: 'encoding block 1 threw: encoder broke' });
    expect(await snapshot()).toEqual(before);
    await expect(
      ws.commitBlock(
        block(1, [
          ok(t),
          ok(t2, {
            check: async () => {
              throw new Error('policy engine down');
            },
          }),
        ]),
      ),
    ).rejects.toMatchObject({ code: 'COMMIT_ABORTED', message: 'the check of transaction 1 of block 1 threw: policy engine down' });
    await expect(ws.commitBlock(block(1, [ok(t, { check: () => 'yes' as unknown as number })]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await snapshot()).toEqual(before);
    expect((await ws.commitBlock(block(1, [ok(t), ok(t2)]))).codes).toEqual([0, 0]);
    expect(await value(ws, 'a')).toBe('1');
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'pvt', 'p')).toMatchObject({ value: enc('s') });
    await ws.close();
  });

  it('commits blocks one after another in call order; close waits for them', async () => {
    const ws = await withGenesis();
    const ts = await Promise.all([1, 2, 3].map((i) => tx(ws, `c${i}`, (s) => s.putState('k', enc(String(i))))));
    const order: number[] = [];
    const pending = ts.map((t, i) =>
      ws.commitBlock({
        ...block(i + 1, [ok(t)]),
        encode: (codes) => {
          order.push(i + 1);
          return enc(codes.join());
        },
      }),
    );
    const closing = ws.close();
    await expect(ws.commitBlock(block(4, [{ txId: '' }]))).rejects.toMatchObject({ code: 'CLOSED' });
    expect((await Promise.all(pending)).map((r) => r.number)).toEqual([1, 2, 3]);
    await closing;
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('the legacy single-transaction commit shares the channel height', () => {
  it('after a genesis block, commit() takes the next number and stores no block bytes', async () => {
    const ws = await withGenesis();
    const s = sim(ws, { txId: 'legacy' });
    await s.putState('a', enc('1'));
    await expect(ws.commit(s)).resolves.toEqual({ channel: 'ch1', txId: 'legacy', blockNum: 1, txNum: 0 });
    expect(await ws.blockHeight('ch1')).toBe(2);
    expect(await ws.getBlock('ch1', 1)).toBeUndefined();
    expect(await ws.txStatus('ch1', 'legacy')).toEqual({ blockNumber: 1, txNumber: 0, code: 0 });
    await expect(ws.commitBlock(block(1, [{ txId: '' }]))).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_ORDER' });
    await ws.commitBlock(block(2, [ok(await tx(ws, 'b2', (x) => x.putState('a', enc('2'))))]));
    expect(await ws.getCommitted('ch1', 'cc', 'a')).toMatchObject({ version: { blockNum: 2, txNum: 0 } });
    await ws.close();
  });

  it('on a new channel commit() numbers from 1, so block 0 can no longer be committed', async () => {
    const ws = await memWs();
    const s = sim(ws);
    await s.putState('a', enc('1'));
    await expect(ws.commit(s)).resolves.toMatchObject({ blockNum: 1 });
    expect(await ws.height('ch1')).toBe(1);
    expect(await ws.blockHeight('ch1')).toBe(2);
    await expect(ws.commitBlock(block(0, [{ txId: '' }]))).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_ORDER' });
    await expect(ws.commitBlock(block(2, [{ txId: '' }]))).resolves.toMatchObject({ number: 2 });
    await ws.close();
  });

  it('a transaction invalid in the legacy path consumes no block and is not indexed', async () => {
    const ws = await withGenesis();
    const r = sim(ws, { txId: 'reader' });
    await r.getState('k');
    await r.putState('k', enc('r'));
    const w = sim(ws, { txId: 'writer' });
    await w.putState('k', enc('w'));
    await ws.commit(w);
    await expect(ws.commit(r)).rejects.toMatchObject({ code: 'MVCC_READ_CONFLICT' });
    expect(await ws.txStatus('ch1', 'reader')).toBeUndefined();
    expect(await ws.blockHeight('ch1')).toBe(2);
    await ws.close();
  });
});
