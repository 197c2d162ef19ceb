/**
 * Domain types for read/write sets (ledger/rwset/rwset.proto, package rwset, and
 * ledger/rwset/kvrwset/kv_rwset.proto, package kvrwset). Conventions: shapes.ts.
 *
 * Nesting: ChaincodeAction.results -> TxReadWriteSet -> NsReadWriteSet
 *   .rwset -> KVRWSet; .collectionHashedRwset[].hashedRwset -> HashedRWSet
 * Private side: TxPvtReadWriteSet -> NsPvtReadWriteSet -> CollectionPvtReadWriteSet.rwset -> KVRWSet
 */
import type { Bytes } from '../protocol/messages.js';
import { enumNames, type OneOf } from './shapes.js';

/** rwset.TxReadWriteSet */
export interface TxReadWriteSet {
  /** A TxReadWriteSetDataModel value (only KV = 0 exists). */
  dataModel: number;
  nsRwset: NsReadWriteSet[];
}

/** rwset.TxReadWriteSet.DataModel */
export const TxReadWriteSetDataModel = { KV: 0 } as const;
export type TxReadWriteSetDataModelName = keyof typeof TxReadWriteSetDataModel;
export const txReadWriteSetDataModelName = enumNames(TxReadWriteSetDataModel);

/** rwset.NsReadWriteSet */
export interface NsReadWriteSet {
  namespace: string;
  /** A serialized KVRWSet. */
  rwset: Bytes;
  collectionHashedRwset: CollectionHashedReadWriteSet[];
}

/** rwset.CollectionHashedReadWriteSet */
export interface CollectionHashedReadWriteSet {
  collectionName: string;
  /** A serialized HashedRWSet. */
  hashedRwset: Bytes;
  /** Hash of the matching CollectionPvtReadWriteSet.rwset. */
  pvtRwsetHash: Bytes;
}

/** rwset.TxPvtReadWriteSet */
export interface TxPvtReadWriteSet {
  /** A TxReadWriteSetDataModel value. */
  dataModel: number;
  nsPvtRwset: NsPvtReadWriteSet[];
}

/** rwset.NsPvtReadWriteSet */
export interface NsPvtReadWriteSet {
  namespace: string;
  collectionPvtRwset: CollectionPvtReadWriteSet[];
}

/** rwset.CollectionPvtReadWriteSet */
export interface CollectionPvtReadWriteSet {
  collectionName: string;
  /** A serialized KVRWSet. */
  rwset: Bytes;
}

/** kvrwset.KVRWSet */
export interface KVRWSet {
  reads: KVRead[];
  rangeQueriesInfo: RangeQueryInfo[];
  writes: KVWrite[];
  metadataWrites: KVMetadataWrite[];
}

/** kvrwset.HashedRWSet */
export interface HashedRWSet {
  hashedReads: KVReadHash[];
  hashedWrites: KVWriteHash[];
  metadataWrites: KVMetadataWriteHash[];
}

/** kvrwset.KVRead */
export interface KVRead {
  key: string;
  /** Absent when the key did not exist. */
  version: Version | undefined;
}

/** kvrwset.KVWrite */
export interface KVWrite {
  key: string;
  isDelete: boolean;
  value: Bytes;
}

/** kvrwset.KVMetadataWrite */
export interface KVMetadataWrite {
  key: string;
  entries: KVMetadataEntry[];
}

/** kvrwset.KVReadHash */
export interface KVReadHash {
  keyHash: Bytes;
  version: Version | undefined;
}

/** kvrwset.KVWriteHash */
export interface KVWriteHash {
  keyHash: Bytes;
  isDelete: boolean;
  valueHash: Bytes;
  isPurge: boolean;
}

/** kvrwset.KVMetadataWriteHash */
export interface KVMetadataWriteHash {
  keyHash: Bytes;
  entries: KVMetadataEntry[];
}

/** kvrwset.KVMetadataEntry */
export interface KVMetadataEntry {
  name: string;
  value: Bytes;
}

/** kvrwset.Version: where a committed value was written. */
export interface Version {
  /** uint64 */
  blockNum: number;
  /** uint64 */
  txNum: number;
}

/** kvrwset.RangeQueryInfo */
export interface RangeQueryInfo {
  startKey: string;
  endKey: string;
  itrExhausted: boolean;
  /** oneof reads_info */
  readsInfo: OneOf<'rawReads', QueryReads> | OneOf<'readsMerkleHashes', QueryReadsMerkleSummary> | undefined;
}

/** kvrwset.QueryReads */
export interface QueryReads {
  kvReads: KVRead[];
}

/** kvrwset.QueryReadsMerkleSummary */
export interface QueryReadsMerkleSummary {
  /** uint32 */
  maxDegree: number;
  /** uint32 */
  maxLevel: number;
  maxLevelHashes: Bytes[];
}
