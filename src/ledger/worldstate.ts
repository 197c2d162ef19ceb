/**
 * The world state: versioned public state, private data (values and hashes), key history, the
 * blocks of each channel with their txid index, and channel heights, in one abstract-level
 * database (memory-level by default, classic-level (LevelDB) with `dataDir`), plus commit with
 * Fabric's validation.
 *
 * Commit model: `commitBlock` commits a block of transactions as Fabric's committer does
 * (blockCommit.ts: duplicate txids, the caller's key-level check, MVCC and phantoms against the
 * committed state plus the earlier valid transactions of the block, application, expiry, txid
 * index, block bytes), all in one atomic database batch. `commit` is the older single-transaction
 * path: its transaction is the only one of a block without stored bytes, numbered like the blocks
 * of `commitBlock` (one height per channel), and it is refused, with nothing written, unless valid.
 */
import { randomUUID } from 'node:crypto';
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import { EMPTY, compareUtf8, sha256, type Bytes } from './bytes.js';
import { checkBlockInput, prepareBlock, type BlockCommitEnv, type BlockCommitResult, type BlockToCommit, type PreparedBlock } from './blockCommit.js';
import { nextBlockNumber, readBlock, readBlockPrivateData, readPurgeMarker, readTxRecord, txStatusOf, type BlockPrivateWriteSet, type TxStatus } from './blockStore.js';
import { CollectionRegistry, type CollectionConfigInput, type CollectionDefinition } from './collections.js';
import { asLedgerError, closedError, LedgerError } from './errors.js';
import { channelOfKey, getRaw, keys, openDb, ranges, records, type Db, type Version } from './store.js';
import { Simulation, transientMap } from './simulation.js';
import { newTx, type LedgerContext, type TxState } from './transaction.js';
import { metaList } from './txOps.js';
import { plainName } from './validation.js';
import type { SimulationOptions, TxSimulationResults } from './types.js';
import { TxValidationCode } from './validationCodes.js';

export interface WorldStateOptions {
  /** LevelDB directory (classic-level). Absent: in memory (memory-level). */
  dataDir?: string;
  /** ledger.state.totalQueryLimit (sample core.yaml 100000): cap on results per iterator. */
  totalQueryLimit?: number;
  /** Iterators one simulation may hold open at once (default 1000; ours, Fabric has none). */
  maxOpenIterators?: number;
  /** ledger.state.couchDBConfig.internalQueryLimit (default 1000): rich-query chunk size. */
  internalQueryLimit?: number;
  /** Collection configs per namespace (for every channel); see also `defineCollections`. */
  collections?: Readonly<Record<string, CollectionConfigInput>>;
  /**
   * MSP ids of the channel's orgs. Fabric only defines implicit collections for them; absent
   * (the default), every `_implicit_org_<MSPID>` exists.
   */
  channelMspIds?: readonly string[];
  /** Iterator id generator (Fabric: a UUID). */
  newIteratorId?: () => string;
  /** ledger.history.enableHistoryDatabase (default true). */
  enableHistoryDatabase?: boolean;
  /**
   * The state database flavour emulated: 'CouchDB' (default) validates keys/values like
   * statecouchdb and serves rich queries; 'goleveldb' accepts any key and refuses rich queries
   * with Fabric's "ExecuteQuery not supported for leveldb".
   */
  stateDatabase?: 'CouchDB' | 'goleveldb';
  /** Clock for default timestamps. */
  now?: () => Timestamp;
}

export interface CommitOptions {
  /** Overrides the simulation's txId (the index of committed ids rejects duplicates). */
  txId?: string;
  /** Overrides the simulation's timestamp in history entries. */
  timestamp?: Timestamp;
}

export interface CommitResult {
  channel: string;
  txId: string;
  blockNum: number;
  txNum: number;
}

export interface CommittedState {
  value: Bytes;
  version: Version;
  metadata: StateMetadata[];
}

export interface CommittedPrivateState {
  value: Bytes;
  valueHash: Bytes;
  version: Version;
  metadata: StateMetadata[];
}

function defaultNow(): Timestamp {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

export class WorldState {
  private closed = false;
  /** Set by close(): no new commits; queued ones still run. */
  private closing = false;
  private commitQueue: Promise<unknown> = Promise.resolve();
  private readonly live = new Set<TxState>();
  private readonly knownChannels = new Set<string>();
  /** Result objects already committed (a transaction with an empty txid must not apply twice). */
  private readonly committed = new WeakSet<TxSimulationResults>();
  private readonly ctx: LedgerContext;
  readonly totalQueryLimit: number;
  readonly internalQueryLimit: number;
  readonly stateDatabase: 'CouchDB' | 'goleveldb';
  private readonly now: () => Timestamp;

  private constructor(
    private readonly db: Db,
    readonly registry: CollectionRegistry,
    options: WorldStateOptions,
  ) {
    this.totalQueryLimit = options.totalQueryLimit ?? 100_000;
    this.internalQueryLimit = options.internalQueryLimit ?? 1000;
    this.stateDatabase = options.stateDatabase ?? 'CouchDB';
    this.now = options.now ?? defaultNow;
    if (!Number.isInteger(this.totalQueryLimit) || this.totalQueryLimit < 1) {
      throw new LedgerError('INVALID_ARGUMENT', 'totalQueryLimit must be a positive integer');
    }
    if (!Number.isInteger(this.internalQueryLimit) || this.internalQueryLimit < 1) {
      throw new LedgerError('INVALID_ARGUMENT', 'internalQueryLimit must be a positive integer');
    }
    const maxOpenIterators = options.maxOpenIterators ?? 1000;
    if (!Number.isInteger(maxOpenIterators) || maxOpenIterators < 1) {
      throw new LedgerError('INVALID_ARGUMENT', 'maxOpenIterators must be a positive integer');
    }
    const newIteratorId = options.newIteratorId ?? randomUUID;
    const historyEnabled = options.enableHistoryDatabase ?? true;
    this.ctx = {
      db,
      registry,
      totalQueryLimit: this.totalQueryLimit,
      maxOpenIterators,
      internalQueryLimit: this.internalQueryLimit,
      stateDatabase: this.stateDatabase,
      historyEnabled,
      newIteratorId,
      assertOpen: () => {
        if (this.closed) throw closedError();
      },
      released: (tx) => {
        this.live.delete(tx);
      },
    };
  }

  /** Opens (creating if needed) a world state. */
  static async open(options: WorldStateOptions = {}): Promise<WorldState> {
    const registry = new CollectionRegistry(options.channelMspIds);
    for (const [ns, cfg] of Object.entries(options.collections ?? {})) registry.define(plainName('namespace', ns), cfg);
    let db: Db;
    try {
      db = await openDb(options.dataDir);
    } catch (e) {
      throw asLedgerError(e);
    }
    try {
      return new WorldState(db, registry, options);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  get historyEnabled(): boolean {
    return this.ctx.historyEnabled;
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }

  private assertNotClosing(): void {
    if (this.closing) throw closedError();
  }

  /** Defines (replaces) the collections of a namespace, for one channel or for all. */
  defineCollections(namespace: string, config: CollectionConfigInput, channel?: string): void {
    this.registry.define(plainName('namespace', namespace), config, channel === undefined ? undefined : plainName('channel', channel));
  }

  /** Explicit collections of a namespace (implicit ones are not listed). */
  collections(channel: string, namespace: string): CollectionDefinition[] {
    return this.registry.list(channel, namespace);
  }

  /** Starts a transaction simulation reading the state committed at this moment. */
  newSimulation(options: SimulationOptions): Simulation {
    this.assertNotClosing();
    const channel = plainName('channel', options.channel);
    const namespace = plainName('namespace', options.namespace);
    if (typeof options.txId !== 'string') throw new LedgerError('INVALID_ARGUMENT', 'txId must be a string');
    if (typeof options.creatorMspId !== 'string') throw new LedgerError('INVALID_ARGUMENT', 'creatorMspId must be a string');
    this.knownChannels.add(channel);
    const tx = newTx(this.ctx, this.db.snapshot(), { channel, txId: options.txId, timestamp: options.timestamp });
    this.live.add(tx);
    return new Simulation(tx, namespace, options.creatorMspId, options.isInit === true, transientMap(options.transient));
  }

  // ---- commit ---------------------------------------------------------------------------------

  /**
   * Runs a commit after the ones already queued (blocks commit strictly one after another); queued
   * at once, so that close() waits for commits already requested.
   */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    const run = this.commitQueue.then(async () => {
      try {
        return await fn();
      } catch (e) {
        throw asLedgerError(e);
      }
    });
    this.commitQueue = run.catch(() => undefined);
    return run;
  }

  private get env(): BlockCommitEnv {
    return { db: this.db, registry: this.registry, historyEnabled: this.ctx.historyEnabled, stateDatabase: this.stateDatabase, now: this.now };
  }

  private async write(prepared: PreparedBlock): Promise<void> {
    this.assertOpen();
    try {
      await this.db.batch(prepared.ops);
    } catch (e) {
      throw asLedgerError(e);
    }
    for (const rw of prepared.applied) this.committed.add(rw);
    this.knownChannels.add(prepared.channel);
  }

  /**
   * Validates the transactions of a block in order and commits the block — the updates of its
   * valid transactions, the txid index entries of all of them with their codes, the block's bytes
   * from `block.encode(codes)` and the channel height — in one database batch (blockCommit.ts).
   * Rejects with BLOCK_OUT_OF_ORDER unless `block.number` is the channel's next block number, and
   * with the error of a throwing `encode` or `check`; then nothing is written.
   */
  commitBlock(block: BlockToCommit): Promise<BlockCommitResult> {
    let channel: string;
    try {
      channel = checkBlockInput(block, true);
    } catch (e) {
      return Promise.reject(asLedgerError(e));
    }
    return this.enqueue(async () => {
      this.assertOpen();
      const next = await nextBlockNumber(this.db, channel);
      if (block.number !== next) {
        throw new LedgerError(
          'BLOCK_OUT_OF_ORDER',
          `block [${block.number}] is not the next block of channel [${channel}]: expected block [${next}]`,
        );
      }
      const prepared = await prepareBlock(this.env, channel, next, block, { storeBlock: true, validateWriteset: true });
      await this.write(prepared);
      return { channel, number: next, codes: prepared.codes };
    });
  }

  /**
   * Validates and applies one simulation's results atomically, as the only transaction of the
   * channel's next block (block 1 on a new channel: the legacy path leaves block 0 to a genesis
   * block it never writes); no block bytes are stored. Rejects with MVCC_READ_CONFLICT,
   * PHANTOM_READ_CONFLICT or DUPLICATE_TXID and then writes nothing, not even the block. (Write
   * sets are not checked against the state database's key/value rules here: simulations did.)
   */
  commit(input: Simulation | TxSimulationResults, options: CommitOptions = {}): Promise<CommitResult> {
    return this.enqueue(async () => {
      const rw = input instanceof Simulation ? await input.result() : input;
      this.assertOpen();
      const channel = plainName('channel', rw.channel);
      const txId = options.txId ?? rw.txId;
      const next = await nextBlockNumber(this.db, channel);
      const blockNum = next === 0 ? 1 : next;
      const block: BlockToCommit = {
        channel,
        number: blockNum,
        txs: [{ txId, results: rw, ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }) }],
        encode: () => EMPTY,
      };
      checkBlockInput(block, false);
      const prepared = await prepareBlock(this.env, channel, blockNum, block, {
        storeBlock: false,
        validateWriteset: false,
        appliedBefore: (r) => this.committed.has(r),
      });
      if (prepared.codes[0] !== TxValidationCode.VALID) {
        throw prepared.invalidations[0]?.error ?? new LedgerError('INVALID_ARGUMENT', `transaction [${txId}] is invalid (code ${prepared.codes[0]})`);
      }
      await this.write(prepared);
      return { channel, txId, blockNum, txNum: 0 };
    });
  }

  private async get(key: Bytes): Promise<Bytes | undefined> {
    try {
      return await getRaw(this.db, key);
    } catch (e) {
      throw asLedgerError(e);
    }
  }

  // ---- inspection -----------------------------------------------------------------------------

  /** The committed public state of a key (for tests and tools; records no read). */
  async getCommitted(channel: string, namespace: string, key: string): Promise<CommittedState | undefined> {
    this.assertOpen();
    const raw = await this.get(keys.state(plainName('channel', channel), plainName('namespace', namespace), key));
    if (raw === undefined) return undefined;
    const r = records.decodeState(raw);
    return { value: r.value, version: r.version, metadata: metaList(r.metadata) };
  }

  /** The committed private value and hash of a key, or undefined. */
  async getCommittedPrivate(channel: string, namespace: string, collection: string, key: string): Promise<CommittedPrivateState | undefined> {
    this.assertOpen();
    const ch = plainName('channel', channel);
    const ns = plainName('namespace', namespace);
    const coll = plainName('collection', collection);
    const praw = await this.get(keys.pvt(ch, ns, coll, key));
    const hraw = await this.get(keys.hash(ch, ns, coll, sha256(key)));
    if (praw === undefined && hraw === undefined) return undefined;
    const p = praw === undefined ? undefined : records.decodePvt(praw);
    const h = hraw === undefined ? undefined : records.decodeHash(hraw);
    return {
      value: p?.value ?? EMPTY,
      valueHash: h?.valueHash ?? EMPTY,
      version: (h?.version ?? p?.version) as Version,
      metadata: metaList(h?.metadata),
    };
  }

  /**
   * The number of the channel's newest block (0 when it has none). With the legacy `commit` path
   * alone (blocks 1, 2, ...) this is the number of committed transactions. Fabric's height (the
   * number of blocks, i.e. the next block number) is `blockHeight`.
   */
  async height(channel: string): Promise<number> {
    return Math.max(0, (await this.blockHeight(channel)) - 1);
  }

  /**
   * The channel's height as Fabric's BlockchainInfo.height: the next block number, counting the
   * blocks of the legacy `commit` path (which store no bytes) and the block 0 that path leaves
   * unwritten when it starts a channel. 0 for a channel without blocks.
   */
  async blockHeight(channel: string): Promise<number> {
    this.assertOpen();
    return nextBlockNumber(this.db, plainName('channel', channel));
  }

  /**
   * The bytes stored for a block by `commitBlock` (blkstorage RetrieveBlockByNumber); undefined
   * for a block not committed yet and for the blocks of the legacy `commit` path.
   */
  async getBlock(channel: string, number: number): Promise<Uint8Array | undefined> {
    this.assertOpen();
    if (!Number.isSafeInteger(number) || number < 0) throw new LedgerError('INVALID_ARGUMENT', 'block number must be a non-negative integer');
    const b = await readBlock(this.db, plainName('channel', channel), number);
    return b === undefined ? undefined : new Uint8Array(b);
  }

  /**
   * The private write sets kept with a block (`BlockTx.privateWriteSets`), ordered by transaction
   * number, namespace and collection, less those whose blockToLive has expired (Fabric's
   * pvtdatastorage GetPvtDataByBlockNum); empty for a block without any. Purged keys are still in
   * them: see `purgeMarker`.
   */
  async getBlockPrivateData(channel: string, number: number): Promise<BlockPrivateWriteSet[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(number) || number < 0) throw new LedgerError('INVALID_ARGUMENT', 'block number must be a non-negative integer');
    return readBlockPrivateData(this.db, plainName('channel', channel), number);
  }

  /**
   * The version (block, tx number) of the latest valid PurgePrivateData of a private key (looked up
   * by its hash, as the purge recorded it): private writes of the key at that version or before
   * are purged (pvtdatastorage store.go removePurgedDataFromCollPvtRWset).
   */
  async purgeMarker(channel: string, namespace: string, collection: string, key: string): Promise<Version | undefined> {
    this.assertOpen();
    return readPurgeMarker(this.db, plainName('channel', channel), plainName('namespace', namespace), plainName('collection', collection), sha256(key));
  }

  /**
   * Block, transaction number and validation code of a txid from the txid index, valid or not
   * (blkstorage RetrieveTxValidationCodeByTxID); for a txid used more than once, its first use.
   */
  async txStatus(channel: string, txId: string): Promise<TxStatus | undefined> {
    this.assertOpen();
    const r = await readTxRecord(this.db, plainName('channel', channel), txId);
    return r === undefined ? undefined : txStatusOf(r);
  }

  /** Channels that have committed blocks or a simulation, sorted. */
  async listChannels(): Promise<string[]> {
    this.assertOpen();
    const out = new Set(this.knownChannels);
    const r = ranges.channels();
    try {
      for await (const k of this.db.keys({ gte: r.gte, lt: r.lt })) out.add(channelOfKey(k));
    } catch (e) {
      throw asLedgerError(e);
    }
    return [...out].sort(compareUtf8);
  }

  /**
   * The version (block, tx number) at which a txid was committed as a VALID transaction, or
   * undefined — also when the txid is in a block but was invalidated there (see `txStatus`, which
   * reports those too and is what refuses a txid again).
   */
  async committedTx(channel: string, txId: string): Promise<Version | undefined> {
    const s = await this.txStatus(channel, txId);
    return s === undefined || s.code !== TxValidationCode.VALID ? undefined : { blockNum: s.blockNumber, txNum: s.txNumber };
  }

  /** Waits for pending commits, ends live simulations and closes the database (flushing it). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.commitQueue;
    this.closed = true;
    for (const tx of [...this.live]) await tx.abandon();
    this.live.clear();
    await this.db.close();
  }
}
