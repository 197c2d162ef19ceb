/**
 * `ccproto peer` as a real process dialling chaincode servers over TLS with the CLI's CCaaS
 * options, and `ccproto invoke` / `query` against it:
 * - `a`: `--ccaas` + `--ccaas-tls-root-cert` / `-client-cert` / `-client-key` (mutual TLS) and
 *   `--ccaas-tls-server-name` (the server certificate names only `allstub.example`, not the address);
 * - `b`: the same server through a Fabric `connection.json` (`--ccaas-connection`, `domain` for the
 *   name), declared `--init-required`;
 * - `c`: the same TLS without the server name: the certificate does not match the address, so the
 *   launch fails and the invocation says so.
 * The server is our runtime's allStub fixture in server mode (CHAINCODE_SERVER_ADDRESS), requiring
 * client certificates from the test CA. Also checked through the CLI: Fabric's text for a failed
 * transaction, the Init rules, and nanosecond timestamps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { createTlsCa, issueClientCert, issueServerCert } from '../../src/identity/index.js';
import { ALLSTUB, startServerOnFreePort, type ServerChild } from '../chaincode/devpeer/helpers.js';
import { cleanup as cleanupChildren } from '../peer/e2e/helpers.js';
import { freePort, memoryIo } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CCID = 'allstub_1.0:4e3f0c9b0d6b2ad9d0b0f3f8c4f4f1d6a4c3f2e1d0c9b8a7f6e5d4c3b2a19081';
let dir: string;
let server: ServerChild;
let peer: ChildProcess;
let api = '';
let output = '';
let serverAddress = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccproto-cli-ccaas-e2e-'));
  const ca = createTlsCa({ commonName: 'ccaas e2e CA' });
  const srv = issueServerCert(ca, ['allstub.example']);
  const cli = issueClientCert(ca, 'peer0.org1.example.com');
  const f = async (name: string, content: string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, content, { mode: 0o600 });
    return p;
  };
  server = await startServerOnFreePort(ALLSTUB, {
    CHAINCODE_ID: CCID,
    CORE_PEER_LOCALMSPID: 'Org1MSP',
    CORE_CHAINCODE_TLS_KEY_FILE: await f('server.key', srv.keyPem),
    CORE_CHAINCODE_TLS_CERT_FILE: await f('server.crt', srv.certPem),
    CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: await f('client-ca.crt', ca.certPem),
  });
  serverAddress = server.address;
  await f('ca.crt', ca.certPem);
  await f('client.crt', cli.certPem);
  await f('client.key', cli.keyPem);
  await f(
    'connection.json',
    JSON.stringify({
      address: server.address,
      domain: 'allstub.example',
      dial_timeout: '5s',
      tls_required: true,
      client_auth_required: true,
      client_key: cli.keyPem,
      client_cert: cli.certPem,
      root_cert: ca.certPem,
    }),
  );

  const listen = await freePort();
  const apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  const tlsFlags = (name: string): string[] => [
    '--ccaas-tls-root-cert', `${name}=${join(dir, 'ca.crt')}`,
    '--ccaas-tls-client-cert', `${name}=${join(dir, 'client.crt')}`,
    '--ccaas-tls-client-key', `${name}=${join(dir, 'client.key')}`,
  ];
  peer = spawn(
    process.execPath,
    [
      '--import', 'tsx', 'src/cli/main.ts', 'peer',
      '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${listen}`, '--api', `127.0.0.1:${apiPort}`, '--execute-timeout', '10s', '--no-dev-mode',
      '--ccaas', `a=${server.address}`, ...tlsFlags('a'), '--ccaas-tls-server-name', 'a=allstub.example',
      '--ccaas-connection', `b=${join(dir, 'connection.json')}`, '--init-required', 'b',
      '--ccaas', `c=${server.address}`, ...tlsFlags('c'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  peer.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  peer.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const registered = (): number => (output.match(/chaincode registered/g) ?? []).length;
  for (let i = 0; i < 600 && registered() < 2 && peer.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  expect(registered(), output).toBe(2);
}, 60_000);

afterAll(async () => {
  if (peer && peer.exitCode === null) peer.kill('SIGKILL');
  await server?.child.kill();
  await cleanupChildren();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main([argv[0]!, '--api', api, ...argv.slice(1)], io);
  return { code, out: io.out(), err: io.err(), json: io.out() ? (JSON.parse(io.out()) as Record<string, unknown>) : undefined };
}

describe('ccproto peer --ccaas with TLS options, end to end', () => {
  it('flags: mutual TLS with a server name override; the chaincode server registers and serves', async () => {
    expect(output).toMatch(new RegExp(`chaincode registered  name=${CCID} serves=a`));
    const put = await cli('invoke', '--name', 'a', '--', 'putState', 'color', 'blue');
    expect(put.code, put.err).toBe(0);
    expect(put.json).toMatchObject({ status: 200, committed: true });
    const get = await cli('query', '--name', 'a', '--', 'getState', 'color');
    expect(get.json).toMatchObject({ status: 200, payload: JSON.stringify('blue') });
  });

  it('connection.json: the same server, its TLS and domain read from the file', async () => {
    expect(output).toMatch(new RegExp(`chaincode registered  name=${CCID} serves=b`));
    const r = await cli('query', '--name', 'b', '--init', '--', 'getMspID');
    expect(r.json).toMatchObject({ status: 200, payload: JSON.stringify('Org1MSP') });
  });

  it('without the server name the certificate does not match the address: the launch fails, saying so', async () => {
    const r = await cli('query', '--name', 'c', '--', 'getState', 'x');
    expect(r.code).toBe(1);
    expect(String(r.json?.['message'])).toMatch(
      new RegExp(`^error in simulation: failed to execute transaction [0-9a-f]{64}: could not launch chaincode c: error connecting to chaincode server at ${serverAddress.replace(/\./g, '\\.')}: `),
    );
    expect(String(r.json?.['message'])).toContain("Hostname/IP does not match certificate's altnames");
  }, 30_000);

  it('a chaincode ERROR: the endorser\'s text in the JSON and on stderr, exit 1', async () => {
    const r = await cli('invoke', '--name', 'a', '--', 'throw', 'out of stock');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: out of stock', committed: false });
    expect(r.err).toBe('ccproto: invoke a failed with status 500: error in simulation: transaction returned with failure: out of stock\n');
  });

  it('--init-required: invoke before Init refused, one Init, then invokes', async () => {
    const early = await cli('invoke', '--name', 'b', '--', 'putState', 'k', 'v');
    expect(early.code).toBe(1);
    const txId = String(early.json?.['txId']);
    expect(early.json?.['message']).toBe(
      `error in simulation: failed to execute transaction ${txId}: invalid invocation: chaincode 'b' has not been initialized for this version, must call as init first`,
    );
    const init = await cli('invoke', '--name', 'b', '--init', '--', 'putState', 'k', 'from init');
    expect(init.code, init.err).toBe(0);
    const again = await cli('invoke', '--name', 'b', '--init', '--', 'putState', 'k', 'again');
    expect(again.code).toBe(1);
    expect(again.err).toContain(`invalid invocation: chaincode 'b' is already initialized but called as init`);
    expect((await cli('invoke', '--name', 'b', '--', 'putState', 'k', 'v')).code).toBe(0);
    const list = await cli('chaincodes');
    expect(JSON.parse(list.out)).toContainEqual(expect.objectContaining({ name: 'b', initRequired: true, launch: 'ccaas' }));
  });

  it('proposals built for the CLI carry nanoseconds (getTxTimestamp)', async () => {
    const stamps = [];
    for (let i = 0; i < 2; i++) {
      const r = await cli('query', '--name', 'a', '--', 'getTxTimestamp');
      stamps.push(JSON.parse(String(r.json?.['payload'])) as { seconds: string; nanos: number });
    }
    expect(stamps[0]).not.toEqual(stamps[1]);
    expect(stamps.some((s) => s.nanos % 1_000_000 !== 0)).toBe(true);
  });

  it('SIGTERM shuts down cleanly with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => peer.once('exit', (code) => r(code)));
    peer.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 15_000);
});
