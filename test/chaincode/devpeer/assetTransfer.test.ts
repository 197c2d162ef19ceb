/**
 * The asset-transfer example (examples/asset-transfer, our runtime) against the real dev peer over
 * gRPC, as a developer would run it:
 * - client mode: the peer launches `node --import tsx examples/asset-transfer/index.ts` (it dials
 *   the peer with --peer.address and the CORE_* environment the peer gives it), without TLS and with
 *   TLS (the peer's CA, client certificate files written by the launcher);
 * - server mode: the test starts it with CHAINCODE_SERVER_ADDRESS=127.0.0.1:0 and CHAINCODE_ID, reads
 *   the bound address from its log, and the peer dials it (`ccaas`), without TLS and with mutual TLS
 *   (CORE_CHAINCODE_TLS_*_FILE).
 * Each mode runs the whole story against one peer: InitLedger (one write batch), CreateAsset (event),
 * ReadAsset, UpdateAsset, TransferAsset (event), range pages with bookmarks, a rich query, history,
 * private details from the transient map, DeleteAsset, and failing calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Asset } from '../../../examples/asset-transfer/assetTransfer.js';
import type { PeerOptions } from '../../../src/peer/types.js';
import { REPO, cleanup, closePeer, evaluate, submit, waitReady, startPeer, type CallOptions, type Child, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { ASSET_TRANSFER, memberOnlyCollection, serverTls, startLoggingServer, traceRecorder, tsxCommand } from './helpers.js';

const NAME = 'asset-transfer';
const CCID = 'asset-transfer_1.0:0c5e4ad3f1a4d1d3c7e4b8f2a9e6d5c4b3a2918f7e6d5c4b3a29180f1e2d3c4b';
const J = JSON.stringify;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Page {
  records: Asset[];
  fetchedRecordsCount: number;
  bookmark: string;
}
interface HistoryEntry {
  txId: string;
  timestamp: number;
  isDelete: boolean;
  asset: Asset | null;
}

afterAll(cleanup);

type Mode = { kind: 'client' | 'server'; tls: boolean };
const MODES: Mode[] = [
  { kind: 'client', tls: false },
  { kind: 'client', tls: true },
  { kind: 'server', tls: false },
  { kind: 'server', tls: true },
];

for (const mode of MODES) {
  const title =
    mode.kind === 'client'
      ? `asset-transfer in client mode, launched by the dev peer, ${mode.tls ? 'with TLS' : 'without TLS'}`
      : `asset-transfer in server mode (CCaaS), the dev peer dials it, ${mode.tls ? 'with mutual TLS' : 'without TLS'}`;

  describe(title, () => {
    let t: TestPeer;
    let server: Child | undefined;
    const rec = traceRecorder();
    const registeredAs = mode.kind === 'client' ? `${NAME}:1.0` : CCID;

    beforeAll(async () => {
      const common: PeerOptions = { collections: { [NAME]: [memberOnlyCollection('assetCollection')] }, trace: rec.trace };
      if (mode.kind === 'client') {
        t = await startPeer({ ...common, tls: mode.tls, chaincodes: { [NAME]: { kind: 'process', command: tsxCommand(ASSET_TRANSFER), cwd: REPO } } });
      } else {
        const material = mode.tls ? serverTls() : undefined;
        const started = await startLoggingServer(ASSET_TRANSFER, { CHAINCODE_ID: CCID, ...material?.env });
        server = started.child;
        t = await startPeer({ ...common, chaincodes: { [NAME]: { kind: 'ccaas', address: started.address, ...(material ? { tls: material.peerTls } : {}) } } });
      }
      await waitReady(t.peer, NAME);
    });
    afterAll(async () => {
      await closePeer(t);
      await server?.kill();
    });

    const why = (r: Result): string => `${r.status} ${r.message}\n${t.output()}${server ? server.stderr() : ''}`;
    /** Submit; require a committed 200. */
    const invoke = async (args: string[], o?: CallOptions): Promise<Result> => {
      const r = await submit(t.peer, NAME, args, o);
      expect(r.status, why(r)).toBe(200);
      expect(r.committed).toBe(true);
      return r;
    };
    /** Evaluate; require 200. */
    const query = async (args: string[], o?: CallOptions): Promise<Result> => {
      const r = await evaluate(t.peer, NAME, args, o);
      expect(r.status, why(r)).toBe(200);
      return r;
    };
    const events = (r: Result) => r.events.map((e) => ({ name: e.name, payload: JSON.parse(dec(e.payload)) as unknown }));

    it('is registered and ready over the peer connection of this mode', () => {
      expect(t.peer.listChaincodes()).toEqual([{ name: NAME, registeredAs, launch: mode.kind === 'client' ? 'process' : 'ccaas', state: 'ready' }]);
      if (mode.kind === 'client') expect(t.logged('peer started')[0]).toMatchObject({ tls: mode.tls });
    });

    it('InitLedger writes six assets in one WRITE_BATCH_STATE; CreateAsset emits its event; ReadAsset reads them back', async () => {
      const init = await invoke(['InitLedger']);
      expect(rec.of(init.txId, registeredAs).filter((m) => m.direction === 'in').map((m) => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual([
        'WRITE_BATCH_STATE 6',
        'COMPLETED',
      ]);
      const all = (await query(['GetAllAssets'])).json<Asset[]>();
      expect(all.map((a) => [a.ID, a.Owner])).toEqual([
        ['asset1', 'Tomoko'],
        ['asset2', 'Brad'],
        ['asset3', 'Jin Soo'],
        ['asset4', 'Max'],
        ['asset5', 'Adriana'],
        ['asset6', 'Michel'],
      ]);

      const created = await invoke(['CreateAsset', 'asset7', 'purple', '3', 'Tomoko', '900']);
      const asset7: Asset = { docType: 'asset', ID: 'asset7', Color: 'purple', Size: 3, Owner: 'Tomoko', AppraisedValue: 900 };
      expect(created.json()).toEqual(asset7);
      expect(events(created)).toEqual([{ name: 'CreateAsset', payload: asset7 }]);
      expect((await query(['ReadAsset', 'asset7'])).json()).toEqual(asset7);
      expect((await query(['AssetExists', 'asset7'])).text).toBe('true');
      expect(JSON.parse(dec((await t.peer.worldState.getCommitted('mychannel', NAME, 'asset7'))!.value))).toEqual(asset7);
    });

    it('UpdateAsset and TransferAsset (event) are read back in later transactions', async () => {
      const updated = await invoke(['UpdateAsset', 'asset7', 'gold']);
      expect(updated.json()).toMatchObject({ ID: 'asset7', Color: 'gold', Owner: 'Tomoko', Size: 3 });
      expect((await query(['ReadAsset', 'asset7'])).json()).toMatchObject({ Color: 'gold', Owner: 'Tomoko' });

      const transfer = await invoke(['TransferAsset', 'asset7', 'Max']);
      expect(transfer.text).toBe('Tomoko');
      expect(events(transfer)).toEqual([{ name: 'TransferAsset', payload: { ID: 'asset7', from: 'Tomoko', to: 'Max' } }]);
      expect((await query(['ReadAsset', 'asset7'])).json()).toMatchObject({ Color: 'gold', Owner: 'Max', AppraisedValue: 900 });
    });

    it('GetAssetsByRangeWithPagination pages through every asset with bookmarks', async () => {
      const pages: Page[] = [];
      let bookmark = '';
      do {
        const page = (await query(['GetAssetsByRangeWithPagination', '', '', '3', bookmark])).json<Page>();
        pages.push(page);
        bookmark = page.bookmark;
      } while (bookmark !== '' && pages.length < 10);
      expect(pages.map((p) => [p.records.map((a) => a.ID), p.fetchedRecordsCount, p.bookmark])).toEqual([
        [['asset1', 'asset2', 'asset3'], 3, 'asset4'],
        [['asset4', 'asset5', 'asset6'], 3, 'asset7'],
        [['asset7'], 1, ''],
      ]);
      const bounded = (await query(['GetAssetsByRangeWithPagination', 'asset2', 'asset5', '10', ''])).json<Page>();
      expect(bounded.records.map((a) => a.ID)).toEqual(['asset2', 'asset3', 'asset4']);
    });

    it('QueryAssetsByOwner: a rich query on the committed state', async () => {
      expect((await query(['QueryAssetsByOwner', 'Max'])).json<Asset[]>().map((a) => a.ID)).toEqual(['asset4', 'asset7']);
      expect((await query(['QueryAssetsByOwner', 'Tomoko'])).json<Asset[]>().map((a) => a.ID)).toEqual(['asset1']);
      expect((await query(['QueryAssetsByOwner', 'Nobody'])).json()).toEqual([]);
    });

    it('GetAssetHistory lists every committed version with its txid, newest first', async () => {
      const history = (await query(['GetAssetHistory', 'asset7'])).json<HistoryEntry[]>();
      expect(history.map((h) => [h.isDelete, h.asset?.Color, h.asset?.Owner])).toEqual([
        [false, 'gold', 'Max'],
        [false, 'gold', 'Tomoko'],
        [false, 'purple', 'Tomoko'],
      ]);
      const now = Date.now() / 1000;
      for (const h of history) {
        expect(h.txId).toMatch(/^[0-9a-f]{64}$/);
        expect(Math.abs(h.timestamp - now)).toBeLessThan(120);
      }
      expect(new Set(history.map((h) => h.txId)).size).toBe(3);
    });

    it('private details: taken from the transient map, committed to assetCollection, read back; refused without transient input', async () => {
      const details = { appraisedValue: 1234, notes: 'scratch on the left side' };
      const r = await invoke(['CreatePrivateAssetDetails', 'asset7'], { transient: { asset_properties: enc(J(details)) } });
      expect(r.payload).toHaveLength(0);
      expect((await query(['ReadPrivateAssetDetails', 'asset7'])).json()).toEqual({ ID: 'asset7', ...details });
      const stored = await t.peer.worldState.getCommittedPrivate('mychannel', NAME, 'assetCollection', 'asset7');
      expect(JSON.parse(dec(stored!.value))).toEqual({ ID: 'asset7', ...details });
      // the details never reach the public state
      expect(JSON.stringify((await query(['ReadAsset', 'asset7'])).json())).not.toContain('scratch');

      const missing = await submit(t.peer, NAME, ['CreatePrivateAssetDetails', 'asset1']);
      expect(missing).toMatchObject({ status: 500, message: 'asset_properties must be given in the transient map', committed: false });
      const none = await evaluate(t.peer, NAME, ['ReadPrivateAssetDetails', 'asset1']);
      expect(none).toMatchObject({ status: 500, message: 'no private details for asset asset1' });
      const outsider = await evaluate(t.peer, NAME, ['ReadPrivateAssetDetails', 'asset7'], { mspId: 'Org2MSP' });
      expect(outsider.status).toBe(500);
      expect(outsider.message).toContain('does not have read access permission');
    });

    it('DeleteAsset removes it; history ends with the delete', async () => {
      const del = await invoke(['DeleteAsset', 'asset7']);
      expect((await query(['AssetExists', 'asset7'])).text).toBe('false');
      expect(await t.peer.worldState.getCommitted('mychannel', NAME, 'asset7')).toBeUndefined();
      const gone = await evaluate(t.peer, NAME, ['ReadAsset', 'asset7']);
      expect(gone).toMatchObject({ status: 500, message: 'the asset asset7 does not exist' });
      const history = (await query(['GetAssetHistory', 'asset7'])).json<HistoryEntry[]>();
      expect(history).toHaveLength(4);
      expect(history[0]).toMatchObject({ txId: del.txId, isDelete: true, asset: null });
      expect((await query(['GetAllAssets'])).json<Asset[]>().map((a) => a.ID)).toEqual(['asset1', 'asset2', 'asset3', 'asset4', 'asset5', 'asset6']);
    });

    it('a failing call: status 500 with the message, nothing committed, no event', async () => {
      const dup = await submit(t.peer, NAME, ['CreateAsset', 'asset1', 'x', '1', 'y', '1']);
      expect(dup).toMatchObject({ status: 500, message: 'the asset asset1 already exists', committed: false, events: [] });
      expect((await query(['ReadAsset', 'asset1'])).json()).toMatchObject({ Color: 'blue', Owner: 'Tomoko' });
      const unknown = await submit(t.peer, NAME, ['Nope']);
      expect(unknown.status).toBe(500);
      expect(unknown.message).toMatch(/^unknown function Nope; known: InitLedger, CreateAsset, /);
      const bad = await submit(t.peer, NAME, ['TransferAsset', 'asset1']);
      expect(bad).toMatchObject({ status: 500, message: 'TransferAsset needs the new owner', committed: false });
    });
  });
}
