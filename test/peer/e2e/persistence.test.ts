/**
 * Persistence across a peer restart with `dataDir`: world state, history, private data and the
 * development CAs (the same user gets the same certificate, so ClientIdentity.getID() is stable).
 */
import { createHash } from 'node:crypto';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { basicCommand, cleanup, closePeer, COLLECTION, collectionsFor, getValue, ok, read, startPeer, submit, tempDir, type TestPeer } from './helpers.js';

let t: TestPeer | undefined;
afterEach(async () => {
  await closePeer(t);
  t = undefined;
});
afterAll(cleanup);

const options = (dataDir: string) => ({
  dataDir,
  tls: true,
  chaincodes: { pcc: { kind: 'process' as const, command: basicCommand() } },
  collections: collectionsFor('pcc'),
});

type Who = { mspid: string; id: string };
type Hist = { txId: string; value: string; isDelete: boolean; seconds: number };

describe('persistence across a restart', () => {
  it('state, history, private data and identities survive; the ledger continues', async () => {
    const dir = tempDir('ccproto-e2e-data-');

    // --- first life
    t = await startPeer(options(dir));
    const tls1 = t.peer.tlsRootCertPem;
    const w1 = await ok(t.peer, 'pcc', ['put', 'k', 'v1']);
    const w2 = await ok(t.peer, 'pcc', ['put', 'k', 'v2']);
    const d = await ok(t.peer, 'pcc', ['put', 'gone', 'x']);
    const d2 = await ok(t.peer, 'pcc', ['del', 'gone']);
    await ok(t.peer, 'pcc', ['putMany', 'm', '150']);
    await ok(t.peer, 'pcc', ['pput', COLLECTION, 'pk', 'private-v']);
    await ok(t.peer, 'pcc', ['put', 'k', 'other'], { channel: 'second' });
    await ok(t.peer, 'pcc', ['setEP', 'k', '["Org1MSP"]']);
    const user1 = (await read(t.peer, 'pcc', ['whoami'])).json<Who>();
    const cert1 = (await read(t.peer, 'pcc', ['identity'])).json<{ creatorPem: string }>().creatorPem;
    const alice = (await read(t.peer, 'pcc', ['whoami'], { user: 'alice', mspId: 'Org2MSP' })).json<Who>();
    const hist1 = (await read(t.peer, 'pcc', ['history', 'k'])).json<Hist[]>();
    await closePeer(t);
    t = undefined;

    // --- second life, same directory
    t = await startPeer(options(dir));
    expect(t.peer.tlsRootCertPem).not.toBe(tls1); // a fresh chaincode TLS CA per start, as Fabric
    expect(await getValue(t.peer, 'pcc', 'k')).toBe('v2');
    expect(await getValue(t.peer, 'pcc', 'gone')).toBe('');
    expect(await getValue(t.peer, 'pcc', 'k', { channel: 'second' })).toBe('other');
    expect((await read(t.peer, 'pcc', ['range', 'm', 'n'])).json<unknown[]>()).toHaveLength(150);
    expect((await read(t.peer, 'pcc', ['getEP', 'k'])).json()).toEqual(['Org1MSP']);

    const hist2 = (await read(t.peer, 'pcc', ['history', 'k'])).json<Hist[]>();
    expect(hist2).toEqual(hist1);
    expect(hist2.map((h) => [h.txId, h.value])).toEqual([
      [w2.txId, 'v2'],
      [w1.txId, 'v1'],
    ]);
    const histGone = (await read(t.peer, 'pcc', ['history', 'gone'])).json<Hist[]>();
    expect(histGone.map((h) => [h.txId, h.isDelete])).toEqual([
      [d2.txId, true],
      [d.txId, false],
    ]);

    expect((await read(t.peer, 'pcc', ['pget', COLLECTION, 'pk'])).text).toBe('private-v');
    expect((await read(t.peer, 'pcc', ['phash', COLLECTION, 'pk'])).text).toBe(createHash('sha256').update('private-v').digest('hex'));

    expect((await read(t.peer, 'pcc', ['whoami'])).json<Who>()).toEqual(user1);
    // the very same certificate, loaded from <dataDir>/msp
    expect((await read(t.peer, 'pcc', ['identity'])).json<{ creatorPem: string }>().creatorPem).toBe(cert1);
    expect((await read(t.peer, 'pcc', ['whoami'], { user: 'alice', mspId: 'Org2MSP' })).json<Who>()).toEqual(alice);

    // the ledger continues: new writes extend the history
    const w3 = await ok(t.peer, 'pcc', ['put', 'k', 'v3']);
    expect((await read(t.peer, 'pcc', ['history', 'k'])).json<Hist[]>().map((h) => h.txId)).toEqual([w3.txId, w2.txId, w1.txId]);
    // a committed txid stays committed: the endorser refuses it before running anything
    // (fabric core/endorser/endorser.go preProcess), so it changes nothing
    const dup = await submit(t.peer, 'pcc', ['put', 'k', 'dup'], { txId: w1.txId });
    expect(dup.status).toBe(500);
    expect(dup.committed).toBe(false);
    expect(dup.message).toBe(`duplicate transaction found [${w1.txId}]. Creator may be replaying it`);
    expect(await getValue(t.peer, 'pcc', 'k')).toBe('v3');
  });

  it('without dataDir nothing persists (control)', async () => {
    t = await startPeer({ chaincodes: { pcc: { kind: 'process', command: basicCommand() } } });
    await ok(t.peer, 'pcc', ['put', 'k', 'v']);
    await closePeer(t);
    t = undefined;
    t = await startPeer({ chaincodes: { pcc: { kind: 'process', command: basicCommand() } } });
    expect(await getValue(t.peer, 'pcc', 'k')).toBe('');
  });
});
