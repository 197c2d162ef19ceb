/**
 * Codecs for read/write sets (fabric-protos ledger/rwset/rwset.proto and
 * ledger/rwset/kvrwset/kv_rwset.proto). Shapes: shapes.ts.
 */
import { kvrwset, rwset } from './generated/protos.js';
import type {
  CollectionHashedReadWriteSet,
  CollectionPvtReadWriteSet,
  HashedRWSet,
  KVMetadataEntry,
  KVMetadataWrite,
  KVMetadataWriteHash,
  KVRead,
  KVReadHash,
  KVRWSet,
  KVWrite,
  KVWriteHash,
  NsPvtReadWriteSet,
  NsReadWriteSet,
  QueryReads,
  QueryReadsMerkleSummary,
  RangeQueryInfo,
  TxPvtReadWriteSet,
  TxReadWriteSet,
  Version,
} from './rwsetTypes.js';
import { bin, bytesOf, flag, int64Of, list, messageCodec, num, str } from './runtime.js';
import { bytesListOf, listOf, wireList } from './shapes.js';

export const txReadWriteSetCodec = messageCodec(
  'rwset.TxReadWriteSet',
  rwset.TxReadWriteSet,
  (v: TxReadWriteSet): rwset.ITxReadWriteSet => ({
    dataModel: num(v.dataModel),
    nsRwset: wireList(v.nsRwset, nsReadWriteSetCodec.toWire),
  }),
  (m: rwset.ITxReadWriteSet): TxReadWriteSet => ({
    dataModel: m.dataModel ?? 0,
    nsRwset: listOf(m.nsRwset, nsReadWriteSetCodec.fromWire),
  }),
);

export const nsReadWriteSetCodec = messageCodec(
  'rwset.NsReadWriteSet',
  rwset.NsReadWriteSet,
  (v: NsReadWriteSet): rwset.INsReadWriteSet => ({
    namespace: str(v.namespace),
    rwset: bin(v.rwset),
    collectionHashedRwset: wireList(v.collectionHashedRwset, collectionHashedReadWriteSetCodec.toWire),
  }),
  (m: rwset.INsReadWriteSet): NsReadWriteSet => ({
    namespace: m.namespace ?? '',
    rwset: bytesOf(m.rwset),
    collectionHashedRwset: listOf(m.collectionHashedRwset, collectionHashedReadWriteSetCodec.fromWire),
  }),
);

export const collectionHashedReadWriteSetCodec = messageCodec(
  'rwset.CollectionHashedReadWriteSet',
  rwset.CollectionHashedReadWriteSet,
  (v: CollectionHashedReadWriteSet): rwset.ICollectionHashedReadWriteSet => ({
    collectionName: str(v.collectionName),
    hashedRwset: bin(v.hashedRwset),
    pvtRwsetHash: bin(v.pvtRwsetHash),
  }),
  (m: rwset.ICollectionHashedReadWriteSet): CollectionHashedReadWriteSet => ({
    collectionName: m.collectionName ?? '',
    hashedRwset: bytesOf(m.hashedRwset),
    pvtRwsetHash: bytesOf(m.pvtRwsetHash),
  }),
);

export const txPvtReadWriteSetCodec = messageCodec(
  'rwset.TxPvtReadWriteSet',
  rwset.TxPvtReadWriteSet,
  (v: TxPvtReadWriteSet): rwset.ITxPvtReadWriteSet => ({
    dataModel: num(v.dataModel),
    nsPvtRwset: wireList(v.nsPvtRwset, nsPvtReadWriteSetCodec.toWire),
  }),
  (m: rwset.ITxPvtReadWriteSet): TxPvtReadWriteSet => ({
    dataModel: m.dataModel ?? 0,
    nsPvtRwset: listOf(m.nsPvtRwset, nsPvtReadWriteSetCodec.fromWire),
  }),
);

export const nsPvtReadWriteSetCodec = messageCodec(
  'rwset.NsPvtReadWriteSet',
  rwset.NsPvtReadWriteSet,
  (v: NsPvtReadWriteSet): rwset.INsPvtReadWriteSet => ({
    namespace: str(v.namespace),
    collectionPvtRwset: wireList(v.collectionPvtRwset, collectionPvtReadWriteSetCodec.toWire),
  }),
  (m: rwset.INsPvtReadWriteSet): NsPvtReadWriteSet => ({
    namespace: m.namespace ?? '',
    collectionPvtRwset: listOf(m.collectionPvtRwset, collectionPvtReadWriteSetCodec.fromWire),
  }),
);

export const collectionPvtReadWriteSetCodec = messageCodec(
  'rwset.CollectionPvtReadWriteSet',
  rwset.CollectionPvtReadWriteSet,
  (v: CollectionPvtReadWriteSet): rwset.ICollectionPvtReadWriteSet => ({
    collectionName: str(v.collectionName),
    rwset: bin(v.rwset),
  }),
  (m: rwset.ICollectionPvtReadWriteSet): CollectionPvtReadWriteSet => ({
    collectionName: m.collectionName ?? '',
    rwset: bytesOf(m.rwset),
  }),
);

export const kvRwSetCodec = messageCodec(
  'kvrwset.KVRWSet',
  kvrwset.KVRWSet,
  (v: KVRWSet): kvrwset.IKVRWSet => ({
    reads: wireList(v.reads, kvReadCodec.toWire),
    rangeQueriesInfo: wireList(v.rangeQueriesInfo, rangeQueryInfoCodec.toWire),
    writes: wireList(v.writes, kvWriteCodec.toWire),
    metadataWrites: wireList(v.metadataWrites, kvMetadataWriteCodec.toWire),
  }),
  (m: kvrwset.IKVRWSet): KVRWSet => ({
    reads: listOf(m.reads, kvReadCodec.fromWire),
    rangeQueriesInfo: listOf(m.rangeQueriesInfo, rangeQueryInfoCodec.fromWire),
    writes: listOf(m.writes, kvWriteCodec.fromWire),
    metadataWrites: listOf(m.metadataWrites, kvMetadataWriteCodec.fromWire),
  }),
);

export const hashedRwSetCodec = messageCodec(
  'kvrwset.HashedRWSet',
  kvrwset.HashedRWSet,
  (v: HashedRWSet): kvrwset.IHashedRWSet => ({
    hashedReads: wireList(v.hashedReads, kvReadHashCodec.toWire),
    hashedWrites: wireList(v.hashedWrites, kvWriteHashCodec.toWire),
    metadataWrites: wireList(v.metadataWrites, kvMetadataWriteHashCodec.toWire),
  }),
  (m: kvrwset.IHashedRWSet): HashedRWSet => ({
    hashedReads: listOf(m.hashedReads, kvReadHashCodec.fromWire),
    hashedWrites: listOf(m.hashedWrites, kvWriteHashCodec.fromWire),
    metadataWrites: listOf(m.metadataWrites, kvMetadataWriteHashCodec.fromWire),
  }),
);

export const kvReadCodec = messageCodec(
  'kvrwset.KVRead',
  kvrwset.KVRead,
  (v: KVRead): kvrwset.IKVRead => ({ key: str(v.key), version: v.version && versionCodec.toWire(v.version) }),
  (m: kvrwset.IKVRead): KVRead => ({
    key: m.key ?? '',
    version: m.version ? versionCodec.fromWire(m.version) : undefined,
  }),
);

export const kvWriteCodec = messageCodec(
  'kvrwset.KVWrite',
  kvrwset.KVWrite,
  (v: KVWrite): kvrwset.IKVWrite => ({ key: str(v.key), isDelete: flag(v.isDelete), value: bin(v.value) }),
  (m: kvrwset.IKVWrite): KVWrite => ({ key: m.key ?? '', isDelete: m.isDelete ?? false, value: bytesOf(m.value) }),
);

export const kvMetadataWriteCodec = messageCodec(
  'kvrwset.KVMetadataWrite',
  kvrwset.KVMetadataWrite,
  (v: KVMetadataWrite): kvrwset.IKVMetadataWrite => ({
    key: str(v.key),
    entries: wireList(v.entries, kvMetadataEntryCodec.toWire),
  }),
  (m: kvrwset.IKVMetadataWrite): KVMetadataWrite => ({
    key: m.key ?? '',
    entries: listOf(m.entries, kvMetadataEntryCodec.fromWire),
  }),
);

export const kvReadHashCodec = messageCodec(
  'kvrwset.KVReadHash',
  kvrwset.KVReadHash,
  (v: KVReadHash): kvrwset.IKVReadHash => ({
    keyHash: bin(v.keyHash),
    version: v.version && versionCodec.toWire(v.version),
  }),
  (m: kvrwset.IKVReadHash): KVReadHash => ({
    keyHash: bytesOf(m.keyHash),
    version: m.version ? versionCodec.fromWire(m.version) : undefined,
  }),
);

export const kvWriteHashCodec = messageCodec(
  'kvrwset.KVWriteHash',
  kvrwset.KVWriteHash,
  (v: KVWriteHash): kvrwset.IKVWriteHash => ({
    keyHash: bin(v.keyHash),
    isDelete: flag(v.isDelete),
    valueHash: bin(v.valueHash),
    isPurge: flag(v.isPurge),
  }),
  (m: kvrwset.IKVWriteHash): KVWriteHash => ({
    keyHash: bytesOf(m.keyHash),
    isDelete: m.isDelete ?? false,
    valueHash: bytesOf(m.valueHash),
    isPurge: m.isPurge ?? false,
  }),
);

export const kvMetadataWriteHashCodec = messageCodec(
  'kvrwset.KVMetadataWriteHash',
  kvrwset.KVMetadataWriteHash,
  (v: KVMetadataWriteHash): kvrwset.IKVMetadataWriteHash => ({
    keyHash: bin(v.keyHash),
    entries: wireList(v.entries, kvMetadataEntryCodec.toWire),
  }),
  (m: kvrwset.IKVMetadataWriteHash): KVMetadataWriteHash => ({
    keyHash: bytesOf(m.keyHash),
    entries: listOf(m.entries, kvMetadataEntryCodec.fromWire),
  }),
);

export const kvMetadataEntryCodec = messageCodec(
  'kvrwset.KVMetadataEntry',
  kvrwset.KVMetadataEntry,
  (v: KVMetadataEntry): kvrwset.IKVMetadataEntry => ({ name: str(v.name), value: bin(v.value) }),
  (m: kvrwset.IKVMetadataEntry): KVMetadataEntry => ({ name: m.name ?? '', value: bytesOf(m.value) }),
);

export const versionCodec = messageCodec(
  'kvrwset.Version',
  kvrwset.Version,
  (v: Version): kvrwset.IVersion => ({ blockNum: num(v.blockNum), txNum: num(v.txNum) }),
  (m: kvrwset.IVersion): Version => ({ blockNum: int64Of(m.blockNum), txNum: int64Of(m.txNum) }),
);

export const rangeQueryInfoCodec = messageCodec(
  'kvrwset.RangeQueryInfo',
  kvrwset.RangeQueryInfo,
  (v: RangeQueryInfo): kvrwset.IRangeQueryInfo => {
    const r = v.readsInfo;
    return {
      startKey: str(v.startKey),
      endKey: str(v.endKey),
      itrExhausted: flag(v.itrExhausted),
      rawReads: r?.case === 'rawReads' ? queryReadsCodec.toWire(r.value) : undefined,
      readsMerkleHashes: r?.case === 'readsMerkleHashes' ? queryReadsMerkleSummaryCodec.toWire(r.value) : undefined,
    };
  },
  (m: kvrwset.IRangeQueryInfo): RangeQueryInfo => {
    let readsInfo: RangeQueryInfo['readsInfo'];
    switch ((m as kvrwset.RangeQueryInfo).readsInfo) {
      case 'rawReads':
        readsInfo = { case: 'rawReads', value: queryReadsCodec.fromWire(m.rawReads!) };
        break;
      case 'readsMerkleHashes':
        readsInfo = { case: 'readsMerkleHashes', value: queryReadsMerkleSummaryCodec.fromWire(m.readsMerkleHashes!) };
        break;
    }
    return { startKey: m.startKey ?? '', endKey: m.endKey ?? '', itrExhausted: m.itrExhausted ?? false, readsInfo };
  },
);

export const queryReadsCodec = messageCodec(
  'kvrwset.QueryReads',
  kvrwset.QueryReads,
  (v: QueryReads): kvrwset.IQueryReads => ({ kvReads: wireList(v.kvReads, kvReadCodec.toWire) }),
  (m: kvrwset.IQueryReads): QueryReads => ({ kvReads: listOf(m.kvReads, kvReadCodec.fromWire) }),
);

export const queryReadsMerkleSummaryCodec = messageCodec(
  'kvrwset.QueryReadsMerkleSummary',
  kvrwset.QueryReadsMerkleSummary,
  (v: QueryReadsMerkleSummary): kvrwset.IQueryReadsMerkleSummary => ({
    maxDegree: num(v.maxDegree),
    maxLevel: num(v.maxLevel),
    maxLevelHashes: list(v.maxLevelHashes),
  }),
  (m: kvrwset.IQueryReadsMerkleSummary): QueryReadsMerkleSummary => ({
    maxDegree: m.maxDegree ?? 0,
    maxLevel: m.maxLevel ?? 0,
    maxLevelHashes: bytesListOf(m.maxLevelHashes),
  }),
);
