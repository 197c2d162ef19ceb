/** Option parsing: durations, addresses, NAME=VALUE, transient/ctor JSON, and `ccproto peer` options. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  UsageError,
  parseApiUrl,
  parseAssignment,
  parseCtorJson,
  parseDuration,
  parseHostPort,
  parseTransientJson,
} from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { peerConfigFromCli, type PeerCommandOptions } from '../../src/cli/peer.js';
import type { PeerOptions } from '../../src/peer/types.js';
import { FakePeer, memoryIo } from './helpers.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['30', 30_000],
    ['0', 0],
    ['0.25', 250],
    [' 10s ', 10_000],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 's', '10x', '-5s', '5 s', '1e3', 'ms', '10s5', 'abc'])('rejects %j', (text) => {
    expect(() => parseDuration(text, '--execute-timeout')).toThrow(UsageError);
    expect(() => parseDuration(text, '--execute-timeout')).toThrow(/invalid --execute-timeout/);
  });
});

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:7052', '127.0.0.1', 7052],
    ['localhost:0', 'localhost', 0],
    ['[::1]:7080', '::1', 7080],
    [':7080', '127.0.0.1', 7080],
    ['7080', '127.0.0.1', 7080],
    ['http://127.0.0.1:7080/', '127.0.0.1', 7080],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
  ])('%j', (text, host, port) => {
    expect(parseHostPort(text)).toEqual({ host, port });
  });

  it.each(['127.0.0.1', 'host:', 'host:abc', 'host:70000', '::1:7052', ''])('rejects %j', (text) => {
    expect(() => parseHostPort(text, '--listen')).toThrow(/invalid --listen/);
  });
});

describe('parseAssignment / parseApiUrl / parseTransientJson / parseCtorJson', () => {
  it('splits NAME=VALUE at the first =', () => {
    expect(parseAssignment('basic=node index.js --x=1', '--chaincode')).toEqual({ name: 'basic', value: 'node index.js --x=1' });
    for (const bad of ['basic', '=cmd', 'basic=', 'basic=  ']) expect(() => parseAssignment(bad, '--chaincode', 'COMMAND')).toThrow(/NAME=COMMAND/);
  });

  it('normalises API URLs', () => {
    expect(parseApiUrl('http://127.0.0.1:7080')).toBe('http://127.0.0.1:7080');
    expect(parseApiUrl('http://127.0.0.1:7080/')).toBe('http://127.0.0.1:7080');
    expect(parseApiUrl('127.0.0.1:9999')).toBe('http://127.0.0.1:9999');
    expect(parseApiUrl('http://localhost:7080/prefix/')).toBe('http://localhost:7080/prefix');
    expect(() => parseApiUrl('https://127.0.0.1:7080')).toThrow(/only http/);
    expect(() => parseApiUrl('http://[bad')).toThrow(/invalid --api/);
  });

  it('transient JSON must be an object of strings', () => {
    expect(parseTransientJson('{"a":"1","b":""}')).toEqual({ a: '1', b: '' });
    expect(() => parseTransientJson('{a:1}')).toThrow(/not valid JSON/);
    expect(() => parseTransientJson('["a"]')).toThrow(/JSON object/);
    expect(() => parseTransientJson('{"a":1}')).toThrow(/"a" must be a string/);
  });

  it('ctor JSON in the peer CLI forms', () => {
    expect(parseCtorJson('{"Args":["Fn","a"]}')).toEqual(['Fn', 'a']);
    expect(parseCtorJson('{"function":"Fn","Args":["a"]}')).toEqual(['Fn', 'a']);
    expect(() => parseCtorJson('{"Args":[1]}')).toThrow(UsageError);
    expect(() => parseCtorJson('{"Args":[]}')).toThrow(/no function/);
    expect(() => parseCtorJson('nope')).toThrow(/not valid JSON/);
  });
});

const BASE: PeerCommandOptions = { listen: '127.0.0.1:7052', api: '127.0.0.1:7080', peerMspId: 'Org1MSP', logFormat: 'text', logLevel: 'info' };

describe('peerConfigFromCli', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccproto-cli-'));
    await writeFile(join(dir, 'basic.json'), JSON.stringify([{ name: 'c1', policy: "OR('Org1MSP.member')" }]));
    await writeFile(join(dir, 'other.json'), '[]');
    await writeFile(join(dir, 'bad.json'), '{');
    await writeFile(join(dir, 'object.json'), '{}');
    await writeFile(join(dir, 'typo.json'), JSON.stringify([{ name: 'c1', polcy: "OR('Org1MSP.member')" }]));
    await writeFile(join(dir, 'type.json'), JSON.stringify([{ name: 'c1', policy: "OR('Org1MSP.member')", requiredPeerCount: 'x' }]));
    await writeFile(join(dir, 'noname.json'), JSON.stringify([{ policy: "OR('Org1MSP.member')" }]));
    await writeFile(join(dir, 'badpolicy.json'), JSON.stringify([{ name: 'c1', policy: 'OR(' }]));
    await writeFile(join(dir, 'endorse.json'), JSON.stringify([{ name: 'c1', policy: "OR('Org1MSP.member')", endorsementPolicy: { signature: 'x' } }]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults: listener, identity, nothing else set', async () => {
    const c = await peerConfigFromCli(BASE, dir);
    // Organisations: the peer's own MSP, a temporary crypto folder made at start, mychannel.
    expect(c.peerOptions).toEqual({ mspId: 'Org1MSP', listenHost: '127.0.0.1', listenPort: 7052, network: { orgs: ['Org1MSP'], channels: ['mychannel'] } });
    expect(c.gateway).toMatchObject({ endpoint: { host: '127.0.0.1', port: 7051 }, tls: true, temporaryCryptoDir: true });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 7080 });
    expect(c.logFormat).toBe('text');
  });

  it('maps every option', async () => {
    const c = await peerConfigFromCli(
      {
        ...BASE,
        listen: '0.0.0.0:17052',
        api: '127.0.0.1:0',
        dataDir: 'data',
        peerMspId: 'Org2MSP',
        chaincode: ['basic=node dist/index.js', 'other=./run.sh --x=1'],
        ccaas: ['svc=127.0.0.1:9999'],
        collections: ['basic=basic.json', 'other=other.json'],
        tls: true,
        executeTimeout: '500ms',
        startupTimeout: '2m',
        keepalive: '15',
        devMode: false,
        logFormat: 'json',
        logLevel: 'debug',
      },
      dir,
    );
    expect(c.peerOptions).toEqual({
      mspId: 'Org2MSP',
      listenHost: '0.0.0.0',
      listenPort: 17052,
      dataDir: join(dir, 'data'),
      tls: true,
      executeTimeoutMs: 500,
      startupTimeoutMs: 120_000,
      keepaliveMs: 15_000,
      devMode: false,
      chaincodes: {
        basic: { kind: 'process', command: 'node dist/index.js' },
        other: { kind: 'process', command: './run.sh --x=1' },
        svc: { kind: 'ccaas', address: '127.0.0.1:9999' },
      },
      collections: { basic: [{ name: 'c1', policy: "OR('Org1MSP.member')" }], other: [] },
      network: { orgs: ['Org2MSP'], channels: ['mychannel'], cryptoDir: join(dir, 'data', 'crypto') },
    });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 0 });
    expect(c.logFormat).toBe('json');
    expect(c.logLevel).toBe('debug');
  });

  it.each<[string, Partial<PeerCommandOptions>, RegExp]>([
    ['duplicate chaincode', { chaincode: ['a=x', 'a=y'] }, /given twice/],
    ['chaincode and ccaas with one name', { chaincode: ['a=x'], ccaas: ['a=127.0.0.1:1'] }, /given twice/],
    ['name with version', { chaincode: ['basic:1.0=x'] }, /without :VERSION/],
    ['missing command', { chaincode: ['basic'] }, /NAME=COMMAND/],
    ['ccaas port 0', { ccaas: ['a=127.0.0.1:0'] }, /port 0/],
    ['bad collections JSON', { collections: ['basic=bad.json'] }, /not valid JSON/],
    ['collections not an array', { collections: ['basic=object.json'] }, /JSON array/],
    ['missing collections file', { collections: ['basic=nope.json'] }, /cannot read/],
    ['a misspelt collection field', { collections: ['basic=typo.json'] }, /typo\.json: collection 1 \("c1"\): unknown field "polcy" \(did you mean "policy"\?\)$/],
    ['a collection field of the wrong type', { collections: ['basic=type.json'] }, /collection 1 \("c1"\): "requiredPeerCount" must be a whole number, not a string$/],
    ['a collection without a name', { collections: ['basic=noname.json'] }, /noname\.json: collection 1: "name" is required$/],
    ['a collection policy that does not parse', { collections: ['basic=badpolicy.json'] }, /badpolicy\.json: invalid policy OR\(/],
    ['an unknown endorsementPolicy field', { collections: ['basic=endorse.json'] }, /unknown field "endorsementPolicy\.signature" \(use "signaturePolicy" or "channelConfigPolicy"\)/],
    ['bad keepalive', { keepalive: 'often' }, /--keepalive/],
    ['bad log format', { logFormat: 'xml' }, /--log-format/],
    ['bad listen', { listen: 'nowhere' }, /--listen/],
    ['bad gateway address', { gateway: 'nowhere' }, /--gateway/],
    ['an organisation given twice', { org: ['Org1MSP', 'Org1MSP'] }, /--org Org1MSP is given twice/],
    ['an MSP id with a space', { org: ['Org 1'] }, /invalid --org/],
    ['a policy that does not parse', { endorsementPolicy: ["basic=AND('Org1MSP.peer'"] }, /--endorsement-policy basic: expected '\)'/],
    ['a batch size of 0', { batchSize: '0' }, /invalid --batch-size/],
    ['a channel name with capitals', { channel: ['MyChannel'] }, /invalid --channel/],
  ])('rejects %s', async (_label, patch, message) => {
    await expect(peerConfigFromCli({ ...BASE, ...patch }, dir)).rejects.toThrow(message);
  });

  it('maps the gateway options: organisations, crypto folder, MSP folders, batches, policies, channels', async () => {
    const c = await peerConfigFromCli(
      {
        ...BASE,
        gateway: '127.0.0.1:0',
        gatewayTls: false,
        org: ['Org1MSP', 'Org2MSP'],
        cryptoDir: 'crypto',
        msp: ['Org3MSP=msp3'],
        batchTimeout: '250ms',
        batchSize: '10,64KiB',
        endorsementPolicy: ["basic=AND('Org1MSP.peer','Org2MSP.peer')"],
        channel: ['mychannel', 'other'],
      },
      dir,
    );
    expect(c.gateway).toMatchObject({ endpoint: { host: '127.0.0.1', port: 0 }, tls: false, temporaryCryptoDir: false });
    expect(c.peerOptions.network).toEqual({
      orgs: ['Org1MSP', 'Org2MSP', 'Org3MSP'],
      cryptoDir: join(dir, 'crypto'),
      mspDirs: { Org3MSP: join(dir, 'msp3') },
      policies: { basic: "AND('Org1MSP.peer','Org2MSP.peer')" },
      batch: { batchTimeoutMs: 250, maxMessageCount: 10, preferredMaxBytes: 64 * 1024 },
      channels: ['mychannel', 'other'],
    });
  });

  it('the command line reaches PeerOptions through commander (repeated options, --no-dev-mode)', async () => {
    let seen: PeerOptions | undefined;
    const io = memoryIo({
      cwd: dir,
      startPeer: async (o) => {
        seen = o;
        return new FakePeer();
      },
      waitForShutdown: async () => 'test',
    });
    const code = await main(
      [
        'peer',
        '--listen', '127.0.0.1:0',
        '--api', '127.0.0.1:0',
        '--chaincode', 'a=node a.js',
        '--chaincode', 'b=node b.js',
        '--collections', 'a=basic.json',
        '--collections', 'b=other.json',
        '--ccaas', 'c=localhost:9999',
        '--execute-timeout', '2m',
        '--keepalive', '0',
        '--no-dev-mode',
        '--tls',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(seen).toMatchObject({
      listenPort: 0,
      tls: true,
      devMode: false,
      executeTimeoutMs: 120_000,
      keepaliveMs: 0,
      chaincodes: { a: { kind: 'process', command: 'node a.js' }, b: { kind: 'process', command: 'node b.js' }, c: { kind: 'ccaas', address: 'localhost:9999' } },
      collections: { a: [{ name: 'c1' }], b: [] },
    });
    expect(typeof seen?.log).toBe('function');
  });

  it('a bad option value exits 2 with the message on stderr, before starting anything', async () => {
    let started = false;
    const io = memoryIo({
      startPeer: async () => {
        started = true;
        return new FakePeer();
      },
      waitForShutdown: async () => 'test',
    });
    expect(await main(['peer', '--execute-timeout', 'soon'], io)).toBe(2);
    expect(io.err()).toMatch(/invalid --execute-timeout "soon"/);
    expect(started).toBe(false);
    const io2 = memoryIo();
    expect(await main(['peer', '--log-format', 'xml'], io2)).toBe(2);
    expect(io2.err()).toMatch(/log-format/);
  });
});

describe('parseByteSize (--max-recv-msg-size, --max-send-msg-size)', () => {
  it('accepts bytes and KiB/MiB suffixes, refuses anything else', async () => {
    const { parseByteSize } = await import('../../src/cli/args.js');
    expect(parseByteSize('104857600', '--x')).toBe(104857600);
    expect(parseByteSize('100MiB', '--x')).toBe(100 * 1024 * 1024);
    expect(parseByteSize('512 kib', '--x')).toBe(512 * 1024);
    for (const bad of ['', '0', '-1', '1.5MiB', '10MB', 'lots']) expect(() => parseByteSize(bad, '--x')).toThrow(/invalid --x/);
  });

  it('reach the peer options', async () => {
    const { peerConfigFromCli } = await import('../../src/cli/peer.js');
    const c = await peerConfigFromCli({ listen: '127.0.0.1:7052', api: '127.0.0.1:7080', peerMspId: 'Org1MSP', logFormat: 'text', logLevel: 'info', maxRecvMsgSize: '1MiB', maxSendMsgSize: '2048' });
    expect(c.peerOptions.maxReceiveMessageLength).toBe(1024 * 1024);
    expect(c.peerOptions.maxSendMessageLength).toBe(2048);
  });
});

describe('limits, stream bounds and shutdown grace (docs/cli.md)', () => {
  const base = { listen: '127.0.0.1:7052', api: '127.0.0.1:7080', peerMspId: 'Org1MSP', logFormat: 'text', logLevel: 'info' };

  it('reach PeerOptions.limits, PeerOptions.flow, the API limits and the grace period', async () => {
    const c = await peerConfigFromCli({
      ...base,
      maxTxPerChaincode: '10',
      maxTxPerStream: '5',
      maxChaincodeStreams: '3',
      maxOpenIterators: '7',
      streamHighWater: '1MiB',
      streamMaxQueued: '8MiB',
      streamStallTimeout: '0',
      maxApiRequests: '4',
      maxBodySize: '512KiB',
      shutdownGrace: '2s',
    });
    expect(c.peerOptions.limits).toEqual({ maxTransactionsPerChaincode: 10, maxTransactionsPerStream: 5, maxChaincodeStreams: 3, maxOpenIteratorsPerTransaction: 7 });
    expect(c.peerOptions.flow).toEqual({ sendHighWaterBytes: 1024 * 1024, sendMaxQueuedBytes: 8 * 1024 * 1024, sendStallTimeoutMs: 0 });
    expect(c.apiLimits).toEqual({ maxConcurrentRequests: 4, maxBodyBytes: 512 * 1024 });
    expect(c.shutdownGraceMs).toBe(2000);
  });

  it('the grace period defaults to the execute timeout; nothing else is set by default', async () => {
    expect((await peerConfigFromCli(base)).shutdownGraceMs).toBe(30_000);
    const c = await peerConfigFromCli({ ...base, executeTimeout: '5s' });
    expect(c.shutdownGraceMs).toBe(5000);
    expect(c.peerOptions.limits).toBeUndefined();
    expect(c.peerOptions.flow).toBeUndefined();
    expect(c.apiLimits).toEqual({});
  });

  it.each<[Partial<PeerCommandOptions>, RegExp]>([
    [{ maxTxPerChaincode: '0' }, /invalid --max-tx-per-chaincode "0" \(a whole number > 0\)/],
    [{ maxApiRequests: 'many' }, /invalid --max-api-requests/],
    [{ streamHighWater: '8MiB', streamMaxQueued: '1MiB' }, /--stream-max-queued must not be below --stream-high-water/],
    [{ shutdownGrace: 'soon' }, /--shutdown-grace/],
  ])('refuses %j', async (patch, message) => {
    await expect(peerConfigFromCli({ ...base, ...patch } as PeerCommandOptions)).rejects.toThrow(message);
  });
});
