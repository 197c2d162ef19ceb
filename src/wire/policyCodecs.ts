/**
 * Codecs for policies and principals (fabric-protos common/policies.proto,
 * msp/msp_principal.proto, peer/policy.proto, peer/collection.proto). Shapes: shapes.ts.
 */
import { common, protos } from './generated/protos.js';
import type {
  ApplicationPolicy,
  CollectionConfig,
  CollectionConfigPackage,
  CollectionPolicyConfig,
  CombinedPrincipal,
  ImplicitMetaPolicy,
  MSPIdentityAnonymity,
  MSPPrincipal,
  MSPRole,
  OrganizationUnit,
  Policy,
  SignaturePolicy,
  SignaturePolicyEnvelope,
  SignaturePolicyNOutOf,
  StaticCollectionConfig,
} from './policyTypes.js';
import { bin, bytesOf, flag, int64Of, messageCodec, num, str } from './runtime.js';
import { listOf, wireList } from './shapes.js';

export const policyCodec = messageCodec(
  'common.Policy',
  common.Policy,
  (v: Policy): common.IPolicy => ({ type: num(v.type), value: bin(v.value) }),
  (m: common.IPolicy): Policy => ({ type: m.type ?? 0, value: bytesOf(m.value) }),
);

export const signaturePolicyEnvelopeCodec = messageCodec(
  'common.SignaturePolicyEnvelope',
  common.SignaturePolicyEnvelope,
  (v: SignaturePolicyEnvelope): common.ISignaturePolicyEnvelope => ({
    version: num(v.version),
    rule: v.rule && signaturePolicyCodec.toWire(v.rule),
    identities: wireList(v.identities, mspPrincipalCodec.toWire),
  }),
  (m: common.ISignaturePolicyEnvelope): SignaturePolicyEnvelope => ({
    version: m.version ?? 0,
    rule: m.rule ? signaturePolicyCodec.fromWire(m.rule) : undefined,
    identities: listOf(m.identities, mspPrincipalCodec.fromWire),
  }),
);

export const signaturePolicyCodec = messageCodec(
  'common.SignaturePolicy',
  common.SignaturePolicy,
  (v: SignaturePolicy): common.ISignaturePolicy => {
    const t = v.type;
    if (t === undefined) return {};
    return t.case === 'signedBy' ? { signedBy: t.value } : { nOutOf: signaturePolicyNOutOfCodec.toWire(t.value) };
  },
  (m: common.ISignaturePolicy): SignaturePolicy => {
    switch ((m as common.SignaturePolicy).Type) {
      case 'signedBy': return { type: { case: 'signedBy', value: m.signedBy! } };
      case 'nOutOf': return { type: { case: 'nOutOf', value: signaturePolicyNOutOfCodec.fromWire(m.nOutOf!) } };
      default: return { type: undefined };
    }
  },
);

export const signaturePolicyNOutOfCodec = messageCodec(
  'common.SignaturePolicy.NOutOf',
  common.SignaturePolicy.NOutOf,
  (v: SignaturePolicyNOutOf): common.SignaturePolicy.INOutOf => ({
    n: num(v.n),
    rules: wireList(v.rules, signaturePolicyCodec.toWire),
  }),
  (m: common.SignaturePolicy.INOutOf): SignaturePolicyNOutOf => ({
    n: m.n ?? 0,
    rules: listOf(m.rules, signaturePolicyCodec.fromWire),
  }),
);

export const implicitMetaPolicyCodec = messageCodec(
  'common.ImplicitMetaPolicy',
  common.ImplicitMetaPolicy,
  (v: ImplicitMetaPolicy): common.IImplicitMetaPolicy => ({ subPolicy: str(v.subPolicy), rule: num(v.rule) }),
  (m: common.IImplicitMetaPolicy): ImplicitMetaPolicy => ({ subPolicy: m.subPolicy ?? '', rule: m.rule ?? 0 }),
);

export const applicationPolicyCodec = messageCodec(
  'protos.ApplicationPolicy',
  protos.ApplicationPolicy,
  (v: ApplicationPolicy): protos.IApplicationPolicy => {
    const t = v.type;
    if (t === undefined) return {};
    return t.case === 'signaturePolicy'
      ? { signaturePolicy: signaturePolicyEnvelopeCodec.toWire(t.value) }
      : { channelConfigPolicyReference: t.value };
  },
  (m: protos.IApplicationPolicy): ApplicationPolicy => {
    switch ((m as protos.ApplicationPolicy).Type) {
      case 'signaturePolicy':
        return { type: { case: 'signaturePolicy', value: signaturePolicyEnvelopeCodec.fromWire(m.signaturePolicy!) } };
      case 'channelConfigPolicyReference':
        return { type: { case: 'channelConfigPolicyReference', value: m.channelConfigPolicyReference! } };
      default:
        return { type: undefined };
    }
  },
);

export const mspPrincipalCodec = messageCodec(
  'common.MSPPrincipal',
  common.MSPPrincipal,
  (v: MSPPrincipal): common.IMSPPrincipal => ({
    principalClassification: num(v.principalClassification),
    principal: bin(v.principal),
  }),
  (m: common.IMSPPrincipal): MSPPrincipal => ({
    principalClassification: m.principalClassification ?? 0,
    principal: bytesOf(m.principal),
  }),
);

export const organizationUnitCodec = messageCodec(
  'common.OrganizationUnit',
  common.OrganizationUnit,
  (v: OrganizationUnit): common.IOrganizationUnit => ({
    mspIdentifier: str(v.mspIdentifier),
    organizationalUnitIdentifier: str(v.organizationalUnitIdentifier),
    certifiersIdentifier: bin(v.certifiersIdentifier),
  }),
  (m: common.IOrganizationUnit): OrganizationUnit => ({
    mspIdentifier: m.mspIdentifier ?? '',
    organizationalUnitIdentifier: m.organizationalUnitIdentifier ?? '',
    certifiersIdentifier: bytesOf(m.certifiersIdentifier),
  }),
);

export const mspRoleCodec = messageCodec(
  'common.MSPRole',
  common.MSPRole,
  (v: MSPRole): common.IMSPRole => ({ mspIdentifier: str(v.mspIdentifier), role: num(v.role) }),
  (m: common.IMSPRole): MSPRole => ({ mspIdentifier: m.mspIdentifier ?? '', role: m.role ?? 0 }),
);

export const mspIdentityAnonymityCodec = messageCodec(
  'common.MSPIdentityAnonymity',
  common.MSPIdentityAnonymity,
  (v: MSPIdentityAnonymity): common.IMSPIdentityAnonymity => ({ anonymityType: num(v.anonymityType) }),
  (m: common.IMSPIdentityAnonymity): MSPIdentityAnonymity => ({ anonymityType: m.anonymityType ?? 0 }),
);

export const combinedPrincipalCodec = messageCodec(
  'common.CombinedPrincipal',
  common.CombinedPrincipal,
  (v: CombinedPrincipal): common.ICombinedPrincipal => ({ principals: wireList(v.principals, mspPrincipalCodec.toWire) }),
  (m: common.ICombinedPrincipal): CombinedPrincipal => ({ principals: listOf(m.principals, mspPrincipalCodec.fromWire) }),
);

export const collectionConfigPackageCodec = messageCodec(
  'protos.CollectionConfigPackage',
  protos.CollectionConfigPackage,
  (v: CollectionConfigPackage): protos.ICollectionConfigPackage => ({ config: wireList(v.config, collectionConfigCodec.toWire) }),
  (m: protos.ICollectionConfigPackage): CollectionConfigPackage => ({ config: listOf(m.config, collectionConfigCodec.fromWire) }),
);

export const collectionConfigCodec = messageCodec(
  'protos.CollectionConfig',
  protos.CollectionConfig,
  (v: CollectionConfig): protos.ICollectionConfig =>
    v.payload === undefined ? {} : { staticCollectionConfig: staticCollectionConfigCodec.toWire(v.payload.value) },
  (m: protos.ICollectionConfig): CollectionConfig => ({
    payload:
      (m as protos.CollectionConfig).payload === 'staticCollectionConfig'
        ? { case: 'staticCollectionConfig', value: staticCollectionConfigCodec.fromWire(m.staticCollectionConfig!) }
        : undefined,
  }),
);

export const staticCollectionConfigCodec = messageCodec(
  'protos.StaticCollectionConfig',
  protos.StaticCollectionConfig,
  (v: StaticCollectionConfig): protos.IStaticCollectionConfig => ({
    name: str(v.name),
    memberOrgsPolicy: v.memberOrgsPolicy && collectionPolicyConfigCodec.toWire(v.memberOrgsPolicy),
    requiredPeerCount: num(v.requiredPeerCount),
    maximumPeerCount: num(v.maximumPeerCount),
    blockToLive: num(v.blockToLive),
    memberOnlyRead: flag(v.memberOnlyRead),
    memberOnlyWrite: flag(v.memberOnlyWrite),
    endorsementPolicy: v.endorsementPolicy && applicationPolicyCodec.toWire(v.endorsementPolicy),
  }),
  (m: protos.IStaticCollectionConfig): StaticCollectionConfig => ({
    name: m.name ?? '',
    memberOrgsPolicy: m.memberOrgsPolicy ? collectionPolicyConfigCodec.fromWire(m.memberOrgsPolicy) : undefined,
    requiredPeerCount: m.requiredPeerCount ?? 0,
    maximumPeerCount: m.maximumPeerCount ?? 0,
    blockToLive: int64Of(m.blockToLive),
    memberOnlyRead: m.memberOnlyRead ?? false,
    memberOnlyWrite: m.memberOnlyWrite ?? false,
    endorsementPolicy: m.endorsementPolicy ? applicationPolicyCodec.fromWire(m.endorsementPolicy) : undefined,
  }),
);

export const collectionPolicyConfigCodec = messageCodec(
  'protos.CollectionPolicyConfig',
  protos.CollectionPolicyConfig,
  (v: CollectionPolicyConfig): protos.ICollectionPolicyConfig =>
    v.payload === undefined ? {} : { signaturePolicy: signaturePolicyEnvelopeCodec.toWire(v.payload.value) },
  (m: protos.ICollectionPolicyConfig): CollectionPolicyConfig => ({
    payload:
      (m as protos.CollectionPolicyConfig).payload === 'signaturePolicy'
        ? { case: 'signaturePolicy', value: signaturePolicyEnvelopeCodec.fromWire(m.signaturePolicy!) }
        : undefined,
  }),
);
