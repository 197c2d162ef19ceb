/**
 * Domain types for block delivery: the peer's deliver service (peer/events.proto) and the seek
 * requests and responses of the ordering service (orderer/ab.proto). Conventions: shapes.ts
 * (oneofs as `{ case, value }`, the private data map as a `Map<number, …>`).
 */
import type { ChaincodeEvent } from '../protocol/messages.js';
import type { Block } from './blockTypes.js';
import type { TxPvtReadWriteSet } from './rwsetTypes.js';
import { enumNames, type Empty, type OneOf } from './shapes.js';

/** protos.FilteredBlock */
export interface FilteredBlock {
  channelId: string;
  /** uint64 */
  number: number;
  filteredTransactions: FilteredTransaction[];
}

/** protos.FilteredTransaction */
export interface FilteredTransaction {
  txid: string;
  /** A HeaderType value. */
  type: number;
  /** A TxValidationCode value. */
  txValidationCode: number;
  /** oneof Data: set for endorser transactions. */
  data: OneOf<'transactionActions', FilteredTransactionActions> | undefined;
}

/** protos.FilteredTransactionActions */
export interface FilteredTransactionActions {
  chaincodeActions: FilteredChaincodeAction[];
}

/** protos.FilteredChaincodeAction */
export interface FilteredChaincodeAction {
  /** The peer leaves the event payload out of filtered blocks. */
  chaincodeEvent: ChaincodeEvent | undefined;
}

/** protos.BlockAndPrivateData */
export interface BlockAndPrivateData {
  block: Block | undefined;
  /** map<uint64, TxPvtReadWriteSet>: key = the transaction's index in the block. */
  privateDataMap: Map<number, TxPvtReadWriteSet>;
}

/** protos.DeliverResponse (the peer's deliver services). */
export interface DeliverResponse {
  /** oneof Type; `status` is a common.Status value and ends the stream. */
  type:
    | OneOf<'status', number>
    | OneOf<'block', Block>
    | OneOf<'filteredBlock', FilteredBlock>
    | OneOf<'blockAndPrivateData', BlockAndPrivateData>
    | undefined;
}

/** orderer.SeekNewest */
export type SeekNewest = Empty;
/** orderer.SeekOldest */
export type SeekOldest = Empty;
/** orderer.SeekNextCommit */
export type SeekNextCommit = Empty;

/** orderer.SeekSpecified */
export interface SeekSpecified {
  /** uint64 block number. */
  number: number;
}

/** orderer.SeekPosition */
export interface SeekPosition {
  /** oneof Type */
  type:
    | OneOf<'newest', SeekNewest>
    | OneOf<'oldest', SeekOldest>
    | OneOf<'specified', SeekSpecified>
    | OneOf<'nextCommit', SeekNextCommit>
    | undefined;
}

/** orderer.SeekInfo: CommonPayload.data of a DELIVER_SEEK_INFO envelope. */
export interface SeekInfo {
  start: SeekPosition | undefined;
  stop: SeekPosition | undefined;
  /** A SeekBehavior value. */
  behavior: number;
  /** A SeekErrorResponse value. */
  errorResponse: number;
  /** A SeekContentType value. */
  contentType: number;
}

/** orderer.SeekInfo.SeekBehavior */
export const SeekBehavior = {
  BLOCK_UNTIL_READY: 0,
  FAIL_IF_NOT_READY: 1,
} as const;
export type SeekBehaviorName = keyof typeof SeekBehavior;
export const seekBehaviorName = enumNames(SeekBehavior);

/** orderer.SeekInfo.SeekErrorResponse */
export const SeekErrorResponse = {
  STRICT: 0,
  BEST_EFFORT: 1,
} as const;
export type SeekErrorResponseName = keyof typeof SeekErrorResponse;
export const seekErrorResponseName = enumNames(SeekErrorResponse);

/** orderer.SeekInfo.SeekContentType */
export const SeekContentType = {
  BLOCK: 0,
  HEADER_WITH_SIG: 1,
} as const;
export type SeekContentTypeName = keyof typeof SeekContentType;
export const seekContentTypeName = enumNames(SeekContentType);

/** orderer.BroadcastResponse */
export interface BroadcastResponse {
  /** A common.Status value. */
  status: number;
  info: string;
}

/** orderer.DeliverResponse (named apart from the peer's DeliverResponse). */
export interface OrdererDeliverResponse {
  /** oneof Type */
  type: OneOf<'status', number> | OneOf<'block', Block> | undefined;
}
