/**
 * The peer's HTTP+JSON API (docs/api.md) on node:http: `POST /invoke`, `POST /query`,
 * `GET /chaincodes`, `GET /channels`, `GET /health`, and TLS material for user-run chaincode.
 *
 * Meant for loopback: it binds only the host it is given, refuses browser cross-origin requests and
 * DNS-rebinding host names, bounds request bodies, and answers every malformed request with a 4xx
 * JSON `{error}` instead of throwing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';

import type { PeerApi } from '../types.js';
import { HttpError, parseInvokeBody, resultToJson } from './wire.js';

/** Default bound on a request body: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ApiHandlerOptions {
  /** Largest accepted request body in bytes (413 above). Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface ApiServerOptions extends ApiHandlerOptions {
  peer: PeerApi;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 7080. */
  port?: number;
}

export interface ApiServer {
  readonly server: Server;
  /** Bound host and port (the real port when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** `http://HOST:PORT` */
  readonly url: string;
  /** Stop accepting connections; requests still arriving on open connections get 503. */
  stopAccepting(): void;
  /**
   * Stop accepting, let requests in flight finish (at most `graceMs`, default 5 s), then drop the
   * remaining connections. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

/** The request listener alone, for embedding in another server. */
export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests whose response has not finished yet. */
  readonly inFlight: number;
  /** From now on answer 503 (shutting down). */
  shutdown(): void;
}

const ROUTES: Record<string, readonly string[]> = {
  '/invoke': ['POST'],
  '/query': ['POST'],
  '/chaincodes': ['GET'],
  '/channels': ['GET'],
  '/health': ['GET'],
  '/tls': ['GET'],
  '/tls/client': ['POST'],
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
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
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(new HttpError(413, `request body larger than ${limit} bytes`, { connection: 'close' }));
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
        reject(new HttpError(413, `request body larger than ${limit} bytes`, { connection: 'close' }));
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
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let inFlight = 0;
  let closing = false;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

    const allowed = ROUTES[path];
    if (!allowed) throw new HttpError(404, `no such endpoint: ${method} ${path}`);
    if (!allowed.includes(method)) {
      throw new HttpError(405, `${method} not allowed on ${path} (use ${allowed.join(', ')})`, { allow: allowed.join(', ') });
    }
    if (closing) throw new HttpError(503, 'the peer is shutting down', { connection: 'close' });

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
      case '/query': {
        const body = await readJson(req, limit);
        const request = parseInvokeBody(body, path === '/invoke');
        let result;
        try {
          result = await peer.invoke(request);
        } catch (err) {
          throw new HttpError(closing ? 503 : 500, `the peer failed the request: ${errorMessage(err)}`);
        }
        sendJson(res, 200, resultToJson(result));
        return;
      }
    }
  }

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    let counted = true;
    const finished = (): void => {
      if (counted) {
        counted = false;
        inFlight--;
      }
    };
    res.on('close', finished);
    res.on('finish', finished);
    if (closing) res.shouldKeepAlive = false;
    route(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const headers = err instanceof HttpError ? err.headers : {};
      try {
        sendJson(res, status, { error: errorMessage(err) }, headers);
      } catch {
        res.destroy();
      }
      if (headers['connection'] === 'close' && !req.complete) {
        // Discard the rest of an oversized body so the client can read the answer, but not forever.
        req.resume();
        const timer = setTimeout(() => req.socket.destroy(), 2000);
        timer.unref();
        req.socket.once('close', () => clearTimeout(timer));
      }
    });
  }) as ApiHandler;
  Object.defineProperty(handler, 'inFlight', { get: () => inFlight });
  handler.shutdown = () => {
    closing = true;
  };
  return handler;
}

/** Start the API on `host:port` (default 127.0.0.1:7080). Rejects when the address cannot be bound. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const handlerOptions: ApiHandlerOptions & { boundHost?: string } = { boundHost: host };
  if (options.maxBodyBytes !== undefined) handlerOptions.maxBodyBytes = options.maxBodyBytes;
  const handler = createApiHandler(options.peer, handlerOptions);
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

  const stopAccepting = (): void => {
    handler.shutdown();
    if (listening) {
      listening = false;
      server.close();
      server.closeIdleConnections();
    }
  };

  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    stopAccepting,
    close(graceMs = 5000): Promise<void> {
      closed ??= (async () => {
        stopAccepting();
        const deadline = Date.now() + graceMs;
        while (handler.inFlight > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
        }
        server.closeAllConnections();
        await serverClosed;
      })();
      return closed;
    },
  };
}
