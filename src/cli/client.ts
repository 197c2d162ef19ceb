/**
 * A small client for the peer's HTTP API (docs/api.md), on node:http without keep-alive so that a
 * CLI process exits as soon as it is done.
 */
import { request } from 'node:http';

export type ApiErrorKind = 'unreachable' | 'timeout' | 'http' | 'protocol' | 'interrupted';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    /** HTTP status when `kind === 'http'`. */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  /** Give up after this long (connect + response). Default 120 s. */
  timeoutMs?: number;
  /** Told the transaction id as soon as the peer names it (its interim 103 answer). */
  onTxId?: (txId: string) => void;
  /** Resolves when the caller gives up (e.g. Ctrl-C): the request is abandoned and the call rejects. */
  abandon?: Promise<string>;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EPIPE']);

/**
 * `method` `baseUrl + path` with an optional JSON body; resolves to the parsed JSON of a 2xx answer.
 * @throws ApiError: `unreachable` (nothing listening), `timeout`, `http` (non-2xx; message is the
 * API's `error`), `protocol` (not JSON).
 */
export function callApi(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown, options: CallOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');

  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers: Record<string, string | number> = { accept: 'application/json', connection: 'close' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => settle(() => reject(new ApiError(`reading the answer of ${url.href} failed: ${err.message}`, 'protocol'))));
      res.on('end', () =>
        settle(() => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          let parseError: string | undefined;
          try {
            parsed = JSON.parse(text);
          } catch (err) {
            parseError = err instanceof Error ? err.message : String(err);
          }
          if (status < 200 || status >= 300) {
            const apiMessage =
              parsed !== null && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string'
                ? (parsed as { error: string }).error
                : text.trim().slice(0, 500) || res.statusMessage || 'no details';
            reject(new ApiError(`HTTP ${status} from ${method} ${url.href}: ${apiMessage}`, 'http', status));
            return;
          }
          if (parseError !== undefined) {
            reject(new ApiError(`the answer of ${method} ${url.href} is not JSON (${parseError}); is --api pointing at "ccproto peer"?`, 'protocol'));
            return;
          }
          resolve(parsed);
        }),
      );
    });
    const timer = setTimeout(() => {
      settle(() => reject(new ApiError(`no answer from ${url.href} within ${timeoutMs} ms (raise --timeout?)`, 'timeout')));
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      settle(() => {
        const code = err.code ?? '';
        if (code.startsWith('HPE_')) {
          // Not HTTP/1.1 at all: most often the chaincode listener (gRPC, HTTP/2) given as --api.
          reject(
            new ApiError(
              `${baseUrl} does not speak HTTP/1.1 (${code}): is it the chaincode listener (gRPC) rather than the API? ` +
                'Give --api the address of "ccproto peer --api" (default http://127.0.0.1:7080)',
              'protocol',
            ),
          );
        } else if (UNREACHABLE_CODES.has(code)) {
          reject(
            new ApiError(
              `cannot reach the ccproto API at ${baseUrl} (${code}): is "ccproto peer" running, and does --api match its --api?`,
              'unreachable',
            ),
          );
        } else {
          reject(new ApiError(`request to ${url.href} failed: ${err.message}`, 'unreachable'));
        }
      }),
    );
    req.on('information', (info) => {
      const txId = info.headers['x-ccproto-tx-id'];
      if (typeof txId === 'string') options.onTxId?.(txId);
    });
    void options.abandon?.then((why) =>
      settle(() => {
        reject(new ApiError(`interrupted (${why})`, 'interrupted'));
        req.destroy();
      }),
    );
    req.end(payload);
  });
}
