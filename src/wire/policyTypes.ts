/**
 * Domain types for policies and principals: common/policies.proto, msp/msp_principal.proto
 * (package `common`), peer/policy.proto and peer/collection.proto (package `protos`).
 * Conventions: shapes.ts (oneofs as `{ case, value }`).
 */
import type { Bytes } from '../protocol/messages.js';
import { enumNames, type OneOf } from './shapes.js';

/** common.Policy */
export interface Policy {
  /** A PolicyType value. */
  type: number;
  /** SIGNATURE: a serialized SignaturePolicyEnvelope; IMPLICIT_META: a serialized ImplicitMetaPolicy. */
  value: Bytes;
}

/** common.Policy.PolicyType */
export const PolicyType = {
  UNKNOWN: 0,
  SIGNATURE: 1,
  MSP: 2,
  IMPLICIT_META: 3,
} as const;
export type PolicyTypeName = keyof typeof PolicyType;
export const policyTypeName = enumNames(PolicyType);

/** common.SignaturePolicyEnvelope */
export interface SignaturePolicyEnvelope {
  version: number;
  rule: SignaturePolicy | undefined;
  /** The principals `signedBy` refers to by index. */
  identities: MSPPrincipal[];
}

/** common.SignaturePolicy: a leaf (`signedBy` = index into identities) or an n-out-of node. */
export interface SignaturePolicy {
  /** oneof Type */
  type: OneOf<'signedBy', number> | OneOf<'nOutOf', SignaturePolicyNOutOf> | undefined;
}

/** common.SignaturePolicy.NOutOf */
export interface SignaturePolicyNOutOf {
  n: number;
  rules: SignaturePolicy[];
}

/** common.ImplicitMetaPolicy */
export interface ImplicitMetaPolicy {
  subPolicy: string;
  /** An ImplicitMetaPolicyRule value. */
  rule: number;
}

/** common.ImplicitMetaPolicy.Rule */
export const ImplicitMetaPolicyRule = {
  ANY: 0,
  ALL: 1,
  MAJORITY: 2,
} as const;
export type ImplicitMetaPolicyRuleName = keyof typeof ImplicitMetaPolicyRule;
export const implicitMetaPolicyRuleName = enumNames(ImplicitMetaPolicyRule);

/** protos.ApplicationPolicy (peer/policy.proto). */
export interface ApplicationPolicy {
  /** oneof Type; the reference is a config path such as "/Channel/Application/Endorsement". */
  type: OneOf<'signaturePolicy', SignaturePolicyEnvelope> | OneOf<'channelConfigPolicyReference', string> | undefined;
}

/** common.MSPPrincipal */
export interface MSPPrincipal {
  /** An MSPPrincipalClassification value. */
  principalClassification: number;
  /** Serialized according to the classification: MSPRole, OrganizationUnit, SerializedIdentity, ... */
  principal: Bytes;
}

/** common.MSPPrincipal.Classification */
export const MSPPrincipalClassification = {
  ROLE: 0,
  ORGANIZATION_UNIT: 1,
  IDENTITY: 2,
  ANONYMITY: 3,
  COMBINED: 4,
} as const;
export type MSPPrincipalClassificationName = keyof typeof MSPPrincipalClassification;
export const mspPrincipalClassificationName = enumNames(MSPPrincipalClassification);

/** common.OrganizationUnit */
export interface OrganizationUnit {
  mspIdentifier: string;
  organizationalUnitIdentifier: string;
  certifiersIdentifier: Bytes;
}

/** common.MSPRole */
export interface MSPRole {
  mspIdentifier: string;
  /** An MSPRoleType value. */
  role: number;
}

/** common.MSPRole.MSPRoleType */
export const MSPRoleType = {
  MEMBER: 0,
  ADMIN: 1,
  CLIENT: 2,
  PEER: 3,
  ORDERER: 4,
} as const;
export type MSPRoleTypeName = keyof typeof MSPRoleType;
export const mspRoleTypeName = enumNames(MSPRoleType);

/** common.MSPIdentityAnonymity */
export interface MSPIdentityAnonymity {
  /** An MSPIdentityAnonymityType value. */
  anonymityType: number;
}

/** common.MSPIdentityAnonymity.MSPIdentityAnonymityType */
export const MSPIdentityAnonymityType = {
  NOMINAL: 0,
  ANONYMOUS: 1,
} as const;
export type MSPIdentityAnonymityTypeName = keyof typeof MSPIdentityAnonymityType;
export const mspIdentityAnonymityTypeName = enumNames(MSPIdentityAnonymityType);

/** common.CombinedPrincipal */
export interface CombinedPrincipal {
  principals: MSPPrincipal[];
}

/** protos.CollectionConfigPackage */
export interface CollectionConfigPackage {
  config: CollectionConfig[];
}

/** protos.CollectionConfig */
export interface CollectionConfig {
  /** oneof payload */
  payload: OneOf<'staticCollectionConfig', StaticCollectionConfig> | undefined;
}

/** protos.StaticCollectionConfig */
export interface StaticCollectionConfig {
  name: string;
  memberOrgsPolicy: CollectionPolicyConfig | undefined;
  requiredPeerCount: number;
  maximumPeerCount: number;
  /** uint64; 0 = keep forever. */
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: ApplicationPolicy | undefined;
}

/** protos.CollectionPolicyConfig */
export interface CollectionPolicyConfig {
  /** oneof payload */
  payload: OneOf<'signaturePolicy', SignaturePolicyEnvelope> | undefined;
}
