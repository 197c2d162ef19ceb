/**
 * One side of a stream played by a script (the conformance suites): what the script sends and what
 * the other side answers both go through a trace recorder (src/trace/recorder.ts), so both charts
 * follow the session and their findings are part of the verdict. Every wait is bounded.
 */
import type { Finding } from '../observe/findings.js';
import type { Message } from '../protocol/messages.js';
import type { Side } from '../protocol/violations.js';
import type { StreamTrace } from '../trace/recorder.js';
import type { FrameStream } from '../transport/index.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';

export type Next = Message | { closed: string } | { timeout: number };

export class ScriptedStream {
  readonly findings: Finding[] = [];
  private readonly inbox: Message[] = [];
  private waiter: (() => void) | undefined;
  private closedReason: string | undefined;
  private frames = 0;
  private readonly other: Side;

  constructor(
    private readonly stream: FrameStream,
    private readonly trace: StreamTrace,
    /** The side the script plays. */
    private readonly played: Side,
  ) {
    this.other = played === 'peer' ? 'chaincode' : 'peer';
    stream.onFrame((frame) => {
      this.frames++;
      this.findings.push(...(trace.frame(this.other, frame).findings ?? []));
      const decoded = decodeMessage(frame);
      if (decoded.ok) this.inbox.push(decoded.message);
      this.wake();
    });
    stream.onClose((r) => {
      this.closedReason = r.kind === 'error' ? `${r.codeName}: ${r.message}` : r.kind === 'eof' ? 'EOF' : `closed here${r.reason ? `: ${r.reason}` : ''}`;
      this.findings.push(...(trace.end(this.closedReason)?.findings ?? []));
      this.wake();
    });
  }

  /** Wakes a pending wait (also for events outside the stream, e.g. a process exit). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.max(1, ms));
      this.waiter = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  send(m: Message): void {
    this.sendFrame(encodeMessage(m));
  }

  /** Raw bytes as one frame (malformed input). */
  sendFrame(frame: Uint8Array): void {
    this.findings.push(...(this.trace.frame(this.played, frame).findings ?? []));
    this.stream.send(frame);
  }

  /** The other side's next message other than KEEPALIVE, or how the wait ended. */
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
      await this.sleep(left);
    }
  }

  /** Waits until nothing has arrived for `quietMs` (at most `maxMs`), so that what the other side
   *  sends after its last awaited answer (a second COMPLETED) is observed before the verdict. */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    let seen = this.frames;
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.frames === seen || Date.now() >= deadline || this.closedReason !== undefined) return;
      seen = this.frames;
    }
  }

  /** True once the stream has ended, or `also()` holds, within `timeoutMs`. */
  async ended(timeoutMs: number, also: () => boolean = () => false): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.closedReason === undefined && !also() && Date.now() < deadline) await this.sleep(Math.min(50, deadline - Date.now()));
    return this.closedReason !== undefined || also();
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  close(): void {
    this.stream.close();
  }
}

export const describeNext = (n: Next): string =>
  'closed' in n ? `the stream ended (${n.closed})` : 'timeout' in n ? `nothing within ${n.timeout} ms` : `${n.type} for ${JSON.stringify(n.txid)}`;
