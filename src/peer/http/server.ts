/**
 * The peer's HTTP+JSON API (docs/api.md) on node:http: `POST /invoke`, `POST /query`,
 * `GET /chaincodes`, `GET /channels`, `GET /health`, and TLS material for user-run chaincode.
 *
 * Meant for loopback: it binds only the host it is given, refuses browser cross-origin requests and
 * DNS-rebinding host names, bounds request bodies and the requests in flight, and answers every
 * malformed request with a 4xx JSON `{error}` instead of throwing.
 *
 * Shutdown answers every call: beginShutdown() turns new requests away with 503 + Retry-After
 * while the listener stays open, drain() lets calls in flight finish and answers those that
 * outlast it "outcome unknown" with their txId, close() then drops the idle connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';

import type { PeerApi } from '../types.js';
import { HttpError, parseInvokeBody, resultToJson } from './wire.js';

/** Default bound on a request body: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Default bound on API requests in flight. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 256;

/** How long an early answer (413, 429, 503) keeps discarding the rest of the request body. */
const DISCARD_MS = 10_000;
/** How long drain() lets its own 503 answers flush before close() may cut the connections. */
const FLUSH_MS = 1000;
/**
 * How long ApiServer.drain() goes on answering 503 after the calls in flight were answered: their
 * answers told the clients to reconnect (`Connection: close`), and a block commits many
 * transactions at the same moment, so many clients come back together; they get 503 with
 * Retry-After rather than a reset.
 */
const LINGER_MS = 300;

const SHUTTING_DOWN = 'the peer is shutting down: not accepting new requests; retry later';
const OUTCOME_UNKNOWN = 'outcome unknown: the peer shut down before the transaction finished; check with query';
const NOT_STARTED = 'the peer shut down before the call started: nothing was run; retry later';
/** Every shutdown answer: retry later, and on a new connection (this one is going away). */
const SHUTDOWN_HEADERS: Record<string, string> = { 'retry-after': '5', connection: 'close' };

export interface ApiHandlerOptions {
  /** Largest accepted request body in bytes (413 above). Default 10 MiB. */
  maxBodyBytes?: number;
  /** Most API requests in flight at once (429 above; `/health` is exempt). Default 256. */
  maxConcurrentRequests?: number;
}

export interface ApiServerOptions extends ApiHandlerOptions {
  peer: PeerApi;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 7080. */
  port?: number;
}

/** How the `/invoke` and `/query` calls in flight when a drain began were answered. */
export interface DrainResult {
  /** Finished with their own answer. */
  answered: number;
  /**
   * Answered 503 by the drain at its deadline: "outcome unknown" with the txId, or "nothing was
   * run" when the peer had not reported a txId yet.
   */
  unknown: number;
}

export interface ApiServer {
  readonly server: Server;
  /** Bound host and port (the real port when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** `http://HOST:PORT` */
  readonly url: string;
  /**
   * From now on answer every new request (`/health` too) 503 with `Retry-After: 5` and
   * `Connection: close`. The listener and idle keep-alive connections stay open, so clients get
   * that answer instead of a refused or reset connection; requests in flight go on, and their
   * answers close the connection.
   */
  beginShutdown(): void;
  /**
   * beginShutdown(), then wait until no request is in flight or `graceMs` passed; answer every
   * call still in flight 503 "outcome unknown" with its txId, or "nothing was run" when the peer
   * had not reported one yet (its late result is dropped); then go on answering 503 for 300 ms, so
   * that clients reconnecting at once after their last answer get 503, not a reset.
   */
  drain(graceMs: number): Promise<DrainResult>;
  /**
   * beginShutdown(), stop listening and close idle connections at once: new connections are
   * refused. Prefer beginShutdown() + drain(), which answers every client.
   */
  stopAccepting(): void;
  /**
   * drain(graceMs) (default 5 s), then stop listening and close the remaining connections.
   * Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

/** The request listener alone, for embedding in another server. */
export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests being served whose response has not finished yet (not those turned away at once). */
  readonly inFlight: number;
  /** From now on answer 503 (shutting down); see ApiServer.beginShutdown. */
  shutdown(): void;
  /** See ApiServer.drain. */
  drain(graceMs: number): Promise<DrainResult>;
}

/** An `/invoke` or `/query` in flight. */
interface Call {
  readonly res: ServerResponse;
  /** As reported by the peer through `InvokeRequest.onTxId`. */
  txId?: string;
  /** Set once answered: by its own result ('answered') or by drain() ('unknown'). */
  outcome?: 'answered' | 'unknown';
}

const ROUTES: Record<string, readonly string[]> = {
  '/invoke': ['POST'],
  '/query': ['POST'],
  '/chaincodes': ['GET'],
  '/channels': ['GET'],
  '/health': ['GET'],
  '/tls': ['GET'],
  '/tls/client': ['POST'],
  '/transactions/:txId': ['GET'],
};

/** `/transactions/<txid>` names one route; everything else is matched exactly. */
function routeOf(path: string): string {
  return /^\/transactions\/[^/]+$/.test(path) ? '/transactions/:txId' : path;
}

/**
 * Answer with JSON. A response already sent is left alone: drain() may have answered a call whose
 * late real result arrives here.
 */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  if (res.req.complete) {
    res.end(text);
    return;
  }
  // Answered before the whole request arrived (413, 429, 503). Ending the response now lets Node
  // close the socket while the body still arrives; the kernel then resets the connection, and a
  // client still writing gets EPIPE/ECONNRESET, often before it has read this answer. So send the
  // answer, read and drop the rest of the body, and end the response after it, or give up on a
  // client that takes too long.
  res.write(text);
  const timer = setTimeout(() => res.destroy(), DISCARD_MS).unref();
  res.once('close', () => clearTimeout(timer));
  res.req.once('end', () => res.end()).resume();
}

function sendError(res: ServerResponse, err: unknown): void {
  try {
    sendJson(res, err instanceof HttpError ? err.status : 500, { error: errorMessage(err) }, err instanceof HttpError ? err.headers : {});
  } catch {
    res.destroy();
  }
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${option} must be a positive integer, not ${value}`);
  return value;
}

/** Resolves once `done()` holds or `ms` have passed. */
async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Host names a loopback API accepts in `Host` / `Origin` (anything else smells of DNS rebinding). */
function isAcceptableHostName(hostname: string, boundHost: string | undefined): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) !== 0) return true;
  return boundHost !== undefined && h === boundHost.toLowerCase();
}

function hostNameOf(hostHeader: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(hostHeader.trim());
  return m?.[1] ?? hostHeader;
}

/** Read the request body, at most `limit` bytes. @throws HttpError(413|400) */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // The option's name tells the caller of `ccproto peer` how to raise the limit.
    const tooLarge = (): HttpError => new HttpError(413, `request body larger than ${limit} bytes (option --max-body-size)`, { connection: 'close' });
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(new HttpError(400, `reading the request body failed: ${errorMessage(err)}`));
    });
  });
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  const text = body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the request body must be a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `invalid JSON in the request body: ${errorMessage(err)}`);
  }
}

/**
 * The API as a request listener over `peer`. `boundHost` (the interface the server listens on) is
 * also accepted as a `Host` name besides IP literals and `localhost`.
 */
export function createApiHandler(peer: PeerApi, options: ApiHandlerOptions & { boundHost?: string } = {}): ApiHandler {
  const limit = positiveInteger(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
  const maxRequests = positiveInteger(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS, 'maxConcurrentRequests');
  /** Responses of the requests being served (not those refused at the door). */
  const inFlight = new Set<ServerResponse>();
  const calls = new Set<Call>();
  let closing = false;

  /** The endpoint `req` asks for. @throws HttpError(403|404|405) */
  function endpointOf(req: IncomingMessage): string {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    const hostHeader = req.headers.host;
    if (hostHeader !== undefined && !isAcceptableHostName(hostNameOf(hostHeader), options.boundHost)) {
      throw new HttpError(403, `host ${JSON.stringify(hostHeader)} not accepted (use an IP address or localhost)`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let originHost: string;
      try {
        originHost = new URL(origin).hostname;
      } catch {
        throw new HttpError(403, 'cross-origin requests are not accepted');
      }
      if (!isAcceptableHostName(originHost, options.boundHost)) throw new HttpError(403, 'cross-origin requests are not accepted');
    } else if (origin === 'null') {
      throw new HttpError(403, 'cross-origin requests are not accepted');
    }

    const allowed = ROUTES[routeOf(path)];
    if (!allowed) throw new HttpError(404, `no such endpoint: ${method} ${path}`);
    if (!allowed.includes(method)) {
      throw new HttpError(405, `${method} not allowed on ${path} (use ${allowed.join(', ')})`, { allow: allowed.join(', ') });
    }
    return path;
  }

  async function serve(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (path) {
      case '/health':
        sendJson(res, 200, { status: 'ok' });
        return;
      case '/chaincodes':
        sendJson(res, 200, peer.listChaincodes());
        return;
      case '/channels':
        sendJson(res, 200, peer.listChannels());
        return;
      case '/tls':
        sendJson(res, 200, peer.tlsRootCertPem === undefined ? { enabled: false } : { enabled: true, rootCertPem: peer.tlsRootCertPem });
        return;
      case '/tls/client': {
        const body = await readJson(req, limit);
        const chaincode = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['chaincode'] : undefined;
        if (typeof chaincode !== 'string' || chaincode === '') throw new HttpError(400, '"chaincode" is required (the chaincode name)');
        if (peer.tlsRootCertPem === undefined) throw new HttpError(404, 'TLS is off on the chaincode listener (start the peer with --tls)');
        const material = peer.clientTlsFor?.(chaincode);
        if (!material) throw new HttpError(404, `this peer cannot mint TLS client material for ${JSON.stringify(chaincode)}`);
        sendJson(res, 200, { chaincode, rootCertPem: peer.tlsRootCertPem, certPem: material.certPem, keyPem: material.keyPem });
        return;
      }
      case '/invoke':
      case '/query':
        return serveCall(path, req, res);
    }
    if (routeOf(path) === '/transactions/:txId') {
      const txId = decodeURIComponent(path.slice('/transactions/'.length));
      const channel = new URL(req.url ?? '/', 'http://localhost').searchParams.get('channel') || 'mychannel';
      if (!peer.isCommitted) throw new HttpError(404, 'this peer cannot look transactions up');
      sendJson(res, 200, { txId, channel, committed: await peer.isCommitted(channel, txId) });
    }
  }

  async function serveCall(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call: Call = { res };
    calls.add(call);
    res.once('finish', () => (call.outcome ??= 'answered'));
    res.once('close', () => calls.delete(call));
    const request = parseInvokeBody(await readJson(req, limit), path === '/invoke');
    // drain() told a call still reading its body "nothing was run": keep that true.
    if (call.outcome) return;
    request.onTxId = (txId) => {
      // Likewise for a call drain() answered before its txId was known: the peer reports the txId
      // before the chaincode runs, and throwing here stops the call there.
      if (call.outcome) throw new Error('the API already answered this call (shutting down); not running it');
      call.txId = txId;
      // An interim 103 names the transaction before its outcome is known, so a client that gives up
      // (Ctrl-C, a timeout) can still tell the user what to look up (docs/api.md). Not for HTTP/1.0.
      if (req.httpVersionMajor > 1 || req.httpVersionMinor >= 1) {
        res.writeEarlyHints({
          link: `</transactions/${encodeURIComponent(txId)}?channel=${encodeURIComponent(request.channel ?? 'mychannel')}>; rel="monitor"`,
          'x-ccproto-tx-id': txId,
        });
      }
    };
    let result;
    try {
      result = await peer.invoke(request);
    } catch (err) {
      throw new HttpError(closing ? 503 : 500, `the peer failed the request: ${errorMessage(err)}`);
    }
    sendJson(res, 200, resultToJson(result));
  }

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (closing) throw new HttpError(503, SHUTTING_DOWN, SHUTDOWN_HEADERS);
      const path = endpointOf(req);
      // /health is exempt so that health checks keep working under load.
      if (path !== '/health' && inFlight.size >= maxRequests) {
        throw new HttpError(429, `too many API requests in flight (limit ${maxRequests}, option --max-api-requests)`, { 'retry-after': '1' });
      }
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
      serve(path, req, res).catch((err: unknown) => sendError(res, err));
    } catch (err) {
      sendError(res, err);
    }
  }) as ApiHandler;
  Object.defineProperty(handler, 'inFlight', { get: () => inFlight.size });
  handler.shutdown = () => {
    closing = true;
    // Answers still to come close their connection too, so that keep-alive clients move on.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  };
  handler.drain = async (graceMs) => {
    handler.shutdown();
    const pending = [...calls];
    await waitFor(() => inFlight.size === 0, graceMs);
    for (const call of calls) {
      if (call.res.headersSent) continue; // already answering (e.g. 413 while discarding the body)
      call.outcome = 'unknown';
      sendJson(call.res, 503, call.txId === undefined ? { error: NOT_STARTED } : { error: OUTCOME_UNKNOWN, txId: call.txId }, SHUTDOWN_HEADERS);
    }
    // Let those answers reach the sockets before close() cuts the connections.
    await waitFor(() => inFlight.size === 0, FLUSH_MS);
    const count = (outcome: Call['outcome']): number => pending.filter((c) => c.outcome === outcome).length;
    return { answered: count('answered'), unknown: count('unknown') };
  };
  return handler;
}

/** Start the API on `host:port` (default 127.0.0.1:7080). Rejects when the address cannot be bound. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createApiHandler(options.peer, {
    maxBodyBytes: options.maxBodyBytes,
    maxConcurrentRequests: options.maxConcurrentRequests,
    boundHost: host,
  });
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, handler);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({ error: `malformed HTTP request: ${err.code ?? err.message}` }) + '\n';
    socket.end(
      `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port: options.port ?? 7080, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // After listening, a server error must not crash the process.
  server.on('error', () => {});

  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || isIP(address.address) === 6 ? `[${address.address}]` : address.address;
  const serverClosed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let closed: Promise<void> | undefined;
  let listening = true;
  const stopListening = (): void => {
    if (listening) {
      listening = false;
      server.close();
    }
  };

  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    beginShutdown: () => handler.shutdown(),
    async drain(graceMs) {
      const result = await handler.drain(graceMs);
      await new Promise((r) => setTimeout(r, LINGER_MS));
      return result;
    },
    stopAccepting(): void {
      handler.shutdown();
      stopListening();
      server.closeIdleConnections();
    },
    close(graceMs = 5000): Promise<void> {
      closed ??= (async () => {
        await handler.drain(graceMs);
        stopListening();
        // Connections still busy are answering 503 with `Connection: close` (a client that just
        // reconnected after its last answer): let those answers go out before cutting the rest.
        server.closeIdleConnections();
        let flushTimer: NodeJS.Timeout | undefined;
        await Promise.race([serverClosed, new Promise<void>((r) => (flushTimer = setTimeout(r, FLUSH_MS)))]);
        clearTimeout(flushTimer);
        server.closeAllConnections();
        await serverClosed;
      })();
      return closed;
    },
  };
}
