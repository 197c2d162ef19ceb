/**
 * `ccproto peer`'s chaincode-as-a-service TLS options and Fabric's connection.json
 * (`--ccaas-connection`), and `--init-required`: what they become in PeerOptions, and the usage
 * errors (exit 2, message on stderr, nothing started).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseConnectionJson, parseGoDuration } from '../../src/cli/ccaas.js';
import { main } from '../../src/cli/main.js';
import { peerConfigFromCli, type PeerCommandOptions } from '../../src/cli/peer.js';
import { createTlsCa, issueClientCert } from '../../src/identity/index.js';
import { memoryIo } from './helpers.js';

const BASE: PeerCommandOptions = { listen: '127.0.0.1:7052', api: '127.0.0.1:7080', peerMspId: 'Org1MSP', logFormat: 'text', logLevel: 'info' };

const ca = createTlsCa({ commonName: 'cli test CA' });
const client = issueClientCert(ca, 'peer0');
const stranger = issueClientCert(createTlsCa({ commonName: 'other CA' }), 'someone');

let dir: string;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccproto-cli-ccaas-'));
  await writeFile(file('ca.crt'), ca.certPem);
  await writeFile(file('client.crt'), client.certPem);
  await writeFile(file('client.key'), client.keyPem);
  await writeFile(file('other.key'), stranger.keyPem);
  await writeFile(file('not-a-cert.pem'), 'hello\n');
  const connection = (name: string, body: unknown): Promise<void> => writeFile(file(name), JSON.stringify(body));
  await connection('connection.json', {
    address: 'svc.internal:9999',
    dial_timeout: '10s',
    tls_required: true,
    client_auth_required: true,
    client_key: client.keyPem,
    client_cert: client.certPem,
    root_cert: ca.certPem,
    domain: 'svc.example',
  });
  await connection('plain.json', { address: '127.0.0.1:9998', tls_required: false, root_cert: 'ignored without TLS' });
  await connection('no-address.json', { tls_required: false });
  await connection('no-key.json', { address: 'a:1', tls_required: true, client_auth_required: true, client_cert: client.certPem, root_cert: ca.certPem });
  await connection('no-root.json', { address: 'a:1', tls_required: true });
  await connection('string-bool.json', { address: 'a:1', tls_required: 'true' });
  await connection('typo.json', { address: 'a:1', rootCert: ca.certPem });
  await connection('bad-timeout.json', { address: 'a:1', dial_timeout: 'soon' });
  await writeFile(file('broken.json'), '{"address":');
  await connection('array.json', []);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--ccaas TLS flags', () => {
  it('root certificate, client certificate and key, server name: PeerOptions ccaas tls', async () => {
    const c = await peerConfigFromCli(
      {
        ...BASE,
        ccaas: ['svc=127.0.0.1:9999', 'plain=127.0.0.1:9998', 'oneway=localhost:9997'],
        ccaasTlsRootCert: ['svc=ca.crt', 'oneway=ca.crt'],
        ccaasTlsClientCert: ['svc=client.crt'],
        ccaasTlsClientKey: ['svc=client.key'],
        ccaasTlsServerName: ['svc=svc.example'],
      },
      dir,
    );
    expect(c.peerOptions.chaincodes).toEqual({
      svc: { kind: 'ccaas', address: '127.0.0.1:9999', tls: { rootCertPem: ca.certPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem, serverNameOverride: 'svc.example' } },
      plain: { kind: 'ccaas', address: '127.0.0.1:9998' },
      oneway: { kind: 'ccaas', address: 'localhost:9997', tls: { rootCertPem: ca.certPem } },
    });
  });

  it('the same through the real command line (main → startPeer)', async () => {
    let seen: unknown;
    const io = memoryIo({
      startPeer: async (o) => {
        seen = o.chaincodes;
        throw new Error('stop here');
      },
      waitForShutdown: () => new Promise(() => {}),
      cwd: dir,
    });
    const argv = ['peer', '--api', '127.0.0.1:0', '--ccaas', 'svc=127.0.0.1:9999', '--ccaas-tls-root-cert', 'svc=ca.crt', '--ccaas-tls-client-cert', 'svc=client.crt', '--ccaas-tls-client-key', 'svc=client.key'];
    expect(await main(argv, io)).toBe(1);
    expect(seen).toEqual({ svc: { kind: 'ccaas', address: '127.0.0.1:9999', tls: { rootCertPem: ca.certPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem } } });
  });

  const usage: [string, Partial<PeerCommandOptions>, RegExp][] = [
    ['a missing root certificate file', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=nope.crt'] }, /^--ccaas-tls-root-cert svc: cannot read .*nope\.crt: .*ENOENT/],
    ['a root certificate file that holds no certificate', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=not-a-cert.pem'] }, /^--ccaas-tls-root-cert svc: .*not-a-cert\.pem holds no PEM certificate/],
    ['a key without its certificate', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=ca.crt'], ccaasTlsClientKey: ['svc=client.key'] }, /^--ccaas-tls-client-key svc needs --ccaas-tls-client-cert svc too/],
    ['a certificate without its key', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=ca.crt'], ccaasTlsClientCert: ['svc=client.crt'] }, /^--ccaas-tls-client-cert svc needs --ccaas-tls-client-key svc too/],
    ['a key that is not the certificate\'s', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=ca.crt'], ccaasTlsClientCert: ['svc=client.crt'], ccaasTlsClientKey: ['svc=other.key'] }, /^--ccaas-tls-client-key svc: .*other\.key is not the key of the certificate in .*client\.crt$/],
    ['client material without a root certificate', { ccaas: ['svc=a:1'], ccaasTlsClientCert: ['svc=client.crt'], ccaasTlsClientKey: ['svc=client.key'] }, /^--ccaas-tls-client-cert svc needs --ccaas-tls-root-cert svc=FILE/],
    ['a server name without a root certificate', { ccaas: ['svc=a:1'], ccaasTlsServerName: ['svc=svc.example'] }, /^--ccaas-tls-server-name svc needs --ccaas-tls-root-cert svc=FILE/],
    ['an option for a name that is not --ccaas', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svx=ca.crt'] }, /^--ccaas-tls-root-cert svx: "svx" is not a chaincode given with --ccaas or --ccaas-connection$/],
    ['an option for a --chaincode', { chaincode: ['basic=node x.js'], ccaasTlsRootCert: ['basic=ca.crt'] }, /is not a chaincode given with --ccaas or --ccaas-connection \(it is launched with --chaincode: /],
    ['an option given twice for one name', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=ca.crt', 'svc=ca.crt'] }, /^--ccaas-tls-root-cert given twice for "svc"$/],
    ['a server name that is not a host name', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['svc=ca.crt'], ccaasTlsServerName: ['svc=a b'] }, /^invalid --ccaas-tls-server-name svc="a b"/],
    ['a flag without NAME=', { ccaas: ['svc=a:1'], ccaasTlsRootCert: ['ca.crt'] }, /^invalid --ccaas-tls-root-cert "ca\.crt" \(expected NAME=FILE\)$/],
  ];
  it.each(usage)('%s: a usage error', async (_, patch, message) => {
    await expect(peerConfigFromCli({ ...BASE, ...patch }, dir)).rejects.toThrow(message);
  });

  it('exits 2 with the message on stderr and starts nothing', async () => {
    let started = false;
    const io = memoryIo({
      startPeer: async () => {
        started = true;
        throw new Error('must not start');
      },
      waitForShutdown: () => new Promise(() => {}),
      cwd: dir,
    });
    expect(await main(['peer', '--ccaas', 'svc=127.0.0.1:9999', '--ccaas-tls-client-key', 'svc=client.key', '--ccaas-tls-root-cert', 'svc=ca.crt'], io)).toBe(2);
    expect(io.err()).toBe('ccproto: --ccaas-tls-client-key svc needs --ccaas-tls-client-cert svc too (mutual TLS presents the client certificate with its key)\n');
    expect(started).toBe(false);
    const missing = memoryIo({ cwd: dir });
    expect(await main(['peer', '--ccaas', 'svc=127.0.0.1:9999', '--ccaas-tls-root-cert', 'svc=missing.crt'], missing)).toBe(2);
    expect(missing.err()).toMatch(/^ccproto: --ccaas-tls-root-cert svc: cannot read .*missing\.crt: /);
  });
});

describe('--ccaas-connection: Fabric\'s connection.json', () => {
  it('address, dial_timeout, TLS with client auth and domain; --ccaas overrides the address, flags a TLS setting', async () => {
    const c = await peerConfigFromCli({ ...BASE, ccaasConnection: ['svc=connection.json', 'plain=plain.json'] }, dir);
    expect(c.peerOptions.chaincodes).toEqual({
      svc: {
        kind: 'ccaas',
        address: 'svc.internal:9999',
        dialTimeoutMs: 10_000,
        tls: { rootCertPem: ca.certPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem, serverNameOverride: 'svc.example' },
      },
      plain: { kind: 'ccaas', address: '127.0.0.1:9998' },
    });
    const o = await peerConfigFromCli({ ...BASE, ccaas: ['svc=127.0.0.1:7777'], ccaasConnection: ['svc=connection.json'], ccaasTlsServerName: ['svc=localhost'] }, dir);
    expect(o.peerOptions.chaincodes?.['svc']).toMatchObject({ address: '127.0.0.1:7777', tls: { serverNameOverride: 'localhost', rootCertPem: ca.certPem } });
  });

  const usage: [string, string, RegExp][] = [
    ['no address', 'no-address.json', /no-address\.json|chaincode address not provided/],
    ['client auth without client_key', 'no-key.json', /no-key\.json: chaincode tls key not provided/],
    ['TLS without root_cert', 'no-root.json', /no-root\.json: chaincode tls root cert not provided/],
    ['"tls_required": "true" (a string)', 'string-bool.json', /"tls_required" must be true or false \(a JSON boolean, not the string "true"/],
    ['a misspelt field', 'typo.json', /typo\.json: unknown field "rootCert" \(did you mean "root_cert"\?\)$/],
    ['a dial_timeout that is no duration', 'bad-timeout.json', /"dial_timeout" "soon" is not a duration/],
    ['broken JSON', 'broken.json', /broken\.json is not valid JSON/],
    ['not an object', 'array.json', /array\.json must hold a JSON object/],
    ['a missing file', 'nope.json', /^--ccaas-connection svc: cannot read .*nope\.json/],
  ];
  it.each(usage)('%s: a usage error', async (_, name, message) => {
    await expect(peerConfigFromCli({ ...BASE, ccaasConnection: [`svc=${name}`] }, dir)).rejects.toThrow(message);
  });

  it('no address anywhere: Fabric\'s text, and how to give one', async () => {
    await expect(peerConfigFromCli({ ...BASE, ccaasConnection: ['svc=no-address.json'] }, dir)).rejects.toThrow(
      '--ccaas-connection svc: chaincode address not provided ("address" in the file, or --ccaas svc=HOST:PORT)',
    );
  });

  it('reads dial_timeout as Go does (a duration string, or nanoseconds)', () => {
    expect(parseGoDuration('10s')).toBe(10_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('2500us')).toBe(2.5);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
    expect(parseConnectionJson({ address: 'a:1', dial_timeout: 2_000_000_000 }, 'x')).toEqual({ address: 'a:1', dialTimeoutMs: 2000 });
    // tls_required false: the TLS fields are not looked at (instance.go ChaincodeServerInfo).
    expect(parseConnectionJson({ address: 'a:1', client_auth_required: true }, 'x')).toEqual({ address: 'a:1' });
  });
});

describe('--init-required', () => {
  it('is repeatable and becomes PeerOptions.initRequired', async () => {
    const c = await peerConfigFromCli({ ...BASE, initRequired: ['basic', 'private'] });
    expect(c.peerOptions.initRequired).toEqual(['basic', 'private']);
    expect((await peerConfigFromCli(BASE)).peerOptions).not.toHaveProperty('initRequired');
  });

  it.each([
    [['basic:1.0'], /^invalid --init-required "basic:1\.0" \(give the chaincode name invocations use/],
    [['a=b'], /^invalid --init-required "a=b"/],
    [['basic', 'basic'], /^--init-required given twice for "basic"$/],
  ])('%j: a usage error', async (names, message) => {
    await expect(peerConfigFromCli({ ...BASE, initRequired: names })).rejects.toThrow(message);
  });

  it('Fabric\'s --isInit on invoke points at --init', async () => {
    const io = memoryIo();
    expect(await main(['invoke', '--name', 'basic', '--isInit', '--', 'Init'], io)).toBe(2);
    expect(io.err()).toContain("hint: send the invocation as Init with --init (what Fabric's peer CLI calls --isInit)");
  });

  it('on the command line', async () => {
    let seen: unknown;
    const io = memoryIo({
      startPeer: async (o) => {
        seen = o.initRequired;
        throw new Error('stop here');
      },
      waitForShutdown: () => new Promise(() => {}),
    });
    expect(await main(['peer', '--api', '127.0.0.1:0', '--init-required', 'basic', '--init-required', 'other'], io)).toBe(1);
    expect(seen).toEqual(['basic', 'other']);
  });
});
