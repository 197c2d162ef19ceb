/**
 * Which payload each ChaincodeMessage type carries (docs/protocol.md §5.2), as the codec for it. One table
 * for both directions: decode.ts and encode.ts read it.
 *
 * `null` = the payload stays raw bytes (RESPONSE, ERROR, REGISTERED, KEEPALIVE, UNDEFINED; see
 * src/protocol/messages.ts). GET_STATE_METADATA and GET_PRIVATE_DATA_HASH carry a GetState and
 * PURGE_PRIVATE_DATA a DelState: Fabric declares GetStateMetadata and PurgePrivateState with the
 * same layout.
 */
import type { PayloadByType } from '../protocol/messages.js';
import type { KnownMessageTypeName } from '../protocol/messageType.js';
import {
  chaincodeAdditionalParamsCodec,
  chaincodeIdCodec,
  chaincodeInputCodec,
  chaincodeSpecCodec,
  responseCodec,
} from './chaincodeCodecs.js';
import {
  getHistoryForKeyCodec,
  getQueryResultCodec,
  getStateByRangeCodec,
  queryStateCloseCodec,
  queryStateNextCodec,
} from './queryCodecs.js';
import type { Codec } from './runtime.js';
import {
  delStateCodec,
  getStateCodec,
  getStateMultipleCodec,
  putStateCodec,
  putStateMetadataCodec,
  writeBatchStateCodec,
} from './stateCodecs.js';

export const PAYLOAD_CODECS: { readonly [T in KnownMessageTypeName]: Codec<PayloadByType[T]> | null } = {
  UNDEFINED: null,
  REGISTER: chaincodeIdCodec,
  REGISTERED: null,
  INIT: chaincodeInputCodec,
  READY: chaincodeAdditionalParamsCodec,
  TRANSACTION: chaincodeInputCodec,
  COMPLETED: responseCodec,
  ERROR: null,
  GET_STATE: getStateCodec,
  PUT_STATE: putStateCodec,
  DEL_STATE: delStateCodec,
  INVOKE_CHAINCODE: chaincodeSpecCodec,
  RESPONSE: null,
  GET_STATE_BY_RANGE: getStateByRangeCodec,
  GET_QUERY_RESULT: getQueryResultCodec,
  QUERY_STATE_NEXT: queryStateNextCodec,
  QUERY_STATE_CLOSE: queryStateCloseCodec,
  KEEPALIVE: null,
  GET_HISTORY_FOR_KEY: getHistoryForKeyCodec,
  GET_STATE_METADATA: getStateCodec,
  PUT_STATE_METADATA: putStateMetadataCodec,
  GET_PRIVATE_DATA_HASH: getStateCodec,
  PURGE_PRIVATE_DATA: delStateCodec,
  WRITE_BATCH_STATE: writeBatchStateCodec,
  GET_STATE_MULTIPLE: getStateMultipleCodec,
};
