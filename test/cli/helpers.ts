/** A fake `PeerApi`, an in-memory `CliIo` and a raw HTTP helper for the CLI / API tests. */
import { request } from 'node:http';
import { createServer } from 'node:net';

import type { CliIo } from '../../src/cli/io.js';
import type { ChaincodeInfo, InvokeRequest, InvokeResult, PeerApi } from '../../src/peer/types.js';

const enc = new TextEncoder();

export function bytes(s: string): Uint8Array {
  return enc.encode(s);
}

/** Answers every invocation with `respond` (default: echo the arguments as JSON, status 200). */
export class FakePeer implements PeerApi {
  chaincodeAddress = '127.0.0.1:7052';
  tlsRootCertPem: string | undefined = undefined;
  readonly requests: InvokeRequest[] = [];
  closed = 0;
  chaincodes: ChaincodeInfo[] = [{ name: 'basic', registeredAs: 'basic:1.0', launch: 'external', state: 'ready' }];
  channels: string[] = ['mychannel'];
  respond: (req: InvokeRequest) => InvokeResult | Promise<InvokeResult> = (req) => ({
    txId: req.txId ?? 'tx-0001',
    status: 200,
    message: '',
    payload: bytes(JSON.stringify(req.args.map((a) => (typeof a === 'string' ? a : `bytes:${Buffer.from(a).toString('hex')}`)))),
    events: [],
    committed: req.submit,
  });
  clientTlsFor?: (name: string) => { certPem: string; keyPem: string } | undefined;
  isCommitted?: (channel: string, txId: string) => Promise<boolean>;

  async invoke(req: InvokeRequest): Promise<InvokeResult> {
    // Recorded without the txid hook: a callback, not part of what was asked (a test's `respond`
    // calls it when it plays the peer reporting the txid).
    const { onTxId: _hook, ...asked } = req;
    this.requests.push(asked);
    return this.respond(req);
  }
  listChaincodes(): ChaincodeInfo[] {
    return this.chaincodes;
  }
  listChannels(): string[] {
    return this.channels;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

export interface MemoryIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function memoryIo(extra: Partial<CliIo> = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
    ...extra,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTP request with full control over method, headers and body. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string | number>; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(options.body);
    const req = request(new URL(path, baseUrl), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.chunks) {
      for (const c of options.chunks) req.write(c);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export function postJson(baseUrl: string, path: string, body: unknown): Promise<RawResponse> {
  return rawRequest(baseUrl, 'POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
