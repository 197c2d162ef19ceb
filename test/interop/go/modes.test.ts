/**
 * The Go shim (fabric-chaincode-go/v2) in every way a chaincode connects to our peer, with the
 * command chaincode (test/interop/go/cmd/command):
 * - client mode, launched by the peer (`kind: 'process'`): the binary with --peer.address and
 *   Fabric's launcher environment (with TLS: the PEM files the Go shim reads, CORE_TLS_CLIENT_*_FILE);
 * - user-run (dev mode): started here with CORE_CHAINCODE_ID_NAME=NAME:1.0 and --peer.address
 *   (with TLS: client material from peer.clientTlsFor);
 * - chaincode-as-a-service: shim.ChaincodeServer started here; the peer dials it with our own
 *   HTTP/2 gRPC client (src/transport/http2Dial.ts) against grpc-go: plaintext, TLS (server
 *   certificate only) and mutual TLS.
 * Each runs the same round trip: put/get, a write batch and range queries, identity, an event, an
 * error, concurrent transactions.
 */
import { execFileSync } from 'node:child_process';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { traceRecorder } from '../../chaincode/devpeer/helpers.js';
import { cleanup, closePeer, evaluate, ok, read, startPeer, waitFor, waitReady, withTimeout, type TestPeer } from '../../peer/e2e/helpers.js';
import { binCommand, killGoChildren, packageId, startGoServer, startGoUserRun, type ServerTlsMode } from './helpers.js';
import { GO } from './toolchain.js';

const J = JSON.stringify;
let t: TestPeer | undefined;

afterEach(async () => {
  await closePeer(t);
  t = undefined;
  await killGoChildren();
});
afterAll(cleanup);

interface KV {
  key: string;
  value: string;
}

/** What every mode must support. `rec` (when the peer traces) checks the batch on the wire. */
async function exercise(p: TestPeer, name: string, rec?: ReturnType<typeof traceRecorder>): Promise<void> {
  const { peer } = p;
  const why = `\n${p.output()}`;
  await ok(peer, name, ['putState', 'x-mode', 'works']);
  expect((await read(peer, name, ['getState', 'x-mode'])).json(), why).toBe('works');

  const pairs = Array.from({ length: 120 }, (_, i) => [`m${String(i).padStart(3, '0')}`, String(i)]);
  const batch = await ok(peer, name, ['batchPut', J(pairs), 'finish']);
  if (rec) expect(rec.of(batch.txId).filter((m) => m.direction === 'in').map((m) => `${m.type} ${m.size ?? ''}`.trim())).toEqual(['WRITE_BATCH_STATE 120', 'COMPLETED']);
  const range = (await read(peer, name, ['getStateByRange', 'm', 'n'])).json<KV[]>();
  expect(range).toEqual(pairs.map(([key, value]) => ({ key, value })));
  const page = (await read(peer, name, ['getStateByRangeWithPagination', 'm', 'n', '50', 'm100'])).json<{ records: KV[]; metadata: unknown }>();
  expect(page.records.map((r) => r.key)).toEqual(pairs.slice(100).map(([k]) => k));
  expect(page.metadata).toEqual({ fetchedRecordsCount: 20, bookmark: '' });
  expect((await read(peer, name, ['getMultipleStates', J(['m000', 'm119', 'nope'])])).json()).toEqual(['0', '119', '']);

  const who = (await read(peer, name, ['clientIdentity', 'x', 'client'])).json<{ mspid: string; id: string }>();
  expect(who.mspid).toBe('Org1MSP');
  expect(who.id).toMatch(/^x509::CN=user1,/);
  const ev = await ok(peer, name, ['setEvent', 'ModeEvent', 'x']);
  expect(ev.events.map((e) => e.name)).toEqual(['ModeEvent']);
  const fail = await evaluate(peer, name, ['throw', 'no']);
  expect(fail.status).toBe(500);
  expect(fail.message).toBe('no');
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => ok(peer, name, ['putState', `c${i}`, String(i)])));
  expect(many.every((r) => r.committed)).toBe(true);
  expect((await read(peer, name, ['getState', 'c19'])).json()).toBe('19');
}

const info = (p: TestPeer, name: string) => p.peer.listChaincodes().find((c) => c.name === name);

describe.skipIf(GO.skip)('Go shim, client mode: launched by the peer', () => {
  for (const tls of [false, true]) {
    it(tls ? 'with TLS (the PEM files and CORE_PEER_TLS_ROOTCERT_FILE of the launcher)' : 'without TLS', async () => {
      const rec = traceRecorder();
      t = await startPeer({ tls, trace: rec.trace, chaincodes: { goproc: { kind: 'process', command: binCommand(GO.command) } } });
      await waitReady(t.peer, 'goproc', 30_000);
      expect(info(t, 'goproc')).toEqual({ name: 'goproc', registeredAs: 'goproc:1.0', launch: 'process', state: 'ready' });
      await exercise(t, 'goproc', rec);
    }, 60_000);
  }

  it('with KEEPALIVE from the peer every 200 ms: the Go shim echoes each one and keeps serving', async () => {
    const rec = traceRecorder();
    t = await startPeer({ keepaliveMs: 200, trace: rec.trace, chaincodes: { goproc: { kind: 'process', command: binCommand(GO.command) } } });
    await waitReady(t.peer, 'goproc', 30_000);
    await exercise(t, 'goproc');
    await waitFor(() => rec.messages.filter((m) => m.type === 'KEEPALIVE' && m.direction === 'in').length >= 3, 10_000, 'three KEEPALIVE echoes');
    const keepalives = rec.messages.filter((m) => m.type === 'KEEPALIVE');
    expect(keepalives.filter((m) => m.direction === 'out').length).toBeGreaterThanOrEqual(3);
    expect(t.logs.filter((r) => r.msg === 'protocol violation')).toEqual([]);
    expect(info(t, 'goproc')?.state).toBe('ready');
  }, 60_000);

  it('a launched Go chaincode that exits is relaunched on the next invocation', async () => {
    t = await startPeer({ chaincodes: { goproc: { kind: 'process', command: binCommand(GO.command) } } });
    await waitReady(t.peer, 'goproc', 30_000);
    await ok(t.peer, 'goproc', ['putState', 'before', 'crash']);
    const registered = t.logged('chaincode registered').length;
    // The Go process is a child of this test process (the in-process peer launched it).
    const pid = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find(([, cmd]) => cmd === GO.command)?.[0];
    expect(pid, 'the launched Go process').toBeDefined();
    process.kill(Number(pid), 'SIGKILL');
    await waitFor(() => t!.logged('chaincode process exited').length > 0, 10_000, 'the peer to notice the exit');
    expect((await read(t.peer, 'goproc', ['getState', 'before'], { timeoutMs: 40_000 })).json()).toBe('crash');
    expect(t.logged('chaincode registered').length).toBe(registered + 1);
  }, 90_000);
});

describe.skipIf(GO.skip)('Go shim, user-run (dev mode): the chaincode dials in by itself', () => {
  it('without TLS; after it stops, invocations say how to start it; a restart registers again', async () => {
    t = await startPeer();
    const cc = startGoUserRun(t.peer, GO.command, 'godev');
    await waitReady(t.peer, 'godev', 30_000);
    expect(info(t, 'godev')).toEqual({ name: 'godev', registeredAs: 'godev:1.0', launch: 'external', state: 'ready' });
    await exercise(t, 'godev');

    await cc.kill();
    await waitFor(() => info(t!, 'godev') === undefined, 10_000, 'deregistration');
    const r = await evaluate(t.peer, 'godev', ['getState', 'x-mode']);
    expect(r.status).toBe(500);
    expect(r.message).toContain(`could not launch chaincode godev: chaincode is not running: start it with CORE_CHAINCODE_ID_NAME=godev:1.0 and --peer.address=${t.peer.chaincodeAddress} (dev mode)`);

    startGoUserRun(t.peer, GO.command, 'godev');
    await waitReady(t.peer, 'godev', 30_000);
    expect((await read(t.peer, 'godev', ['getState', 'x-mode'])).json()).toBe('works');
  }, 90_000);

  it('with TLS (client certificate from peer.clientTlsFor, PEM files as the Go shim reads them)', async () => {
    const rec = traceRecorder();
    t = await startPeer({ tls: true, trace: rec.trace });
    startGoUserRun(t.peer, GO.command, 'godevtls', { tls: true });
    await waitReady(t.peer, 'godevtls', 30_000);
    await exercise(t, 'godevtls', rec);
  }, 60_000);

  it('with TLS, a certificate minted for another chaincode is refused, and the Go chaincode exits', async () => {
    t = await startPeer({ tls: true });
    const child = startGoUserRun(t.peer, GO.command, 'owner', { tls: true, idName: 'thief:1.0' });
    const refusal = () => t!.logs.find((r) => r.msg === 'protocol violation' && r.code === 'REGISTER_REFUSED');
    await waitFor(() => refusal() !== undefined, 15_000, 'the refusal');
    expect(String(refusal()!.cause)).toMatch(/^Chaincode thief:1\.0 with given certificate hash [0-9a-f]{64} belongs to a different chaincode$/);
    // Our peer answers the REGISTER with an ERROR and closes (deviations.md P2); the Go shim, in
    // state `created`, takes the ERROR as an unexpected message and shim.Start returns an error.
    const exit = await withTimeout(child.exited, 15_000, 'the refused Go chaincode to exit');
    expect(exit.code).toBe(1);
    expect(child.stderr()).toBe('command: error handling message: [] Chaincode h cannot handle message (ERROR) while in state: created\n');
    expect(info(t, 'thief')).toBeUndefined();
  }, 60_000);

  it('without CORE_PEER_TLS_ENABLED the Go shim refuses to start (it is required, unlike in fabric-shim)', async () => {
    t = await startPeer();
    const child = startGoUserRun(t.peer, GO.command, 'notls', { env: { CORE_PEER_TLS_ENABLED: '' } });
    const exit = await withTimeout(child.exited, 15_000, 'the Go chaincode to exit');
    expect(exit.code).toBe(1);
    expect(child.stderr()).toContain("'CORE_PEER_TLS_ENABLED' must be set to 'true' or 'false'");
  }, 30_000);
});

describe.skipIf(GO.skip)('Go shim, chaincode-as-a-service: the peer dials shim.ChaincodeServer', () => {
  const modes: Array<[ServerTlsMode, string]> = [
    ['off', 'plaintext'],
    ['tls', 'TLS (server certificate from src/identity, no client certificate)'],
    ['mutual', 'mutual TLS (the server requires the peer’s client certificate)'],
  ];
  for (const [mode, title] of modes) {
    it(title, async () => {
      const ccid = packageId('gosvc_1.0');
      const server = await startGoServer(GO.command, ccid, mode);
      expect(server.child.stdout()).toContain(`tls=${mode}`);
      const rec = traceRecorder();
      t = await startPeer({ trace: rec.trace, chaincodes: { gosvc: { kind: 'ccaas', address: server.address, ...(server.peerTls ? { tls: server.peerTls } : {}) } } });
      await exercise(t, 'gosvc', rec);
      expect(info(t, 'gosvc')).toEqual({ name: 'gosvc', registeredAs: ccid, launch: 'ccaas', state: 'ready' });
    }, 60_000);
  }

  it('mutual TLS without a client certificate: the launch fails, the peer keeps serving', async () => {
    const server = await startGoServer(GO.command, packageId('gosvc_1.0'), 'mutual');
    t = await startPeer({
      chaincodes: {
        gosvc: { kind: 'ccaas', address: server.address, tls: { rootCertPem: server.peerTls!.rootCertPem }, dialTimeoutMs: 2000 },
        goproc: { kind: 'process', command: binCommand(GO.command) },
      },
    });
    const r = await evaluate(t.peer, 'gosvc', ['getState', 'x'], { timeoutMs: 30_000 });
    expect(r.status).toBe(500);
    expect(r.message).toContain(`could not launch chaincode gosvc: error connecting to chaincode server at ${server.address}`);
    await waitReady(t.peer, 'goproc', 30_000);
    expect((await read(t.peer, 'goproc', ['getState', 'x'])).json()).toBe('');
  }, 60_000);

  it('the server outlives a peer: a second peer connects to the same Go server', async () => {
    const ccid = packageId('gosvc_1.0');
    const server = await startGoServer(GO.command, ccid, 'off');
    t = await startPeer({ chaincodes: { gosvc: { kind: 'ccaas', address: server.address } } });
    await ok(t.peer, 'gosvc', ['putState', 'a', '1']);
    await closePeer(t);
    t = await startPeer({ chaincodes: { gosvc: { kind: 'ccaas', address: server.address } } });
    // a fresh in-memory ledger, the same chaincode process
    expect((await read(t.peer, 'gosvc', ['getState', 'a'])).json()).toBe('');
    await ok(t.peer, 'gosvc', ['putState', 'a', '2']);
    expect((await read(t.peer, 'gosvc', ['getState', 'a'])).json()).toBe('2');
    expect(server.child.proc.exitCode).toBeNull();
  }, 60_000);
});
