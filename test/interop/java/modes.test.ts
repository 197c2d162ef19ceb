/**
 * The Java shim's command chaincode in every way a chaincode connects to our peer, with and
 * without TLS:
 * - launched by the peer (`kind: 'process'`): `java -jar chaincode.jar command --peer.address=…`
 *   with Fabric's launcher environment (with TLS: CORE_TLS_CLIENT_KEY_PATH / _CERT_PATH as base64
 *   of the PEM and CORE_PEER_TLS_ROOTCERT_FILE, which the Java shim reads);
 * - user-run (dev mode): started here with CORE_CHAINCODE_ID_NAME=NAME:1.0 and --peer.address;
 * - chaincode-as-a-service: the Java shim's NettyChaincodeServer (grpc-java on Netty) started here,
 *   dialled by the peer's own HTTP/2 gRPC client, in plaintext, TLS and mutual TLS, with a server
 *   name override, past grpc-java's max connection age (GOAWAY), and again from a restarted peer;
 * - KEEPALIVE on, which the Java shim logs and ignores;
 * - the real `ccproto peer` CLI (`--chaincode NAME=COMMAND`, with and without `--tls`, and
 *   `--ccaas NAME=HOST:PORT`), spawned as a process, driven with `ccproto invoke` / `ccproto query`,
 *   stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { main } from '../../../src/cli/main.js';
import { createTlsCa, issueClientCert, issueServerCert } from '../../../src/identity/index.js';
import { freePort, memoryIo } from '../../cli/helpers.js';
import { cleanup, closePeer, evaluate, ok, read, sleep, startPeer, waitFor, waitReady, withTimeout, type TestPeer } from '../../peer/e2e/helpers.js';
import { failure, JAVA, JVM_OPTIONS, JAR, javaCommand, killJava, startJavaServer, startJavaUserRun, type JavaChild } from './toolchain.js';

const J = JSON.stringify;
const CCID = 'jsvc_1.0:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

let t: TestPeer | undefined;
let server: JavaChild | undefined;

afterEach(async () => {
  await closePeer(t, 20_000);
  t = undefined;
  await server?.kill();
  server = undefined;
  await killJava();
}, 60_000);
afterAll(cleanup);

/** What every mode must do: writes commit, reads, a range over >100 keys, identity, events, errors, concurrency. */
async function exercise(p: TestPeer, name: string): Promise<void> {
  const { peer } = p;
  await ok(peer, name, ['putState', 'x-mode', 'works'], { timeoutMs: 60_000 });
  expect((await read(peer, name, ['getState', 'x-mode'])).json()).toBe('works');
  // 110 keys in parallel: the Java shim's task pool (5 threads) and the stream under load
  const keys = Array.from({ length: 110 }, (_, i) => `m${String(i).padStart(3, '0')}`);
  const puts = await Promise.all(keys.map((k, i) => ok(peer, name, ['putState', k, String(i)], { timeoutMs: 60_000 })));
  expect(puts.every((r) => r.committed)).toBe(true);
  const range = (await read(peer, name, ['getStateByRange', 'm', 'n'])).json<{ key: string; value: string }[]>();
  expect(range.map((kv) => kv.key)).toEqual(keys);
  expect(range[109]).toEqual({ key: 'm109', value: '109' });
  const page = await read(peer, name, ['getStateByRangeWithPagination', 'm', 'n', '2', '']);
  expect(page.text).toBe('{"records":[{"key":"m000","value":"0"},{"key":"m001","value":"1"}],"metadata":{"fetchedRecordsCount":2,"bookmark":"m002"}}');
  const who = (await read(peer, name, ['clientIdentity', 'hf.EnrollmentID', 'client'])).json<{ mspid: string; id: string; attr: string }>();
  expect(who).toMatchObject({ mspid: 'Org1MSP', attr: 'user1' });
  expect(who.id).toContain('CN=user1, ');
  const ev = await ok(peer, name, ['setEvent', 'ModeEvent', 'x']);
  expect(ev.events.map((e) => e.name)).toEqual(['ModeEvent']);
  const fail = await evaluate(peer, name, ['throw', 'no']);
  expect(fail.status).toBe(500);
  expect(fail.message).toMatch(failure(/org\.hyperledger\.fabric\.shim\.ChaincodeException: no\n/));
  await ok(peer, name, ['deleteState', 'x-mode']);
  expect((await read(peer, name, ['getState', 'x-mode'])).json()).toBe('');
}

const info = (p: TestPeer, name: string) => p.peer.listChaincodes().find((c) => c.name === name);

describe.skipIf(!JAVA.ok)('Java shim chaincode in every mode', () => {
  describe('launched by the peer (client mode)', () => {
    it('without TLS', async () => {
      t = await startPeer({ chaincodes: { jproc: { kind: 'process', command: javaCommand() } }, executeTimeoutMs: 60_000 });
      await exercise(t, 'jproc');
      expect(info(t, 'jproc')).toEqual({ name: 'jproc', registeredAs: 'jproc:1.0', launch: 'process', state: 'ready' });
    }, 180_000);

    it('with TLS (key and certificates as the Java shim reads them: base64 *_PATH files)', async () => {
      t = await startPeer({ tls: true, chaincodes: { jproc: { kind: 'process', command: javaCommand() } }, executeTimeoutMs: 60_000 });
      await exercise(t, 'jproc');
      expect(info(t, 'jproc')?.state).toBe('ready');
    }, 180_000);
  });

  describe('user-run (dev mode): the Java chaincode dials in by itself', () => {
    it('without TLS', async () => {
      t = await startPeer({ executeTimeoutMs: 60_000 });
      const cc = startJavaUserRun(t.peer, 'jdev');
      await waitReady(t.peer, 'jdev', 60_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${cc.output()}`);
      });
      expect(info(t, 'jdev')).toEqual({ name: 'jdev', registeredAs: 'jdev:1.0', launch: 'external', state: 'ready' });
      await exercise(t, 'jdev');
      // stopped: the peer forgets it and says how to start it
      await cc.kill();
      await waitFor(() => info(t!, 'jdev') === undefined, 15_000, 'deregistration');
      const r = await evaluate(t.peer, 'jdev', ['getState', 'x']);
      expect(r.status).toBe(500);
      expect(r.message).toContain('could not launch chaincode jdev: chaincode is not running');
    }, 180_000);

    it('with TLS (client certificate from peer.clientTlsFor)', async () => {
      t = await startPeer({ tls: true, executeTimeoutMs: 60_000 });
      const cc = startJavaUserRun(t.peer, 'jdevtls', { tls: true });
      await waitReady(t.peer, 'jdevtls', 60_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${cc.output()}`);
      });
      await exercise(t, 'jdevtls');
    }, 180_000);
  });

  describe('chaincode-as-a-service: the peer dials the Java shim’s NettyChaincodeServer', () => {
    it('without TLS', async () => {
      const port = await freePort();
      server = await startJavaServer('command', port, CCID);
      t = await startPeer({ chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}` } }, executeTimeoutMs: 60_000 });
      await exercise(t, 'jsvc');
      expect(info(t, 'jsvc')).toEqual({ name: 'jsvc', registeredAs: CCID, launch: 'ccaas', state: 'ready' });
    }, 180_000);

    it('with TLS (server authentication only)', async () => {
      const ca = createTlsCa({ commonName: 'java ccaas CA' });
      const srv = issueServerCert(ca, ['127.0.0.1', 'localhost']);
      const port = await freePort();
      server = await startJavaServer('command', port, CCID, { certPem: srv.certPem, keyPem: srv.keyPem });
      t = await startPeer({ chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem } } }, executeTimeoutMs: 60_000 });
      await exercise(t, 'jsvc');
      expect(info(t, 'jsvc')?.registeredAs).toBe(CCID);
    }, 180_000);

    it('with mutual TLS (client CA via CHAINCODE_TLS_CLIENT_CA_FILE); a peer without a client certificate is refused', async () => {
      const ca = createTlsCa({ commonName: 'java ccaas CA' });
      const srv = issueServerCert(ca, ['127.0.0.1', 'localhost']);
      const cli = issueClientCert(ca, 'peer0.org1.example.com');
      const port = await freePort();
      server = await startJavaServer('command', port, CCID, { certPem: srv.certPem, keyPem: srv.keyPem, clientCaPem: ca.certPem });

      // no client certificate: the TLS handshake (or the first stream) fails, the launch fails
      t = await startPeer({ chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem }, dialTimeoutMs: 5000 } }, executeTimeoutMs: 60_000 });
      const refused = await evaluate(t.peer, 'jsvc', ['getState', 'x'], { timeoutMs: 60_000 });
      expect(refused.status).toBe(500);
      expect(refused.message).toContain('could not launch chaincode jsvc');
      await closePeer(t, 20_000);

      t = await startPeer({
        chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem, clientCertPem: cli.certPem, clientKeyPem: cli.keyPem } } },
        executeTimeoutMs: 60_000,
      });
      await exercise(t, 'jsvc');
      expect(info(t, 'jsvc')?.registeredAs).toBe(CCID);
    }, 240_000);

    it('the connection outlives grpc-java’s max connection age (5 s, then GOAWAY); a restarted peer dials the server again', async () => {
      const port = await freePort();
      server = await startJavaServer('command', port, CCID);
      t = await startPeer({ chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}` } }, executeTimeoutMs: 60_000 });
      await ok(t.peer, 'jsvc', ['putState', 'age', 'old'], { timeoutMs: 60_000 });
      // ChaincodeServerProperties' default maxConnectionAgeSeconds is 5: the server sends GOAWAY,
      // the Connect stream already open must go on
      await sleep(7000);
      expect((await read(t.peer, 'jsvc', ['getState', 'age'])).json()).toBe('old');
      expect(t.logged('chaincode deregistered')).toEqual([]);
      await closePeer(t, 20_000);

      // a new peer (an empty ledger) dials the same Java server: a second Connect on it
      t = await startPeer({ chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}` } }, executeTimeoutMs: 60_000 });
      await ok(t.peer, 'jsvc', ['putState', 'again', 'yes'], { timeoutMs: 60_000 });
      expect((await read(t.peer, 'jsvc', ['getStateByRange', '', ''])).json()).toEqual([{ key: 'again', value: 'yes' }]);
    }, 180_000);

    it('a server name override: a certificate for another name, trusted through serverNameOverride', async () => {
      const ca = createTlsCa({ commonName: 'java ccaas CA' });
      const srv = issueServerCert(ca, ['jsvc.example.com']);
      const port = await freePort();
      server = await startJavaServer('command', port, CCID, { certPem: srv.certPem, keyPem: srv.keyPem });
      t = await startPeer({
        chaincodes: { jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem, serverNameOverride: 'jsvc.example.com' } } },
        executeTimeoutMs: 60_000,
      });
      await ok(t.peer, 'jsvc', ['putState', 'sno', 'yes'], { timeoutMs: 60_000 });
      expect((await read(t.peer, 'jsvc', ['getStateByRange', 'sno', 'snp'])).json()).toEqual([{ key: 'sno', value: 'yes' }]);
    }, 180_000);
  });

  describe('KEEPALIVE', () => {
    it('on: the Java shim logs each one as “cannot handle” and keeps serving (launched and CCaaS)', async () => {
      const port = await freePort();
      server = await startJavaServer('command', port, CCID);
      t = await startPeer({
        keepaliveMs: 200,
        chaincodes: { jproc: { kind: 'process', command: javaCommand() }, jsvc: { kind: 'ccaas', address: `127.0.0.1:${port}` } },
        executeTimeoutMs: 60_000,
      });
      for (const name of ['jproc', 'jsvc']) await ok(t.peer, name, ['putState', 'ka', name], { timeoutMs: 60_000 });
      await sleep(1500);
      for (const name of ['jproc', 'jsvc']) expect((await read(t.peer, name, ['getState', 'ka'])).json()).toBe(name);
      // InvocationTaskManager.handleMsg: KEEPALIVE is not one of the types it handles in READY; it
      // neither answers nor fails (the Go shim echoes it; fabric-shim <= 2.5.8 exits)
      expect(t.output()).toMatch(/\[jproc stderr\].*Received KEEPALIVE: cannot handle/);
      expect(server.output()).toMatch(/Received KEEPALIVE: cannot handle/);
      expect(t.logged('chaincode deregistered')).toEqual([]);
    }, 180_000);
  });
});

// ---------------------------------------------------------------------------------------------
// The real CLI

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Pids of live processes with `marker` as one of their arguments (not inside another argument). */
function pidsWith(marker: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`\u0000${marker}\u0000`)) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe.skipIf(!JAVA.ok)('`ccproto peer` (the real CLI, spawned) with Java chaincode', () => {
  let cliPeer: ChildProcess | undefined;
  afterEach(() => {
    if (cliPeer && cliPeer.exitCode === null && cliPeer.signalCode === null) cliPeer.kill('SIGKILL');
    cliPeer = undefined;
  });

  async function cli(...argv: string[]) {
    const io = memoryIo();
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err(), json: io.out() ? (JSON.parse(io.out()) as Record<string, unknown>) : undefined };
  }

  /** `ccproto peer` as a process on free ports; resolves once it listens. */
  async function startCliPeer(args: string[]): Promise<{ api: string; output: () => string; exited: Promise<number | null> }> {
    const listen = await freePort();
    const apiPort = await freePort();
    let output = '';
    cliPeer = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'peer', '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${listen}`, '--api', `127.0.0.1:${apiPort}`, '--execute-timeout', '60s', ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cliPeer.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    cliPeer.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => cliPeer!.once('exit', (code) => r(code)));
    await waitFor(() => /ccproto peer listening/.test(output), 60_000, `the CLI peer to listen; output:\n${output}`, 50);
    return { api: `http://127.0.0.1:${apiPort}`, output: () => output, exited };
  }

  /** Put, range, a failing call, the chaincode list: through `ccproto invoke` / `query` / `chaincodes`. */
  async function roundTrip(api: string, name: string, registeredAs: string, launch: string, output: () => string): Promise<void> {
    // the first invocation waits for the launch (JVM start and registration, or the dial)
    const put = await cli('invoke', '--api', api, '--name', name, '--timeout', '120s', '--', 'putState', 'color', 'blue');
    expect(put.code, `${put.err}\n${output()}`).toBe(0);
    expect(put.json).toMatchObject({ status: 200, committed: true, payload: 'null' });
    expect(output()).toContain(`chaincode registered  name=${registeredAs}`);
    const get = await cli('query', '--api', api, '--name', name, '--', 'getStateByRange', '', '');
    expect(get.code).toBe(0);
    expect(get.json).toMatchObject({ status: 200, payload: J([{ key: 'color', value: 'blue' }]), committed: false });
    const fail = await cli('invoke', '--api', api, '--name', name, '--', 'throw', 'out of stock');
    expect(fail.code).toBe(1);
    expect(fail.err).toContain('org.hyperledger.fabric.shim.ChaincodeException: out of stock');
    const chaincodes = await cli('chaincodes', '--api', api);
    expect(chaincodes.json).toEqual([{ name, registeredAs, launch, state: 'ready' }]);
  }

  for (const tls of [false, true]) {
    it(`--chaincode: launches the Java chaincode; invoke/query through the API; SIGTERM stops both${tls ? ' (--tls)' : ''}`, async () => {
      // a marker on the JVM's command line finds the chaincode process later
      const marker = `-Dccproto.test=${randomUUID()}`;
      const command = ['java', marker, ...JVM_OPTIONS, '-jar', JAR, 'command'].join(' ');
      const p = await startCliPeer(['--chaincode', `jcli=${command}`, ...(tls ? ['--tls'] : [])]);
      await roundTrip(p.api, 'jcli', 'jcli:1.0', 'process', p.output);
      expect(pidsWith(marker)).toHaveLength(1);

      cliPeer!.kill('SIGTERM');
      expect(await withTimeout(p.exited, 30_000, 'the CLI peer to exit')).toBe(0);
      expect(p.output()).toMatch(/peer stopped/);
      // the launched JVM is gone too
      await waitFor(() => pidsWith(marker).length === 0, 10_000, 'the Java chaincode process to exit');
    }, 240_000);
  }

  it('--ccaas: dials the Java chaincode server', async () => {
    const port = await freePort();
    const server = await startJavaServer('command', port, CCID);
    try {
      const p = await startCliPeer(['--ccaas', `jsvc=127.0.0.1:${port}`]);
      await roundTrip(p.api, 'jsvc', CCID, 'ccaas', p.output);
      cliPeer!.kill('SIGTERM');
      expect(await withTimeout(p.exited, 30_000, 'the CLI peer to exit')).toBe(0);
      // the chaincode server outlives the peer (it is not the peer's to stop)
      expect(server.proc.exitCode).toBeNull();
    } finally {
      await server.kill();
    }
  }, 240_000);
});
