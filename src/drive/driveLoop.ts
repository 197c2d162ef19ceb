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
    this.queue.push(input);
    if (this.busy) return;
    this.busy = true;
    try {
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
