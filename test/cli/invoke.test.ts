/**
 * `ccproto invoke` / `query` / `chaincodes` / `channels` / `tls` run in-process through `main()`
 * against a real API server backed by the fake peer.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { startApiServer, type ApiServer } from '../../src/peer/http/server.js';
import { listenChaincodeSupport } from '../../src/transport/index.js';
import { FakePeer, bytes, deferred, freePort, memoryIo } from './helpers.js';

let fake: FakePeer;
let api: ApiServer;

beforeEach(async () => {
  fake = new FakePeer();
  api = await startApiServer({ peer: fake, host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await api.close(100);
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> | undefined }> {
  const io = memoryIo();
  const code = await main(argv, io);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(io.out()) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { code, out: io.out(), err: io.err(), json };
}

describe('ccproto invoke / query', () => {
  it('invoke submits FN ARG... after -- and prints one JSON object, exit 0', async () => {
    fake.respond = (req) => ({
      txId: 'f00dcafe',
      status: 200,
      message: '',
      payload: bytes('{"ID":"asset1"}'),
      events: [{ name: 'AssetCreated', payload: bytes('asset1') }],
      committed: req.submit,
    });
    const r = await run(['invoke', '--api', api.url, '--channel', 'ch2', '--name', 'basic', '--', 'CreateAsset', 'asset1', '-5', '--not-an-option']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.json).toEqual({
      txId: 'f00dcafe',
      status: 200,
      message: '',
      payload: '{"ID":"asset1"}',
      payloadBase64: Buffer.from('{"ID":"asset1"}').toString('base64'),
      events: [{ name: 'AssetCreated', payload: 'asset1', payloadBase64: Buffer.from('asset1').toString('base64') }],
      committed: true,
    });
    expect(fake.requests[0]).toEqual({
      channel: 'ch2',
      chaincode: 'basic',
      args: ['CreateAsset', 'asset1', '-5', '--not-an-option'],
      submit: true,
      mspId: 'Org1MSP',
      user: 'user1',
    });
  });

  it('query evaluates with the defaults (channel mychannel, Org1MSP/user1)', async () => {
    const r = await run(['query', '--api', api.url, '-n', 'basic', '--', 'ReadAsset', 'asset1']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ status: 200, committed: false, payload: '["ReadAsset","asset1"]' });
    expect(fake.requests[0]).toMatchObject({ channel: 'mychannel', chaincode: 'basic', submit: false, mspId: 'Org1MSP', user: 'user1' });
  });

  it('passes --init, --transient (UTF-8), --msp-id, --user, --tx-id', async () => {
    const r = await run([
      'invoke', '--api', api.url, '--name', 'private', '--init',
      '--transient', '{"asset_properties":"{\\"color\\":\\"blue\\"}","x":"ü"}',
      '--msp-id', 'Org2MSP', '--user', 'alice', '--tx-id', 'mytx',
      '--', 'InitLedger',
    ]);
    expect(r.code).toBe(0);
    const req = fake.requests[0]!;
    expect(req).toMatchObject({ init: true, mspId: 'Org2MSP', user: 'alice', txId: 'mytx', args: ['InitLedger'] });
    expect(Buffer.from(req.transient!['asset_properties']!).toString()).toBe('{"color":"blue"}');
    expect(Buffer.from(req.transient!['x']!).toString()).toBe('ü');
    expect(r.json?.['txId']).toBe('mytx');
  });

  it('--args-base64 and --transient-base64 send exact bytes; -c takes peer-CLI JSON', async () => {
    const r = await run(['invoke', '--api', api.url, '--name', 'bin', '--args-base64', '--transient-base64', '{"k":"AP8="}', '--', 'UHV0', 'AP8=']);
    expect(r.code).toBe(0);
    const req = fake.requests[0]!;
    expect(req.args.map((a) => Buffer.from(a as Uint8Array).toString('hex'))).toEqual([Buffer.from('Put').toString('hex'), '00ff']);
    expect(Buffer.from(req.transient!['k']!).toString('hex')).toBe('00ff');

    const c = await run(['query', '--api', api.url, '--name', 'basic', '-c', '{"function":"ReadAsset","Args":["a1"]}']);
    expect(c.code).toBe(0);
    expect(fake.requests[1]!.args).toEqual(['ReadAsset', 'a1']);
  });

  it('status >= 400: JSON still on stdout, message on stderr, exit 1', async () => {
    fake.respond = () => ({ txId: 't1', status: 500, message: 'the asset asset9 does not exist', payload: new Uint8Array(), events: [], committed: false });
    const r = await run(['invoke', '--api', api.url, '--name', 'basic', '--', 'ReadAsset', 'asset9']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 500, message: 'the asset asset9 does not exist', committed: false });
    expect(r.err).toMatch(/status 500: the asset asset9 does not exist/);
  });

  it('status 400..499 is a failure too; 399 is not', async () => {
    fake.respond = () => ({ txId: 't', status: 404, message: 'nope', payload: new Uint8Array(), events: [], committed: false });
    expect((await run(['query', '--api', api.url, '--name', 'basic', '--', 'F'])).code).toBe(1);
    fake.respond = () => ({ txId: 't', status: 399, message: '', payload: new Uint8Array(), events: [], committed: false });
    expect((await run(['query', '--api', api.url, '--name', 'basic', '--', 'F'])).code).toBe(0);
  });

  it('--pretty indents the same object', async () => {
    const r = await run(['query', '--api', api.url, '--name', 'basic', '--pretty', '--', 'F']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\n  "txId"');
    expect(r.json).toMatchObject({ status: 200 });
  });

  it('an unreachable API: clear message on stderr, exit 3, nothing on stdout', async () => {
    const port = await freePort();
    const r = await run(['invoke', '--api', `http://127.0.0.1:${port}`, '--name', 'basic', '--', 'F']);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/cannot reach the ccproto API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('an API error answer (e.g. the peer threw): exit 3 with the error', async () => {
    fake.respond = () => {
      throw new Error('chaincode basic is not registered');
    };
    const r = await run(['invoke', '--api', api.url, '--name', 'basic', '--', 'F']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/HTTP 500 .*chaincode basic is not registered/);
  });

  it('a --timeout that expires: exit 3', async () => {
    fake.respond = () => new Promise(() => {});
    const r = await run(['query', '--api', api.url, '--name', 'basic', '--timeout', '200ms', '--', 'F']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no answer .* within 200 ms/);
  });

  it.each<[string, string[], RegExp]>([
    ['bad --transient JSON', ['--transient', '{not json', '--', 'F'], /--transient is not valid JSON/],
    ['non-string transient value', ['--transient', '{"k":1}', '--', 'F'], /"k" must be a string/],
    ['no function', [], /missing the function/],
    ['both -c and FN', ['-c', '{"Args":["F"]}', '--', 'G'], /not both/],
    ['bad base64 argument', ['--args-base64', '--', '!!'], /not valid base64/],
    ['bad --api', ['--api', 'https://x', '--', 'F'], /only http/],
    ['bad --timeout', ['--timeout', 'later', '--', 'F'], /invalid --timeout/],
  ])('usage error (exit 2): %s', async (_label, extra, message) => {
    const r = await run(['invoke', '--api', api.url, '--name', 'basic', ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(fake.requests).toHaveLength(0);
  });

  it('--name is required', async () => {
    const r = await run(['invoke', '--api', api.url, '--', 'F']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--name is required/);
  });
});

describe('usage', () => {
  it('--version and -V print the package version, exit 0', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${version}\n`);
    }
  });

  it('ccproto alone and --help print usage with exit 0', async () => {
    for (const argv of [[], ['--help'], ['help']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: ccproto/);
      expect(r.out).toMatch(/invoke/);
    }
    const sub = await run(['invoke', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.out).toMatch(/--transient <json>/);
  });

  it('an unknown command or option exits 2', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command/);
    const o = await run(['invoke', '--bogus']);
    expect(o.code).toBe(2);
    expect(o.err).toMatch(/unknown option/);
  });

  it.each([
    [['peer', '--port', '7052'], 'hint: the peer listens on --listen HOST:PORT (chaincode listener, default 127.0.0.1:7052) and --api HOST:PORT (HTTP API, default 127.0.0.1:7080)'],
    [['peer', '--msp-id', 'Org2MSP'], "hint: the peer's MSP id is --peer-msp-id ID"],
    [['invoke', '--chaincode', 'basic', '--', 'f'], 'hint: name the chaincode with --name NAME (-n NAME)'],
    [['query', '--name', 'basic', 'ReadAsset', '--id', 'a1'], 'hint: if --id is an argument of the function, put -- before the function and its arguments: ccproto query --name NAME -- FN ARG...'],
  ])('a wrong option gets the right one suggested: %j', async (argv, hint) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toContain(hint);
    expect(r.out).toBe('');
  });

  it('--api pointed at a gRPC port says so, exit 3', async () => {
    const grpc = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, () => {});
    try {
      const r = await run(['query', '--api', `http://${grpc.address}`, '--name', 'basic', '--', 'f']);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/does not speak HTTP\/1\.1 \(HPE_[A-Z_]+\): is it the chaincode listener \(gRPC\) rather than the API\?/);
    } finally {
      await grpc.close();
    }
  });
});

describe('ccproto chaincodes / channels / tls', () => {
  it('chaincodes and channels print the API lists', async () => {
    const cc = await run(['chaincodes', '--api', api.url]);
    expect(cc.code).toBe(0);
    expect(JSON.parse(cc.out)).toEqual(fake.chaincodes);
    const ch = await run(['channels', '--api', api.url]);
    expect(JSON.parse(ch.out)).toEqual(['mychannel']);
  });

  it('tls without TLS on the peer: exit 3 with the reason', async () => {
    const r = await run(['tls', '--api', api.url, '--name', 'basic']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/TLS is off/);
  });

  it('tls --out writes the files and prints export lines', async () => {
    fake.tlsRootCertPem = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
    fake.clientTlsFor = (name) => ({ certPem: `CERT ${name}\n`, keyPem: 'KEY\n' });
    const dir = await mkdtemp(join(tmpdir(), 'ccproto-tls-'));
    try {
      const io = memoryIo({ cwd: dir });
      const code = await main(['tls', '--api', api.url, '--name', 'basic', '--out', 'tls-basic'], io);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const out = join(dir, 'tls-basic');
      expect(await readFile(join(out, 'peer.crt'), 'utf8')).toBe(fake.tlsRootCertPem);
      expect(await readFile(join(out, 'client_pem.crt'), 'utf8')).toBe('CERT basic\n');
      expect(await readFile(join(out, 'client_pem.key'), 'utf8')).toBe('KEY\n');
      expect(Buffer.from(await readFile(join(out, 'client.crt'), 'utf8'), 'base64').toString()).toBe('CERT basic\n');
      expect(Buffer.from(await readFile(join(out, 'client.key'), 'utf8'), 'base64').toString()).toBe('KEY\n');
      expect((await stat(join(out, 'client.key'))).mode & 0o077).toBe(0);
      expect((await stat(join(out, 'client_pem.key'))).mode & 0o077).toBe(0);
      expect(io.out()).toContain('export CORE_PEER_TLS_ENABLED=true');
      expect(io.out()).toContain(`export CORE_PEER_TLS_ROOTCERT_FILE=${join(out, 'peer.crt')}`);
      expect(io.out()).toContain(`export CORE_TLS_CLIENT_KEY_PATH=${join(out, 'client.key')}`);
      expect(io.out()).toContain(`export CORE_TLS_CLIENT_CERT_PATH=${join(out, 'client.crt')}`);
      expect(io.out()).toContain(`export CORE_TLS_CLIENT_KEY_FILE=${join(out, 'client_pem.key')}`);
      expect(io.out()).toContain(`export CORE_TLS_CLIENT_CERT_FILE=${join(out, 'client_pem.crt')}`);

      const json = await run(['tls', '--api', api.url, '--name', 'basic']);
      expect(json.json).toEqual({ chaincode: 'basic', rootCertPem: fake.tlsRootCertPem, certPem: 'CERT basic\n', keyPem: 'KEY\n' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ccproto invoke interrupted (Ctrl-C) while the peer works', () => {
  it('prints the txid the peer named and where to look it up; exit 130', async () => {
    const release = deferred<void>();
    fake.respond = async (req) => {
      req.onTxId?.('c0ffee01');
      await release.promise;
      return { txId: 'c0ffee01', status: 200, message: '', payload: bytes(''), events: [], committed: true };
    };
    const interrupt = deferred<string>();
    const io = memoryIo({ interrupted: () => interrupt.promise });
    const exit = main(['invoke', '--api', api.url, '--channel', 'ch2', '--name', 'basic', '--', 'Put', 'k'], io);
    await expect.poll(() => fake.requests.length).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // the interim answer naming the txid arrives
    interrupt.resolve('SIGINT');
    expect(await exit).toBe(130);
    expect(io.err()).toBe(
      `ccproto: interrupted (SIGINT): transaction c0ffee01 was sent and may still commit; look it up with: curl '${api.url}/transactions/c0ffee01?channel=ch2'\n`,
    );
    expect(io.out()).toBe('');
    release.resolve();
  });

  it('before the peer named a transaction, it says so', async () => {
    const release = deferred<void>();
    fake.respond = async () => {
      await release.promise;
      return { txId: 'x', status: 200, message: '', payload: bytes(''), events: [], committed: true };
    };
    const interrupt = deferred<string>();
    const io = memoryIo({ interrupted: () => interrupt.promise });
    const exit = main(['invoke', '--api', api.url, '--name', 'basic', '--', 'Put', 'k'], io);
    await expect.poll(() => fake.requests.length).toBe(1);
    interrupt.resolve('SIGINT');
    expect(await exit).toBe(130);
    expect(io.err()).toBe('ccproto: interrupted (SIGINT) before the peer named the transaction\n');
    release.resolve();
  });

  it('GET /transactions/TXID?channel=CH says whether it was committed', async () => {
    fake.isCommitted = async (channel, txId) => channel === 'ch2' && txId === 'c0ffee01';
    const yes = await fetch(`${api.url}/transactions/c0ffee01?channel=ch2`).then((r) => r.json());
    const no = await fetch(`${api.url}/transactions/c0ffee01`).then((r) => r.json());
    expect(yes).toEqual({ txId: 'c0ffee01', channel: 'ch2', committed: true });
    expect(no).toEqual({ txId: 'c0ffee01', channel: 'mychannel', committed: false });
  });
});
