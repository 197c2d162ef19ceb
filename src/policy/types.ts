/**
 * Endorsement policies as values: Fabric's SignaturePolicyEnvelope (common/policies.proto) with the
 * principals already decoded (msp/msp_principal.proto MSPRole), and ImplicitMeta policies
 * (common/policies.proto ImplicitMetaPolicy) over the organisations of a channel. The wire forms
 * are converted in src/gateway (policyWire.ts); this layer is pure.
 */

/** MSPRole.MSPRoleType, by name (msp/msp_principal.proto). */
export type Role = 'member' | 'admin' | 'client' | 'peer' | 'orderer';
export const ROLES: readonly Role[] = ['member', 'admin', 'client', 'peer', 'orderer'];
/** MSPRole.MSPRoleType numbers. */
export const ROLE_NUMBER: Readonly<Record<Role, number>> = { member: 0, admin: 1, client: 2, peer: 3, orderer: 4 };

/** An MSPPrincipal of classification ROLE. */
export interface Principal {
  readonly mspId: string;
  readonly role: Role;
}

/** common.SignaturePolicy: a leaf naming one of the envelope's identities, or an n-out-of gate. */
export type SignaturePolicy = { readonly signedBy: number } | { readonly nOutOf: { readonly n: number; readonly rules: readonly SignaturePolicy[] } };

/** common.SignaturePolicyEnvelope */
export interface SignaturePolicyEnvelope {
  readonly version: number;
  readonly rule: SignaturePolicy;
  readonly identities: readonly Principal[];
}

/** common.ImplicitMetaPolicy.Rule */
export type ImplicitRule = 'ANY' | 'ALL' | 'MAJORITY';

/** A chaincode's endorsement policy: a signature policy, or an implicit meta policy over the orgs. */
export type EndorsementPolicy =
  | { readonly kind: 'signature'; readonly envelope: SignaturePolicyEnvelope }
  /** `/Channel/Application/<subPolicy>` over each organisation's own policy of that name (for
   *  Endorsement `OR('<org>.peer')`, the test network's configtx.yaml; see ORG_POLICY_ROLES). */
  | { readonly kind: 'implicitMeta'; readonly rule: ImplicitRule; readonly subPolicy: string };

/** What a policy is evaluated against: one signer (an endorser) that can be matched to principals. */
export interface PolicyIdentity {
  readonly mspId: string;
  satisfies(principal: Principal): boolean;
}
