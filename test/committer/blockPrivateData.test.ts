/**
 * What the committer keeps with a block of a transaction's private data (decodeRwSets'
 * privateWriteSets):
 * the collections whose private write set matches the hash in the transaction and whose hashed
 * set writes something (gossip/privdata coordinator.go containsWrites, pvtdataprovider.go hash
 * check), as the exact bytes that were hashed.
 */
import { describe, expect, it } from 'vitest';
import { decodeRwSets, encodeRwSets } from '../../src/committer/rwsetWire.js';
import { decodeTxPvtReadWriteSet, encodeTxPvtReadWriteSet } from '../../src/wire/index.js';
import { enc, memWs, sim } from '../ledger/helpers.js';

const COLLS = { cc: JSON.stringify([{ name: 'a', policy: "OR('Org1MSP.member')" }, { name: 'b', policy: "OR('Org1MSP.member')" }, { name: 'r', policy: "OR('Org1MSP.member')" }]) };

describe('privateWriteSets of decodeRwSets', () => {
  it('keeps the hash-verified write sets of collections with writes, as the bytes hashed', async () => {
    const ws = await memWs({ collections: COLLS });
    const s = sim(ws, { txId: 't1' });
    await s.putPrivateData('a', 'k1', enc('v1'));
    await s.putPrivateData('b', 'k2', enc('v2'));
    await s.getPrivateData('r', 'k3');
    const { results, pvt } = encodeRwSets(await s.result());
    const decoded = decodeRwSets({ channel: 'ch1', txId: 't1', timestamp: undefined, results, pvt });
    if (!decoded.ok) throw new Error(decoded.reason);
    const sets = decoded.privateWriteSets;
    const original = decodeTxPvtReadWriteSet(pvt!);
    if (!original.ok) throw new Error(original.reason);
    const bytesOf = (coll: string) => original.value.nsPvtRwset[0]!.collectionPvtRwset.find((c) => c.collectionName === coll)!.rwset;
    expect(sets).toEqual([
      { namespace: 'cc', collection: 'a', rwset: bytesOf('a') },
      { namespace: 'cc', collection: 'b', rwset: bytesOf('b') },
    ]);

    // A collection whose private bytes do not match the transaction's hash is not kept.
    const tampered = encodeTxPvtReadWriteSet({
      ...original.value,
      nsPvtRwset: original.value.nsPvtRwset.map((ns) => ({ ...ns, collectionPvtRwset: ns.collectionPvtRwset.map((c) => (c.collectionName === 'b' ? { ...c, rwset: Uint8Array.of(...c.rwset, 0) } : c)) })),
    });
    const d2 = decodeRwSets({ channel: 'ch1', txId: 't1', timestamp: undefined, results, pvt: tampered });
    if (!d2.ok) throw new Error(d2.reason);
    expect(d2.privateWriteSets.map((x) => x.collection)).toEqual(['a']);
    // No private data at hand: nothing.
    const d3 = decodeRwSets({ channel: 'ch1', txId: 't1', timestamp: undefined, results });
    expect(d3.ok && d3.privateWriteSets).toEqual([]);
    await ws.close();
  });
});
