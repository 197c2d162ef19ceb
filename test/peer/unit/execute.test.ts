/**
 * Peer.execute, the embedding API (fabric ChaincodeSupport.Execute): the caller's own txid and
 * SignedProposal reach the chaincode untouched; the result carries the response, the event and the
 * read/write set; nothing is committed until the caller commits it.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Peer } from '../../../src/peer/peer.js';
import { buildSignedProposal } from '../../../src/peer/proposal.js';
import { DevCa } from '../../../src/identity/index.js';
import { utf8Bytes } from '../../../src/protocol/messages.js';

const shim = fileURLToPath(new URL('../fixtures/shimBasic.cjs', import.meta.url));
const alice = DevCa.open('Org2MSP').getUser('alice');
let peer: Peer;

beforeAll(async () => {
  peer = await Peer.start({ listenPort: 0, chaincodes: { basic: { kind: 'process', command: `node ${shim}` } } });
});
afterAll(async () => {
  await peer.close();
});

async function proposal(args: string[], txId: string, transient: Record<string, Uint8Array> = {}) {
  const built = await buildSignedProposal({
    identity: { mspId: 'Org2MSP', certPem: alice.certPem, sign: (b) => alice.sign(b) },
    channel: 'mychannel',
    chaincode: 'basic',
    args: args.map(utf8Bytes),
    isInit: false,
    transient,
    nowMs: Date.parse('2026-01-02T03:04:05Z'),
    txId,
  });
  return { channel: 'mychannel', txId, chaincode: 'basic', txType: 'TRANSACTION' as const, input: { args: args.map(utf8Bytes), decorations: {}, isInit: false }, signedProposal: built.signedProposal };
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('Peer.execute (embedding API)', () => {
  it('returns the response and the read/write set, commits nothing; the caller commits', async () => {
    const r = await peer.execute(await proposal(['put', 'k', 'v1'], 'exec-tx-1'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response.status).toBe(200);
    const ns = r.rwset.publicRwSet.find((n) => n.namespace === 'basic')!;
    expect(ns.writes.map((w) => [w.key, text(w.value), w.isDelete])).toEqual([['k', 'v1', false]]);
    expect(r.rwset.txId).toBe('exec-tx-1');
    // Not committed yet.
    const before = await peer.invoke({ chaincode: 'basic', args: ['get', 'k'], submit: false });
    expect(text(before.payload)).toBe('');
    await peer.worldState.commit(r.rwset);
    const after = await peer.invoke({ chaincode: 'basic', args: ['get', 'k'], submit: false });
    expect(text(after.payload)).toBe('v1');
  });

  it("the chaincode sees the caller's identity and transient data", async () => {
    const who = await peer.execute(await proposal(['whoami'], 'exec-tx-2'));
    expect(who.ok && JSON.parse(text(who.response.payload)).mspid).toBe('Org2MSP');
    const tr = await peer.execute(await proposal(['transient'], 'exec-tx-3', { secret: utf8Bytes('s3') }));
    expect(tr.ok && JSON.parse(text(tr.response.payload))).toEqual({ secret: 's3' });
  });

  it('a proposal that does not parse is refused before anything runs', async () => {
    const req = await proposal(['put', 'x', 'y'], 'exec-tx-4');
    const r = await peer.execute({ ...req, signedProposal: { proposalBytes: new Uint8Array([0xff, 0xff]), signature: new Uint8Array() } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^failed getting proposal context: /);
  });
});
