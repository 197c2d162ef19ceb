/**
 * TLS material for the peer <-> chaincode connection (docs/protocol.md §3).
 *
 * Fabric does not use the peer's organisational TLS identity for the chaincode listener: at every peer start
 * it creates a fresh self-signed CA in memory (internal/peer/node/start.go → common/crypto/tlsgen NewCA),
 * issues the listener's server certificate from it (NewServerCertKeyPair with the chaincode endpoint host as
 * SAN) and, per chaincode launch, a client certificate (core/chaincode/accesscontrol: Authenticator.Generate)
 * whose SHA-256 (over the DER) is mapped to the chaincode name for 10 minutes and checked when REGISTER
 * arrives. The templates below follow common/crypto/tlsgen/key.go:
 *   - ECDSA P-256 keys; serial = 128 random bits; NotBefore = now - 24h;
 *   - CA: keyUsage digitalSignature|keyEncipherment|keyCertSign|cRLSign, extKeyUsage clientAuth+serverAuth,
 *     CA:TRUE, lifetime 10 years;
 *   - server: keyUsage digitalSignature|keyEncipherment, extKeyUsage clientAuth+serverAuth, SANs split into
 *     iPAddress / dNSName with net.ParseIP semantics, 10 years;
 *   - client: keyUsage digitalSignature|keyEncipherment, extKeyUsage clientAuth, NotAfter = now + 24h;
 *   - SKI = SHA-256 of the EC point (RFC 7093 §2 method 4, tlsgen computeSKI).
 * Differences, deliberately: keys are PEM "PRIVATE KEY" (tlsgen writes PKCS#8 bytes under an
 * "EC PRIVATE KEY" label, which OpenSSL-based stacks may refuse), subjects carry a CN instead of only a
 * serialNumber, and leaves also carry basicConstraints CA:FALSE and an authorityKeyIdentifier.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { generateP256KeyPair, privateKeyToPem } from './ecdsa.js';
import {
  authorityKeyIdentifierExt,
  basicConstraintsExt,
  buildCertificate,
  certificateDer,
  EkuOid,
  encodeName,
  extKeyUsageExt,
  keyUsageExt,
  pemEncode,
  skiSha256,
  subjectAltNameExt,
  subjectKeyIdentifierExt,
  type DistinguishedName,
  type Extension,
} from './x509.js';

const HOUR_MS = 60 * 60 * 1000;
const TEN_YEARS_MS = 24 * 365 * 10 * HOUR_MS;

export interface CertKeyPair {
  /** PEM certificate. */
  readonly certPem: string;
  /** PKCS#8 PEM private key, usable by node:tls and @grpc/grpc-js. */
  readonly keyPem: string;
  readonly certDer: Buffer;
  readonly privateKey: KeyObject;
}

export interface TlsCa extends CertKeyPair {
  readonly subjectKeyId: Buffer;
  readonly subject: DistinguishedName;
}

export interface TlsCertOptions {
  /** Issue time (default now); NotBefore is 24 hours earlier, like tlsgen. */
  readonly now?: Date;
  /** Lifetime from `now`; defaults: CA and server 10 years, client 24 hours (tlsgen). */
  readonly validityMs?: number;
}

function pair(der: Buffer, privateKey: KeyObject): CertKeyPair {
  return { certPem: pemEncode('CERTIFICATE', der), keyPem: privateKeyToPem(privateKey), certDer: der, privateKey };
}

/** A fresh self-signed CA for the chaincode listener (in memory; make one per peer start). */
export function createTlsCa(options: TlsCertOptions & { readonly commonName?: string } = {}): TlsCa {
  const now = options.now ?? new Date();
  const { privateKey } = generateP256KeyPair();
  const subject: DistinguishedName = [['CN', options.commonName ?? 'chaincode-tls-ca']];
  const ski = skiSha256(privateKey);
  const der = buildCertificate(
    {
      subject,
      notBefore: new Date(now.getTime() - 24 * HOUR_MS),
      notAfter: new Date(now.getTime() + (options.validityMs ?? TEN_YEARS_MS)),
      publicKey: privateKey,
      extensions: [
        keyUsageExt(['digitalSignature', 'keyEncipherment', 'keyCertSign', 'cRLSign']),
        extKeyUsageExt([EkuOid.clientAuth, EkuOid.serverAuth]),
        basicConstraintsExt(true),
        subjectKeyIdentifierExt(ski),
      ],
    },
    privateKey,
  );
  return { ...pair(der, privateKey), subjectKeyId: ski, subject };
}

function issueLeaf(
  ca: TlsCa,
  subject: DistinguishedName,
  eku: readonly string[],
  extra: readonly Extension[],
  now: Date,
  validityMs: number,
): CertKeyPair {
  const { privateKey } = generateP256KeyPair();
  const der = buildCertificate(
    {
      subject,
      issuerNameDer: encodeName(ca.subject),
      notBefore: new Date(now.getTime() - 24 * HOUR_MS),
      notAfter: new Date(now.getTime() + validityMs),
      publicKey: privateKey,
      extensions: [
        keyUsageExt(['digitalSignature', 'keyEncipherment']),
        extKeyUsageExt(eku),
        basicConstraintsExt(false),
        subjectKeyIdentifierExt(skiSha256(privateKey)),
        authorityKeyIdentifierExt(ca.subjectKeyId),
        ...extra,
      ],
    },
    ca.privateKey,
  );
  return pair(der, privateKey);
}

/**
 * Server certificate for the chaincode listener. `hosts` become SANs: IP literals (IPv4/IPv6, brackets
 * allowed) as iPAddress, anything else as dNSName; e.g. ['127.0.0.1', 'localhost'].
 */
export function issueServerCert(ca: TlsCa, hosts: readonly string[], options: TlsCertOptions = {}): CertKeyPair {
  if (hosts.length === 0) throw new Error('issueServerCert: at least one host is required');
  return issueLeaf(
    ca,
    [['CN', hosts[0] as string]],
    [EkuOid.clientAuth, EkuOid.serverAuth],
    [subjectAltNameExt(hosts)],
    options.now ?? new Date(),
    options.validityMs ?? TEN_YEARS_MS,
  );
}

/** Client certificate handed to a launched chaincode (CORE_TLS_CLIENT_*), typically CN = chaincode ID. */
export function issueClientCert(ca: TlsCa, commonName: string, options: TlsCertOptions = {}): CertKeyPair {
  return issueLeaf(
    ca,
    [['CN', commonName]],
    [EkuOid.clientAuth],
    [],
    options.now ?? new Date(),
    options.validityMs ?? 24 * HOUR_MS,
  );
}

/**
 * SHA-256 over the certificate DER: the key of Fabric's chaincode certificate registry
 * (core/chaincode/accesscontrol: mapper keyed by certHash, looked up from the TLS peer certificate's raw
 * bytes in extractCertificateHashFromContext). Accepts PEM text or DER bytes; on the server side pass
 * `tlsSocket.getPeerCertificate().raw`.
 */
export function certHash(cert: string | Uint8Array): { readonly hex: string; readonly bytes: Buffer } {
  const bytes = createHash('sha256').update(certificateDer(cert)).digest();
  return { hex: bytes.toString('hex'), bytes };
}
