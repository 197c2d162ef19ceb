/**
 * `FrameStream`: one uniform, frame-level view of a ChaincodeMessage bidi stream, whichever side of
 * the gRPC call we are on (server: Register / Connect handler; client: dialled Register / Connect).
The server end and grpc-js' client end are here; our own client end over node:http2 is in
http2Dial.ts, on the same base class.
 *
 * Guarantees:
 * - Frames are delivered in arrival order; frames are sent in `send()` order (one writer: all
 *   writes go through one FIFO into the one call object).
 * - Exactly one close notification per stream (`onClose` listeners and the `closed` promise), after
 *   every frame that was received before the end. Listeners registered later are called
 *   asynchronously with the stored reason.
 * - Nothing here throws into grpc-js or produces an unhandled rejection: an 'error' listener is
 *   attached to every grpc-js stream (grpc-js emits 'error' on cancel and on non-OK status), and
 *   exceptions from user listeners are caught (a throwing frame listener closes the stream with
 *   INTERNAL; a throwing close listener is reported with `process.emitWarning`).
 *
 * Backpressure (docs/decisions/0006-stream-backpressure.md): `send()` never blocks. When the
 * call's `write()` returns false we stop writing and keep further frames in an internal FIFO,
 * flushed on 'drain'. Every accepted frame counts as unsent until the call has taken it (its write
 * callback). Past `sendHighWaterBytes` of unsent replies (FrameOrigin) the stream stops reading from
 * the remote side (frames stay in the transport, so HTTP/2 flow control stops the sender) and reads
 * again once they are down to half of that; past `sendMaxQueuedBytes` of any unsent output, or when
 * it has stopped reading and nothing has been sent for `sendStallTimeoutMs`, the stream is closed
 * with RESOURCE_EXHAUSTED (the bookkeeping is in sendFlow.ts).
 */
import { status as Status } from '@grpc/grpc-js';
import type { ClientDuplexStream, ServerDuplexStream, StatusObject } from '@grpc/grpc-js';

import type { ResolvedLimits } from './options.js';
import { SendFlow } from './sendFlow.js';
import { asBuffer } from './serviceDefinitions.js';
import { resetServerCall } from './writeWindow.js';

export { Status };

/** The remote side ended the stream cleanly: the client half-closed (server view), or the server
 *  finished the call with status OK (client view). */
export interface EofClose {
  readonly kind: 'eof';
}

/** The call ended with a non-OK gRPC status or the transport failed (connection lost, cancelled by
 *  the remote side, message too large, …). */
export interface ErrorClose {
  readonly kind: 'error';
  /** gRPC status code (`@grpc/grpc-js` `status`). */
  readonly code: Status;
  /** Name of the code, e.g. `RESOURCE_EXHAUSTED`. */
  readonly codeName: string;
  /** Status details / error text. */
  readonly message: string;
}

/** This side called `close()` (or its listener was shut down). */
export interface LocalClose {
  readonly kind: 'local';
  readonly reason?: string;
}

export type CloseReason = EofClose | ErrorClose | LocalClose;

export type FrameListener = (frame: Uint8Array) => void;
export type CloseListener = (reason: CloseReason) => void;

/**
 * Why a frame is sent, for backpressure. `'reply'`: caused by what the remote side sent (the peer's
 * answers to shim requests, a chaincode's requests and results for the transactions it was given),
 * so reading less makes less of it: past the high-water mark of unsent replies the stream stops
 * reading. `'own'` (the default): this side's own initiative (a transaction the peer starts, a
 * REGISTER, a KEEPALIVE): reading less would not slow it down, and a side that stopped reading
 * because of it could deadlock with a remote side doing the same. Both count towards the hard cap.
 */
export type FrameOrigin = 'reply' | 'own';

export interface FrameStream {
  /** Which end of the gRPC call this is. */
  readonly side: 'server' | 'client';
  /** Full method path of the call (`/protos.ChaincodeSupport/Register` or `/protos.Chaincode/Connect`). */
  readonly method: string;
  /** Remote `ip:port` as grpc-js reports it (`unknown` if not available). */
  readonly remoteAddress: string;
  /** DER of the remote side's TLS certificate: the client certificate (server side, only when client
   *  certificates are requested) or the server certificate (client side). `undefined` without TLS. */
  readonly peerCertificateDer: Uint8Array | undefined;
  /** True once the close notification has been delivered. */
  readonly isClosed: boolean;
  /** The close reason once closed. */
  readonly closeReason: CloseReason | undefined;
  /** Frames waiting in the internal FIFO for the transport to drain. */
  readonly queuedFrames: number;
  /** Bytes accepted by `send()` that the transport has not taken yet (0 once the stream ended). */
  readonly unsentBytes: number;
  /** True while the stream has stopped reading because its output is backed up. */
  readonly readingPaused: boolean;
  /** Resolves (never rejects) with the close reason. */
  readonly closed: Promise<CloseReason>;

  /**
   * Queue one frame for sending. Returns false if the frame was dropped because the stream is already
   * finished (or the frame exceeds `maxSendMessageLength`, or the unsent output is over
   * `sendMaxQueuedBytes`: both also close the stream with RESOURCE_EXHAUSTED). Never throws for
   * transport reasons. `origin` says whether reading less would make less of such output: only
   * `'reply'` frames make the stream stop reading (see FrameOrigin).
   */
  send(frame: Uint8Array, origin?: FrameOrigin): boolean;
  /** Subscribe to incoming frames. Frames received before the first subscription are buffered and
   *  delivered (synchronously) on subscription. Returns an unsubscribe function. */
  onFrame(listener: FrameListener): () => void;
  /** Subscribe to the (single) close notification. Returns an unsubscribe function. */
  onClose(listener: CloseListener): () => void;
  /**
   * Close from this side. Server side: without `reason` the call ends with status OK (what Fabric's
   * Register returning nil does); with `reason` it ends with a non-OK status (default UNKNOWN —
   * what grpc-go reports for a handler's plain error, as Fabric's `HandleChaincodeStream` returns)
   * whose details are `reason`. Already-queued frames are flushed before the status. Client side: the
   * call is cancelled (the server sees CANCELLED; `reason` stays local) and its channel is closed.
   * The close notification is `{ kind: 'local', reason }` unless one was already delivered.
   * Idempotent.
   */
  close(reason?: string, code?: Status): void;
}

function statusName(code: number): string {
  return (Status as unknown as Record<number, string | undefined>)[code] ?? `CODE_${code}`;
}

export function errorClose(code: Status, message: string): ErrorClose {
  return { kind: 'error', code, codeName: statusName(code), message };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface QueuedFrame {
  readonly buf: Buffer;
  readonly reply: boolean;
}

/** Minimal FIFO with amortised O(1) shift. */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;
  get length(): number {
    return this.#items.length - this.#head;
  }
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/** The part of a call stream the common code writes to (a grpc-js stream, or http2Dial.ts' sink). */
export interface FrameSink {
  /** `done` is called once the call has taken the chunk (or dropped it, when the call is gone). */
  write(chunk: Buffer, done: () => void): boolean;
  on(event: 'drain', listener: () => void): unknown;
  /** Stop / restart taking messages from the remote side (grpc-js' calls read on demand). */
  pause(): unknown;
  resume(): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
}

export abstract class DuplexFrameStream implements FrameStream {
  abstract readonly side: 'server' | 'client';
  readonly closed: Promise<CloseReason>;

  /** Set once the underlying call is finished from our point of view: sends are dropped. */
  protected terminated = false;

  #reason: CloseReason | undefined;
  #resolveClosed!: (reason: CloseReason) => void;
  #frameListeners: FrameListener[] = [];
  #closeListeners: CloseListener[] = [];
  #inbox = new Fifo<Uint8Array>();
  #outbox = new Fifo<QueuedFrame>();
  #awaitingDrain = false;
  readonly #flow: SendFlow;
  protected readonly maxSendMessageLength: number;

  protected constructor(
    protected readonly duplex: FrameSink,
    readonly method: string,
    limits: ResolvedLimits,
  ) {
    this.maxSendMessageLength = limits.maxSendMessageLength;
    this.#flow = new SendFlow(limits, {
      setReading: (on) => {
        if (this.isClosed) return;
        this.setReading(on);
        if (on) this.#drainInbox();
      },
      stalled: (message) => this.fail(Status.RESOURCE_EXHAUSTED, message),
    });
    this.closed = new Promise<CloseReason>((resolve) => {
      this.#resolveClosed = resolve;
    });
    duplex.on('drain', () => {
      this.#awaitingDrain = false;
      this.#flushOutbox(false);
    });
  }

  abstract readonly remoteAddress: string;
  abstract readonly peerCertificateDer: Uint8Array | undefined;

  get isClosed(): boolean {
    return this.#reason !== undefined;
  }
  get closeReason(): CloseReason | undefined {
    return this.#reason;
  }
  get queuedFrames(): number {
    return this.#outbox.length;
  }
  get unsentBytes(): number {
    return this.terminated ? 0 : this.#flow.unsentBytes;
  }
  get readingPaused(): boolean {
    return this.#flow.paused;
  }

  send(frame: Uint8Array, origin: FrameOrigin = 'own'): boolean {
    if (this.terminated || this.#reason !== undefined) return false;
    const buf = asBuffer(frame);
    if (this.maxSendMessageLength >= 0 && buf.byteLength > this.maxSendMessageLength) {
      // Checked here rather than left to grpc-js so that both sides get a precise reason: grpc-js
      // would end a server call with RESOURCE_EXHAUSTED but report only 'cancelled' to the handler.
      this.fail(
        Status.RESOURCE_EXHAUSTED,
        `frame of ${buf.byteLength} bytes exceeds the max send message length ${this.maxSendMessageLength}`,
      );
      return false;
    }
    const refusal = this.#flow.refusal();
    if (refusal !== undefined) {
      this.fail(Status.RESOURCE_EXHAUSTED, refusal);
      return false;
    }
    const reply = origin === 'reply';
    this.#flow.accepted(buf.byteLength, reply); // counted before the write can report it taken
    if (this.#awaitingDrain || this.#outbox.length > 0) {
      this.#outbox.push({ buf, reply });
    } else if (!this.#write(buf, reply)) {
      this.#awaitingDrain = true;
    }
    return true;
  }

  #write(buf: Buffer, reply: boolean): boolean {
    const size = buf.byteLength;
    return this.duplex.write(buf, () => {
      if (!this.terminated) this.#flow.taken(size, reply);
    });
  }

  /** Stop (false) or restart (true) taking frames from the remote side, so that the transport's
   *  flow control holds the sender back. grpc-js reads a call's messages on demand
   *  (ServerDuplexStreamImpl / ClientDuplexStreamImpl `_read` → startRead): a paused call stops
   *  asking, its HTTP/2 stream is paused and the flow-control window fills. */
  protected setReading(on: boolean): void {
    if (on) this.duplex.resume();
    else this.duplex.pause();
  }

  onFrame(listener: FrameListener): () => void {
    this.#frameListeners.push(listener);
    this.#drainInbox();
    return () => {
      this.#frameListeners = this.#frameListeners.filter((l) => l !== listener);
    };
  }

  onClose(listener: CloseListener): () => void {
    const reason = this.#reason;
    if (reason !== undefined) {
      let active = true;
      queueMicrotask(() => {
        if (active) this.#callCloseListener(listener, reason);
      });
      return () => {
        active = false;
      };
    }
    this.#closeListeners.push(listener);
    return () => {
      this.#closeListeners = this.#closeListeners.filter((l) => l !== listener);
    };
  }

  close(reason?: string, code: Status = Status.UNKNOWN): void {
    if (this.terminated) return;
    this.terminated = true;
    this.terminate(reason, code);
    this.notifyClose(reason === undefined ? { kind: 'local' } : { kind: 'local', reason });
  }

  /** Stop without writing anything further (used when the owning listener shuts down). */
  abort(reason: string): void {
    if (this.terminated && this.#reason !== undefined) return;
    this.terminated = true;
    this.dropOutbox();
    this.notifyClose({ kind: 'local', reason });
  }

  /** End the call from our side with an error we detected locally. */
  protected fail(code: Status, message: string): void {
    if (this.terminated) return;
    this.terminated = true;
    this.terminate(message, code);
    this.notifyClose(errorClose(code, message));
  }

  /** Transport-specific ending of the call (status / cancel). Called at most once. */
  protected abstract terminate(reason: string | undefined, code: Status): void;

  /** Hook run once after the close notification (resource cleanup). */
  protected afterClose(): void {}

  /** Write every queued frame into the grpc-js stream, ignoring backpressure when `force`. */
  protected flushOutboxForEnd(): void {
    this.#flushOutbox(true);
  }

  /** Forget queued frames (the call is over: nothing more is counted either). */
  protected dropOutbox(): void {
    this.#outbox.clear();
    this.#flow.reset();
  }

  #flushOutbox(force: boolean): void {
    while (this.#outbox.length > 0 && (force || !this.#awaitingDrain)) {
      if (this.duplex.destroyed || this.duplex.writableEnded) {
        this.dropOutbox();
        return;
      }
      const { buf, reply } = this.#outbox.shift() as QueuedFrame;
      if (!this.#write(buf, reply)) this.#awaitingDrain = true;
    }
  }

  /** Incoming frame from the transport. */
  protected deliverFrame(frame: Uint8Array): void {
    if (this.#reason !== undefined) return; // closed: late frames are dropped
    if (this.#frameListeners.length === 0 || this.#inbox.length > 0 || this.#flow.paused) {
      // No listener yet, frames ahead of this one, or reading stopped (frames the transport had
      // already taken when it was told to stop wait here, in order).
      this.#inbox.push(frame);
      return;
    }
    this.#dispatchFrame(frame);
  }

  /** Hand waiting frames to the listeners, as long as there are listeners and reading is on. */
  #drainInbox(): void {
    while (this.#inbox.length > 0 && this.#frameListeners.length > 0 && !this.#flow.paused && this.#reason === undefined) {
      this.#dispatchFrame(this.#inbox.shift() as Uint8Array);
    }
  }

  #dispatchFrame(frame: Uint8Array): void {
    for (const listener of this.#frameListeners) {
      try {
        listener(frame);
      } catch (err) {
        this.fail(Status.INTERNAL, `frame listener threw: ${errorText(err)}`);
        return;
      }
    }
  }

  /** Deliver the single close notification (no-op after the first). */
  protected notifyClose(reason: CloseReason): void {
    if (this.#reason !== undefined) return;
    // Frames received before the end are delivered before the close, even those held back while
    // reading was stopped.
    this.#flow.reset();
    this.#drainInbox();
    if (this.#reason !== undefined) return; // a listener closed the stream meanwhile
    this.#reason = reason;
    this.terminated = true;
    this.dropOutbox();
    const listeners = this.#closeListeners;
    this.#closeListeners = [];
    for (const listener of listeners) this.#callCloseListener(listener, reason);
    this.#resolveClosed(reason);
    try {
      this.afterClose();
    } catch (err) {
      process.emitWarning(`ccproto transport: cleanup after close failed: ${errorText(err)}`);
    }
  }

  #callCloseListener(listener: CloseListener, reason: CloseReason): void {
    try {
      listener(reason);
    } catch (err) {
      process.emitWarning(`ccproto transport: close listener threw: ${errorText(err)}`);
    }
  }
}

/** How long a server stream waits after the client's half-close before reporting a clean EOF
 *  (see ServerFrameStream#onRemoteEof). */
export const EOF_SETTLE_MS = 25;

/** Pulls the DER bytes out of a grpc-js AuthContext certificate, if any. */
function certDer(cert: { raw?: Buffer } | undefined | null): Uint8Array | undefined {
  const raw = cert?.raw;
  return raw !== undefined && raw.byteLength > 0 ? raw : undefined;
}

/**
 * Server end of a Register / Connect call.
 *
 * grpc-js server-call facts relied on (build/src/server.js `handleBidiStreaming`,
 * server-call.js `ServerDuplexStreamImpl`):
 * - client half-close → the readable side ends ('end');
 * - cancel by the client, connection loss, and also grpc-js' own rejections of the call (e.g. an
 *   incoming message above `grpc.max_receive_message_length`, which grpc-js answers with status
 *   RESOURCE_EXHAUSTED to the client) → 'cancelled' then destroy → 'close'. The handler cannot tell
 *   these apart; we report them as CANCELLED;
 * - `emit('error', {code, details})` sets the final status and ends the call after buffered writes.
 */
export class ServerFrameStream extends DuplexFrameStream {
  readonly side = 'server' as const;
  readonly remoteAddress: string;
  readonly peerCertificateDer: Uint8Array | undefined;

  constructor(
    private readonly call: ServerDuplexStream<Uint8Array, Uint8Array>,
    method: string,
    limits: ResolvedLimits,
  ) {
    super(asSink(call), method, limits);
    this.remoteAddress = safe(() => call.getPeer(), 'unknown');
    this.peerCertificateDer = safe(() => certDer(call.getAuthContext()?.sslPeerCertificate), undefined);
    call.on('data', (frame: Uint8Array) => this.deliverFrame(frame));
    call.on('end', () => this.#onRemoteEof());
    call.on('cancelled', () =>
      this.#onTransportGone(
        'call cancelled: the client cancelled it, the connection was lost, or grpc-js rejected it ' +
          '(e.g. an incoming message above maxReceiveMessageLength)',
      ),
    );
    call.on('error', (err: unknown) => {
      // Errors we emit ourselves to set the status arrive here after `terminated` is set.
      if (this.terminated) return;
      const e = err as { code?: unknown; details?: unknown };
      const code = typeof e.code === 'number' ? (e.code as Status) : Status.UNKNOWN;
      const details = typeof e.details === 'string' ? e.details : errorText(err);
      this.terminated = true;
      this.notifyClose(errorClose(code, details));
    });
    call.on('close', () => {
      if (this.#linger !== undefined) clearTimeout(this.#linger);
      this.#onTransportGone('stream closed before the call ended');
    });
  }

  /** Armed when we end the call: resets it if the client has not taken the end by then. */
  #linger: NodeJS.Timeout | undefined;

  #onRemoteEof(): void {
    if (this.terminated || this.#eofTimer !== undefined) return;
    // A grpc-js client's cancel() reaches us as END_STREAM immediately followed by RST_STREAM
    // (Node's Http2Stream#close() ends the writable side before resetting), and Node surfaces the
    // two in separate event-loop turns: 'end' first, 'cancelled' a moment later. Wait briefly so a
    // cancel is reported as CANCELLED rather than as a clean EOF.
    this.#eofTimer = setTimeout(() => {
      this.#eofTimer = undefined;
      if (this.terminated) return;
      // Fabric's handler returns on EOF (core/chaincode/handler.go ProcessStream), ending the RPC.
      // Frames still queued for 'drain' go into the call first, so they precede whatever status
      // follows. A close listener may choose that status by calling close(reason) synchronously;
      // otherwise the call ends with OK.
      this.flushOutboxForEnd();
      this.notifyClose({ kind: 'eof' });
      if (!this.endedByUs) this.#end(undefined, Status.OK);
    }, EOF_SETTLE_MS);
  }

  #eofTimer: NodeJS.Timeout | undefined;

  protected override afterClose(): void {
    if (this.#eofTimer !== undefined) {
      clearTimeout(this.#eofTimer);
      this.#eofTimer = undefined;
    }
  }

  #onTransportGone(message: string): void {
    if (this.isClosed) return;
    this.terminated = true;
    this.notifyClose(errorClose(Status.CANCELLED, message));
  }

  private endedByUs = false;

  protected override terminate(reason: string | undefined, code: Status): void {
    this.#end(reason, code);
  }

  override close(reason?: string, code: Status = Status.UNKNOWN): void {
    // After an EOF notification the call may still be open: allow choosing its final status.
    if (this.isClosed && this.closeReason?.kind === 'eof' && !this.endedByUs) {
      this.#end(reason, reason === undefined ? Status.OK : code);
      return;
    }
    super.close(reason, code);
  }

  #end(reason: string | undefined, code: Status): void {
    if (this.endedByUs) return;
    this.endedByUs = true;
    this.terminated = true;
    const call = this.call;
    if (call.destroyed || call.writableEnded) return;
    this.flushOutboxForEnd();
    try {
      if (reason === undefined || code === Status.OK) {
        call.end();
      } else {
        // ServerDuplexStreamImpl turns an 'error' event into the final status (serverErrorToStatus).
        call.emit('error', Object.assign(new Error(reason), { code, details: reason }));
      }
    } catch (err) {
      process.emitWarning(`ccproto transport: ending server call failed: ${errorText(err)}`);
    }
    // The status follows the frames already queued, so a client that does not read never gets it
    // and the call would hold those frames until the connection goes (writeWindow.ts).
    this.#linger = setTimeout(() => resetServerCall(call), CLOSE_LINGER_MS);
    this.#linger.unref();
  }
}

/** How long a call we ended may take to deliver its end before it is reset. */
export const CLOSE_LINGER_MS = 5_000;

/**
 * Client end of a dialled Register / Connect call.
 *
 * grpc-js client facts relied on (build/src/client.js `makeBidiStreamRequest`): when the call ends it
 * pushes end-of-stream, emits 'error' if the status is not OK, then 'status' (exactly once). Messages
 * received before the status may still be buffered in the readable side at that moment, so the
 * close notification waits for the readable 'end' (or 'close') to keep "frames before close".
 */
export class ClientFrameStream extends DuplexFrameStream {
  readonly side = 'client' as const;
  #pending: CloseReason | undefined;
  #readEnded = false;

  constructor(
    private readonly call: ClientDuplexStream<Uint8Array, Uint8Array>,
    method: string,
    limits: ResolvedLimits,
    private readonly onFinished: () => void,
  ) {
    super(asSink(call), method, limits);
    call.on('data', (frame: Uint8Array) => this.deliverFrame(frame));
    call.on('error', () => {
      /* the 'status' event that follows carries code and details */
    });
    call.on('status', (s: StatusObject) => {
      this.terminated = true;
      this.dropOutbox();
      if (this.#pending === undefined) {
        this.#pending = s.code === Status.OK ? { kind: 'eof' } : errorClose(s.code, s.details);
      }
      this.#maybeNotify();
    });
    call.on('end', () => {
      this.#readEnded = true;
      this.#maybeNotify();
    });
    call.on('close', () => {
      this.#readEnded = true;
      if (this.#pending === undefined) {
        this.#pending = errorClose(Status.UNKNOWN, 'stream closed without a status');
      }
      this.#maybeNotify();
    });
  }

  get remoteAddress(): string {
    return safe(() => this.call.getPeer(), 'unknown');
  }

  get peerCertificateDer(): Uint8Array | undefined {
    return safe(() => certDer(this.call.getAuthContext()?.sslPeerCertificate), undefined);
  }

  #maybeNotify(): void {
    if (this.#pending !== undefined && this.#readEnded) this.notifyClose(this.#pending);
  }


  protected override terminate(): void {
    this.dropOutbox();
    try {
      this.call.cancel();
    } catch (err) {
      process.emitWarning(`ccproto transport: cancelling client call failed: ${errorText(err)}`);
    }
  }

  protected override afterClose(): void {
    this.onFinished();
  }
}

/** A grpc-js call as a FrameSink: Writable's write callback is the "taken" notification. */
function asSink(call: ServerDuplexStream<Uint8Array, Uint8Array> | ClientDuplexStream<Uint8Array, Uint8Array>): FrameSink {
  return {
    write: (chunk, done) => call.write(chunk, done),
    on: (event, listener) => call.on(event, listener),
    pause: () => call.pause(),
    resume: () => call.resume(),
    get destroyed() {
      return call.destroyed;
    },
    get writableEnded() {
      return call.writableEnded;
    },
  };
}

function safe<T, D>(fn: () => T, fallback: D): T | D {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
