/**
 * Codecs for the state requests a running transaction sends and the results the peer returns
 * (fabric-protos peer/chaincode_shim.proto: GetState ... StateMetadataResult, WriteBatchState).
 *
 * Aliases on the wire (same layout, so one codec serves both): GetStateMetadata and
 * GET_PRIVATE_DATA_HASH use GetState; PurgePrivateState uses DelState.
 */
import type {
  DelState,
  GetState,
  GetStateMultiple,
  GetStateMultipleResult,
  PutState,
  PutStateMetadata,
  StateMetadata,
  StateMetadataResult,
  WriteBatchState,
  WriteRecord,
} from '../protocol/messages.js';
import { protos } from './generated/protos.js';
import { bin, bytesOf, list, messageCodec, num, str } from './runtime.js';

export const getStateCodec = messageCodec(
  'protos.GetState',
  protos.GetState,
  (v: GetState): protos.IGetState => ({ key: str(v.key), collection: str(v.collection) }),
  (m: protos.IGetState): GetState => ({ key: m.key ?? '', collection: m.collection ?? '' }),
);

export const getStateMultipleCodec = messageCodec(
  'protos.GetStateMultiple',
  protos.GetStateMultiple,
  (v: GetStateMultiple): protos.IGetStateMultiple => ({ keys: list(v.keys), collection: str(v.collection) }),
  (m: protos.IGetStateMultiple): GetStateMultiple => ({ keys: m.keys ?? [], collection: m.collection ?? '' }),
);

export const getStateMultipleResultCodec = messageCodec(
  'protos.GetStateMultipleResult',
  protos.GetStateMultipleResult,
  (v: GetStateMultipleResult): protos.IGetStateMultipleResult => ({ values: list(v.values) }),
  (m: protos.IGetStateMultipleResult): GetStateMultipleResult => ({ values: m.values ?? [] }),
);

export const putStateCodec = messageCodec(
  'protos.PutState',
  protos.PutState,
  (v: PutState): protos.IPutState => ({ key: str(v.key), value: bin(v.value), collection: str(v.collection) }),
  (m: protos.IPutState): PutState => ({ key: m.key ?? '', value: bytesOf(m.value), collection: m.collection ?? '' }),
);

export const stateMetadataCodec = messageCodec(
  'protos.StateMetadata',
  protos.StateMetadata,
  (v: StateMetadata): protos.IStateMetadata => ({ metakey: str(v.metakey), value: bin(v.value) }),
  (m: protos.IStateMetadata): StateMetadata => ({ metakey: m.metakey ?? '', value: bytesOf(m.value) }),
);

export const putStateMetadataCodec = messageCodec(
  'protos.PutStateMetadata',
  protos.PutStateMetadata,
  (v: PutStateMetadata): protos.IPutStateMetadata => ({
    key: str(v.key),
    collection: str(v.collection),
    metadata: v.metadata && stateMetadataCodec.toWire(v.metadata),
  }),
  (m: protos.IPutStateMetadata): PutStateMetadata => ({
    key: m.key ?? '',
    collection: m.collection ?? '',
    metadata: m.metadata ? stateMetadataCodec.fromWire(m.metadata) : undefined,
  }),
);

export const stateMetadataResultCodec = messageCodec(
  'protos.StateMetadataResult',
  protos.StateMetadataResult,
  (v: StateMetadataResult): protos.IStateMetadataResult => ({
    entries: list(v.entries.map(stateMetadataCodec.toWire)),
  }),
  (m: protos.IStateMetadataResult): StateMetadataResult => ({
    entries: (m.entries ?? []).map(stateMetadataCodec.fromWire),
  }),
);

export const delStateCodec = messageCodec(
  'protos.DelState',
  protos.DelState,
  (v: DelState): protos.IDelState => ({ key: str(v.key), collection: str(v.collection) }),
  (m: protos.IDelState): DelState => ({ key: m.key ?? '', collection: m.collection ?? '' }),
);

export const writeRecordCodec = messageCodec(
  'protos.WriteRecord',
  protos.WriteRecord,
  (v: WriteRecord): protos.IWriteRecord => ({
    key: str(v.key),
    value: bin(v.value),
    collection: str(v.collection),
    metadata: v.metadata && stateMetadataCodec.toWire(v.metadata),
    type: num(v.type),
  }),
  (m: protos.IWriteRecord): WriteRecord => ({
    key: m.key ?? '',
    value: bytesOf(m.value),
    collection: m.collection ?? '',
    metadata: m.metadata ? stateMetadataCodec.fromWire(m.metadata) : undefined,
    type: m.type ?? 0,
  }),
);

/** The domain calls the repeated field `records`; Fabric calls it `rec`. */
export const writeBatchStateCodec = messageCodec(
  'protos.WriteBatchState',
  protos.WriteBatchState,
  (v: WriteBatchState): protos.IWriteBatchState => ({ rec: list(v.records.map(writeRecordCodec.toWire)) }),
  (m: protos.IWriteBatchState): WriteBatchState => ({ records: (m.rec ?? []).map(writeRecordCodec.fromWire) }),
);
