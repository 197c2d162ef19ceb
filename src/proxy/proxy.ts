/**
 * `ccproto proxy`: a man in the middle for peer ⇄ chaincode streams that forwards every frame
 * unchanged and in order, and traces it (src/trace/recorder.ts: decoded, both charts, findings).
 *
 *   register (default)  chaincodes dial the proxy as if it were the peer (ChaincodeSupport/Register);
 *                       for each stream the proxy dials the upstream peer.
 *   ccaas               the peer dials the proxy as if it were the chaincode server (Chaincode/Connect);
 *                       for each stream the proxy dials the real chaincode server.
 *
 * A frame is forwarded before it is decoded and traced, so tracing adds no latency in front of it.
 * Frames that arrive before the upstream stream is open (the REGISTER a chaincode sends at once)
 * wait in order, up to `maxEarlyBytes`. When either stream ends, the other is ended the same way
 * (EOF as EOF, an error status with its message), and the trace gets the stream's `end`.
 */
import type { Side } from '../protocol/violations.js';
import type { TraceRecorder, StreamTrace } from '../trace/recorder.js';
import {
  dialChaincodeServer,
  dialChaincodeSupport,
  listenChaincodeServer,
  listenChaincodeSupport,
  Status,
  type ClientTlsOptions,
  type CloseReason,
  type FrameListenerHandle,
  type FrameStream,
  type ServerTlsOptions,
} from '../transport/index.js';
import type { Finding } from '../observe/findings.js';

export interface ProxyOptions {
  mode: 'register' | 'ccaas';
  listen: { host: string; port: number; tls?: ServerTlsOptions };
  upstream: { address: string; tls?: ClientTlsOptions; dialTimeoutMs?: number };
  recorder: TraceRecorder;
  /** Bytes of frames held while the upstream stream opens (default 4 MiB); more ends the stream. */
  maxEarlyBytes?: number;
  /** Each finding as it is found (e.g. to log it). */
  onFinding?: (stream: number, finding: Finding) => void;
  /** A stream could not be forwarded (the upstream dial failed, too many early bytes). */
  onError?: (stream: number, message: string) => void;
}

export interface ProxyHandle {
  /** `host:port` the proxy listens on. */
  readonly address: string;
  /** Streams open now. */
  readonly activeStreams: number;
  /** Stop listening and end every stream (each gets its trace `end`). */
  close(): Promise<void>;
}

const DEFAULT_MAX_EARLY_BYTES = 4 * 1024 * 1024;

export async function startProxy(options: ProxyOptions): Promise<ProxyHandle> {
  const pairs = new Set<Pair>();
  const onStream = (down: FrameStream, info: { remoteAddress: string }): void => {
    const pair = new Pair(down, info.remoteAddress, options, () => pairs.delete(pair));
    pairs.add(pair);
  };
  const listenOptions = { host: options.listen.host, port: options.listen.port, ...(options.listen.tls ? { tls: options.listen.tls } : {}) };
  const listener: FrameListenerHandle =
    options.mode === 'register' ? await listenChaincodeSupport(listenOptions, onStream) : await listenChaincodeServer(listenOptions, onStream);
  return {
    address: listener.address,
    get activeStreams() {
      return pairs.size;
    },
    async close() {
      for (const p of pairs) p.stop('proxy closed');
      await listener.close();
    },
  };
}

/** One proxied stream: the accepted one (`down`) and the one the proxy dials (`up`). */
class Pair {
  private up: FrameStream | undefined;
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private done = false;
  private readonly trace: StreamTrace;
  /** Which side speaks on the accepted stream. */
  private readonly downSide: Side;
  private readonly upSide: Side;

  constructor(
    private readonly down: FrameStream,
    remote: string,
    private readonly options: ProxyOptions,
    private readonly onDone: () => void,
  ) {
    this.downSide = options.mode === 'register' ? 'chaincode' : 'peer';
    this.upSide = this.downSide === 'peer' ? 'chaincode' : 'peer';
    this.trace = options.recorder.open(options.mode, remote);
    down.onFrame((frame) => this.fromDown(frame));
    down.onClose((reason) => this.closedBy(down, reason));
    void this.dial();
  }

  private async dial(): Promise<void> {
    const dialOptions = {
      address: this.options.upstream.address,
      ...(this.options.upstream.tls ? { tls: this.options.upstream.tls } : {}),
      ...(this.options.upstream.dialTimeoutMs ? { dialTimeoutMs: this.options.upstream.dialTimeoutMs } : {}),
    };
    let up: FrameStream;
    try {
      up = this.options.mode === 'register' ? await dialChaincodeSupport(dialOptions) : await dialChaincodeServer(dialOptions);
    } catch (err) {
      const message = `upstream ${this.options.upstream.address}: ${err instanceof Error ? err.message : String(err)}`;
      this.options.onError?.(this.trace.id, message);
      this.finish(message);
      this.down.close(message, Status.UNAVAILABLE);
      return;
    }
    if (this.done) {
      up.close();
      return;
    }
    this.up = up;
    for (const frame of this.early) up.send(frame);
    this.early = [];
    up.onFrame((frame) => {
      this.down.send(frame);
      this.observe(this.upSide, frame);
    });
    up.onClose((reason) => this.closedBy(up, reason));
  }

  private fromDown(frame: Uint8Array): void {
    if (this.up) this.up.send(frame);
    else {
      this.earlyBytes += frame.length;
      if (this.earlyBytes > (this.options.maxEarlyBytes ?? DEFAULT_MAX_EARLY_BYTES)) {
        const message = `more than ${this.options.maxEarlyBytes ?? DEFAULT_MAX_EARLY_BYTES} bytes arrived before the upstream stream opened`;
        this.options.onError?.(this.trace.id, message);
        this.stop(message, Status.RESOURCE_EXHAUSTED);
        return;
      }
      this.early.push(frame);
    }
    this.observe(this.downSide, frame);
  }

  private observe(from: Side, frame: Uint8Array): void {
    const record = this.trace.frame(from, frame);
    if (this.options.onFinding) for (const f of record.findings ?? []) this.options.onFinding(this.trace.id, f);
  }

  /** One side's stream ended: end the other the same way. */
  private closedBy(which: FrameStream, reason: CloseReason): void {
    const other = which === this.down ? this.up : this.down;
    const text = describe(reason);
    this.finish(`${which === this.down ? this.downSide : this.upSide} side: ${text}`);
    if (other && !other.isClosed) {
      if (reason.kind === 'error') other.close(reason.message || reason.codeName, reason.code);
      else other.close();
    }
  }

  /** End both streams from the proxy. */
  stop(reason: string, code: Status = Status.UNAVAILABLE): void {
    this.finish(`proxy: ${reason}`);
    this.down.close(reason, code);
    this.up?.close(reason, code);
  }

  private finish(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.early = [];
    const record = this.trace.end(reason);
    if (this.options.onFinding) for (const f of record?.findings ?? []) this.options.onFinding(this.trace.id, f);
    this.onDone();
  }
}

function describe(reason: CloseReason): string {
  switch (reason.kind) {
    case 'eof':
      return 'EOF';
    case 'error':
      return `${reason.codeName}: ${reason.message}`;
    case 'local':
      return `closed${reason.reason ? `: ${reason.reason}` : ''}`;
  }
}
