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
import { TraceRecorder } from '../trace/recorder.js';
import type { Finding } from '../observe/findings.js';
import { listenChaincodeSupport, type FrameListenerHandle, type FrameStream } from '../transport/index.js';
import { ScriptedStream, type Next } from './scriptedStream.js';

export type { Next } from './scriptedStream.js';

export const CONFORM_CHAINCODE_NAME = 'conform:1.0';

export interface LaunchOptions {
  /** How long the process may take to dial and send its first frame (JVMs take a few seconds). */
  startTimeoutMs: number;
  /** Extra environment for the process. */
  env?: Record<string, string>;
}

export class ChaincodeUnderTest {
  private exitCode: number | null | undefined;
  private readonly session: ScriptedStream;

  private constructor(
    private readonly listener: FrameListenerHandle,
    private readonly proc: ChildProcess,
    stream: FrameStream,
    recorder: TraceRecorder,
    /** The session's trace, line by line (src/trace/format.ts). */
    readonly lines: string[],
    private output: string,
  ) {
    this.session = new ScriptedStream(stream, recorder.open('register', stream.remoteAddress), 'peer');
    proc.stdout!.on('data', (d: Buffer) => this.appendOutput(d));
    proc.stderr!.on('data', (d: Buffer) => this.appendOutput(d));
    proc.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      this.session.wake();
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
    proc.stdout!.off('data', keep);
    proc.stderr!.off('data', keep);
    if (typeof first === 'string') {
      proc.kill('SIGKILL');
      await listener.close();
      throw new Error(`the chaincode ${first}; its output:\n${output}`);
    }
    return new ChaincodeUnderTest(listener, proc, first, recorder, lines, output);
  }

  private appendOutput(d: Buffer): void {
    this.output = (this.output + d.toString()).slice(-20_000);
  }

  get findings(): Finding[] {
    return this.session.findings;
  }

  send(m: Message): void {
    this.session.send(m);
  }

  sendFrame(frame: Uint8Array): void {
    this.session.sendFrame(frame);
  }

  next(timeoutMs: number): Promise<Next> {
    return this.session.next(timeoutMs);
  }

  settle(quietMs: number, maxMs: number): Promise<void> {
    return this.session.settle(quietMs, maxMs);
  }

  /** True once the stream has ended or the process exited, within `timeoutMs`. */
  ended(timeoutMs: number): Promise<boolean> {
    return this.session.ended(timeoutMs, () => this.exitCode !== undefined);
  }

  get processExited(): boolean {
    return this.exitCode !== undefined;
  }

  get streamClosed(): boolean {
    return this.session.closed;
  }

  /** The process's last output (for a failure report). */
  get log(): string {
    return this.output;
  }

  /** Ends the stream (as a peer that goes away); the process is left to react. */
  closeStream(): void {
    this.session.close();
  }

  /** Ends the stream and the process (SIGTERM, then SIGKILL after 2 s) and the listener. */
  async stop(): Promise<void> {
    this.session.close();
    if (this.exitCode === undefined) {
      this.proc.kill('SIGTERM');
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 2_000);
      await new Promise<void>((r) => (this.exitCode !== undefined ? r() : this.proc.once('exit', () => r())));
      clearTimeout(killer);
    }
    await this.listener.close();
  }
}
