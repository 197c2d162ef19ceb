/**
 * The read/write set of one transaction as it is being simulated, and its final form
 * (TxSimulationResults), like core/ledger/kvledger/txmgmt/rwsetutil/rwset_builder.go: per
 * namespace the public reads, writes and metadata writes, the range queries
 * (query_executor.go resultsItr / rwsetutil AddToRangeQuerySet), and per collection the hashed
 * reads and writes plus the private writes. The last read or write of a key wins; the result lists
 * namespaces, collections and keys in UTF-8 byte order, as Go sorts them.
 */
import type { StateMetadata, Timestamp } from '../protocol/messages.js';
import { compareUtf8, copyBytes, EMPTY, sha256 } from './bytes.js';
import type { Version } from './store.js';
import type {
  CollHashedRwSet,
  CollPvtRwSet,
  KVWrite,
  KVWriteHash,
  NsPvtRwSet,
  NsRwSet,
  PvtKVWrite,
  RangeQueryInfo,
  TxSimulationResults,
} from './types.js';

class CollBuilder {
  readonly hashedReads = new Map<string, Version | undefined>();
  readonly hashedWrites = new Map<string, PvtKVWrite>();
  readonly hashedMetadataWrites = new Map<string, StateMetadata[]>();
}

class NsBuilder {
  readonly reads = new Map<string, Version | undefined>();
  readonly writes = new Map<string, KVWrite>();
  readonly metadataWrites = new Map<string, StateMetadata[]>();
  readonly colls = new Map<string, CollBuilder>();

  coll(name: string): CollBuilder {
    let c = this.colls.get(name);
    if (c === undefined) {
      c = new CollBuilder();
      this.colls.set(name, c);
    }
    return c;
  }
}

/** Entries sorted by key (UTF-8 byte order, as Go sorts); most maps here hold zero or one entry. */
const byKey = <T>(m: Map<string, T>): [string, T][] => {
  const entries = [...m.entries()];
  if (entries.length > 1) entries.sort((a, b) => compareUtf8(a[0], b[0]));
  return entries;
};

function metadataEntries(m: StateMetadata[]): StateMetadata[] {
  return m.map((e) => ({ metakey: e.metakey, value: copyBytes(e.value) }));
}

export class RwSetBuilder {
  readonly namespaces = new Map<string, NsBuilder>();
  /** Range scans, in opening order (query_executor.go q.itrs). */
  readonly rangeQueries: { ns: string; info: RangeQueryInfo }[] = [];

  ns(name: string): NsBuilder {
    let n = this.namespaces.get(name);
    if (n === undefined) {
      n = new NsBuilder();
      this.namespaces.set(name, n);
    }
    return n;
  }

  /** A public read: the committed version, undefined when the key is absent. */
  addRead(ns: string, key: string, version: Version | undefined): void {
    this.ns(ns).reads.set(key, version);
  }

  /** A private read, recorded by key here and by key hash in the result. */
  addHashedRead(ns: string, coll: string, key: string, version: Version | undefined): void {
    this.ns(ns).coll(coll).hashedReads.set(key, version);
  }

  /** Opens a range-query record (query_executor.go GetStateRangeScanIterator); the scan fills it in. */
  addRangeQuery(ns: string, startKey: string): RangeQueryInfo {
    const info: RangeQueryInfo = { startKey, endKey: '', itrExhausted: false, reads: [] };
    this.ns(ns);
    this.rangeQueries.push({ ns, info });
    return info;
  }

  build(channel: string, txId: string, timestamp: Timestamp | undefined): TxSimulationResults {
    const publicRwSet: NsRwSet[] = [];
    const privateRwSet: NsPvtRwSet[] = [];
    for (const [ns, b] of byKey(this.namespaces)) {
      // addRangeQueryInfo + AddToRangeQuerySet: one entry per distinct (start, end, exhausted).
      const seen = new Set<string>();
      const rangeQueriesInfo: RangeQueryInfo[] = [];
      for (const { ns: rns, info } of this.rangeQueries) {
        if (rns !== ns) continue;
        const id = JSON.stringify([info.startKey, info.endKey, info.itrExhausted]);
        if (seen.has(id)) continue;
        seen.add(id);
        rangeQueriesInfo.push({ ...info, reads: [...info.reads] });
      }
      const collHashedRwSets: CollHashedRwSet[] = [];
      const collectionPvtRwSets: CollPvtRwSet[] = [];
      for (const [coll, c] of byKey(b.colls)) {
        const hashedWrites: KVWriteHash[] = byKey(c.hashedWrites).map(([, w]) => ({
          keyHash: sha256(w.key),
          isDelete: w.isDelete,
          isPurge: w.isPurge,
          valueHash: w.isDelete ? EMPTY : sha256(w.value),
        }));
        collHashedRwSets.push({
          collectionName: coll,
          hashedReads: byKey(c.hashedReads).map(([key, version]) => ({ keyHash: sha256(key), version })),
          hashedWrites,
          metadataWrites: byKey(c.hashedMetadataWrites).map(([key, entries]) => ({
            keyHash: sha256(key),
            entries: metadataEntries(entries),
          })),
        });
        if (c.hashedWrites.size > 0 || c.hashedMetadataWrites.size > 0) {
          collectionPvtRwSets.push({
            collectionName: coll,
            writes: byKey(c.hashedWrites).map(([, w]) => ({ ...w, value: copyBytes(w.value) })),
            metadataWrites: byKey(c.hashedMetadataWrites).map(([key]) => ({ key })),
          });
        }
      }
      publicRwSet.push({
        namespace: ns,
        reads: byKey(b.reads).map(([key, version]) => ({ key, version })),
        rangeQueriesInfo,
        writes: byKey(b.writes).map(([, w]) => ({ ...w, value: copyBytes(w.value) })),
        metadataWrites: byKey(b.metadataWrites).map(([key, entries]) => ({ key, entries: metadataEntries(entries) })),
        collHashedRwSets,
      });
      if (collectionPvtRwSets.length > 0) privateRwSet.push({ namespace: ns, collectionPvtRwSets });
    }
    return { channel, txId, timestamp, publicRwSet, privateRwSet };
  }
}
