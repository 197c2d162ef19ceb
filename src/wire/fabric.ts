/**
 * Encode/decode for the Fabric messages outside the chaincode stream: the Gateway service, blocks
 * and transactions, deliver events and seek requests, read/write sets, policies and principals,
 * channel configuration, and the gRPC error details (google.rpc.Status with google.protobuf.Any).
 * Same contract as payloads.ts: `encodeX(value: X): Uint8Array` and
 * `decodeX(bytes): DecodeOutcome<X>` (never throws); how oneofs, maps and enums are represented
 * is described in shapes.ts, the types are in gatewayTypes.ts, blockTypes.ts, deliverTypes.ts,
 * rwsetTypes.ts, policyTypes.ts, configTypes.ts and rpcTypes.ts.
 *
 * Each function handles one level: a field Fabric declares as serialized bytes stays bytes and
 * is decoded with the function its type's comment names.
 */
import * as gw from './gatewayCodecs.js';
import * as bl from './blockCodecs.js';
import * as dl from './deliverCodecs.js';
import * as rw from './rwsetCodecs.js';
import * as po from './policyCodecs.js';
import * as cf from './configCodecs.js';
import * as rpc from './rpcCodecs.js';
import type { UntypedCodec } from './runtime.js';

// gateway/gateway.proto
export const encodeEndorseRequest = gw.endorseRequestCodec.encode;
export const decodeEndorseRequest = gw.endorseRequestCodec.decode;
export const encodeEndorseResponse = gw.endorseResponseCodec.encode;
export const decodeEndorseResponse = gw.endorseResponseCodec.decode;
export const encodeSubmitRequest = gw.submitRequestCodec.encode;
export const decodeSubmitRequest = gw.submitRequestCodec.decode;
export const encodeSubmitResponse = gw.submitResponseCodec.encode;
export const decodeSubmitResponse = gw.submitResponseCodec.decode;
export const encodeSignedCommitStatusRequest = gw.signedCommitStatusRequestCodec.encode;
export const decodeSignedCommitStatusRequest = gw.signedCommitStatusRequestCodec.decode;
export const encodeCommitStatusRequest = gw.commitStatusRequestCodec.encode;
export const decodeCommitStatusRequest = gw.commitStatusRequestCodec.decode;
export const encodeCommitStatusResponse = gw.commitStatusResponseCodec.encode;
export const decodeCommitStatusResponse = gw.commitStatusResponseCodec.decode;
export const encodeEvaluateRequest = gw.evaluateRequestCodec.encode;
export const decodeEvaluateRequest = gw.evaluateRequestCodec.decode;
export const encodeEvaluateResponse = gw.evaluateResponseCodec.encode;
export const decodeEvaluateResponse = gw.evaluateResponseCodec.decode;
export const encodeSignedChaincodeEventsRequest = gw.signedChaincodeEventsRequestCodec.encode;
export const decodeSignedChaincodeEventsRequest = gw.signedChaincodeEventsRequestCodec.decode;
export const encodeChaincodeEventsRequest = gw.chaincodeEventsRequestCodec.encode;
export const decodeChaincodeEventsRequest = gw.chaincodeEventsRequestCodec.decode;
export const encodeChaincodeEventsResponse = gw.chaincodeEventsResponseCodec.encode;
export const decodeChaincodeEventsResponse = gw.chaincodeEventsResponseCodec.decode;
export const encodeErrorDetail = gw.errorDetailCodec.encode;
export const decodeErrorDetail = gw.errorDetailCodec.decode;
export const encodeProposedTransaction = gw.proposedTransactionCodec.encode;
export const decodeProposedTransaction = gw.proposedTransactionCodec.decode;
export const encodePreparedTransaction = gw.preparedTransactionCodec.encode;
export const decodePreparedTransaction = gw.preparedTransactionCodec.decode;

// common/common.proto (blocks), peer/transaction.proto, peer/proposal_response.proto
export const encodeBlock = bl.blockCodec.encode;
export const decodeBlock = bl.blockCodec.decode;
export const encodeBlockHeader = bl.blockHeaderCodec.encode;
export const decodeBlockHeader = bl.blockHeaderCodec.decode;
export const encodeBlockData = bl.blockDataCodec.encode;
export const decodeBlockData = bl.blockDataCodec.decode;
export const encodeBlockMetadata = bl.blockMetadataCodec.encode;
export const decodeBlockMetadata = bl.blockMetadataCodec.decode;
export const encodeMetadata = bl.metadataCodec.encode;
export const decodeMetadata = bl.metadataCodec.decode;
export const encodeMetadataSignature = bl.metadataSignatureCodec.encode;
export const decodeMetadataSignature = bl.metadataSignatureCodec.decode;
export const encodeIdentifierHeader = bl.identifierHeaderCodec.encode;
export const decodeIdentifierHeader = bl.identifierHeaderCodec.decode;
export const encodeLastConfig = bl.lastConfigCodec.encode;
export const decodeLastConfig = bl.lastConfigCodec.decode;
export const encodeOrdererBlockMetadata = bl.ordererBlockMetadataCodec.encode;
export const decodeOrdererBlockMetadata = bl.ordererBlockMetadataCodec.decode;
export const encodeTransaction = bl.transactionCodec.encode;
export const decodeTransaction = bl.transactionCodec.decode;
export const encodeTransactionAction = bl.transactionActionCodec.encode;
export const decodeTransactionAction = bl.transactionActionCodec.decode;
export const encodeChaincodeActionPayload = bl.chaincodeActionPayloadCodec.encode;
export const decodeChaincodeActionPayload = bl.chaincodeActionPayloadCodec.decode;
export const encodeChaincodeEndorsedAction = bl.chaincodeEndorsedActionCodec.encode;
export const decodeChaincodeEndorsedAction = bl.chaincodeEndorsedActionCodec.decode;
export const encodeProcessedTransaction = bl.processedTransactionCodec.encode;
export const decodeProcessedTransaction = bl.processedTransactionCodec.decode;
export const encodeProposalResponse = bl.proposalResponseCodec.encode;
export const decodeProposalResponse = bl.proposalResponseCodec.decode;
export const encodeEndorsement = bl.endorsementCodec.encode;
export const decodeEndorsement = bl.endorsementCodec.decode;
export const encodeChaincodeInterest = bl.chaincodeInterestCodec.encode;
export const decodeChaincodeInterest = bl.chaincodeInterestCodec.decode;
export const encodeChaincodeCall = bl.chaincodeCallCodec.encode;
export const decodeChaincodeCall = bl.chaincodeCallCodec.decode;

// peer/events.proto, orderer/ab.proto
export const encodeFilteredBlock = dl.filteredBlockCodec.encode;
export const decodeFilteredBlock = dl.filteredBlockCodec.decode;
export const encodeFilteredTransaction = dl.filteredTransactionCodec.encode;
export const decodeFilteredTransaction = dl.filteredTransactionCodec.decode;
export const encodeFilteredTransactionActions = dl.filteredTransactionActionsCodec.encode;
export const decodeFilteredTransactionActions = dl.filteredTransactionActionsCodec.decode;
export const encodeFilteredChaincodeAction = dl.filteredChaincodeActionCodec.encode;
export const decodeFilteredChaincodeAction = dl.filteredChaincodeActionCodec.decode;
export const encodeBlockAndPrivateData = dl.blockAndPrivateDataCodec.encode;
export const decodeBlockAndPrivateData = dl.blockAndPrivateDataCodec.decode;
export const encodeDeliverResponse = dl.deliverResponseCodec.encode;
export const encodeDeliverBlockBytes = dl.encodeDeliverBlockBytes;
export const encodeDeliverBlockAndPrivateDataBytes = dl.encodeDeliverBlockAndPrivateDataBytes;
export const decodeDeliverResponse = dl.deliverResponseCodec.decode;
export const encodeSeekNewest = dl.seekNewestCodec.encode;
export const decodeSeekNewest = dl.seekNewestCodec.decode;
export const encodeSeekOldest = dl.seekOldestCodec.encode;
export const decodeSeekOldest = dl.seekOldestCodec.decode;
export const encodeSeekSpecified = dl.seekSpecifiedCodec.encode;
export const decodeSeekSpecified = dl.seekSpecifiedCodec.decode;
export const encodeSeekNextCommit = dl.seekNextCommitCodec.encode;
export const decodeSeekNextCommit = dl.seekNextCommitCodec.decode;
export const encodeSeekPosition = dl.seekPositionCodec.encode;
export const decodeSeekPosition = dl.seekPositionCodec.decode;
export const encodeSeekInfo = dl.seekInfoCodec.encode;
export const decodeSeekInfo = dl.seekInfoCodec.decode;
export const encodeBroadcastResponse = dl.broadcastResponseCodec.encode;
export const decodeBroadcastResponse = dl.broadcastResponseCodec.decode;
export const encodeOrdererDeliverResponse = dl.ordererDeliverResponseCodec.encode;
export const decodeOrdererDeliverResponse = dl.ordererDeliverResponseCodec.decode;

// ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto
export const encodeTxReadWriteSet = rw.txReadWriteSetCodec.encode;
export const decodeTxReadWriteSet = rw.txReadWriteSetCodec.decode;
export const encodeNsReadWriteSet = rw.nsReadWriteSetCodec.encode;
export const decodeNsReadWriteSet = rw.nsReadWriteSetCodec.decode;
export const encodeCollectionHashedReadWriteSet = rw.collectionHashedReadWriteSetCodec.encode;
export const decodeCollectionHashedReadWriteSet = rw.collectionHashedReadWriteSetCodec.decode;
export const encodeTxPvtReadWriteSet = rw.txPvtReadWriteSetCodec.encode;
export const decodeTxPvtReadWriteSet = rw.txPvtReadWriteSetCodec.decode;
export const encodeNsPvtReadWriteSet = rw.nsPvtReadWriteSetCodec.encode;
export const decodeNsPvtReadWriteSet = rw.nsPvtReadWriteSetCodec.decode;
export const encodeCollectionPvtReadWriteSet = rw.collectionPvtReadWriteSetCodec.encode;
export const decodeCollectionPvtReadWriteSet = rw.collectionPvtReadWriteSetCodec.decode;
export const encodeKVRWSet = rw.kvRwSetCodec.encode;
export const decodeKVRWSet = rw.kvRwSetCodec.decode;
export const encodeHashedRWSet = rw.hashedRwSetCodec.encode;
export const decodeHashedRWSet = rw.hashedRwSetCodec.decode;
export const encodeKVRead = rw.kvReadCodec.encode;
export const decodeKVRead = rw.kvReadCodec.decode;
export const encodeKVWrite = rw.kvWriteCodec.encode;
export const decodeKVWrite = rw.kvWriteCodec.decode;
export const encodeKVMetadataWrite = rw.kvMetadataWriteCodec.encode;
export const decodeKVMetadataWrite = rw.kvMetadataWriteCodec.decode;
export const encodeKVReadHash = rw.kvReadHashCodec.encode;
export const decodeKVReadHash = rw.kvReadHashCodec.decode;
export const encodeKVWriteHash = rw.kvWriteHashCodec.encode;
export const decodeKVWriteHash = rw.kvWriteHashCodec.decode;
export const encodeKVMetadataWriteHash = rw.kvMetadataWriteHashCodec.encode;
export const decodeKVMetadataWriteHash = rw.kvMetadataWriteHashCodec.decode;
export const encodeKVMetadataEntry = rw.kvMetadataEntryCodec.encode;
export const decodeKVMetadataEntry = rw.kvMetadataEntryCodec.decode;
export const encodeVersion = rw.versionCodec.encode;
export const decodeVersion = rw.versionCodec.decode;
export const encodeRangeQueryInfo = rw.rangeQueryInfoCodec.encode;
export const decodeRangeQueryInfo = rw.rangeQueryInfoCodec.decode;
export const encodeQueryReads = rw.queryReadsCodec.encode;
export const decodeQueryReads = rw.queryReadsCodec.decode;
export const encodeQueryReadsMerkleSummary = rw.queryReadsMerkleSummaryCodec.encode;
export const decodeQueryReadsMerkleSummary = rw.queryReadsMerkleSummaryCodec.decode;

// common/policies.proto, msp/msp_principal.proto, peer/policy.proto, peer/collection.proto
export const encodePolicy = po.policyCodec.encode;
export const decodePolicy = po.policyCodec.decode;
export const encodeSignaturePolicyEnvelope = po.signaturePolicyEnvelopeCodec.encode;
export const decodeSignaturePolicyEnvelope = po.signaturePolicyEnvelopeCodec.decode;
export const encodeSignaturePolicy = po.signaturePolicyCodec.encode;
export const decodeSignaturePolicy = po.signaturePolicyCodec.decode;
export const encodeSignaturePolicyNOutOf = po.signaturePolicyNOutOfCodec.encode;
export const decodeSignaturePolicyNOutOf = po.signaturePolicyNOutOfCodec.decode;
export const encodeImplicitMetaPolicy = po.implicitMetaPolicyCodec.encode;
export const decodeImplicitMetaPolicy = po.implicitMetaPolicyCodec.decode;
export const encodeApplicationPolicy = po.applicationPolicyCodec.encode;
export const decodeApplicationPolicy = po.applicationPolicyCodec.decode;
export const encodeMSPPrincipal = po.mspPrincipalCodec.encode;
export const decodeMSPPrincipal = po.mspPrincipalCodec.decode;
export const encodeOrganizationUnit = po.organizationUnitCodec.encode;
export const decodeOrganizationUnit = po.organizationUnitCodec.decode;
export const encodeMSPRole = po.mspRoleCodec.encode;
export const decodeMSPRole = po.mspRoleCodec.decode;
export const encodeMSPIdentityAnonymity = po.mspIdentityAnonymityCodec.encode;
export const decodeMSPIdentityAnonymity = po.mspIdentityAnonymityCodec.decode;
export const encodeCombinedPrincipal = po.combinedPrincipalCodec.encode;
export const decodeCombinedPrincipal = po.combinedPrincipalCodec.decode;
export const encodeCollectionConfigPackage = po.collectionConfigPackageCodec.encode;
export const decodeCollectionConfigPackage = po.collectionConfigPackageCodec.decode;
export const encodeCollectionConfig = po.collectionConfigCodec.encode;
export const decodeCollectionConfig = po.collectionConfigCodec.decode;
export const encodeStaticCollectionConfig = po.staticCollectionConfigCodec.encode;
export const decodeStaticCollectionConfig = po.staticCollectionConfigCodec.decode;
export const encodeCollectionPolicyConfig = po.collectionPolicyConfigCodec.encode;
export const decodeCollectionPolicyConfig = po.collectionPolicyConfigCodec.decode;

// common/configtx.proto, common/configuration.proto, orderer/configuration.proto, peer/configuration.proto, msp/msp_config.proto
export const encodeConfigEnvelope = cf.configEnvelopeCodec.encode;
export const decodeConfigEnvelope = cf.configEnvelopeCodec.decode;
export const encodeConfig = cf.configCodec.encode;
export const decodeConfig = cf.configCodec.decode;
export const encodeConfigUpdateEnvelope = cf.configUpdateEnvelopeCodec.encode;
export const decodeConfigUpdateEnvelope = cf.configUpdateEnvelopeCodec.decode;
export const encodeConfigUpdate = cf.configUpdateCodec.encode;
export const decodeConfigUpdate = cf.configUpdateCodec.decode;
export const encodeConfigGroup = cf.configGroupCodec.encode;
export const decodeConfigGroup = cf.configGroupCodec.decode;
export const encodeConfigValue = cf.configValueCodec.encode;
export const decodeConfigValue = cf.configValueCodec.decode;
export const encodeConfigPolicy = cf.configPolicyCodec.encode;
export const decodeConfigPolicy = cf.configPolicyCodec.decode;
export const encodeConfigSignature = cf.configSignatureCodec.encode;
export const decodeConfigSignature = cf.configSignatureCodec.decode;
export const encodeHashingAlgorithm = cf.hashingAlgorithmCodec.encode;
export const decodeHashingAlgorithm = cf.hashingAlgorithmCodec.decode;
export const encodeBlockDataHashingStructure = cf.blockDataHashingStructureCodec.encode;
export const decodeBlockDataHashingStructure = cf.blockDataHashingStructureCodec.decode;
export const encodeOrdererAddresses = cf.ordererAddressesCodec.encode;
export const decodeOrdererAddresses = cf.ordererAddressesCodec.decode;
export const encodeConsortium = cf.consortiumCodec.encode;
export const decodeConsortium = cf.consortiumCodec.decode;
export const encodeCapabilities = cf.capabilitiesCodec.encode;
export const decodeCapabilities = cf.capabilitiesCodec.decode;
export const encodeCapability = cf.capabilityCodec.encode;
export const decodeCapability = cf.capabilityCodec.decode;
export const encodeConsensusType = cf.consensusTypeCodec.encode;
export const decodeConsensusType = cf.consensusTypeCodec.decode;
export const encodeBatchSize = cf.batchSizeCodec.encode;
export const decodeBatchSize = cf.batchSizeCodec.decode;
export const encodeChannelRestrictions = cf.channelRestrictionsCodec.encode;
export const decodeChannelRestrictions = cf.channelRestrictionsCodec.decode;
export const encodeEtcdraftConfigMetadata = cf.etcdraftConfigMetadataCodec.encode;
export const decodeEtcdraftConfigMetadata = cf.etcdraftConfigMetadataCodec.decode;
export const encodeBatchTimeout = cf.batchTimeoutCodec.encode;
export const decodeBatchTimeout = cf.batchTimeoutCodec.decode;
export const encodeAnchorPeers = cf.anchorPeersCodec.encode;
export const decodeAnchorPeers = cf.anchorPeersCodec.decode;
export const encodeAnchorPeer = cf.anchorPeerCodec.encode;
export const decodeAnchorPeer = cf.anchorPeerCodec.decode;
export const encodeMSPConfig = cf.mspConfigCodec.encode;
export const decodeMSPConfig = cf.mspConfigCodec.decode;
export const encodeFabricMSPConfig = cf.fabricMspConfigCodec.encode;
export const decodeFabricMSPConfig = cf.fabricMspConfigCodec.decode;
export const encodeFabricCryptoConfig = cf.fabricCryptoConfigCodec.encode;
export const decodeFabricCryptoConfig = cf.fabricCryptoConfigCodec.decode;
export const encodeSigningIdentityInfo = cf.signingIdentityInfoCodec.encode;
export const decodeSigningIdentityInfo = cf.signingIdentityInfoCodec.decode;
export const encodeKeyInfo = cf.keyInfoCodec.encode;
export const decodeKeyInfo = cf.keyInfoCodec.decode;
export const encodeFabricOUIdentifier = cf.fabricOuIdentifierCodec.encode;
export const decodeFabricOUIdentifier = cf.fabricOuIdentifierCodec.decode;
export const encodeFabricNodeOUs = cf.fabricNodeOusCodec.encode;
export const decodeFabricNodeOUs = cf.fabricNodeOusCodec.decode;

// google/rpc/status.proto, google/protobuf/any.proto (the grpc-status-details-bin trailer)
export const encodeRpcStatus = rpc.rpcStatusCodec.encode;
export const decodeRpcStatus = rpc.rpcStatusCodec.decode;
export const encodeAny = rpc.anyCodec.encode;
export const decodeAny = rpc.anyCodec.decode;

/**
 * Every codec of this module by full proto name (`orderer.DeliverResponse`, not its TS name), for
 * code that handles messages generically. Typed loosely on purpose; use the named functions for
 * typed access. Kept apart from `payloadCodecs`, which lists the chaincode-stream payloads.
 */
export const fabricCodecs: Readonly<Record<string, UntypedCodec>> = Object.freeze({
  'gateway.EndorseRequest': gw.endorseRequestCodec,
  'gateway.EndorseResponse': gw.endorseResponseCodec,
  'gateway.SubmitRequest': gw.submitRequestCodec,
  'gateway.SubmitResponse': gw.submitResponseCodec,
  'gateway.SignedCommitStatusRequest': gw.signedCommitStatusRequestCodec,
  'gateway.CommitStatusRequest': gw.commitStatusRequestCodec,
  'gateway.CommitStatusResponse': gw.commitStatusResponseCodec,
  'gateway.EvaluateRequest': gw.evaluateRequestCodec,
  'gateway.EvaluateResponse': gw.evaluateResponseCodec,
  'gateway.SignedChaincodeEventsRequest': gw.signedChaincodeEventsRequestCodec,
  'gateway.ChaincodeEventsRequest': gw.chaincodeEventsRequestCodec,
  'gateway.ChaincodeEventsResponse': gw.chaincodeEventsResponseCodec,
  'gateway.ErrorDetail': gw.errorDetailCodec,
  'gateway.ProposedTransaction': gw.proposedTransactionCodec,
  'gateway.PreparedTransaction': gw.preparedTransactionCodec,
  'common.Block': bl.blockCodec,
  'common.BlockHeader': bl.blockHeaderCodec,
  'common.BlockData': bl.blockDataCodec,
  'common.BlockMetadata': bl.blockMetadataCodec,
  'common.Metadata': bl.metadataCodec,
  'common.MetadataSignature': bl.metadataSignatureCodec,
  'common.IdentifierHeader': bl.identifierHeaderCodec,
  'common.LastConfig': bl.lastConfigCodec,
  'common.OrdererBlockMetadata': bl.ordererBlockMetadataCodec,
  'protos.Transaction': bl.transactionCodec,
  'protos.TransactionAction': bl.transactionActionCodec,
  'protos.ChaincodeActionPayload': bl.chaincodeActionPayloadCodec,
  'protos.ChaincodeEndorsedAction': bl.chaincodeEndorsedActionCodec,
  'protos.ProcessedTransaction': bl.processedTransactionCodec,
  'protos.ProposalResponse': bl.proposalResponseCodec,
  'protos.Endorsement': bl.endorsementCodec,
  'protos.ChaincodeInterest': bl.chaincodeInterestCodec,
  'protos.ChaincodeCall': bl.chaincodeCallCodec,
  'protos.FilteredBlock': dl.filteredBlockCodec,
  'protos.FilteredTransaction': dl.filteredTransactionCodec,
  'protos.FilteredTransactionActions': dl.filteredTransactionActionsCodec,
  'protos.FilteredChaincodeAction': dl.filteredChaincodeActionCodec,
  'protos.BlockAndPrivateData': dl.blockAndPrivateDataCodec,
  'protos.DeliverResponse': dl.deliverResponseCodec,
  'orderer.SeekNewest': dl.seekNewestCodec,
  'orderer.SeekOldest': dl.seekOldestCodec,
  'orderer.SeekSpecified': dl.seekSpecifiedCodec,
  'orderer.SeekNextCommit': dl.seekNextCommitCodec,
  'orderer.SeekPosition': dl.seekPositionCodec,
  'orderer.SeekInfo': dl.seekInfoCodec,
  'orderer.BroadcastResponse': dl.broadcastResponseCodec,
  'orderer.DeliverResponse': dl.ordererDeliverResponseCodec,
  'rwset.TxReadWriteSet': rw.txReadWriteSetCodec,
  'rwset.NsReadWriteSet': rw.nsReadWriteSetCodec,
  'rwset.CollectionHashedReadWriteSet': rw.collectionHashedReadWriteSetCodec,
  'rwset.TxPvtReadWriteSet': rw.txPvtReadWriteSetCodec,
  'rwset.NsPvtReadWriteSet': rw.nsPvtReadWriteSetCodec,
  'rwset.CollectionPvtReadWriteSet': rw.collectionPvtReadWriteSetCodec,
  'kvrwset.KVRWSet': rw.kvRwSetCodec,
  'kvrwset.HashedRWSet': rw.hashedRwSetCodec,
  'kvrwset.KVRead': rw.kvReadCodec,
  'kvrwset.KVWrite': rw.kvWriteCodec,
  'kvrwset.KVMetadataWrite': rw.kvMetadataWriteCodec,
  'kvrwset.KVReadHash': rw.kvReadHashCodec,
  'kvrwset.KVWriteHash': rw.kvWriteHashCodec,
  'kvrwset.KVMetadataWriteHash': rw.kvMetadataWriteHashCodec,
  'kvrwset.KVMetadataEntry': rw.kvMetadataEntryCodec,
  'kvrwset.Version': rw.versionCodec,
  'kvrwset.RangeQueryInfo': rw.rangeQueryInfoCodec,
  'kvrwset.QueryReads': rw.queryReadsCodec,
  'kvrwset.QueryReadsMerkleSummary': rw.queryReadsMerkleSummaryCodec,
  'common.Policy': po.policyCodec,
  'common.SignaturePolicyEnvelope': po.signaturePolicyEnvelopeCodec,
  'common.SignaturePolicy': po.signaturePolicyCodec,
  'common.SignaturePolicy.NOutOf': po.signaturePolicyNOutOfCodec,
  'common.ImplicitMetaPolicy': po.implicitMetaPolicyCodec,
  'protos.ApplicationPolicy': po.applicationPolicyCodec,
  'common.MSPPrincipal': po.mspPrincipalCodec,
  'common.OrganizationUnit': po.organizationUnitCodec,
  'common.MSPRole': po.mspRoleCodec,
  'common.MSPIdentityAnonymity': po.mspIdentityAnonymityCodec,
  'common.CombinedPrincipal': po.combinedPrincipalCodec,
  'protos.CollectionConfigPackage': po.collectionConfigPackageCodec,
  'protos.CollectionConfig': po.collectionConfigCodec,
  'protos.StaticCollectionConfig': po.staticCollectionConfigCodec,
  'protos.CollectionPolicyConfig': po.collectionPolicyConfigCodec,
  'common.ConfigEnvelope': cf.configEnvelopeCodec,
  'common.Config': cf.configCodec,
  'common.ConfigUpdateEnvelope': cf.configUpdateEnvelopeCodec,
  'common.ConfigUpdate': cf.configUpdateCodec,
  'common.ConfigGroup': cf.configGroupCodec,
  'common.ConfigValue': cf.configValueCodec,
  'common.ConfigPolicy': cf.configPolicyCodec,
  'common.ConfigSignature': cf.configSignatureCodec,
  'common.HashingAlgorithm': cf.hashingAlgorithmCodec,
  'common.BlockDataHashingStructure': cf.blockDataHashingStructureCodec,
  'common.OrdererAddresses': cf.ordererAddressesCodec,
  'common.Consortium': cf.consortiumCodec,
  'common.Capabilities': cf.capabilitiesCodec,
  'common.Capability': cf.capabilityCodec,
  'orderer.ConsensusType': cf.consensusTypeCodec,
  'orderer.BatchSize': cf.batchSizeCodec,
  'orderer.BatchTimeout': cf.batchTimeoutCodec,
  'orderer.ChannelRestrictions': cf.channelRestrictionsCodec,
  'etcdraft.ConfigMetadata': cf.etcdraftConfigMetadataCodec,
  'etcdraft.Consenter': cf.etcdraftConsenterCodec,
  'etcdraft.Options': cf.etcdraftOptionsCodec,
  'protos.AnchorPeers': cf.anchorPeersCodec,
  'protos.AnchorPeer': cf.anchorPeerCodec,
  'msp.MSPConfig': cf.mspConfigCodec,
  'msp.FabricMSPConfig': cf.fabricMspConfigCodec,
  'msp.FabricCryptoConfig': cf.fabricCryptoConfigCodec,
  'msp.SigningIdentityInfo': cf.signingIdentityInfoCodec,
  'msp.KeyInfo': cf.keyInfoCodec,
  'msp.FabricOUIdentifier': cf.fabricOuIdentifierCodec,
  'msp.FabricNodeOUs': cf.fabricNodeOusCodec,
  'google.rpc.Status': rpc.rpcStatusCodec,
  'google.protobuf.Any': rpc.anyCodec,
});
