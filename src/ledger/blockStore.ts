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
 *   - the channel height (BlockchainInfo.height: the next block number).
 */
import { asLedgerError } from './errors.js';
import type { PendingWrites } from './overlay.js';
import { getRaw, keys, records, type Db, type TxRecord } from './store.js';

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
