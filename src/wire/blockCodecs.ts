/**
 * Codecs for blocks and what they carry (fabric-protos common/common.proto blocks and metadata,
 * peer/transaction.proto, and the endorser's reply from peer/proposal_response.proto).
 * Each codec handles one level; see blockTypes.ts for how the levels nest.
 */
import type {
  Block,
  BlockData,
  BlockHeader,
  BlockMetadata,
  ChaincodeActionPayload,
  ChaincodeCall,
  ChaincodeEndorsedAction,
  ChaincodeInterest,
  Endorsement,
  IdentifierHeader,
  LastConfig,
  Metadata,
  MetadataSignature,
  OrdererBlockMetadata,
  ProcessedTransaction,
  ProposalResponse,
  Transaction,
  TransactionAction,
} from './blockTypes.js';
import { responseCodec, timestampCodec } from './chaincodeCodecs.js';
import { common, protos } from './generated/protos.js';
import { signaturePolicyEnvelopeCodec } from './policyCodecs.js';
import { envelopeCodec } from './proposalCodecs.js';
import { bin, bytesOf, flag, int64Of, list, messageCodec, num, str } from './runtime.js';
import { bytesListOf, listOf, wireList } from './shapes.js';

export const blockCodec = messageCodec(
  'common.Block',
  common.Block,
  (v: Block): common.IBlock => ({
    header: v.header && blockHeaderCodec.toWire(v.header),
    data: v.data && blockDataCodec.toWire(v.data),
    metadata: v.metadata && blockMetadataCodec.toWire(v.metadata),
  }),
  (m: common.IBlock): Block => ({
    header: m.header ? blockHeaderCodec.fromWire(m.header) : undefined,
    data: m.data ? blockDataCodec.fromWire(m.data) : undefined,
    metadata: m.metadata ? blockMetadataCodec.fromWire(m.metadata) : undefined,
  }),
);

export const blockHeaderCodec = messageCodec(
  'common.BlockHeader',
  common.BlockHeader,
  (v: BlockHeader): common.IBlockHeader => ({
    number: num(v.number),
    previousHash: bin(v.previousHash),
    dataHash: bin(v.dataHash),
  }),
  (m: common.IBlockHeader): BlockHeader => ({
    number: int64Of(m.number),
    previousHash: bytesOf(m.previousHash),
    dataHash: bytesOf(m.dataHash),
  }),
);

export const blockDataCodec = messageCodec(
  'common.BlockData',
  common.BlockData,
  (v: BlockData): common.IBlockData => ({ data: list(v.data) }),
  (m: common.IBlockData): BlockData => ({ data: bytesListOf(m.data) }),
);

export const blockMetadataCodec = messageCodec(
  'common.BlockMetadata',
  common.BlockMetadata,
  (v: BlockMetadata): common.IBlockMetadata => ({ metadata: list(v.metadata) }),
  (m: common.IBlockMetadata): BlockMetadata => ({ metadata: bytesListOf(m.metadata) }),
);

export const metadataCodec = messageCodec(
  'common.Metadata',
  common.Metadata,
  (v: Metadata): common.IMetadata => ({
    value: bin(v.value),
    signatures: wireList(v.signatures, metadataSignatureCodec.toWire),
  }),
  (m: common.IMetadata): Metadata => ({
    value: bytesOf(m.value),
    signatures: listOf(m.signatures, metadataSignatureCodec.fromWire),
  }),
);

export const metadataSignatureCodec = messageCodec(
  'common.MetadataSignature',
  common.MetadataSignature,
  (v: MetadataSignature): common.IMetadataSignature => ({
    signatureHeader: bin(v.signatureHeader),
    signature: bin(v.signature),
    identifierHeader: bin(v.identifierHeader),
  }),
  (m: common.IMetadataSignature): MetadataSignature => ({
    signatureHeader: bytesOf(m.signatureHeader),
    signature: bytesOf(m.signature),
    identifierHeader: bytesOf(m.identifierHeader),
  }),
);

export const identifierHeaderCodec = messageCodec(
  'common.IdentifierHeader',
  common.IdentifierHeader,
  (v: IdentifierHeader): common.IIdentifierHeader => ({ identifier: num(v.identifier), nonce: bin(v.nonce) }),
  (m: common.IIdentifierHeader): IdentifierHeader => ({ identifier: m.identifier ?? 0, nonce: bytesOf(m.nonce) }),
);

export const lastConfigCodec = messageCodec(
  'common.LastConfig',
  common.LastConfig,
  (v: LastConfig): common.ILastConfig => ({ index: num(v.index) }),
  (m: common.ILastConfig): LastConfig => ({ index: int64Of(m.index) }),
);

export const ordererBlockMetadataCodec = messageCodec(
  'common.OrdererBlockMetadata',
  common.OrdererBlockMetadata,
  (v: OrdererBlockMetadata): common.IOrdererBlockMetadata => ({
    lastConfig: v.lastConfig && lastConfigCodec.toWire(v.lastConfig),
    consenterMetadata: bin(v.consenterMetadata),
  }),
  (m: common.IOrdererBlockMetadata): OrdererBlockMetadata => ({
    lastConfig: m.lastConfig ? lastConfigCodec.fromWire(m.lastConfig) : undefined,
    consenterMetadata: bytesOf(m.consenterMetadata),
  }),
);

export const transactionCodec = messageCodec(
  'protos.Transaction',
  protos.Transaction,
  (v: Transaction): protos.ITransaction => ({ actions: wireList(v.actions, transactionActionCodec.toWire) }),
  (m: protos.ITransaction): Transaction => ({ actions: listOf(m.actions, transactionActionCodec.fromWire) }),
);

export const transactionActionCodec = messageCodec(
  'protos.TransactionAction',
  protos.TransactionAction,
  (v: TransactionAction): protos.ITransactionAction => ({ header: bin(v.header), payload: bin(v.payload) }),
  (m: protos.ITransactionAction): TransactionAction => ({ header: bytesOf(m.header), payload: bytesOf(m.payload) }),
);

export const chaincodeActionPayloadCodec = messageCodec(
  'protos.ChaincodeActionPayload',
  protos.ChaincodeActionPayload,
  (v: ChaincodeActionPayload): protos.IChaincodeActionPayload => ({
    chaincodeProposalPayload: bin(v.chaincodeProposalPayload),
    action: v.action && chaincodeEndorsedActionCodec.toWire(v.action),
  }),
  (m: protos.IChaincodeActionPayload): ChaincodeActionPayload => ({
    chaincodeProposalPayload: bytesOf(m.chaincodeProposalPayload),
    action: m.action ? chaincodeEndorsedActionCodec.fromWire(m.action) : undefined,
  }),
);

export const chaincodeEndorsedActionCodec = messageCodec(
  'protos.ChaincodeEndorsedAction',
  protos.ChaincodeEndorsedAction,
  (v: ChaincodeEndorsedAction): protos.IChaincodeEndorsedAction => ({
    proposalResponsePayload: bin(v.proposalResponsePayload),
    endorsements: wireList(v.endorsements, endorsementCodec.toWire),
  }),
  (m: protos.IChaincodeEndorsedAction): ChaincodeEndorsedAction => ({
    proposalResponsePayload: bytesOf(m.proposalResponsePayload),
    endorsements: listOf(m.endorsements, endorsementCodec.fromWire),
  }),
);

export const processedTransactionCodec = messageCodec(
  'protos.ProcessedTransaction',
  protos.ProcessedTransaction,
  (v: ProcessedTransaction): protos.IProcessedTransaction => ({
    transactionEnvelope: v.transactionEnvelope && envelopeCodec.toWire(v.transactionEnvelope),
    validationCode: num(v.validationCode),
  }),
  (m: protos.IProcessedTransaction): ProcessedTransaction => ({
    transactionEnvelope: m.transactionEnvelope ? envelopeCodec.fromWire(m.transactionEnvelope) : undefined,
    validationCode: m.validationCode ?? 0,
  }),
);

export const proposalResponseCodec = messageCodec(
  'protos.ProposalResponse',
  protos.ProposalResponse,
  (v: ProposalResponse): protos.IProposalResponse => ({
    version: num(v.version),
    timestamp: v.timestamp && timestampCodec.toWire(v.timestamp),
    response: v.response && responseCodec.toWire(v.response),
    payload: bin(v.payload),
    endorsement: v.endorsement && endorsementCodec.toWire(v.endorsement),
    interest: v.interest && chaincodeInterestCodec.toWire(v.interest),
  }),
  (m: protos.IProposalResponse): ProposalResponse => ({
    version: m.version ?? 0,
    timestamp: m.timestamp ? timestampCodec.fromWire(m.timestamp) : undefined,
    response: m.response ? responseCodec.fromWire(m.response) : undefined,
    payload: bytesOf(m.payload),
    endorsement: m.endorsement ? endorsementCodec.fromWire(m.endorsement) : undefined,
    interest: m.interest ? chaincodeInterestCodec.fromWire(m.interest) : undefined,
  }),
);

export const endorsementCodec = messageCodec(
  'protos.Endorsement',
  protos.Endorsement,
  (v: Endorsement): protos.IEndorsement => ({ endorser: bin(v.endorser), signature: bin(v.signature) }),
  (m: protos.IEndorsement): Endorsement => ({ endorser: bytesOf(m.endorser), signature: bytesOf(m.signature) }),
);

export const chaincodeInterestCodec = messageCodec(
  'protos.ChaincodeInterest',
  protos.ChaincodeInterest,
  (v: ChaincodeInterest): protos.IChaincodeInterest => ({ chaincodes: wireList(v.chaincodes, chaincodeCallCodec.toWire) }),
  (m: protos.IChaincodeInterest): ChaincodeInterest => ({ chaincodes: listOf(m.chaincodes, chaincodeCallCodec.fromWire) }),
);

export const chaincodeCallCodec = messageCodec(
  'protos.ChaincodeCall',
  protos.ChaincodeCall,
  (v: ChaincodeCall): protos.IChaincodeCall => ({
    name: str(v.name),
    collectionNames: list(v.collectionNames),
    noPrivateReads: flag(v.noPrivateReads),
    noPublicWrites: flag(v.noPublicWrites),
    keyPolicies: wireList(v.keyPolicies, signaturePolicyEnvelopeCodec.toWire),
    disregardNamespacePolicy: flag(v.disregardNamespacePolicy),
  }),
  (m: protos.IChaincodeCall): ChaincodeCall => ({
    name: m.name ?? '',
    collectionNames: m.collectionNames ?? [],
    noPrivateReads: m.noPrivateReads ?? false,
    noPublicWrites: m.noPublicWrites ?? false,
    keyPolicies: listOf(m.keyPolicies, signaturePolicyEnvelopeCodec.fromWire),
    disregardNamespacePolicy: m.disregardNamespacePolicy ?? false,
  }),
);
