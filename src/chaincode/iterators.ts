/**
 * Query iterators (fabric-shim lib/iterators.js; docs/protocol.md §9). An iterator holds the
 * current QueryResponse batch and walks it locally; only when the batch is used up and the peer said
 * `has_more` does it send QUERY_STATE_NEXT (lazily, as fabric-shim and the Java shim do; the Go shim
 * prefetches). `close()` sends QUERY_STATE_CLOSE once. Iterators are async-iterable themselves, and
 * the promises the stub returns are too (`for await (const kv of stub.getStateByRange(a, b))`, as in
 * fabric-shim), closing the iterator when the loop ends or is left early.
 */
import type { QueryResponse } from '../protocol/messages.js';
import { decodeKeyModification, decodeKV, decodeQueryResponse } from '../wire/index.js';
import type { TransactionContext } from './txContext.js';
import type { KeyModification, KV, NextResult } from './types.js';

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Decodes a QueryResponse payload; throws a clear Error for bytes that are not one. */
export function parseQueryResponse(ctx: TransactionContext, payload: Uint8Array, answering: string): QueryResponse {
  const r = decodeQueryResponse(payload);
  if (!r.ok) throw new Error(`${ctx.prefix} could not unmarshal the QueryResponse answering ${answering}: ${r.reason}`);
  return r.value;
}

abstract class CommonIterator<T> implements AsyncIterable<T> {
  private response: QueryResponse;
  private currentLoc = 0;
  private closed = false;

  constructor(
    protected readonly ctx: TransactionContext,
    response: QueryResponse,
  ) {
    this.response = response;
  }

  /**
   * fabric-shim resolves some queries (the private-data ones, and the paginated ones) to
   * `{iterator, ...}` and others to the iterator itself, while its types promise the iterator. Ours
   * always resolve as typed; `iterator` pointing at itself keeps `const {iterator} = await ...` code
   * working too.
   */
  get iterator(): this {
    return this;
  }

  /** The next record; `{done: true}` at the end (or after close). */
  next(): Promise<NextResult<T>> {
    return this.ctx.track(this.nextRecord());
  }

  /** Closes the iterator on the peer (QUERY_STATE_CLOSE); idempotent. After the transaction ended, the
   * peer has already closed it, so nothing is sent. */
  close(): Promise<void> {
    return this.ctx.track(this.closeNow());
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => {
        const r = await this.next();
        if (r.done) {
          await this.close();
          return { done: true, value: undefined };
        }
        return r;
      },
      return: async (): Promise<IteratorResult<T>> => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  protected abstract decode(bytes: Uint8Array): T;

  private async nextRecord(): Promise<NextResult<T>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const bytes = this.response.results[this.currentLoc];
      if (bytes !== undefined) {
        this.currentLoc++;
        return { value: this.decode(bytes), done: false };
      }
      if (!this.response.hasMore) return { value: undefined, done: true };
      const payload = await this.ctx.request({ type: 'QUERY_STATE_NEXT', payload: { id: this.response.id } });
      this.response = parseQueryResponse(this.ctx, payload, 'QUERY_STATE_NEXT');
      this.currentLoc = 0;
    }
  }

  private async closeNow(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ctx.isEnded) return;
    await this.ctx.request({ type: 'QUERY_STATE_CLOSE', payload: { id: this.response.id } });
  }
}

/** Iterates KV records (range, partial composite key and rich queries). */
export class StateQueryIterator extends CommonIterator<KV> {
  protected decode(bytes: Uint8Array): KV {
    const r = decodeKV(bytes);
    if (!r.ok) throw new Error(`${this.ctx.prefix} could not unmarshal a query result (queryresult.KV): ${r.reason}`);
    return { namespace: r.value.namespace, key: r.value.key, value: buf(r.value.value) };
  }
}

/** Iterates KeyModification records (history queries). */
export class HistoryQueryIterator extends CommonIterator<KeyModification> {
  protected decode(bytes: Uint8Array): KeyModification {
    const r = decodeKeyModification(bytes);
    if (!r.ok) throw new Error(`${this.ctx.prefix} could not unmarshal a history record (queryresult.KeyModification): ${r.reason}`);
    const m = r.value;
    // fabric-shim: timestamp.toObject() (plain numbers); an absent timestamp reads as zero here.
    return { txId: m.txId, value: buf(m.value), isDelete: m.isDelete, timestamp: m.timestamp ?? { seconds: 0, nanos: 0 } };
  }
}

/** A query result promise that is also async-iterable over the records. */
export type QueryPromise<R, T> = Promise<R> & AsyncIterable<T>;

/**
 * Makes the promise of an iterator (or of `{iterator}`) async-iterable, as fabric-shim's
 * convertToAsyncIterator does: the loop closes the iterator when it is exhausted or left early.
 */
export interface IteratorLike<T> {
  next(): Promise<NextResult<T>>;
  close(): Promise<void>;
}

export function asyncIterableQuery<R extends { iterator: IteratorLike<T> }, T>(
  promise: Promise<R>,
): QueryPromise<R, T> {
  const p = promise as QueryPromise<R, T>;
  p[Symbol.asyncIterator] = (): AsyncIterator<T> => {
    let it: R['iterator'] | undefined;
    return {
      next: async (): Promise<IteratorResult<T>> => {
        it ??= (await promise).iterator;
        const r = await it.next();
        if (r.done) {
          await it.close();
          return { done: true, value: undefined };
        }
        return r;
      },
      return: async (): Promise<IteratorResult<T>> => {
        if (it) await it.close();
        return { done: true, value: undefined };
      },
    };
  };
  return p;
}
