/**
 * The types of the MSP API (msp.ts): configuration, identities, principals and results.
 */
import type { KeyObject } from 'node:crypto';

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';
export type MspRole = 'member' | NodeRole;

/**
 * An MSPPrincipal of classification ROLE (MSPRole{msp_identifier, role}). ROLE is the only classification
 * implemented, so `kind` may be left out ({ mspId, role } as src/policy's Principal has it).
 */
export interface MspRolePrincipal {
  readonly kind?: 'role';
  readonly role: MspRole;
  readonly mspId: string;
}
export type MspPrincipal = MspRolePrincipal;

/** One NodeOU identifier of config.yaml: the OU, and optionally the CA certificate it must chain to. */
export interface NodeOuIdentifier {
  readonly ou: string;
  readonly certificate?: string | Uint8Array;
}

export interface NodeOusConfig {
  readonly enable: boolean;
  readonly client?: NodeOuIdentifier;
  readonly peer?: NodeOuIdentifier;
  readonly admin?: NodeOuIdentifier;
  readonly orderer?: NodeOuIdentifier;
}

/** A certificate as PEM text, or PEM or DER bytes. */
export type CertInput = string | Uint8Array;

/** What FabricMSPConfig carries, with certificates as PEM text or DER bytes. */
export interface MspConfig {
  readonly mspId: string;
  readonly rootCerts: readonly CertInput[];
  readonly intermediateCerts?: readonly CertInput[];
  readonly tlsRootCerts?: readonly CertInput[];
  readonly tlsIntermediateCerts?: readonly CertInput[];
  /** admincerts: identities that are admins whatever their OUs. */
  readonly admins?: readonly CertInput[];
  /** OrganizationalUnitIdentifiers: when set, an identity needs one of these OUs. */
  readonly organizationalUnitIdentifiers?: readonly { readonly ou: string; readonly certificate: CertInput }[];
  readonly nodeOus?: NodeOusConfig;
  /** The local signer (signcerts + keystore). */
  readonly signingIdentity?: { readonly cert: CertInput; readonly privateKey: KeyObject | string };
}

export interface MspOptions {
  /** Clock for validity checks when no time is passed (tests). */
  readonly now?: () => Date;
  /** Validated certificates remembered (msp/cache/cache.go keeps 100 per MSP); default 100. */
  readonly cacheSize?: number;
}

/** A certificate that validated under an MSP. */
export interface MspIdentity {
  readonly mspId: string;
  /** Hex SHA-256 of the certificate DER (Fabric's IdentityIdentifier.Id). */
  readonly id: string;
  readonly certPem: string;
  readonly certDer: Buffer;
  /** Subject and issuer as Go's pkix.Name.String() prints them ("CN=…,OU=…,O=…,L=…,ST=…,C=…"). */
  readonly subject: string;
  readonly issuer: string;
  readonly ous: readonly string[];
  /** The NodeOU classification when NodeOUs are enabled. */
  readonly nodeRole: NodeRole | undefined;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  /** SHA-256 of the certification chain above the identity (the OU CertifiersIdentifier). */
  readonly certifiersId: Buffer;
}

export interface MspSigningIdentity extends MspIdentity {
  readonly privateKey: KeyObject;
  /** ECDSA-SHA256, DER, low-S: what Fabric verifies. */
  sign(message: Uint8Array): Buffer;
}

/** Why validation failed: not a certificate; not an identity of this MSP; outside its validity period. */
export type ValidationFailure = 'malformed' | 'invalid' | 'expired';
export type ValidationResult =
  | { readonly ok: true; readonly identity: MspIdentity }
  | { readonly ok: false; readonly code: ValidationFailure; readonly reason: string };
export type PrincipalResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface AtOptions {
  /** The time of the validity check; default the MSP's clock. */
  readonly at?: Date;
}
