/**
 * The world state: versioned public state, private data (values and hashes), key history and
 * channel heights, in one abstract-level database (memory-level by default, classic-level
 * (LevelDB) with `dataDir`), plus commit with Fabric's MVCC validation.
 *
 * Commit model: every committed transaction is the only transaction of a new block of its
 * channel, so versions are (blockNum, 0) with blockNum counting from 1 per channel. Validation
 * follows core/ledger/kvledger/txmgmt/validation/validator.go (public reads, then range queries
 * for phantoms, then hashed private reads, namespace by namespace) and application follows
 * validation/tx_ops.go and batch_preparer.go (value/metadata merging, private data and hashes,
 * history entries as in history/db.go, blockToLive expiry as in pvtstatepurgemgmt/purge_mgr.go),
 * all in one atomic database batch.
 */
import { randomUUID } from 'node:crypto';
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import { EMPTY, compareUtf8, copyBytes, sha256, toHex, type Bytes } from './bytes.js';
import { CollectionRegistry, type CollectionConfigInput, type CollectionDefinition } from './collections.js';
import { asLedgerError, closedError, LedgerError } from './errors.js';
import {
  channelOfKey,
  getRaw,
  keys,
  openDb,
  parseExpiryKey,
  ranges,
  records,
  sameVersion,
  suffixKey,
  type Db,
  type HashRecord,
  type MetadataMap,
  type StateRecord,
  type Version,
} from './store.js';
import { Simulation, transientMap } from './simulation.js';
import { newTx, type LedgerContext, type TxState } from './transaction.js';
import { plainName } from './validation.js';
import type { NsRwSet, RangeQueryInfo, SimulationOptions, TxSimulationResults } from './types.js';

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

type BatchOp = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

function metaList(m: MetadataMap | undefined): StateMetadata[] {
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
   * Validates and applies a simulation's results atomically. Rejects with MVCC_READ_CONFLICT,
   * PHANTOM_READ_CONFLICT or DUPLICATE_TXID and then applies nothing.
   */
  commit(input: Simulation | TxSimulationResults, options: CommitOptions = {}): Promise<CommitResult> {
    if (this.closing) return Promise.reject(closedError());
    // Queued at once, so that close() waits for commits already requested.
    const run = this.commitQueue.then(async () => {
      const rw = input instanceof Simulation ? await input.result() : input;
      this.assertOpen();
      try {
        return await this.commitLocked(rw, options);
      } catch (e) {
        throw asLedgerError(e);
      }
    });
    this.commitQueue = run.catch(() => undefined);
    return run;
  }

  private async get(key: Bytes): Promise<Bytes | undefined> {
    try {
      return await getRaw(this.db, key);
    } catch (e) {
      throw asLedgerError(e);
    }
  }

  private async channelHeightRaw(channel: string): Promise<number> {
    const raw = await this.get(keys.channel(channel));
    return raw === undefined ? 0 : records.decodeChannel(raw);
  }

  private async commitLocked(rw: TxSimulationResults, options: CommitOptions): Promise<CommitResult> {
    const channel = plainName('channel', rw.channel);
    const txId = options.txId ?? rw.txId;
    const timestamp = options.timestamp ?? rw.timestamp ?? this.now();
    const blockNum = (await this.channelHeightRaw(channel)) + 1;
    const version: Version = { blockNum, txNum: 0 };

    if (this.committed.has(rw)) {
      throw new LedgerError('DUPLICATE_TXID', `transaction [${txId}] was already committed`);
    }
    if (txId !== '' && (await this.get(keys.txid(channel, txId))) !== undefined) {
      throw new LedgerError('DUPLICATE_TXID', `transaction id [${txId}] already committed on channel [${channel}]`);
    }
    for (const ns of rw.publicRwSet) await this.validateNs(channel, ns);

    const ops: BatchOp[] = [];
    const put = (key: Bytes, value: Bytes) => ops.push({ type: 'put', key, value });
    const del = (key: Bytes) => ops.push({ type: 'del', key });
    /** Private keys touched by this transaction: expiry must not purge them (purge_mgr.go). */
    const touchedPvt = new Set<string>();

    for (const ns of rw.publicRwSet) await this.applyPublic(channel, ns, version, txId, timestamp, put, del);
    for (const ns of rw.publicRwSet) {
      for (const coll of ns.collHashedRwSets) {
        await this.applyHashed(channel, ns.namespace, coll.collectionName, coll, version, put, del);
        for (const w of coll.hashedWrites) touchedPvt.add(`${ns.namespace}\u0000${coll.collectionName}\u0000${toHex(w.keyHash)}`);
        for (const w of coll.metadataWrites) touchedPvt.add(`${ns.namespace}\u0000${coll.collectionName}\u0000${toHex(w.keyHash)}`);
      }
    }
    for (const ns of rw.privateRwSet) {
      for (const coll of ns.collectionPvtRwSets) {
        const def = this.registry.ledgerLookup(channel, ns.namespace, coll.collectionName);
        const btl = def?.blockToLive ?? 0;
        const written = new Set<string>();
        for (const w of coll.writes) {
          written.add(w.key);
          const pk = keys.pvt(channel, ns.namespace, coll.collectionName, w.key);
          if (w.isDelete || w.isPurge) {
            del(pk);
            continue;
          }
          put(pk, records.encodePvt({ value: copyBytes(w.value), version }));
          // pvtdatapolicy btlpolicy.go GetExpiringBlock: committingBlock + blockToLive + 1.
          if (btl > 0) put(keys.expiry(channel, blockNum + btl + 1, ns.namespace, coll.collectionName, w.key), records.encodeExpiry(blockNum));
        }
        for (const { key } of coll.metadataWrites) {
          if (written.has(key)) continue;
          // batch_preparer.go: a metadata-only change bumps the private value's version.
          const pk = keys.pvt(channel, ns.namespace, coll.collectionName, key);
          const raw = await this.get(pk);
          if (raw !== undefined) put(pk, records.encodePvt({ value: records.decodePvt(raw).value, version }));
        }
      }
    }
    await this.expire(channel, blockNum, touchedPvt, del);
    if (txId !== '') put(keys.txid(channel, txId), records.encodeTx(version));
    put(keys.channel(channel), records.encodeChannel(blockNum));

    await this.db.batch(ops.map((o) => (o.type === 'put' ? { type: 'put', key: o.key, value: o.value } : { type: 'del', key: o.key })));
    this.committed.add(rw);
    this.knownChannels.add(channel);
    return { channel, txId, blockNum, txNum: 0 };
  }

  /** validator.go validateTx for one namespace. */
  private async validateNs(channel: string, ns: NsRwSet): Promise<void> {
    for (const r of ns.reads) {
      const raw = await this.get(keys.state(channel, ns.namespace, r.key));
      const current = raw === undefined ? undefined : records.decodeState(raw).version;
      if (!sameVersion(current, r.version)) {
        throw new LedgerError(
          'MVCC_READ_CONFLICT',
          `MVCC_READ_CONFLICT: key [${ns.namespace}:${r.key}] was read at version ${fmtVersion(r.version)} but is now at ${fmtVersion(current)}`,
        );
      }
    }
    for (const rq of ns.rangeQueriesInfo) {
      if (!(await this.rangeStillSame(channel, ns.namespace, rq))) {
        throw new LedgerError(
          'PHANTOM_READ_CONFLICT',
          `PHANTOM_READ_CONFLICT: range [${rq.startKey}, ${rq.endKey}${rq.itrExhausted ? ')' : ']'} of namespace [${ns.namespace}] changed since it was read`,
        );
      }
    }
    for (const coll of ns.collHashedRwSets) {
      for (const r of coll.hashedReads) {
        const raw = await this.get(keys.hash(channel, ns.namespace, coll.collectionName, r.keyHash));
        const current = raw === undefined ? undefined : records.decodeHash(raw).version;
        if (!sameVersion(current, r.version)) {
          throw new LedgerError(
            'MVCC_READ_CONFLICT',
            `MVCC_READ_CONFLICT: private key hash [${toHex(r.keyHash)}] of collection [${ns.namespace}/${coll.collectionName}] was read at version ${fmtVersion(r.version)} but is now at ${fmtVersion(current)}`,
          );
        }
      }
    }
  }

  /**
   * validator.go validateRangeQuery: re-run the scan; when the simulation did not exhaust the
   * iterator the range ends at (and includes) the last key it saw.
   */
  private async rangeStillSame(channel: string, ns: string, rq: RangeQueryInfo): Promise<boolean> {
    const r = ranges.state(channel, ns, rq.startKey, rq.itrExhausted ? rq.endKey : '');
    const prefixLength = keys.statePrefix(channel, ns).length;
    const lastKey = rq.itrExhausted ? undefined : rq.endKey;
    const it = this.db.iterator(
      lastKey === undefined || lastKey === '' ? { gte: r.gte, lt: r.lt } : { gte: r.gte, lte: keys.state(channel, ns, lastKey) },
    );
    try {
      let i = 0;
      for await (const [k, v] of it) {
        const expected = rq.reads[i++];
        if (expected === undefined) return false;
        if (suffixKey(k, prefixLength) !== expected.key) return false;
        if (!sameVersion(records.decodeState(v).version, expected.version)) return false;
      }
      return i === rq.reads.length;
    } finally {
      await it.close();
    }
  }

  /** tx_ops.go: value/metadata merging for public keys, plus history entries. */
  private async applyPublic(
    channel: string,
    ns: NsRwSet,
    version: Version,
    txId: string,
    timestamp: Timestamp,
    put: (k: Bytes, v: Bytes) => void,
    del: (k: Bytes) => void,
  ): Promise<void> {
    const writes = new Map(ns.writes.map((w) => [w.key, w] as const));
    const metas = new Map(ns.metadataWrites.map((m) => [m.key, m] as const));
    const allKeys = new Set([...writes.keys(), ...metas.keys()]);
    for (const key of allKeys) {
      const w = writes.get(key);
      const m = metas.get(key);
      const sk = keys.state(channel, ns.namespace, key);
      // rwsetutil IsKVWriteDelete: IsDelete or an empty value.
      if (w !== undefined && (w.isDelete || w.value.length === 0)) {
        del(sk);
      } else if (w !== undefined && m !== undefined) {
        put(sk, records.encodeState({ value: copyBytes(w.value), version, metadata: metaMap(m.entries) }));
      } else if (w !== undefined) {
        const raw = await this.get(sk);
        const metadata = raw === undefined ? undefined : records.decodeState(raw).metadata;
        put(sk, records.encodeState({ value: copyBytes(w.value), version, metadata }));
      } else if (m !== undefined) {
        // Metadata for a key that does not exist is dropped (prepareTxOps "make this key as noop").
        const raw = await this.get(sk);
        if (raw !== undefined) {
          const cur: StateRecord = records.decodeState(raw);
          put(sk, records.encodeState({ value: cur.value, version, metadata: metaMap(m.entries) }));
        }
      }
    }
    // history/db.go: one entry per public write of a valid transaction (metadata-only writes none).
    if (!this.ctx.historyEnabled) return;
    for (const w of ns.writes) {
      const isDelete = w.isDelete || w.value.length === 0;
      put(
        keys.history(channel, ns.namespace, w.key, version),
        records.encodeHistory({ txId, value: isDelete ? EMPTY : copyBytes(w.value), isDelete, timestamp }),
      );
    }
  }

  /** tx_ops.go applied to the hashed (private) key space. */
  private async applyHashed(
    channel: string,
    ns: string,
    coll: string,
    set: NsRwSet['collHashedRwSets'][number],
    version: Version,
    put: (k: Bytes, v: Bytes) => void,
    del: (k: Bytes) => void,
  ): Promise<void> {
    const writes = new Map(set.hashedWrites.map((w) => [toHex(w.keyHash), w] as const));
    const metas = new Map(set.metadataWrites.map((m) => [toHex(m.keyHash), m] as const));
    for (const hex of new Set([...writes.keys(), ...metas.keys()])) {
      const w = writes.get(hex);
      const m = metas.get(hex);
      const keyHash = (w?.keyHash ?? m?.keyHash) as Bytes;
      const hk = keys.hash(channel, ns, coll, keyHash);
      if (w !== undefined && (w.isDelete || w.isPurge || w.valueHash.length === 0)) {
        del(hk);
      } else if (w !== undefined) {
        let metadata: MetadataMap | undefined;
        if (m !== undefined) metadata = metaMap(m.entries);
        else {
          const raw = await this.get(hk);
          metadata = raw === undefined ? undefined : records.decodeHash(raw).metadata;
        }
        put(hk, records.encodeHash({ valueHash: copyBytes(w.valueHash), version, metadata }));
      } else if (m !== undefined) {
        const raw = await this.get(hk);
        if (raw !== undefined) {
          const cur: HashRecord = records.decodeHash(raw);
          put(hk, records.encodeHash({ valueHash: cur.valueHash, version, metadata: metaMap(m.entries) }));
        }
      }
    }
  }

  /**
   * blockToLive expiry (pvtstatepurgemgmt/purge_mgr.go): entries scheduled for blocks up to this
   * one purge the private value and its hash when they still hold the version written at the
   * scheduled block, unless this very transaction writes the key.
   */
  private async expire(
    channel: string,
    blockNum: number,
    touched: ReadonlySet<string>,
    del: (k: Bytes) => void,
  ): Promise<void> {
    const r = ranges.expiry(channel, blockNum);
    const prefixLength = keys.expiryPrefix(channel).length;
    const it = this.db.iterator({ gte: r.gte, lt: r.lt });
    const due: { dbKey: Bytes; ns: string; coll: string; key: string; committed: number }[] = [];
    try {
      for await (const [k, v] of it) {
        const e = parseExpiryKey(k, prefixLength);
        due.push({ dbKey: k, ns: e.ns, coll: e.coll, key: e.key, committed: records.decodeExpiry(v) });
      }
    } finally {
      await it.close();
    }
    for (const d of due) {
      del(d.dbKey);
      const keyHash = sha256(d.key);
      if (touched.has(`${d.ns}\u0000${d.coll}\u0000${toHex(keyHash)}`)) continue;
      const hk = keys.hash(channel, d.ns, d.coll, keyHash);
      const pk = keys.pvt(channel, d.ns, d.coll, d.key);
      const hraw = await this.get(hk);
      const praw = await this.get(pk);
      const hashSame = hraw !== undefined && records.decodeHash(hraw).version.blockNum === d.committed;
      const pvtSame = praw !== undefined && records.decodePvt(praw).version.blockNum === d.committed;
      if (hashSame) del(hk);
      if (hashSame || pvtSame) del(pk);
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

  /** Number of blocks committed on the channel (0 for a new channel). */
  async height(channel: string): Promise<number> {
    this.assertOpen();
    return this.channelHeightRaw(plainName('channel', channel));
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

  /** Committed transaction version of a txid, or undefined. */
  async committedTx(channel: string, txId: string): Promise<Version | undefined> {
    this.assertOpen();
    const raw = await this.get(keys.txid(plainName('channel', channel), txId));
    return raw === undefined ? undefined : records.decodeTx(raw);
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

function fmtVersion(v: Version | undefined): string {
  return v === undefined ? '(none)' : `${v.blockNum}:${v.txNum}`;
}
