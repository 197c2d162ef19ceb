/**
 * Codecs for channel configuration (fabric-protos common/configtx.proto,
 * common/configuration.proto, orderer/configuration.proto, orderer/etcdraft/configuration.proto,
 * peer/configuration.proto AnchorPeers,
 * msp/msp_config.proto). Shapes: shapes.ts.
 */
import type {
  AnchorPeer,
  AnchorPeers,
  BatchSize,
  BatchTimeout,
  BlockDataHashingStructure,
  Capabilities,
  Capability,
  Config,
  ConfigEnvelope,
  ConfigGroup,
  ConfigPolicy,
  ConfigSignature,
  ConfigUpdate,
  ConfigUpdateEnvelope,
  ConfigValue,
  ChannelRestrictions,
  ConsensusType,
  Consortium,
  EtcdraftConfigMetadata,
  EtcdraftConsenter,
  EtcdraftOptions,
  FabricCryptoConfig,
  FabricMSPConfig,
  FabricNodeOUs,
  FabricOUIdentifier,
  HashingAlgorithm,
  KeyInfo,
  MSPConfig,
  OrdererAddresses,
  SigningIdentityInfo,
} from './configTypes.js';
import { common, etcdraft, msp, orderer, protos } from './generated/protos.js';
import { policyCodec } from './policyCodecs.js';
import { envelopeCodec } from './proposalCodecs.js';
import { bin, bytesOf, flag, int64Of, list, messageCodec, num, str } from './runtime.js';
import { bytesListOf, bytesRecordOf, listOf, recordOf, wireList, wireRecord } from './shapes.js';

const same = <T>(x: T): T => x;

export const configEnvelopeCodec = messageCodec(
  'common.ConfigEnvelope',
  common.ConfigEnvelope,
  (v: ConfigEnvelope): common.IConfigEnvelope => ({
    config: v.config && configCodec.toWire(v.config),
    lastUpdate: v.lastUpdate && envelopeCodec.toWire(v.lastUpdate),
  }),
  (m: common.IConfigEnvelope): ConfigEnvelope => ({
    config: m.config ? configCodec.fromWire(m.config) : undefined,
    lastUpdate: m.lastUpdate ? envelopeCodec.fromWire(m.lastUpdate) : undefined,
  }),
);

export const configCodec = messageCodec(
  'common.Config',
  common.Config,
  (v: Config): common.IConfig => ({
    sequence: num(v.sequence),
    channelGroup: v.channelGroup && configGroupCodec.toWire(v.channelGroup),
  }),
  (m: common.IConfig): Config => ({
    sequence: int64Of(m.sequence),
    channelGroup: m.channelGroup ? configGroupCodec.fromWire(m.channelGroup) : undefined,
  }),
);

export const configUpdateEnvelopeCodec = messageCodec(
  'common.ConfigUpdateEnvelope',
  common.ConfigUpdateEnvelope,
  (v: ConfigUpdateEnvelope): common.IConfigUpdateEnvelope => ({
    configUpdate: bin(v.configUpdate),
    signatures: wireList(v.signatures, configSignatureCodec.toWire),
  }),
  (m: common.IConfigUpdateEnvelope): ConfigUpdateEnvelope => ({
    configUpdate: bytesOf(m.configUpdate),
    signatures: listOf(m.signatures, configSignatureCodec.fromWire),
  }),
);

export const configUpdateCodec = messageCodec(
  'common.ConfigUpdate',
  common.ConfigUpdate,
  (v: ConfigUpdate): common.IConfigUpdate => ({
    channelId: str(v.channelId),
    readSet: v.readSet && configGroupCodec.toWire(v.readSet),
    writeSet: v.writeSet && configGroupCodec.toWire(v.writeSet),
    isolatedData: wireRecord(v.isolatedData, same),
  }),
  (m: common.IConfigUpdate): ConfigUpdate => ({
    channelId: m.channelId ?? '',
    readSet: m.readSet ? configGroupCodec.fromWire(m.readSet) : undefined,
    writeSet: m.writeSet ? configGroupCodec.fromWire(m.writeSet) : undefined,
    isolatedData: bytesRecordOf(m.isolatedData),
  }),
);

export const configGroupCodec = messageCodec(
  'common.ConfigGroup',
  common.ConfigGroup,
  (v: ConfigGroup): common.IConfigGroup => ({
    version: num(v.version),
    groups: wireRecord(v.groups, configGroupCodec.toWire),
    values: wireRecord(v.values, configValueCodec.toWire),
    policies: wireRecord(v.policies, configPolicyCodec.toWire),
    modPolicy: str(v.modPolicy),
  }),
  (m: common.IConfigGroup): ConfigGroup => ({
    version: int64Of(m.version),
    groups: recordOf(m.groups, configGroupCodec.fromWire, () => configGroupCodec.fromWire({})),
    values: recordOf(m.values, configValueCodec.fromWire, () => configValueCodec.fromWire({})),
    policies: recordOf(m.policies, configPolicyCodec.fromWire, () => configPolicyCodec.fromWire({})),
    modPolicy: m.modPolicy ?? '',
  }),
);

export const configValueCodec = messageCodec(
  'common.ConfigValue',
  common.ConfigValue,
  (v: ConfigValue): common.IConfigValue => ({ version: num(v.version), value: bin(v.value), modPolicy: str(v.modPolicy) }),
  (m: common.IConfigValue): ConfigValue => ({
    version: int64Of(m.version),
    value: bytesOf(m.value),
    modPolicy: m.modPolicy ?? '',
  }),
);

export const configPolicyCodec = messageCodec(
  'common.ConfigPolicy',
  common.ConfigPolicy,
  (v: ConfigPolicy): common.IConfigPolicy => ({
    version: num(v.version),
    policy: v.policy && policyCodec.toWire(v.policy),
    modPolicy: str(v.modPolicy),
  }),
  (m: common.IConfigPolicy): ConfigPolicy => ({
    version: int64Of(m.version),
    policy: m.policy ? policyCodec.fromWire(m.policy) : undefined,
    modPolicy: m.modPolicy ?? '',
  }),
);

export const configSignatureCodec = messageCodec(
  'common.ConfigSignature',
  common.ConfigSignature,
  (v: ConfigSignature): common.IConfigSignature => ({ signatureHeader: bin(v.signatureHeader), signature: bin(v.signature) }),
  (m: common.IConfigSignature): ConfigSignature => ({
    signatureHeader: bytesOf(m.signatureHeader),
    signature: bytesOf(m.signature),
  }),
);

export const hashingAlgorithmCodec = messageCodec(
  'common.HashingAlgorithm',
  common.HashingAlgorithm,
  (v: HashingAlgorithm): common.IHashingAlgorithm => ({ name: str(v.name) }),
  (m: common.IHashingAlgorithm): HashingAlgorithm => ({ name: m.name ?? '' }),
);

export const blockDataHashingStructureCodec = messageCodec(
  'common.BlockDataHashingStructure',
  common.BlockDataHashingStructure,
  (v: BlockDataHashingStructure): common.IBlockDataHashingStructure => ({ width: num(v.width) }),
  (m: common.IBlockDataHashingStructure): BlockDataHashingStructure => ({ width: m.width ?? 0 }),
);

export const ordererAddressesCodec = messageCodec(
  'common.OrdererAddresses',
  common.OrdererAddresses,
  (v: OrdererAddresses): common.IOrdererAddresses => ({ addresses: list(v.addresses) }),
  (m: common.IOrdererAddresses): OrdererAddresses => ({ addresses: m.addresses ?? [] }),
);

export const consortiumCodec = messageCodec(
  'common.Consortium',
  common.Consortium,
  (v: Consortium): common.IConsortium => ({ name: str(v.name) }),
  (m: common.IConsortium): Consortium => ({ name: m.name ?? '' }),
);

export const capabilitiesCodec = messageCodec(
  'common.Capabilities',
  common.Capabilities,
  (v: Capabilities): common.ICapabilities => ({ capabilities: wireRecord(v.capabilities, capabilityCodec.toWire) }),
  (m: common.ICapabilities): Capabilities => ({
    capabilities: recordOf(m.capabilities, capabilityCodec.fromWire, () => ({})),
  }),
);

export const capabilityCodec = messageCodec(
  'common.Capability',
  common.Capability,
  (_v: Capability): common.ICapability => ({}),
  (_m: common.ICapability): Capability => ({}),
);

export const consensusTypeCodec = messageCodec(
  'orderer.ConsensusType',
  orderer.ConsensusType,
  (v: ConsensusType): orderer.IConsensusType => ({ type: str(v.type), metadata: bin(v.metadata), state: num(v.state) }),
  (m: orderer.IConsensusType): ConsensusType => ({ type: m.type ?? '', metadata: bytesOf(m.metadata), state: m.state ?? 0 }),
);

export const channelRestrictionsCodec = messageCodec(
  'orderer.ChannelRestrictions',
  orderer.ChannelRestrictions,
  (v: ChannelRestrictions): orderer.IChannelRestrictions => ({ maxCount: num(v.maxCount) }),
  (m: orderer.IChannelRestrictions): ChannelRestrictions => ({ maxCount: int64Of(m.maxCount) }),
);

export const etcdraftOptionsCodec = messageCodec(
  'etcdraft.Options',
  etcdraft.Options,
  (v: EtcdraftOptions): etcdraft.IOptions => ({
    tickInterval: str(v.tickInterval),
    electionTick: num(v.electionTick),
    heartbeatTick: num(v.heartbeatTick),
    maxInflightBlocks: num(v.maxInflightBlocks),
    snapshotIntervalSize: num(v.snapshotIntervalSize),
  }),
  (m: etcdraft.IOptions): EtcdraftOptions => ({
    tickInterval: m.tickInterval ?? '',
    electionTick: m.electionTick ?? 0,
    heartbeatTick: m.heartbeatTick ?? 0,
    maxInflightBlocks: m.maxInflightBlocks ?? 0,
    snapshotIntervalSize: m.snapshotIntervalSize ?? 0,
  }),
);

export const etcdraftConsenterCodec = messageCodec(
  'etcdraft.Consenter',
  etcdraft.Consenter,
  (v: EtcdraftConsenter): etcdraft.IConsenter => ({ host: str(v.host), port: num(v.port), clientTlsCert: bin(v.clientTlsCert), serverTlsCert: bin(v.serverTlsCert) }),
  (m: etcdraft.IConsenter): EtcdraftConsenter => ({ host: m.host ?? '', port: m.port ?? 0, clientTlsCert: bytesOf(m.clientTlsCert), serverTlsCert: bytesOf(m.serverTlsCert) }),
);

export const etcdraftConfigMetadataCodec = messageCodec(
  'etcdraft.ConfigMetadata',
  etcdraft.ConfigMetadata,
  (v: EtcdraftConfigMetadata): etcdraft.IConfigMetadata => ({
    consenters: wireList(v.consenters, etcdraftConsenterCodec.toWire),
    options: v.options && etcdraftOptionsCodec.toWire(v.options),
  }),
  (m: etcdraft.IConfigMetadata): EtcdraftConfigMetadata => ({
    consenters: listOf(m.consenters, etcdraftConsenterCodec.fromWire),
    options: m.options ? etcdraftOptionsCodec.fromWire(m.options) : undefined,
  }),
);

export const batchSizeCodec = messageCodec(
  'orderer.BatchSize',
  orderer.BatchSize,
  (v: BatchSize): orderer.IBatchSize => ({
    maxMessageCount: num(v.maxMessageCount),
    absoluteMaxBytes: num(v.absoluteMaxBytes),
    preferredMaxBytes: num(v.preferredMaxBytes),
  }),
  (m: orderer.IBatchSize): BatchSize => ({
    maxMessageCount: m.maxMessageCount ?? 0,
    absoluteMaxBytes: m.absoluteMaxBytes ?? 0,
    preferredMaxBytes: m.preferredMaxBytes ?? 0,
  }),
);

export const batchTimeoutCodec = messageCodec(
  'orderer.BatchTimeout',
  orderer.BatchTimeout,
  (v: BatchTimeout): orderer.IBatchTimeout => ({ timeout: str(v.timeout) }),
  (m: orderer.IBatchTimeout): BatchTimeout => ({ timeout: m.timeout ?? '' }),
);

export const anchorPeersCodec = messageCodec(
  'protos.AnchorPeers',
  protos.AnchorPeers,
  (v: AnchorPeers): protos.IAnchorPeers => ({ anchorPeers: wireList(v.anchorPeers, anchorPeerCodec.toWire) }),
  (m: protos.IAnchorPeers): AnchorPeers => ({ anchorPeers: listOf(m.anchorPeers, anchorPeerCodec.fromWire) }),
);

export const anchorPeerCodec = messageCodec(
  'protos.AnchorPeer',
  protos.AnchorPeer,
  (v: AnchorPeer): protos.IAnchorPeer => ({ host: str(v.host), port: num(v.port) }),
  (m: protos.IAnchorPeer): AnchorPeer => ({ host: m.host ?? '', port: m.port ?? 0 }),
);

export const mspConfigCodec = messageCodec(
  'msp.MSPConfig',
  msp.MSPConfig,
  (v: MSPConfig): msp.IMSPConfig => ({ type: num(v.type), config: bin(v.config) }),
  (m: msp.IMSPConfig): MSPConfig => ({ type: m.type ?? 0, config: bytesOf(m.config) }),
);

export const fabricMspConfigCodec = messageCodec(
  'msp.FabricMSPConfig',
  msp.FabricMSPConfig,
  (v: FabricMSPConfig): msp.IFabricMSPConfig => ({
    name: str(v.name),
    rootCerts: list(v.rootCerts),
    intermediateCerts: list(v.intermediateCerts),
    admins: list(v.admins),
    revocationList: list(v.revocationList),
    signingIdentity: v.signingIdentity && signingIdentityInfoCodec.toWire(v.signingIdentity),
    organizationalUnitIdentifiers: wireList(v.organizationalUnitIdentifiers, fabricOuIdentifierCodec.toWire),
    cryptoConfig: v.cryptoConfig && fabricCryptoConfigCodec.toWire(v.cryptoConfig),
    tlsRootCerts: list(v.tlsRootCerts),
    tlsIntermediateCerts: list(v.tlsIntermediateCerts),
    fabricNodeOus: v.fabricNodeOus && fabricNodeOusCodec.toWire(v.fabricNodeOus),
  }),
  (m: msp.IFabricMSPConfig): FabricMSPConfig => ({
    name: m.name ?? '',
    rootCerts: bytesListOf(m.rootCerts),
    intermediateCerts: bytesListOf(m.intermediateCerts),
    admins: bytesListOf(m.admins),
    revocationList: bytesListOf(m.revocationList),
    signingIdentity: m.signingIdentity ? signingIdentityInfoCodec.fromWire(m.signingIdentity) : undefined,
    organizationalUnitIdentifiers: listOf(m.organizationalUnitIdentifiers, fabricOuIdentifierCodec.fromWire),
    cryptoConfig: m.cryptoConfig ? fabricCryptoConfigCodec.fromWire(m.cryptoConfig) : undefined,
    tlsRootCerts: bytesListOf(m.tlsRootCerts),
    tlsIntermediateCerts: bytesListOf(m.tlsIntermediateCerts),
    fabricNodeOus: m.fabricNodeOus ? fabricNodeOusCodec.fromWire(m.fabricNodeOus) : undefined,
  }),
);

export const fabricCryptoConfigCodec = messageCodec(
  'msp.FabricCryptoConfig',
  msp.FabricCryptoConfig,
  (v: FabricCryptoConfig): msp.IFabricCryptoConfig => ({
    signatureHashFamily: str(v.signatureHashFamily),
    identityIdentifierHashFunction: str(v.identityIdentifierHashFunction),
  }),
  (m: msp.IFabricCryptoConfig): FabricCryptoConfig => ({
    signatureHashFamily: m.signatureHashFamily ?? '',
    identityIdentifierHashFunction: m.identityIdentifierHashFunction ?? '',
  }),
);

export const signingIdentityInfoCodec = messageCodec(
  'msp.SigningIdentityInfo',
  msp.SigningIdentityInfo,
  (v: SigningIdentityInfo): msp.ISigningIdentityInfo => ({
    publicSigner: bin(v.publicSigner),
    privateSigner: v.privateSigner && keyInfoCodec.toWire(v.privateSigner),
  }),
  (m: msp.ISigningIdentityInfo): SigningIdentityInfo => ({
    publicSigner: bytesOf(m.publicSigner),
    privateSigner: m.privateSigner ? keyInfoCodec.fromWire(m.privateSigner) : undefined,
  }),
);

export const keyInfoCodec = messageCodec(
  'msp.KeyInfo',
  msp.KeyInfo,
  (v: KeyInfo): msp.IKeyInfo => ({ keyIdentifier: str(v.keyIdentifier), keyMaterial: bin(v.keyMaterial) }),
  (m: msp.IKeyInfo): KeyInfo => ({ keyIdentifier: m.keyIdentifier ?? '', keyMaterial: bytesOf(m.keyMaterial) }),
);

export const fabricOuIdentifierCodec = messageCodec(
  'msp.FabricOUIdentifier',
  msp.FabricOUIdentifier,
  (v: FabricOUIdentifier): msp.IFabricOUIdentifier => ({
    certificate: bin(v.certificate),
    organizationalUnitIdentifier: str(v.organizationalUnitIdentifier),
  }),
  (m: msp.IFabricOUIdentifier): FabricOUIdentifier => ({
    certificate: bytesOf(m.certificate),
    organizationalUnitIdentifier: m.organizationalUnitIdentifier ?? '',
  }),
);

export const fabricNodeOusCodec = messageCodec(
  'msp.FabricNodeOUs',
  msp.FabricNodeOUs,
  (v: FabricNodeOUs): msp.IFabricNodeOUs => ({
    enable: flag(v.enable),
    clientOuIdentifier: v.clientOuIdentifier && fabricOuIdentifierCodec.toWire(v.clientOuIdentifier),
    peerOuIdentifier: v.peerOuIdentifier && fabricOuIdentifierCodec.toWire(v.peerOuIdentifier),
    adminOuIdentifier: v.adminOuIdentifier && fabricOuIdentifierCodec.toWire(v.adminOuIdentifier),
    ordererOuIdentifier: v.ordererOuIdentifier && fabricOuIdentifierCodec.toWire(v.ordererOuIdentifier),
  }),
  (m: msp.IFabricNodeOUs): FabricNodeOUs => ({
    enable: m.enable ?? false,
    clientOuIdentifier: m.clientOuIdentifier ? fabricOuIdentifierCodec.fromWire(m.clientOuIdentifier) : undefined,
    peerOuIdentifier: m.peerOuIdentifier ? fabricOuIdentifierCodec.fromWire(m.peerOuIdentifier) : undefined,
    adminOuIdentifier: m.adminOuIdentifier ? fabricOuIdentifierCodec.fromWire(m.adminOuIdentifier) : undefined,
    ordererOuIdentifier: m.ordererOuIdentifier ? fabricOuIdentifierCodec.fromWire(m.ordererOuIdentifier) : undefined,
  }),
);
