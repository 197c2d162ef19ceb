/**
 * Codecs for iterators and their results: the query requests, pagination metadata, the
 * QueryResponse batches and the records inside them (fabric-protos peer/chaincode_shim.proto,
 * ledger/queryresult/kv_query_result.proto).
 *
 * QueryResponse.results is `repeated QueryResultBytes` on the wire; the domain keeps only the inner
 * `resultBytes` of each (a serialized KV or KeyModification), since the wrapper has nothing else.
 */
import type {
  GetHistoryForKey,
  GetQueryResult,
  GetStateByRange,
  KeyModification,
  KV,
  QueryMetadata,
  QueryResponse,
  QueryResponseMetadata,
  QueryStateNext,
} from '../protocol/messages.js';
import { timestampCodec } from './chaincodeCodecs.js';
import { protos, queryresult } from './generated/protos.js';
import { bin, bytesOf, flag, list, messageCodec, num, str } from './runtime.js';

export const getStateByRangeCodec = messageCodec(
  'protos.GetStateByRange',
  protos.GetStateByRange,
  (v: GetStateByRange): protos.IGetStateByRange => ({
    startKey: str(v.startKey),
    endKey: str(v.endKey),
    collection: str(v.collection),
    metadata: bin(v.metadata),
  }),
  (m: protos.IGetStateByRange): GetStateByRange => ({
    startKey: m.startKey ?? '',
    endKey: m.endKey ?? '',
    collection: m.collection ?? '',
    metadata: bytesOf(m.metadata),
  }),
);

export const getQueryResultCodec = messageCodec(
  'protos.GetQueryResult',
  protos.GetQueryResult,
  (v: GetQueryResult): protos.IGetQueryResult => ({
    query: str(v.query),
    collection: str(v.collection),
    metadata: bin(v.metadata),
  }),
  (m: protos.IGetQueryResult): GetQueryResult => ({
    query: m.query ?? '',
    collection: m.collection ?? '',
    metadata: bytesOf(m.metadata),
  }),
);

export const queryMetadataCodec = messageCodec(
  'protos.QueryMetadata',
  protos.QueryMetadata,
  (v: QueryMetadata): protos.IQueryMetadata => ({ pageSize: num(v.pageSize), bookmark: str(v.bookmark) }),
  (m: protos.IQueryMetadata): QueryMetadata => ({ pageSize: m.pageSize ?? 0, bookmark: m.bookmark ?? '' }),
);

export const getHistoryForKeyCodec = messageCodec(
  'protos.GetHistoryForKey',
  protos.GetHistoryForKey,
  (v: GetHistoryForKey): protos.IGetHistoryForKey => ({ key: str(v.key) }),
  (m: protos.IGetHistoryForKey): GetHistoryForKey => ({ key: m.key ?? '' }),
);

export const queryStateNextCodec = messageCodec(
  'protos.QueryStateNext',
  protos.QueryStateNext,
  (v: QueryStateNext): protos.IQueryStateNext => ({ id: str(v.id) }),
  (m: protos.IQueryStateNext): QueryStateNext => ({ id: m.id ?? '' }),
);

export const queryStateCloseCodec = messageCodec(
  'protos.QueryStateClose',
  protos.QueryStateClose,
  (v: QueryStateNext): protos.IQueryStateClose => ({ id: str(v.id) }),
  (m: protos.IQueryStateClose): QueryStateNext => ({ id: m.id ?? '' }),
);

export const queryResponseCodec = messageCodec(
  'protos.QueryResponse',
  protos.QueryResponse,
  (v: QueryResponse): protos.IQueryResponse => ({
    // Each wrapper is written even when its bytes are empty: the entry itself is the record.
    results: list(v.results.map((resultBytes) => ({ resultBytes: bin(resultBytes) }))),
    hasMore: flag(v.hasMore),
    id: str(v.id),
    metadata: bin(v.metadata),
  }),
  (m: protos.IQueryResponse): QueryResponse => ({
    results: (m.results ?? []).map((r) => bytesOf(r.resultBytes)),
    hasMore: m.hasMore ?? false,
    id: m.id ?? '',
    metadata: bytesOf(m.metadata),
  }),
);

export const queryResponseMetadataCodec = messageCodec(
  'protos.QueryResponseMetadata',
  protos.QueryResponseMetadata,
  (v: QueryResponseMetadata): protos.IQueryResponseMetadata => ({
    fetchedRecordsCount: num(v.fetchedRecordsCount),
    bookmark: str(v.bookmark),
  }),
  (m: protos.IQueryResponseMetadata): QueryResponseMetadata => ({
    fetchedRecordsCount: m.fetchedRecordsCount ?? 0,
    bookmark: m.bookmark ?? '',
  }),
);

export const kvCodec = messageCodec(
  'queryresult.KV',
  queryresult.KV,
  (v: KV): queryresult.IKV => ({ namespace: str(v.namespace), key: str(v.key), value: bin(v.value) }),
  (m: queryresult.IKV): KV => ({ namespace: m.namespace ?? '', key: m.key ?? '', value: bytesOf(m.value) }),
);

export const keyModificationCodec = messageCodec(
  'queryresult.KeyModification',
  queryresult.KeyModification,
  (v: KeyModification): queryresult.IKeyModification => ({
    txId: str(v.txId),
    value: bin(v.value),
    timestamp: v.timestamp && timestampCodec.toWire(v.timestamp),
    isDelete: flag(v.isDelete),
  }),
  (m: queryresult.IKeyModification): KeyModification => ({
    txId: m.txId ?? '',
    value: bytesOf(m.value),
    timestamp: m.timestamp ? timestampCodec.fromWire(m.timestamp) : undefined,
    isDelete: m.isDelete ?? false,
  }),
);
