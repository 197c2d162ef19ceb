/**
 * The backpressure bookkeeping of one stream end (docs/decisions/0006-stream-backpressure.md): the
 * bytes `send()` accepted that the call has not taken yet, and the decisions they lead to — stop
 * reading past the high-water mark of unsent replies, read again at half of it, refuse past the
 * hard cap, and give up on a stream that stopped reading and has sent nothing for the stall timeout.
 * frameStream.ts owns the stream; this file only counts and decides.
 */
import type { ResolvedLimits } from './options.js';

export interface SendFlowHooks {
  /** Stop (false) or restart (true) reading from the remote side. */
  setReading(on: boolean): void;
  /** The stream stopped reading and nothing could be sent for the stall timeout. */
  stalled(message: string): void;
}

export class SendFlow {
  /** Bytes accepted and not yet taken by the call, and the part of them that is replies. */
  #unsent = 0;
  #unsentReplies = 0;
  #paused = false;
  /** When the output last moved (a write was taken), for the stall timeout. */
  #lastProgress = 0;
  #stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: ResolvedLimits,
    private readonly hooks: SendFlowHooks,
  ) {}

  get unsentBytes(): number {
    return this.#unsent;
  }
  get paused(): boolean {
    return this.#paused;
  }

  /** Why one more frame must be refused (the hard cap), or undefined. Checked before the frame, so
   *  that one frame of any allowed size is always accepted. */
  refusal(): string | undefined {
    if (this.#unsent <= this.limits.sendMaxQueuedBytes) return undefined;
    return (
      `${this.#unsent} bytes are waiting to be sent, more than sendMaxQueuedBytes (${this.limits.sendMaxQueuedBytes}): ` +
      'the remote side does not read what it is sent'
    );
  }

  /** A frame of `size` bytes was accepted. */
  accepted(size: number, reply: boolean): void {
    this.#unsent += size;
    if (!reply) return;
    this.#unsentReplies += size;
    if (!this.#paused && this.#unsentReplies >= this.limits.sendHighWaterBytes) {
      this.#paused = true;
      this.#lastProgress = performance.now();
      this.hooks.setReading(false);
      this.#armStallTimer(this.limits.sendStallTimeoutMs);
    }
  }

  /** The call took a frame of `size` bytes. */
  taken(size: number, reply: boolean): void {
    this.#unsent -= size;
    if (reply) this.#unsentReplies -= size;
    this.#lastProgress = performance.now();
    if (this.#paused && this.#unsentReplies <= this.limits.sendHighWaterBytes / 2) {
      this.#paused = false;
      this.#clearStallTimer();
      this.hooks.setReading(true);
    }
  }

  /** The stream is over: forget everything, decide nothing more. */
  reset(): void {
    this.#unsent = 0;
    this.#unsentReplies = 0;
    this.#paused = false;
    this.#clearStallTimer();
  }

  #armStallTimer(ms: number): void {
    const stall = this.limits.sendStallTimeoutMs;
    if (!(stall > 0)) return;
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined;
      if (!this.#paused) return;
      const idle = performance.now() - this.#lastProgress;
      if (idle < stall) {
        this.#armStallTimer(stall - idle);
        return;
      }
      this.hooks.stalled(
        `nothing could be sent for ${stall} ms (sendStallTimeoutMs) with ${this.#unsent} bytes waiting: the remote side stopped reading`,
      );
    }, Math.max(1, Math.ceil(ms)));
    this.#stallTimer.unref();
  }

  #clearStallTimer(): void {
    if (this.#stallTimer !== undefined) clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }
}
