/**
 * The private data of committed blocks, as Fabric keeps and serves it:
 *
 *   - at commit, what the ledger keeps with a block (ledger BlockTx.privateWriteSets): for every
 *     transaction whose private data the peer holds, valid or not, each collection's private
 *     write set whose hash matches the one in the transaction and whose hashed set writes
 *     something (gossip/privdata coordinator.go getTxPvtdataInfoFromBlock containsWrites,
 *     pvtdataprovider.go populateFromTransientStore; kvledger kv_ledger.go
 *     commitToPvtAndBlockStore stores invalid transactions' too, StorePvtDataOfInvalidTx) —
 *     picked out where the read/write sets are decoded (rwsetWire.ts decodeRwSets);
 *   - for DeliverWithPrivateData, the block's `private_data_map` (core/peer/deliverevents.go
 *     blockAndPrivateDataResponseSender.getPrivateData): per transaction sequence in the block, the
 *     collections the requester may read — every collection unless its config sets
 *     memberOnlyRead, then only when the requester satisfies the collection's member-orgs policy
 *     (collPolicyChecker.CheckCollectionPolicy, privdata SimpleCollection.AccessFilter) — with the
 *     writes of purged keys left out (pvtdatastorage store.go removePurgedDataFromCollPvtRWset).
 *     Expired write sets (blockToLive) are no longer in the ledger.
 *
 * Collection configs are the ledger's current ones (the dev peer keeps no config history; Fabric
 * reads the config in force below the block, confighistory MostRecentCollectionConfigBelow). A
 * collection with no config is left out, where Fabric fails the stream.
 */
import type { MspIdentity, MspManager } from '../identity/index.js';
import type { CollectionDefinition, WorldState } from '../ledger/index.js';
import { evaluateSignaturePolicy, parsePolicy, type PolicyIdentity } from '../policy/index.js';
import { decodeKVRWSet, encodeKVRWSet, type TxPvtReadWriteSet } from '../wire/index.js';

const KV = 0;

/**
 * CheckCollectionPolicy: may the requester (the deliver request's verified signer) read a
 * collection's private data from delivered blocks — yes unless memberOnlyRead, then only when it
 * satisfies the collection's member-orgs policy (roles included, common/cauthdsl).
 */
export function collectionReader(msps: MspManager, requester: MspIdentity | undefined): (coll: CollectionDefinition) => boolean {
  const signer: PolicyIdentity[] = requester ? [{ mspId: requester.mspId, satisfies: (p) => msps.satisfiesPrincipal(requester, { mspId: p.mspId, role: p.role }).ok }] : [];
  const verdicts = new Map<string, boolean>();
  return (coll) => {
    if (!coll.memberOnlyRead) return true;
    let ok = verdicts.get(coll.policyText);
    if (ok === undefined) {
      const policy = parsePolicy(coll.policyText);
      ok = policy.ok && evaluateSignaturePolicy(policy.envelope, signer);
      verdicts.set(coll.policyText, ok);
    }
    return ok;
  };
}

/** The writes of purged keys taken out of a collection's private KVRWSet (its bytes as they are when none is). */
async function withoutPurged(world: WorldState, channel: string, block: number, txNum: number, ns: string, coll: string, rwset: Uint8Array): Promise<Uint8Array> {
  const kv = decodeKVRWSet(rwset);
  if (!kv.ok) return rwset;
  const kept = [];
  for (const w of kv.value.writes) {
    const marker = await world.purgeMarker(channel, ns, coll, w.key);
    // Purged when written at the purge's height or before it (version.Height Compare <= 0).
    const purged = marker !== undefined && (block < marker.blockNum || (block === marker.blockNum && txNum <= marker.txNum));
    if (!purged) kept.push(w);
  }
  return kept.length === kv.value.writes.length ? rwset : encodeKVRWSet({ ...kv.value, writes: kept });
}

/**
 * BlockAndPrivateData.private_data_map of block `number` for a requester: transaction sequence in
 * the block → the collections it may read, namespaces and collections in name order.
 */
export async function blockPrivateDataMap(o: {
  world: WorldState;
  channel: string;
  number: number;
  canRead(coll: CollectionDefinition): boolean;
}): Promise<Map<number, TxPvtReadWriteSet>> {
  const map = new Map<number, TxPvtReadWriteSet>();
  for (const s of await o.world.getBlockPrivateData(o.channel, o.number)) {
    const def = o.world.registry.ledgerLookup(o.channel, s.namespace, s.collection);
    if (!def || !o.canRead(def)) continue;
    const rwset = await withoutPurged(o.world, o.channel, o.number, s.txNum, s.namespace, s.collection, s.rwset);
    let tx = map.get(s.txNum);
    if (!tx) map.set(s.txNum, (tx = { dataModel: KV, nsPvtRwset: [] }));
    let ns = tx.nsPvtRwset[tx.nsPvtRwset.length - 1];
    if (ns?.namespace !== s.namespace) tx.nsPvtRwset.push((ns = { namespace: s.namespace, collectionPvtRwset: [] }));
    ns.collectionPvtRwset.push({ collectionName: s.collection, rwset });
  }
  return map;
}
