/**
 * Domain messages: what the pure core sees instead of protobufjs objects.
 *
 * A `Message` is a discriminated union on `type` (the `ChaincodeMessage.Type` enum name). Payloads
 * are decoded into the plain interfaces below wherever the type alone says what the payload is
 * (docs/protocol.md §5, §8.2, §16). Three payloads stay raw bytes on purpose:
 *   - RESPONSE: its layout depends on the request it answers, which only the requester knows;
 *   - ERROR: UTF-8 text in practice, but fabric-shim echoes arbitrary payloads back in ERROR
 *     messages, so the bytes are kept exactly (see `errorText`);
 *   - REGISTERED / KEEPALIVE / UNDEFINED / UNKNOWN: normally empty, kept for fidelity.
 *
 * All fields follow proto3 defaults: absent scalars are `''`, `0`, `false` or empty bytes; an absent
 * sub-message is `undefined`. Field names are camelCase versions of Fabric's; numbers are in `protos/`.
 */
import type { KnownMessageTypeName } from './messageType.js';

export type Bytes = Uint8Array;

/** google.protobuf.Timestamp. `seconds` is an int64 on the wire, kept as a JS number (safe to year 285 million). */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

/** protos.ChaincodeID */
export interface ChaincodeId {
  path: string;
  name: string;
  version: string;
}

/** protos.ChaincodeInput */
export interface ChaincodeInput {
  args: Bytes[];
  decorations: Record<string, Bytes>;
  isInit: boolean;
}

/** protos.SignedProposal (the client's proposal, forwarded untouched on INIT/TRANSACTION). */
export interface SignedProposal {
  proposalBytes: Bytes;
  signature: Bytes;
}

/** protos.ChaincodeEvent */
export interface ChaincodeEvent {
  chaincodeId: string;
  txId: string;
  eventName: string;
  payload: Bytes;
}

/** protos.Response (the COMPLETED payload and the chaincode result). */
export interface Response {
  status: number;
  message: string;
  payload: Bytes;
}

/** protos.ChaincodeAdditionalParams, the READY payload of Fabric >= 3.1 (all zero for older peers). */
export interface ChaincodeAdditionalParams {
  useWriteBatch: boolean;
  maxSizeWriteBatch: number;
  useGetMultipleKeys: boolean;
  maxSizeGetMultipleKeys: number;
}

/** protos.StateMetadata */
export interface StateMetadata {
  metakey: string;
  value: Bytes;
}

/** protos.GetState; also the payload of GET_STATE_METADATA and GET_PRIVATE_DATA_HASH. */
export interface GetState {
  key: string;
  collection: string;
}
export type GetStateMetadata = GetState;

/** protos.GetStateMultiple (Fabric >= 3.1) */
export interface GetStateMultiple {
  keys: string[];
  collection: string;
}

/** protos.PutState */
export interface PutState {
  key: string;
  value: Bytes;
  collection: string;
}

/** protos.PutStateMetadata. `metadata` may be absent on the wire (Fabric then panics, docs/protocol.md §17.8). */
export interface PutStateMetadata {
  key: string;
  collection: string;
  metadata: StateMetadata | undefined;
}

/** protos.DelState; also the wire layout of PURGE_PRIVATE_DATA (protos.PurgePrivateState). */
export interface DelState {
  key: string;
  collection: string;
}
export type PurgePrivateState = DelState;

/** protos.WriteRecord.Type: the numbers mirror the message types. */
export const WriteRecordType = {
  UNDEFINED: 0,
  PUT_STATE: 9,
  DEL_STATE: 10,
  PUT_STATE_METADATA: 21,
  PURGE_PRIVATE_DATA: 23,
} as const;
export type WriteRecordTypeName = keyof typeof WriteRecordType;

/** protos.WriteRecord. `type` is the wire number (unknown numbers are kept so the peer can refuse them). */
export interface WriteRecord {
  key: string;
  value: Bytes;
  collection: string;
  metadata: StateMetadata | undefined;
  type: number;
}

/** protos.WriteBatchState (Fabric >= 3.1) */
export interface WriteBatchState {
  records: WriteRecord[];
}

/** protos.GetStateByRange. `metadata` is a marshalled QueryMetadata (empty = not paginated). */
export interface GetStateByRange {
  startKey: string;
  endKey: string;
  collection: string;
  metadata: Bytes;
}

/** protos.GetQueryResult. `metadata` is a marshalled QueryMetadata (empty = not paginated). */
export interface GetQueryResult {
  query: string;
  collection: string;
  metadata: Bytes;
}

/** protos.QueryMetadata */
export interface QueryMetadata {
  pageSize: number;
  bookmark: string;
}

/** protos.GetHistoryForKey */
export interface GetHistoryForKey {
  key: string;
}

/** protos.QueryStateNext / protos.QueryStateClose */
export interface QueryStateNext {
  id: string;
}
export type QueryStateClose = QueryStateNext;

/** protos.ChaincodeSpec (the INVOKE_CHAINCODE payload). */
export interface ChaincodeSpec {
  type: number;
  chaincodeId: ChaincodeId | undefined;
  input: ChaincodeInput | undefined;
  timeout: number;
}

/** protos.QueryResponse. Each result is a marshalled queryresult.KV or queryresult.KeyModification. */
export interface QueryResponse {
  results: Bytes[];
  hasMore: boolean;
  id: string;
  metadata: Bytes;
}

/** protos.QueryResponseMetadata */
export interface QueryResponseMetadata {
  fetchedRecordsCount: number;
  bookmark: string;
}

/** queryresult.KV */
export interface KV {
  namespace: string;
  key: string;
  value: Bytes;
}

/** queryresult.KeyModification */
export interface KeyModification {
  txId: string;
  value: Bytes;
  timestamp: Timestamp | undefined;
  isDelete: boolean;
}

/** protos.StateMetadataResult */
export interface StateMetadataResult {
  entries: StateMetadata[];
}

/** protos.GetStateMultipleResult */
export interface GetStateMultipleResult {
  values: Bytes[];
}

/** The payload type carried by each message type. */
export interface PayloadByType {
  UNDEFINED: Bytes;
  REGISTER: ChaincodeId;
  REGISTERED: Bytes;
  INIT: ChaincodeInput;
  READY: ChaincodeAdditionalParams;
  TRANSACTION: ChaincodeInput;
  COMPLETED: Response;
  ERROR: Bytes;
  GET_STATE: GetState;
  PUT_STATE: PutState;
  DEL_STATE: DelState;
  INVOKE_CHAINCODE: ChaincodeSpec;
  RESPONSE: Bytes;
  GET_STATE_BY_RANGE: GetStateByRange;
  GET_QUERY_RESULT: GetQueryResult;
  QUERY_STATE_NEXT: QueryStateNext;
  QUERY_STATE_CLOSE: QueryStateClose;
  KEEPALIVE: Bytes;
  GET_HISTORY_FOR_KEY: GetHistoryForKey;
  GET_STATE_METADATA: GetStateMetadata;
  PUT_STATE_METADATA: PutStateMetadata;
  GET_PRIVATE_DATA_HASH: GetState;
  PURGE_PRIVATE_DATA: PurgePrivateState;
  WRITE_BATCH_STATE: WriteBatchState;
  GET_STATE_MULTIPLE: GetStateMultiple;
}

/** Envelope fields shared by every message (protos.ChaincodeMessage fields 2, 4, 5, 6, 7). */
export interface EnvelopeFields {
  txid: string;
  channelId: string;
  /** Field 2: never set by Fabric or the shims; kept only so that bytes round-trip exactly. */
  timestamp?: Timestamp | undefined;
  /** Field 5: only on INIT/TRANSACTION. */
  proposal?: SignedProposal | undefined;
  /** Field 6: only on COMPLETED/ERROR from the chaincode. */
  chaincodeEvent?: ChaincodeEvent | undefined;
}

export type MessageOf<T extends KnownMessageTypeName> = EnvelopeFields & { type: T; payload: PayloadByType[T] };

/** A message whose type number Fabric does not define (e.g. 12 or 99). */
export interface UnknownMessage extends EnvelopeFields {
  type: 'UNKNOWN';
  code: number;
  payload: Bytes;
}

export type KnownMessage = { [T in KnownMessageTypeName]: MessageOf<T> }[KnownMessageTypeName];
export type Message = KnownMessage | UnknownMessage;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8enc = new TextEncoder();

/** The text of an ERROR payload (lossy for non-UTF-8 bytes, which only a misbehaving sender produces). */
export function errorText(payload: Bytes): string {
  return utf8.decode(payload);
}

export function utf8Bytes(s: string): Bytes {
  return utf8enc.encode(s);
}

export const EMPTY_BYTES: Bytes = new Uint8Array(0);

export const NO_ADDITIONAL_PARAMS: ChaincodeAdditionalParams = Object.freeze({
  useWriteBatch: false,
  maxSizeWriteBatch: 0,
  useGetMultipleKeys: false,
  maxSizeGetMultipleKeys: 0,
});

/**
 * Fabric 3.1's sample core.yaml advertises both features with limits of 1000
 * (chaincode.runtimeParams; fabric core/chaincode/config.go).
 */
export const FABRIC_31_READY_PARAMS: ChaincodeAdditionalParams = Object.freeze({
  useWriteBatch: true,
  maxSizeWriteBatch: 1000,
  useGetMultipleKeys: true,
  maxSizeGetMultipleKeys: 1000,
});

/**
 * What decoding untrusted bytes yields: a message, or a description of what was wrong. Decoding
 * never throws. `scope: 'envelope'` means the ChaincodeMessage itself did not parse (nothing about
 * it can be trusted: a connection-level problem); `scope: 'payload'` means the envelope parsed but
 * the payload its type calls for did not (a transaction-level problem: txid and channel are known).
 */
export interface Malformed {
  scope: 'envelope' | 'payload';
  /** Type name when the envelope parsed. */
  type?: import('./messageType.js').MessageTypeName;
  /** Raw type number when the envelope parsed. */
  code?: number;
  txid: string;
  channelId: string;
  /** Human-readable cause, e.g. `PutState: index out of range: 7 + 10 > 12`. */
  reason: string;
}

export type DecodeResult = { ok: true; message: Message } | { ok: false; malformed: Malformed };
