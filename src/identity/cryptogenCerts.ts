/**
 * Certificates shaped like the ones Fabric's cryptogen writes (internal/cryptogen/ca/ca.go NewCA and
 * SignCertificate, internal/cryptogen/msp/msp.go GenerateLocalMSP), built with our own X.509 encoder.
 *
 * What cryptogen does, and we do the same:
 *   - every certificate: 128-bit random serial, NotBefore = now rounded to the minute minus 5 minutes,
 *     NotAfter = NotBefore + 3650 days (ca.go x509Template); ECDSA P-256 keys; low-S signatures
 *     (csp.ECDSASigner);
 *   - CA: subject C=US, ST=California, L=San Francisco, O=<domain>, CN=<ca name>; keyUsage
 *     digitalSignature|keyEncipherment|keyCertSign|cRLSign (critical), extKeyUsage clientAuth+serverAuth,
 *     basicConstraints CA:TRUE (critical), subjectKeyIdentifier = SHA-256 of the EC point (computeSKI);
 *   - leaves (SignCertificate): subject C/ST/L of the CA template (no O), the node OU when NodeOUs are on,
 *     CN=<node name>; basicConstraints CA:FALSE (critical); authorityKeyIdentifier = the CA's SKI (Go's
 *     x509.CreateCertificate copies it from the parent); no subjectKeyIdentifier (Go only adds one to CAs);
 *   - signing certificate (msp/signcerts): keyUsage digitalSignature, no extKeyUsage;
 *   - TLS certificate (tls/server.crt or client.crt): no OU, keyUsage digitalSignature|keyEncipherment,
 *     extKeyUsage serverAuth+clientAuth, subjectAltName from the node's SANS split by net.ParseIP.
 * Extensions are emitted in Go's order (keyUsage, extKeyUsage, basicConstraints, SKI, AKI, SAN).
 */
import type { KeyObject } from 'node:crypto';
import {
  authorityKeyIdentifierExt,
  basicConstraintsExt,
  buildCertificate,
  EkuOid,
  extKeyUsageExt,
  keyUsageExt,
  parseCertificate,
  pemEncode,
  skiSha256,
  subjectAltNameExt,
  subjectKeyIdentifierExt,
  type DistinguishedName,
  type Extension,
  type KeyUsage,
} from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** ca.go x509Template: "around 10 years". */
export const CRYPTOGEN_VALIDITY_MS = 3650 * DAY_MS;

/** ca.go x509Template: time.Now().Round(time.Minute).Add(-5 * time.Minute). */
export function cryptogenNotBefore(now: Date): Date {
  return new Date(Math.round(now.getTime() / 60_000) * 60_000 - 5 * 60_000);
}

/** ca.go subjectTemplate: the default location of every cryptogen subject. */
const LOCATION: DistinguishedName = [
  ['C', 'US'],
  ['ST', 'California'],
  ['L', 'San Francisco'],
];

/** A CA's signing material, as issueCryptogenLeaf needs it. */
export interface IssuingCa {
  readonly certPem: string;
  readonly privateKey: KeyObject;
}

/** Self-signed CA like ca.go NewCA: `name` is "ca.<domain>" or "tlsca.<domain>", `org` the domain. */
export function makeCryptogenCa(privateKey: KeyObject, name: string, org: string, now: Date): string {
  const notBefore = cryptogenNotBefore(now);
  const der = buildCertificate(
    {
      subject: [...LOCATION, ['O', org], ['CN', name]],
      notBefore,
      notAfter: new Date(notBefore.getTime() + CRYPTOGEN_VALIDITY_MS),
      publicKey: privateKey,
      extensions: [
        keyUsageExt(['digitalSignature', 'keyEncipherment', 'keyCertSign', 'cRLSign']),
        extKeyUsageExt([EkuOid.clientAuth, EkuOid.serverAuth]),
        basicConstraintsExt(true),
        subjectKeyIdentifierExt(skiSha256(privateKey)),
      ],
    },
    privateKey,
  );
  return pemEncode('CERTIFICATE', der);
}

export interface LeafRequest {
  readonly commonName: string;
  /** Subject OUs after the CA template's (none by default): the NodeOU of a signing certificate. */
  readonly ous?: readonly string[];
  /** subjectAltName entries (IP literals become iPAddress, the rest dNSName). */
  readonly sans?: readonly string[];
  readonly keyUsage: readonly KeyUsage[];
  readonly extKeyUsage?: readonly string[];
  /** The subject's key (a private key is reduced to its public half). */
  readonly publicKey: KeyObject;
  readonly now: Date;
}

/** A leaf certificate like ca.go SignCertificate. */
export function issueCryptogenLeaf(ca: IssuingCa, req: LeafRequest): string {
  const caInfo = parseCertificate(ca.certPem);
  const notBefore = cryptogenNotBefore(req.now);
  const extensions: Extension[] = [keyUsageExt(req.keyUsage)];
  if (req.extKeyUsage && req.extKeyUsage.length > 0) extensions.push(extKeyUsageExt(req.extKeyUsage));
  extensions.push(basicConstraintsExt(false));
  if (caInfo.subjectKeyId) extensions.push(authorityKeyIdentifierExt(caInfo.subjectKeyId));
  if (req.sans && req.sans.length > 0) extensions.push(subjectAltNameExt(req.sans));
  const der = buildCertificate(
    {
      subject: [...LOCATION, ...(req.ous ?? []).map((ou) => ['OU', ou] as const), ['CN', req.commonName]],
      issuerNameDer: caInfo.subjectNameDer,
      notBefore,
      notAfter: new Date(notBefore.getTime() + CRYPTOGEN_VALIDITY_MS),
      publicKey: req.publicKey,
      extensions,
    },
    ca.privateKey,
  );
  return pemEncode('CERTIFICATE', der);
}

/** msp/signcerts certificate (GenerateLocalMSP): keyUsage digitalSignature, the NodeOU as OU. */
export function issueSigningCert(ca: IssuingCa, commonName: string, nodeOu: string | undefined, publicKey: KeyObject, now: Date): string {
  return issueCryptogenLeaf(ca, {
    commonName,
    ous: nodeOu === undefined ? [] : [nodeOu],
    keyUsage: ['digitalSignature'],
    publicKey,
    now,
  });
}

/** tls/server.crt or tls/client.crt (GenerateLocalMSP): issued by the TLS CA, serverAuth+clientAuth. */
export function issueNodeTlsCert(tlsCa: IssuingCa, commonName: string, sans: readonly string[], publicKey: KeyObject, now: Date): string {
  return issueCryptogenLeaf(tlsCa, {
    commonName,
    sans,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: [EkuOid.serverAuth, EkuOid.clientAuth],
    publicKey,
    now,
  });
}

/**
 * msp/config.yaml as cryptogen writes it with EnableNodeOUs (msp.go exportConfig): every NodeOU identifier
 * points at the CA certificate in cacerts/. The text is what Fabric 2.5's cryptogen (gopkg.in/yaml.v2)
 * emits; Fabric 3's cryptogen writes the same keys with four-space indentation.
 */
export function nodeOusConfigYaml(caCertFile: string): string {
  const ou = (key: string, name: string): string =>
    `  ${key}:\n    Certificate: cacerts/${caCertFile}\n    OrganizationalUnitIdentifier: ${name}\n`;
  return (
    'NodeOUs:\n  Enable: true\n' +
    ou('ClientOUIdentifier', 'client') +
    ou('PeerOUIdentifier', 'peer') +
    ou('AdminOUIdentifier', 'admin') +
    ou('OrdererOUIdentifier', 'orderer')
  );
}
