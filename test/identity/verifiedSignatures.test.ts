import { describe, expect, it } from 'vitest';
import { VerifiedSignatures } from '../../src/identity/verifiedSignatures.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('VerifiedSignatures', () => {
  it('matches only the exact (certificate, message, signature) triple', () => {
    const v = new VerifiedSignatures();
    v.add(b('cert'), b('message'), b('sig'));
    expect(v.has(b('cert'), b('message'), b('sig'))).toBe(true);
    expect(v.has(b('cerT'), b('message'), b('sig'))).toBe(false);
    expect(v.has(b('cert'), b('messagE'), b('sig'))).toBe(false);
    expect(v.has(b('cert'), b('message'), b('siG'))).toBe(false);
  });

  it('keeps copies: a caller reusing its buffer does not change what was remembered', () => {
    const v = new VerifiedSignatures();
    const message = b('message');
    v.add(b('cert'), message, b('sig'));
    message.write('MESSAGE');
    expect(v.has(b('cert'), message, b('sig'))).toBe(false);
    expect(v.has(b('cert'), b('message'), b('sig'))).toBe(true);
  });

  it('is bounded by entries and by message bytes, the oldest going first', () => {
    const byCount = new VerifiedSignatures({ maxEntries: 2 });
    for (const s of ['a', 'b', 'c']) byCount.add(b('cert'), b(`m${s}`), b(s));
    expect(byCount.size).toBe(2);
    expect(byCount.has(b('cert'), b('ma'), b('a'))).toBe(false);
    expect(byCount.has(b('cert'), b('mc'), b('c'))).toBe(true);

    const byBytes = new VerifiedSignatures({ maxBytes: 10 });
    byBytes.add(b('cert'), b('12345'), b('a'));
    byBytes.add(b('cert'), b('67890'), b('b'));
    byBytes.add(b('cert'), b('x'), b('c'));
    expect(byBytes.has(b('cert'), b('12345'), b('a'))).toBe(false);
    expect(byBytes.has(b('cert'), b('67890'), b('b'))).toBe(true);
    byBytes.add(b('cert'), b('this message is too long'), b('d'));
    expect(byBytes.has(b('cert'), b('this message is too long'), b('d'))).toBe(false);
    expect(byBytes.size).toBe(2);
  });
});
