/**
 * The identity that submitted the transaction, from the proposal creator (fabric-shim lib/chaincode.js
 * ClientIdentity; fabric-chaincode-go pkg/cid). X.509 only: an idemix creator (no PEM) is refused,
 * as fabric-shim refuses it.
 *
 * getID() uses fabric-shim's format, `x509::<subject>::<issuer>` with each DN written as
 * `/<short name>=<value>` in certificate order (C, ST, L, O, OU, CN, E are named; other attribute
 * types get an empty short name, as @fidm/x509 does), and only the first `/` of a value escaped as
 * `\/` (fabric-shim's `value.replace('/', '\\/')`). Go's cid.GetID differs (base64 of an RFC 2253
 * string); ported Node chaincode keeps the IDs it has stored.
 */
import { X509Certificate } from 'node:crypto';
import { children, decode, decodeOid, expectTag, Tag } from '../identity/der.js';
import { parseCertificate, pemDecode } from '../identity/x509.js';
import type { SerializedIdentity } from './types.js';

/** Attribute short names as @fidm/x509 (fabric-shim's parser) knows them. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};
const OU_OID = '2.5.4.11';

/** What ClientIdentity needs from a stub (fabric-shim reads the same three methods). */
export interface CreatorSource {
  getCreator(): SerializedIdentity | undefined;
  getChannelID(): string;
  getTxID(): string;
}

type NameAttributes = Array<[oid: string, value: string]>;

function nameAttributes(nameDer: Uint8Array): NameAttributes {
  const out: NameAttributes = [];
  for (const rdn of children(expectTag(decode(nameDer), Tag.SEQUENCE, 'Name'))) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) throw new Error('malformed AttributeTypeAndValue');
      out.push([decodeOid(expectTag(type, Tag.OID, 'attribute type').content), value.content.toString('utf8')]);
    }
  }
  return out;
}

function formatDN(attrs: NameAttributes): string {
  return attrs.map(([oid, value]) => `/${SHORT_NAMES[oid] ?? ''}=${value.replace('/', '\\/')}`).join('');
}

/**
 * fabric-shim normalizeX509: the identity bytes must contain a PEM block; its text. Returns the DER
 * of the first certificate.
 */
function certificateDerOf(idBytes: Uint8Array): Buffer {
  const text = Buffer.from(idBytes).toString('utf8');
  if (!/-----\s*BEGIN ?[^-]+?-----[\s\S]*-----\s*END ?[^-]+?-----/.test(text)) {
    throw new Error('Failed to find start line or end line of the certificate.');
  }
  return pemDecode(text);
}

export class ClientIdentity {
  private readonly mspId: string;
  private readonly idBytes: Buffer;
  private readonly id: string;
  private readonly attrs: Readonly<Record<string, string>>;
  private readonly der: Buffer;
  private readonly subject: NameAttributes;

  constructor(stub: CreatorSource) {
    const creator = stub.getCreator();
    if (creator === undefined) {
      throw new Error(`[${stub.getChannelID()}-${stub.getTxID().substring(0, 8)}] the transaction has no creator: it carries no signed proposal`);
    }
    this.mspId = creator.mspid;
    this.idBytes = Buffer.from(creator.idBytes);
    this.der = certificateDerOf(this.idBytes);
    let info;
    try {
      info = parseCertificate(this.der);
    } catch (err) {
      throw new Error(`failed to parse certificate: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.subject = nameAttributes(info.subjectNameDer);
    this.id = `x509::${formatDN(this.subject)}::${formatDN(nameAttributes(info.issuerNameDer))}`;
    this.attrs = info.fabricAttrs ?? {};
  }

  /** `x509::<subject DN>::<issuer DN>` (fabric-shim's format, not base64 as in Go). */
  getID(): string {
    return this.id;
  }

  getMSPID(): string {
    return this.mspId;
  }

  /** The PEM certificate bytes. */
  getIDBytes(): Buffer {
    return this.idBytes;
  }

  /**
   * The value of a fabric-ca attribute (certificate extension 1.2.3.4.5.6.7.8.1), or null when the
   * identity does not have it (fabric-shim also answers null for an empty value).
   */
  getAttributeValue(attrName: string): string | null {
    const v = Object.hasOwn(this.attrs, attrName) ? this.attrs[attrName] : undefined;
    return v ? v : null;
  }

  /** True when the attribute exists and equals `attrValue` (Go returns an error instead of false). */
  assertAttributeValue(attrName: string, attrValue: string): boolean {
    const v = this.getAttributeValue(attrName);
    return v !== null && v === attrValue;
  }

  /** The parsed certificate (Go cid.GetX509Certificate; not in fabric-shim). */
  getX509Certificate(): X509Certificate {
    return new X509Certificate(this.der);
  }

  /** Whether the subject has an OU equal to `ouValue` (Go cid.HasOUValue; not in fabric-shim). */
  hasOUValue(ouValue: string): boolean {
    return this.subject.some(([oid, value]) => oid === OU_OID && value === ouValue);
  }
}
