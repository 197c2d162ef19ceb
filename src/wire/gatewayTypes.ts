/**
 * Domain types for the Fabric Gateway service (gateway/gateway.proto, package `gateway`).
 * Conventions: proposalTypes.ts and shapes.ts.
 */
import type { Bytes, ChaincodeEvent, Response, SignedProposal } from '../protocol/messages.js';
import type { SeekPosition } from './deliverTypes.js';
import type { Envelope } from './proposalTypes.js';
import type { Empty } from './shapes.js';

/** gateway.EndorseRequest */
export interface EndorseRequest {
  transactionId: string;
  channelId: string;
  proposedTransaction: SignedProposal | undefined;
  /** MSP ids; empty = let the gateway choose endorsers. */
  endorsingOrganizations: string[];
}

/** gateway.EndorseResponse */
export interface EndorseResponse {
  /** The unsigned transaction envelope for the client to sign. */
  preparedTransaction: Envelope | undefined;
}

/** gateway.SubmitRequest */
export interface SubmitRequest {
  transactionId: string;
  channelId: string;
  preparedTransaction: Envelope | undefined;
}

/** gateway.SubmitResponse (no fields). */
export type SubmitResponse = Empty;

/** gateway.SignedCommitStatusRequest */
export interface SignedCommitStatusRequest {
  /** A serialized CommitStatusRequest (what the signature covers). */
  request: Bytes;
  signature: Bytes;
}

/** gateway.CommitStatusRequest */
export interface CommitStatusRequest {
  transactionId: string;
  channelId: string;
  /** A serialized msp.SerializedIdentity. */
  identity: Bytes;
}

/** gateway.CommitStatusResponse */
export interface CommitStatusResponse {
  /** A TxValidationCode value. */
  result: number;
  /** uint64 */
  blockNumber: number;
}

/** gateway.EvaluateRequest */
export interface EvaluateRequest {
  transactionId: string;
  channelId: string;
  proposedTransaction: SignedProposal | undefined;
  /** MSP ids; empty = any organization. */
  targetOrganizations: string[];
}

/** gateway.EvaluateResponse */
export interface EvaluateResponse {
  result: Response | undefined;
}

/** gateway.SignedChaincodeEventsRequest */
export interface SignedChaincodeEventsRequest {
  /** A serialized ChaincodeEventsRequest (what the signature covers). */
  request: Bytes;
  signature: Bytes;
}

/** gateway.ChaincodeEventsRequest */
export interface ChaincodeEventsRequest {
  channelId: string;
  chaincodeId: string;
  /** A serialized msp.SerializedIdentity. */
  identity: Bytes;
  /** Absent: start with the next block committed. */
  startPosition: SeekPosition | undefined;
  afterTransactionId: string;
}

/** gateway.ChaincodeEventsResponse */
export interface ChaincodeEventsResponse {
  events: ChaincodeEvent[];
  /** uint64 */
  blockNumber: number;
}

/** gateway.ErrorDetail: one endpoint's failure, attached to a gRPC error status. */
export interface ErrorDetail {
  address: string;
  mspId: string;
  message: string;
}

/** gateway.ProposedTransaction */
export interface ProposedTransaction {
  transactionId: string;
  proposal: SignedProposal | undefined;
  endorsingOrganizations: string[];
}

/** gateway.PreparedTransaction */
export interface PreparedTransaction {
  transactionId: string;
  envelope: Envelope | undefined;
}
