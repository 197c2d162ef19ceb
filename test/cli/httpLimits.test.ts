/**
 * The HTTP API's limits and shutdown, seen from Node's own HTTP client: a 413 or 429 answered
 * before the body is read still reaches a client that is writing a large body, and a shutdown
 * answers every call (503 + Retry-After for new ones, the real result or "outcome unknown" for those
 * in flight) instead of resetting connections.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_MAX_CONCURRENT_REQUESTS, createApiHandler, startApiServer, type ApiServer, type ApiServerOptions } from '../../src/peer/http/server.js';
import type { InvokeRequest, InvokeResult } from '../../src/peer/types.js';
import { FakePeer, deferred } from './helpers.js';

const BIG = Buffer.alloc(50 * 1024 * 1024, 0x20);
const TOO_LARGE = 'request body larger than 10485760 bytes (option --max-body-size)';
const SHUTTING_DOWN = 'the peer is shutting down: not accepting new requests; retry later';
const OUTCOME_UNKNOWN = 'outcome unknown: the peer shut down before the transaction finished; check with query';
const NOT_STARTED = 'the peer shut down before the call started: nothing was run; retry later';

let fake: FakePeer;
const servers: ApiServer[] = [];
const agents: Agent[] = [];

beforeEach(() => {
  fake = new FakePeer();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((api) => api.close(100)));
  for (const agent of agents.splice(0)) agent.destroy();
});

async function serve(options: Partial<ApiServerOptions> = {}): Promise<ApiServer> {
  const api = await startApiServer({ peer: fake, host: '127.0.0.1', port: 0, ...options });
  servers.push(api);
  return api;
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true });
  agents.push(agent);
  return agent;
}

interface Outcome {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  json: unknown;
  /** Any error the request saw, even after its answer (EPIPE / ECONNRESET while still sending). */
  error: string | undefined;
  reusedSocket: boolean;
}

/** One request; resolves once it is over, so an error after the answer is seen too. */
function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; chunks?: Buffer[]; agent?: Agent | false } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { status: undefined, headers: {}, json: undefined, error: undefined, reusedSocket: false };
    const headers = options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) };
    const req = request(new URL(path, baseUrl), { method, headers, agent: options.agent ?? false }, (res) => {
      out.status = res.statusCode;
      out.headers = res.headers;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (out.json = JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (out.error ??= err.code ?? err.message));
    req.on('close', () => resolve({ ...out, reusedSocket: req.reusedSocket }));
    if (options.chunks) {
      for (const c of options.chunks) req.write(c);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

function invokeBody(...args: string[]): string {
  return JSON.stringify({ chaincode: 'basic', args });
}

function resultFor(req: InvokeRequest): InvokeResult {
  return { txId: String(req.args[1]), status: 200, message: '', payload: new Uint8Array(), events: [], committed: req.submit };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('413 for a body over the limit', () => {
  it.each([
    ['without an agent', false],
    ['with a keep-alive agent', true],
  ] as const)('reaches a Node client writing 50 MB, 20 times in a row (%s)', async (_label, keepAlive) => {
    const api = await serve();
    const agent = keepAlive ? keepAliveAgent() : false;
    for (let i = 0; i < 20; i++) {
      // Alternate a declared Content-Length (refused before reading) and a chunked body (refused
      // once it grows past the limit).
      const body = i % 2 === 0 ? { body: BIG } : { chunks: Array.from({ length: 50 }, (_, k) => BIG.subarray(k << 20, (k + 1) << 20)) };
      const out = await send(api.url, 'POST', '/invoke', { ...body, agent });
      expect(out, `POST #${i}`).toMatchObject({ error: undefined, status: 413, json: { error: TOO_LARGE } });
    }
    expect(await send(api.url, 'GET', '/health', { agent })).toMatchObject({ error: undefined, status: 200, json: { status: 'ok' } });
    expect(fake.requests).toHaveLength(0);
  }, 120_000);
});

describe('429 above the requests in flight', () => {
  it('answers at once with Retry-After, without running the call or keeping its body; /health is exempt', async () => {
    const api = await serve({ maxConcurrentRequests: 2 });
    const release = deferred<void>();
    // Only the first two block, so that a missing limit shows as a quick 200 rather than a hang.
    fake.respond = async (req) => {
      if (fake.requests.length <= 2) await release.promise;
      return resultFor(req);
    };
    const held = ['t1', 't2'].map((t) => send(api.url, 'POST', '/invoke', { body: invokeBody('Put', t) }));
    await expect.poll(() => fake.requests.length).toBe(2);

    const refused = await send(api.url, 'POST', '/invoke', { body: invokeBody('Put', 't3') });
    expect(refused).toMatchObject({ error: undefined, status: 429, json: { error: 'too many API requests in flight (limit 2, option --max-api-requests)' } });
    expect(refused.headers['retry-after']).toBe('1');
    expect(await send(api.url, 'POST', '/query', { body: BIG })).toMatchObject({ error: undefined, status: 429 });
    expect((await send(api.url, 'GET', '/chaincodes')).status).toBe(429);
    expect(await send(api.url, 'GET', '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(fake.requests).toHaveLength(2);

    release.resolve();
    expect((await Promise.all(held)).map((o) => o.json)).toMatchObject([{ txId: 't1' }, { txId: 't2' }]);
    expect((await send(api.url, 'POST', '/invoke', { body: invokeBody('Put', 't4') })).status).toBe(200);
  });

  it('defaults to 256', async () => {
    expect(DEFAULT_MAX_CONCURRENT_REQUESTS).toBe(256);
    const api = await serve();
    const release = deferred<void>();
    fake.respond = async (req) => {
      if (fake.requests.length <= 256) await release.promise;
      return resultFor(req);
    };
    const held = Array.from({ length: 256 }, (_, i) => send(api.url, 'POST', '/query', { body: invokeBody('Get', `k${i}`) }));
    await expect.poll(() => fake.requests.length, { timeout: 20_000 }).toBe(256);
    const refused = await send(api.url, 'POST', '/query', { body: invokeBody('Get', 'one more') });
    expect(refused).toMatchObject({ status: 429, json: { error: 'too many API requests in flight (limit 256, option --max-api-requests)' } });
    release.resolve();
    expect((await Promise.all(held)).every((o) => o.status === 200 && o.error === undefined)).toBe(true);
  }, 60_000);

  it('takes only a positive integer', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createApiHandler(fake, { maxConcurrentRequests: bad })).toThrow('maxConcurrentRequests must be a positive integer');
    }
    await expect(startApiServer({ peer: fake, host: '127.0.0.1', port: 0, maxConcurrentRequests: 0 })).rejects.toThrow(/positive integer/);
  });
});

describe('graceful shutdown', () => {
  it('beginShutdown answers new requests 503 while 20 calls in flight finish; drain reports them answered', async () => {
    const api = await serve();
    const go = deferred<void>();
    const echo = fake.respond;
    // The 20 calls (k0..k19) wait for `go`; a request let through by mistake answers at once.
    fake.respond = async (req) => {
      if (String(req.args[1]).startsWith('k')) {
        await go.promise;
        await sleep(200);
      }
      return echo(req);
    };
    // An idle keep-alive connection: beginShutdown must leave it open (closing it races with a
    // client sending on it, which then sees ECONNRESET).
    const idle = keepAliveAgent();
    expect((await send(api.url, 'GET', '/health', { agent: idle })).status).toBe(200);

    const agent = keepAliveAgent();
    const calls = Array.from({ length: 20 }, (_, i) => send(api.url, 'POST', '/invoke', { body: invokeBody('Put', `k${i}`), agent }));
    await expect.poll(() => fake.requests.length).toBe(20);
    api.beginShutdown();

    const turnedAway = [
      await send(api.url, 'GET', '/health', { agent: idle }),
      await send(api.url, 'POST', '/invoke', { body: invokeBody('Put', 'late'), agent }),
      await send(api.url, 'GET', '/channels'),
    ];
    expect(turnedAway[0]!.reusedSocket).toBe(true);
    for (const out of turnedAway) {
      expect(out).toMatchObject({ error: undefined, status: 503, json: { error: SHUTTING_DOWN } });
      expect(out.headers).toMatchObject({ 'retry-after': '5', connection: 'close' });
    }

    go.resolve();
    expect(await api.drain(5000)).toEqual({ answered: 20, unknown: 0 });
    const outs = await Promise.all(calls);
    outs.forEach((out, i) => {
      expect(out, `call ${i}`).toMatchObject({ error: undefined, status: 200, json: { status: 200, payload: JSON.stringify(['Put', `k${i}`]) } });
      expect(out.headers.connection).toBe('close');
    });
    expect(fake.requests).toHaveLength(20);

    await api.close(100);
    expect((await send(api.url, 'GET', '/health')).error).toBe('ECONNREFUSED');
  }, 60_000);

  it('drain answers a call that outlasts it 503 "outcome unknown" with its txId; close() then resolves', async () => {
    const api = await serve();
    const late = deferred<InvokeResult>();
    fake.respond = (req) => {
      req.onTxId?.('tx-stuck');
      return late.promise;
    };
    const pending = send(api.url, 'POST', '/invoke', { body: invokeBody('Put', 'k') });
    await expect.poll(() => fake.requests.length).toBe(1);

    const started = Date.now();
    expect(await api.drain(300)).toEqual({ answered: 0, unknown: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const out = await pending;
    expect(out).toMatchObject({ error: undefined, status: 503, json: { error: OUTCOME_UNKNOWN, txId: 'tx-stuck' } });
    expect(out.headers).toMatchObject({ 'retry-after': '5', connection: 'close' });

    await api.close(100);
    // The real result, after the answer was sent and the server closed, is dropped quietly.
    late.resolve({ txId: 'tx-stuck', status: 200, message: '', payload: new Uint8Array(), events: [], committed: true });
    await sleep(50);
  });

  it('a call drain answers before the peer reported its txId is told nothing was run, and is stopped there', async () => {
    const api = await serve();
    const proposalBuilt = deferred<void>();
    let invoked!: Promise<InvokeResult>;
    let ran = false;
    fake.respond = (req) =>
      (invoked = (async () => {
        await proposalBuilt.promise;
        req.onTxId?.('tx-late');
        ran = true;
        return resultFor(req);
      })());
    const pending = send(api.url, 'POST', '/invoke', { body: invokeBody('Put', 'k') });
    await expect.poll(() => fake.requests.length).toBe(1);

    expect(await api.drain(100)).toEqual({ answered: 0, unknown: 1 });
    const out = await pending;
    expect(out).toMatchObject({ error: undefined, status: 503, json: { error: NOT_STARTED } });
    expect(out.json).not.toHaveProperty('txId');

    proposalBuilt.resolve();
    await expect(invoked).rejects.toThrow(/already answered this call/);
    expect(ran).toBe(false);
  });
});
