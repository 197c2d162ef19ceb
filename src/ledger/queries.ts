/**
 * The query side of one chaincode's view of a transaction: range scans, rich (Mango) queries and
 * key history, each opened as an iterator this view owns, then QUERY_STATE_NEXT / _CLOSE.
 *
 * Mirrors, in Fabric's order, the peer handler (core/chaincode/handler.go HandleGetStateByRange,
 * HandleGetQueryResult, HandleGetHistoryForKey, HandleQueryStateNext, HandleQueryStateClose,
 * calculateTotalReturnLimit, isMetadataSetForPagination), the simulator's query executor
 * (core/ledger/kvledger/txmgmt/txmgr/query_executor.go: private and paginated query restrictions,
 * range-query records for phantom-read validation) and the handler's transaction context, which
 * keeps the open iterators by id (core/chaincode/transaction_context.go); the cap on how many stay
 * open is ours (docs/deviations.md P15). Batches are cut by iterators.ts
 * (query_response_generator.go); the Mango engine is mango.ts with mangoSelector.ts.
 */
import type { KV, KeyModification } from '../protocol/messages.js';
import { historyDisabled, iteratorNotFound, LedgerError, tooManyIterators } from './errors.js';
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
import { decodeBookmark, parseFabricQuery, selectAndSort, type MangoQuery } from './mango.js';
import { ranges, records, suffixKey, type Db } from './store.js';
import type { TxState } from './transaction.js';
import type { HistoryQueryResponse, KvQueryResponse, Pagination, QueryResponseResult } from './types.js';
import { isPaginated, pagination, parseJsonObject, str, type CollectionAccess } from './validation.js';

/** The open iterators of one chaincode's view of a transaction, and the requests that use them. */
export class SimulationQueries {
  private readonly iterators = new Map<string, OpenIterator<VersionedKV> | OpenIterator<KeyModification>>();
  private readonly channel: string;

  constructor(
    private readonly tx: TxState,
    private readonly namespace: string,
    private readonly access: CollectionAccess,
  ) {
    this.channel = tx.channel;
  }

  private get db(): Db {
    return this.tx.ctx.db;
  }

  /** handler.go calculateTotalReturnLimit. */
  private totalReturnLimit(p: Pagination | undefined): number {
    const tql = this.tx.ctx.totalQueryLimit;
    if (p !== undefined && p.pageSize > 0 && p.pageSize < tql) return p.pageSize;
    return tql;
  }

  /**
   * GET_STATE_BY_RANGE (handler.go HandleGetStateByRange; query_executor.go
   * GetStateRangeScanIterator[WithPagination], GetPrivateDataRangeScanIterator).
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
        this.access.handlerRead(collection);
        this.tx.checkBeforePvtdataQueries();
        this.access.validateCollName(collection);
        this.tx.checkDone();
        return this.openKv(id, new RangeSource(this.db, this.tx.snapshot, target, startKey, endKey, 0, undefined), false, limit);
      }
      if (isPaginated(p)) {
        const start = p.bookmark !== '' ? p.bookmark : startKey;
        this.tx.checkBeforePaginatedQueries();
        this.tx.checkDone();
        const info = this.tx.builder.addRangeQuery(this.namespace, start);
        const src = new RangeSource(this.db, this.tx.snapshot, target, start, endKey, Math.max(0, p.pageSize), info);
        return this.openKv(id, src, true, limit);
      }
      this.tx.checkDone();
      const info = this.tx.builder.addRangeQuery(this.namespace, startKey);
      const src = new RangeSource(this.db, this.tx.snapshot, target, startKey, endKey, 0, info);
      return this.openKv(id, src, false, limit);
    });
  }

  /**
   * GET_QUERY_RESULT (handler.go HandleGetQueryResult; query_executor.go
   * ExecuteQuery[WithPagination], ExecuteQueryOnPrivateData).
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
        this.access.handlerRead(collection);
        this.tx.checkBeforePvtdataQueries();
        this.access.validateCollName(collection);
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
        return this.openKv(id, src, true, limit, (kv) => this.tx.builder.addRead(kv.namespace, kv.key, kv.version));
      }
      this.tx.checkDone();
      if (leveldb) throw new LedgerError('RICH_QUERY_UNSUPPORTED', 'ExecuteQuery not supported for leveldb');
      const q = parseFabricQuery(query);
      const src = await this.richSource(q, '', q.bookmark, 0);
      return this.openKv(id, src, false, limit, (kv) => this.tx.builder.addRead(kv.namespace, kv.key, kv.version));
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

  /** GET_HISTORY_FOR_KEY (handler.go HandleGetHistoryForKey, history/query_executer.go). */
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

  /** QUERY_STATE_NEXT (handler.go HandleQueryStateNext). */
  queryNext(id: string): Promise<QueryResponseResult> {
    return this.tx.run(async () => {
      str('id', id);
      const it = this.iterators.get(id);
      if (it === undefined) throw iteratorNotFound();
      return this.respond(id, it, false, this.tx.ctx.totalQueryLimit);
    });
  }

  /** QUERY_STATE_CLOSE (handler.go HandleQueryStateClose): unknown ids are fine. */
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
}
