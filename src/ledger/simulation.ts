/**
 * Transaction simulation: one object per running transaction, with one async method per shim
 * request the peer serves from the ledger.
 *
 * Each method applies, in Fabric's order, the peer handler's checks (core/chaincode/handler.go:
 * Init restriction, collection read/write permission) and then the simulator's
 * (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go and query_executor.go: collection-name
 * validation, "done" check, private/paginated query vs write restrictions, key/value
 * validation), and records reads and writes like rwsetutil/rwset_builder.go.
 *
 * Reads come from one database snapshot taken when the simulation starts. Fabric gets the same
 * consistency differently (a simulation holds the commit lock for reading, txmgr
 * lockbased_txmgr.go), so every read of a simulation sees one committed state and never the
 * simulation's own writes.
 */
import { WriteRecordType, type KV, type KeyModification, type StateMetadata, type Timestamp, type WriteRecord } from '../protocol/messages.js';
import { compareUtf8, EMPTY, isWellFormed, sha256, toHex, utf8, copyBytes, type Bytes } from './bytes.js';
import { permissionFor, type CollectionDefinition, type CollectionRegistry, type Permission } from './collections.js';
import {
  asLedgerError,
  historyDisabled,
  invalidCollName,
  iteratorNotFound,
  LedgerError,
  missingMetadata,
  noReadAccess,
  noSuchCollection,
  noWriteAccess,
  paginatedQueryAfterWrite,
  privateDataInInit,
  purgeNeedsCollection,
  pvtQueryAfterWrite,
  simulationDone,
  tooManyIterators,
  unknownWriteType,
  writeAfterPaginatedQuery,
  writeAfterPvtQuery,
} from './errors.js';
import {
  buildQueryResponse,
  HistorySource,
  OpenIterator,
  RangeSource,
  RichSource,
  toKV,
  type RichItem,
  type Source,
  type VersionedKV,
} from './iterators.js';
import { decodeBookmark, parseFabricQuery, selectAndSort, type JsonObject, type MangoQuery } from './mango.js';
import { getRaw, keys, ranges, records, suffixKey, type Db, type Snapshot, type Version } from './store.js';
import type {
  CollHashedRwSet,
  CollPvtRwSet,
  KVWrite,
  KVWriteHash,
  NsPvtRwSet,
  NsRwSet,
  HistoryQueryResponse,
  KvQueryResponse,
  Pagination,
  PvtKVWrite,
  QueryResponseResult,
  RangeQueryInfo,
  TxSimulationResults,
} from './types.js';

/** What a simulation needs from its WorldState. */
export interface LedgerContext {
  readonly db: Db;
  readonly registry: CollectionRegistry;
  readonly totalQueryLimit: number;
  readonly maxOpenIterators: number;
  readonly internalQueryLimit: number;
  readonly stateDatabase: 'CouchDB' | 'goleveldb';
  readonly historyEnabled: boolean;
  newIteratorId(): string;
  assertOpen(): void;
  /** Called once when a transaction finishes (result/done/commit). */
  released(tx: TxState): void;
}

// ---- argument checks ------------------------------------------------------------------------

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new LedgerError('INVALID_ARGUMENT', `${name} must be a string`);
  return v;
}

function bytes(name: string, v: unknown): Bytes {
  if (!(v instanceof Uint8Array)) throw new LedgerError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  return v;
}

/** Channel, namespace and collection names end with 0x00 in the store layout (store.ts). */
export function plainName(name: string, v: unknown): string {
  const s = str(name, v);
  if (s.includes('\u0000')) throw new LedgerError('INVALID_ARGUMENT', `${name} must not contain U+0000`);
  return s;
}

function pagination(v: unknown): Pagination | undefined {
  if (v === undefined || v === null) return undefined;
  const p = v as Partial<Pagination>;
  if (typeof p !== 'object' || !Number.isInteger(p.pageSize ?? 0) || typeof (p.bookmark ?? '') !== 'string') {
    throw new LedgerError('INVALID_ARGUMENT', 'pagination must be {pageSize: integer, bookmark: string}');
  }
  return { pageSize: p.pageSize ?? 0, bookmark: p.bookmark ?? '' };
}

/** handler.go isMetadataSetForPagination. */
function isPaginated(p: Pagination | undefined): p is Pagination {
  return p !== undefined && (p.pageSize !== 0 || p.bookmark !== '');
}

// ---- CouchDB key/value validation (statecouchdb/couchdoc_conv.go validateKey/validateValue) ---

function validateKeyValue(key: string, value: Bytes | undefined): void {
  if (!isWellFormed(key)) {
    throw new LedgerError('INVALID_KEY', `invalid key [${toHex(utf8(key))}], must be a UTF-8 string`);
  }
  if (key.startsWith('_')) throw new LedgerError('INVALID_KEY', `invalid key [${key}], cannot begin with "_"`);
  if (key === '') throw new LedgerError('INVALID_KEY', 'invalid key. Empty string is not supported as a key by couchdb');
  if (value === undefined || value.length === 0) return;
  const doc = parseJsonObject(value);
  if (doc === undefined) return;
  // The first invalid field in sorted order is the one named (Go ranges over a sorted key list).
  const invalid = Object.keys(doc).filter((field) => field === '~version' || field.startsWith('_'));
  if (invalid.length > 0) {
    const field = invalid.sort(compareUtf8)[0]!;
    throw new LedgerError('INVALID_VALUE', `field [${field}] is not valid for the CouchDB state database`);
  }
}

const dec = new TextDecoder('utf-8', { fatal: false });

/** A value is a CouchDB JSON document only if it is a JSON object (couchdoc_conv.go keyValToCouchDoc). */
export function parseJsonObject(value: Bytes): JsonObject | undefined {
  if (value.length === 0) return undefined;
  const first = value.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x7b) return undefined; // '{'
  try {
    const v = JSON.parse(dec.decode(value)) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

// ---- rwset builder (rwsetutil/rwset_builder.go) -----------------------------------------------

class CollBuilder {
  readonly hashedReads = new Map<string, Version | undefined>();
  readonly hashedWrites = new Map<string, PvtKVWrite>();
  readonly hashedMetadataWrites = new Map<string, StateMetadata[]>();
}

class NsBuilder {
  readonly reads = new Map<string, Version | undefined>();
  readonly writes = new Map<string, KVWrite>();
  readonly metadataWrites = new Map<string, StateMetadata[]>();
  readonly colls = new Map<string, CollBuilder>();

  coll(name: string): CollBuilder {
    let c = this.colls.get(name);
    if (c === undefined) {
      c = new CollBuilder();
      this.colls.set(name, c);
    }
    return c;
  }
}

/** Entries sorted by key (UTF-8 byte order, as Go sorts); most maps here hold zero or one entry. */
const byKey = <T>(m: Map<string, T>): [string, T][] => {
  const entries = [...m.entries()];
  if (entries.length > 1) entries.sort((a, b) => compareUtf8(a[0], b[0]));
  return entries;
};

function metadataEntries(m: StateMetadata[]): StateMetadata[] {
  return m.map((e) => ({ metakey: e.metakey, value: copyBytes(e.value) }));
}

class RwSetBuilder {
  readonly namespaces = new Map<string, NsBuilder>();
  /** Range scans, in opening order (query_executor.go q.itrs). */
  readonly rangeQueries: { ns: string; info: RangeQueryInfo }[] = [];

  ns(name: string): NsBuilder {
    let n = this.namespaces.get(name);
    if (n === undefined) {
      n = new NsBuilder();
      this.namespaces.set(name, n);
    }
    return n;
  }

  build(channel: string, txId: string, timestamp: Timestamp | undefined): TxSimulationResults {
    const publicRwSet: NsRwSet[] = [];
    const privateRwSet: NsPvtRwSet[] = [];
    for (const [ns, b] of byKey(this.namespaces)) {
      // addRangeQueryInfo + AddToRangeQuerySet: one entry per distinct (start, end, exhausted).
      const seen = new Set<string>();
      const rangeQueriesInfo: RangeQueryInfo[] = [];
      for (const { ns: rns, info } of this.rangeQueries) {
        if (rns !== ns) continue;
        const id = JSON.stringify([info.startKey, info.endKey, info.itrExhausted]);
        if (seen.has(id)) continue;
        seen.add(id);
        rangeQueriesInfo.push({ ...info, reads: [...info.reads] });
      }
      const collHashedRwSets: CollHashedRwSet[] = [];
      const collectionPvtRwSets: CollPvtRwSet[] = [];
      for (const [coll, c] of byKey(b.colls)) {
        const hashedWrites: KVWriteHash[] = byKey(c.hashedWrites).map(([, w]) => ({
          keyHash: sha256(w.key),
          isDelete: w.isDelete,
          isPurge: w.isPurge,
          valueHash: w.isDelete ? EMPTY : sha256(w.value),
        }));
        collHashedRwSets.push({
          collectionName: coll,
          hashedReads: byKey(c.hashedReads).map(([key, version]) => ({ keyHash: sha256(key), version })),
          hashedWrites,
          metadataWrites: byKey(c.hashedMetadataWrites).map(([key, entries]) => ({
            keyHash: sha256(key),
            entries: metadataEntries(entries),
          })),
        });
        if (c.hashedWrites.size > 0 || c.hashedMetadataWrites.size > 0) {
          collectionPvtRwSets.push({
            collectionName: coll,
            writes: byKey(c.hashedWrites).map(([, w]) => ({ ...w, value: copyBytes(w.value) })),
            metadataWrites: byKey(c.hashedMetadataWrites).map(([key]) => ({ key })),
          });
        }
      }
      publicRwSet.push({
        namespace: ns,
        reads: byKey(b.reads).map(([key, version]) => ({ key, version })),
        rangeQueriesInfo,
        writes: byKey(b.writes).map(([, w]) => ({ ...w, value: copyBytes(w.value) })),
        metadataWrites: byKey(b.metadataWrites).map(([key, entries]) => ({ key, entries: metadataEntries(entries) })),
        collHashedRwSets,
      });
      if (collectionPvtRwSets.length > 0) privateRwSet.push({ namespace: ns, collectionPvtRwSets });
    }
    return { channel, txId, timestamp, publicRwSet, privateRwSet };
  }
}

function rethrowAsLedgerError(e: unknown): never {
  throw asLedgerError(e);
}

// ---- per-transaction state -------------------------------------------------------------------

/** State shared by all namespaces of one transaction (chaincode-to-chaincode calls on one channel). */
export class TxState {
  done = false;
  writePerformed = false;
  pvtdataQueriesPerformed = false;
  paginatedQueriesPerformed = false;
  readonly builder = new RwSetBuilder();
  readonly facades = new Set<Simulation>();
  private queue: Promise<unknown> = Promise.resolve();
  private results: TxSimulationResults | undefined;

  constructor(
    readonly ctx: LedgerContext,
    readonly channel: string,
    readonly txId: string,
    readonly timestamp: Timestamp | undefined,
    readonly snapshot: Snapshot,
  ) {}

  /**
   * Runs operations of one transaction one at a time, as the peer does (one request per txid). With
   * nothing queued (the peer's case: the core lets one request per transaction through) the
   * operation starts at once instead of a turn later.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const start = (): Promise<T> => {
      try {
        this.ctx.assertOpen();
        return fn().catch(rethrowAsLedgerError);
      } catch (e) {
        return Promise.reject(asLedgerError(e));
      }
    };
    const p = this.running === 0 ? start() : this.queue.then(start);
    this.running++;
    this.queue = p.then(this.finished, this.finished);
    return p;
  }
  private running = 0;
  private readonly finished = (): void => {
    this.running--;
  };

  checkDone(): void {
    if (this.done) throw simulationDone();
  }

  /** tx_simulator.go checkWritePrecondition (writePerformed is set before key validation, as there). */
  checkWritePrecondition(key: string, value: Bytes | undefined): void {
    this.checkDone();
    if (this.pvtdataQueriesPerformed) throw writeAfterPvtQuery(this.txId);
    if (this.paginatedQueriesPerformed) throw writeAfterPaginatedQuery(this.txId);
    this.writePerformed = true;
    if (this.ctx.stateDatabase === 'CouchDB') validateKeyValue(key, value);
  }

  /** tx_simulator.go checkBeforePvtdataQueries. */
  checkBeforePvtdataQueries(): void {
    if (this.writePerformed) throw pvtQueryAfterWrite(this.txId);
    this.pvtdataQueriesPerformed = true;
  }

  /** tx_simulator.go checkBeforePaginatedQueries. */
  checkBeforePaginatedQueries(): void {
    if (this.writePerformed) throw paginatedQueryAfterWrite(this.txId);
    this.paginatedQueriesPerformed = true;
  }

  /** Ends the simulation: closes every iterator and the snapshot; computes the rwset once. */
  async finish(): Promise<TxSimulationResults> {
    if (this.results !== undefined) return this.results;
    this.done = true;
    for (const f of this.facades) await f.closeIteratorsNow();
    this.results = this.builder.build(this.channel, this.txId, this.timestamp);
    await this.snapshot.close();
    this.ctx.released(this);
    return this.results;
  }

  /** Closes without waiting for queued operations (used by WorldState.close). */
  async abandon(): Promise<void> {
    this.done = true;
    for (const f of this.facades) await f.closeIteratorsNow();
    await this.snapshot.close().catch(() => undefined);
  }
}

/**
 * A transaction simulation seen from one chaincode (namespace). Created by
 * `WorldState.newSimulation`; `forNamespace` gives the view of a chaincode called on the same
 * channel (it shares reads, writes and restrictions, and has its own iterators, like a separate
 * handler's transaction context in Fabric).
 */
export class Simulation {
  readonly channel: string;
  readonly txId: string;
  private readonly iterators = new Map<string, OpenIterator<VersionedKV> | OpenIterator<KeyModification>>();
  private readonly permissions = new Map<string, Permission>();

  /** @internal use WorldState.newSimulation */
  constructor(
    private readonly tx: TxState,
    readonly namespace: string,
    readonly creatorMspId: string,
    readonly isInit: boolean,
    readonly transient: ReadonlyMap<string, Bytes>,
  ) {
    this.channel = tx.channel;
    this.txId = tx.txId;
    tx.facades.add(this);
  }

  get timestamp(): Timestamp | undefined {
    return this.tx.timestamp;
  }

  /** True once `result()`, `done()` or a commit ended the transaction. */
  get isDone(): boolean {
    return this.tx.done;
  }

  /** The same transaction seen from another chaincode on the same channel. */
  forNamespace(namespace: string, options: { isInit?: boolean; creatorMspId?: string } = {}): Simulation {
    return new Simulation(
      this.tx,
      plainName('namespace', namespace),
      options.creatorMspId ?? this.creatorMspId,
      options.isInit ?? false,
      this.transient,
    );
  }

  // ---- collection checks ----------------------------------------------------------------------

  /** handler.go getReadWritePermission (cached per transaction context and collection). */
  private permission(coll: string): Permission {
    let p = this.permissions.get(coll);
    if (p === undefined) {
      const def = this.tx.ctx.registry.lookup(this.channel, this.namespace, coll);
      if (def === undefined) throw noSuchCollection(this.channel, this.namespace, coll);
      p = permissionFor(def, this.creatorMspId);
      this.permissions.set(coll, p);
    }
    return p;
  }

  private handlerRead(coll: string): void {
    if (this.isInit) throw privateDataInInit();
    if (!this.permission(coll).read) throw noReadAccess(this.namespace, coll);
  }

  private handlerWrite(coll: string): void {
    if (this.isInit) throw privateDataInInit();
    if (!this.permission(coll).write) throw noWriteAccess(this.namespace, coll);
  }

  /** txmgr/collection_val.go validateCollName. */
  private validateCollName(coll: string): CollectionDefinition {
    const def = this.tx.ctx.registry.ledgerLookup(this.channel, this.namespace, coll);
    if (def === undefined) throw invalidCollName(this.namespace, coll);
    return def;
  }

  // ---- snapshot reads -------------------------------------------------------------------------

  private get db(): Db {
    return this.tx.ctx.db;
  }

  private async readState(key: string) {
    const raw = await getRaw(this.db, keys.state(this.channel, this.namespace, key), this.tx.snapshot);
    return raw === undefined ? undefined : records.decodeState(raw);
  }

  private async readPvt(coll: string, key: string) {
    const raw = await getRaw(this.db, keys.pvt(this.channel, this.namespace, coll, key), this.tx.snapshot);
    return raw === undefined ? undefined : records.decodePvt(raw);
  }

  private async readHash(coll: string, key: string) {
    const raw = await getRaw(this.db, keys.hash(this.channel, this.namespace, coll, sha256(key)), this.tx.snapshot);
    return raw === undefined ? undefined : records.decodeHash(raw);
  }

  private addRead(ns: string, key: string, version: Version | undefined): void {
    this.tx.builder.ns(ns).reads.set(key, version);
  }

  private addHashedRead(coll: string, key: string, version: Version | undefined): void {
    this.tx.builder.ns(this.namespace).coll(coll).hashedReads.set(key, version);
  }

  // ---- GET_STATE / GET_STATE_MULTIPLE / GET_PRIVATE_DATA_HASH --------------------------------

  /** GET_STATE: committed value, empty when absent. With a collection: private data. */
  getState(key: string, collection = ''): Promise<Bytes> {
    return this.tx.run(async () => {
      str('key', key);
      if (str('collection', collection) !== '') return this.doGetPrivateData(collection, key);
      this.tx.checkDone();
      const r = await this.readState(key);
      this.addRead(this.namespace, key, r?.version);
      return r === undefined ? EMPTY : copyBytes(r.value);
    });
  }

  getPrivateData(collection: string, key: string): Promise<Bytes> {
    return this.tx.run(async () => this.doGetPrivateData(str('collection', collection), str('key', key)));
  }

  private async doGetPrivateData(coll: string, key: string): Promise<Bytes> {
    this.handlerRead(coll);
    this.validateCollName(coll);
    this.tx.checkDone();
    const r = await this.readPvt(coll, key);
    this.addHashedRead(coll, key, r?.version);
    return r === undefined ? EMPTY : copyBytes(r.value);
  }

  /** GET_STATE_MULTIPLE: one entry per key in request order, empty for missing keys. */
  getStateMultiple(keyList: readonly string[], collection = ''): Promise<Bytes[]> {
    return this.tx.run(async () => {
      if (!Array.isArray(keyList)) throw new LedgerError('INVALID_ARGUMENT', 'keys must be an array of strings');
      keyList.forEach((k) => str('key', k));
      if (str('collection', collection) !== '') {
        this.handlerRead(collection);
        this.validateCollName(collection);
        this.tx.checkDone();
        const raws = await this.db.getMany(
          keyList.map((k) => keys.pvt(this.channel, this.namespace, collection, k)),
          { snapshot: this.tx.snapshot },
        );
        return keyList.map((k, i) => {
          const raw = raws[i];
          const r = raw === undefined || raw === null ? undefined : records.decodePvt(raw);
          this.addHashedRead(collection, k, r?.version);
          return r === undefined ? EMPTY : copyBytes(r.value);
        });
      }
      this.tx.checkDone();
      const raws = await this.db.getMany(
        keyList.map((k) => keys.state(this.channel, this.namespace, k)),
        { snapshot: this.tx.snapshot },
      );
      return keyList.map((k, i) => {
        const raw = raws[i];
        const r = raw === undefined || raw === null ? undefined : records.decodeState(raw);
        this.addRead(this.namespace, k, r?.version);
        return r === undefined ? EMPTY : copyBytes(r.value);
      });
    });
  }

  /**
   * GET_PRIVATE_DATA_HASH: SHA-256 of the committed private value (empty when absent). Only the
   * Init restriction applies, no membership check (handler.go HandleGetPrivateDataHash).
   */
  getPrivateDataHash(collection: string, key: string): Promise<Bytes> {
    return this.tx.run(async () => {
      str('collection', collection);
      str('key', key);
      if (this.isInit) throw privateDataInInit();
      this.validateCollName(collection);
      this.tx.checkDone();
      const r = await this.readHash(collection, key);
      this.addHashedRead(collection, key, r?.version);
      return r === undefined ? EMPTY : copyBytes(r.valueHash);
    });
  }

  // ---- PUT_STATE / DEL_STATE / PURGE_PRIVATE_DATA ---------------------------------------------

  /** PUT_STATE: an empty value records a delete (rwsetutil newKVWrite: IsDelete = len(value) == 0). */
  putState(key: string, value: Bytes, collection = ''): Promise<void> {
    return this.tx.run(async () => this.doPut(str('key', key), bytes('value', value), str('collection', collection)));
  }

  delState(key: string, collection = ''): Promise<void> {
    return this.tx.run(async () => this.doPut(str('key', key), EMPTY, str('collection', collection)));
  }

  putPrivateData(collection: string, key: string, value: Bytes): Promise<void> {
    return this.putState(key, value, collection);
  }

  delPrivateData(collection: string, key: string): Promise<void> {
    return this.delState(key, collection);
  }

  private doPut(key: string, value: Bytes, coll: string): void {
    if (coll === '') {
      this.tx.checkWritePrecondition(key, value);
      this.tx.builder.ns(this.namespace).writes.set(key, { key, isDelete: value.length === 0, value: copyBytes(value) });
      return;
    }
    this.handlerWrite(coll);
    this.validateCollName(coll);
    this.tx.checkWritePrecondition(key, value);
    this.tx.builder
      .ns(this.namespace)
      .coll(coll)
      .hashedWrites.set(key, { key, isDelete: value.length === 0, isPurge: false, value: copyBytes(value) });
  }

  /** PURGE_PRIVATE_DATA: removes the private value and its hash at commit. */
  purgePrivateData(collection: string, key: string): Promise<void> {
    return this.tx.run(async () => this.doPurge(str('collection', collection), str('key', key)));
  }

  private doPurge(coll: string, key: string): void {
    if (coll === '') throw purgeNeedsCollection();
    this.handlerWrite(coll);
    this.validateCollName(coll);
    this.tx.checkWritePrecondition(key, undefined);
    this.tx.builder.ns(this.namespace).coll(coll).hashedWrites.set(key, { key, isDelete: true, isPurge: true, value: EMPTY });
  }

  // ---- GET_STATE_METADATA / PUT_STATE_METADATA -------------------------------------------------

  /** GET_STATE_METADATA: the key's metadata entries (sorted by metakey; Fabric's order is random). */
  getStateMetadata(key: string, collection = ''): Promise<StateMetadata[]> {
    return this.tx.run(async () => {
      str('key', key);
      let meta: Record<string, Bytes> | undefined;
      if (str('collection', collection) !== '') {
        this.handlerRead(collection);
        this.validateCollName(collection);
        this.tx.checkDone();
        const r = await this.readHash(collection, key);
        this.addHashedRead(collection, key, r?.version);
        meta = r?.metadata;
      } else {
        this.tx.checkDone();
        const r = await this.readState(key);
        this.addRead(this.namespace, key, r?.version);
        meta = r?.metadata;
      }
      return Object.keys(meta ?? {})
        .sort(compareUtf8)
        .map((metakey) => ({ metakey, value: copyBytes((meta as Record<string, Bytes>)[metakey] as Bytes) }));
    });
  }

  /**
   * PUT_STATE_METADATA: sets the key's metadata to exactly this one entry. Fabric builds the map
   * `{metakey: value}` per request (handler.go putStateMetadata) and the rwset keeps the last map
   * per key, which replaces the committed metadata (validation/tx_ops.go).
   */
  putStateMetadata(key: string, metadata: StateMetadata | undefined, collection = ''): Promise<void> {
    return this.tx.run(async () => this.doPutMetadata(str('key', key), metadata, str('collection', collection)));
  }

  private doPutMetadata(key: string, metadata: StateMetadata | undefined, coll: string): void {
    if (metadata === undefined || metadata === null) throw missingMetadata();
    const entry: StateMetadata = { metakey: str('metakey', metadata.metakey), value: copyBytes(bytes('metadata value', metadata.value)) };
    if (coll === '') {
      this.tx.checkWritePrecondition(key, undefined);
      this.tx.builder.ns(this.namespace).metadataWrites.set(key, [entry]);
      return;
    }
    this.handlerWrite(coll);
    this.validateCollName(coll);
    this.tx.checkWritePrecondition(key, undefined);
    this.tx.builder.ns(this.namespace).coll(coll).hashedMetadataWrites.set(key, [entry]);
  }

  // ---- WRITE_BATCH_STATE ---------------------------------------------------------------------

  /**
   * WRITE_BATCH_STATE: records in order with the single-request checks; stops at the first failing
   * record and leaves earlier records applied (handler.go HandleWriteBatch).
   */
  applyWriteBatch(batch: readonly WriteRecord[]): Promise<void> {
    return this.tx.run(async () => {
      if (!Array.isArray(batch)) throw new LedgerError('INVALID_ARGUMENT', 'records must be an array');
      for (const rec of batch) {
        const key = str('key', rec.key);
        const coll = str('collection', rec.collection);
        switch (rec.type) {
          case WriteRecordType.PUT_STATE:
            this.doPut(key, bytes('value', rec.value), coll);
            break;
          case WriteRecordType.DEL_STATE:
            this.doPut(key, EMPTY, coll);
            break;
          case WriteRecordType.PURGE_PRIVATE_DATA:
            this.doPurge(coll, key);
            break;
          case WriteRecordType.PUT_STATE_METADATA:
            // The batch handler copies metakey/value through nil-safe getters: no panic here.
            this.doPutMetadata(key, { metakey: rec.metadata?.metakey ?? '', value: rec.metadata?.value ?? EMPTY }, coll);
            break;
          default:
            throw unknownWriteType();
        }
      }
    });
  }

  // ---- queries -------------------------------------------------------------------------------

  /** handler.go calculateTotalReturnLimit. */
  private totalReturnLimit(p: Pagination | undefined): number {
    const tql = this.tx.ctx.totalQueryLimit;
    if (p !== undefined && p.pageSize > 0 && p.pageSize < tql) return p.pageSize;
    return tql;
  }

  /**
   * GET_STATE_BY_RANGE: keys in [startKey, endKey) in UTF-8 byte order, endKey '' = unbounded.
   * With a collection the pagination is ignored except that a page size still caps the first
   * response (the handler computes the limit before choosing the private branch).
   */
  getStateByRange(startKey: string, endKey: string, collection = '', page?: Pagination): Promise<KvQueryResponse> {
    return this.tx.run(async () => {
      str('startKey', startKey);
      str('endKey', endKey);
      str('collection', collection);
      const p = pagination(page);
      const limit = this.totalReturnLimit(p);
      const id = this.tx.ctx.newIteratorId();
      const target = { channel: this.channel, namespace: this.namespace, collection };
      if (collection !== '') {
        this.handlerRead(collection);
        this.tx.checkBeforePvtdataQueries();
        this.validateCollName(collection);
        this.tx.checkDone();
        return this.openKv(id, new RangeSource(this.db, this.tx.snapshot, target, startKey, endKey, 0, undefined), false, limit);
      }
      if (isPaginated(p)) {
        const start = p.bookmark !== '' ? p.bookmark : startKey;
        this.tx.checkBeforePaginatedQueries();
        this.tx.checkDone();
        const info = this.rangeInfo(start);
        const src = new RangeSource(this.db, this.tx.snapshot, target, start, endKey, Math.max(0, p.pageSize), info);
        return this.openKv(id, src, true, limit);
      }
      this.tx.checkDone();
      const src = new RangeSource(this.db, this.tx.snapshot, target, startKey, endKey, 0, this.rangeInfo(startKey));
      return this.openKv(id, src, false, limit);
    });
  }

  private rangeInfo(startKey: string): RangeQueryInfo {
    const info: RangeQueryInfo = { startKey, endKey: '', itrExhausted: false, reads: [] };
    this.tx.builder.ns(this.namespace);
    this.tx.builder.rangeQueries.push({ ns: this.namespace, info });
    return info;
  }

  /**
   * GET_QUERY_RESULT: a CouchDB Mango query over the namespace's (or collection's) JSON values.
   * Fabric replaces the query's `limit`, so it has no effect; `skip`, `sort`, `fields` and
   * `use_index` behave as in CouchDB (see mango.ts for the exact semantics and gaps).
   */
  getQueryResult(query: string, collection = '', page?: Pagination): Promise<KvQueryResponse> {
    return this.tx.run(async () => {
      str('query', query);
      str('collection', collection);
      const p = pagination(page);
      const id = this.tx.ctx.newIteratorId();
      const limit = this.totalReturnLimit(p);
      const leveldb = this.tx.ctx.stateDatabase === 'goleveldb';
      if (collection !== '') {
        this.handlerRead(collection);
        this.tx.checkBeforePvtdataQueries();
        this.validateCollName(collection);
        this.tx.checkDone();
        if (leveldb) throw new LedgerError('RICH_QUERY_UNSUPPORTED', 'ExecuteQuery not supported for leveldb');
        const q = parseFabricQuery(query);
        const src = await this.richSource(q, collection, q.bookmark, 0);
        return this.openKv(id, src, false, limit);
      }
      if (isPaginated(p)) {
        this.tx.checkBeforePaginatedQueries();
        this.tx.checkDone();
        if (leveldb) throw new LedgerError('RICH_QUERY_UNSUPPORTED', 'ExecuteQueryWithMetadata not supported for leveldb');
        const q = parseFabricQuery(query);
        const src = await this.richSource(q, '', p.bookmark !== '' ? p.bookmark : q.bookmark, p.pageSize);
        return this.openKv(id, src, true, limit, (kv) => this.addRead(kv.namespace, kv.key, kv.version));
      }
      this.tx.checkDone();
      if (leveldb) throw new LedgerError('RICH_QUERY_UNSUPPORTED', 'ExecuteQuery not supported for leveldb');
      const q = parseFabricQuery(query);
      const src = await this.richSource(q, '', q.bookmark, 0);
      return this.openKv(id, src, false, limit, (kv) => this.addRead(kv.namespace, kv.key, kv.version));
    });
  }

  private async richSource(q: MangoQuery, coll: string, bookmark: string, requestedLimit: number): Promise<RichSource> {
    const position = decodeBookmark(bookmark);
    const r =
      coll === ''
        ? ranges.state(this.channel, this.namespace, '', '')
        : ranges.pvt(this.channel, this.namespace, coll, '', '');
    const prefixLength = r.gte.length;
    const items: RichItem[] = [];
    const it = this.db.iterator({ gte: r.gte, lt: r.lt, snapshot: this.tx.snapshot });
    try {
      for await (const [k, v] of it) {
        const key = suffixKey(k, prefixLength);
        const rec = coll === '' ? records.decodeState(v) : records.decodePvt(v);
        // A non-JSON value is a CouchDB document with only its id (the bytes are an attachment).
        const body = parseJsonObject(rec.value);
        items.push({ key, doc: { ...(body ?? {}), _id: key }, value: rec.value, version: rec.version });
      }
    } finally {
      await it.close();
    }
    const rows = selectAndSort(q, items);
    return new RichSource(this.namespace, q, rows, position, bookmark, this.tx.ctx.internalQueryLimit, requestedLimit);
  }

  /** GET_HISTORY_FOR_KEY: every committed write/delete of the key, newest first. */
  getHistoryForKey(key: string): Promise<HistoryQueryResponse> {
    return this.tx.run(async () => {
      str('key', key);
      if (!this.tx.ctx.historyEnabled) throw historyDisabled();
      const id = this.tx.ctx.newIteratorId();
      this.tx.checkDone();
      const src = new HistorySource(this.db, this.tx.snapshot, this.channel, this.namespace, key);
      return (await this.open(id, 'history', src, false, this.tx.ctx.totalQueryLimit)) as HistoryQueryResponse;
    });
  }

  /** QUERY_STATE_NEXT: the next batch of an open iterator. */
  queryNext(id: string): Promise<QueryResponseResult> {
    return this.tx.run(async () => {
      str('id', id);
      const it = this.iterators.get(id);
      if (it === undefined) throw iteratorNotFound();
      return this.respond(id, it, false, this.tx.ctx.totalQueryLimit);
    });
  }

  /** QUERY_STATE_CLOSE: closes the iterator if open; unknown ids are fine. */
  queryClose(id: string): Promise<QueryResponseResult> {
    return this.tx.run(async () => {
      str('id', id);
      const it = this.iterators.get(id);
      if (it !== undefined) {
        this.iterators.delete(id);
        await it.source.close();
      }
      if (it?.kind === 'history') return { kind: 'history', id, results: [], hasMore: false, metadata: undefined };
      return { kind: 'kv', id, results: [], hasMore: false, metadata: undefined };
    });
  }

  /** Closes every iterator of this chaincode's view (the peer does so on COMPLETED/ERROR). */
  closeAllIterators(): Promise<void> {
    return this.tx.run(async () => this.closeIteratorsNow());
  }

  /** @internal */
  async closeIteratorsNow(): Promise<void> {
    const its = [...this.iterators.values()];
    this.iterators.clear();
    for (const it of its) await it.source.close();
  }

  /** Number of open iterators (for tests and diagnostics). */
  get openIteratorCount(): number {
    return this.iterators.size;
  }

  private async openKv(
    id: string,
    source: Source<VersionedKV>,
    paginated: boolean,
    limit: number,
    onResult?: (kv: VersionedKV) => void,
  ): Promise<KvQueryResponse> {
    return (await this.open(id, 'kv', source, paginated, limit, onResult)) as KvQueryResponse;
  }

  private async open(
    id: string,
    kind: 'kv' | 'history',
    source: Source<VersionedKV> | Source<KeyModification>,
    paginated: boolean,
    limit: number,
    onResult?: (kv: VersionedKV) => void,
  ): Promise<QueryResponseResult> {
    if (this.iterators.size >= this.tx.ctx.maxOpenIterators) {
      await source.close();
      throw tooManyIterators(this.tx.ctx.maxOpenIterators);
    }
    const it =
      kind === 'kv'
        ? new OpenIterator<VersionedKV>('kv', source as Source<VersionedKV>, onResult)
        : new OpenIterator<KeyModification>('history', source as Source<KeyModification>, undefined);
    this.iterators.set(id, it);
    return this.respond(id, it, paginated, limit);
  }

  private async respond(
    id: string,
    it: OpenIterator<VersionedKV> | OpenIterator<KeyModification>,
    paginated: boolean,
    limit: number,
  ): Promise<QueryResponseResult> {
    try {
      if (it.kind === 'kv') {
        const r = await buildQueryResponse(it as OpenIterator<VersionedKV>, paginated, limit);
        if (r.finished) this.iterators.delete(id);
        const results: KV[] = r.results.map(toKV);
        return { kind: 'kv', id, results, hasMore: r.hasMore, metadata: r.metadata };
      }
      const r = await buildQueryResponse(it as OpenIterator<KeyModification>, false, limit);
      if (r.finished) this.iterators.delete(id);
      return { kind: 'history', id, results: r.results, hasMore: r.hasMore, metadata: undefined };
    } catch (e) {
      // QueryResponseGenerator: an error while building a response cleans the iterator up.
      this.iterators.delete(id);
      await it.source.close().catch(() => undefined);
      throw e;
    }
  }

  // ---- end of simulation ---------------------------------------------------------------------

  /**
   * Ends the simulation and returns its read/write set (GetTxSimulationResults). Later calls
   * return the same result; any other operation afterwards fails with SIMULATION_DONE.
   */
  result(): Promise<TxSimulationResults> {
    return this.tx.run(async () => this.tx.finish());
  }

  /** Ends the simulation without using its results (a failed or evaluate-only transaction). */
  async done(): Promise<void> {
    await this.result();
  }
}

/** @internal */
export function newTx(
  ctx: LedgerContext,
  snapshot: Snapshot,
  options: { channel: string; txId: string; timestamp: Timestamp | undefined },
): TxState {
  return new TxState(ctx, options.channel, options.txId, options.timestamp, snapshot);
}

/** @internal */
export function transientMap(t: ReadonlyMap<string, Bytes> | Readonly<Record<string, Bytes>> | undefined): ReadonlyMap<string, Bytes> {
  if (t === undefined) return new Map();
  if (t instanceof Map) return t;
  return new Map(Object.entries(t as Record<string, Bytes>));
}
