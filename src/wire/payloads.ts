/**
 * Encode/decode for every payload and nested message the runtimes need, as plain functions:
 * `encodeX(value: X): Uint8Array` and `decodeX(bytes): DecodeOutcome<X>` (never throws).
 *
 * The codecs live by family: chaincodeCodecs.ts (identity, input, spec, READY params, Response,
 * event, timestamp), stateCodecs.ts (state requests and results), queryCodecs.ts (iterators and
 * query records), proposalCodecs.ts (SignedProposal and what is nested in it, endorsement and
 * transaction wrappers). A nested ChaincodeMessage (the RESPONSE to INVOKE_CHAINCODE) is just
 * `encodeMessage` / `decodeMessage`.
 */
import * as cc from './chaincodeCodecs.js';
import * as pr from './proposalCodecs.js';
import * as qr from './queryCodecs.js';
import type { UntypedCodec } from './runtime.js';
import * as st from './stateCodecs.js';

export type { Codec, DecodeOutcome, UntypedCodec } from './runtime.js';

// chaincode.proto, chaincode_event.proto, Response, Timestamp
export const encodeTimestamp = cc.timestampCodec.encode;
export const decodeTimestamp = cc.timestampCodec.decode;
export const encodeChaincodeId = cc.chaincodeIdCodec.encode;
export const decodeChaincodeId = cc.chaincodeIdCodec.decode;
export const encodeChaincodeInput = cc.chaincodeInputCodec.encode;
export const decodeChaincodeInput = cc.chaincodeInputCodec.decode;
export const encodeChaincodeSpec = cc.chaincodeSpecCodec.encode;
export const decodeChaincodeSpec = cc.chaincodeSpecCodec.decode;
export const encodeChaincodeAdditionalParams = cc.chaincodeAdditionalParamsCodec.encode;
export const decodeChaincodeAdditionalParams = cc.chaincodeAdditionalParamsCodec.decode;
export const encodeResponse = cc.responseCodec.encode;
export const decodeResponse = cc.responseCodec.decode;
export const encodeChaincodeEvent = cc.chaincodeEventCodec.encode;
export const decodeChaincodeEvent = cc.chaincodeEventCodec.decode;

// chaincode_shim.proto: state
export const encodeGetState = st.getStateCodec.encode;
export const decodeGetState = st.getStateCodec.decode;
export const encodeGetStateMultiple = st.getStateMultipleCodec.encode;
export const decodeGetStateMultiple = st.getStateMultipleCodec.decode;
export const encodeGetStateMultipleResult = st.getStateMultipleResultCodec.encode;
export const decodeGetStateMultipleResult = st.getStateMultipleResultCodec.decode;
export const encodePutState = st.putStateCodec.encode;
export const decodePutState = st.putStateCodec.decode;
export const encodePutStateMetadata = st.putStateMetadataCodec.encode;
export const decodePutStateMetadata = st.putStateMetadataCodec.decode;
export const encodeStateMetadata = st.stateMetadataCodec.encode;
export const decodeStateMetadata = st.stateMetadataCodec.decode;
export const encodeStateMetadataResult = st.stateMetadataResultCodec.encode;
export const decodeStateMetadataResult = st.stateMetadataResultCodec.decode;
export const encodeDelState = st.delStateCodec.encode;
export const decodeDelState = st.delStateCodec.decode;
// Same wire layout as GetState / DelState (chaincode_shim.proto declares them separately).
export const encodeGetStateMetadata = encodeGetState;
export const decodeGetStateMetadata = decodeGetState;
export const encodePurgePrivateState = encodeDelState;
export const decodePurgePrivateState = decodeDelState;
export const encodeWriteRecord = st.writeRecordCodec.encode;
export const decodeWriteRecord = st.writeRecordCodec.decode;
export const encodeWriteBatchState = st.writeBatchStateCodec.encode;
export const decodeWriteBatchState = st.writeBatchStateCodec.decode;

// chaincode_shim.proto: iterators; kv_query_result.proto
export const encodeGetStateByRange = qr.getStateByRangeCodec.encode;
export const decodeGetStateByRange = qr.getStateByRangeCodec.decode;
export const encodeGetQueryResult = qr.getQueryResultCodec.encode;
export const decodeGetQueryResult = qr.getQueryResultCodec.decode;
export const encodeQueryMetadata = qr.queryMetadataCodec.encode;
export const decodeQueryMetadata = qr.queryMetadataCodec.decode;
export const encodeGetHistoryForKey = qr.getHistoryForKeyCodec.encode;
export const decodeGetHistoryForKey = qr.getHistoryForKeyCodec.decode;
export const encodeQueryStateNext = qr.queryStateNextCodec.encode;
export const decodeQueryStateNext = qr.queryStateNextCodec.decode;
export const encodeQueryStateClose = qr.queryStateCloseCodec.encode;
export const decodeQueryStateClose = qr.queryStateCloseCodec.decode;
export const encodeQueryResponse = qr.queryResponseCodec.encode;
export const decodeQueryResponse = qr.queryResponseCodec.decode;
export const encodeQueryResponseMetadata = qr.queryResponseMetadataCodec.encode;
export const decodeQueryResponseMetadata = qr.queryResponseMetadataCodec.decode;
export const encodeKV = qr.kvCodec.encode;
export const decodeKV = qr.kvCodec.decode;
export const encodeKeyModification = qr.keyModificationCodec.encode;
export const decodeKeyModification = qr.keyModificationCodec.decode;

// proposal.proto, proposal_response.proto, common.proto, identities.proto
export const encodeSignedProposal = pr.signedProposalCodec.encode;
export const decodeSignedProposal = pr.signedProposalCodec.decode;
export const encodeProposal = pr.proposalCodec.encode;
export const decodeProposal = pr.proposalCodec.decode;
export const encodeHeader = pr.headerCodec.encode;
export const decodeHeader = pr.headerCodec.decode;
export const encodeChannelHeader = pr.channelHeaderCodec.encode;
export const decodeChannelHeader = pr.channelHeaderCodec.decode;
export const encodeSignatureHeader = pr.signatureHeaderCodec.encode;
export const decodeSignatureHeader = pr.signatureHeaderCodec.decode;
export const encodeSerializedIdentity = pr.serializedIdentityCodec.encode;
export const decodeSerializedIdentity = pr.serializedIdentityCodec.decode;
export const encodeChaincodeProposalPayload = pr.chaincodeProposalPayloadCodec.encode;
export const decodeChaincodeProposalPayload = pr.chaincodeProposalPayloadCodec.decode;
export const encodeChaincodeInvocationSpec = pr.chaincodeInvocationSpecCodec.encode;
export const decodeChaincodeInvocationSpec = pr.chaincodeInvocationSpecCodec.decode;
export const encodeChaincodeHeaderExtension = pr.chaincodeHeaderExtensionCodec.encode;
export const decodeChaincodeHeaderExtension = pr.chaincodeHeaderExtensionCodec.decode;
export const encodeChaincodeAction = pr.chaincodeActionCodec.encode;
export const decodeChaincodeAction = pr.chaincodeActionCodec.decode;
export const encodeProposalResponsePayload = pr.proposalResponsePayloadCodec.encode;
export const decodeProposalResponsePayload = pr.proposalResponsePayloadCodec.decode;
export const encodeCommonPayload = pr.commonPayloadCodec.encode;
export const decodeCommonPayload = pr.commonPayloadCodec.decode;
export const encodeEnvelope = pr.envelopeCodec.encode;
export const decodeEnvelope = pr.envelopeCodec.decode;

/**
 * Every payload codec by full proto name, for code that handles messages generically (fuzzing,
 * tracing). Typed loosely on purpose; use the named functions above for typed access.
 */
export const payloadCodecs: Readonly<Record<string, UntypedCodec>> = Object.freeze({
  'google.protobuf.Timestamp': cc.timestampCodec,
  'protos.ChaincodeID': cc.chaincodeIdCodec,
  'protos.ChaincodeInput': cc.chaincodeInputCodec,
  'protos.ChaincodeSpec': cc.chaincodeSpecCodec,
  'protos.ChaincodeAdditionalParams': cc.chaincodeAdditionalParamsCodec,
  'protos.Response': cc.responseCodec,
  'protos.ChaincodeEvent': cc.chaincodeEventCodec,
  'protos.GetState': st.getStateCodec,
  'protos.GetStateMultiple': st.getStateMultipleCodec,
  'protos.GetStateMultipleResult': st.getStateMultipleResultCodec,
  'protos.PutState': st.putStateCodec,
  'protos.PutStateMetadata': st.putStateMetadataCodec,
  'protos.StateMetadata': st.stateMetadataCodec,
  'protos.StateMetadataResult': st.stateMetadataResultCodec,
  'protos.DelState': st.delStateCodec,
  'protos.WriteRecord': st.writeRecordCodec,
  'protos.WriteBatchState': st.writeBatchStateCodec,
  'protos.GetStateByRange': qr.getStateByRangeCodec,
  'protos.GetQueryResult': qr.getQueryResultCodec,
  'protos.QueryMetadata': qr.queryMetadataCodec,
  'protos.GetHistoryForKey': qr.getHistoryForKeyCodec,
  'protos.QueryStateNext': qr.queryStateNextCodec,
  'protos.QueryStateClose': qr.queryStateCloseCodec,
  'protos.QueryResponse': qr.queryResponseCodec,
  'protos.QueryResponseMetadata': qr.queryResponseMetadataCodec,
  'queryresult.KV': qr.kvCodec,
  'queryresult.KeyModification': qr.keyModificationCodec,
  'protos.SignedProposal': pr.signedProposalCodec,
  'protos.Proposal': pr.proposalCodec,
  'common.Header': pr.headerCodec,
  'common.ChannelHeader': pr.channelHeaderCodec,
  'common.SignatureHeader': pr.signatureHeaderCodec,
  'msp.SerializedIdentity': pr.serializedIdentityCodec,
  'protos.ChaincodeProposalPayload': pr.chaincodeProposalPayloadCodec,
  'protos.ChaincodeInvocationSpec': pr.chaincodeInvocationSpecCodec,
  'protos.ChaincodeHeaderExtension': pr.chaincodeHeaderExtensionCodec,
  'protos.ChaincodeAction': pr.chaincodeActionCodec,
  'protos.ProposalResponsePayload': pr.proposalResponsePayloadCodec,
  'common.Payload': pr.commonPayloadCodec,
  'common.Envelope': pr.envelopeCodec,
});
