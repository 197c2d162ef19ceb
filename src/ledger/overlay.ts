/**
 * The pending writes of a block being committed, over the committed database: Fabric's update
 * batch (statedb.UpdateBatch inside privacyenabledstate.UpdateBatch) that validation consults
 * before the state database, so that later transactions of a block see the updates of the earlier
 * valid ones (validation/validator.go validateKVRead, combined_iterator.go), and that is written
 * at the end in one database batch.
 *
 * It works on raw keys and values of our key space (store.ts), so the same overlay serves public
 * state, hashes, private values, history, the txid index and the block records. Later writes of
 * a key replace earlier ones; `has` tells whether a key was written (put or deleted) in the block.
 */
import { compareBytes, toHex, type Bytes } from './bytes.js';
import { asLedgerError } from './errors.js';
import { getRaw, type Db } from './store.js';

interface Entry {
  key: Bytes;
  /** undefined: deleted. */
  value: Bytes | undefined;
}

export type BatchOp = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

/** A key range: from `gte`, up to `lt` (exclusive) or `lte` (inclusive). */
export type ScanRange = { gte: Bytes; lt: Bytes } | { gte: Bytes; lte: Bytes };

function inRange(key: Bytes, r: ScanRange): boolean {
  if (compareBytes(key, r.gte) < 0) return false;
  return 'lt' in r ? compareBytes(key, r.lt) < 0 : compareBytes(key, r.lte) <= 0;
}

export class PendingWrites {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Db) {}

  /** Whether the block wrote (put or deleted) this key. */
  has(key: Bytes): boolean {
    return this.entries.has(toHex(key));
  }

  /** The block's value of a key if it wrote one, else the committed value. */
  async get(key: Bytes): Promise<Bytes | undefined> {
    const e = this.entries.get(toHex(key));
    if (e !== undefined) return e.value;
    return this.committed(key);
  }

  /** The committed value, ignoring the block's writes. */
  async committed(key: Bytes): Promise<Bytes | undefined> {
    try {
      return await getRaw(this.db, key);
    } catch (e) {
      throw asLedgerError(e);
    }
  }

  put(key: Bytes, value: Bytes): void {
    this.entries.set(toHex(key), { key, value });
  }

  del(key: Bytes): void {
    this.entries.set(toHex(key), { key, value: undefined });
  }

  /**
   * The keys and values of a range as they will be after the block: committed entries merged
   * with the block's writes (a written key shows its new value, a deleted one is left out), in
   * key order — validation/combined_iterator.go.
   */
  async *scan(range: ScanRange): AsyncGenerator<[Bytes, Bytes]> {
    const mine = [...this.entries.values()].filter((e) => inRange(e.key, range)).sort((a, b) => compareBytes(a.key, b.key));
    let i = 0;
    const it = this.db.iterator(range);
    try {
      for await (const [k, v] of it) {
        while (i < mine.length && compareBytes((mine[i] as Entry).key, k) < 0) {
          const e = mine[i++] as Entry;
          if (e.value !== undefined) yield [e.key, e.value];
        }
        if (i < mine.length && compareBytes((mine[i] as Entry).key, k) === 0) {
          const e = mine[i++] as Entry;
          if (e.value !== undefined) yield [e.key, e.value];
          continue;
        }
        yield [k, v];
      }
      for (; i < mine.length; i++) {
        const e = mine[i] as Entry;
        if (e.value !== undefined) yield [e.key, e.value];
      }
    } catch (e) {
      throw asLedgerError(e);
    } finally {
      await it.close();
    }
  }

  /** The database operations of the block, one per key written. */
  ops(): BatchOp[] {
    return [...this.entries.values()].map((e) => (e.value === undefined ? { type: 'del', key: e.key } : { type: 'put', key: e.key, value: e.value }));
  }
}
