/**
 * Certificate chains the way Fabric's MSP builds them: Go's crypto/x509 `Certificate.Verify` with the MSP's
 * roots and intermediates as pools (msp/mspimpl.go getUniqueValidationChain), re-done on node:crypto.
 *
 * Rules kept from Go's Verify (crypto/x509/verify.go) as Fabric calls it:
 *   - a parent is a pool certificate whose subject is byte-for-byte the child's issuer, that is a CA
 *     (basicConstraints CA:TRUE), has keyCertSign when it has a keyUsage extension, respects its pathLen,
 *     and whose key verifies the child's signature; roots are trust anchors (their own signature unchecked);
 *   - every certificate of the chain is checked at one instant; Fabric passes the identity's
 *     NotBefore + 1s (mspimplvalidate.go getValidityOptsForCert), so expiry is not part of the chain check;
 *   - no key usages requested means serverAuth (Go's default): a certificate of the chain with an
 *     extKeyUsage extension must list serverAuth or anyExtendedKeyUsage;
 *   - a critical extension Go does not handle makes a certificate unusable. Name constraints are not
 *     evaluated here, so a critical nameConstraints extension counts as unhandled (fail closed).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { basicConstraintsOf, certificateDer, EkuOid, extKeyUsageOf, keyUsageOf, parseCertificate, type CertificateInfo } from './x509.js';

const HANDLED_CRITICAL = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.36', // policyConstraints
  '2.5.29.37', // extKeyUsage
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);
const ANY_EKU = '2.5.29.37.0';

/** A parsed certificate with what chain building needs. */
export interface ChainCert {
  readonly der: Buffer;
  /** DER as a string, a cheap map key. */
  readonly key: string;
  readonly info: CertificateInfo;
  readonly x509: X509Certificate;
  readonly isCA: boolean;
  readonly pathLen: number | undefined;
  readonly canSignCerts: boolean;
  readonly serverAuthOk: boolean;
  /** The first critical extension Go would not handle. */
  readonly unhandledCritical: string | undefined;
}

/** Parses a PEM or DER certificate; throws on anything that is not one. */
export function chainCert(cert: string | Uint8Array): ChainCert {
  const der = certificateDer(cert);
  const info = parseCertificate(der);
  const x509 = new X509Certificate(der);
  const bc = basicConstraintsOf(info);
  const ku = keyUsageOf(info);
  const eku = extKeyUsageOf(info);
  return {
    der,
    key: der.toString('latin1'),
    info,
    x509,
    isCA: bc?.isCA === true,
    pathLen: bc?.pathLen,
    canSignCerts: ku === undefined || ku.has('keyCertSign'),
    serverAuthOk: eku === undefined || eku.includes(EkuOid.serverAuth) || eku.includes(ANY_EKU),
    unhandledCritical: info.extensions.find((e) => e.critical && !HANDLED_CRITICAL.has(e.oid))?.oid,
  };
}

/** Go's time formatting in x509 validity errors (RFC 3339, seconds). */
export function goTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's CertificateInvalidError(Expired) text, or undefined when the validity period holds `at`. */
export function validityError(validity: { readonly notBefore: Date; readonly notAfter: Date }, at: Date): string | undefined {
  const text = 'x509: certificate has expired or is not yet valid: current time';
  if (at < validity.notBefore) return `${text} ${goTime(at)} is before ${goTime(validity.notBefore)}`;
  if (at > validity.notAfter) return `${text} ${goTime(at)} is after ${goTime(validity.notAfter)}`;
  return undefined;
}

function commonName(c: ChainCert): string {
  return c.info.subject.find(([oid]) => oid === '2.5.4.3')?.[1] ?? '';
}

/** SHA-256 over the concatenated DER of `chain` (msp/mspimpl.go getCertificationChainIdentifierFromChain). */
export function chainIdentifier(chain: readonly ChainCert[]): Buffer {
  const h = createHash('sha256');
  for (const c of chain) h.update(c.der);
  return h.digest();
}

/** Roots and intermediates of one MSP (or of its TLS side), indexed by subject. */
export class CertPool {
  readonly #bySubject = new Map<string, ChainCert[]>();
  readonly #roots = new Set<string>();
  /** Signature checks already done: child key + NUL + parent key. */
  readonly #verified = new Map<string, boolean>();

  constructor(roots: readonly ChainCert[], intermediates: readonly ChainCert[]) {
    const seen = new Set<string>();
    for (const [list, isRoot] of [
      [roots, true],
      [intermediates, false],
    ] as const) {
      for (const c of list) {
        if (seen.has(c.key)) continue; // a certificate in both lists stays a root
        seen.add(c.key);
        if (isRoot) this.#roots.add(c.key);
        const k = c.info.subjectNameDer.toString('latin1');
        this.#bySubject.set(k, [...(this.#bySubject.get(k) ?? []), c]);
      }
    }
  }

  isRoot(c: ChainCert): boolean {
    return this.#roots.has(c.key);
  }

  #signedBy(child: ChainCert, parent: ChainCert): boolean {
    const k = `${child.key}\u0000${parent.key}`;
    let ok = this.#verified.get(k);
    if (ok === undefined) {
      try {
        ok = child.x509.verify(parent.x509.publicKey);
      } catch {
        ok = false;
      }
      if (this.#verified.size > 4096) this.#verified.clear();
      this.#verified.set(k, ok);
    }
    return ok;
  }

  /**
   * Every chain from `leaf` to a root, each checked at `at`; or Go's error text when there is none.
   * A leaf that is itself a root gives the one-element chain.
   */
  chains(leaf: ChainCert, at: Date): { chains: ChainCert[][] } | { error: string } {
    if (leaf.unhandledCritical !== undefined) return { error: 'x509: unhandled critical extension' };
    const invalid = validityError(leaf.info, at);
    if (invalid) return { error: invalid };
    if (this.isRoot(leaf)) return { chains: [[leaf]] };
    const found: ChainCert[][] = [];
    let hint: string | undefined;
    const extend = (chain: ChainCert[]): void => {
      const child = chain[chain.length - 1] as ChainCert;
      for (const parent of this.#bySubject.get(child.info.issuerNameDer.toString('latin1')) ?? []) {
        if (chain.includes(parent)) continue;
        const why =
          !parent.isCA || !parent.canSignCerts
            ? 'x509: invalid signature: parent certificate cannot sign this kind of certificate'
            : parent.pathLen !== undefined && chain.length - 1 > parent.pathLen
              ? 'x509: too many intermediates for path length constraint'
              : parent.unhandledCritical !== undefined
                ? 'x509: unhandled critical extension'
                : (validityError(parent.info, at) ?? (this.#signedBy(child, parent) ? undefined : 'x509: ECDSA verification failure'));
        if (why !== undefined) {
          hint ??= `(possibly because of "${why}" while trying to verify candidate authority certificate "${commonName(parent)}")`;
          continue;
        }
        const next = [...chain, parent];
        if (this.isRoot(parent)) found.push(next);
        else if (next.length < 16) extend(next);
      }
    };
    extend([leaf]);
    if (found.length === 0) return { error: `x509: certificate signed by unknown authority${hint ? ' ' + hint : ''}` };
    const usable = found.filter((chain) => chain.every((c) => c.serverAuthOk));
    if (usable.length === 0) return { error: 'x509: certificate specifies an incompatible key usage' };
    return { chains: usable };
  }
}
