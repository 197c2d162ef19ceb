/**
 * Result sources behind peer-side query iterators, and the response builder that cuts them into
 * QueryResponses exactly as Fabric's core/chaincode/query_response_generator.go does.
 *
 * Sources:
 *   - RangeSource: statedb range scan (stateleveldb.go kvScanner: optional page limit, bookmark =
 *     next key after the page) wrapped like txmgr/query_executor.go resultsItr, which records what
 *     it returns in a RangeQueryInfo for phantom-read validation.
 *   - RichSource: statecouchdb.go queryScanner: the query runs in chunks of `internalQueryLimit`
 *     rows, each chunk resuming from the previous chunk's bookmark (and, as with real CouchDB,
 *     applying the query's `skip` again per chunk); with pagination the chunk size is capped by
 *     what the page still needs; the bookmark is that of the last chunk.
 *   - HistorySource: history/query_executer.go, newest entry first.
 */
import type { AbstractIterator } from 'abstract-level';
import type { KV, KeyModification } from '../protocol/messages.js';
import { copyBytes, EMPTY, utf8, type Bytes } from './bytes.js';
import {
  encodeBookmark,
  firstAfter,
  goJsonMarshal,
  positionOf,
  project,
  type MangoDoc,
  type MangoQuery,
  type MangoRow,
  type Position,
} from './mango.js';
import { records, ranges, suffixKey, keys, type Db, type Snapshot, type Version } from './store.js';
import type { QueryResponseMetadataResult, RangeQueryInfo } from './types.js';

/** Fabric's MaxResultLimit: results per QueryResponse batch (peer/node/start.go, hard-coded 100). */
export const QUERY_BATCH_SIZE = 100;

export interface VersionedKV extends KV {
  version: Version;
}

export interface Source<T> {
  next(): Promise<T | undefined>;
  /** The bookmark to return with a paginated page; closes the source. */
  bookmarkAndClose(): Promise<string>;
  close(): Promise<void>;
}

type DbIterator = AbstractIterator<Db, Uint8Array, Uint8Array>;

/** A state range scan over one namespace (public) or one collection (private). */
export class RangeSource implements Source<VersionedKV> {
  private it: DbIterator | undefined;
  private returned = 0;
  private closed = false;
  private readonly prefixLength: number;

  /**
   * @param pageLimit kvScanner.requestedLimit: stop after this many results (0 = no limit).
   * @param rangeInfo when given (public scans in a simulation), updated as results are returned.
   */
  constructor(
    private readonly db: Db,
    private readonly snapshot: Snapshot,
    private readonly target: { channel: string; namespace: string; collection: string },
    private readonly startKey: string,
    private readonly endKey: string,
    private readonly pageLimit: number,
    private readonly rangeInfo: RangeQueryInfo | undefined,
  ) {
    const { channel, namespace, collection } = target;
    this.prefixLength =
      collection === '' ? keys.statePrefix(channel, namespace).length : keys.pvtPrefix(channel, namespace, collection).length;
  }

  private iterator(): DbIterator {
    if (this.it === undefined) {
      const { channel, namespace, collection } = this.target;
      const r =
        collection === ''
          ? ranges.state(channel, namespace, this.startKey, this.endKey)
          : ranges.pvt(channel, namespace, collection, this.startKey, this.endKey);
      this.it = this.db.iterator({ gte: r.gte, lt: r.lt, snapshot: this.snapshot });
    }
    return this.it;
  }

  private async raw(): Promise<VersionedKV | undefined> {
    if (this.closed) return undefined;
    const e = await this.iterator().next();
    if (e === undefined) return undefined;
    const [k, v] = e;
    const key = suffixKey(k, this.prefixLength);
    if (this.target.collection === '') {
      const r = records.decodeState(v);
      return { namespace: this.target.namespace, key, value: r.value, version: r.version };
    }
    const r = records.decodePvt(v);
    return { namespace: this.target.namespace, key, value: r.value, version: r.version };
  }

  async next(): Promise<VersionedKV | undefined> {
    if (this.pageLimit > 0 && this.returned >= this.pageLimit) return undefined;
    const kv = await this.raw();
    if (this.rangeInfo !== undefined) {
      if (kv === undefined) {
        // resultsItr.updateRangeQueryInfo: exhausted -> the query's own end key.
        this.rangeInfo.itrExhausted = true;
        this.rangeInfo.endKey = this.endKey;
      } else {
        this.rangeInfo.reads.push({ key: kv.key, version: kv.version });
        this.rangeInfo.endKey = kv.key;
      }
    }
    if (kv !== undefined) this.returned++;
    return kv;
  }

  /** kvScanner.GetBookmarkAndClose: the next key in the range (ignoring the page limit), or ''. */
  async bookmarkAndClose(): Promise<string> {
    const kv = await this.raw();
    await this.close();
    return kv === undefined ? '' : kv.key;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.it !== undefined) await this.it.close();
  }
}

/** Newest-first history of one key. */
export class HistorySource implements Source<KeyModification> {
  private it: DbIterator | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly snapshot: Snapshot,
    private readonly channel: string,
    private readonly namespace: string,
    private readonly key: string,
  ) {}

  async next(): Promise<KeyModification | undefined> {
    if (this.closed) return undefined;
    if (this.it === undefined) {
      const r = ranges.history(this.channel, this.namespace, this.key);
      // history/query_executer.go: "history query result is returned from newest to oldest".
      this.it = this.db.iterator({ gte: r.gte, lt: r.lt, reverse: true, snapshot: this.snapshot });
    }
    const e = await this.it.next();
    if (e === undefined) return undefined;
    const h = records.decodeHistory(e[1]);
    return { txId: h.txId, value: h.value, timestamp: h.timestamp, isDelete: h.isDelete };
  }

  async bookmarkAndClose(): Promise<string> {
    await this.close();
    return '';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.it !== undefined) await this.it.close();
  }
}

/** A rich-query candidate: the Mango document plus what a KV result needs. */
export interface RichItem extends MangoDoc {
  value: Bytes;
  version: Version;
}

/** CouchDB `_find` paging emulated over rows selected and sorted once, at query time. */
export class RichSource implements Source<VersionedKV> {
  private chunk: MangoRow<RichItem>[] = [];
  private cursor = -1;
  private totalReturned = 0;
  private position: Position | undefined;
  private bookmark: string;

  constructor(
    private readonly namespace: string,
    private readonly query: MangoQuery,
    private readonly rows: readonly MangoRow<RichItem>[],
    initialPosition: Position | undefined,
    initialBookmark: string,
    private readonly internalQueryLimit: number,
    /** queryScanner.paginationInfo.requestedLimit: the page size, 0 = unlimited. */
    private readonly requestedLimit: number,
  ) {
    this.position = initialPosition;
    this.bookmark = initialBookmark;
    // newQueryScanner runs the first chunk at once (so a bad bookmark fails the request) and
    // leaves the cursor before the first row.
    this.fetchChunk();
    this.cursor = -1;
  }

  /** statecouchdb.go executeQueryWithBookmark. */
  private fetchChunk(): void {
    let limit = this.internalQueryLimit;
    if (this.requestedLimit > 0 && this.requestedLimit - this.totalReturned < limit) {
      limit = this.requestedLimit - this.totalReturned;
    }
    const start = firstAfter(this.query, this.rows, this.position) + this.query.skip;
    this.chunk = this.rows.slice(start, start + Math.max(0, limit));
    this.cursor = 0;
    const last = this.chunk[this.chunk.length - 1];
    if (last !== undefined) {
      this.position = positionOf(last);
      this.bookmark = encodeBookmark(this.position);
    }
  }

  async next(): Promise<VersionedKV | undefined> {
    // statecouchdb.go queryScanner.next.
    if (this.chunk.length === 0) return undefined;
    this.cursor++;
    if (this.cursor >= this.internalQueryLimit) {
      this.fetchChunk();
      if (this.chunk.length === 0) return undefined;
    }
    const row = this.chunk[this.cursor];
    if (row === undefined) return undefined;
    this.totalReturned++;
    const { item } = row;
    const value = this.query.fields === undefined ? copyBytes(item.value) : utf8(goJsonMarshal(project(this.query.fields, item.doc)));
    return { namespace: this.namespace, key: item.key, value, version: item.version };
  }

  async bookmarkAndClose(): Promise<string> {
    return this.bookmark;
  }

  async close(): Promise<void> {
    this.chunk = [];
  }
}

/** A peer-side open iterator: a source plus Fabric's pending-batch bookkeeping. */
export class OpenIterator<T> {
  pending: T[] = [];
  totalReturnCount = 0;
  constructor(
    readonly kind: 'kv' | 'history',
    readonly source: Source<T>,
    /** Public rich queries add every returned key to the read set (queryResultsItr.Next). */
    readonly onResult: ((r: T) => void) | undefined,
  ) {}
}

export interface BuiltResponse<T> {
  results: T[];
  hasMore: boolean;
  metadata: QueryResponseMetadataResult | undefined;
  /** The iterator is finished and must be forgotten. */
  finished: boolean;
}

/**
 * QueryResponseGenerator.BuildQueryResponse: pull results until the total limit, the end, or (not
 * paginated) a full batch of 100 plus one read-ahead result kept pending for the next call.
 */
export async function buildQueryResponse<T>(
  it: OpenIterator<T>,
  isPaginated: boolean,
  totalReturnLimit: number,
): Promise<BuiltResponse<T>> {
  for (;;) {
    if (it.totalReturnCount >= totalReturnLimit) return finish(it, isPaginated);
    const r = await it.source.next();
    if (r === undefined) return finish(it, isPaginated);
    it.onResult?.(r);
    if (!isPaginated && it.pending.length === QUERY_BATCH_SIZE) {
      const batch = it.pending;
      it.pending = [r];
      it.totalReturnCount++;
      return { results: batch, hasMore: true, metadata: undefined, finished: false };
    }
    it.pending.push(r);
    it.totalReturnCount++;
  }
}

async function finish<T>(it: OpenIterator<T>, isPaginated: boolean): Promise<BuiltResponse<T>> {
  const batch = it.pending;
  it.pending = [];
  if (isPaginated) {
    const bookmark = await it.source.bookmarkAndClose();
    return { results: batch, hasMore: false, metadata: { fetchedRecordsCount: it.totalReturnCount, bookmark }, finished: true };
  }
  await it.source.close();
  return { results: batch, hasMore: false, metadata: undefined, finished: true };
}

/** Drops the internal version from a KV handed to the caller. */
export function toKV(v: VersionedKV): KV {
  return { namespace: v.namespace, key: v.key, value: v.value.length === 0 ? EMPTY : v.value };
}
