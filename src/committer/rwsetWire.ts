/**
 * A transaction's read/write set between the ledger's form (src/ledger TxSimulationResults) and
 * Fabric's wire form: `rwset.TxReadWriteSet` in ChaincodeAction.results (public reads, writes,
 * range queries, metadata writes, and per collection the hashed read/write set with the hash of
 * the private one), and `rwset.TxPvtReadWriteSet` for the private writes, which travel outside the
 * transaction (core/ledger/kvledger/txmgmt/rwsetutil rwset_proto_util.go ToProtoBytes and
 * pvtdata; pvt_rwset_hash is the SHA-256 of the collection's serialized private KVRWSet).
 *
 * Range queries are carried as raw reads; a read set carrying Merkle summaries (which the dev peer
 * never produces) is refused as BAD_RWSET by the caller.
 */
import { createHash } from 'node:crypto';
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import type { CollHashedRwSet, NsPvtRwSet, NsRwSet, PrivateWriteSet, RangeQueryInfo as LedgerRangeQuery, TxSimulationResults } from '../ledger/index.js';
import {
  decodeHashedRWSet,
  decodeKVRWSet,
  decodeTxPvtReadWriteSet,
  decodeTxReadWriteSet,
  encodeHashedRWSet,
  encodeKVRWSet,
  encodeTxPvtReadWriteSet,
  encodeTxReadWriteSet,
  type KVMetadataEntry,
  type KVRWSet,
  type NsPvtReadWriteSet,
  type NsReadWriteSet,
} from '../wire/index.js';

const KV = 0;
const entries = (list: readonly StateMetadata[]): KVMetadataEntry[] => list.map((e) => ({ name: e.metakey, value: e.value }));
const metadata = (list: readonly KVMetadataEntry[]): StateMetadata[] => list.map((e) => ({ metakey: e.name, value: e.value }));

function privateKvRwSet(results: TxSimulationResults, ns: string, coll: string, hashed: CollHashedRwSet | undefined): Uint8Array | undefined {
  const nsPvt = results.privateRwSet.find((n) => n.namespace === ns);
  const collPvt = nsPvt?.collectionPvtRwSets.find((c) => c.collectionName === coll);
  if (!collPvt) return undefined;
  const kv: KVRWSet = {
    reads: [],
    rangeQueriesInfo: [],
    writes: collPvt.writes.map((w) => ({ key: w.key, isDelete: w.isDelete || w.isPurge, value: w.value })),
    metadataWrites: collPvt.metadataWrites.map(({ key }) => {
      const keyHash = sha256(Buffer.from(key, 'utf8'));
      const h = hashed?.metadataWrites.find((m) => Buffer.compare(m.keyHash, keyHash) === 0);
      return { key, entries: entries(h?.entries ?? []) };
    }),
  };
  return encodeKVRWSet(kv);
}

/** ChaincodeAction.results and the private read/write set (undefined when there is none). */
export function encodeRwSets(results: TxSimulationResults): { results: Uint8Array; pvt: Uint8Array | undefined } {
  const nsRwset: NsReadWriteSet[] = [];
  const nsPvt: NsPvtReadWriteSet[] = [];
  for (const ns of results.publicRwSet) {
    const kv: KVRWSet = {
      reads: ns.reads.map((r) => ({ key: r.key, version: r.version })),
      rangeQueriesInfo: ns.rangeQueriesInfo.map((q) => ({
        startKey: q.startKey,
        endKey: q.endKey,
        itrExhausted: q.itrExhausted,
        readsInfo: { case: 'rawReads', value: { kvReads: q.reads.map((r) => ({ key: r.key, version: r.version })) } },
      })),
      writes: ns.writes.map((w) => ({ key: w.key, isDelete: w.isDelete, value: w.value })),
      metadataWrites: ns.metadataWrites.map((m) => ({ key: m.key, entries: entries(m.entries) })),
    };
    const pvtColls: { collectionName: string; rwset: Uint8Array }[] = [];
    const collectionHashedRwset = ns.collHashedRwSets.map((c) => {
      const pvt = privateKvRwSet(results, ns.namespace, c.collectionName, c);
      if (pvt) pvtColls.push({ collectionName: c.collectionName, rwset: pvt });
      return {
        collectionName: c.collectionName,
        hashedRwset: encodeHashedRWSet({
          hashedReads: c.hashedReads.map((r) => ({ keyHash: r.keyHash, version: r.version })),
          hashedWrites: c.hashedWrites.map((w) => ({ keyHash: w.keyHash, isDelete: w.isDelete, valueHash: w.valueHash, isPurge: w.isPurge })),
          metadataWrites: c.metadataWrites.map((m) => ({ keyHash: m.keyHash, entries: entries(m.entries) })),
        }),
        pvtRwsetHash: pvt ? sha256(pvt) : new Uint8Array(0),
      };
    });
    nsRwset.push({ namespace: ns.namespace, rwset: encodeKVRWSet(kv), collectionHashedRwset });
    if (pvtColls.length > 0) nsPvt.push({ namespace: ns.namespace, collectionPvtRwset: pvtColls });
  }
  return {
    results: encodeTxReadWriteSet({ dataModel: KV, nsRwset }),
    pvt: nsPvt.length > 0 ? encodeTxPvtReadWriteSet({ dataModel: KV, nsPvtRwset: nsPvt }) : undefined,
  };
}

export type RwSetDecode =
  | {
      ok: true;
      results: TxSimulationResults;
      /**
       * The private write sets to keep with the block (ledger BlockTx.privateWriteSets): the exact
       * bytes of each collection whose private set matched its hash and whose hashed set writes
       * something (gossip/privdata coordinator.go containsWrites, pvtdataprovider.go hash check).
       */
      privateWriteSets: PrivateWriteSet[];
    }
  | { ok: false; reason: string };

/**
 * The ledger's form of a transaction's read/write set from ChaincodeAction.results and, when the
 * private data is at hand, the private set; a collection's private writes are used only when their
 * hash matches the one the endorsers signed (Fabric commits the hashes alone otherwise).
 */
export function decodeRwSets(o: { channel: string; txId: string; timestamp: Timestamp | undefined; results: Uint8Array; pvt?: Uint8Array | undefined }): RwSetDecode {
  const tx = decodeTxReadWriteSet(o.results);
  if (!tx.ok) return { ok: false, reason: tx.reason };
  const pvtByColl = new Map<string, Uint8Array>();
  if (o.pvt) {
    const p = decodeTxPvtReadWriteSet(o.pvt);
    if (p.ok) for (const ns of p.value.nsPvtRwset) for (const c of ns.collectionPvtRwset) pvtByColl.set(`${ns.namespace}\u0000${c.collectionName}`, c.rwset);
  }
  const publicRwSet: NsRwSet[] = [];
  const privateRwSet: NsPvtRwSet[] = [];
  const privateWriteSets: PrivateWriteSet[] = [];
  for (const ns of tx.value.nsRwset) {
    const kv = decodeKVRWSet(ns.rwset);
    if (!kv.ok) return { ok: false, reason: kv.reason };
    const rangeQueriesInfo: LedgerRangeQuery[] = [];
    for (const q of kv.value.rangeQueriesInfo) {
      if (q.readsInfo?.case === 'readsMerkleHashes') return { ok: false, reason: `range query [${q.startKey}, ${q.endKey}) carries Merkle summaries` };
      rangeQueriesInfo.push({ startKey: q.startKey, endKey: q.endKey, itrExhausted: q.itrExhausted, reads: (q.readsInfo?.value.kvReads ?? []).map((r) => ({ key: r.key, version: r.version })) });
    }
    const collHashedRwSets: CollHashedRwSet[] = [];
    const pvtColls: NsPvtRwSet['collectionPvtRwSets'] = [];
    for (const c of ns.collectionHashedRwset) {
      const h = decodeHashedRWSet(c.hashedRwset);
      if (!h.ok) return { ok: false, reason: h.reason };
      const hashed: CollHashedRwSet = {
        collectionName: c.collectionName,
        hashedReads: h.value.hashedReads.map((r) => ({ keyHash: r.keyHash, version: r.version })),
        hashedWrites: h.value.hashedWrites.map((w) => ({ keyHash: w.keyHash, isDelete: w.isDelete, isPurge: w.isPurge, valueHash: w.valueHash })),
        metadataWrites: h.value.metadataWrites.map((m) => ({ keyHash: m.keyHash, entries: metadata(m.entries) })),
      };
      collHashedRwSets.push(hashed);
      const pvtBytes = pvtByColl.get(`${ns.namespace}\u0000${c.collectionName}`);
      if (!pvtBytes || Buffer.compare(sha256(pvtBytes), c.pvtRwsetHash) !== 0) continue;
      const pvt = decodeKVRWSet(pvtBytes);
      if (!pvt.ok) continue;
      const purged = new Set(hashed.hashedWrites.filter((w) => w.isPurge).map((w) => Buffer.from(w.keyHash).toString('hex')));
      pvtColls.push({
        collectionName: c.collectionName,
        writes: pvt.value.writes.map((w) => {
          const isPurge = purged.has(sha256(Buffer.from(w.key, 'utf8')).toString('hex'));
          return { key: w.key, isDelete: w.isDelete && !isPurge, isPurge, value: w.value };
        }),
        metadataWrites: pvt.value.metadataWrites.map((m) => ({ key: m.key })),
      });
      if (hashed.hashedWrites.length > 0 || hashed.metadataWrites.length > 0) {
        privateWriteSets.push({ namespace: ns.namespace, collection: c.collectionName, rwset: pvtBytes });
      }
    }
    publicRwSet.push({
      namespace: ns.namespace,
      reads: kv.value.reads.map((r) => ({ key: r.key, version: r.version })),
      rangeQueriesInfo,
      writes: kv.value.writes.map((w) => ({ key: w.key, isDelete: w.isDelete, value: w.value })),
      metadataWrites: kv.value.metadataWrites.map((m) => ({ key: m.key, entries: metadata(m.entries) })),
      collHashedRwSets,
    });
    if (pvtColls.length > 0) privateRwSet.push({ namespace: ns.namespace, collectionPvtRwSets: pvtColls });
  }
  return { ok: true, results: { channel: o.channel, txId: o.txId, timestamp: o.timestamp, publicRwSet, privateRwSet }, privateWriteSets };
}

function sha256(b: Uint8Array): Buffer {
  return createHash('sha256').update(b).digest();
}
