/**
 * The client end of a Register / Connect call spoken directly over `node:http2` — the default dial
 * transport (`dial.ts`; `client: 'grpc-js'` selects grpc-js' client instead).
 *
 * Why not grpc-js here: its client hands a call's messages to HTTP/2 one at a time, each after the
 * previous one's socket write completed (RetryingCall waits for the child call's write callback, even
 * with retries disabled, and Node calls that only after the bytes went out). A chaincode answering
 * dozens of transactions in one event-loop turn then pays one `writev` and one loop pass per message.
 * Here every message of a turn is queued on the HTTP/2 stream at once and leaves in one write
 * (docs/decisions/0005-http2-client.md has the measurements).
 *
 * What it speaks is the gRPC-over-HTTP/2 protocol for one bidirectional-streaming method, as grpc-go
 * and grpc-js servers expect it (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
 * POST with `content-type: application/grpc` and `te: trailers`; length-prefixed messages (1-byte
 * compressed flag, 4-byte big-endian length; no compression: we advertise `grpc-accept-encoding:
 * identity`); the status from `grpc-status` / `grpc-message` in the trailers (or in a trailers-only
 * response), HTTP status and RST_STREAM codes mapped as the gRPC spec and grpc-js do. Connection
 * set-up retries with backoff until the dial deadline (grpc's "wait for ready"); keepalive PINGs as
 * configured; TLS and mutual TLS through `tls.connect` options.
 */
import * as http2 from 'node:http2';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

import { status as Status } from '@grpc/grpc-js';

import { DuplexFrameStream, errorClose, type CloseReason, type FrameSink } from './frameStream.js';
import type { ClientKeepaliveOptions, ResolvedLimits } from './options.js';

const {
  NGHTTP2_CANCEL,
  NGHTTP2_ENHANCE_YOUR_CALM,
  NGHTTP2_INADEQUATE_SECURITY,
  NGHTTP2_NO_ERROR,
  NGHTTP2_REFUSED_STREAM,
} = http2.constants;

export interface Http2DialParams {
  readonly host: string;
  readonly port: number;
  /** `host:port` (IPv6 bracketed). */
  readonly target: string;
  readonly tls?: {
    readonly ca: Buffer;
    readonly key?: Buffer;
    readonly cert?: Buffer;
    /** Name to verify the server certificate against and to send as :authority. */
    readonly serverName?: string;
  };
  readonly methodPath: string;
  readonly limits: ResolvedLimits;
  readonly keepalive: Required<ClientKeepaliveOptions>;
  readonly dialTimeoutMs: number;
  readonly userAgent: string;
  /** Incoming messages delivered per event-loop turn before the rest waits for the next turn. */
  readonly framesPerTurn: number;
  /** Keep trying when the connection is refused (nothing listens yet), as grpc's wait-for-ready
   *  does; false gives up at the first refusal. */
  readonly retryRefused: boolean;
}

/** Connects (retrying until the dial deadline) and opens the call. Rejects with the last connection
 *  error's text when the deadline passes. */
export async function dialHttp2(params: Http2DialParams): Promise<DuplexFrameStream> {
  const session = await connectWithRetry(params);
  return Http2ClientFrameStream.open(session, params);
}

/** Nothing listens at the target, and the caller asked not to wait for it (`retryRefused: false`). */
export class ConnectionRefusedError extends Error {
  constructor(target: string, cause: unknown) {
    super(`connection refused: nothing listens at ${target}`, { cause });
  }
}

/** grpc's connection backoff (doc/connection-backoff.md): 1 s, ×1.6, capped at 120 s. */
const INITIAL_BACKOFF_MS = 1_000;
const BACKOFF_MULTIPLIER = 1.6;
const MAX_BACKOFF_MS = 120_000;

async function connectWithRetry(params: Http2DialParams): Promise<http2.ClientHttp2Session> {
  const deadline = Date.now() + params.dialTimeoutMs;
  let backoffMs = INITIAL_BACKOFF_MS;
  for (;;) {
    const attemptStart = Date.now();
    let lastError: string;
    try {
      return await connectOnce(params, deadline - attemptStart);
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      if (!params.retryRefused && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new ConnectionRefusedError(params.target, err);
    }
    const wait = Math.min(attemptStart + backoffMs, deadline) - Date.now();
    if (Date.now() + Math.max(wait, 0) >= deadline) throw new Error(lastError);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    backoffMs = Math.min(backoffMs * BACKOFF_MULTIPLIER, MAX_BACKOFF_MS);
  }
}

function connectOnce(params: Http2DialParams, timeoutMs: number): Promise<http2.ClientHttp2Session> {
  const tls = params.tls;
  // SNI must be a name; for an IP address Node verifies the certificate's IP SANs against the host.
  const serverName = tls?.serverName ?? (isIP(params.host) === 0 ? params.host : undefined);
  const session = http2.connect(`${tls ? 'https' : 'http'}://${params.target}`, {
    // Our own socket, as grpc-js does: the session's socket proxy does not allow setNoDelay, and
    // small messages must not wait for Nagle.
    createConnection: () => {
      const socket = tls
        ? tlsConnect({
            host: params.host,
            port: params.port,
            ca: tls.ca,
            ...(tls.key !== undefined && tls.cert !== undefined ? { key: tls.key, cert: tls.cert } : {}),
            ...(serverName !== undefined ? { servername: serverName } : {}),
            ALPNProtocols: ['h2'],
          })
        : netConnect({ host: params.host, port: params.port });
      socket.setNoDelay(true);
      return socket;
    },
    settings: { enablePush: false },
    // As grpc-js: Node's per-session memory cap (10 MB by default) would refuse large messages.
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
  });
  // Never let an 'error' event go unhandled (it would crash the process); the handlers below and
  // the stream's own listeners see every error that matters.
  session.on('error', () => {});
  return new Promise((resolve, reject) => {
    const settle = (err?: unknown): void => {
      clearTimeout(timer);
      session.removeListener('error', settle);
      session.removeListener('close', onClose);
      session.removeListener('remoteSettings', onConnect);
      if (err === undefined) {
        resolve(session);
        return;
      }
      session.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const onClose = (): void => settle(new Error('connection closed during set-up'));
    // Connected means the server's SETTINGS arrived (as grpc-js waits for them before READY): a TCP
    // or TLS connection alone may still be the wrong protocol, e.g. plaintext against a TLS port.
    const onConnect = (): void => settle();
    const timer = setTimeout(() => settle(new Error(`no connection within ${timeoutMs} ms`)), Math.max(timeoutMs, 1));
    session.once('error', settle);
    session.once('close', onClose);
    session.once('remoteSettings', onConnect);
  });
}

/** Adds the 5-byte gRPC message prefix to each frame written into the HTTP/2 stream. */
class GrpcMessageSink implements FrameSink {
  constructor(private readonly stream: http2.ClientHttp2Stream) {}
  write(chunk: Buffer, done: () => void): boolean {
    const framed = Buffer.allocUnsafe(chunk.byteLength + 5);
    framed[0] = 0;
    framed.writeUInt32BE(chunk.byteLength, 1);
    framed.set(chunk, 5);
    return this.stream.write(framed, done);
  }
  on(event: 'drain', listener: () => void): unknown {
    return this.stream.on(event, listener);
  }
  pause(): unknown {
    return this.stream.pause();
  }
  resume(): unknown {
    return this.stream.resume();
  }
  get destroyed(): boolean {
    return this.stream.destroyed;
  }
  get writableEnded(): boolean {
    return this.stream.writableEnded;
  }
}

export class Http2ClientFrameStream extends DuplexFrameStream {
  readonly side = 'client' as const;
  readonly remoteAddress: string;
  readonly peerCertificateDer: Uint8Array | undefined;

  /** Received bytes not yet consumed, and how many. */
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Length of the message being read, or -1 while waiting for a message prefix. */
  #messageLength = -1;
  #status: CloseReason | undefined;
  #connectionError: string | undefined;
  #keepalive: NodeJS.Timeout | undefined;

  static open(session: http2.ClientHttp2Session, params: Http2DialParams): Http2ClientFrameStream {
    const stream = session.request(
      {
        ':method': 'POST',
        ':scheme': params.tls ? 'https' : 'http',
        ':path': params.methodPath,
        ':authority': params.tls?.serverName ?? params.target,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-accept-encoding': 'identity',
        'user-agent': params.userAgent,
      },
      { endStream: false },
    );
    return new Http2ClientFrameStream(session, stream, params);
  }

  private constructor(
    private readonly session: http2.ClientHttp2Session,
    private readonly stream: http2.ClientHttp2Stream,
    private readonly params: Http2DialParams,
  ) {
    super(new GrpcMessageSink(stream), params.methodPath, params.limits);
    const socket = session.socket as Partial<TLSSocket>;
    this.remoteAddress =
      socket.remoteAddress !== undefined ? `${socket.remoteAddress}:${socket.remotePort ?? ''}` : 'unknown';
    const cert = params.tls ? socket.getPeerCertificate?.() : undefined;
    this.peerCertificateDer = cert?.raw !== undefined && cert.raw.byteLength > 0 ? cert.raw : undefined;

    session.on('error', (err: Error) => {
      this.#connectionError ??= err.message;
    });
    session.on('goaway', (code: number) => {
      if (code !== NGHTTP2_NO_ERROR) this.#connectionError ??= `the server sent GOAWAY with code ${code}`;
    });
    stream.on('response', (headers) => this.#onHeaders(headers));
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('trailers', (headers) => {
      this.#status ??= statusFromHeaders(headers);
    });
    stream.on('error', () => {
      /* a reset stream: its rstCode is read on 'close' */
    });
    // The server ended its side, so the call is over: end ours too, so that the stream closes,
    // with or without a status. A reset also ends the readable side first and closes the stream by
    // itself a moment later; waiting a turn keeps its RST_STREAM code for the close reason.
    stream.on('end', () => {
      setImmediate(() => {
        if (!stream.writableEnded && !stream.destroyed) stream.end();
      });
    });
    stream.on('close', () => this.#onStreamClose());
    this.#startKeepalive();
  }

  #onHeaders(headers: http2.IncomingHttpHeaders): void {
    const httpStatus = Number(headers[':status']);
    if (headers['grpc-status'] !== undefined) {
      this.#status ??= statusFromHeaders(headers); // trailers-only response
    } else if (httpStatus !== 200) {
      this.#status ??= errorClose(statusOfHttp(httpStatus), `received HTTP status ${httpStatus}`);
    } else if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      this.fail(Status.UNKNOWN, `invalid content-type "${String(headers['content-type'] ?? '')}" in the response`);
    }
  }

  #onData(chunk: Buffer): void {
    if (this.terminated) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    if (!this.#deferred) this.#deliver(this.params.framesPerTurn);
  }

  /**
   * Delivers complete messages, at most `budget` of them; if more are buffered, pauses the stream
   * and continues in a later turn (setImmediate), after Node has written the replies to the
   * messages delivered so far. Without the budget, a chaincode that receives a burst answers all
   * of it before any reply leaves, and the peer idles meanwhile (peer + runtime on 2 cores: ~10k →
   * ~11–12k tx/s with a budget of 8; docs/performance.md). `budget` Infinity delivers everything now
   * (used at close).
   */
  #deliver(budget: number): void {
    let delivered = 0;
    for (;;) {
      if (this.#readingOff && budget !== Infinity) return; // setReading(true) delivers the rest
      if (delivered >= budget && this.#buffered >= 5) {
        this.#defer();
        return;
      }
      if (this.#messageLength < 0) {
        if (this.#buffered < 5) return;
        const prefix = this.#take(5);
        const length = prefix.readUInt32BE(1);
        if (prefix[0] !== 0) {
          this.fail(Status.INTERNAL, 'received a compressed message, but no compression was negotiated');
          return;
        }
        if (length > this.params.limits.maxReceiveMessageLength) {
          this.fail(
            Status.RESOURCE_EXHAUSTED,
            `Received message larger than max (${length} vs ${this.params.limits.maxReceiveMessageLength})`,
          );
          return;
        }
        this.#messageLength = length;
      }
      if (this.#buffered < this.#messageLength) return;
      const message = this.#take(this.#messageLength);
      this.#messageLength = -1;
      this.deliverFrame(message);
      delivered++;
      if (this.terminated) return;
    }
  }

  #deferred = false;

  #defer(): void {
    if (this.#deferred) return;
    this.#deferred = true;
    this.stream.pause(); // flow control: the peer cannot run ahead of what we have delivered
    setImmediate(() => {
      this.#deferred = false;
      if (this.terminated) return;
      this.#deliver(this.params.framesPerTurn);
      if (!this.#deferred && !this.#readingOff) this.stream.resume();
    });
  }

  /** Reading stopped by backpressure (frameStream.ts): received bytes stay buffered, the HTTP/2
   *  stream is paused so its flow-control window fills. */
  #readingOff = false;

  protected override setReading(on: boolean): void {
    this.#readingOff = !on;
    if (!on) {
      this.stream.pause();
      return;
    }
    if (this.terminated || this.#deferred) return;
    this.#deliver(this.params.framesPerTurn);
    if (!this.#deferred && !this.#readingOff) this.stream.resume();
  }

  /** Removes and returns the next `n` received bytes, as a copy of its own (the runtime keeps views
   *  of a frame, so a frame must not pin the HTTP/2 layer's read buffer). */
  #take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0] as Buffer;
      const k = Math.min(chunk.byteLength, n - filled);
      chunk.copy(out, filled, 0, k);
      filled += k;
      if (k === chunk.byteLength) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(k);
    }
    this.#buffered -= n;
    return out;
  }

  #onStreamClose(): void {
    this.#stopKeepalive();
    if (this.isClosed) return;
    // Frames that arrived before the end are delivered before the close notification.
    if (!this.terminated) this.#deliver(Infinity);
    this.terminated = true;
    let reason = this.#status;
    if (reason === undefined) {
      const rst = this.stream.rstCode;
      if (this.#connectionError !== undefined || this.session.destroyed) {
        reason = errorClose(Status.UNAVAILABLE, `connection lost: ${this.#connectionError ?? 'closed'}`);
      } else if (rst === undefined || rst === NGHTTP2_NO_ERROR) {
        reason = errorClose(Status.INTERNAL, 'the stream ended without a gRPC status');
      } else {
        reason = errorClose(statusOfRstCode(rst), `received RST_STREAM with code ${rst}`);
      }
    }
    this.notifyClose(reason);
  }

  #startKeepalive(): void {
    const { pingIntervalMs, pingTimeoutMs } = this.params.keepalive;
    if (!(pingIntervalMs > 0) || !Number.isFinite(pingIntervalMs)) return;
    this.#keepalive = setTimeout(() => {
      let acked = false;
      const timeout = setTimeout(() => {
        if (!acked) this.#dropConnection(`keepalive ping not acknowledged within ${pingTimeoutMs} ms`);
      }, pingTimeoutMs);
      timeout.unref();
      try {
        this.session.ping((err) => {
          acked = true;
          clearTimeout(timeout);
          if (err) this.#dropConnection(`keepalive ping failed: ${err.message}`);
          else if (!this.terminated) this.#startKeepalive();
        });
      } catch (err) {
        clearTimeout(timeout);
        this.#dropConnection(`keepalive ping failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, pingIntervalMs);
    this.#keepalive.unref();
  }

  #stopKeepalive(): void {
    if (this.#keepalive !== undefined) clearTimeout(this.#keepalive);
    this.#keepalive = undefined;
  }

  #dropConnection(message: string): void {
    this.#connectionError ??= message;
    this.session.destroy();
  }

  protected override terminate(): void {
    // As grpc-js' cancel(): RST_STREAM(CANCEL); the server sees CANCELLED.
    this.dropOutbox();
    this.#stopKeepalive();
    if (!this.stream.destroyed) this.stream.close(NGHTTP2_CANCEL);
  }

  protected override afterClose(): void {
    this.#stopKeepalive();
    // One connection per dial: when its call is over, the connection goes too.
    if (!this.session.destroyed) this.session.close();
    if (!this.session.destroyed) setImmediate(() => this.session.destroy());
  }
}

function statusFromHeaders(headers: http2.IncomingHttpHeaders): CloseReason {
  const code = Number(headers['grpc-status']);
  if (!Number.isInteger(code) || code < 0 || code > 16) {
    return errorClose(Status.UNKNOWN, `invalid grpc-status "${String(headers['grpc-status'])}"`);
  }
  if (code === Status.OK) return { kind: 'eof' };
  const raw = headers['grpc-message'];
  return errorClose(code, raw === undefined ? '' : percentDecode(String(raw)));
}

/** grpc-message is percent-encoded (PROTOCOL-HTTP2.md); undecodable text is passed through. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** doc/http-grpc-status-mapping.md */
function statusOfHttp(httpStatus: number): Status {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/** As grpc-js' subchannel-call.ts maps RST_STREAM codes without a status. */
function statusOfRstCode(code: number): Status {
  switch (code) {
    case NGHTTP2_REFUSED_STREAM:
      return Status.UNAVAILABLE;
    case NGHTTP2_CANCEL:
      return Status.CANCELLED;
    case NGHTTP2_ENHANCE_YOUR_CALM:
      return Status.RESOURCE_EXHAUSTED;
    case NGHTTP2_INADEQUATE_SECURITY:
      return Status.PERMISSION_DENIED;
    default:
      return Status.INTERNAL;
  }
}
