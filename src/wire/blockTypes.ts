/**
 * Domain types for blocks and what they carry: block structure and metadata (common/common.proto),
 * endorsed transactions and their validation codes (peer/transaction.proto), and the endorser's
 * reply (peer/proposal_response.proto). Conventions: proposalTypes.ts and shapes.ts.
 *
 * Nesting of an ENDORSER_TRANSACTION in a block, one `decode*` per level:
 *   Block.data.data[i] -> Envelope -> CommonPayload (header, data)
 *     CommonPayload.data -> Transaction -> TransactionAction[]
 *       TransactionAction.payload -> ChaincodeActionPayload
 *         .chaincodeProposalPayload -> ChaincodeProposalPayload
 *         .action.proposalResponsePayload -> ProposalResponsePayload -> .extension ChaincodeAction
 *           ChaincodeAction.results -> TxReadWriteSet (rwsetTypes.ts)
 */
import type { Bytes, Response, Timestamp } from '../protocol/messages.js';
import type { SignaturePolicyEnvelope } from './policyTypes.js';
import type { Envelope } from './proposalTypes.js';
import { enumNames } from './shapes.js';
import { TxValidationCode, type TxValidationCodeName } from '../protocol/validationCodes.js';

/** common.Block */
export interface Block {
  header: BlockHeader | undefined;
  data: BlockData | undefined;
  metadata: BlockMetadata | undefined;
}

/** common.BlockHeader: the hash-chained part of a block. */
export interface BlockHeader {
  /** uint64: the block's position in the chain (0 = genesis). */
  number: number;
  previousHash: Bytes;
  dataHash: Bytes;
}

/** common.BlockData */
export interface BlockData {
  /** Each a serialized Envelope. */
  data: Bytes[];
}

/** common.BlockMetadata: slots indexed by BlockMetadataIndex. */
export interface BlockMetadata {
  /** SIGNATURES: a serialized Metadata; TRANSACTIONS_FILTER: one TxValidationCode byte per transaction. */
  metadata: Bytes[];
}

/** common.Metadata: the content of a signed metadata slot. */
export interface Metadata {
  /** For SIGNATURES: a serialized OrdererBlockMetadata. */
  value: Bytes;
  signatures: MetadataSignature[];
}

/** common.MetadataSignature. The signed bytes are value || signatureHeader || serialized BlockHeader. */
export interface MetadataSignature {
  /** A serialized SignatureHeader (may be empty when identifierHeader is set). */
  signatureHeader: Bytes;
  signature: Bytes;
  /** A serialized IdentifierHeader. */
  identifierHeader: Bytes;
}

/** common.IdentifierHeader: names a signer by consenter id. */
export interface IdentifierHeader {
  /** uint32 */
  identifier: number;
  nonce: Bytes;
}

/** common.LastConfig */
export interface LastConfig {
  /** uint64: number of the newest config block. */
  index: number;
}

/** common.OrdererBlockMetadata: Metadata.value of the SIGNATURES slot. */
export interface OrdererBlockMetadata {
  lastConfig: LastConfig | undefined;
  consenterMetadata: Bytes;
}

/** common.BlockMetadataIndex */
export const BlockMetadataIndex = {
  SIGNATURES: 0,
  /** Deprecated: the last config index now travels in OrdererBlockMetadata. */
  LAST_CONFIG: 1,
  TRANSACTIONS_FILTER: 2,
  /** Deprecated. */
  ORDERER: 3,
  COMMIT_HASH: 4,
} as const;
export type BlockMetadataIndexName = keyof typeof BlockMetadataIndex;
export const blockMetadataIndexName = enumNames(BlockMetadataIndex);

/** protos.Transaction: CommonPayload.data of an ENDORSER_TRANSACTION. */
export interface Transaction {
  actions: TransactionAction[];
}

/** protos.TransactionAction */
export interface TransactionAction {
  /** A serialized SignatureHeader. */
  header: Bytes;
  /** A serialized ChaincodeActionPayload. */
  payload: Bytes;
}

/** protos.ChaincodeActionPayload */
export interface ChaincodeActionPayload {
  /** A serialized ChaincodeProposalPayload (its transient map removed). */
  chaincodeProposalPayload: Bytes;
  action: ChaincodeEndorsedAction | undefined;
}

/** protos.ChaincodeEndorsedAction */
export interface ChaincodeEndorsedAction {
  /** A serialized ProposalResponsePayload, exactly as every endorser signed it. */
  proposalResponsePayload: Bytes;
  endorsements: Endorsement[];
}

/** protos.ProcessedTransaction (Fabric's field names are camelCase already). */
export interface ProcessedTransaction {
  transactionEnvelope: Envelope | undefined;
  /** A TxValidationCode value. */
  validationCode: number;
}

/** protos.TxValidationCode: every value Fabric defines (src/protocol/validationCodes.ts). */
export { TxValidationCode, type TxValidationCodeName };
/** `txValidationCodeName(11) === 'MVCC_READ_CONFLICT'`; `undefined` for numbers Fabric does not define. */
export const txValidationCodeName = enumNames(TxValidationCode);

/** protos.ProposalResponse: an endorser's reply to ProcessProposal. */
export interface ProposalResponse {
  version: number;
  timestamp: Timestamp | undefined;
  response: Response | undefined;
  /** A serialized ProposalResponsePayload. */
  payload: Bytes;
  /** Absent when the proposal failed. */
  endorsement: Endorsement | undefined;
  interest: ChaincodeInterest | undefined;
}

/** protos.Endorsement. The signed bytes are ProposalResponse.payload || endorser. */
export interface Endorsement {
  /** A serialized msp.SerializedIdentity. */
  endorser: Bytes;
  signature: Bytes;
}

/** protos.ChaincodeInterest */
export interface ChaincodeInterest {
  chaincodes: ChaincodeCall[];
}

/** protos.ChaincodeCall */
export interface ChaincodeCall {
  name: string;
  collectionNames: string[];
  noPrivateReads: boolean;
  noPublicWrites: boolean;
  keyPolicies: SignaturePolicyEnvelope[];
  disregardNamespacePolicy: boolean;
}
