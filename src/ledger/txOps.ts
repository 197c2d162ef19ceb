/**
 * Applying the write set of a valid transaction to the pending updates of its block, and the
 * block's blockToLive expiry:
 *
 *   - public and hashed keys: validation/tx_ops.go prepareTxOps (value/metadata merging against
 *     the latest state, i.e. the block's earlier updates or the committed state);
 *   - private values: validation/batch_preparer.go validateAndPreparePvtBatch /
 *     addPvtRWSetToPvtUpdateBatch and incrementPvtdataVersionIfNeeded (a metadata-only change
 *     bumps the private value's version), with the expiry schedule of pvtdatapolicy/btlpolicy.go;
 *   - history: history/db.go Commit (one entry per public write of a valid transaction, keyed by
 *     block and transaction number);
 *   - expiry: pvtstatepurgemgmt/purge_mgr.go (once per block).
 */
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import { compareUtf8, copyBytes, EMPTY, sha256, toHex, type Bytes } from './bytes.js';
import type { CollectionRegistry } from './collections.js';
import { asLedgerError } from './errors.js';
import type { PendingWrites } from './overlay.js';
import { keys, parseExpiryKey, ranges, records, type Db, type MetadataMap, type Version } from './store.js';
import type { CollHashedRwSet, NsRwSet, TxSimulationResults } from './types.js';

export function metaList(m: MetadataMap | undefined): StateMetadata[] {
  return Object.keys(m ?? {})
    .sort(compareUtf8)
    .map((metakey) => ({ metakey, value: copyBytes((m as MetadataMap)[metakey] as Bytes) }));
}

function metaMap(entries: readonly StateMetadata[]): MetadataMap | undefined {
  if (entries.length === 0) return undefined;
  const m: MetadataMap = {};
  for (const e of entries) m[e.metakey] = copyBytes(e.value);
  return m;
}

/** Identifies a private key by namespace, collection and key hash (what expiry must not purge). */
export function pvtKeyId(ns: string, coll: string, keyHash: Bytes): string {
  return `${ns}\u0000${coll}\u0000${toHex(keyHash)}`;
}

export interface ApplyContext {
  channel: string;
  registry: CollectionRegistry;
  historyEnabled: boolean;
  pending: PendingWrites;
}

/**
 * Adds a valid transaction's updates at `version` to the block's pending writes. `touchedPvt`
 * collects the private keys it writes (hashes or metadata), which the block's expiry leaves alone.
 */
export async function applyTx(
  ctx: ApplyContext,
  rw: TxSimulationResults,
  version: Version,
  txId: string,
  timestamp: Timestamp,
  touchedPvt: Set<string>,
): Promise<void> {
  for (const ns of rw.publicRwSet) await applyPublic(ctx, ns, version, txId, timestamp);
  for (const ns of rw.publicRwSet) {
    for (const coll of ns.collHashedRwSets) {
      await applyHashed(ctx, ns.namespace, coll, version);
      for (const w of coll.hashedWrites) touchedPvt.add(pvtKeyId(ns.namespace, coll.collectionName, w.keyHash));
      // validation/validator.go pvtdataPurgeTracker: the purge marker the pvtdata store keeps, which
      // hides the key's earlier private writes from the blocks' private data (blockStore.ts).
      for (const w of coll.hashedWrites) if (w.isPurge) ctx.pending.put(keys.purgeMarker(ctx.channel, ns.namespace, coll.collectionName, w.keyHash), records.encodePurge(version));
      for (const w of coll.metadataWrites) touchedPvt.add(pvtKeyId(ns.namespace, coll.collectionName, w.keyHash));
    }
  }
  await applyPrivate(ctx, rw, version);
}

/** tx_ops.go: value/metadata merging for public keys, plus history entries. */
async function applyPublic(ctx: ApplyContext, ns: NsRwSet, version: Version, txId: string, timestamp: Timestamp): Promise<void> {
  const { channel, pending } = ctx;
  const writes = new Map(ns.writes.map((w) => [w.key, w] as const));
  const metas = new Map(ns.metadataWrites.map((m) => [m.key, m] as const));
  for (const key of new Set([...writes.keys(), ...metas.keys()])) {
    const w = writes.get(key);
    const m = metas.get(key);
    const sk = keys.state(channel, ns.namespace, key);
    // rwsetutil IsKVWriteDelete: IsDelete or an empty value.
    if (w !== undefined && (w.isDelete || w.value.length === 0)) {
      pending.del(sk);
    } else if (w !== undefined && m !== undefined) {
      pending.put(sk, records.encodeState({ value: copyBytes(w.value), version, metadata: metaMap(m.entries) }));
    } else if (w !== undefined) {
      // retrieveLatestMetadata: from the block's earlier updates, else the committed state.
      const raw = await pending.get(sk);
      const metadata = raw === undefined ? undefined : records.decodeState(raw).metadata;
      pending.put(sk, records.encodeState({ value: copyBytes(w.value), version, metadata }));
    } else if (m !== undefined) {
      // Metadata for a key that does not exist is dropped (prepareTxOps "make this key as noop").
      // A key deleted earlier in the block counts as absent (Fabric would panic there:
      // UpdateBatch.PutValAndMetadata with the nil value of the delete).
      const raw = await pending.get(sk);
      if (raw !== undefined) {
        const cur = records.decodeState(raw);
        pending.put(sk, records.encodeState({ value: cur.value, version, metadata: metaMap(m.entries) }));
      }
    }
  }
  // history/db.go: one entry per public write of a valid transaction (metadata-only writes none).
  if (!ctx.historyEnabled) return;
  for (const w of ns.writes) {
    const isDelete = w.isDelete || w.value.length === 0;
    pending.put(
      keys.history(channel, ns.namespace, w.key, version),
      records.encodeHistory({ txId, value: isDelete ? EMPTY : copyBytes(w.value), isDelete, timestamp }),
    );
  }
}

/** tx_ops.go applied to the hashed (private) key space. */
async function applyHashed(ctx: ApplyContext, ns: string, set: CollHashedRwSet, version: Version): Promise<void> {
  const { channel, pending } = ctx;
  const coll = set.collectionName;
  const writes = new Map(set.hashedWrites.map((w) => [toHex(w.keyHash), w] as const));
  const metas = new Map(set.metadataWrites.map((m) => [toHex(m.keyHash), m] as const));
  for (const hex of new Set([...writes.keys(), ...metas.keys()])) {
    const w = writes.get(hex);
    const m = metas.get(hex);
    const keyHash = (w?.keyHash ?? m?.keyHash) as Bytes;
    const hk = keys.hash(channel, ns, coll, keyHash);
    if (w !== undefined && (w.isDelete || w.isPurge || w.valueHash.length === 0)) {
      pending.del(hk);
    } else if (w !== undefined) {
      let metadata: MetadataMap | undefined;
      if (m !== undefined) metadata = metaMap(m.entries);
      else {
        const raw = await pending.get(hk);
        metadata = raw === undefined ? undefined : records.decodeHash(raw).metadata;
      }
      pending.put(hk, records.encodeHash({ valueHash: copyBytes(w.valueHash), version, metadata }));
    } else if (m !== undefined) {
      const raw = await pending.get(hk);
      if (raw !== undefined) {
        const cur = records.decodeHash(raw);
        pending.put(hk, records.encodeHash({ valueHash: cur.valueHash, version, metadata: metaMap(m.entries) }));
      }
    }
  }
}

/** batch_preparer.go: private values of a valid transaction, with their expiry schedule. */
async function applyPrivate(ctx: ApplyContext, rw: TxSimulationResults, version: Version): Promise<void> {
  const { channel, pending } = ctx;
  for (const ns of rw.privateRwSet) {
    for (const coll of ns.collectionPvtRwSets) {
      const def = ctx.registry.ledgerLookup(channel, ns.namespace, coll.collectionName);
      const btl = def?.blockToLive ?? 0;
      const written = new Set<string>();
      for (const w of coll.writes) {
        written.add(w.key);
        const pk = keys.pvt(channel, ns.namespace, coll.collectionName, w.key);
        if (w.isDelete || w.isPurge) {
          pending.del(pk);
          continue;
        }
        pending.put(pk, records.encodePvt({ value: copyBytes(w.value), version }));
        // pvtdatapolicy btlpolicy.go GetExpiringBlock: committingBlock + blockToLive + 1.
        if (btl > 0) {
          pending.put(
            keys.expiry(channel, version.blockNum + btl + 1, ns.namespace, coll.collectionName, w.key),
            records.encodeExpiry(version.blockNum),
          );
        }
      }
      for (const { key } of coll.metadataWrites) {
        if (written.has(key)) continue;
        // incrementPvtdataVersionIfNeeded: a metadata-only change bumps the private value's version.
        const pk = keys.pvt(channel, ns.namespace, coll.collectionName, key);
        const raw = await pending.get(pk);
        if (raw !== undefined) pending.put(pk, records.encodePvt({ value: records.decodePvt(raw).value, version }));
      }
    }
  }
}

/**
 * blockToLive expiry (pvtstatepurgemgmt/purge_mgr.go prepareWorkingsetFor /
 * DeleteExpiredAndUpdateBookkeeping), once per block: entries scheduled for blocks up to this one
 * purge the private value and its hash when they still hold the version written at the scheduled
 * block, unless a valid transaction of this block writes the key.
 */
export async function expireBlock(
  db: Db,
  pending: PendingWrites,
  channel: string,
  blockNum: number,
  touched: ReadonlySet<string>,
): Promise<void> {
  const r = ranges.expiry(channel, blockNum);
  const prefixLength = keys.expiryPrefix(channel).length;
  // Schedules written by this block expire later (btl > 0), so the committed ones are all there is.
  const it = db.iterator({ gte: r.gte, lt: r.lt });
  const due: { dbKey: Bytes; ns: string; coll: string; key: string; committed: number }[] = [];
  try {
    for await (const [k, v] of it) {
      const e = parseExpiryKey(k, prefixLength);
      due.push({ dbKey: k, ns: e.ns, coll: e.coll, key: e.key, committed: records.decodeExpiry(v) });
    }
  } catch (e) {
    throw asLedgerError(e);
  } finally {
    await it.close();
  }
  for (const d of due) {
    pending.del(d.dbKey);
    const keyHash = sha256(d.key);
    if (touched.has(pvtKeyId(d.ns, d.coll, keyHash))) continue;
    const hk = keys.hash(channel, d.ns, d.coll, keyHash);
    const pk = keys.pvt(channel, d.ns, d.coll, d.key);
    const hraw = await pending.get(hk);
    const praw = await pending.get(pk);
    const hashSame = hraw !== undefined && records.decodeHash(hraw).version.blockNum === d.committed;
    const pvtSame = praw !== undefined && records.decodePvt(praw).version.blockNum === d.committed;
    if (hashSame) pending.del(hk);
    if (hashSame || pvtSame) pending.del(pk);
  }
}
