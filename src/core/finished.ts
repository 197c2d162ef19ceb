/**
 * Bounded memory of recently finished transactions, so that a late message is named
 * `TX_FINISHED` rather than `UNKNOWN_TX` (h2 keeps a closed-streams set for the same reason).
 * A set by (channel, txid) in the nested Maps of txTable.ts, plus a ring that decides evictions.
 */
import { txDelete, txGet, txPut, type TxTable } from './txTable.js';

export interface FinishedMemory {
  capacity: number;
  set: TxTable<true>;
  /** [channelId, txid] of each remembered transaction; `next` is the oldest once it is full. */
  ring: Array<[string, string]>;
  next: number;
}

export function createFinished(capacity: number): FinishedMemory {
  return { capacity, set: new Map(), ring: [], next: 0 };
}

export function rememberFinished(m: FinishedMemory, channelId: string, txid: string): void {
  if (m.capacity <= 0 || wasFinished(m, channelId, txid)) return;
  if (m.ring.length < m.capacity) m.ring.push([channelId, txid]);
  else {
    const [oldChannel, oldTxid] = m.ring[m.next]!;
    txDelete(m.set, oldChannel, oldTxid);
    m.ring[m.next] = [channelId, txid];
    m.next = (m.next + 1) % m.capacity;
  }
  txPut(m.set, channelId, txid, true);
}

export function wasFinished(m: FinishedMemory, channelId: string, txid: string): boolean {
  return txGet(m.set, channelId, txid) === true;
}
