/**
 * ECDSA keys and low-S signatures with node:crypto.
 *
 * Fabric only accepts "low-S" ECDSA signatures (s <= n/2), to rule out the (r, n-s) malleability:
 * - bccsp/sw/ecdsa.go `verifyECDSA` rejects high S ("Invalid S. Must be smaller than half the order") and
 *   `signECDSA` normalises with `utils.ToLowS` before DER-marshalling (r, s);
 * - msp/cert.go `sanitizeECDSASignedCert` rewrites certificates whose signature is high-S, so identities are
 *   only canonical when the CA signed low-S as well (cryptogen's csp.ECDSASigner and fabric-ca's bccsp
 *   signer both do);
 * - fabric-gateway (node/src/identity/ecdsa.ts) signs with `{ lowS: true }`.
 * OpenSSL (behind node:crypto) produces either form, so we normalise after signing.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { children, decode, expectTag, integer, sequence, Tag } from './der.js';

interface CurveInfo {
  /** Group order n. */
  readonly n: bigint;
  /** Hash paired with the curve for certificate signatures, as Go's x509 does (P-256→SHA-256 …). */
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** ecdsa-with-SHAxxx (RFC 5758 §3.2). */
  readonly sigAlgOid: string;
}

/** Keyed by OpenSSL curve names as reported by KeyObject.asymmetricKeyDetails.namedCurve. */
const CURVES: Record<string, CurveInfo> = {
  prime256v1: {
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    hash: 'sha256',
    sigAlgOid: '1.2.840.10045.4.3.2',
  },
  secp384r1: {
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    hash: 'sha384',
    sigAlgOid: '1.2.840.10045.4.3.3',
  },
  secp521r1: {
    n: 0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    hash: 'sha512',
    sigAlgOid: '1.2.840.10045.4.3.4',
  },
};

export function curveOf(key: KeyObject): CurveInfo {
  if (key.asymmetricKeyType !== 'ec') {
    throw new Error(`expected an EC key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  const name = key.asymmetricKeyDetails?.namedCurve ?? '';
  const info = CURVES[name];
  if (!info) throw new Error(`unsupported EC curve ${name}`);
  return info;
}

/** A fresh ECDSA P-256 key pair (Fabric's default: bccsp SW ECDSA 256, cryptogen, fabric-ca, tlsgen). */
export function generateP256KeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** PKCS#8 PEM ("PRIVATE KEY"), the form cryptogen writes and node:tls / @grpc/grpc-js accept. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Accepts PKCS#8 or SEC1 ("EC PRIVATE KEY") PEM. */
export function privateKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  curveOf(key);
  return key;
}

export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** Uncompressed EC point 0x04||X||Y (the BIT STRING content of the SubjectPublicKeyInfo). */
export function ecPoint(key: KeyObject): Buffer {
  const spki = decode(spkiDer(key));
  const bits = expectTag(children(spki)[1], Tag.BIT_STRING, 'subjectPublicKey');
  return bits.content.subarray(1);
}

function decodeSig(der: Uint8Array): { r: bigint; s: bigint } {
  const [rNode, sNode, extra] = children(expectTag(decode(der), Tag.SEQUENCE, 'ECDSA-Sig-Value'));
  if (extra) throw new Error('ECDSA-Sig-Value: trailing fields');
  const r = BigInt('0x' + (expectTag(rNode, Tag.INTEGER, 'r').content.toString('hex') || '0'));
  const s = BigInt('0x' + (expectTag(sNode, Tag.INTEGER, 's').content.toString('hex') || '0'));
  return { r, s };
}

/** Splits a DER ECDSA-Sig-Value into r and s. */
export function parseEcdsaSignature(der: Uint8Array): { r: bigint; s: bigint } {
  return decodeSig(der);
}

/** True when s <= n/2 for the curve of `publicKey` (bccsp/utils IsLowS). */
export function isLowS(publicKey: KeyObject, signatureDer: Uint8Array): boolean {
  const { n } = curveOf(publicKey);
  return decodeSig(signatureDer).s <= n >> 1n;
}

/** Rewrites (r, s) as (r, n - s) when s > n/2 (bccsp/utils ToLowS); returns the DER ECDSA-Sig-Value. */
export function toLowS(publicKey: KeyObject, signatureDer: Uint8Array): Buffer {
  const { n } = curveOf(publicKey);
  const { r, s } = decodeSig(signatureDer);
  const low = s > n >> 1n ? n - s : s;
  return sequence(integer(r), integer(low));
}

/**
 * ECDSA signature over `message` (hashed with the curve's hash: SHA-256 for P-256), DER encoded, low-S.
 * This is what Fabric puts in SignedProposal.signature / Envelope.signature.
 */
export function signLowS(privateKey: KeyObject, message: Uint8Array): Buffer {
  const { hash } = curveOf(privateKey);
  const der = nodeSign(hash, message, { key: privateKey, dsaEncoding: 'der' });
  return toLowS(privateKey, der);
}

/** Verifies like bccsp/sw verifyECDSA: the signature must be valid and low-S. */
export function verifyLowS(publicKey: KeyObject, message: Uint8Array, signatureDer: Uint8Array): boolean {
  const pub = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  try {
    if (!isLowS(pub, signatureDer)) return false;
  } catch {
    return false;
  }
  const { hash } = curveOf(pub);
  return nodeVerify(hash, message, { key: pub, dsaEncoding: 'der' }, signatureDer);
}
