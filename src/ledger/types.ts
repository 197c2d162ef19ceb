/**
 * Public data types of the world state library: simulation options, query responses and the
 * read/write set. The read/write set mirrors Fabric's rwset protos (fabric-protos
 * ledger/rwset/kvrwset/kv_rwset.proto and ledger/rwset/rwset.proto): a public part with reads,
 * range-query infos, writes, metadata writes and, per collection, the hashed reads/writes
 * ("private-hash part"); and a private part with the private values themselves.
 */
import type { KV, KeyModification, StateMetadata, Timestamp } from '../protocol/messages.js';
import type { Bytes } from './bytes.js';
import type { Version } from './store.js';

export type { Version } from './store.js';

export interface SimulationOptions {
  channel: string;
  /** The chaincode name (namespace) the simulation starts in; see `Simulation.forNamespace`. */
  namespace: string;
  txId: string;
  /** MSP id of the proposal creator: what collection membership is checked against. */
  creatorMspId: string;
  /** True while simulating Init: private data requests are refused (core/chaincode/handler.go). */
  isInit?: boolean;
  /** The proposal's channel-header timestamp; recorded in history at commit. Default: now. */
  timestamp?: Timestamp;
  /** The proposal's transient map (kept for the caller; the ledger does not use it). */
  transient?: ReadonlyMap<string, Bytes> | Readonly<Record<string, Bytes>>;
}

/** A QueryResponse of KVs (range and rich queries) as domain data; the caller marshals `results`. */
export interface KvQueryResponse {
  kind: 'kv';
  /** The peer-generated iterator id (QueryResponse.id). */
  id: string;
  results: KV[];
  hasMore: boolean;
  /** Present only for paginated queries (QueryResponseMetadata). */
  metadata: QueryResponseMetadataResult | undefined;
}

/** A QueryResponse of history entries (queryresult.KeyModification). */
export interface HistoryQueryResponse {
  kind: 'history';
  id: string;
  results: KeyModification[];
  hasMore: boolean;
  metadata: undefined;
}

export type QueryResponseResult = KvQueryResponse | HistoryQueryResponse;

export interface QueryResponseMetadataResult {
  fetchedRecordsCount: number;
  bookmark: string;
}

/** `{pageSize, bookmark}` of a paginated request (protos.QueryMetadata). */
export interface Pagination {
  pageSize: number;
  bookmark: string;
}

// ---- read/write set -------------------------------------------------------------------------

export interface KVRead {
  key: string;
  /** Committed version read; undefined when the key did not exist. */
  version: Version | undefined;
}

export interface KVWrite {
  key: string;
  isDelete: boolean;
  value: Bytes;
}

export interface KVMetadataWrite {
  key: string;
  /** The complete new metadata of the key; empty = remove all metadata. */
  entries: StateMetadata[];
}

/** What a range scan saw, for phantom-read validation at commit (kvrwset.RangeQueryInfo). */
export interface RangeQueryInfo {
  startKey: string;
  endKey: string;
  itrExhausted: boolean;
  reads: KVRead[];
}

export interface KVReadHash {
  keyHash: Bytes;
  version: Version | undefined;
}

export interface KVWriteHash {
  keyHash: Bytes;
  isDelete: boolean;
  isPurge: boolean;
  /** SHA-256 of the value; empty for deletes and purges. */
  valueHash: Bytes;
}

export interface KVMetadataWriteHash {
  keyHash: Bytes;
  entries: StateMetadata[];
}

export interface CollHashedRwSet {
  collectionName: string;
  hashedReads: KVReadHash[];
  hashedWrites: KVWriteHash[];
  metadataWrites: KVMetadataWriteHash[];
}

export interface NsRwSet {
  namespace: string;
  reads: KVRead[];
  rangeQueriesInfo: RangeQueryInfo[];
  writes: KVWrite[];
  metadataWrites: KVMetadataWrite[];
  collHashedRwSets: CollHashedRwSet[];
}

export interface PvtKVWrite {
  key: string;
  isDelete: boolean;
  isPurge: boolean;
  value: Bytes;
}

export interface CollPvtRwSet {
  collectionName: string;
  writes: PvtKVWrite[];
  /** Keys whose metadata changed (the entries themselves live in the hashed part, as in Fabric). */
  metadataWrites: { key: string }[];
}

export interface NsPvtRwSet {
  namespace: string;
  collectionPvtRwSets: CollPvtRwSet[];
}

/** The outcome of a simulation (ledger.TxSimulationResults). */
export interface TxSimulationResults {
  channel: string;
  txId: string;
  timestamp: Timestamp | undefined;
  /** Public read/write set, including the private-data hashes. Namespaces sorted by name. */
  publicRwSet: NsRwSet[];
  /** Private values, per namespace and collection. */
  privateRwSet: NsPvtRwSet[];
}
