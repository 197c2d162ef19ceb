/**
 * Bounded memory of recently finished transactions, so that a late message is named
 * `TX_FINISHED` rather than `UNKNOWN_TX` (h2 keeps a closed-streams set for the same reason).
 * Plain data (a set as an object plus a ring), so that the core state stays JSON.
 */
import type { TxKey } from '../protocol/txKey.js';

export interface FinishedMemory {
  capacity: number;
  set: Record<string, 1>;
  ring: string[];
  next: number;
}

export function createFinished(capacity: number): FinishedMemory {
  return { capacity, set: {}, ring: [], next: 0 };
}

export function rememberFinished(m: FinishedMemory, key: TxKey): void {
  if (m.capacity <= 0 || m.set[key]) return;
  if (m.ring.length < m.capacity) m.ring.push(key);
  else {
    delete m.set[m.ring[m.next]!];
    m.ring[m.next] = key;
    m.next = (m.next + 1) % m.capacity;
  }
  m.set[key] = 1;
}

export function wasFinished(m: FinishedMemory, key: TxKey): boolean {
  return m.set[key] === 1;
}
