/**
 * Codecs for block delivery (fabric-protos peer/events.proto and orderer/ab.proto). Shapes:
 * shapes.ts (oneofs as `{ case, value }`, the private data map as a `Map<number, …>`).
 */
import { blockCodec } from './blockCodecs.js';
import { chaincodeEventCodec } from './chaincodeCodecs.js';
import type {
  BlockAndPrivateData,
  BroadcastResponse,
  DeliverResponse,
  FilteredBlock,
  FilteredChaincodeAction,
  FilteredTransaction,
  FilteredTransactionActions,
  OrdererDeliverResponse,
  SeekInfo,
  SeekNewest,
  SeekNextCommit,
  SeekOldest,
  SeekPosition,
  SeekSpecified,
} from './deliverTypes.js';
import type { TxPvtReadWriteSet } from './rwsetTypes.js';
import { orderer, protos } from './generated/protos.js';
import { int64Of, messageCodec, num, SaturatingReader, str, WellFormedWriter } from './runtime.js';
import { txPvtReadWriteSetCodec } from './rwsetCodecs.js';
import { listOf, uint64MapOf, wireList, wireUint64Map } from './shapes.js';

export const filteredBlockCodec = messageCodec(
  'protos.FilteredBlock',
  protos.FilteredBlock,
  (v: FilteredBlock): protos.IFilteredBlock => ({
    channelId: str(v.channelId),
    number: num(v.number),
    filteredTransactions: wireList(v.filteredTransactions, filteredTransactionCodec.toWire),
  }),
  (m: protos.IFilteredBlock): FilteredBlock => ({
    channelId: m.channelId ?? '',
    number: int64Of(m.number),
    filteredTransactions: listOf(m.filteredTransactions, filteredTransactionCodec.fromWire),
  }),
);

export const filteredTransactionCodec = messageCodec(
  'protos.FilteredTransaction',
  protos.FilteredTransaction,
  (v: FilteredTransaction): protos.IFilteredTransaction => ({
    txid: str(v.txid),
    type: num(v.type),
    txValidationCode: num(v.txValidationCode),
    transactionActions: v.data && filteredTransactionActionsCodec.toWire(v.data.value),
  }),
  (m: protos.IFilteredTransaction): FilteredTransaction => ({
    txid: m.txid ?? '',
    type: m.type ?? 0,
    txValidationCode: m.txValidationCode ?? 0,
    data:
      (m as protos.FilteredTransaction).Data === 'transactionActions'
        ? { case: 'transactionActions', value: filteredTransactionActionsCodec.fromWire(m.transactionActions!) }
        : undefined,
  }),
);

export const filteredTransactionActionsCodec = messageCodec(
  'protos.FilteredTransactionActions',
  protos.FilteredTransactionActions,
  (v: FilteredTransactionActions): protos.IFilteredTransactionActions => ({
    chaincodeActions: wireList(v.chaincodeActions, filteredChaincodeActionCodec.toWire),
  }),
  (m: protos.IFilteredTransactionActions): FilteredTransactionActions => ({
    chaincodeActions: listOf(m.chaincodeActions, filteredChaincodeActionCodec.fromWire),
  }),
);

export const filteredChaincodeActionCodec = messageCodec(
  'protos.FilteredChaincodeAction',
  protos.FilteredChaincodeAction,
  (v: FilteredChaincodeAction): protos.IFilteredChaincodeAction => ({
    chaincodeEvent: v.chaincodeEvent && chaincodeEventCodec.toWire(v.chaincodeEvent),
  }),
  (m: protos.IFilteredChaincodeAction): FilteredChaincodeAction => ({
    chaincodeEvent: m.chaincodeEvent ? chaincodeEventCodec.fromWire(m.chaincodeEvent) : undefined,
  }),
);

export const blockAndPrivateDataCodec = messageCodec(
  'protos.BlockAndPrivateData',
  protos.BlockAndPrivateData,
  (v: BlockAndPrivateData): protos.IBlockAndPrivateData => ({
    block: v.block && blockCodec.toWire(v.block),
    privateDataMap: wireUint64Map(v.privateDataMap, txPvtReadWriteSetCodec.toWire),
  }),
  (m: protos.IBlockAndPrivateData): BlockAndPrivateData => ({
    block: m.block ? blockCodec.fromWire(m.block) : undefined,
    privateDataMap: uint64MapOf(m.privateDataMap, txPvtReadWriteSetCodec.fromWire, () => txPvtReadWriteSetCodec.fromWire({})),
  }),
);

export const deliverResponseCodec = messageCodec(
  'protos.DeliverResponse',
  protos.DeliverResponse,
  (v: DeliverResponse): protos.IDeliverResponse => {
    const t = v.type;
    switch (t?.case) {
      case undefined: return {};
      case 'status': return { status: t.value };
      case 'block': return { block: blockCodec.toWire(t.value) };
      case 'filteredBlock': return { filteredBlock: filteredBlockCodec.toWire(t.value) };
      case 'blockAndPrivateData': return { blockAndPrivateData: blockAndPrivateDataCodec.toWire(t.value) };
    }
  },
  (m: protos.IDeliverResponse): DeliverResponse => {
    switch ((m as protos.DeliverResponse).Type) {
      case 'status': return { type: { case: 'status', value: m.status! } };
      case 'block': return { type: { case: 'block', value: blockCodec.fromWire(m.block!) } };
      case 'filteredBlock': return { type: { case: 'filteredBlock', value: filteredBlockCodec.fromWire(m.filteredBlock!) } };
      case 'blockAndPrivateData':
        return { type: { case: 'blockAndPrivateData', value: blockAndPrivateDataCodec.fromWire(m.blockAndPrivateData!) } };
      default: return { type: undefined };
    }
  },
  SaturatingReader,
);

/** A length-delimited field `field` holding `bytes`. */
const embedded = (field: number, bytes: Uint8Array): Uint8Array => new WellFormedWriter().uint32((field << 3) | 2).bytes(bytes).finish();

/**
 * DeliverResponse{block} around a block's encoded bytes, without decoding them: an embedded
 * message is written as its own encoding (field 2, length-delimited), so for the canonical bytes
 * our codec wrote this equals encoding the decoded block again, at the cost of one copy.
 */
export function encodeDeliverBlockBytes(block: Uint8Array): Uint8Array {
  return embedded(2, block);
}

/**
 * DeliverResponse{block_and_private_data} around a block's encoded bytes, the same way: the block
 * is BlockAndPrivateData's field 1, written before the private data map (field 2) as protobuf
 * writers order fields.
 */
export function encodeDeliverBlockAndPrivateDataBytes(block: Uint8Array, privateDataMap: Map<number, TxPvtReadWriteSet>): Uint8Array {
  const map = blockAndPrivateDataCodec.encode({ block: undefined, privateDataMap });
  return embedded(4, Buffer.concat([embedded(1, block), map]));
}

const emptyMessage = (): Record<string, never> => ({});

export const seekNewestCodec = messageCodec(
  'orderer.SeekNewest',
  orderer.SeekNewest,
  (_v: SeekNewest): orderer.ISeekNewest => ({}),
  (_m: orderer.ISeekNewest): SeekNewest => emptyMessage(),
);

export const seekOldestCodec = messageCodec(
  'orderer.SeekOldest',
  orderer.SeekOldest,
  (_v: SeekOldest): orderer.ISeekOldest => ({}),
  (_m: orderer.ISeekOldest): SeekOldest => emptyMessage(),
);

export const seekNextCommitCodec = messageCodec(
  'orderer.SeekNextCommit',
  orderer.SeekNextCommit,
  (_v: SeekNextCommit): orderer.ISeekNextCommit => ({}),
  (_m: orderer.ISeekNextCommit): SeekNextCommit => emptyMessage(),
);

export const seekSpecifiedCodec = messageCodec(
  'orderer.SeekSpecified',
  orderer.SeekSpecified,
  (v: SeekSpecified): orderer.ISeekSpecified => ({ number: num(v.number) }),
  (m: orderer.ISeekSpecified): SeekSpecified => ({ number: int64Of(m.number) }),
  SaturatingReader,
);

export const seekPositionCodec = messageCodec(
  'orderer.SeekPosition',
  orderer.SeekPosition,
  (v: SeekPosition): orderer.ISeekPosition => {
    const t = v.type;
    switch (t?.case) {
      case undefined: return {};
      case 'newest': return { newest: {} };
      case 'oldest': return { oldest: {} };
      case 'specified': return { specified: seekSpecifiedCodec.toWire(t.value) };
      case 'nextCommit': return { nextCommit: {} };
    }
  },
  (m: orderer.ISeekPosition): SeekPosition => {
    switch ((m as orderer.SeekPosition).Type) {
      case 'newest': return { type: { case: 'newest', value: emptyMessage() } };
      case 'oldest': return { type: { case: 'oldest', value: emptyMessage() } };
      case 'specified': return { type: { case: 'specified', value: seekSpecifiedCodec.fromWire(m.specified!) } };
      case 'nextCommit': return { type: { case: 'nextCommit', value: emptyMessage() } };
      default: return { type: undefined };
    }
  },
  SaturatingReader,
);

export const seekInfoCodec = messageCodec(
  'orderer.SeekInfo',
  orderer.SeekInfo,
  (v: SeekInfo): orderer.ISeekInfo => ({
    start: v.start && seekPositionCodec.toWire(v.start),
    stop: v.stop && seekPositionCodec.toWire(v.stop),
    behavior: num(v.behavior),
    errorResponse: num(v.errorResponse),
    contentType: num(v.contentType),
  }),
  (m: orderer.ISeekInfo): SeekInfo => ({
    start: m.start ? seekPositionCodec.fromWire(m.start) : undefined,
    stop: m.stop ? seekPositionCodec.fromWire(m.stop) : undefined,
    behavior: m.behavior ?? 0,
    errorResponse: m.errorResponse ?? 0,
    contentType: m.contentType ?? 0,
  }),
  SaturatingReader,
);

export const broadcastResponseCodec = messageCodec(
  'orderer.BroadcastResponse',
  orderer.BroadcastResponse,
  (v: BroadcastResponse): orderer.IBroadcastResponse => ({ status: num(v.status), info: str(v.info) }),
  (m: orderer.IBroadcastResponse): BroadcastResponse => ({ status: m.status ?? 0, info: m.info ?? '' }),
);

export const ordererDeliverResponseCodec = messageCodec(
  'orderer.DeliverResponse',
  orderer.DeliverResponse,
  (v: OrdererDeliverResponse): orderer.IDeliverResponse => {
    const t = v.type;
    if (t === undefined) return {};
    return t.case === 'status' ? { status: t.value } : { block: blockCodec.toWire(t.value) };
  },
  (m: orderer.IDeliverResponse): OrdererDeliverResponse => {
    switch ((m as orderer.DeliverResponse).Type) {
      case 'status': return { type: { case: 'status', value: m.status! } };
      case 'block': return { type: { case: 'block', value: blockCodec.fromWire(m.block!) } };
      default: return { type: undefined };
    }
  },
  SaturatingReader,
);
