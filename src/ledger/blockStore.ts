/**
 * The block store of a channel, kept in the world state's database so that a block, its txid
 * index entries and its state updates are written in one batch (Fabric keeps them in separate
 * stores and recovers on restart; one batch needs no recovery):
 *
 *   - blocks by number (common/ledger/blkstorage blockfile_mgr.go retrieveBlockByNumber), stored
 *     as the caller's bytes;
 *   - the txid index (blkstorage blockindex.go indexBlock, Index3): block number, transaction
 *     number and validation code of every transaction with a txid, valid or not. Fabric keys its
 *     index by (txid, block, tx) and answers lookups with the first entry; we keep only that first
 *     entry, which answers the same;
 *   - the channel height (BlockchainInfo.height: the next block number);
 *   - the private write sets of the block's transactions (Fabric's pvtdata store,
 *     core/ledger/pvtdatastorage store.go Commit / GetPvtDataByBlockNum): per transaction and
 *     collection, the private KVRWSet bytes whose hash the transaction carries, for valid and
 *     invalid transactions alike (kvledger kv_ledger.go commitToPvtAndBlockStore stores the
 *     private data of invalid transactions too, since application capability V1_4_2
 *     StorePvtDataOfInvalidTx), removed when the collection's blockToLive expires them
 *     (store.go purgeExpiredData), with the purge markers of PurgePrivateData
 *     (store.go removePurgedDataFromCollPvtRWset filters purged keys out when reading).
 */
import { asLedgerError } from './errors.js';
import type { PendingWrites } from './overlay.js';
import { getRaw, keys, parseBlockPvtExpiryKey, parseBlockPvtKey, ranges, records, type Db, type TxRecord, type Version } from './store.js';

/** Where and how a transaction was committed (blkstorage RetrieveTxValidationCodeByTxID). */
export interface TxStatus {
  blockNumber: number;
  txNumber: number;
  /** TxValidationCode (validationCodes.ts). */
  code: number;
}

async function get(db: Db, key: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    return await getRaw(db, key);
  } catch (e) {
    throw asLedgerError(e);
  }
}

/** The next block number of a channel (0 when it has none). */
export async function nextBlockNumber(db: Db, channel: string): Promise<number> {
  const raw = await get(db, keys.channel(channel));
  return raw === undefined ? 0 : records.decodeChannel(raw);
}

export async function readBlock(db: Db, channel: string, blockNum: number): Promise<Uint8Array | undefined> {
  return get(db, keys.block(channel, blockNum));
}

export async function readTxRecord(db: Db, channel: string, txId: string): Promise<TxRecord | undefined> {
  const raw = await get(db, keys.txid(channel, txId));
  return raw === undefined ? undefined : records.decodeTx(raw);
}

export function txStatusOf(r: TxRecord): TxStatus {
  return { blockNumber: r.blockNum, txNumber: r.txNum, code: r.code };
}

/** Stages the block-store records of a block: its txid index entries, its bytes and the new height. */
export function stageBlockRecords(
  pending: PendingWrites,
  channel: string,
  blockNum: number,
  index: readonly { txId: string; txNum: number; code: number }[],
  blockBytes: Uint8Array | undefined,
): void {
  for (const e of index) pending.put(keys.txid(channel, e.txId), records.encodeTx({ blockNum, txNum: e.txNum, code: e.code }));
  if (blockBytes !== undefined) pending.put(keys.block(channel, blockNum), new Uint8Array(blockBytes));
  pending.put(keys.channel(channel), records.encodeChannel(blockNum + 1));
}

/** One collection's private write set of a transaction (Fabric's rwset.CollectionPvtReadWriteSet). */
export interface PrivateWriteSet {
  namespace: string;
  collection: string;
  /** The collection's private KVRWSet bytes, whose SHA-256 is the transaction's pvt_rwset_hash. */
  rwset: Uint8Array;
}

/** A private write set stored with a block, with the number of its transaction in the block. */
export interface BlockPrivateWriteSet extends PrivateWriteSet {
  txNum: number;
}

/**
 * Stages the private write sets of a block's transactions, and their expiry entry when the
 * collection has a blockToLive (pvtdatapolicy btlpolicy.go: expiring at block + blockToLive + 1).
 * Names with U+0000 cannot be keyed and are skipped (such a transaction is INVALID_WRITESET).
 */
export function stageBlockPrivateData(
  pending: PendingWrites,
  channel: string,
  blockNum: number,
  sets: readonly BlockPrivateWriteSet[],
  blockToLive: (ns: string, coll: string) => number,
): void {
  for (const s of sets) {
    if (s.namespace.includes('\u0000') || s.collection.includes('\u0000')) continue;
    pending.put(keys.blockPvt(channel, blockNum, s.txNum, s.namespace, s.collection), new Uint8Array(s.rwset));
    const btl = blockToLive(s.namespace, s.collection);
    if (btl > 0) pending.put(keys.blockPvtExpiry(channel, blockNum + btl + 1, blockNum, s.txNum, s.namespace, s.collection), new Uint8Array(0));
  }
}

/**
 * Stages the removal of the private write sets whose blockToLive ends with block `blockNum`
 * (pvtdatastorage store.go purgeExpiredData; Fabric's GetPvtDataByBlockNum already hides them
 * from that block on, isExpired).
 */
export async function expireBlockPrivateData(db: Db, pending: PendingWrites, channel: string, blockNum: number): Promise<void> {
  const r = ranges.blockPvtExpiry(channel, blockNum);
  const prefixLength = keys.blockPvtExpiryPrefix(channel).length;
  const it = db.iterator({ gte: r.gte, lt: r.lt });
  try {
    for await (const [k] of it) {
      const e = parseBlockPvtExpiryKey(k, prefixLength);
      pending.del(k);
      pending.del(keys.blockPvt(channel, e.blockNum, e.txNum, e.ns, e.coll));
    }
  } catch (e) {
    throw asLedgerError(e);
  } finally {
    await it.close();
  }
}

/** The private write sets stored with a block, by transaction number, namespace and collection. */
export async function readBlockPrivateData(db: Db, channel: string, blockNum: number): Promise<BlockPrivateWriteSet[]> {
  const r = ranges.blockPvt(channel, blockNum);
  const prefixLength = keys.blockPvtPrefix(channel, blockNum).length;
  const out: BlockPrivateWriteSet[] = [];
  const it = db.iterator({ gte: r.gte, lt: r.lt });
  try {
    for await (const [k, v] of it) {
      const e = parseBlockPvtKey(k, prefixLength);
      out.push({ txNum: e.txNum, namespace: e.ns, collection: e.coll, rwset: new Uint8Array(v) });
    }
  } catch (e) {
    throw asLedgerError(e);
  } finally {
    await it.close();
  }
  return out;
}

/** The version of the latest valid PurgePrivateData of a private key (by key hash), if any. */
export async function readPurgeMarker(db: Db, channel: string, ns: string, coll: string, keyHash: Uint8Array): Promise<Version | undefined> {
  const raw = await get(db, keys.purgeMarker(channel, ns, coll, keyHash));
  return raw === undefined ? undefined : records.decodePurge(raw);
}
