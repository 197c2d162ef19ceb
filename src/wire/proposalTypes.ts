/**
 * Domain types for the proposal side: what a SignedProposal on INIT/TRANSACTION contains, and the
 * envelope/endorsement wrappers a peer needs to build one (docs/protocol.md §7.3, §16).
 *
 * Same conventions as src/protocol/messages.ts: plain interfaces, camelCase versions of Fabric's
 * field names, proto3 defaults for absent scalars (`''`, `0`, `false`, empty bytes) and `undefined`
 * for an absent sub-message. Fields that Fabric declares as serialized bytes (Proposal.header,
 * Header.channel_header, ...) stay bytes here: they are signed or hashed exactly as received, so
 * they are decoded one level at a time with the matching `decode*` function.
 */
import type { Bytes, ChaincodeId, ChaincodeSpec, Response, Timestamp } from '../protocol/messages.js';
import { enumNames } from './shapes.js';

/** protos.Proposal (the bytes inside SignedProposal.proposalBytes). */
export interface Proposal {
  /** A serialized common.Header. */
  header: Bytes;
  /** A serialized ChaincodeProposalPayload for chaincode proposals. */
  payload: Bytes;
  extension: Bytes;
}

/** common.Header */
export interface Header {
  /** A serialized ChannelHeader. */
  channelHeader: Bytes;
  /** A serialized SignatureHeader. */
  signatureHeader: Bytes;
}

/**
 * common.ChannelHeader. `epoch` is a uint64 on the wire, kept as a JS number (Fabric always sends
 * 0; values above 2^53 would lose precision).
 */
export interface ChannelHeader {
  /** A HeaderType value (any int32 is carried). */
  type: number;
  version: number;
  timestamp: Timestamp | undefined;
  channelId: string;
  txId: string;
  epoch: number;
  /** A serialized ChaincodeHeaderExtension for ENDORSER_TRANSACTION. */
  extension: Bytes;
  tlsCertHash: Bytes;
}

/** common.SignatureHeader */
export interface SignatureHeader {
  /** A serialized msp.SerializedIdentity. */
  creator: Bytes;
  nonce: Bytes;
}

/** msp.SerializedIdentity */
export interface SerializedIdentity {
  mspid: string;
  /** The PEM certificate for X.509 identities. */
  idBytes: Bytes;
}

/** protos.ChaincodeProposalPayload. `transientMap` is Fabric's `TransientMap` map<string, bytes>. */
export interface ChaincodeProposalPayload {
  /** A serialized ChaincodeInvocationSpec. */
  input: Bytes;
  transientMap: Record<string, Bytes>;
}

/** protos.ChaincodeInvocationSpec */
export interface ChaincodeInvocationSpec {
  chaincodeSpec: ChaincodeSpec | undefined;
}

/** protos.ChaincodeHeaderExtension (ChannelHeader.extension of a chaincode proposal). */
export interface ChaincodeHeaderExtension {
  chaincodeId: ChaincodeId | undefined;
}

/** protos.ChaincodeAction (ProposalResponsePayload.extension of an endorsement). */
export interface ChaincodeAction {
  /** A serialized read/write set. */
  results: Bytes;
  /** A serialized ChaincodeEvent (empty when the chaincode set none). */
  events: Bytes;
  response: Response | undefined;
  chaincodeId: ChaincodeId | undefined;
}

/** protos.ProposalResponsePayload */
export interface ProposalResponsePayload {
  proposalHash: Bytes;
  /** A serialized ChaincodeAction for chaincode proposals. */
  extension: Bytes;
}

/** common.Payload (named CommonPayload here to keep "payload" free for ChaincodeMessage payloads). */
export interface CommonPayload {
  header: Header | undefined;
  data: Bytes;
}

/** common.Envelope */
export interface Envelope {
  /** A serialized common.Payload. */
  payload: Bytes;
  signature: Bytes;
}

/** common.HeaderType (7–9 are reserved). */
export const HeaderType = {
  MESSAGE: 0,
  CONFIG: 1,
  CONFIG_UPDATE: 2,
  ENDORSER_TRANSACTION: 3,
  /** Deprecated: unused since the system channel was removed. */
  ORDERER_TRANSACTION: 4,
  DELIVER_SEEK_INFO: 5,
  CHAINCODE_PACKAGE: 6,
} as const;
export type HeaderTypeName = keyof typeof HeaderType;
/** `headerTypeName(3) === 'ENDORSER_TRANSACTION'`; `undefined` for numbers Fabric does not define. */
export const headerTypeName = enumNames(HeaderType);

/** common.Status: the HTTP-like codes also used by convention in Response.status. */
export const Status = {
  UNKNOWN: 0,
  SUCCESS: 200,
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_ENTITY_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type StatusName = keyof typeof Status;
/** `statusName(404) === 'NOT_FOUND'`; `undefined` for numbers Fabric does not define. */
export const statusName = enumNames(Status);

/** protos.MetaDataKeys: StateMetadata.metakey strings Fabric interprets are these names. */
export const MetaDataKeys = {
  VALIDATION_PARAMETER: 0,
  VALIDATION_PARAMETER_V2: 1,
} as const;
export type MetaDataKeyName = keyof typeof MetaDataKeys;

/** protos.ChaincodeSpec.Type (the language; irrelevant on the stream and normally UNDEFINED). */
export const ChaincodeSpecType = {
  UNDEFINED: 0,
  GOLANG: 1,
  NODE: 2,
  CAR: 3,
  JAVA: 4,
} as const;
export type ChaincodeSpecTypeName = keyof typeof ChaincodeSpecType;
