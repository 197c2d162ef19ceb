/**
 * The asset-transfer example: its functions against the in-memory peer (with a small serve that adds
 * pagination and rich queries to the StandInLedger), and the example process started in client mode
 * and in server mode over gRPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { dialChaincodeServer } from '../../src/transport/index.js';
import { AssetTransfer, type Asset } from '../../examples/asset-transfer/assetTransfer.js';
import { listenPeer, TestPeer } from './grpcPeer.js';
import { Harness, makeProposal, richServe, utf8 } from './helpers.js';

const EMPTY = new Uint8Array(0);

describe('asset-transfer on the in-memory peer [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('create, read, update, transfer (event), delete, range with pagination, rich query, history, private data', async () => {
    const ledger = new StandInLedger();
    const h = await Harness.start({ chaincode: new AssetTransfer(), serve: richServe(ledger) });
    const call = async (args: string[], opts?: Parameters<Harness['invoke']>[1]) => {
      const r = await h.invoke(args, opts);
      if (!r.ok) throw new Error(r.message);
      return r;
    };
    const body = async (args: string[], opts?: Parameters<Harness['invoke']>[1]) => {
      const r = await call(args, opts);
      if (!r.ok || r.response.status !== 200) throw new Error(r.ok ? r.response.message : 'failed');
      return utf8(r.response.payload);
    };

    await body(['InitLedger']);
    expect(ledger.values.size).toBe(6);
    await body(['CreateAsset', 'asset7', 'purple', '3', 'Tomoko', '900']);
    expect(JSON.parse(await body(['ReadAsset', 'asset7']))).toMatchObject({ ID: 'asset7', Owner: 'Tomoko', Size: 3 });
    expect((await call(['CreateAsset', 'asset7', 'x', '1', 'y', '1'])).response).toMatchObject({ status: 500, message: 'the asset asset7 already exists' });
    await body(['UpdateAsset', 'asset7', 'gold']);
    expect(JSON.parse(await body(['ReadAsset', 'asset7']))).toMatchObject({ Color: 'gold', Owner: 'Tomoko' });

    const transfer = await call(['TransferAsset', 'asset7', 'Max']);
    expect(transfer.ok && transfer.event).toMatchObject({ eventName: 'TransferAsset' });
    expect(JSON.parse(utf8(transfer.ok ? transfer.event!.payload : EMPTY))).toEqual({ ID: 'asset7', from: 'Tomoko', to: 'Max' });

    expect((JSON.parse(await body(['GetAllAssets'])) as Asset[]).map((a) => a.ID)).toEqual(['asset1', 'asset2', 'asset3', 'asset4', 'asset5', 'asset6', 'asset7']);
    const page1 = JSON.parse(await body(['GetAssetsByRangeWithPagination', '', '', '3', ''])) as { records: Asset[]; bookmark: string; fetchedRecordsCount: number };
    expect(page1.records.map((a) => a.ID)).toEqual(['asset1', 'asset2', 'asset3']);
    expect(page1).toMatchObject({ fetchedRecordsCount: 3, bookmark: 'asset4' });
    const page2 = JSON.parse(await body(['GetAssetsByRangeWithPagination', '', '', '3', page1.bookmark])) as { records: Asset[] };
    expect(page2.records.map((a) => a.ID)).toEqual(['asset4', 'asset5', 'asset6']);

    expect((JSON.parse(await body(['QueryAssetsByOwner', 'Max'])) as Asset[]).map((a) => a.ID)).toEqual(['asset4', 'asset7']);
    const history = JSON.parse(await body(['GetAssetHistory', 'asset7'])) as Array<{ asset: Asset | null }>;
    expect(history.map((e) => e.asset?.Owner)).toEqual(['Max', 'Tomoko', 'Tomoko']);

    const transient = { asset_properties: new TextEncoder().encode(JSON.stringify({ appraisedValue: 1234, notes: 'scratch' })) };
    await body(['CreatePrivateAssetDetails', 'asset7'], { proposal: makeProposal({ transient }) });
    expect(JSON.parse(await body(['ReadPrivateAssetDetails', 'asset7']))).toEqual({ ID: 'asset7', appraisedValue: 1234, notes: 'scratch' });
    expect((await call(['CreatePrivateAssetDetails', 'asset7'])).response).toMatchObject({ status: 500, message: 'asset_properties must be given in the transient map' });

    await body(['DeleteAsset', 'asset7']);
    expect(await body(['AssetExists', 'asset7'])).toBe('false');
    expect((await call(['Nope'])).response).toMatchObject({ status: 500, message: expect.stringContaining('unknown function Nope') });
  });
});

describe('asset-transfer as a process over gRPC [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill();
  });
  const entry = fileURLToPath(new URL('../../examples/asset-transfer/index.ts', import.meta.url));
  const run = (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return { child, stderr: () => stderr };
  };

  it('client mode: --peer.address and CORE_CHAINCODE_ID_NAME', async () => {
    const p = await listenPeer();
    try {
      run(['--peer.address', p.listener.address], { CORE_CHAINCODE_ID_NAME: 'asset-transfer:1.0', CORE_PEER_TLS_ENABLED: 'false' });
      const peer = await p.peerAt(0);
      expect(await peer.ready).toBe('asset-transfer:1.0');
      expect(await peer.invoke(['CreateAsset', 'a1', 'red', '1', 'Ann', '10'])).toMatchObject({ ok: true, response: { status: 200 } });
      const read = await peer.invoke(['ReadAsset', 'a1']);
      expect(read.ok && JSON.parse(utf8(read.response.payload))).toMatchObject({ ID: 'a1', Owner: 'Ann' });
    } finally {
      await p.listener.close();
    }
  });

  it('server mode: CHAINCODE_SERVER_ADDRESS and CHAINCODE_ID', async () => {
    const { stderr } = run([], { CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0', CHAINCODE_ID: 'asset-transfer_1.0:abc' });
    let address: string | undefined;
    for (let i = 0; i < 200 && !address; i++) {
      await new Promise((r) => setTimeout(r, 25));
      address = /listening on (\S+)/.exec(stderr())?.[1];
    }
    expect(address, stderr()).toBeDefined();
    const stream = await dialChaincodeServer({ address: address!, dialTimeoutMs: 2_000 });
    try {
      const peer = new TestPeer(stream, new StandInLedger());
      expect(await peer.ready).toBe('asset-transfer_1.0:abc');
      await peer.invoke(['InitLedger']);
      const all = await peer.invoke(['GetAllAssets']);
      expect(all.ok && (JSON.parse(utf8(all.response.payload)) as Asset[]).length).toBe(6);
    } finally {
      stream.close();
    }
  });
});
