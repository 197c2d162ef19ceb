/**
 * Read/write sets (ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto) against
 * @hyperledger/fabric-protos.
 */
import pkg from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import {
  decodeHashedRWSet,
  decodeKVRWSet,
  decodeRangeQueryInfo,
  encodeHashedRWSet,
  encodeKVRWSet,
  encodeRangeQueryInfo,
  TxReadWriteSetDataModel,
  txReadWriteSetDataModelName,
  type RangeQueryInfo,
} from '../../src/wire/index.js';
import { checkMessages } from './fabricOracle.js';
import { expectSame, hex } from './oracle.js';

checkMessages('read/write sets', [
  'rwset.TxReadWriteSet',
  'rwset.NsReadWriteSet',
  'rwset.CollectionHashedReadWriteSet',
  'rwset.TxPvtReadWriteSet',
  'rwset.NsPvtReadWriteSet',
  'rwset.CollectionPvtReadWriteSet',
  'kvrwset.KVRWSet',
  'kvrwset.HashedRWSet',
  'kvrwset.KVRead',
  'kvrwset.KVWrite',
  'kvrwset.KVMetadataWrite',
  'kvrwset.KVReadHash',
  'kvrwset.KVWriteHash',
  'kvrwset.KVMetadataWriteHash',
  'kvrwset.KVMetadataEntry',
  'kvrwset.Version',
  'kvrwset.RangeQueryInfo',
  'kvrwset.QueryReads',
  'kvrwset.QueryReadsMerkleSummary',
]);

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('read/write set details', () => {
  it('DataModel matches Fabric', () => {
    const { ledger } = pkg as unknown as { ledger: { rwset: { TxReadWriteSet: { DataModel: unknown } } } };
    expect({ ...TxReadWriteSetDataModel }).toEqual(ledger.rwset.TxReadWriteSet.DataModel);
    expect(txReadWriteSetDataModelName(0)).toBe('KV');
  });

  it('a read of a missing key has no version; version {0, 0} is present and written as an empty message', () => {
    const missing = encodeKVRWSet({ reads: [{ key: 'k', version: undefined }], rangeQueriesInfo: [], writes: [], metadataWrites: [] });
    const genesis = encodeKVRWSet({ reads: [{ key: 'k', version: { blockNum: 0, txNum: 0 } }], rangeQueriesInfo: [], writes: [], metadataWrites: [] });
    expect(hex(missing)).toBe('0a030a016b');
    expect(hex(genesis)).toBe('0a050a016b1200');
    const r = decodeKVRWSet(genesis);
    expect(r.ok && r.value.reads[0]!.version).toEqual({ blockNum: 0, txNum: 0 });
    const m = decodeKVRWSet(missing);
    expect(m.ok && m.value.reads[0]!.version).toBeUndefined();
  });

  it('range query info: raw reads, merkle summary, or neither', () => {
    const base = { startKey: 'a', endKey: 'z', itrExhausted: true };
    const cases: RangeQueryInfo[] = [
      { ...base, readsInfo: undefined },
      { ...base, readsInfo: { case: 'rawReads', value: { kvReads: [] } } },
      { ...base, readsInfo: { case: 'rawReads', value: { kvReads: [{ key: 'b', version: { blockNum: 1, txNum: 2 } }] } } },
      { ...base, readsInfo: { case: 'readsMerkleHashes', value: { maxDegree: 50, maxLevel: 1, maxLevelHashes: [bytes(1), bytes(2)] } } },
    ];
    for (const value of cases) expectSame(decodeRangeQueryInfo(encodeRangeQueryInfo(value)), { ok: true, value });
    // An empty raw_reads member is still written.
    expect(hex(encodeRangeQueryInfo(cases[1]!))).toBe('0a016112017a18012200');
  });

  it('hashed writes keep purge and delete flags apart', () => {
    const value = {
      hashedReads: [],
      hashedWrites: [
        { keyHash: bytes(1), isDelete: true, valueHash: bytes(), isPurge: false },
        { keyHash: bytes(2), isDelete: true, valueHash: bytes(), isPurge: true },
      ],
      metadataWrites: [{ keyHash: bytes(3), entries: [{ name: 'VALIDATION_PARAMETER', value: bytes(9) }] }],
    };
    expectSame(decodeHashedRWSet(encodeHashedRWSet(value)), { ok: true, value });
  });
});
