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
 * This file holds the Simulation class itself: the point reads (GET_STATE, GET_STATE_MULTIPLE,
 * GET_PRIVATE_DATA_HASH, GET_STATE_METADATA), the writes (PUT_STATE, DEL_STATE,
 * PURGE_PRIVATE_DATA, PUT_STATE_METADATA, WRITE_BATCH_STATE) and the end of the simulation. The
 * rest lives beside it:
 *   - validation.ts   argument checks, CouchDB key/value rules, collection checks, tx restrictions
 *   - rwset.ts        the read/write set being built (RwSetBuilder)
 *   - transaction.ts  what one transaction shares across chaincodes (TxState, LedgerContext),
 *                     including the one database snapshot every read comes from
 *   - queries.ts      range, rich and history queries and their iterators
 */
import { WriteRecordType, type StateMetadata, type Timestamp, type WriteRecord } from '../protocol/messages.js';
import { compareUtf8, EMPTY, sha256, copyBytes, type Bytes } from './bytes.js';
import { LedgerError, missingMetadata, privateDataInInit, purgeNeedsCollection, unknownWriteType } from './errors.js';
import { SimulationQueries } from './queries.js';
import { getRaw, keys, records, type Db } from './store.js';
import type { TxState } from './transaction.js';
import type { HistoryQueryResponse, KvQueryResponse, Pagination, QueryResponseResult, TxSimulationResults } from './types.js';
import { bytes, CollectionAccess, plainName, str } from './validation.js';

/**
 * A transaction simulation seen from one chaincode (namespace). Created by
 * `WorldState.newSimulation`; `forNamespace` gives the view of a chaincode called on the same
 * channel (it shares reads, writes and restrictions, and has its own iterators, like a separate
 * handler's transaction context in Fabric).
 */
export class Simulation {
  readonly channel: string;
  readonly txId: string;
  private readonly access: CollectionAccess;
  private readonly queries: SimulationQueries;

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
    this.access = new CollectionAccess(tx.ctx.registry, tx.channel, namespace, creatorMspId, isInit);
    this.queries = new SimulationQueries(tx, namespace, this.access);
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

  // ---- GET_STATE / GET_STATE_MULTIPLE / GET_PRIVATE_DATA_HASH --------------------------------

  /** GET_STATE: committed value, empty when absent. With a collection: private data. */
  getState(key: string, collection = ''): Promise<Bytes> {
    return this.tx.run(async () => {
      str('key', key);
      if (str('collection', collection) !== '') return this.doGetPrivateData(collection, key);
      this.tx.checkDone();
      const r = await this.readState(key);
      this.tx.builder.addRead(this.namespace, key, r?.version);
      return r === undefined ? EMPTY : copyBytes(r.value);
    });
  }

  getPrivateData(collection: string, key: string): Promise<Bytes> {
    return this.tx.run(async () => this.doGetPrivateData(str('collection', collection), str('key', key)));
  }

  private async doGetPrivateData(coll: string, key: string): Promise<Bytes> {
    this.access.handlerRead(coll);
    this.access.validateCollName(coll);
    this.tx.checkDone();
    const r = await this.readPvt(coll, key);
    this.tx.builder.addHashedRead(this.namespace, coll, key, r?.version);
    return r === undefined ? EMPTY : copyBytes(r.value);
  }

  /** GET_STATE_MULTIPLE: one entry per key in request order, empty for missing keys. */
  getStateMultiple(keyList: readonly string[], collection = ''): Promise<Bytes[]> {
    return this.tx.run(async () => {
      if (!Array.isArray(keyList)) throw new LedgerError('INVALID_ARGUMENT', 'keys must be an array of strings');
      keyList.forEach((k) => str('key', k));
      if (str('collection', collection) !== '') {
        this.access.handlerRead(collection);
        this.access.validateCollName(collection);
        this.tx.checkDone();
        const raws = await this.db.getMany(
          keyList.map((k) => keys.pvt(this.channel, this.namespace, collection, k)),
          { snapshot: this.tx.snapshot },
        );
        return keyList.map((k, i) => {
          const raw = raws[i];
          const r = raw === undefined || raw === null ? undefined : records.decodePvt(raw);
          this.tx.builder.addHashedRead(this.namespace, collection, k, r?.version);
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
        this.tx.builder.addRead(this.namespace, k, r?.version);
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
      this.access.validateCollName(collection);
      this.tx.checkDone();
      const r = await this.readHash(collection, key);
      this.tx.builder.addHashedRead(this.namespace, collection, key, r?.version);
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
    this.access.handlerWrite(coll);
    this.access.validateCollName(coll);
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
    this.access.handlerWrite(coll);
    this.access.validateCollName(coll);
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
        this.access.handlerRead(collection);
        this.access.validateCollName(collection);
        this.tx.checkDone();
        const r = await this.readHash(collection, key);
        this.tx.builder.addHashedRead(this.namespace, collection, key, r?.version);
        meta = r?.metadata;
      } else {
        this.tx.checkDone();
        const r = await this.readState(key);
        this.tx.builder.addRead(this.namespace, key, r?.version);
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
    this.access.handlerWrite(coll);
    this.access.validateCollName(coll);
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

  // ---- queries (queries.ts) ------------------------------------------------------------------

  /**
   * GET_STATE_BY_RANGE: keys in [startKey, endKey) in UTF-8 byte order, endKey '' = unbounded.
   * With a collection the pagination is ignored except that a page size still caps the first
   * response (the handler computes the limit before choosing the private branch).
   */
  getStateByRange(startKey: string, endKey: string, collection = '', page?: Pagination): Promise<KvQueryResponse> {
    return this.queries.getStateByRange(startKey, endKey, collection, page);
  }

  /**
   * GET_QUERY_RESULT: a CouchDB Mango query over the namespace's (or collection's) JSON values.
   * Fabric replaces the query's `limit`, so it has no effect; `skip`, `sort`, `fields` and
   * `use_index` behave as in CouchDB (see mango.ts and mangoSelector.ts for the exact semantics
   * and gaps).
   */
  getQueryResult(query: string, collection = '', page?: Pagination): Promise<KvQueryResponse> {
    return this.queries.getQueryResult(query, collection, page);
  }

  /** GET_HISTORY_FOR_KEY: every committed write/delete of the key, newest first. */
  getHistoryForKey(key: string): Promise<HistoryQueryResponse> {
    return this.queries.getHistoryForKey(key);
  }

  /** QUERY_STATE_NEXT: the next batch of an open iterator. */
  queryNext(id: string): Promise<QueryResponseResult> {
    return this.queries.queryNext(id);
  }

  /** QUERY_STATE_CLOSE: closes the iterator if open; unknown ids are fine. */
  queryClose(id: string): Promise<QueryResponseResult> {
    return this.queries.queryClose(id);
  }

  /** Closes every iterator of this chaincode's view (the peer does so on COMPLETED/ERROR). */
  closeAllIterators(): Promise<void> {
    return this.queries.closeAllIterators();
  }

  /** @internal */
  closeIteratorsNow(): Promise<void> {
    return this.queries.closeIteratorsNow();
  }

  /** Number of open iterators (for tests and diagnostics). */
  get openIteratorCount(): number {
    return this.queries.openIteratorCount;
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
export function transientMap(t: ReadonlyMap<string, Bytes> | Readonly<Record<string, Bytes>> | undefined): ReadonlyMap<string, Bytes> {
  if (t === undefined) return new Map();
  if (t instanceof Map) return t;
  return new Map(Object.entries(t as Record<string, Bytes>));
}
