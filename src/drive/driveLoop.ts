/**
 * What both drive loops share: the clock, the inputs every stream produces, and the loop's one
 * rule — inputs are processed one at a time, each with all its effects, before the next. An input
 * fed while another is being processed (an effect handler that feeds back synchronously) is queued
 * and processed right after, never nested.
 */
import type { ChaincodeCoreInput, PeerCoreInput } from '../protocol/inputs.js';
import type { Malformed, Message } from '../protocol/messages.js';
import type { Clock } from './clock.js';

export abstract class DriveLoop<I extends PeerCoreInput | ChaincodeCoreInput> {
  private readonly queue: I[] = [];
  private busy = false;

  constructor(protected readonly clock: Clock) {}

  /** Step the core with one input and execute its effects, in order. */
  protected abstract step(input: I): void;

  protected feed(input: I): void {
    if (this.busy) {
      this.queue.push(input);
      return;
    }
    // Only inputs fed while a step runs wait in the queue: an idle loop steps at once (and the
    // queue, nearly always empty, is not grown and trimmed for every input).
    this.busy = true;
    try {
      this.step(input);
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) this.step(next);
    } finally {
      this.busy = false;
    }
  }

  receive(message: Message): void {
    this.feed({ kind: 'recv', message, now: this.clock.now() } as I);
  }
  receiveMalformed(malformed: Malformed): void {
    this.feed({ kind: 'recvMalformed', malformed, now: this.clock.now() } as I);
  }
  transportClosed(reason: string): void {
    this.feed({ kind: 'transportClosed', reason, now: this.clock.now() } as I);
  }
  shutdown(reason: string): void {
    this.feed({ kind: 'appShutdown', reason, now: this.clock.now() } as I);
  }
}
