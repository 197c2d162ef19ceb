/**
 * Iterator requests: range, rich and history queries, QUERY_STATE_NEXT, QUERY_STATE_CLOSE, and
 * the QueryResponse they are answered with.
 *
 * The simulation owns the iterators (ids from the WorldState's generator, Fabric: a UUID), the
 * batching of core/chaincode/query_response_generator.go BuildQueryResponse (batches of 100 with
 * has_more, read-ahead, totalQueryLimit, one page per paginated request, iterator closed after
 * the last batch, the page, or an error) and the private/paginated query restrictions. This file
 * decodes the QueryMetadata and marshals the result as handler.go does.
 */
import type { Pagination, QueryResponseResult, Simulation } from '../../ledger/index.js';
import { EMPTY_BYTES, type Bytes, type GetHistoryForKey, type GetQueryResult, type GetStateByRange, type QueryStateNext } from '../../protocol/messages.js';
import {
  decodeQueryMetadata,
  encodeKeyModification,
  encodeKV,
  encodeQueryResponse,
  encodeQueryResponseMetadata,
} from '../../wire/index.js';
import { fail, ok, unmarshalFailed, type ServeResult } from './outcome.js';

/**
 * handler.go getQueryMetadataFromBytes: no bytes = no metadata; otherwise a QueryMetadata, or
 * `unmarshal failed: ...`. Whether it means pagination (`pageSize != 0 || bookmark != ""`,
 * isMetadataSetForPagination) and what limit it implies (calculateTotalReturnLimit: pageSize when
 * 0 < pageSize < totalQueryLimit) is decided by the simulation, which also ignores the pagination
 * of private-collection queries as the handler's private branch does.
 */
export function queryMetadata(bytes: Bytes): { ok: true; value: Pagination | undefined } | { ok: false; cause: string } {
  // Go distinguishes nil from empty bytes here, but an empty QueryMetadata has pageSize 0 and no
  // bookmark: neither paginated nor limiting, so both mean "no metadata".
  if (bytes.length === 0) return { ok: true, value: undefined };
  const decoded = decodeQueryMetadata(bytes);
  if (!decoded.ok) return { ok: false, cause: unmarshalFailed(decoded.reason) };
  return { ok: true, value: { pageSize: decoded.value.pageSize, bookmark: decoded.value.bookmark } };
}

/**
 * A QueryResponse as BuildQueryResponse / createQueryResponse build it: results are marshalled
 * queryresult.KV (range, rich) or queryresult.KeyModification (history) records; `metadata` is a
 * marshalled QueryResponseMetadata{fetched_records_count, bookmark} for a paginated page and
 * absent otherwise.
 */
export function encodeQueryResult(r: QueryResponseResult): Bytes {
  const results = r.kind === 'kv' ? r.results.map((kv) => encodeKV(kv)) : r.results.map((km) => encodeKeyModification(km));
  const metadata = r.metadata === undefined ? EMPTY_BYTES : encodeQueryResponseMetadata(r.metadata);
  return encodeQueryResponse({ results, hasMore: r.hasMore, id: r.id, metadata });
}

/**
 * HandleGetStateByRange: metadata decoded first; then the private branch (Init restriction, read
 * permission, pvt-query-after-write rule; pagination ignored), the paginated branch (a non-empty
 * bookmark replaces the start key; read-only rule) or the plain range scan.
 */
export async function getStateByRange(sim: Simulation, p: GetStateByRange): Promise<ServeResult> {
  const meta = queryMetadata(p.metadata);
  if (!meta.ok) return fail(meta.cause);
  return ok(encodeQueryResult(await sim.getStateByRange(p.startKey, p.endKey, p.collection, meta.value)));
}

/** HandleGetQueryResult: as HandleGetStateByRange with ExecuteQuery* (CouchDB Mango). */
export async function getQueryResult(sim: Simulation, p: GetQueryResult): Promise<ServeResult> {
  const meta = queryMetadata(p.metadata);
  if (!meta.ok) return fail(meta.cause);
  return ok(encodeQueryResult(await sim.getQueryResult(p.query, p.collection, meta.value)));
}

/** HandleGetHistoryForKey: `history database is not enabled` first; never paginated. */
export async function getHistoryForKey(sim: Simulation, p: GetHistoryForKey): Promise<ServeResult> {
  return ok(encodeQueryResult(await sim.getHistoryForKey(p.key)));
}

/** HandleQueryStateNext: the next batch; `query iterator not found` for an id that is not open. */
export async function queryStateNext(sim: Simulation, p: QueryStateNext): Promise<ServeResult> {
  return ok(encodeQueryResult(await sim.queryNext(p.id)));
}

/**
 * HandleQueryStateClose: closes the iterator if it is open and answers
 * `QueryResponse{has_more: false, id}` in any case (an unknown id is fine).
 */
export async function queryStateClose(sim: Simulation, p: QueryStateNext): Promise<ServeResult> {
  return ok(encodeQueryResult(await sim.queryClose(p.id)));
}

/**
 * What the peer does with a transaction's iterators when its COMPLETED/ERROR arrives or its
 * stream ends (handler.go Notify -> TransactionContext.CloseQueryIterators). Never rejects:
 * a simulation that already ended has no iterators left to close.
 */
export async function closeTransactionIterators(sim: Simulation): Promise<void> {
  try {
    await sim.closeAllIterators();
  } catch {
    // Ended or closed world state: nothing is open any more.
  }
}
