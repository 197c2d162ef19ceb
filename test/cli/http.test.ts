/** The peer's HTTP API (src/peer/http) against a fake PeerApi. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createApiHandler, startApiServer, type ApiServer } from '../../src/peer/http/server.js';
import { decodeBase64Strict, parseInvokeBody, resultToJson } from '../../src/peer/http/wire.js';
import { FakePeer, bytes, postJson, rawRequest } from './helpers.js';

let fake: FakePeer;
let api: ApiServer;

beforeEach(async () => {
  fake = new FakePeer();
  api = await startApiServer({ peer: fake, host: '127.0.0.1', port: 0, maxBodyBytes: 4096 });
});
afterEach(async () => {
  await api.close(100);
});

describe('POST /invoke and /query', () => {
  it('maps an invoke body to a submitting InvokeRequest and answers with the result JSON', async () => {
    fake.respond = () => ({
      txId: 'abc123',
      status: 200,
      message: 'ok',
      payload: bytes('{"ID":"asset1"}'),
      events: [{ name: 'Created', payload: bytes('e1') }],
      committed: true,
    });
    const res = await postJson(api.url, '/invoke', {
      channel: 'ch1',
      chaincode: 'basic',
      args: ['CreateAsset', 'asset1', 'blue'],
      transient: { secret: 'päss' },
      init: true,
      mspId: 'Org2MSP',
      user: 'alice',
      txId: 'abc123',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      txId: 'abc123',
      status: 200,
      message: 'ok',
      payload: '{"ID":"asset1"}',
      payloadBase64: Buffer.from('{"ID":"asset1"}').toString('base64'),
      events: [{ name: 'Created', payload: 'e1', payloadBase64: Buffer.from('e1').toString('base64') }],
      committed: true,
    });
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req).toMatchObject({ channel: 'ch1', chaincode: 'basic', args: ['CreateAsset', 'asset1', 'blue'], submit: true, init: true, mspId: 'Org2MSP', user: 'alice', txId: 'abc123' });
    expect(Buffer.from(req.transient!['secret']!).toString('utf8')).toBe('päss');
  });

  it('query evaluates (submit false), defaults the channel, and omits unset identity fields', async () => {
    const res = await postJson(api.url, '/query', { chaincode: 'basic', args: ['ReadAsset', 'a1'] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 200, committed: false, payload: '["ReadAsset","a1"]' });
    const req = fake.requests[0]!;
    expect(req.submit).toBe(false);
    expect(req.channel).toBe('mychannel');
    expect(req).not.toHaveProperty('mspId');
    expect(req).not.toHaveProperty('user');
    expect(req).not.toHaveProperty('init');
    expect(req).not.toHaveProperty('transient');
  });

  it('a chaincode error status stays inside a 200 answer', async () => {
    fake.respond = () => ({ txId: 't', status: 500, message: 'asset1 does not exist', payload: new Uint8Array(), events: [], committed: false });
    const res = await postJson(api.url, '/invoke', { chaincode: 'basic', args: ['ReadAsset', 'asset1'] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 500, message: 'asset1 does not exist', payload: '', payloadBase64: '', committed: false });
  });

  it('passes argsBase64 and transientBase64 as exact bytes', async () => {
    const raw = Uint8Array.from([0, 255, 1, 128]);
    const res = await postJson(api.url, '/invoke', {
      chaincode: 'bin',
      argsBase64: [Buffer.from('Put').toString('base64'), Buffer.from(raw).toString('base64')],
      transient: { a: 'x' },
      transientBase64: { b: Buffer.from(raw).toString('base64') },
    });
    expect(res.status).toBe(200);
    const req = fake.requests[0]!;
    expect(req.args.map((a) => Buffer.from(a as Uint8Array).toString('hex'))).toEqual([Buffer.from('Put').toString('hex'), '00ff0180']);
    expect(Buffer.from(req.transient!['a']!).toString()).toBe('x');
    expect(Buffer.from(req.transient!['b']!).toString('hex')).toBe('00ff0180');
  });

  it('payloadBase64 is exact where the UTF-8 text is lossy', async () => {
    fake.respond = () => ({ txId: 't', status: 200, message: '', payload: Uint8Array.from([0xff, 0x41]), events: [{ name: 'E', payload: Uint8Array.from([0xc3]) }], committed: false });
    const res = await postJson(api.url, '/query', { chaincode: 'bin', args: ['Get'] });
    const body = res.json as { payload: string; payloadBase64: string; events: { payload: string; payloadBase64: string }[] };
    expect(body.payload).toBe('\uFFFDA');
    expect(Buffer.from(body.payloadBase64, 'base64')).toEqual(Buffer.from([0xff, 0x41]));
    expect(body.events[0]).toEqual({ name: 'E', payload: '\uFFFD', payloadBase64: 'ww==' });
  });

  it.each([
    ['not an object', [1, 2], /JSON object/],
    ['no chaincode', { args: ['f'] }, /"chaincode" is required/],
    ['empty chaincode', { chaincode: '', args: ['f'] }, /"chaincode"/],
    ['no args', { chaincode: 'cc' }, /"args" is required/],
    ['args not strings', { chaincode: 'cc', args: ['f', 1] }, /"args\[1\]" must be a string/],
    ['args not an array', { chaincode: 'cc', args: 'f' }, /"args" must be an array/],
    ['both args forms', { chaincode: 'cc', args: ['f'], argsBase64: ['Zg=='] }, /not both/],
    ['bad base64 arg', { chaincode: 'cc', argsBase64: ['***'] }, /argsBase64\[0\]" is not valid base64/],
    ['transient values not strings', { chaincode: 'cc', args: ['f'], transient: { k: 1 } }, /"transient.k" must be a string/],
    ['transient array', { chaincode: 'cc', args: ['f'], transient: ['x'] }, /"transient" must be an object/],
    ['bad base64 transient', { chaincode: 'cc', args: ['f'], transientBase64: { k: 'a b' } }, /not valid base64/],
    ['duplicate transient key', { chaincode: 'cc', args: ['f'], transient: { k: 'x' }, transientBase64: { k: 'eA==' } }, /both/],
    ['init not boolean', { chaincode: 'cc', args: ['f'], init: 'yes' }, /"init" must be a boolean/],
    ['channel not string', { chaincode: 'cc', args: ['f'], channel: 5 }, /"channel"/],
  ])('400 for a bad body: %s', async (_label, body, message) => {
    const res = await postJson(api.url, '/invoke', body);
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('400 for invalid JSON and for an empty body', async () => {
    const bad = await rawRequest(api.url, 'POST', '/invoke', { body: '{"chaincode": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/invalid JSON/);
    const empty = await rawRequest(api.url, 'POST', '/query', { body: '' });
    expect(empty.status).toBe(400);
    expect((empty.json as { error: string }).error).toMatch(/JSON object/);
  });

  it('500 with {error} when the peer throws, and keeps serving', async () => {
    fake.respond = () => {
      throw new Error('boom');
    };
    const res = await postJson(api.url, '/invoke', { chaincode: 'basic', args: ['f'] });
    expect(res.status).toBe(500);
    expect((res.json as { error: string }).error).toMatch(/boom/);
    expect((await rawRequest(api.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('bounded body', () => {
  it('413 when Content-Length exceeds the limit', async () => {
    const res = await rawRequest(api.url, 'POST', '/invoke', { body: 'x'.repeat(5000), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ error: 'request body larger than 4096 bytes (option --max-body-size)' });
    expect(fake.requests).toHaveLength(0);
  });

  it('413 for a chunked body that grows past the limit', async () => {
    const chunks = Array.from({ length: 6 }, () => Buffer.alloc(1000, 0x20));
    const res = await rawRequest(api.url, 'POST', '/invoke', { chunks, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect((await rawRequest(api.url, 'GET', '/health')).status).toBe(200);
  });

  it('the default limit is 10 MiB', async () => {
    const { DEFAULT_MAX_BODY_BYTES } = await import('../../src/peer/http/server.js');
    expect(DEFAULT_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
  });
});

describe('GET endpoints, routing and origin checks', () => {
  it('GET /health, /chaincodes, /channels', async () => {
    expect((await rawRequest(api.url, 'GET', '/health')).json).toEqual({ status: 'ok' });
    expect((await rawRequest(api.url, 'GET', '/chaincodes')).json).toEqual(fake.chaincodes);
    expect((await rawRequest(api.url, 'GET', '/channels')).json).toEqual(['mychannel']);
    expect((await rawRequest(api.url, 'GET', '/health?x=1')).status).toBe(200);
    expect((await rawRequest(api.url, 'GET', '/health/')).status).toBe(200);
  });

  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    const missing = await rawRequest(api.url, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect((missing.json as { error: string }).error).toMatch(/no such endpoint/);
    const wrong = await rawRequest(api.url, 'GET', '/invoke');
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('POST');
    const wrong2 = await rawRequest(api.url, 'DELETE', '/health');
    expect(wrong2.status).toBe(405);
    expect(wrong2.headers['allow']).toBe('GET');
  });

  it('refuses browser cross-origin requests and DNS-rebinding host names', async () => {
    const cross = await rawRequest(api.url, 'POST', '/invoke', { body: '{}', headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    const rebound = await rawRequest(api.url, 'GET', '/health', { headers: { host: 'evil.example:7080' } });
    expect(rebound.status).toBe(403);
    const local = await rawRequest(api.url, 'GET', '/health', { headers: { host: 'localhost:7080', origin: 'http://localhost:3000' } });
    expect(local.status).toBe(200);
  });

  it('answers a malformed HTTP request with 400 and keeps running', async () => {
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = connect(api.port, '127.0.0.1', () => sock.write('GARBAGE\r\n\r\n'));
      let data = '';
      sock.on('data', (c) => (data += c.toString()));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect((await rawRequest(api.url, 'GET', '/health')).status).toBe(200);
  });

  it('binds only the given host', async () => {
    expect(api.host).toBe('127.0.0.1');
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
    expect(api.server.address()).toMatchObject({ address: '127.0.0.1' });
  });
});

describe('TLS material', () => {
  it('GET /tls says whether TLS is on; POST /tls/client is 404 when it is off', async () => {
    expect((await rawRequest(api.url, 'GET', '/tls')).json).toEqual({ enabled: false });
    const res = await postJson(api.url, '/tls/client', { chaincode: 'basic' });
    expect(res.status).toBe(404);
  });

  it('POST /tls/client mints client material when TLS is on', async () => {
    fake.tlsRootCertPem = 'CA PEM';
    fake.clientTlsFor = (name) => ({ certPem: `cert for ${name}`, keyPem: 'key' });
    expect((await rawRequest(api.url, 'GET', '/tls')).json).toEqual({ enabled: true, rootCertPem: 'CA PEM' });
    const res = await postJson(api.url, '/tls/client', { chaincode: 'basic' });
    expect(res.json).toEqual({ chaincode: 'basic', rootCertPem: 'CA PEM', certPem: 'cert for basic', keyPem: 'key' });
    expect((await postJson(api.url, '/tls/client', {})).status).toBe(400);
  });
});

describe('shutdown', () => {
  it('close() releases the port', async () => {
    api.stopAccepting();
    await api.close(100);
    await expect(rawRequest(api.url, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a handler that is shutting down answers 503', async () => {
    const { createServer } = await import('node:http');
    const handler = createApiHandler(fake);
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect((await rawRequest(url, 'GET', '/health')).status).toBe(200);
      handler.shutdown();
      const res = await postJson(url, '/invoke', { chaincode: 'basic', args: ['f'] });
      expect(res.status).toBe(503);
      expect(res.headers['connection']).toBe('close');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json).toEqual({ error: 'the peer is shutting down: not accepting new requests; retry later' });
      expect(fake.requests).toHaveLength(0);
      expect(handler.inFlight).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('close() waits for a request in flight', async () => {
    let release!: () => void;
    fake.respond = (req) =>
      new Promise((resolve) => {
        release = () => resolve({ txId: 'slow', status: 200, message: '', payload: new Uint8Array(), events: [], committed: req.submit });
      });
    const pending = postJson(api.url, '/invoke', { chaincode: 'basic', args: ['Slow'] });
    await expect.poll(() => fake.requests.length).toBe(1);
    const closing = api.close(5000);
    release();
    expect((await pending).status).toBe(200);
    await closing;
  });
});

describe('wire helpers', () => {
  it('decodeBase64Strict accepts standard base64 with or without padding only', () => {
    expect(Buffer.from(decodeBase64Strict('aGk=')!).toString()).toBe('hi');
    expect(Buffer.from(decodeBase64Strict('aGk')!).toString()).toBe('hi');
    expect(decodeBase64Strict('')).toEqual(new Uint8Array());
    for (const bad of ['aGk=a', 'a', 'aG k=', 'aGl', '-_8=', 'aGk==', 'aG=']) expect(decodeBase64Strict(bad), bad).toBeUndefined();
  });

  it('parseInvokeBody ignores unknown fields and null optionals', () => {
    expect(parseInvokeBody({ chaincode: 'cc', args: ['f'], extra: 1, mspId: null, transient: null }, true)).toEqual({
      channel: 'mychannel',
      chaincode: 'cc',
      args: ['f'],
      submit: true,
    });
  });

  it('resultToJson keeps the field order the CLI prints', () => {
    const json = resultToJson({ txId: 't', status: 200, message: 'm', payload: bytes('p'), events: [], committed: true });
    expect(Object.keys(json)).toEqual(['txId', 'status', 'message', 'payload', 'payloadBase64', 'events', 'committed']);
  });
});
