/**
 * A fabric-contract-api 2.5.8 chaincode (two contracts) started the way Fabric's Node chaincode
 * image starts one: `fabric-chaincode-node start --module-path <dir>` (fabric-shim's CLI and
 * contract bootstrap), launched by the peer.
 *
 * Transactions return strings. fabric-contract-api 2.5.8 asks for class-transformer ^0.4.0, which
 * npm resolves to 0.4.1; the registry's 0.4.1 has no `classToPlain` (it has the 0.5 API), so the
 * serializer fails on any non-primitive return value (`classToPlain is not a function`), and the
 * `org.hyperledger.fabric:GetMetadata` system transaction with it. That happens wherever this
 * fabric-contract-api is installed, not only here and not because of the peer; the fix is an npm
 * `overrides` entry pinning class-transformer to 0.4.0 in the chaincode's package.json
 * (docs/chaincode.md). This repository has no such override (its lock file has 0.4.1), and this
 * fixture does not need one because it returns strings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, closePeer, evaluate, fixture, nodeCommand, ok, read, REPO, startPeer, submit, type TestPeer } from './helpers.js';

let t: TestPeer;
const CLI = `${REPO}/node_modules/fabric-shim/cli.js`;

beforeAll(async () => {
  t = await startPeer({
    chaincodes: { assets: { kind: 'process', command: nodeCommand(CLI, 'start', '--module-path', fixture('contract')) } },
  });
});

afterAll(async () => {
  await closePeer(t);
  await cleanup();
});

describe('fabric-contract-api contract', () => {
  it('Contract:fn and the default contract', async () => {
    const c = await ok(t.peer, 'assets', ['Asset:create', 'a1', 'gold']);
    expect(c.json()).toEqual({ id: 'a1', value: 'gold' });
    expect(c.events.map((e) => [e.name, Buffer.from(e.payload).toString()])).toEqual([['AssetCreated', 'a1']]);
    // default contract (the first exported): no prefix
    expect((await read(t.peer, 'assets', ['read', 'a1'])).text).toBe('gold');
    expect((await read(t.peer, 'assets', ['Asset:read', 'a1'])).text).toBe('gold');
    // second contract
    expect((await read(t.peer, 'assets', ['Greeting:hello', 'world'])).text).toBe('hello world');
  });

  it('a thrown error is status 500 with its message and commits nothing', async () => {
    const dup = await submit(t.peer, 'assets', ['create', 'a1', 'silver']);
    expect(dup.status).toBe(500);
    expect(dup.message).toBe('asset a1 already exists');
    expect(dup.committed).toBe(false);
    expect((await read(t.peer, 'assets', ['read', 'a1'])).text).toBe('gold');
    const missing = await evaluate(t.peer, 'assets', ['read', 'nope']);
    expect(missing.status).toBe(500);
    expect(missing.message).toBe('asset nope does not exist');
  });

  it('an unknown function or contract', async () => {
    const r = await evaluate(t.peer, 'assets', ['Asset:nosuch']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('nosuch');
    const c = await evaluate(t.peer, 'assets', ['NoSuchContract:hello']);
    expect(c.status).toBe(500);
    expect(c.message).toContain('NoSuchContract');
  });

  it('ctx.clientIdentity', async () => {
    const id = (await read(t.peer, 'assets', ['whoami'])).json<Record<string, string>>();
    expect(id.mspid).toBe('Org1MSP');
    expect(id.id).toMatch(/^x509::\/C=US\/.*\/CN=user1::\/C=US\/.*\/CN=ca\.org1\.example\.com$/);
    expect(id.enrollmentId).toBe('user1');
    expect(id.type).toBe('client');
    expect(id.channel).toBe('mychannel');
    const alice = (await read(t.peer, 'assets', ['Asset:whoami'], { user: 'alice', mspId: 'Org2MSP' })).json<Record<string, string>>();
    expect(alice.mspid).toBe('Org2MSP');
    expect(alice.id).toContain('CN=alice::');
  });
});
