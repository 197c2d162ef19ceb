/**
 * Codecs for the Fabric Gateway service messages (fabric-protos gateway/gateway.proto).
 * The signed requests (SignedCommitStatusRequest, SignedChaincodeEventsRequest) keep the request
 * as bytes, exactly as signed; decode it with the matching codec.
 */
import type { SignedProposal } from '../protocol/messages.js';
import { chaincodeEventCodec, responseCodec } from './chaincodeCodecs.js';
import { seekPositionCodec } from './deliverCodecs.js';
import type {
  ChaincodeEventsRequest,
  ChaincodeEventsResponse,
  CommitStatusRequest,
  CommitStatusResponse,
  EndorseRequest,
  EndorseResponse,
  ErrorDetail,
  EvaluateRequest,
  EvaluateResponse,
  PreparedTransaction,
  ProposedTransaction,
  SignedChaincodeEventsRequest,
  SignedCommitStatusRequest,
  SubmitRequest,
  SubmitResponse,
} from './gatewayTypes.js';
import { gateway } from './generated/protos.js';
import { envelopeCodec, signedProposalCodec } from './proposalCodecs.js';
import { bin, bytesOf, int64Of, list, messageCodec, num, str } from './runtime.js';
import { listOf, wireList } from './shapes.js';

const proposalToWire = (p: SignedProposal | undefined) => p && signedProposalCodec.toWire(p);

export const endorseRequestCodec = messageCodec(
  'gateway.EndorseRequest',
  gateway.EndorseRequest,
  (v: EndorseRequest): gateway.IEndorseRequest => ({
    transactionId: str(v.transactionId),
    channelId: str(v.channelId),
    proposedTransaction: proposalToWire(v.proposedTransaction),
    endorsingOrganizations: list(v.endorsingOrganizations),
  }),
  (m: gateway.IEndorseRequest): EndorseRequest => ({
    transactionId: m.transactionId ?? '',
    channelId: m.channelId ?? '',
    proposedTransaction: m.proposedTransaction ? signedProposalCodec.fromWire(m.proposedTransaction) : undefined,
    endorsingOrganizations: m.endorsingOrganizations ?? [],
  }),
);

export const endorseResponseCodec = messageCodec(
  'gateway.EndorseResponse',
  gateway.EndorseResponse,
  (v: EndorseResponse): gateway.IEndorseResponse => ({
    preparedTransaction: v.preparedTransaction && envelopeCodec.toWire(v.preparedTransaction),
  }),
  (m: gateway.IEndorseResponse): EndorseResponse => ({
    preparedTransaction: m.preparedTransaction ? envelopeCodec.fromWire(m.preparedTransaction) : undefined,
  }),
);

export const submitRequestCodec = messageCodec(
  'gateway.SubmitRequest',
  gateway.SubmitRequest,
  (v: SubmitRequest): gateway.ISubmitRequest => ({
    transactionId: str(v.transactionId),
    channelId: str(v.channelId),
    preparedTransaction: v.preparedTransaction && envelopeCodec.toWire(v.preparedTransaction),
  }),
  (m: gateway.ISubmitRequest): SubmitRequest => ({
    transactionId: m.transactionId ?? '',
    channelId: m.channelId ?? '',
    preparedTransaction: m.preparedTransaction ? envelopeCodec.fromWire(m.preparedTransaction) : undefined,
  }),
);

export const submitResponseCodec = messageCodec(
  'gateway.SubmitResponse',
  gateway.SubmitResponse,
  (_v: SubmitResponse): gateway.ISubmitResponse => ({}),
  (_m: gateway.ISubmitResponse): SubmitResponse => ({}),
);

export const signedCommitStatusRequestCodec = messageCodec(
  'gateway.SignedCommitStatusRequest',
  gateway.SignedCommitStatusRequest,
  (v: SignedCommitStatusRequest): gateway.ISignedCommitStatusRequest => ({ request: bin(v.request), signature: bin(v.signature) }),
  (m: gateway.ISignedCommitStatusRequest): SignedCommitStatusRequest => ({
    request: bytesOf(m.request),
    signature: bytesOf(m.signature),
  }),
);

export const commitStatusRequestCodec = messageCodec(
  'gateway.CommitStatusRequest',
  gateway.CommitStatusRequest,
  (v: CommitStatusRequest): gateway.ICommitStatusRequest => ({
    transactionId: str(v.transactionId),
    channelId: str(v.channelId),
    identity: bin(v.identity),
  }),
  (m: gateway.ICommitStatusRequest): CommitStatusRequest => ({
    transactionId: m.transactionId ?? '',
    channelId: m.channelId ?? '',
    identity: bytesOf(m.identity),
  }),
);

export const commitStatusResponseCodec = messageCodec(
  'gateway.CommitStatusResponse',
  gateway.CommitStatusResponse,
  (v: CommitStatusResponse): gateway.ICommitStatusResponse => ({ result: num(v.result), blockNumber: num(v.blockNumber) }),
  (m: gateway.ICommitStatusResponse): CommitStatusResponse => ({
    result: m.result ?? 0,
    blockNumber: int64Of(m.blockNumber),
  }),
);

export const evaluateRequestCodec = messageCodec(
  'gateway.EvaluateRequest',
  gateway.EvaluateRequest,
  (v: EvaluateRequest): gateway.IEvaluateRequest => ({
    transactionId: str(v.transactionId),
    channelId: str(v.channelId),
    proposedTransaction: proposalToWire(v.proposedTransaction),
    targetOrganizations: list(v.targetOrganizations),
  }),
  (m: gateway.IEvaluateRequest): EvaluateRequest => ({
    transactionId: m.transactionId ?? '',
    channelId: m.channelId ?? '',
    proposedTransaction: m.proposedTransaction ? signedProposalCodec.fromWire(m.proposedTransaction) : undefined,
    targetOrganizations: m.targetOrganizations ?? [],
  }),
);

export const evaluateResponseCodec = messageCodec(
  'gateway.EvaluateResponse',
  gateway.EvaluateResponse,
  (v: EvaluateResponse): gateway.IEvaluateResponse => ({ result: v.result && responseCodec.toWire(v.result) }),
  (m: gateway.IEvaluateResponse): EvaluateResponse => ({
    result: m.result ? responseCodec.fromWire(m.result) : undefined,
  }),
);

export const signedChaincodeEventsRequestCodec = messageCodec(
  'gateway.SignedChaincodeEventsRequest',
  gateway.SignedChaincodeEventsRequest,
  (v: SignedChaincodeEventsRequest): gateway.ISignedChaincodeEventsRequest => ({
    request: bin(v.request),
    signature: bin(v.signature),
  }),
  (m: gateway.ISignedChaincodeEventsRequest): SignedChaincodeEventsRequest => ({
    request: bytesOf(m.request),
    signature: bytesOf(m.signature),
  }),
);

export const chaincodeEventsRequestCodec = messageCodec(
  'gateway.ChaincodeEventsRequest',
  gateway.ChaincodeEventsRequest,
  (v: ChaincodeEventsRequest): gateway.IChaincodeEventsRequest => ({
    channelId: str(v.channelId),
    chaincodeId: str(v.chaincodeId),
    identity: bin(v.identity),
    startPosition: v.startPosition && seekPositionCodec.toWire(v.startPosition),
    afterTransactionId: str(v.afterTransactionId),
  }),
  (m: gateway.IChaincodeEventsRequest): ChaincodeEventsRequest => ({
    channelId: m.channelId ?? '',
    chaincodeId: m.chaincodeId ?? '',
    identity: bytesOf(m.identity),
    startPosition: m.startPosition ? seekPositionCodec.fromWire(m.startPosition) : undefined,
    afterTransactionId: m.afterTransactionId ?? '',
  }),
);

export const chaincodeEventsResponseCodec = messageCodec(
  'gateway.ChaincodeEventsResponse',
  gateway.ChaincodeEventsResponse,
  (v: ChaincodeEventsResponse): gateway.IChaincodeEventsResponse => ({
    events: wireList(v.events, chaincodeEventCodec.toWire),
    blockNumber: num(v.blockNumber),
  }),
  (m: gateway.IChaincodeEventsResponse): ChaincodeEventsResponse => ({
    events: listOf(m.events, chaincodeEventCodec.fromWire),
    blockNumber: int64Of(m.blockNumber),
  }),
);

export const errorDetailCodec = messageCodec(
  'gateway.ErrorDetail',
  gateway.ErrorDetail,
  (v: ErrorDetail): gateway.IErrorDetail => ({ address: str(v.address), mspId: str(v.mspId), message: str(v.message) }),
  (m: gateway.IErrorDetail): ErrorDetail => ({ address: m.address ?? '', mspId: m.mspId ?? '', message: m.message ?? '' }),
);

export const proposedTransactionCodec = messageCodec(
  'gateway.ProposedTransaction',
  gateway.ProposedTransaction,
  (v: ProposedTransaction): gateway.IProposedTransaction => ({
    transactionId: str(v.transactionId),
    proposal: proposalToWire(v.proposal),
    endorsingOrganizations: list(v.endorsingOrganizations),
  }),
  (m: gateway.IProposedTransaction): ProposedTransaction => ({
    transactionId: m.transactionId ?? '',
    proposal: m.proposal ? signedProposalCodec.fromWire(m.proposal) : undefined,
    endorsingOrganizations: m.endorsingOrganizations ?? [],
  }),
);

export const preparedTransactionCodec = messageCodec(
  'gateway.PreparedTransaction',
  gateway.PreparedTransaction,
  (v: PreparedTransaction): gateway.IPreparedTransaction => ({
    transactionId: str(v.transactionId),
    envelope: v.envelope && envelopeCodec.toWire(v.envelope),
  }),
  (m: gateway.IPreparedTransaction): PreparedTransaction => ({
    transactionId: m.transactionId ?? '',
    envelope: m.envelope ? envelopeCodec.fromWire(m.envelope) : undefined,
  }),
);
