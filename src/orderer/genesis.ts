/**
 * Block 0 of a channel: its genesis config block, as `configtxgen -outputBlock` makes it for the
 * test network's TwoOrgsApplicationGenesis profile (configtx.yaml), reduced to what the dev peer
 * is: the application organisations with their MSPs, Readers/Writers/Admins/Endorsement policies
 * (`OR('<org>.member')`, `OR('<org>.admin', '<org>.client')`, `OR('<org>.admin')`,
 * `OR('<org>.peer')`) and anchor peers; the Application group's implicit meta policies
 * (Readers ANY, Writers ANY, Admins MAJORITY, Endorsement MAJORITY, LifecycleEndorsement MAJORITY)
 * and V2_5 capability; the Orderer group's batch settings; the channel's hashing values.
 *
 * Every ConfigValue holds the message its key names (common/channelconfig: HashingAlgorithm,
 * BlockDataHashingStructure, OrdererAddresses, Capabilities, MSP, AnchorPeers, ConsensusType,
 * BatchSize, BatchTimeout, ChannelRestrictions; etcdraft metadata), so configtxlator and fabric-config's configtx read it
 * whole (test/interop/go/blockDecode.test.ts). Simplified: the ordering service has no
 * organisation and no raft consenters of its own (the dev peer orders in process; docs/gateway.md).
 */
import { randomBytes } from 'node:crypto';
import type { Timestamp } from '../protocol/messages.js';
import { APPLICATION_POLICIES, ORG_POLICY_ROLES, ROLE_NUMBER, type Role } from '../policy/index.js';
import {
  encodeAnchorPeers,
  encodeBatchSize,
  encodeBatchTimeout,
  encodeBlockDataHashingStructure,
  encodeCapabilities,
  encodeChannelHeader,
  encodeChannelRestrictions,
  encodeCommonPayload,
  encodeConfigEnvelope,
  encodeConsensusType,
  encodeEnvelope,
  encodeEtcdraftConfigMetadata,
  encodeFabricMSPConfig,
  encodeHashingAlgorithm,
  encodeImplicitMetaPolicy,
  encodeMSPConfig,
  encodeMSPRole,
  encodeOrdererAddresses,
  encodeSignaturePolicyEnvelope,
  encodeSignatureHeader,
  HeaderType,
  ImplicitMetaPolicyRule,
  MSPPrincipalClassification,
  PolicyType,
  type ConfigGroup,
  type ConfigPolicy,
  type ConfigValue,
} from '../wire/index.js';
import type { BatchConfig } from './cutter.js';
import { orderBlock, type OrderedBlock } from './blocks.js';
import type { Signer } from './signer.js';

export interface GenesisOrg {
  mspId: string;
  /** PEM certificates of the MSP's root CAs (FabricMSPConfig.root_certs). */
  rootCertsPem: string[];
  tlsRootCertsPem: string[];
  /**
   * NodeOUs (FabricNodeOUs) when enabled: each role's OU and the CA certificate config.yaml names
   * for it (cryptogen names the organisation's CA), or undefined when disabled.
   */
  nodeOUs?: Readonly<Partial<Record<'client' | 'peer' | 'admin' | 'orderer', { readonly ou: string; readonly certificatePem?: string }>>>;
  anchorPeer?: { host: string; port: number };
}

export interface GenesisOptions {
  channel: string;
  orgs: readonly GenesisOrg[];
  batch: Readonly<BatchConfig>;
  ordererAddresses: string[];
  signer: Signer;
  timestamp: Timestamp;
}

const value = (bytes: Uint8Array, modPolicy = 'Admins'): ConfigValue => ({ version: 0, value: bytes, modPolicy });
const group = (g: Partial<ConfigGroup>): ConfigGroup => ({ version: 0, groups: {}, values: {}, policies: {}, modPolicy: 'Admins', ...g });

function signaturePolicy(mspId: string, roles: readonly Role[]): ConfigPolicy {
  const identities = roles.map((role) => ({
    principalClassification: MSPPrincipalClassification.ROLE,
    principal: encodeMSPRole({ mspIdentifier: mspId, role: ROLE_NUMBER[role] }),
  }));
  const rules = identities.map((_, i) => ({ type: { case: 'signedBy' as const, value: i } }));
  const envelope = encodeSignaturePolicyEnvelope({ version: 0, rule: { type: { case: 'nOutOf', value: { n: 1, rules } } }, identities });
  return { version: 0, policy: { type: PolicyType.SIGNATURE, value: envelope }, modPolicy: 'Admins' };
}

function implicitMeta(rule: keyof typeof ImplicitMetaPolicyRule, subPolicy: string): ConfigPolicy {
  return { version: 0, policy: { type: PolicyType.IMPLICIT_META, value: encodeImplicitMetaPolicy({ subPolicy, rule: ImplicitMetaPolicyRule[rule] }) }, modPolicy: 'Admins' };
}

/**
 * The raft options of the test network's configtx.yaml (Orderer.EtcdRaft.Options), so that tools
 * reading the consensus metadata (fabric-config's configtx) find it whole. No consenters: the
 * dev peer orders in process, there are no raft nodes to name.
 */
const RAFT_METADATA = encodeEtcdraftConfigMetadata({
  consenters: [],
  options: { tickInterval: '500ms', electionTick: 10, heartbeatTick: 1, maxInflightBlocks: 5, snapshotIntervalSize: 16 * 1024 * 1024 },
});

function ou(ident: { ou: string; certificatePem?: string } | undefined) {
  return ident === undefined ? undefined : { certificate: Buffer.from(ident.certificatePem ?? ''), organizationalUnitIdentifier: ident.ou };
}

function orgGroup(org: GenesisOrg): ConfigGroup {
  const msp = encodeFabricMSPConfig({
    name: org.mspId,
    rootCerts: org.rootCertsPem.map((p) => Buffer.from(p)),
    intermediateCerts: [],
    admins: [],
    revocationList: [],
    signingIdentity: undefined,
    organizationalUnitIdentifiers: [],
    cryptoConfig: { signatureHashFamily: 'SHA2', identityIdentifierHashFunction: 'SHA256' },
    tlsRootCerts: org.tlsRootCertsPem.map((p) => Buffer.from(p)),
    tlsIntermediateCerts: [],
    fabricNodeOus: org.nodeOUs
      ? {
          enable: true,
          clientOuIdentifier: ou(org.nodeOUs.client),
          peerOuIdentifier: ou(org.nodeOUs.peer),
          adminOuIdentifier: ou(org.nodeOUs.admin),
          ordererOuIdentifier: ou(org.nodeOUs.orderer),
        }
      : undefined,
  });
  return group({
    values: {
      MSP: value(encodeMSPConfig({ type: 0, config: msp })),
      ...(org.anchorPeer ? { AnchorPeers: value(encodeAnchorPeers({ anchorPeers: [org.anchorPeer] })) } : {}),
    },
    // The policies the peer evaluates them as (src/policy ORG_POLICY_ROLES).
    policies: Object.fromEntries(Object.entries(ORG_POLICY_ROLES).map(([name, roles]) => [name, signaturePolicy(org.mspId, roles)])),
  });
}

function capabilities(...names: string[]): ConfigValue {
  const caps: Record<string, Record<string, never>> = {};
  for (const n of names) caps[n] = {};
  return value(encodeCapabilities({ capabilities: caps }));
}

/** The channel's config tree (common.ConfigGroup of Config.channel_group). */
export function channelConfigGroup(o: Omit<GenesisOptions, 'signer' | 'timestamp'>): ConfigGroup {
  const application = group({
    groups: Object.fromEntries(o.orgs.map((org) => [org.mspId, orgGroup(org)])),
    values: { Capabilities: capabilities('V2_5') },
    policies: Object.fromEntries(Object.entries(APPLICATION_POLICIES).map(([name, p]) => [name, implicitMeta(p.rule, p.subPolicy)])),
  });
  const orderer = group({
    values: {
      ConsensusType: value(encodeConsensusType({ type: 'etcdraft', metadata: RAFT_METADATA, state: 0 })),
      BatchSize: value(
        encodeBatchSize({ maxMessageCount: o.batch.maxMessageCount, absoluteMaxBytes: o.batch.absoluteMaxBytes, preferredMaxBytes: o.batch.preferredMaxBytes }),
      ),
      BatchTimeout: value(encodeBatchTimeout({ timeout: `${o.batch.batchTimeoutMs}ms` })),
      // configtxgen writes it always (Orderer.MaxChannels, 0: no limit); fabric-config requires it.
      ChannelRestrictions: value(encodeChannelRestrictions({ maxCount: 0 })),
      Capabilities: capabilities('V2_0'),
    },
    policies: {
      Readers: implicitMeta('ANY', 'Readers'),
      Writers: implicitMeta('ANY', 'Writers'),
      Admins: implicitMeta('MAJORITY', 'Admins'),
      BlockValidation: implicitMeta('ANY', 'Writers'),
    },
  });
  return group({
    groups: { Application: application, Orderer: orderer },
    values: {
      HashingAlgorithm: value(encodeHashingAlgorithm({ name: 'SHA256' })),
      BlockDataHashingStructure: value(encodeBlockDataHashingStructure({ width: 0xffffffff })),
      OrdererAddresses: value(encodeOrdererAddresses({ addresses: o.ordererAddresses }), '/Channel/Orderer/Admins'),
      Capabilities: capabilities('V2_0'),
    },
    policies: {
      Readers: implicitMeta('ANY', 'Readers'),
      Writers: implicitMeta('ANY', 'Writers'),
      Admins: implicitMeta('MAJORITY', 'Admins'),
    },
  });
}

/** The genesis block (number 0, no previous hash) with one signed CONFIG transaction. */
export function genesisBlock(o: GenesisOptions): OrderedBlock {
  const channelHeader = encodeChannelHeader({
    type: HeaderType.CONFIG,
    version: 0,
    timestamp: o.timestamp,
    channelId: o.channel,
    txId: '',
    epoch: 0,
    extension: new Uint8Array(0),
    tlsCertHash: new Uint8Array(0),
  });
  const signatureHeader = encodeSignatureHeader({ creator: o.signer.creator, nonce: randomBytes(24) });
  const data = encodeConfigEnvelope({ config: { sequence: 0, channelGroup: channelConfigGroup(o) }, lastUpdate: undefined });
  const payload = encodeCommonPayload({ header: { channelHeader, signatureHeader }, data });
  const envelope = encodeEnvelope({ payload, signature: o.signer.sign(payload) });
  return orderBlock({ number: 0, previousHash: new Uint8Array(0), data: [envelope], lastConfig: 0, signer: o.signer });
}
