/**
 * The messages a side's core says it must send (its `send` effects) and that have not been seen on
 * the wire yet. A message seen from that side pays off the first owed message of the same type and
 * transaction. Stream-level messages (REGISTERED, READY, the ERROR before a close: no txid) are
 * owed in order; replies of different transactions may come in any order, as Fabric serves each
 * request in its own goroutine (fabric core/chaincode/handler.go handleMessage `go h.HandleTransaction`).
 */
import type { Message } from '../protocol/messages.js';

export class Owed {
  private readonly list: Message[] = [];

  add(m: Message): void {
    this.list.push(m);
  }

  /** The first owed stream-level message, which must come before anything else of this side. */
  firstStreamLevel(): Message | undefined {
    return this.list.find((m) => m.txid === '' && m.channelId === '');
  }

  /** Pays off the owed message `m` is, if any; true when one was owed. */
  payOff(m: Message): boolean {
    const i = this.list.findIndex((o) => o.type === m.type && o.txid === m.txid && o.channelId === m.channelId);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  clear(): void {
    this.list.length = 0;
  }
}
