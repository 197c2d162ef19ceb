/**
 * A small in-memory key/value ledger that answers every shim request type, standing in for the
 * world state in the in-memory pair (sessions, tests, the core benchmark). Not the world state's
 * in-memory mode (src/ledger with no data directory), and not public API: the package root does not
 * export it. It is deliberately
 * simple: writes apply at once (no simulation, no MVCC, no read/write set), rich queries are
 * refused as a LevelDB peer refuses them. The real world state is src/ledger/.
 *
 * Where it answers, it answers in Fabric's shapes: range results in key order in batches of 100
 * with `has_more` and an iterator id (fabric core/chaincode/handler.go, MaxResultLimit), history as
 * KeyModification records, metadata as StateMetadataResult.
 */
import { createHash } from 'node:crypto';
import type { RequestMessage } from '../protocol/inputs.js';
import { EMPTY_BYTES, type Bytes, type StateMetadata } from '../protocol/messages.js';
import {
  encodeGetStateMultipleResult,
  encodeKV,
  encodeKeyModification,
  encodeQueryResponse,
  encodeQueryResponseMetadata,
  decodeQueryMetadata,
  encodeStateMetadataResult,
} from '../wire/index.js';
import type { ServeResult } from '../drive/peerConnection.js';

/** Fabric's peer returns non-paginated query results in batches of this many. */
const BATCH = 100;

interface HistoryEntry {
  txId: string;
  value: Bytes;
  isDelete: boolean;
  seconds: number;
}

interface Iterator {
  results: Bytes[];
  next: number;
}

const key = (channel: string, collection: string, k: string) => `${channel}\u0000${collection}\u0000${k}`;

export class StandInLedger {
  readonly values = new Map<string, Bytes>();
  readonly metadata = new Map<string, StateMetadata[]>();
  readonly history = new Map<string, HistoryEntry[]>();
  private readonly iterators = new Map<string, Iterator>();
  private nextIterator = 1;
  private tick = 0;

  get(channel: string, k: string, collection = ''): Bytes | undefined {
    return this.values.get(key(channel, collection, k));
  }

  serve(r: RequestMessage): ServeResult {
    const ch = r.channelId;
    switch (r.type) {
      case 'GET_STATE':
        return ok(this.get(ch, r.payload.key, r.payload.collection) ?? EMPTY_BYTES);
      case 'GET_PRIVATE_DATA_HASH': {
        const v = this.get(ch, r.payload.key, r.payload.collection);
        return ok(v ? createHash('sha256').update(v).digest() : EMPTY_BYTES);
      }
      case 'GET_STATE_MULTIPLE':
        return ok(encodeGetStateMultipleResult({ values: r.payload.keys.map((k) => this.get(ch, k, r.payload.collection) ?? EMPTY_BYTES) }));
      case 'PUT_STATE':
        this.write(ch, r.txid, r.payload.collection, r.payload.key, r.payload.value);
        return ok(EMPTY_BYTES);
      case 'DEL_STATE':
      case 'PURGE_PRIVATE_DATA':
        this.write(ch, r.txid, r.payload.collection, r.payload.key, EMPTY_BYTES);
        return ok(EMPTY_BYTES);
      case 'GET_STATE_METADATA':
        return ok(encodeStateMetadataResult({ entries: this.metadata.get(key(ch, r.payload.collection, r.payload.key)) ?? [] }));
      case 'PUT_STATE_METADATA': {
        const m = r.payload.metadata;
        if (!m) return { ok: false, cause: 'PUT_STATE_METADATA without metadata' };
        const k = key(ch, r.payload.collection, r.payload.key);
        this.metadata.set(k, [...(this.metadata.get(k) ?? []).filter((e) => e.metakey !== m.metakey), m]);
        return ok(EMPTY_BYTES);
      }
      case 'WRITE_BATCH_STATE':
        for (const rec of r.payload.records) {
          if (rec.type === 9) this.write(ch, r.txid, rec.collection, rec.key, rec.value);
          else if (rec.type === 10 || rec.type === 23) this.write(ch, r.txid, rec.collection, rec.key, EMPTY_BYTES);
          else if (rec.type === 21 && rec.metadata) {
            const k = key(ch, rec.collection, rec.key);
            this.metadata.set(k, [...(this.metadata.get(k) ?? []).filter((e) => e.metakey !== rec.metadata!.metakey), rec.metadata]);
          } else return { ok: false, cause: 'unknown operation type' };
        }
        return ok(EMPTY_BYTES);
      case 'GET_STATE_BY_RANGE': {
        const { startKey, endKey, collection } = r.payload;
        const page = r.payload.metadata.length ? decodeQueryMetadata(r.payload.metadata) : undefined;
        if (page && !page.ok) return { ok: false, cause: `unmarshal failed: ${page.reason}` };
        const paginated = page?.ok && (page.value.pageSize !== 0 || page.value.bookmark !== '');
        // A paginated range starts at the bookmark (fabric handler.go HandleGetStateByRange).
        const from = paginated && page.value.bookmark ? page.value.bookmark : startKey || '\u0001';
        const prefix = key(ch, collection, '');
        const keys = [...this.values.keys()]
          .filter((k) => k.startsWith(prefix))
          .map((k) => k.slice(prefix.length))
          .filter((k) => k >= from && (endKey === '' || k < endKey))
          .sort();
        const kv = (k: string) => encodeKV({ namespace: '', key: k, value: this.get(ch, k, collection)! });
        if (!paginated) return this.openIterator(keys.map(kv));
        // One page, has_more false, QueryResponseMetadata with the next start key as bookmark.
        const limit = page.value.pageSize > 0 ? page.value.pageSize : keys.length;
        const results = keys.slice(0, limit);
        const metadata = encodeQueryResponseMetadata({ fetchedRecordsCount: results.length, bookmark: keys[limit] ?? '' });
        return ok(encodeQueryResponse({ results: results.map(kv), hasMore: false, id: `it-${this.nextIterator++}`, metadata }));
      }
      case 'GET_HISTORY_FOR_KEY': {
        // Newest first, as Fabric's history query executor returns them.
        const entries = [...(this.history.get(key(ch, '', r.payload.key)) ?? [])].reverse();
        return this.openIterator(
          entries.map((h) => encodeKeyModification({ txId: h.txId, value: h.value, isDelete: h.isDelete, timestamp: { seconds: h.seconds, nanos: 0 } })),
        );
      }
      case 'GET_QUERY_RESULT':
        // What a LevelDB-backed Fabric peer answers (statedb/stateleveldb).
        return { ok: false, cause: 'ExecuteQuery not supported for leveldb' };
      case 'QUERY_STATE_NEXT': {
        const it = this.iterators.get(r.payload.id);
        if (!it) return { ok: false, cause: 'query iterator not found' };
        return ok(this.batch(r.payload.id, it));
      }
      case 'QUERY_STATE_CLOSE':
        this.iterators.delete(r.payload.id);
        return ok(encodeQueryResponse({ results: [], hasMore: false, id: r.payload.id, metadata: EMPTY_BYTES }));
      case 'INVOKE_CHAINCODE':
        return { ok: false, cause: 'execute failed: chaincode-to-chaincode calls need the peer runtime, not the in-memory pair' };
    }
  }

  private write(channel: string, txId: string, collection: string, k: string, value: Bytes): void {
    const full = key(channel, collection, k);
    if (value.length === 0) this.values.delete(full);
    else this.values.set(full, value);
    const h = this.history.get(full) ?? [];
    h.push({ txId, value, isDelete: value.length === 0, seconds: ++this.tick });
    this.history.set(full, h);
  }

  private openIterator(results: Bytes[]): ServeResult {
    const id = `it-${this.nextIterator++}`;
    const it = { results, next: 0 };
    this.iterators.set(id, it);
    return ok(this.batch(id, it));
  }

  private batch(id: string, it: Iterator): Bytes {
    const results = it.results.slice(it.next, it.next + BATCH);
    it.next += results.length;
    const hasMore = it.next < it.results.length;
    if (!hasMore) this.iterators.delete(id);
    return encodeQueryResponse({ results, hasMore, id, metadata: EMPTY_BYTES });
  }
}

function ok(payload: Bytes): ServeResult {
  return { ok: true, payload };
}
