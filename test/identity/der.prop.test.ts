import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, decodeOid, decodeTime, integer, oid, setOf, time, tlv } from '../../src/identity/der.js';
import { basicConstraintsExt, keyUsageExt, subjectAltNameExt } from '../../src/identity/x509.js';
import { assertProp } from '../support/props.js';

/** CI run count of each property (CCPROTO_PROP_RUNS replaces it, see test/support/props.ts). */
const NUM_RUNS = 200;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DER encoder', () => {
  it('encodes known OIDs', () => {
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(oid('2.5.29.15'))).toBe('0603551d0f');
    expect(hex(oid('1.2.3.4.5.6.7.8.1'))).toBe('06082a03040506070801');
  });

  it('prop: OIDs round-trip', () => {
    const arc = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    assertProp(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 8 }), (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        expect(decodeOid(decode(oid(dotted)).content)).toBe(dotted);
      }),
      { runs: NUM_RUNS },
    );
  });

  it('encodes INTEGERs minimally and non-negative', () => {
    expect(hex(integer(0n))).toBe('020100');
    expect(hex(integer(127n))).toBe('02017f');
    expect(hex(integer(128n))).toBe('02020080');
    expect(hex(integer(256n))).toBe('02020100');
    expect(hex(integer(Buffer.from([0, 0, 0x80])))).toBe('02020080');
  });

  it('prop: INTEGER content decodes to the value', () => {
    assertProp(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 600n) - 1n }), (v) => {
        const node = decode(integer(v));
        expect(BigInt('0x' + node.content.toString('hex'))).toBe(v);
        expect((node.content[0] as number) & 0x80).toBe(0);
        if (node.content.length > 1) expect(node.content[0] === 0 && ((node.content[1] as number) & 0x80) === 0).toBe(false);
      }),
      { runs: NUM_RUNS },
    );
  });

  it('uses long-form lengths when needed', () => {
    const n = decode(tlv(0x04, Buffer.alloc(300, 1)));
    expect(n.content.length).toBe(300);
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  it('sorts SET OF members', () => {
    expect(hex(setOf(Buffer.from('0201ff', 'hex'), Buffer.from('020101', 'hex')))).toBe('3106020101' + '0201ff');
  });

  it('switches from UTCTime to GeneralizedTime in 2050 (RFC 5280)', () => {
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('latin1', 2)).toBe('491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z'))[0]).toBe(0x18);
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1', 2)).toBe('20500101000000Z');
    for (const d of ['1999-05-06T07:08:09Z', '2030-01-01T00:00:00Z', '2100-02-03T04:05:06Z']) {
      expect(decodeTime(decode(time(new Date(d)))).toISOString()).toBe(new Date(d).toISOString());
    }
  });

  it('encodes extensions the way Go crypto/x509 does', () => {
    expect(hex(keyUsageExt(['digitalSignature']).value)).toBe('03020780');
    expect(hex(keyUsageExt(['digitalSignature', 'keyEncipherment', 'keyCertSign', 'cRLSign']).value)).toBe('030201a6');
    expect(hex(keyUsageExt(['decipherOnly']).value)).toBe('0303070080');
    expect(hex(basicConstraintsExt(false).value)).toBe('3000');
    expect(hex(basicConstraintsExt(true).value)).toBe('30030101ff');
    expect(hex(basicConstraintsExt(true, 0).value)).toBe('30060101ff020100');
    expect(hex(subjectAltNameExt(['localhost', '127.0.0.1']).value)).toBe('3011' + '82096c6f63616c686f7374' + '87047f000001');
  });
});
