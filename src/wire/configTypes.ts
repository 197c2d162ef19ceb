/**
 * Domain types for channel configuration: the config tree and config transactions
 * (common/configtx.proto), and the values stored in it (common/configuration.proto,
 * orderer/configuration.proto, peer/configuration.proto, msp/msp_config.proto).
 * Conventions: shapes.ts (string-keyed maps as `Record<string, V>`).
 */
import type { Bytes } from '../protocol/messages.js';
import type { Policy } from './policyTypes.js';
import type { Envelope } from './proposalTypes.js';
import { enumNames, type Empty } from './shapes.js';

/** common.ConfigEnvelope: CommonPayload.data of a CONFIG transaction. */
export interface ConfigEnvelope {
  config: Config | undefined;
  /** The CONFIG_UPDATE envelope that produced this config. */
  lastUpdate: Envelope | undefined;
}

/** common.Config */
export interface Config {
  /** uint64 */
  sequence: number;
  channelGroup: ConfigGroup | undefined;
}

/** common.ConfigUpdateEnvelope: CommonPayload.data of a CONFIG_UPDATE transaction. */
export interface ConfigUpdateEnvelope {
  /** A serialized ConfigUpdate (what the signatures cover). */
  configUpdate: Bytes;
  signatures: ConfigSignature[];
}

/** common.ConfigUpdate */
export interface ConfigUpdate {
  channelId: string;
  readSet: ConfigGroup | undefined;
  writeSet: ConfigGroup | undefined;
  isolatedData: Record<string, Bytes>;
}

/** common.ConfigGroup: a node of the config tree. */
export interface ConfigGroup {
  /** uint64 */
  version: number;
  groups: Record<string, ConfigGroup>;
  values: Record<string, ConfigValue>;
  policies: Record<string, ConfigPolicy>;
  modPolicy: string;
}

/** common.ConfigValue */
export interface ConfigValue {
  /** uint64 */
  version: number;
  /** Serialized; the message type depends on the value's name (e.g. "BatchSize" -> BatchSize). */
  value: Bytes;
  modPolicy: string;
}

/** common.ConfigPolicy */
export interface ConfigPolicy {
  /** uint64 */
  version: number;
  policy: Policy | undefined;
  modPolicy: string;
}

/** common.ConfigSignature. The signed bytes are signatureHeader || configUpdate. */
export interface ConfigSignature {
  /** A serialized SignatureHeader. */
  signatureHeader: Bytes;
  signature: Bytes;
}

/** common.HashingAlgorithm */
export interface HashingAlgorithm {
  name: string;
}

/** common.BlockDataHashingStructure */
export interface BlockDataHashingStructure {
  /** uint32 */
  width: number;
}

/** common.OrdererAddresses */
export interface OrdererAddresses {
  addresses: string[];
}

/** common.Consortium */
export interface Consortium {
  name: string;
}

/** common.Capabilities: the enabled capability names. */
export interface Capabilities {
  capabilities: Record<string, Capability>;
}

/** common.Capability (no fields). */
export type Capability = Empty;

/** orderer.ConsensusType */
export interface ConsensusType {
  type: string;
  metadata: Bytes;
  /** A ConsensusTypeState value. */
  state: number;
}

/** orderer.ConsensusType.State */
export const ConsensusTypeState = {
  STATE_NORMAL: 0,
  STATE_MAINTENANCE: 1,
} as const;
export type ConsensusTypeStateName = keyof typeof ConsensusTypeState;
export const consensusTypeStateName = enumNames(ConsensusTypeState);

/** orderer.ChannelRestrictions */
export interface ChannelRestrictions {
  /** uint64; 0: no limit. */
  maxCount: number;
}

/** etcdraft.ConfigMetadata: ConsensusType.metadata of an "etcdraft" channel. */
export interface EtcdraftConfigMetadata {
  consenters: EtcdraftConsenter[];
  options: EtcdraftOptions | undefined;
}

/** etcdraft.Consenter: one ordering node and its TLS certificates (PEM). */
export interface EtcdraftConsenter {
  host: string;
  port: number;
  clientTlsCert: Bytes;
  serverTlsCert: Bytes;
}

/** etcdraft.Options */
export interface EtcdraftOptions {
  /** A Go duration, e.g. "500ms". */
  tickInterval: string;
  electionTick: number;
  heartbeatTick: number;
  maxInflightBlocks: number;
  snapshotIntervalSize: number;
}

/** orderer.BatchSize */
export interface BatchSize {
  /** uint32 */
  maxMessageCount: number;
  /** uint32 */
  absoluteMaxBytes: number;
  /** uint32 */
  preferredMaxBytes: number;
}

/** orderer.BatchTimeout */
export interface BatchTimeout {
  /** A Go duration string, e.g. "2s". */
  timeout: string;
}

/** protos.AnchorPeers */
export interface AnchorPeers {
  anchorPeers: AnchorPeer[];
}

/** protos.AnchorPeer */
export interface AnchorPeer {
  host: string;
  port: number;
}

/** msp.MSPConfig */
export interface MSPConfig {
  /** 0 = FABRIC (config is a FabricMSPConfig). */
  type: number;
  config: Bytes;
}

/** msp.FabricMSPConfig */
export interface FabricMSPConfig {
  name: string;
  rootCerts: Bytes[];
  intermediateCerts: Bytes[];
  admins: Bytes[];
  revocationList: Bytes[];
  signingIdentity: SigningIdentityInfo | undefined;
  organizationalUnitIdentifiers: FabricOUIdentifier[];
  cryptoConfig: FabricCryptoConfig | undefined;
  tlsRootCerts: Bytes[];
  tlsIntermediateCerts: Bytes[];
  fabricNodeOus: FabricNodeOUs | undefined;
}

/** msp.FabricCryptoConfig */
export interface FabricCryptoConfig {
  signatureHashFamily: string;
  identityIdentifierHashFunction: string;
}

/** msp.SigningIdentityInfo */
export interface SigningIdentityInfo {
  publicSigner: Bytes;
  privateSigner: KeyInfo | undefined;
}

/** msp.KeyInfo */
export interface KeyInfo {
  keyIdentifier: string;
  keyMaterial: Bytes;
}

/** msp.FabricOUIdentifier */
export interface FabricOUIdentifier {
  certificate: Bytes;
  organizationalUnitIdentifier: string;
}

/** msp.FabricNodeOUs */
export interface FabricNodeOUs {
  enable: boolean;
  clientOuIdentifier: FabricOUIdentifier | undefined;
  peerOuIdentifier: FabricOUIdentifier | undefined;
  adminOuIdentifier: FabricOUIdentifier | undefined;
  ordererOuIdentifier: FabricOUIdentifier | undefined;
}
