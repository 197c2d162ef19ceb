/**
 * The three ways a chaincode connects, each with and without TLS, with real fabric-shim 2.5.8:
 * - client mode, launched by the peer (`kind: 'process'`): the peer runs the command with
 *   --peer.address and Fabric's launcher environment (TLS files included);
 * - chaincode-as-a-service (`kind: 'ccaas'`): a fabric-shim `shim.server` child process started
 *   here; the peer dials it (server certificate from src/identity, mutual TLS);
 * - user-run dev mode: a child process started here with CORE_CHAINCODE_ID_NAME and
 *   --peer.address (with TLS: client material from peer.clientTlsFor, files as fabric-shim reads).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { createTlsCa, issueClientCert, issueServerCert } from '../../../src/identity/index.js';
import { CHAINCODE_LOGGING_DEFAULTS } from '../../../src/peer/launch/process.js';
import {
  basicCommand,
  cleanup,
  closePeer,
  evaluate,
  executeFailed,
  fixture,
  getValue,
  killChildren,
  ok,
  read,
  spawnChild,
  startPeer,
  startUserRun,
  tempDir,
  waitFor,
  waitReady,
  withTimeout,
  type TestPeer,
} from './helpers.js';

/** For locating fabric-shim from a generated script (this file is ESM). */
const require = createRequire(import.meta.url);

let t: TestPeer | undefined;

afterEach(async () => {
  await closePeer(t);
  t = undefined;
  await killChildren();
});
afterAll(cleanup);

/** What every mode must support: writes commit, reads, iterators, identity, events. */
async function exercise(p: TestPeer, name: string): Promise<void> {
  const { peer } = p;
  await ok(peer, name, ['putMany', 'm', '120']);
  await ok(peer, name, ['put', 'x-mode', 'works']);
  expect(await getValue(peer, name, 'x-mode')).toBe('works');
  const range = (await read(peer, name, ['range', 'm', 'n'])).json<unknown[]>();
  expect(range).toHaveLength(120);
  const who = (await read(peer, name, ['whoami'])).json<{ mspid: string; id: string }>();
  expect(who.mspid).toBe('Org1MSP');
  expect(who.id).toContain('CN=user1::');
  const ev = await ok(peer, name, ['event', 'ModeEvent', 'x']);
  expect(ev.events.map((e) => e.name)).toEqual(['ModeEvent']);
  const fail = await evaluate(peer, name, ['fail', 'no']);
  expect(fail.status).toBe(500);
  expect(fail.message).toBe('no');
  // concurrent transactions on the one stream
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => ok(peer, name, ['put', `c${i}`, String(i)])));
  expect(many.every((r) => r.committed)).toBe(true);
  expect(await getValue(peer, name, 'c19')).toBe('19');
}

function info(p: TestPeer, name: string) {
  return p.peer.listChaincodes().find((c) => c.name === name);
}

describe('client mode: launched by the peer', () => {
  it('without TLS', async () => {
    t = await startPeer({ chaincodes: { proc: { kind: 'process', command: basicCommand() } } });
    await exercise(t, 'proc');
    expect(info(t, 'proc')).toEqual({ name: 'proc', registeredAs: 'proc:1.0', launch: 'process', state: 'ready' });
  });

  it('with TLS (the peer writes the key, certificates and env fabric-shim reads)', async () => {
    t = await startPeer({ tls: true, chaincodes: { proc: { kind: 'process', command: basicCommand() } } });
    expect(t.peer.tlsRootCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await exercise(t, 'proc');
    expect(info(t, 'proc')?.state).toBe('ready');
  });

  it('the launch environment: CORE_CHAINCODE_ID_NAME, CORE_PEER_LOCALMSPID, logging, extra env, cwd', async () => {
    const script = join(tempDir(), 'envcc.cjs');
    writeFileSync(
      script,
      `const shim = require(${JSON.stringify(require.resolve('fabric-shim'))});
shim.start({
  async Init() { return shim.success(); },
  async Invoke() {
    const pick = (k) => process.env[k];
    return shim.success(Buffer.from(JSON.stringify({
      id: pick('CORE_CHAINCODE_ID_NAME'), msp: pick('CORE_PEER_LOCALMSPID'), tls: pick('CORE_PEER_TLS_ENABLED'),
      extra: pick('E2E_EXTRA'), cwd: process.cwd(), argv: process.argv.slice(2),
      logging: [pick('CORE_CHAINCODE_LOGGING_LEVEL'), pick('CORE_CHAINCODE_LOGGING_SHIM'), pick('CORE_CHAINCODE_LOGGING_FORMAT')],
    })));
  },
});
`,
    );
    const cwd = tempDir();
    // A chaincode's own env wins over the defaults (here: the shim logging level).
    const env = { E2E_EXTRA: 'yes', CORE_CHAINCODE_LOGGING_SHIM: 'error' };
    t = await startPeer({ mspId: 'Org1MSP', chaincodes: { envcc: { kind: 'process', command: `${process.execPath} ${script}`, cwd, env } } });
    const r = (await read(t.peer, 'envcc', ['x'])).json<Record<string, unknown>>();
    expect(r).toEqual({
      id: 'envcc:1.0',
      msp: 'Org1MSP',
      tls: 'false',
      extra: 'yes',
      cwd,
      argv: [`--peer.address=${t.peer.chaincodeAddress}`],
      // fabric core.yaml chaincode.logging defaults, as Fabric's launcher passes them.
      logging: ['info', 'error', CHAINCODE_LOGGING_DEFAULTS.CORE_CHAINCODE_LOGGING_FORMAT],
    });
    expect(CHAINCODE_LOGGING_DEFAULTS.CORE_CHAINCODE_LOGGING_FORMAT).toContain('%{shortfunc} -> %{level:.4s}');
  });
});

describe('chaincode-as-a-service: the peer dials a fabric-shim chaincode server', () => {
  const CCID = 'svc_1.0:5e5b6f0c9a1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff0011';

  it('without TLS', async () => {
    const server = spawnChild([fixture('shimServer.cjs')], { CHAINCODE_ID: CCID });
    const port = (await server.waitLine(/LISTENING (\d+)/))[1]!;
    t = await startPeer({ chaincodes: { svc: { kind: 'ccaas', address: `127.0.0.1:${port}` } } });
    await exercise(t, 'svc');
    expect(info(t, 'svc')).toEqual({ name: 'svc', registeredAs: CCID, launch: 'ccaas', state: 'ready' });
  });

  it('with mutual TLS (server certificate from src/identity, peer client certificate)', async () => {
    const ca = createTlsCa({ commonName: 'e2e ccaas CA' });
    const srv = issueServerCert(ca, ['127.0.0.1', 'localhost']);
    const cli = issueClientCert(ca, 'peer0.org1.example.com');
    const dir = tempDir();
    const f = (n: string, c: string) => {
      writeFileSync(join(dir, n), c);
      return join(dir, n);
    };
    const server = spawnChild([fixture('shimServer.cjs')], {
      CHAINCODE_ID: CCID,
      CHAINCODE_TLS_KEY_FILE: f('srv.key', srv.keyPem),
      CHAINCODE_TLS_CERT_FILE: f('srv.crt', srv.certPem),
      CHAINCODE_TLS_CLIENT_CA_FILE: f('ca.crt', ca.certPem),
    });
    const port = (await server.waitLine(/LISTENING (\d+)/))[1]!;
    t = await startPeer({
      chaincodes: { svc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: ca.certPem, clientCertPem: cli.certPem, clientKeyPem: cli.keyPem } } },
    });
    await exercise(t, 'svc');
    expect(info(t, 'svc')?.registeredAs).toBe(CCID);
  });

  it('a TLS server the peer does not trust: the launch fails, the peer keeps serving', async () => {
    const ca = createTlsCa({ commonName: 'server CA' });
    const other = createTlsCa({ commonName: 'some other CA' });
    const srv = issueServerCert(ca, ['127.0.0.1']);
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), srv.keyPem);
    writeFileSync(join(dir, 'c'), srv.certPem);
    const server = spawnChild([fixture('shimServer.cjs')], { CHAINCODE_ID: CCID, CHAINCODE_TLS_KEY_FILE: join(dir, 'k'), CHAINCODE_TLS_CERT_FILE: join(dir, 'c') });
    const port = (await server.waitLine(/LISTENING (\d+)/))[1]!;
    t = await startPeer({
      chaincodes: {
        svc: { kind: 'ccaas', address: `127.0.0.1:${port}`, tls: { rootCertPem: other.certPem }, dialTimeoutMs: 1000 },
        proc: { kind: 'process', command: basicCommand() },
      },
    });
    const r = await evaluate(t.peer, 'svc', ['get', 'x']);
    expect(r.status).toBe(500);
    expect(r.message).toContain(`could not launch chaincode svc: error connecting to chaincode server at 127.0.0.1:${port}`);
    expect(await getValue(t.peer, 'proc', 'x')).toBe('');
  });

  it('a server that is not there: the launch fails within the dial timeout', async () => {
    t = await startPeer({ chaincodes: { svc: { kind: 'ccaas', address: '127.0.0.1:1', dialTimeoutMs: 500 } } });
    const started = Date.now();
    const r = await evaluate(t.peer, 'svc', ['get', 'x']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('could not launch chaincode svc: error connecting to chaincode server at 127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('user-run (dev mode): the chaincode dials in by itself', () => {
  it('without TLS; after it stops, invocations say how to start it; a restart registers again', async () => {
    t = await startPeer();
    const cc = startUserRun(t.peer, 'dev');
    await waitReady(t.peer, 'dev');
    expect(info(t, 'dev')).toEqual({ name: 'dev', registeredAs: 'dev:1.0', launch: 'external', state: 'ready' });
    await exercise(t, 'dev');

    await cc.kill();
    await waitFor(() => info(t!, 'dev') === undefined, 5000, 'deregistration');
    const r = await evaluate(t.peer, 'dev', ['get', 'x-mode']);
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, `could not launch chaincode dev: chaincode is not running: start it with CORE_CHAINCODE_ID_NAME=dev:1.0 and --peer.address=${t.peer.chaincodeAddress} (dev mode)`));

    startUserRun(t.peer, 'dev');
    await waitReady(t.peer, 'dev');
    expect(await getValue(t.peer, 'dev', 'x-mode')).toBe('works');
  });

  it('with TLS (client certificate from peer.clientTlsFor, base64 files as fabric-shim reads them)', async () => {
    t = await startPeer({ tls: true });
    startUserRun(t.peer, 'devtls', { tls: true });
    await waitReady(t.peer, 'devtls');
    await exercise(t, 'devtls');
  });

  it('with TLS, a certificate minted for another chaincode is refused', async () => {
    t = await startPeer({ tls: true });
    const env = { CORE_CHAINCODE_ID_NAME: 'thief:1.0' };
    // material minted for "owner", used by a chaincode registering as "thief"
    const child = startUserRun(t.peer, 'owner', { tls: true, env });
    const refusal = () => t!.logs.find((r) => r.msg === 'protocol violation' && r.code === 'REGISTER_REFUSED');
    await waitFor(() => refusal() !== undefined, 10_000, 'the refusal');
    expect(String(refusal()!.cause)).toMatch(/^Chaincode thief:1\.0 with given certificate hash [0-9a-f]{64} belongs to a different chaincode$/);
    // told why (deviation P2), fabric-shim's stream ends and the process exits by itself
    await withTimeout(child.exited, 10_000, 'the refused chaincode to exit');
    expect(info(t, 'thief')).toBeUndefined();
    expect(info(t, 'owner')).toBeUndefined();
  });

  it('a name registered as NAME:VERSION is invoked as NAME', async () => {
    t = await startPeer();
    startUserRun(t.peer, 'versioned', { idName: 'versioned:2.7' });
    await waitReady(t.peer, 'versioned');
    expect(info(t, 'versioned')?.registeredAs).toBe('versioned:2.7');
    await ok(t.peer, 'versioned', ['put', 'a', 'b']);
  });
});
