/**
 * Committing a block of transactions as Fabric's committer does, in one database batch.
 *
 * Per transaction, in block order (the first rule that applies gives its code):
 *
 *   1. a code decided before the ledger (`BlockTx.code`: bad payload, signature or endorsement
 *      checks of the caller) — core/committer/txvalidator/v20/validator.go validateTx;
 *   2. DUPLICATE_TXID when the txid is already in the txid index (of earlier blocks, valid or
 *      not) — validator.go checkTxIdDupsLedger, blkstorage blockindex.go txIDExists;
 *   3. the caller's key-level endorsement check (`BlockTx.check`), which reads key metadata
 *      through a view of the committed state plus the updates of the earlier valid transactions
 *      of the block — the plugin dispatch of validator.go validateTx;
 *   4. DUPLICATE_TXID when an earlier transaction of the block with the same txid got through
 *      steps 1–3 — validator.go markTXIdDuplicates, which runs after the plugins and looks at the
 *      transactions they found valid (whatever MVCC later says about them);
 *   5. INVALID_WRITESET for a public write the state database refuses (CouchDB key/value rules)
 *      — validation/batch_preparer.go preprocessProtoBlock / validateWriteset;
 *   6. MVCC_READ_CONFLICT / PHANTOM_READ_CONFLICT against committed state plus the block's
 *      earlier valid updates — validation/validator.go validateAndPrepareBatch (mvcc.ts);
 *   7. otherwise VALID: its updates join the block's pending writes at version
 *      (block, index in block) — validator.go applyWriteSet, tx_ops.go, batch_preparer.go
 *      validateAndPreparePvtBatch, history/db.go (txOps.ts).
 *
 * Then, once per block: blockToLive expiry (pvtstatepurgemgmt/purge_mgr.go), the txid index entry
 * of every transaction with a txid (with its code, valid or not: blockindex.go indexBlock), the
 * private write sets the caller hands in (`BlockTx.privateWriteSets`, valid or not: kv_ledger.go
 * commitToPvtAndBlockStore) with the expiry of earlier blocks' ones (pvtdatastorage store.go), the
 * block's bytes from `encode(codes)` and the channel height. Nothing is written before all of it
 * is prepared, and then everything goes in one database batch.
 */
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import { type Bytes } from './bytes.js';
import type { CollectionRegistry } from './collections.js';
import { LedgerError } from './errors.js';
import { validateMvcc, type Invalidation } from './mvcc.js';
import { PendingWrites, type BatchOp } from './overlay.js';
import { keys, records, type Db } from './store.js';
import { expireBlockPrivateData, stageBlockPrivateData, stageBlockRecords, readTxRecord, type BlockPrivateWriteSet, type PrivateWriteSet } from './blockStore.js';
import { applyTx, expireBlock, metaList, pvtKeyId, type ApplyContext } from './txOps.js';
import type { TxSimulationResults } from './types.js';
import { plainName, validateKeyValue } from './validation.js';
import { isFinalValidationCode, TxValidationCode } from './validationCodes.js';

/** A block to commit: its number, its transactions in block order, and how to encode it. */
export interface BlockToCommit {
  channel: string;
  /** Must be the channel's next block number (`blockHeight`; 0 for the first block). */
  number: number;
  txs: readonly BlockTx[];
  /**
   * Called once all codes are known, before anything is written; returns the block's bytes to
   * store (the caller puts the transaction filter, one code per transaction, in the metadata).
   * Throwing aborts the commit with nothing written.
   */
  encode(codes: readonly number[]): Uint8Array;
}

export interface BlockTx {
  /** '' for a config or other non-endorser transaction: neither indexed nor checked for duplicates. */
  txId: string;
  /** Undefined: nothing to apply (config transaction, or already invalid). */
  results?: TxSimulationResults;
  /**
   * A validation code decided before the ledger (BAD_PAYLOAD, ENDORSEMENT_POLICY_FAILURE, ...):
   * unless VALID (0), the transaction is invalid, nothing of it is applied, but it is indexed.
   */
  code?: number;
  /**
   * Key-level endorsement check, run in block order after the ledger duplicate check and before
   * MVCC. It reads validation parameters (metadata) through `meta`, which sees the committed
   * state plus the updates of the earlier valid transactions of this block. Returns a validation
   * code (0 = VALID). Throwing aborts the whole commit with nothing written.
   */
  check?(meta: BlockMetadataView): Promise<number> | number;
  /** For history entries; default: `results.timestamp`, else now. */
  timestamp?: Timestamp;
  /**
   * The transaction's private write sets to keep with the block (Fabric's pvtdata store), whatever
   * its validation code: per collection, the private KVRWSet bytes whose hash the transaction
   * carries. Read back with `WorldState.getBlockPrivateData`.
   */
  privateWriteSets?: readonly PrivateWriteSet[];
}

/** What a `BlockTx.check` may read; valid only while the check runs. */
export interface BlockMetadataView {
  /** Metadata entries of a public key (sorted by metakey); undefined when the key does not exist. */
  publicMetadata(ns: string, key: string): Promise<StateMetadata[] | undefined>;
  /** Metadata entries of a private key, by key hash; undefined when the key does not exist. */
  privateMetadata(ns: string, coll: string, keyHash: Uint8Array): Promise<StateMetadata[] | undefined>;
  /**
   * True when an earlier transaction of this block that passed its own `check` (whatever MVCC
   * said of it afterwards) writes metadata of this public key. Fabric's key-level validation does
   * not read such a new validation parameter: it fails the transaction with
   * ValidationParameterUpdatedError, i.e. ENDORSEMENT_POLICY_FAILURE
   * (core/common/validation/statebased vpmanagerimpl.go waitForValidationResults,
   * validator_keylevel.go). A check that wants Fabric's outcome tests this first.
   */
  publicMetadataUpdatedInBlock(ns: string, key: string): boolean;
  /** The same for a private key, by key hash. */
  privateMetadataUpdatedInBlock(ns: string, coll: string, keyHash: Uint8Array): boolean;
}

export interface BlockCommitResult {
  channel: string;
  number: number;
  /** One TxValidationCode per transaction, in block order. */
  codes: number[];
}

/** What preparing a block needs from its WorldState. */
export interface BlockCommitEnv {
  db: Db;
  registry: CollectionRegistry;
  historyEnabled: boolean;
  stateDatabase: 'CouchDB' | 'goleveldb';
  now(): Timestamp;
}

export interface PrepareOptions {
  /** false: the legacy one-transaction commit, which stores no block bytes (encode is not called). */
  storeBlock: boolean;
  /**
   * Checks public writes as the state database would (step 5). The legacy path skips it: its
   * write sets come from our own simulations, which checked every write already.
   */
  validateWriteset: boolean;
  /** Legacy: refuses a read/write-set object that was applied before (an empty txid cannot tell). */
  appliedBefore?(rw: TxSimulationResults): boolean;
}

export interface PreparedBlock {
  channel: string;
  number: number;
  codes: number[];
  /** Why the ledger invalidated a transaction (undefined: valid, or a caller's code). */
  invalidations: (Invalidation | undefined)[];
  /** The read/write sets applied (valid transactions). */
  applied: TxSimulationResults[];
  ops: BatchOp[];
}

const invalidArgument = (message: string): LedgerError => new LedgerError('INVALID_ARGUMENT', message);

/** Runs a caller's callback; what it throws aborts the commit as COMMIT_ABORTED (cause: the error). */
async function callback<T>(fn: () => T | Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new LedgerError('COMMIT_ABORTED', `${what} threw: ${msg}`, { cause: e });
  }
}

/** Checks the shape of a block handed in by a caller (types, names, codes). */
export function checkBlockInput(block: BlockToCommit, storeBlock: boolean): string {
  if (typeof block !== 'object' || block === null) throw invalidArgument('block must be an object');
  const channel = plainName('channel', block.channel);
  if (!Number.isSafeInteger(block.number) || block.number < 0) throw invalidArgument('block number must be a non-negative integer');
  if (!Array.isArray(block.txs)) throw invalidArgument('block txs must be an array');
  if (storeBlock && typeof block.encode !== 'function') throw invalidArgument('block encode must be a function');
  block.txs.forEach((tx: BlockTx, i: number) => {
    if (typeof tx !== 'object' || tx === null) throw invalidArgument(`transaction ${i}: must be an object`);
    if (typeof tx.txId !== 'string') throw invalidArgument(`transaction ${i}: txId must be a string`);
    if (tx.code !== undefined && !isFinalValidationCode(tx.code)) throw invalidArgument(`transaction ${i}: code must be a validation code (0..255, not NOT_VALIDATED)`);
    if (tx.check !== undefined && typeof tx.check !== 'function') throw invalidArgument(`transaction ${i}: check must be a function`);
    if (tx.privateWriteSets !== undefined) {
      if (!Array.isArray(tx.privateWriteSets)) throw invalidArgument(`transaction ${i}: privateWriteSets must be an array`);
      for (const p of tx.privateWriteSets as readonly PrivateWriteSet[]) {
        if (typeof p !== 'object' || p === null || typeof p.namespace !== 'string' || typeof p.collection !== 'string' || !(p.rwset instanceof Uint8Array)) {
          throw invalidArgument(`transaction ${i}: privateWriteSets must hold {namespace, collection, rwset: Uint8Array}`);
        }
      }
    }
    if (tx.results !== undefined) {
      if (typeof tx.results !== 'object' || tx.results === null || !Array.isArray(tx.results.publicRwSet) || !Array.isArray(tx.results.privateRwSet)) {
        throw invalidArgument(`transaction ${i}: results must be TxSimulationResults`);
      }
      if (tx.results.channel !== channel) {
        throw invalidArgument(`transaction ${i}: results are for channel [${tx.results.channel}], not [${channel}]`);
      }
    }
  });
  return channel;
}

/** Names end with 0x00 in our key layout (store.ts): a write set naming one with U+0000 cannot be stored. */
function badName(rw: TxSimulationResults): string | undefined {
  const bad = (s: string) => typeof s !== 'string' || s.includes('\u0000');
  for (const ns of rw.publicRwSet) {
    if (bad(ns.namespace)) return 'namespace';
    for (const c of ns.collHashedRwSets) if (bad(c.collectionName)) return 'collection';
  }
  for (const ns of rw.privateRwSet) {
    if (bad(ns.namespace)) return 'namespace';
    for (const c of ns.collectionPvtRwSets) if (bad(c.collectionName)) return 'collection';
  }
  return undefined;
}

/** batch_preparer.go validateWriteset: public writes the state database would refuse. */
function writesetInvalidation(rw: TxSimulationResults, stateDatabase: 'CouchDB' | 'goleveldb'): Invalidation | undefined {
  const name = badName(rw);
  if (name !== undefined) {
    return { code: TxValidationCode.INVALID_WRITESET, error: invalidArgument(`${name} must not contain U+0000`) };
  }
  if (stateDatabase !== 'CouchDB') return undefined;
  for (const ns of rw.publicRwSet) {
    for (const w of ns.writes) {
      try {
        validateKeyValue(w.key, w.isDelete ? undefined : w.value);
      } catch (e) {
        if (e instanceof LedgerError) return { code: TxValidationCode.INVALID_WRITESET, error: e };
        throw e;
      }
    }
  }
  return undefined;
}

/** Keys whose metadata a transaction writes (vpmanagerimpl.go ExtractValidationParameterDependency). */
function metadataKeys(rw: TxSimulationResults): string[] {
  const out: string[] = [];
  for (const ns of rw.publicRwSet) {
    for (const m of ns.metadataWrites) out.push(`${ns.namespace}\u0000\u0000${m.key}`);
    for (const c of ns.collHashedRwSets) for (const m of c.metadataWrites) out.push(pvtKeyId(ns.namespace, c.collectionName, m.keyHash));
  }
  return out;
}

/**
 * Validates the transactions of a block and prepares every write of it, without writing anything.
 * `number` is the block number the caller has checked (or chosen, for the legacy path).
 */
export async function prepareBlock(
  env: BlockCommitEnv,
  channel: string,
  number: number,
  block: BlockToCommit,
  options: PrepareOptions,
): Promise<PreparedBlock> {
  const pending = new PendingWrites(env.db);
  const ctx: ApplyContext = { channel, registry: env.registry, historyEnabled: env.historyEnabled, pending };
  const codes: number[] = [];
  const invalidations: (Invalidation | undefined)[] = [];
  const applied: TxSimulationResults[] = [];
  /** Private keys written by valid transactions: the block's expiry leaves them alone. */
  const touchedPvt = new Set<string>();
  /** Txids of earlier transactions that got through the endorsement check (markTXIdDuplicates). */
  const checkedTxIds = new Set<string>();
  /** Keys whose metadata an earlier checked transaction writes (vpmanagerimpl.go dependencies). */
  const metadataUpdated = new Set<string>();
  /** Txids already in the index before this block (one lookup per txid). */
  const inLedger = new Map<string, boolean>();
  const indexedBefore = async (txId: string): Promise<boolean> => {
    let v = inLedger.get(txId);
    if (v === undefined) {
      v = (await readTxRecord(env.db, channel, txId)) !== undefined;
      inLedger.set(txId, v);
    }
    return v;
  };

  /** The view one check gets; it refuses use once that check has returned. */
  const viewFor = (txNum: number): { view: BlockMetadataView; end(): void } => {
    let live = true;
    const assertLive = () => {
      if (!live) throw invalidArgument(`the metadata view of transaction ${txNum} of block ${number} was used after its check returned`);
    };
    const view: BlockMetadataView = {
      async publicMetadata(ns, key) {
        assertLive();
        const raw = await pending.get(keys.state(channel, plainName('namespace', ns), key));
        return raw === undefined ? undefined : metaList(records.decodeState(raw).metadata);
      },
      async privateMetadata(ns, coll, keyHash) {
        assertLive();
        const raw = await pending.get(keys.hash(channel, plainName('namespace', ns), plainName('collection', coll), keyHash));
        return raw === undefined ? undefined : metaList(records.decodeHash(raw).metadata);
      },
      publicMetadataUpdatedInBlock(ns, key) {
        assertLive();
        return metadataUpdated.has(`${ns}\u0000\u0000${key}`);
      },
      privateMetadataUpdatedInBlock(ns, coll, keyHash) {
        assertLive();
        return metadataUpdated.has(pvtKeyId(ns, coll, keyHash));
      },
    };
    return { view, end: () => (live = false) };
  };

  for (let txNum = 0; txNum < block.txs.length; txNum++) {
    const tx = block.txs[txNum] as BlockTx;
    const rw = tx.results;
    const verdict = await (async (): Promise<Invalidation | { code: number } | undefined> => {
      // 1. A code decided before the ledger.
      if (tx.code !== undefined && tx.code !== TxValidationCode.VALID) return { code: tx.code };
      // 2. Duplicate of a transaction of an earlier block (checkTxIdDupsLedger).
      if (rw !== undefined && options.appliedBefore?.(rw) === true) {
        return { code: TxValidationCode.DUPLICATE_TXID, error: new LedgerError('DUPLICATE_TXID', `transaction [${tx.txId}] was already committed`) };
      }
      if (tx.txId !== '' && (await indexedBefore(tx.txId))) {
        return {
          code: TxValidationCode.DUPLICATE_TXID,
          error: new LedgerError('DUPLICATE_TXID', `transaction id [${tx.txId}] already committed on channel [${channel}]`),
        };
      }
      // 3. Key-level endorsement (the caller's validation plugin).
      if (tx.check !== undefined) {
        const { view, end } = viewFor(txNum);
        let code: unknown;
        try {
          code = await callback(() => tx.check?.(view), `the check of transaction ${txNum} of block ${number}`);
        } finally {
          end();
        }
        if (!isFinalValidationCode(code)) throw invalidArgument(`transaction ${txNum}: check returned ${String(code)}, not a validation code`);
        if (code !== TxValidationCode.VALID) return { code };
      }
      if (rw !== undefined) for (const k of metadataKeys(rw)) metadataUpdated.add(k);
      // 4. Duplicate within the block (markTXIdDuplicates).
      if (tx.txId !== '') {
        if (checkedTxIds.has(tx.txId)) {
          return {
            code: TxValidationCode.DUPLICATE_TXID,
            error: new LedgerError('DUPLICATE_TXID', `transaction id [${tx.txId}] appears earlier in block ${number} of channel [${channel}]`),
          };
        }
        checkedTxIds.add(tx.txId);
      }
      if (rw === undefined) return undefined;
      // 5. Write set the state database refuses; 6. MVCC and phantoms.
      return (options.validateWriteset ? writesetInvalidation(rw, env.stateDatabase) : undefined) ?? (await validateMvcc(channel, number, rw, pending));
    })();
    if (verdict !== undefined) {
      codes.push(verdict.code);
      invalidations.push('error' in verdict ? verdict : undefined);
      continue;
    }
    codes.push(TxValidationCode.VALID);
    invalidations.push(undefined);
    if (rw === undefined) continue;
    // 7. Valid: its updates join the block at version (block, index in block).
    const timestamp = tx.timestamp ?? rw.timestamp ?? env.now();
    await applyTx(ctx, rw, { blockNum: number, txNum }, tx.txId, timestamp, touchedPvt);
    applied.push(rw);
  }

  await expireBlock(env.db, pending, channel, number, touchedPvt);
  await expireBlockPrivateData(env.db, pending, channel, number);
  const privateSets: BlockPrivateWriteSet[] = [];
  block.txs.forEach((tx, txNum) => {
    for (const p of tx.privateWriteSets ?? []) privateSets.push({ ...p, txNum });
  });
  stageBlockPrivateData(pending, channel, number, privateSets, (ns, coll) => env.registry.ledgerLookup(channel, ns, coll)?.blockToLive ?? 0);

  // blockindex.go indexBlock: every transaction with a txid, with its code; the first entry of a
  // txid answers lookups, so later ones (duplicates) add nothing here.
  const index: { txId: string; txNum: number; code: number }[] = [];
  const seen = new Set<string>();
  for (let txNum = 0; txNum < block.txs.length; txNum++) {
    const txId = (block.txs[txNum] as BlockTx).txId;
    if (txId === '' || seen.has(txId)) continue;
    seen.add(txId);
    if (await indexedBefore(txId)) continue;
    index.push({ txId, txNum, code: codes[txNum] as number });
  }

  let blockBytes: Bytes | undefined;
  if (options.storeBlock) {
    const frozen = Object.freeze([...codes]);
    const encoded: unknown = await callback(() => block.encode(frozen), `encoding block ${number}`);
    if (!(encoded instanceof Uint8Array)) throw invalidArgument('block encode must return a Uint8Array');
    blockBytes = encoded;
  }
  stageBlockRecords(pending, channel, number, index, blockBytes);
  return { channel, number, codes, invalidations, applied, ops: pending.ops() };
}
