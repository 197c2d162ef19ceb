/**
 * An external chaincode implementation under test: `ccproto conform chaincode` starts it as Fabric's
 * launcher does (the command with `--peer.address=HOST:PORT` appended; CORE_CHAINCODE_ID_NAME,
 * CORE_PEER_ADDRESS, CORE_PEER_TLS_ENABLED=false, CORE_PEER_LOCALMSPID in its environment) against a
 * listener of ours, and plays the peer on the stream it opens frame by frame, so that a scenario can
 * send anything — also what no peer would. Every frame both ways goes through a trace recorder
 * (src/trace/recorder.ts): both charts follow the session, and what they find is part of the verdict.
 * Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Message } from '../protocol/messages.js';
import { TraceRecorder, type StreamTrace } from '../trace/recorder.js';
import type { Finding } from '../observe/findings.js';
import { listenChaincodeSupport, type FrameListenerHandle, type FrameStream } from '../transport/index.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';

export const CONFORM_CHAINCODE_NAME = 'conform:1.0';

export type Next = Message | { closed: string } | { timeout: number };

export interface LaunchOptions {
  /** How long the process may take to dial and send its first frame (JVMs take a few seconds). */
  startTimeoutMs: number;
  /** Extra environment for the process. */
  env?: Record<string, string>;
}

export class ChaincodeUnderTest {
  readonly findings: Finding[] = [];
  private readonly inbox: Message[] = [];
  private waiter: (() => void) | undefined;
  private closedReason: string | undefined;
  private exitCode: number | null | undefined;
  private frames = 0;
  private readonly trace: StreamTrace;

  private constructor(
    private readonly listener: FrameListenerHandle,
    private readonly proc: ChildProcess,
    private readonly stream: FrameStream,
    recorder: TraceRecorder,
    /** The session's trace, line by line (src/trace/format.ts). */
    readonly lines: string[],
    private output: string,
  ) {
    this.trace = recorder.open('register', stream.remoteAddress);
    stream.onFrame((frame) => {
      this.frames++;
      const record = this.trace.frame('chaincode', frame);
      this.findings.push(...(record.findings ?? []));
      const decoded = decodeMessage(frame);
      if (decoded.ok) this.inbox.push(decoded.message);
      this.wake();
    });
    stream.onClose((r) => {
      this.closedReason = r.kind === 'error' ? `${r.codeName}: ${r.message}` : r.kind === 'eof' ? 'EOF' : `closed here${r.reason ? `: ${r.reason}` : ''}`;
      this.findings.push(...(this.trace.end(this.closedReason)?.findings ?? []));
      this.wake();
    });
  }

  /** Starts `command` and waits for its stream. */
  static async launch(command: readonly string[], options: LaunchOptions): Promise<ChaincodeUnderTest> {
    const lines: string[] = [];
    const recorder = new TraceRecorder((l) => void lines.push(l));
    let accept!: (s: FrameStream) => void;
    const accepted = new Promise<FrameStream>((r) => (accept = r));
    const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (s) => accept(s));
    const [file, ...args] = command;
    const proc = spawn(file!, [...args, `--peer.address=${listener.address}`], {
      env: {
        ...process.env,
        CORE_CHAINCODE_ID_NAME: CONFORM_CHAINCODE_NAME,
        CORE_PEER_ADDRESS: listener.address,
        CORE_PEER_TLS_ENABLED: 'false',
        CORE_PEER_LOCALMSPID: 'Org1MSP',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => void (output = (output + d.toString()).slice(-20_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const exited = new Promise<string>((r) => proc.once('exit', (code, signal) => r(`exited (${signal ?? code}) before dialling`)));
    const failed = new Promise<string>((r) => proc.once('error', (e) => r(`could not start: ${e.message}`)));
    const timer = new Promise<string>((r) => setTimeout(() => r(`did not dial within ${options.startTimeoutMs} ms`), options.startTimeoutMs).unref());
    const first = await Promise.race([accepted, exited, failed, timer]);
    if (typeof first === 'string') {
      proc.kill('SIGKILL');
      await listener.close();
      throw new Error(`the chaincode ${first}; its output:\n${output}`);
    }
    const cut = new ChaincodeUnderTest(listener, proc, first, recorder, lines, output);
    proc.stdout!.on('data', (d: Buffer) => cut.appendOutput(d));
    proc.stderr!.on('data', (d: Buffer) => cut.appendOutput(d));
    proc.once('exit', (code, signal) => {
      cut.exitCode = code ?? (signal ? -1 : null);
      cut.wake();
    });
    return cut;
  }

  private appendOutput(d: Buffer): void {
    this.output = (this.output + d.toString()).slice(-20_000);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Sends a message as the peer (traced and observed like every frame). */
  send(m: Message): void {
    this.sendFrame(encodeMessage(m));
  }

  /** Sends raw bytes as a frame (malformed input). */
  sendFrame(frame: Uint8Array): void {
    const record = this.trace.frame('peer', frame);
    this.findings.push(...(record.findings ?? []));
    this.stream.send(frame);
  }

  /** The chaincode's next message other than a KEEPALIVE echo, or how the wait ended. */
  async next(timeoutMs: number): Promise<Next> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.inbox.length) {
        const m = this.inbox.shift()!;
        if (m.type !== 'KEEPALIVE') return m;
      }
      if (this.closedReason !== undefined) return { closed: this.closedReason };
      const left = deadline - Date.now();
      if (left <= 0) return { timeout: timeoutMs };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /**
   * Waits until nothing has arrived for `quietMs` (at most `maxMs`): what a chaincode sends after
   * its last awaited answer (a second COMPLETED) is then observed before the verdict.
   */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    let seen = this.frames;
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.frames === seen || Date.now() >= deadline || this.closedReason !== undefined) return;
      seen = this.frames;
    }
  }

  /** Resolves true when the stream has ended (or the process exited) within `timeoutMs`. */
  async ended(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.closedReason === undefined && this.exitCode === undefined && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now())));
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    return this.closedReason !== undefined || this.exitCode !== undefined;
  }

  get processExited(): boolean {
    return this.exitCode !== undefined;
  }

  get streamClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** The process's last output (for a failure report). */
  get log(): string {
    return this.output;
  }

  /** Ends the stream and the process (SIGTERM, then SIGKILL after 2 s) and the listener. */
  async stop(): Promise<void> {
    this.stream.close();
    if (this.exitCode === undefined) {
      this.proc.kill('SIGTERM');
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 2_000);
      await new Promise<void>((r) => (this.exitCode !== undefined ? r() : this.proc.once('exit', () => r())));
      clearTimeout(killer);
    }
    await this.listener.close();
  }
}
