/**
 * A contract on the Java contract API (ccproto.interop.contract: @Contract / @Transaction / @DataType,
 * routed by the shim's ContractRouter) through our peer: launched by the peer
 * (`java -jar chaincode.jar contract`), and as a chaincode server with mutual TLS.
 *
 * Contract API behaviour the assertions pin: a ChaincodeException is status 500 with its message
 * and its payload (ResponseUtils.newErrorResponse); any other failure (here: an argument that is
 * not a number) is status 500 "Unexpected error"; a function the contract does not have runs its
 * unknown-transaction handler ("Undefined contract method called"), a contract that does not exist
 * is "Undefined contract called".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTlsCa, issueClientCert, issueServerCert } from '../../../src/identity/index.js';
import { freePort } from '../../cli/helpers.js';
import { cleanup, closePeer, evaluate, ok, read, startPeer, submit, type TestPeer } from '../../peer/e2e/helpers.js';
import { JAVA, javaCommand, killJava, startJavaServer, type JavaChild } from './toolchain.js';

interface Asset {
  assetID: string;
  color: string;
  size: number;
  owner: string;
  appraisedValue: number;
}

const CCID = 'jassets_1.0:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe.skipIf(!JAVA.ok)('Java contract API contract through our peer', () => {
  describe('launched by the peer', () => {
    let t: TestPeer;
    beforeAll(async () => {
      t = await startPeer({ chaincodes: { assets: { kind: 'process', command: javaCommand('contract') } }, executeTimeoutMs: 60_000 });
    });
    afterAll(async () => {
      await closePeer(t, 20_000);
      await killJava();
      await cleanup();
    }, 60_000);

    it('CreateAsset returns the object and emits an event; ReadAsset returns it (default contract and Assets:)', async () => {
      // the first call waits for the JVM and the contract router's scan of the fat jar's class path
      const c = await ok(t.peer, 'assets', ['CreateAsset', 'a1', 'blue', '5', 'Tom', '300'], { timeoutMs: 120_000 });
      expect(c.json<Asset>()).toEqual({ assetID: 'a1', color: 'blue', size: 5, owner: 'Tom', appraisedValue: 300 });
      expect(c.events.map((e) => [e.name, Buffer.from(e.payload).toString()])).toEqual([['AssetCreated', 'a1']]);
      expect((await read(t.peer, 'assets', ['ReadAsset', 'a1'])).json<Asset>()).toEqual({ assetID: 'a1', color: 'blue', size: 5, owner: 'Tom', appraisedValue: 300 });
      expect((await read(t.peer, 'assets', ['Assets:ReadAsset', 'a1'])).json<Asset>().owner).toBe('Tom');
      expect((await read(t.peer, 'assets', ['AssetExists', 'a1'])).text).toBe('true');
      expect((await read(t.peer, 'assets', ['AssetExists', 'zz'])).text).toBe('false');
    }, 180_000);

    it('UpdateAsset, TransferAsset (returns a string), GetAllAssets (an array of objects), DeleteAsset', async () => {
      await ok(t.peer, 'assets', ['CreateAsset', 'a2', 'red', '7', 'Ana', '500']);
      const u = await ok(t.peer, 'assets', ['UpdateAsset', 'a2', 'green', '8', 'Ana', '550']);
      expect(u.json<Asset>()).toEqual({ assetID: 'a2', color: 'green', size: 8, owner: 'Ana', appraisedValue: 550 });
      const tr = await ok(t.peer, 'assets', ['TransferAsset', 'a2', 'Bob']);
      expect(tr.text).toBe('Ana');
      const all = (await read(t.peer, 'assets', ['GetAllAssets'])).json<Asset[]>();
      expect(all.map((a) => [a.assetID, a.owner])).toEqual([
        ['a1', 'Tom'],
        ['a2', 'Bob'],
      ]);
      const del = await ok(t.peer, 'assets', ['DeleteAsset', 'a2']);
      expect(del.text).toBe('');
      expect((await read(t.peer, 'assets', ['AssetExists', 'a2'])).text).toBe('false');
    });

    it('a ChaincodeException is status 500 with its message and payload; nothing commits', async () => {
      const dup = await submit(t.peer, 'assets', ['CreateAsset', 'a1', 'silver', '1', 'Eve', '1']);
      expect(dup.status).toBe(500);
      expect(dup.message).toBe('the asset a1 already exists');
      // the exception's payload (its error code) comes back with the error status
      expect(dup.text).toBe('ASSET_ALREADY_EXISTS');
      expect(dup.committed).toBe(false);
      expect((await read(t.peer, 'assets', ['ReadAsset', 'a1'])).json<Asset>().color).toBe('blue');
      const missing = await evaluate(t.peer, 'assets', ['ReadAsset', 'nope']);
      expect(missing.status).toBe(500);
      expect(missing.message).toBe('the asset nope does not exist');
      const upd = await submit(t.peer, 'assets', ['UpdateAsset', 'nope', 'x', '1', 'y', '1']);
      expect([upd.status, upd.message, upd.committed]).toEqual([500, 'the asset nope does not exist', false]);
    });

    it('a bad argument, an unknown function, an unknown contract', async () => {
      const bad = await evaluate(t.peer, 'assets', ['CreateAsset', 'a3', 'red', 'not-a-number', 'Ana', '1']);
      expect(bad.status).toBe(500);
      expect(bad.message).toBe('Unexpected error');
      const fn = await evaluate(t.peer, 'assets', ['NoSuchFunction']);
      expect(fn.status).toBe(500);
      expect(fn.message).toBe('Undefined contract method called');
      const contract = await evaluate(t.peer, 'assets', ['NoSuchContract:Hello', 'x']);
      expect(contract.status).toBe(500);
      expect(contract.message).toBe('Undefined contract called');
    });

    it('a second contract by name; the client identity; the metadata system contract; Init', async () => {
      expect((await read(t.peer, 'assets', ['Greeting:Hello', 'world'])).text).toBe('hello world');
      const me = (await read(t.peer, 'assets', ['WhoAmI'])).json<{ mspid: string; id: string; channel: string }>();
      expect(me).toMatchObject({ mspid: 'Org1MSP', channel: 'mychannel' });
      expect(me.id).toMatch(/^x509::CN=user1, /);
      const alice = (await read(t.peer, 'assets', ['WhoAmI'], { mspId: 'Org2MSP', user: 'alice' })).json<{ mspid: string; id: string }>();
      expect(alice.mspid).toBe('Org2MSP');
      expect(alice.id).toMatch(/^x509::CN=alice, /);
      const md = (await read(t.peer, 'assets', ['org.hyperledger.fabric:GetMetadata'])).json<{ contracts: Record<string, { transactions: { name: string }[] }> }>();
      expect(Object.keys(md.contracts).sort()).toEqual(['Assets', 'Greeting', 'org.hyperledger.fabric']);
      expect(md.contracts.Assets!.transactions.map((tx) => tx.name).sort()).toEqual(
        ['AssetExists', 'CreateAsset', 'DeleteAsset', 'GetAllAssets', 'ReadAsset', 'TransferAsset', 'UpdateAsset', 'WhoAmI'].sort(),
      );
      const init = await submit(t.peer, 'assets', [], { init: true });
      expect([init.status, init.text]).toEqual([200, '']);
    });
  });

  describe('as a chaincode server with mutual TLS (ContractRouter on a NettyChaincodeServer)', () => {
    let t: TestPeer | undefined;
    let server: JavaChild | undefined;
    afterAll(async () => {
      await closePeer(t, 20_000);
      await server?.kill();
      await killJava();
      await cleanup();
    }, 60_000);

    it('create, read, the error case', async () => {
      const ca = createTlsCa({ commonName: 'java contract CA' });
      const srv = issueServerCert(ca, ['127.0.0.1']);
      const cli = issueClientCert(ca, 'peer0.org1.example.com');
      const port = await freePort();
      server = await startJavaServer('contract', port, CCID, { certPem: srv.certPem, keyPem: srv.keyPem, clientCaPem: ca.certPem });
      t = await startPeer({
        chaincodes: { assets: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem, clientCertPem: cli.certPem, clientKeyPem: cli.keyPem } } },
        executeTimeoutMs: 60_000,
      });
      const c = await ok(t.peer, 'assets', ['CreateAsset', 's1', 'gold', '1', 'Zoe', '10'], { timeoutMs: 90_000 });
      expect(c.json<Asset>().owner).toBe('Zoe');
      expect((await read(t.peer, 'assets', ['ReadAsset', 's1'])).json<Asset>().color).toBe('gold');
      const dup = await submit(t.peer, 'assets', ['CreateAsset', 's1', 'gold', '1', 'Zoe', '10']);
      expect([dup.status, dup.message, dup.committed]).toEqual([500, 'the asset s1 already exists', false]);
      expect(t.peer.listChaincodes()).toEqual([{ name: 'assets', registeredAs: CCID, launch: 'ccaas', state: 'ready' }]);
    }, 180_000);
  });
});
