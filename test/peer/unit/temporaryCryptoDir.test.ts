import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Peer } from '../../../src/peer/peer.js';

describe('the crypto folder of a peer with organisations', () => {
  it('is removed at close when the peer made it, kept when it was given', async () => {
    const made = await Peer.start({ listenPort: 0, network: { orgs: ['Org1MSP'] } });
    const dir = made.network!.material.dir;
    expect(existsSync(join(dir, 'peerOrganizations/org1.example.com'))).toBe(true);
    await made.close();
    expect(existsSync(dir)).toBe(false);

    const given = mkdtempSync(join(tmpdir(), 'ccproto-given-crypto-'));
    try {
      const peer = await Peer.start({ listenPort: 0, network: { orgs: ['Org1MSP'], cryptoDir: given } });
      await peer.close();
      expect(existsSync(join(given, 'peerOrganizations/org1.example.com'))).toBe(true);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }
  });
});
