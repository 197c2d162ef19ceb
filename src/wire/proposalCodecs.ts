/**
 * Codecs for the proposal side: the SignedProposal carried on INIT/TRANSACTION, everything nested
 * inside it, and the endorsement/transaction wrappers (fabric-protos peer/proposal.proto,
 * peer/proposal_response.proto, common/common.proto, msp/identities.proto).
 *
 * Each codec handles one level. Fields that Fabric declares as serialized bytes stay bytes (they are
 * signed or hashed exactly as sent); decode them with the codec named in the field's comment.
 */
import type { SignedProposal } from '../protocol/messages.js';
import { chaincodeIdCodec, bytesMap, chaincodeSpecCodec, responseCodec, timestampCodec } from './chaincodeCodecs.js';
import { common, msp, protos } from './generated/protos.js';
import type {
  ChaincodeAction,
  ChaincodeHeaderExtension,
  ChaincodeInvocationSpec,
  ChaincodeProposalPayload,
  ChannelHeader,
  CommonPayload,
  Envelope,
  Header,
  Proposal,
  ProposalResponsePayload,
  SerializedIdentity,
  SignatureHeader,
} from './proposalTypes.js';
import { bin, bytesOf, int64Of, messageCodec, num, str } from './runtime.js';

export const signedProposalCodec = messageCodec(
  'protos.SignedProposal',
  protos.SignedProposal,
  (v: SignedProposal): protos.ISignedProposal => ({
    proposalBytes: bin(v.proposalBytes),
    signature: bin(v.signature),
  }),
  (m: protos.ISignedProposal): SignedProposal => ({
    proposalBytes: bytesOf(m.proposalBytes),
    signature: bytesOf(m.signature),
  }),
);

export const proposalCodec = messageCodec(
  'protos.Proposal',
  protos.Proposal,
  (v: Proposal): protos.IProposal => ({
    header: bin(v.header),
    payload: bin(v.payload),
    extension: bin(v.extension),
  }),
  (m: protos.IProposal): Proposal => ({
    header: bytesOf(m.header),
    payload: bytesOf(m.payload),
    extension: bytesOf(m.extension),
  }),
);

export const headerCodec = messageCodec(
  'common.Header',
  common.Header,
  (v: Header): common.IHeader => ({
    channelHeader: bin(v.channelHeader),
    signatureHeader: bin(v.signatureHeader),
  }),
  (m: common.IHeader): Header => ({
    channelHeader: bytesOf(m.channelHeader),
    signatureHeader: bytesOf(m.signatureHeader),
  }),
);

export const channelHeaderCodec = messageCodec(
  'common.ChannelHeader',
  common.ChannelHeader,
  (v: ChannelHeader): common.IChannelHeader => ({
    type: num(v.type),
    version: num(v.version),
    timestamp: v.timestamp && timestampCodec.toWire(v.timestamp),
    channelId: str(v.channelId),
    txId: str(v.txId),
    epoch: num(v.epoch),
    extension: bin(v.extension),
    tlsCertHash: bin(v.tlsCertHash),
  }),
  (m: common.IChannelHeader): ChannelHeader => ({
    type: m.type ?? 0,
    version: m.version ?? 0,
    timestamp: m.timestamp ? timestampCodec.fromWire(m.timestamp) : undefined,
    channelId: m.channelId ?? '',
    txId: m.txId ?? '',
    epoch: int64Of(m.epoch),
    extension: bytesOf(m.extension),
    tlsCertHash: bytesOf(m.tlsCertHash),
  }),
);

export const signatureHeaderCodec = messageCodec(
  'common.SignatureHeader',
  common.SignatureHeader,
  (v: SignatureHeader): common.ISignatureHeader => ({ creator: bin(v.creator), nonce: bin(v.nonce) }),
  (m: common.ISignatureHeader): SignatureHeader => ({ creator: bytesOf(m.creator), nonce: bytesOf(m.nonce) }),
);

export const serializedIdentityCodec = messageCodec(
  'msp.SerializedIdentity',
  msp.SerializedIdentity,
  (v: SerializedIdentity): msp.ISerializedIdentity => ({ mspid: str(v.mspid), idBytes: bin(v.idBytes) }),
  (m: msp.ISerializedIdentity): SerializedIdentity => ({ mspid: m.mspid ?? '', idBytes: bytesOf(m.idBytes) }),
);

export const chaincodeProposalPayloadCodec = messageCodec(
  'protos.ChaincodeProposalPayload',
  protos.ChaincodeProposalPayload,
  (v: ChaincodeProposalPayload): protos.IChaincodeProposalPayload => ({
    input: bin(v.input),
    TransientMap: v.transientMap,
  }),
  (m: protos.IChaincodeProposalPayload): ChaincodeProposalPayload => ({
    input: bytesOf(m.input),
    transientMap: bytesMap(m.TransientMap),
  }),
);

export const chaincodeInvocationSpecCodec = messageCodec(
  'protos.ChaincodeInvocationSpec',
  protos.ChaincodeInvocationSpec,
  (v: ChaincodeInvocationSpec): protos.IChaincodeInvocationSpec => ({
    chaincodeSpec: v.chaincodeSpec && chaincodeSpecCodec.toWire(v.chaincodeSpec),
  }),
  (m: protos.IChaincodeInvocationSpec): ChaincodeInvocationSpec => ({
    chaincodeSpec: m.chaincodeSpec ? chaincodeSpecCodec.fromWire(m.chaincodeSpec) : undefined,
  }),
);

export const chaincodeHeaderExtensionCodec = messageCodec(
  'protos.ChaincodeHeaderExtension',
  protos.ChaincodeHeaderExtension,
  (v: ChaincodeHeaderExtension): protos.IChaincodeHeaderExtension => ({
    chaincodeId: v.chaincodeId && chaincodeIdCodec.toWire(v.chaincodeId),
  }),
  (m: protos.IChaincodeHeaderExtension): ChaincodeHeaderExtension => ({
    chaincodeId: m.chaincodeId ? chaincodeIdCodec.fromWire(m.chaincodeId) : undefined,
  }),
);

export const chaincodeActionCodec = messageCodec(
  'protos.ChaincodeAction',
  protos.ChaincodeAction,
  (v: ChaincodeAction): protos.IChaincodeAction => ({
    results: bin(v.results),
    events: bin(v.events),
    response: v.response && responseCodec.toWire(v.response),
    chaincodeId: v.chaincodeId && chaincodeIdCodec.toWire(v.chaincodeId),
  }),
  (m: protos.IChaincodeAction): ChaincodeAction => ({
    results: bytesOf(m.results),
    events: bytesOf(m.events),
    response: m.response ? responseCodec.fromWire(m.response) : undefined,
    chaincodeId: m.chaincodeId ? chaincodeIdCodec.fromWire(m.chaincodeId) : undefined,
  }),
);

export const proposalResponsePayloadCodec = messageCodec(
  'protos.ProposalResponsePayload',
  protos.ProposalResponsePayload,
  (v: ProposalResponsePayload): protos.IProposalResponsePayload => ({
    proposalHash: bin(v.proposalHash),
    extension: bin(v.extension),
  }),
  (m: protos.IProposalResponsePayload): ProposalResponsePayload => ({
    proposalHash: bytesOf(m.proposalHash),
    extension: bytesOf(m.extension),
  }),
);

export const commonPayloadCodec = messageCodec(
  'common.Payload',
  common.Payload,
  (v: CommonPayload): common.IPayload => ({
    header: v.header && headerCodec.toWire(v.header),
    data: bin(v.data),
  }),
  (m: common.IPayload): CommonPayload => ({
    header: m.header ? headerCodec.fromWire(m.header) : undefined,
    data: bytesOf(m.data),
  }),
);

export const envelopeCodec = messageCodec(
  'common.Envelope',
  common.Envelope,
  (v: Envelope): common.IEnvelope => ({ payload: bin(v.payload), signature: bin(v.signature) }),
  (m: common.IEnvelope): Envelope => ({ payload: bytesOf(m.payload), signature: bytesOf(m.signature) }),
);
