/** The worker-thread proposal signer: valid, low-S ECDSA signatures, batched, never lost. */
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DevCa, isLowS } from '../../../src/identity/index.js';
import { ProposalSigner } from '../../../src/peer/proposalSigner.js';

const user = DevCa.open('Org1MSP').getUser('signer-test');
const pub = createPublicKey(user.privateKey);

describe('ProposalSigner', () => {
  it('signs a burst of proposals on the worker: every signature verifies and is low-S', async () => {
    const signer = new ProposalSigner();
    try {
      const messages = Array.from({ length: 300 }, (_, i) => Buffer.from(`proposal ${i}`));
      const sigs = await Promise.all(messages.map((m) => signer.sign(user.privateKey, m)));
      sigs.forEach((sig, i) => {
        expect(verify('sha256', messages[i]!, { key: pub, dsaEncoding: 'der' }, sig)).toBe(true);
        expect(isLowS(pub, sig)).toBe(true);
      });
    } finally {
      await signer.close();
    }
  });

  it('keeps signing on the main thread once closed (nothing is lost)', async () => {
    const signer = new ProposalSigner();
    const pending = signer.sign(user.privateKey, Buffer.from('before close'));
    await signer.close();
    const after = await signer.sign(user.privateKey, Buffer.from('after close'));
    expect(verify('sha256', Buffer.from('before close'), { key: pub, dsaEncoding: 'der' }, await pending)).toBe(true);
    expect(verify('sha256', Buffer.from('after close'), { key: pub, dsaEncoding: 'der' }, after)).toBe(true);
  });
});
