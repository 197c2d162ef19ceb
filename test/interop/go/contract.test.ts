/**
 * A contract written with fabric-contract-api-go/v2 (test/interop/go/cmd/contract: an asset
 * contract) through our peer: launched by the peer (client mode), and as a chaincode server
 * (CCaaS). Every transaction, its events and committed state, the contract API's own errors
 * (unknown function, a parameter that does not convert), a transaction that returns an error, and
 * the metadata transaction the API adds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, closePeer, evaluate, ok, read, startPeer, submit, waitReady, type TestPeer } from '../../peer/e2e/helpers.js';
import { binCommand, killGoChildren, packageId, startGoServer } from './helpers.js';
import { GO } from './toolchain.js';

const CHANNEL = 'mychannel';
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

interface Asset {
  ID: string;
  color: string;
  size: number;
  owner: string;
  appraisedValue: number;
}

afterAll(async () => {
  await killGoChildren();
  await cleanup();
});

for (const mode of ['launched', 'ccaas'] as const) {
  describe.skipIf(GO.skip)(`fabric-contract-api-go asset contract, ${mode === 'launched' ? 'launched by the peer' : 'as a chaincode server (CCaaS)'}`, { timeout: 60_000 }, () => {
    let t: TestPeer;
    const CC = 'assets';

    beforeAll(async () => {
      if (mode === 'launched') {
        t = await startPeer({ chaincodes: { [CC]: { kind: 'process', command: binCommand(GO.contract) } } });
      } else {
        const server = await startGoServer(GO.contract, packageId('assets_1.0'));
        t = await startPeer({ chaincodes: { [CC]: { kind: 'ccaas', address: server.address } } });
      }
      await waitReady(t.peer, CC, 30_000);
    }, 60_000);
    afterAll(async () => {
      await closePeer(t);
    });

    const asset = (id: string, color: string, size: number, owner: string, value: number): Asset => ({ ID: id, color, size, owner, appraisedValue: value });

    it('Init without a function: the contract API’s default initiator', async () => {
      const r = await submit(t.peer, CC, [''], { init: true });
      expect(r).toMatchObject({ status: 200, text: 'Default initiator successful.' });
    });

    it('create, read, exists, update, transfer (with events), query by range and by owner, history, delete', async () => {
      const created = await ok(t.peer, CC, ['CreateAsset', 'a1', 'blue', '5', 'Tom', '100']);
      expect(created.text).toBe('');
      expect(created.events.map((e) => [e.name, dec(e.payload)])).toEqual([['AssetCreated', 'a1']]);
      await ok(t.peer, CC, ['CreateAsset', 'a2', 'red', '7', 'Ana', '300']);
      expect(dec((await t.peer.worldState.getCommitted(CHANNEL, CC, 'a1'))?.value)).toBe(JSON.stringify(asset('a1', 'blue', 5, 'Tom', 100)));

      expect((await read(t.peer, CC, ['ReadAsset', 'a1'])).json()).toEqual(asset('a1', 'blue', 5, 'Tom', 100));
      expect((await read(t.peer, CC, ['AssetExists', 'a1'])).text).toBe('true');
      expect((await read(t.peer, CC, ['AssetExists', 'nope'])).text).toBe('false');

      const updated = await ok(t.peer, CC, ['UpdateAsset', 'a1', 'green', '6', 'Tom', '150']);
      const transferred = await ok(t.peer, CC, ['TransferAsset', 'a1', 'Ana']);
      expect(transferred.text).toBe('Tom'); // a string result is sent as it is
      expect(transferred.events.map((e) => [e.name, JSON.parse(dec(e.payload)!)])).toEqual([['AssetTransferred', { ID: 'a1', from: 'Tom', to: 'Ana' }]]);
      expect((await read(t.peer, CC, ['ReadAsset', 'a1'])).json()).toEqual(asset('a1', 'green', 6, 'Ana', 150));

      expect((await read(t.peer, CC, ['GetAllAssets'])).json()).toEqual([asset('a1', 'green', 6, 'Ana', 150), asset('a2', 'red', 7, 'Ana', 300)]);
      expect((await read(t.peer, CC, ['QueryAssetsByOwner', 'Ana'])).json<Asset[]>().map((a) => a.ID)).toEqual(['a1', 'a2']);
      expect((await read(t.peer, CC, ['QueryAssetsByOwner', 'Nobody'])).json()).toEqual([]);

      expect((await read(t.peer, CC, ['AssetHistory', 'a1'])).json()).toEqual([
        { txId: transferred.txId, isDelete: false, asset: asset('a1', 'green', 6, 'Ana', 150) },
        { txId: updated.txId, isDelete: false, asset: asset('a1', 'green', 6, 'Tom', 150) },
        { txId: created.txId, isDelete: false, asset: asset('a1', 'blue', 5, 'Tom', 100) },
      ]);

      const deleted = await ok(t.peer, CC, ['DeleteAsset', 'a2']);
      expect((await read(t.peer, CC, ['AssetExists', 'a2'])).text).toBe('false');
      expect((await read(t.peer, CC, ['AssetHistory', 'a2'])).json<Array<{ txId: string; isDelete: boolean }>>()[0]).toEqual({ txId: deleted.txId, isDelete: true });
      expect(await t.peer.worldState.getCommitted(CHANNEL, CC, 'a2')).toBeUndefined();
    });

    it('the client identity through the transaction context (pkg/cid: the ID is base64)', async () => {
      const who = (await read(t.peer, CC, ['WhoAmI'], { mspId: 'Org2MSP', user: 'carol' })).json<{ mspId: string; id: string }>();
      expect(who.mspId).toBe('Org2MSP');
      expect(Buffer.from(who.id, 'base64').toString('utf8')).toMatch(/^x509::CN=carol,OU=client,O=org2\.example\.com,/);
    });

    it('a transaction that returns an error: status 500 with its text, nothing committed', async () => {
      const r = await submit(t.peer, CC, ['Fail', 'out of stock']);
      expect(r).toMatchObject({ status: 500, message: 'out of stock', committed: false, events: [] });
      const dup = await submit(t.peer, CC, ['CreateAsset', 'a1', 'x', '1', 'y', '1']);
      expect(dup).toMatchObject({ status: 500, message: 'the asset a1 already exists', committed: false, events: [] });
      expect((await read(t.peer, CC, ['ReadAsset', 'a1'])).json<Asset>().color).toBe('green');
      const missing = await evaluate(t.peer, CC, ['ReadAsset', 'zzz']);
      expect(missing).toMatchObject({ status: 500, message: 'the asset zzz does not exist' });
    });

    it('the contract API’s own refusals: unknown function, a parameter that does not convert, a wrong argument count', async () => {
      expect(await evaluate(t.peer, CC, ['Nope'])).toMatchObject({ status: 500, message: 'Function Nope not found in contract AssetContract' });
      const bad = await evaluate(t.peer, CC, ['CreateAsset', 'a9', 'blue', 'five', 'Tom', '100']);
      expect(bad).toMatchObject({ status: 500, message: 'error managing parameter param2. conversion error. cannot convert passed value five to int', committed: false });
      expect(await evaluate(t.peer, CC, ['ReadAsset'])).toMatchObject({ status: 500, message: 'incorrect number of params. Expected 1, received 0' });
      expect(await evaluate(t.peer, CC, ['Other:ReadAsset', 'a1'])).toMatchObject({ status: 500, message: 'Contract not found with name Other' });
    });

    it('the metadata transaction describes the contract', async () => {
      const md = (await read(t.peer, CC, ['org.hyperledger.fabric:GetMetadata'])).json<{ contracts: Record<string, { transactions: Array<{ name: string }> }> }>();
      expect(md.contracts.AssetContract!.transactions.map((x) => x.name).sort()).toEqual(
        ['AssetExists', 'AssetHistory', 'CreateAsset', 'DeleteAsset', 'Fail', 'GetAllAssets', 'QueryAssetsByOwner', 'ReadAsset', 'TransferAsset', 'UpdateAsset', 'WhoAmI'].sort(),
      );
    });
  });
}
