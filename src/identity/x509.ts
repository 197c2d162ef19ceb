/**
 * X.509 v3 certificate minting (RFC 5280) with ECDSA keys, plus the small amount of parsing the CA needs
 * (subject, key identifiers, validity, the fabric-ca attribute extension).
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  children,
  decode,
  decodeOid,
  decodeTime,
  directoryString,
  expectTag,
  explicit,
  ia5String,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  setOf,
  Tag,
  time,
  type DerNode,
} from './der.js';
import { curveOf, ecPoint, signLowS, spkiDer } from './ecdsa.js';

// ---------------------------------------------------------------------------------------------------------
// PEM

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** DER of the first PEM block with `label` (default CERTIFICATE). */
export function pemDecode(pem: string, label = 'CERTIFICATE'): Buffer {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const m = pem.match(re);
  if (!m || m[1] === undefined) throw new Error(`no PEM block "${label}" found`);
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

/** Accepts a PEM string (or its bytes) or DER bytes of a certificate. */
export function certificateDer(cert: string | Uint8Array): Buffer {
  if (typeof cert === 'string') return pemDecode(cert);
  const buf = Buffer.from(cert);
  // DER certificates start with SEQUENCE; anything else is taken as PEM text.
  return buf[0] === Tag.SEQUENCE ? buf : pemDecode(buf.toString('utf8'));
}

// ---------------------------------------------------------------------------------------------------------
// Names

export const NameOid = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
} as const;
export type NameAttr = keyof typeof NameOid;

/**
 * A distinguished name as an ordered list of single-valued RDNs, most significant first, i.e. in DER
 * order. Go's pkix.Name (fabric-ca, cryptogen) emits C, ST, L, O, OU…, CN in that order; fabric-shim's
 * ClientIdentity prints them in the same order ("/C=US/ST=…/CN=user1").
 */
export type DistinguishedName = ReadonlyArray<readonly [NameAttr, string]>;

export function encodeName(name: DistinguishedName): Buffer {
  return sequence(
    ...name.map(([attr, value]) => {
      // countryName and serialNumber are PrintableString by definition (RFC 5280 Appendix A).
      const v = attr === 'C' || attr === 'SERIALNUMBER' ? printableString(value) : directoryString(value);
      return setOf(sequence(oid(NameOid[attr]), v));
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Extensions

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue content (the octets wrapped in the OCTET STRING). */
  readonly value: Uint8Array;
}

export const ExtOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  /** fabric-ca lib/attrmgr AttrOID: raw JSON `{"attrs":{...}}` as extnValue. */
  fabricAttrs: '1.2.3.4.5.6.7.8.1',
} as const;

export const EkuOid = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** RFC 5280 §4.2.1.3 bit numbers. */
export const KeyUsageBit = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
export type KeyUsage = keyof typeof KeyUsageBit;

/** Go's crypto/x509 marks basicConstraints and keyUsage critical; we do the same. */
export function basicConstraintsExt(isCA: boolean, pathLen?: number): Extension {
  const parts: Buffer[] = [];
  if (isCA) parts.push(boolean(true)); // DEFAULT FALSE is omitted in DER
  if (isCA && pathLen !== undefined) parts.push(integer(BigInt(pathLen)));
  return { oid: ExtOid.basicConstraints, critical: true, value: sequence(...parts) };
}

export function keyUsageExt(usages: readonly KeyUsage[]): Extension {
  let bits = 0;
  for (const u of usages) bits |= 1 << (15 - KeyUsageBit[u]); // bit 0 is the MSB of the first octet
  const bytes = Buffer.from([bits >> 8, bits & 0xff]);
  // DER named BIT STRING: drop trailing zero bits (X.690 §11.2.2).
  let used = bytes[1] === 0 ? 1 : 2;
  const content = bytes.subarray(0, used);
  const last = content[used - 1] as number;
  let unused = 0;
  if (last === 0) {
    used = 0;
  } else {
    while (!((last >> unused) & 1)) unused++;
  }
  const value = used === 0 ? bitString(Buffer.alloc(0), 0) : bitString(content, unused);
  return { oid: ExtOid.keyUsage, critical: true, value };
}

export function extKeyUsageExt(oids: readonly string[]): Extension {
  return { oid: ExtOid.extKeyUsage, critical: false, value: sequence(...oids.map(oid)) };
}

export function subjectKeyIdentifierExt(keyId: Uint8Array): Extension {
  return { oid: ExtOid.subjectKeyIdentifier, critical: false, value: octetString(keyId) };
}

export function authorityKeyIdentifierExt(keyId: Uint8Array): Extension {
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT KeyIdentifier OPTIONAL, ... }
  return { oid: ExtOid.authorityKeyIdentifier, critical: false, value: sequence(implicitPrimitive(0, keyId)) };
}

/** IPv4/IPv6 text to its 4/16 octets (brackets around IPv6 are tolerated). */
export function ipToBytes(ip: string): Buffer {
  const host = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const kind = isIP(host);
  if (kind === 4) return Buffer.from(host.split('.').map(Number));
  if (kind !== 6) throw new Error(`not an IP address: ${ip}`);
  let text = host.split('%')[0] ?? host; // drop a zone id
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups so one parser handles both forms.
  text = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(':'),
  );
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  let groups: number[];
  const gap = text.indexOf('::');
  if (gap >= 0) {
    const head = parse(text.slice(0, gap));
    const tail = parse(text.slice(gap + 2));
    groups = [...head, ...new Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail];
  } else {
    groups = parse(text);
  }
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`cannot parse IPv6 address ${ip}`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** subjectAltName with dNSName / iPAddress entries, chosen per host like fabric tlsgen (net.ParseIP). */
export function subjectAltNameExt(hosts: readonly string[]): Extension {
  const names = hosts.map((h) => {
    const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
    if (isIP(bare)) return implicitPrimitive(7, ipToBytes(bare));
    // dNSName is [2] IMPLICIT IA5String: take the content octets of the IA5String encoding.
    return implicitPrimitive(2, decode(ia5String(h)).content);
  });
  return { oid: ExtOid.subjectAltName, critical: false, value: sequence(...names) };
}

/**
 * The fabric-ca attribute extension (lib/attrmgr AddAttributesToCert): non-critical, extnValue is the raw
 * output of Go's json.Marshal(Attributes{Attrs: map}) – keys sorted, HTML characters escaped.
 */
export function fabricAttrsExt(attrs: Readonly<Record<string, string>>): Extension {
  return { oid: ExtOid.fabricAttrs, critical: false, value: Buffer.from(goJsonAttrs(attrs), 'utf8') };
}

/** JSON.stringify with Go encoding/json conventions for map[string]string: sorted keys, <>& U+2028/9 escaped. */
export function goJsonAttrs(attrs: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.keys(attrs).sort(compareUtf8).map((k) => [k, attrs[k] as string]));
  return JSON.stringify({ attrs: sorted }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Go sorts map keys by byte order of their UTF-8 encoding. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function encodeExtensions(exts: readonly Extension[]): Buffer {
  return explicit(
    3,
    sequence(
      ...exts.map((e) =>
        sequence(oid(e.oid), ...(e.critical ? [boolean(true)] : []), octetString(e.value)),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Key identifiers

/** RFC 7093 §2 method 4 (SHA-256 of the EC point): what cryptogen and fabric tlsgen `computeSKI` use. */
export function skiSha256(key: KeyObject): Buffer {
  return createHash('sha256').update(ecPoint(key)).digest();
}

/** RFC 5280 §4.2.1.2 method 1 (SHA-1 of the subjectPublicKey bits): what cfssl (fabric-ca's signer) uses. */
export function skiSha1(key: KeyObject): Buffer {
  return createHash('sha1').update(ecPoint(key)).digest();
}

// ---------------------------------------------------------------------------------------------------------
// Building

export interface CertificateTemplate {
  /** Positive serial number; default: 128 random bits like cryptogen / tlsgen. */
  readonly serial?: bigint;
  readonly subject: DistinguishedName;
  /** DER of the issuer Name; omitted for self-signed certificates (= subject). */
  readonly issuerNameDer?: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Public key of the subject (private keys are accepted and reduced to their public half). */
  readonly publicKey: KeyObject;
  readonly extensions: readonly Extension[];
}

export function randomSerial(): bigint {
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f; // keep it positive in 16 content octets
  const n = BigInt('0x' + b.toString('hex'));
  return n === 0n ? 1n : n;
}

/** Builds and signs a v3 certificate; returns its DER. The signature is ECDSA, low-S (see ecdsa.ts). */
export function buildCertificate(template: CertificateTemplate, signingKey: KeyObject): Buffer {
  const { sigAlgOid } = curveOf(signingKey);
  // RFC 5758 §3.2: ecdsa-with-SHA* AlgorithmIdentifier has no parameters.
  const sigAlg = sequence(oid(sigAlgOid));
  const subject = encodeName(template.subject);
  const issuer = template.issuerNameDer ? Buffer.from(template.issuerNameDer) : subject;
  const tbs = sequence(
    explicit(0, integer(2n)), // v3
    integer(template.serial ?? randomSerial()),
    sigAlg,
    issuer,
    sequence(time(template.notBefore), time(template.notAfter)),
    subject,
    spkiDer(template.publicKey),
    ...(template.extensions.length ? [encodeExtensions(template.extensions)] : []),
  );
  const signature = signLowS(signingKey, tbs);
  return sequence(tbs, sigAlg, bitString(signature));
}

// ---------------------------------------------------------------------------------------------------------
// Parsing (the subset we need)

export interface CertificateInfo {
  readonly der: Buffer;
  readonly tbsDer: Buffer;
  readonly serial: bigint;
  readonly issuerNameDer: Buffer;
  readonly subjectNameDer: Buffer;
  /** Attribute type OID → values, in DER order. */
  readonly subject: ReadonlyArray<readonly [string, string]>;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Buffer;
  readonly extensions: readonly Extension[];
  readonly subjectKeyId: Buffer | undefined;
  readonly authorityKeyId: Buffer | undefined;
  /** Parsed fabric-ca attributes (OID 1.2.3.4.5.6.7.8.1), undefined when the extension is absent. */
  readonly fabricAttrs: Record<string, string> | undefined;
}

function nameAttributes(name: DerNode): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) throw new Error('malformed AttributeTypeAndValue');
      out.push([decodeOid(expectTag(type, Tag.OID, 'attribute type').content), value.content.toString('utf8')]);
    }
  }
  return out;
}

export function parseCertificate(cert: string | Uint8Array): CertificateInfo {
  const der = certificateDer(cert);
  const [tbs] = children(expectTag(decode(der), Tag.SEQUENCE, 'Certificate'));
  const tbsNode = expectTag(tbs, Tag.SEQUENCE, 'TBSCertificate');
  const fields = children(tbsNode);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serialNode = expectTag(fields[i++], Tag.INTEGER, 'serialNumber');
  i++; // signature AlgorithmIdentifier
  const issuer = expectTag(fields[i++], Tag.SEQUENCE, 'issuer');
  const [nb, na] = children(expectTag(fields[i++], Tag.SEQUENCE, 'validity'));
  const subject = expectTag(fields[i++], Tag.SEQUENCE, 'subject');
  const spki = expectTag(fields[i++], Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const extensions: Extension[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i] as DerNode;
    if (f.tag !== 0xa3) continue;
    const [seq] = children(f);
    for (const ext of children(expectTag(seq, Tag.SEQUENCE, 'Extensions'))) {
      const parts = children(ext);
      const id = decodeOid(expectTag(parts[0], Tag.OID, 'extnID').content);
      const critical = parts[1]?.tag === Tag.BOOLEAN ? parts[1].content[0] !== 0 : false;
      const valueNode = expectTag(parts[parts.length - 1], Tag.OCTET_STRING, 'extnValue');
      extensions.push({ oid: id, critical, value: valueNode.content });
    }
  }
  const find = (id: string): Extension | undefined => extensions.find((e) => e.oid === id);
  const skiExt = find(ExtOid.subjectKeyIdentifier);
  const akiExt = find(ExtOid.authorityKeyIdentifier);
  const attrsExt = find(ExtOid.fabricAttrs);
  let authorityKeyId: Buffer | undefined;
  if (akiExt) {
    const keyId = children(decode(akiExt.value)).find((n) => n.tag === 0x80);
    authorityKeyId = keyId?.content;
  }
  let fabricAttrs: Record<string, string> | undefined;
  if (attrsExt) {
    const parsed = JSON.parse(Buffer.from(attrsExt.value).toString('utf8')) as { attrs?: Record<string, string> };
    fabricAttrs = parsed.attrs ?? {};
  }
  return {
    der,
    tbsDer: tbsNode.raw,
    serial: BigInt('0x' + (serialNode.content.toString('hex') || '0')),
    issuerNameDer: issuer.raw,
    subjectNameDer: subject.raw,
    subject: nameAttributes(subject),
    notBefore: decodeTime(nb as DerNode),
    notAfter: decodeTime(na as DerNode),
    spkiDer: spki.raw,
    extensions,
    subjectKeyId: skiExt ? expectTag(decode(skiExt.value), Tag.OCTET_STRING, 'SubjectKeyIdentifier').content : undefined,
    authorityKeyId,
    fabricAttrs,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading extensions (what chain validation and the tests need)

function extensionOf(info: CertificateInfo, id: string): Extension | undefined {
  return info.extensions.find((e) => e.oid === id);
}

/** basicConstraints: undefined when the extension is absent (then the certificate is no CA). */
export function basicConstraintsOf(info: CertificateInfo): { readonly isCA: boolean; readonly pathLen?: number } | undefined {
  const ext = extensionOf(info, ExtOid.basicConstraints);
  if (!ext) return undefined;
  const parts = children(expectTag(decode(ext.value), Tag.SEQUENCE, 'BasicConstraints'));
  let i = 0;
  let isCA = false;
  if (parts[i]?.tag === Tag.BOOLEAN) isCA = (parts[i++] as DerNode).content[0] !== 0;
  const len = parts[i]?.tag === Tag.INTEGER ? Number(BigInt('0x' + ((parts[i] as DerNode).content.toString('hex') || '0'))) : undefined;
  return len === undefined ? { isCA } : { isCA, pathLen: len };
}

/** keyUsage bits that are set; undefined when the extension is absent (no restriction). */
export function keyUsageOf(info: CertificateInfo): ReadonlySet<KeyUsage> | undefined {
  const ext = extensionOf(info, ExtOid.keyUsage);
  if (!ext) return undefined;
  const bits = expectTag(decode(ext.value), Tag.BIT_STRING, 'KeyUsage').content.subarray(1);
  const out = new Set<KeyUsage>();
  for (const [name, bit] of Object.entries(KeyUsageBit) as Array<[KeyUsage, number]>) {
    if (((bits[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) out.add(name);
  }
  return out;
}

/** extKeyUsage purpose OIDs; undefined when the extension is absent (any purpose). */
export function extKeyUsageOf(info: CertificateInfo): readonly string[] | undefined {
  const ext = extensionOf(info, ExtOid.extKeyUsage);
  if (!ext) return undefined;
  const purposes = children(expectTag(decode(ext.value), Tag.SEQUENCE, 'ExtKeyUsageSyntax'));
  return purposes.map((n) => decodeOid(expectTag(n, Tag.OID, 'KeyPurposeId').content));
}

function ipText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** dNSName and iPAddress entries of subjectAltName (IPv6 as eight uncompressed hex groups). */
export function subjectAltNamesOf(info: CertificateInfo): { readonly dns: readonly string[]; readonly ips: readonly string[] } {
  const ext = extensionOf(info, ExtOid.subjectAltName);
  const dns: string[] = [];
  const ips: string[] = [];
  if (ext) {
    for (const n of children(expectTag(decode(ext.value), Tag.SEQUENCE, 'GeneralNames'))) {
      if (n.tag === 0x82) dns.push(n.content.toString('latin1'));
      else if (n.tag === 0x87) ips.push(ipText(n.content));
    }
  }
  return { dns, ips };
}
