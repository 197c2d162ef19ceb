/**
 * Policies, principals, collections (common/policies.proto, msp/msp_principal.proto,
 * peer/policy.proto, peer/collection.proto) and channel configuration (common/configtx.proto,
 * common/configuration.proto, orderer/configuration.proto, peer/configuration.proto,
 * msp/msp_config.proto) against @hyperledger/fabric-protos.
 */
import pkg from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import {
  ConsensusTypeState,
  decodeApplicationPolicy,
  decodeCapabilities,
  decodeConfigGroup,
  decodeConfigUpdate,
  decodeMSPRole,
  decodeSignaturePolicyEnvelope,
  encodeApplicationPolicy,
  encodeCapabilities,
  encodeConfigGroup,
  encodeConfigUpdate,
  encodeMSPRole,
  encodeSignaturePolicyEnvelope,
  ImplicitMetaPolicyRule,
  MSPIdentityAnonymityType,
  MSPPrincipalClassification,
  MSPRoleType,
  mspRoleTypeName,
  PolicyType,
  policyTypeName,
  type ConfigGroup,
  type SignaturePolicyEnvelope,
} from '../../src/wire/index.js';
import { checkMessages } from './fabricOracle.js';
import { expectSame, hex } from './oracle.js';

checkMessages('policies and principals', [
  'common.Policy',
  'common.SignaturePolicyEnvelope',
  'common.SignaturePolicy',
  'common.SignaturePolicy.NOutOf',
  'common.ImplicitMetaPolicy',
  'protos.ApplicationPolicy',
  'common.MSPPrincipal',
  'common.OrganizationUnit',
  'common.MSPRole',
  'common.MSPIdentityAnonymity',
  'common.CombinedPrincipal',
  'protos.CollectionConfigPackage',
  'protos.CollectionConfig',
  'protos.StaticCollectionConfig',
  'protos.CollectionPolicyConfig',
]);

checkMessages('channel configuration', [
  'common.ConfigEnvelope',
  'common.Config',
  'common.ConfigUpdateEnvelope',
  'common.ConfigUpdate',
  'common.ConfigGroup',
  'common.ConfigValue',
  'common.ConfigPolicy',
  'common.ConfigSignature',
  'common.HashingAlgorithm',
  'common.BlockDataHashingStructure',
  'common.OrdererAddresses',
  'common.Consortium',
  'common.Capabilities',
  'common.Capability',
  'orderer.ConsensusType',
  'orderer.BatchSize',
  'orderer.BatchTimeout',
  'orderer.ChannelRestrictions',
  'etcdraft.ConfigMetadata',
  'etcdraft.Consenter',
  'etcdraft.Options',
  'protos.AnchorPeers',
  'protos.AnchorPeer',
  'msp.MSPConfig',
  'msp.FabricMSPConfig',
  'msp.FabricCryptoConfig',
  'msp.SigningIdentityInfo',
  'msp.KeyInfo',
  'msp.FabricOUIdentifier',
  'msp.FabricNodeOUs',
]);

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('enums', () => {
  const { common, msp, orderer } = pkg as unknown as {
    common: { Policy: { PolicyType: unknown }; ImplicitMetaPolicy: { Rule: unknown } };
    msp: {
      MSPPrincipal: { Classification: unknown };
      MSPRole: { MSPRoleType: unknown };
      MSPIdentityAnonymity: { MSPIdentityAnonymityType: unknown };
    };
    orderer: { ConsensusType: { State: unknown } };
  };

  it('match Fabric, value for value', () => {
    expect({ ...PolicyType }).toEqual(common.Policy.PolicyType);
    expect({ ...ImplicitMetaPolicyRule }).toEqual(common.ImplicitMetaPolicy.Rule);
    expect({ ...MSPPrincipalClassification }).toEqual(msp.MSPPrincipal.Classification);
    expect({ ...MSPRoleType }).toEqual(msp.MSPRole.MSPRoleType);
    expect({ ...MSPIdentityAnonymityType }).toEqual(msp.MSPIdentityAnonymity.MSPIdentityAnonymityType);
    expect({ ...ConsensusTypeState }).toEqual(orderer.ConsensusType.State);
  });

  it('names', () => {
    expect(policyTypeName(PolicyType.IMPLICIT_META)).toBe('IMPLICIT_META');
    expect(mspRoleTypeName(3)).toBe('PEER');
    expect(mspRoleTypeName(99)).toBeUndefined();
  });
});

describe('signature policies', () => {
  // OutOf(2, 'Org1MSP.member', OR('Org2MSP.peer', 'Org1MSP.member')) — signed_by 0 is a real index.
  const role = (mspIdentifier: string, role: number): Uint8Array => encodeMSPRole({ mspIdentifier, role });
  const envelope: SignaturePolicyEnvelope = {
    version: 0,
    rule: {
      type: {
        case: 'nOutOf',
        value: {
          n: 2,
          rules: [
            { type: { case: 'signedBy', value: 0 } },
            {
              type: {
                case: 'nOutOf',
                value: { n: 1, rules: [{ type: { case: 'signedBy', value: 1 } }, { type: { case: 'signedBy', value: 0 } }] },
              },
            },
          ],
        },
      },
    },
    identities: [
      { principalClassification: MSPPrincipalClassification.ROLE, principal: role('Org1MSP', MSPRoleType.MEMBER) },
      { principalClassification: MSPPrincipalClassification.ROLE, principal: role('Org2MSP', MSPRoleType.PEER) },
    ],
  };

  it('nested n-out-of trees round-trip, signed_by 0 included', () => {
    const wire = encodeSignaturePolicyEnvelope(envelope);
    expectSame(decodeSignaturePolicyEnvelope(wire), { ok: true, value: envelope });
    // A rule with signed_by = 0 is written: rules (field 2) holding field 1, varint 0.
    expect(hex(wire)).toContain('12020800');
    const principal = decodeSignaturePolicyEnvelope(wire);
    const first = principal.ok ? principal.value.identities[0]! : undefined;
    expect(decodeMSPRole(first!.principal)).toEqual({ ok: true, value: { mspIdentifier: 'Org1MSP', role: 0 } });
  });

  it('application policy: explicit, by reference (also the empty reference), or unset', () => {
    for (const value of [
      { type: { case: 'signaturePolicy' as const, value: envelope } },
      { type: { case: 'channelConfigPolicyReference' as const, value: '/Channel/Application/Endorsement' } },
      { type: { case: 'channelConfigPolicyReference' as const, value: '' } },
      { type: undefined },
    ]) {
      expectSame(decodeApplicationPolicy(encodeApplicationPolicy(value)), { ok: true, value });
    }
    expect(hex(encodeApplicationPolicy({ type: { case: 'channelConfigPolicyReference', value: '' } }))).toBe('1200');
  });
});

describe('config maps', () => {
  const leaf = (modPolicy: string): ConfigGroup => ({ version: 0, groups: {}, values: {}, policies: {}, modPolicy });

  it('a config tree round-trips, with groups, values and policies by name', () => {
    const tree: ConfigGroup = {
      version: 1,
      groups: {
        Application: {
          version: 2,
          groups: { Org1MSP: leaf('Admins'), Org2MSP: leaf('Admins') },
          values: { Capabilities: { version: 0, value: encodeCapabilities({ capabilities: { V2_5: {} } }), modPolicy: 'Admins' } },
          policies: {
            Endorsement: {
              version: 0,
              policy: { type: PolicyType.IMPLICIT_META, value: utf8('\n\x0bEndorsement\x10\x02') },
              modPolicy: 'Admins',
            },
          },
          modPolicy: 'Admins',
        },
      },
      values: {},
      policies: {},
      modPolicy: '',
    };
    expectSame(decodeConfigGroup(encodeConfigGroup(tree)), { ok: true, value: tree });
    const caps = decodeCapabilities(tree.groups['Application']!.values['Capabilities']!.value);
    expect(caps.ok && Object.keys(caps.value.capabilities)).toEqual(['V2_5']);
  });

  it('a "__proto__" key is a plain entry, in groups and in isolated data', () => {
    const group: ConfigGroup = { ...leaf(''), groups: {} };
    Object.defineProperty(group.groups, '__proto__', { value: leaf('x'), enumerable: true, writable: true, configurable: true });
    const decoded = decodeConfigGroup(encodeConfigGroup(group));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(Object.keys(decoded.value.groups)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded.value.groups)).toBe(Object.prototype);
    expectSame(decoded.value, group);

    const isolatedData: Record<string, Uint8Array> = {};
    Object.defineProperty(isolatedData, '__proto__', { value: bytes(1), enumerable: true, writable: true, configurable: true });
    const update = { channelId: 'c', readSet: undefined, writeSet: undefined, isolatedData };
    const u = decodeConfigUpdate(encodeConfigUpdate(update));
    expectSame(u, { ok: true, value: update });
  });

  it('a map entry without a value decodes to the default message', () => {
    // groups { key "g" } with no value field
    const r = decodeConfigGroup(bytes(0x12, 0x03, 0x0a, 0x01, 0x67));
    expectSame(r, { ok: true, value: { ...leaf(''), groups: { g: leaf('') } } });
  });
});
