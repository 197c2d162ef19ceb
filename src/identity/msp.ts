/**
 * An X.509 MSP that validates identities and verifies their signatures the way Fabric's bccspmsp does
 * (msp/mspimpl.go, msp/mspimplsetup.go, msp/mspimplvalidate.go, msp/identities.go) in its v1.4.3+
 * behaviour (MSPv1_4_3, the one Fabric 2.x channels use), with node:crypto.
 *
 * Deliberate differences:
 *   - Fabric's MSP does not look at the identity's expiry (the chain is checked at NotBefore + 1s); the
 *     peer rejects expired creators in a separate filter (core/handlers/auth/filter/expiration.go). Here
 *     `validateIdentity` does both: the chain as Fabric, then the identity's validity at the given time.
 *   - Fabric rewrites high-S certificate signatures (sanitizeCert) before hashing identities; our chain check
 *     accepts either form, and the identity id is the SHA-256 of the certificate as presented.
 *   - CRLs and the IDENTITY/ORGANIZATION_UNIT/COMBINED principals are not implemented; loadMspFromDir refuses
 *     an MSP folder with CRLs rather than ignoring them.
 */
import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { isLowS, privateKeyFromPem, signLowS, spkiDer } from './ecdsa.js';
import { CertPool, chainCert, chainIdentifier, validityError, type ChainCert } from './mspChain.js';
import { pemEncode } from './x509.js';
import type {
  AtOptions,
  CertInput,
  MspConfig,
  MspIdentity,
  MspOptions,
  MspPrincipal,
  MspSigningIdentity,
  NodeRole,
  PrincipalResult,
  ValidationResult,
} from './mspTypes.js';

export type * from './mspTypes.js';

const NAME_ATTR: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
};
const ROLE_NAME: Record<NodeRole, string> = { client: 'CLIENT', peer: 'PEER', admin: 'ADMIN', orderer: 'ORDERER' };
const NODE_ROLES: readonly NodeRole[] = ['client', 'peer', 'admin', 'orderer'];
const SECOND_MS = 1000;
const NO_CHAIN = 'could not obtain certification chain: ';
/** The reason of a 'malformed' failure starts with this (mspimpl.go getCertFromPem). */
export const PARSE_FAILED = 'getCertFromPem error: failed to parse x509 cert: ';
const SINGLE_CHAIN = 'this MSP only supports a single validation chain, got ';
/** Go's x509.PublicKeyAlgorithm names. */
const GO_KEY_ALG: Record<string, string> = { rsa: 'RSA', 'rsa-pss': 'RSA', dsa: 'DSA', ed25519: 'Ed25519' };

function nameString(attrs: ReadonlyArray<readonly [string, string]>): string {
  return [...attrs]
    .reverse()
    .map(([oid, v]) => `${NAME_ATTR[oid] ?? oid}=${v}`)
    .join(',');
}

/** Go's OUIDs String(): "[client(0123456789ABCDEF) …]" with the first 8 bytes of the certifiers id. */
function ouIds(ous: readonly string[], certifiersId: Buffer): string {
  const cid = certifiersId.subarray(0, 8).toString('hex').toUpperCase();
  return `[${ous.map((ou) => `${ou}(${cid})`).join(' ')}]`;
}

const serial = (c: ChainCert): string => c.info.serial.toString(16);

type Checked = { readonly identity: MspIdentity } | { readonly reason: string; readonly malformed?: true };

export class Msp {
  readonly mspId: string;
  readonly rootCerts: readonly string[];
  readonly intermediateCerts: readonly string[];
  readonly tlsRootCerts: readonly string[];
  readonly tlsIntermediateCerts: readonly string[];
  readonly admins: readonly string[];
  /** NodeOUs enforced (config.yaml NodeOUs.Enable with at least one identifier). */
  readonly nodeOusEnabled: boolean;
  /**
   * The NodeOU identifiers as configured, certificates as PEM (what configtxgen puts in
   * FabricNodeOUs: msp/configbuilder.go loads config.yaml's Certificate files).
   */
  readonly nodeOuIdentifiers: Readonly<Partial<Record<NodeRole, { readonly ou: string; readonly certificatePem?: string }>>>;
  readonly signingIdentity: MspSigningIdentity | undefined;

  readonly #pool: CertPool;
  readonly #intermediates: Set<string>;
  /** Certificates that issued an intermediate of this MSP: they may not issue identities. */
  readonly #internalNodes = new Set<string>();
  readonly #nodeOus = new Map<NodeRole, { readonly ou: string; readonly certifiersId: Buffer | undefined }>();
  readonly #ouIdentifiers = new Map<string, Buffer[]>();
  readonly #admins: Set<string>;
  readonly #now: () => Date;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, Checked>();
  /** Identities this MSP validated: principal checks need only their validity period then. */
  readonly #issued = new WeakSet<MspIdentity>();

  constructor(config: MspConfig, options: MspOptions = {}) {
    this.mspId = config.mspId;
    this.#now = options.now ?? ((): Date => new Date());
    this.#cacheSize = options.cacheSize ?? 100;
    const load = (list: readonly CertInput[] | undefined, what: string): ChainCert[] =>
      (list ?? []).map((c, i) => {
        try {
          return chainCert(c);
        } catch (err) {
          throw new Error(`MSP ${this.mspId}: ${what} ${i} is not a certificate: ${(err as Error).message}`);
        }
      });
    const pem = (list: ChainCert[]): string[] => list.map((c) => pemEncode('CERTIFICATE', c.der));

    // mspimplsetup.go setupCAs / finalizeSetupCAs
    const roots = load(config.rootCerts, 'root certificate');
    if (roots.length === 0) throw new Error(`MSP ${this.mspId}: expected at least one CA certificate`);
    const intermediates = load(config.intermediateCerts, 'intermediate certificate');
    this.#pool = new CertPool(roots, intermediates);
    this.#intermediates = new Set(intermediates.map((c) => c.key));
    this.#checkCas(roots, intermediates, this.#pool, '');
    for (const c of intermediates) {
      const chain = this.#caChain(c, this.#pool);
      for (const parent of chain.slice(1)) this.#internalNodes.add(parent.key);
    }
    // mspimplsetup.go setupTLSCAs
    const tlsRoots = load(config.tlsRootCerts, 'TLS root certificate');
    const tlsIntermediates = load(config.tlsIntermediateCerts, 'TLS intermediate certificate');
    this.#checkCas(tlsRoots, tlsIntermediates, new CertPool(tlsRoots, tlsIntermediates), 'TLS ');
    this.rootCerts = pem(roots);
    this.intermediateCerts = pem(intermediates);
    this.tlsRootCerts = pem(tlsRoots);
    this.tlsIntermediateCerts = pem(tlsIntermediates);

    // mspimplsetup.go setupOUs and setupNodeOUsV142
    for (const { ou, certificate } of config.organizationalUnitIdentifiers ?? []) {
      const list = this.#ouIdentifiers.get(ou) ?? [];
      const cid = this.#certifiersIdOf(certificate);
      if (!list.some((b) => b.equals(cid))) this.#ouIdentifiers.set(ou, [...list, cid]);
    }
    const nodeOus = config.nodeOus;
    const identifiers: Partial<Record<NodeRole, { ou: string; certificatePem?: string }>> = {};
    for (const role of NODE_ROLES) {
      const ident = nodeOus?.[role];
      if (ident === undefined) continue;
      const certifiersId = ident.certificate === undefined ? undefined : this.#certifiersIdOf(ident.certificate);
      this.#nodeOus.set(role, { ou: ident.ou, certifiersId });
      identifiers[role] = ident.certificate === undefined ? { ou: ident.ou } : { ou: ident.ou, certificatePem: pem(load([ident.certificate], 'NodeOU certificate'))[0]! };
    }
    this.nodeOuIdentifiers = identifiers;
    this.nodeOusEnabled = nodeOus?.enable === true && this.#nodeOus.size > 0;

    // mspimplsetup.go setupAdminsV142 / postSetupV142 / postSetupV1
    const admins = load(config.admins, 'admin certificate');
    this.admins = pem(admins);
    this.#admins = new Set(admins.map((c) => c.key));
    if (admins.length === 0 && (!this.nodeOusEnabled || !this.#nodeOus.has('admin'))) {
      throw new Error(`MSP ${this.mspId}: administrators must be declared when no admin ou classification is set`);
    }
    admins.forEach((admin, i) => {
      if (this.nodeOusEnabled) {
        const errs = (['client', 'admin'] as const).map((r) => this.#hasOuRole(admin.info.subject, r));
        if (errs.every((e) => e !== undefined)) throw new Error(`MSP ${this.mspId}: admin ${i} is invalid [${errs.join(',')}]`);
      } else {
        const r = this.#check(admin);
        if ('reason' in r) throw new Error(`MSP ${this.mspId}: admin ${i} is invalid: ${r.reason}`);
      }
    });

    // mspimplsetup.go setupSigningIdentity
    this.signingIdentity = config.signingIdentity && this.#signer(config.signingIdentity.cert, config.signingIdentity.privateKey);
  }

  #checkCas(roots: readonly ChainCert[], intermediates: readonly ChainCert[], pool: CertPool, tls: string): void {
    for (const c of [...roots, ...intermediates]) {
      if (!c.isCA) throw new Error(`MSP ${this.mspId}: ${tls}CA Certificate did not have the CA attribute, (SN: ${serial(c)})`);
      if (!c.info.subjectKeyId) {
        throw new Error(
          `MSP ${this.mspId}: ${tls}CA Certificate problem with Subject Key Identifier extension, (SN: ${serial(c)}): ` +
            'subjectKeyIdentifier not found in certificate',
        );
      }
    }
    for (const c of intermediates) this.#caChain(c, pool, tls);
  }

  /** mspimplvalidate.go validateCAIdentity: the chain of a CA certificate, checked at its NotBefore + 1s. */
  #caChain(c: ChainCert, pool: CertPool, tls = ''): ChainCert[] {
    const r = pool.chains(c, new Date(c.info.notBefore.getTime() + SECOND_MS));
    const chains = 'chains' in r ? r.chains : [];
    if ('error' in r || chains.length !== 1) {
      const why = 'error' in r ? `the supplied identity is not valid: ${r.error}` : `${SINGLE_CHAIN}${chains.length}`;
      throw new Error(`MSP ${this.mspId}: ${tls}CA Certificate is not valid, (SN: ${serial(c)}): ${NO_CHAIN}${why}`);
    }
    return chains[0] as ChainCert[];
  }

  /** mspimplsetup.go getCertifiersIdentifier: the chain identifier of one of our CA certificates. */
  #certifiersIdOf(cert: CertInput): Buffer {
    const c = chainCert(cert);
    if (!this.#pool.isRoot(c) && !this.#intermediates.has(c.key)) {
      const name = nameString(c.info.subject);
      throw new Error(`MSP ${this.mspId}: Failed adding OU. Certificate [${name}] not in root or intermediate certs.`);
    }
    return chainIdentifier(this.#pool.isRoot(c) ? [c] : this.#caChain(c, this.#pool));
  }

  #signer(cert: CertInput, key: KeyObject | string): MspSigningIdentity {
    const privateKey = typeof key === 'string' ? privateKeyFromPem(key) : key;
    const c = chainCert(cert);
    if (!c.info.spkiDer.equals(spkiDer(privateKey))) {
      throw new Error(`MSP ${this.mspId}: the signing certificate does not match the private key`);
    }
    const now = this.#now();
    if (now > c.info.notAfter) {
      const ago = Math.round((now.getTime() - c.info.notAfter.getTime()) / SECOND_MS);
      throw new Error(`MSP ${this.mspId}: signing identity expired ${ago}s ago`);
    }
    const r = this.#check(c);
    if ('reason' in r) throw new Error(`MSP ${this.mspId}: the signing identity is not valid: ${r.reason}`);
    return Object.freeze({ ...r.identity, privateKey, sign: (message: Uint8Array): Buffer => signLowS(privateKey, message) });
  }

  /** hasOURoleInternal: the OU of `role` among the subject's OUs (certifiers checked by validation). */
  #hasOuRole(subject: ReadonlyArray<readonly [string, string]>, role: NodeRole): string | undefined {
    if (!this.nodeOusEnabled) return 'NodeOUs not activated. Cannot tell apart identities.';
    const nodeOu = this.#nodeOus.get(role);
    if (!nodeOu) {
      return `cannot test for classification, node ou for type [${ROLE_NAME[role]}], not defined, msp: [${this.mspId}]`;
    }
    if (subject.some(([oid, v]) => oid === '2.5.4.11' && v === nodeOu.ou)) return undefined;
    return `The identity does not contain OU [${ROLE_NAME[role]}], MSP: [${this.mspId}]`;
  }

  /** The time-independent part of validateIdentity (mspimplvalidate.go validateIdentity). */
  #check(c: ChainCert): Checked {
    if (c.x509.publicKey.asymmetricKeyType !== 'ec') {
      const alg = GO_KEY_ALG[c.x509.publicKey.asymmetricKeyType ?? ''] ?? 'UnknownPublicKeyAlgorithm';
      return { reason: `could not validate identity's public key algorithm: ${alg} is not supported` };
    }
    // mspimpl.go getCertificationChainForBCCSPIdentity, getValidationChain, getUniqueValidationChain
    if (c.isCA) {
      const why = 'An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity';
      return { reason: `${NO_CHAIN}${why}` };
    }
    const prefix = `${NO_CHAIN}failed getting validation chain: `;
    const r = this.#pool.chains(c, new Date(c.info.notBefore.getTime() + SECOND_MS));
    if ('error' in r) return { reason: `${prefix}the supplied identity is not valid: ${r.error}` };
    if (r.chains.length !== 1) return { reason: `${prefix}${SINGLE_CHAIN}${r.chains.length}` };
    const chain = r.chains[0] as ChainCert[];
    if (this.#internalNodes.has((chain[1] as ChainCert).key)) {
      return { reason: `${prefix}invalid validation chain. Parent certificate should be a leaf of the certification tree` };
    }
    const certifiersId = chainIdentifier(chain.slice(1));
    const ous = c.info.subject.filter(([oid]) => oid === '2.5.4.11').map(([, v]) => v);
    const ouError = this.#checkOus(ous, certifiersId);
    if (typeof ouError === 'string') return { reason: `could not validate identity's OUs: ${ouError}` };
    const certPem = pemEncode('CERTIFICATE', c.der);
    const identity: MspIdentity = Object.freeze({
      mspId: this.mspId,
      id: createHash('sha256').update(c.der).digest('hex'),
      certPem,
      certDer: c.der,
      subject: nameString(c.info.subject),
      issuer: nameString(this.#issuerAttrs(chain)),
      ous: Object.freeze(ous),
      nodeRole: ouError.role,
      notBefore: c.info.notBefore,
      notAfter: c.info.notAfter,
      publicKey: c.x509.publicKey,
      certifiersId,
    });
    this.#issued.add(identity);
    return { identity };
  }

  #issuerAttrs(chain: ChainCert[]): ReadonlyArray<readonly [string, string]> {
    return (chain[1] as ChainCert).info.subject;
  }

  /** mspimplvalidate.go validateIdentityOUsV142: an error text, or the NodeOU role found. */
  #checkOus(ous: readonly string[], certifiersId: Buffer): string | { role: NodeRole | undefined } {
    if (this.#ouIdentifiers.size > 0) {
      const found = ous.some((ou) => this.#ouIdentifiers.get(ou)?.some((cid) => cid.equals(certifiersId)));
      if (!found) {
        if (ous.length === 0) return 'the identity certificate does not contain an Organizational Unit (OU)';
        return `none of the identity's organizational units ${ouIds(ous, certifiersId)} are in MSP ${this.mspId}`;
      }
    }
    if (!this.nodeOusEnabled) return { role: undefined };
    let role: NodeRole | undefined;
    let count = 0;
    for (const ou of ous) {
      const match = NODE_ROLES.find((r) => this.#nodeOus.get(r)?.ou === ou);
      if (match === undefined) continue;
      const expected = this.#nodeOus.get(match)?.certifiersId;
      if (expected !== undefined && !expected.equals(certifiersId)) {
        return `certifiersIdentifier does not match: ${ouIds(ous, certifiersId)}, MSP: [${this.mspId}]`;
      }
      role ??= match;
      if (++count > 1) break;
    }
    const where = `OUs: ${ouIds(ous, certifiersId)}, MSP: [${this.mspId}]`;
    if (count === 0) return `the identity does not have an OU that resolves to client, peer, orderer, or admin role. ${where}`;
    if (count > 1) {
      return `the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination of them. ${where}`;
    }
    return { role };
  }

  /**
   * Validates a certificate (PEM text, or PEM or DER bytes) as an identity of this MSP: it chains to
   * exactly one of our roots (through our intermediates) with valid signatures, is no CA, has the OUs the
   * MSP requires, and is within its validity period at `at`. Results are cached per certificate.
   */
  validateIdentity(cert: CertInput, opts: AtOptions = {}): ValidationResult {
    const key = typeof cert === 'string' ? 's' + cert : 'b' + Buffer.from(cert.buffer, cert.byteOffset, cert.byteLength).toString('latin1');
    let checked = this.#cache.get(key);
    if (checked === undefined) {
      try {
        checked = this.#check(chainCert(cert));
      } catch (err) {
        checked = { reason: `${PARSE_FAILED}${(err as Error).message}`, malformed: true };
      }
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
    } else {
      this.#cache.delete(key); // most recently used goes last
    }
    this.#cache.set(key, checked);
    if ('reason' in checked) return { ok: false, code: checked.malformed ? 'malformed' : 'invalid', reason: checked.reason };
    const expired = validityError(checked.identity, opts.at ?? this.#now());
    if (expired !== undefined) return { ok: false, code: 'expired', reason: `the identity is not valid at this time: ${expired}` };
    return { ok: true, identity: checked.identity };
  }

  /**
   * identities.go Verify: ECDSA over SHA-256 of `message` (SignatureHashFamily SHA2), DER signature, and
   * high-S rejected like bccsp/sw/ecdsa.go verifyECDSA. False also for an identity of another MSP.
   */
  verify(identity: MspIdentity, message: Uint8Array, signature: Uint8Array): boolean {
    if (identity.mspId !== this.mspId) return false;
    try {
      if (!isLowS(identity.publicKey, signature)) return false;
      return nodeVerify('sha256', message, { key: identity.publicKey, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  }

  /**
   * mspimpl.go SatisfiesPrincipal for ROLE principals, as satisfiesPrincipalInternalV142 (and the v1.3 and
   * pre-v1.3 functions it falls back to) decide it.
   */
  satisfiesPrincipal(identity: MspIdentity, principal: MspPrincipal, opts: AtOptions = {}): PrincipalResult {
    const fail = (reason: string): PrincipalResult => ({ ok: false, reason });
    if (principal.mspId !== this.mspId || identity.mspId !== this.mspId) {
      return fail(`the identity is a member of a different MSP (expected ${principal.mspId}, got ${identity.mspId})`);
    }
    const valid = (): string | undefined => {
      if (this.#issued.has(identity)) {
        const expired = validityError(identity, opts.at ?? this.#now());
        return expired === undefined ? undefined : `the identity is not valid at this time: ${expired}`;
      }
      const r = this.validateIdentity(identity.certDer, opts);
      return r.ok ? undefined : r.reason;
    };
    const role = principal.role;
    if (role !== 'member' && !NODE_ROLES.includes(role)) return fail(`invalid MSP role type ${String(role)}`);
    if (role === 'member') {
      const err = valid();
      return err === undefined ? { ok: true } : fail(err);
    }
    if (role === 'admin') {
      if (this.#admins.has(identity.certDer.toString('latin1'))) return { ok: true };
      if (!this.nodeOusEnabled) return fail('This identity is not an admin');
    } else if (role === 'orderer' && !this.nodeOusEnabled) {
      return fail('invalid MSP role type 4');
    }
    const err = valid();
    if (err !== undefined) return fail(`The identity is not valid under this MSP [${this.mspId}]: ${err}`);
    const ouErr = this.#hasOuRole(identity.ous.map((ou) => ['2.5.4.11', ou] as const), role);
    if (ouErr === undefined) return { ok: true };
    const what = role === 'admin' ? 'an admin' : `a [${ROLE_NAME[role]}]`;
    return fail(`The identity is not ${what} under this MSP [${this.mspId}]: ${ouErr}`);
  }
}

/** Shorthand for `new Msp(config, options)`. */
export function createMsp(config: MspConfig, options?: MspOptions): Msp {
  return new Msp(config, options);
}

