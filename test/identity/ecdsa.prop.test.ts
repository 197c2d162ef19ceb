import { createPublicKey, sign as nodeSign, verify as nodeVerify, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DevCa,
  generateP256KeyPair,
  isLowS,
  parseEcdsaSignature,
  toLowS,
  verifyLowS,
} from '../../src/identity/index.js';
import { children, decode, integer, sequence, type DerNode } from '../../src/identity/der.js';
import { assertProp } from '../support/props.js';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

describe('low-S ECDSA signatures', () => {
  const user = DevCa.open('Org1MSP').getUser('signer');
  const pub = new X509Certificate(user.certPem).publicKey;

  it('prop: user.sign output verifies with node:crypto against the certificate key and is low-S', () => {
    assertProp(
      fc.property(fc.uint8Array({ maxLength: 256 }), (msg) => {
        const sig = user.sign(msg);
        expect(nodeVerify('sha256', msg, { key: pub, dsaEncoding: 'der' }, sig)).toBe(true);
        expect(parseEcdsaSignature(sig).s <= N / 2n).toBe(true);
        expect(isLowS(pub, sig)).toBe(true);
        expect(verifyLowS(pub, msg, sig)).toBe(true);
      }),
      { runs: 100 },
    );
  });

  it('toLowS folds a high-S signature onto its low-S twin; verifyLowS rejects high S like bccsp', () => {
    const { privateKey } = generateP256KeyPair();
    const publicKey = createPublicKey(privateKey);
    const msg = Buffer.from('proposal bytes');
    let seenHigh = false;
    for (let i = 0; i < 64; i++) {
      const raw = nodeSign('sha256', msg, { key: privateKey, dsaEncoding: 'der' });
      const { r, s } = parseEcdsaSignature(raw);
      const high = sequence(integer(r), integer(s > N / 2n ? s : N - s));
      const low = sequence(integer(r), integer(s > N / 2n ? N - s : s));
      // Both are valid ECDSA signatures (the malleability Fabric rules out) ...
      expect(nodeVerify('sha256', msg, { key: publicKey, dsaEncoding: 'der' }, high)).toBe(true);
      expect(nodeVerify('sha256', msg, { key: publicKey, dsaEncoding: 'der' }, low)).toBe(true);
      // ... but only the low-S one is acceptable.
      expect(isLowS(publicKey, high)).toBe(false);
      expect(verifyLowS(publicKey, msg, high)).toBe(false);
      expect(verifyLowS(publicKey, msg, low)).toBe(true);
      expect(toLowS(publicKey, high).equals(low)).toBe(true);
      expect(toLowS(publicKey, low).equals(low)).toBe(true);
      if (s > N / 2n) seenHigh = true;
    }
    // OpenSSL really does produce high-S signatures, so normalisation is not a no-op.
    expect(seenHigh).toBe(true);
  });

  it('certificate signatures are low-S too (msp/cert.go sanitizeECDSASignedCert would rewrite them)', () => {
    const ca = DevCa.open('Org1MSP');
    const caPub = new X509Certificate(ca.caCertPem).publicKey;
    for (let i = 0; i < 16; i++) {
      const cert = new X509Certificate(ca.getUser(`low-s-${i}`).certPem);
      // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
      const bits = children(decode(cert.raw))[2];
      expect(bits?.tag).toBe(0x03);
      const sig = (bits as DerNode).content.subarray(1); // skip the unused-bits octet
      expect(cert.verify(caPub)).toBe(true);
      expect(isLowS(caPub, sig)).toBe(true);
    }
  });
});
