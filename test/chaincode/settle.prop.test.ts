/**
 * Property: whatever the chaincode does with the stub (sequential, concurrent or un-awaited calls,
 * iterators left open, write batches, throwing) and whatever the peer answers (valid replies, ERROR,
 * garbage bytes, slow replies, or the stream dying mid-request), every stub call settles exactly once,
 * the transaction is answered exactly once, nothing is left pending in the connection afterwards, and
 * there is no unhandled rejection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { txRecords } from '../../src/core/index.js';
import type { ServeResult } from '../../src/drive/peerConnection.js';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import type { ChaincodeAdditionalParams } from '../../src/protocol/messages.js';
import {
  encodeGetStateMultipleResult,
  encodeKeyModification,
  encodeKV,
  encodeMessage,
  encodeQueryResponse,
  encodeStateMetadataResult,
} from '../../src/wire/index.js';
import type { ChaincodeStub } from '../../src/chaincode/index.js';
import { assertProp } from '../support/props.js';
import { bytes, Harness, Dynamic } from './helpers.js';

type Reply = 'ok' | 'err' | 'garbage' | 'slow';
type Op =
  | { kind: 'get' | 'put' | 'del' | 'hash' | 'purge' | 'putPrivate' | 'setEp' | 'getEp' | 'invoke'; key: string }
  | { kind: 'multi'; n: number }
  | { kind: 'range' | 'history'; reads: number; close: boolean }
  | { kind: 'batch' }
  | { kind: 'finish' }
  | { kind: 'throw' };

const EMPTY = new Uint8Array(0);
const key = fc.constantFrom('a', 'b', 'c');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('get', 'put', 'del', 'hash', 'purge', 'putPrivate', 'setEp', 'getEp', 'invoke' as const), key }),
  fc.record({ kind: fc.constant('multi' as const), n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constantFrom('range', 'history' as const), reads: fc.integer({ min: 0, max: 4 }), close: fc.boolean() }),
  fc.constant({ kind: 'batch' as const }),
  fc.constant({ kind: 'finish' as const }),
  fc.constant({ kind: 'throw' as const }),
);

/** One stub call for an op; the promise settles when the call (and its iteration) is done. */
function call(stub: ChaincodeStub, o: Op): Promise<unknown> {
  switch (o.kind) {
    case 'get':
      return stub.getState(o.key);
    case 'put':
      return stub.putState(o.key, 'v');
    case 'del':
      return stub.deleteState(o.key);
    case 'hash':
      return stub.getPrivateDataHash('c1', o.key);
    case 'purge':
      return stub.purgePrivateData('c1', o.key);
    case 'putPrivate':
      return stub.putPrivateData('c1', o.key, 'p');
    case 'setEp':
      return stub.setStateValidationParameter(o.key, bytes('ep'));
    case 'getEp':
      return stub.getStateValidationParameter(o.key);
    case 'invoke':
      return stub.invokeChaincode('other', [o.key], '');
    case 'multi':
      return stub.getMultipleStates(['a', 'b', 'c'].slice(0, o.n));
    case 'range':
    case 'history':
      return (async () => {
        const it = o.kind === 'range' ? await stub.getStateByRange('', '') : await stub.getHistoryForKey('a');
        for (let i = 0; i < o.reads; i++) if ((await it.next()).done) break;
        if (o.close) await it.close();
      })();
    case 'batch':
      stub.startWriteBatch();
      return Promise.resolve();
    case 'finish':
      return stub.finishWriteBatch();
    case 'throw':
      return Promise.reject(new Error('chaincode gave up'));
  }
}

/** A peer that answers per a script of reply kinds; can die at the n-th request. */
function scriptedServe(replies: Reply[], dropAt: number | undefined, drop: () => void, seedBytes: Uint8Array) {
  let n = 0;
  let iterator = 0;
  const kinds = new Map<string, 'kv' | 'history'>();
  const valid = (r: RequestMessage): Uint8Array => {
    const results = (kind: 'kv' | 'history') =>
      [0, 1].map((i) =>
        kind === 'kv' ? encodeKV({ namespace: 'cc', key: `k${i}`, value: bytes('v') }) : encodeKeyModification({ txId: `t${i}`, value: EMPTY, isDelete: false, timestamp: { seconds: 1, nanos: 0 } }),
      );
    const open = (kind: 'kv' | 'history') => {
      const id = `it${++iterator}`;
      kinds.set(id, kind);
      return encodeQueryResponse({ results: results(kind), hasMore: seedBytes[iterator % seedBytes.length]! % 2 === 0, id, metadata: EMPTY });
    };
    switch (r.type) {
      case 'GET_STATE':
      case 'GET_PRIVATE_DATA_HASH':
        return bytes('value');
      case 'GET_STATE_METADATA':
        return encodeStateMetadataResult({ entries: [{ metakey: 'VALIDATION_PARAMETER', value: bytes('ep') }] });
      case 'GET_STATE_MULTIPLE':
        return encodeGetStateMultipleResult({ values: r.payload.keys.map(() => bytes('m')) });
      case 'GET_STATE_BY_RANGE':
      case 'GET_QUERY_RESULT':
        return open('kv');
      case 'GET_HISTORY_FOR_KEY':
        return open('history');
      case 'QUERY_STATE_NEXT': {
        const kind = kinds.get(r.payload.id) ?? 'kv';
        return encodeQueryResponse({ results: results(kind), hasMore: false, id: r.payload.id, metadata: EMPTY });
      }
      case 'QUERY_STATE_CLOSE':
        return encodeQueryResponse({ results: [], hasMore: false, id: r.payload.id, metadata: EMPTY });
      case 'INVOKE_CHAINCODE':
        return encodeMessage({ type: 'COMPLETED', txid: r.txid, channelId: r.channelId, payload: { status: 200, message: '', payload: EMPTY } });
      default:
        return EMPTY;
    }
  };
  return (r: RequestMessage): ServeResult | Promise<ServeResult> => {
    const i = n++;
    if (dropAt !== undefined && i === dropAt) {
      setTimeout(drop, 1);
      return new Promise<ServeResult>(() => {});
    }
    const kind = replies[i % Math.max(replies.length, 1)] ?? 'ok';
    switch (kind) {
      case 'ok':
        return { ok: true, payload: valid(r) };
      case 'err':
        return { ok: false, cause: 'scripted failure' };
      case 'garbage':
        return { ok: true, payload: seedBytes };
      case 'slow':
        return new Promise((resolve) => setTimeout(() => resolve({ ok: true, payload: valid(r) }), 0));
    }
  };
}

const PARAMS: ChaincodeAdditionalParams[] = [
  { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 },
  { useWriteBatch: true, maxSizeWriteBatch: 1, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1 },
];

describe('prop: every stub call settles exactly once, nothing is left behind', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('random calls x random replies x stream death', async () => {
    await assertProp(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('sequential', 'concurrent', 'forget' as const),
        fc.array(fc.constantFrom<Reply>('ok', 'ok', 'ok', 'err', 'garbage', 'slow'), { minLength: 1, maxLength: 12 }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        fc.constantFrom(...PARAMS),
        fc.uint8Array({ minLength: 1, maxLength: 6 }),
        async (ops, mode, replies, dropAt, readyParams, garbage) => {
          const settled: number[] = [];
          const dyn = new Dynamic();
          let h!: Harness;
          h = await Harness.start({ chaincode: dyn, readyParams, serve: scriptedServe(replies, dropAt, () => h.pair.drop('peer died'), garbage) });
          dyn.fn = async (stub) => {
            const started: Array<Promise<unknown>> = [];
            const track = (o: Op) => {
              const idx = settled.push(0) - 1;
              const p = call(stub, o);
              p.then(
                () => settled[idx]!++,
                () => settled[idx]!++,
              );
              started.push(p);
              return p;
            };
            if (mode === 'sequential') {
              for (const o of ops) {
                try {
                  await track(o);
                } catch (e) {
                  if ((e as Error).message === 'chaincode gave up') throw e;
                }
              }
            } else if (mode === 'concurrent') {
              await Promise.allSettled(ops.map(track));
              if (ops.some((o) => o.kind === 'throw')) throw new Error('chaincode gave up');
            } else {
              for (const o of ops) if (o.kind !== 'throw') track(o).catch(() => {});
            }
          };
          const result = await h.invoke(['go'], { txid: 'tx-prop' });
          // Let late settlements (after a drop or an ERROR) happen.
          await new Promise((r) => setTimeout(r, 5));
          expect(settled.every((c) => c === 1), `settle counts ${JSON.stringify(settled)}`).toBe(true);
          const finals = h.sent().filter((m) => m.type === 'COMPLETED' || m.type === 'ERROR');
          expect(finals.length).toBeLessThanOrEqual(1);
          if (dropAt === undefined) {
            expect(finals.length).toBe(1);
            expect(result.ok || result.failure === 'chaincodeError').toBe(true);
          }
          const conn = h.pair.chaincode as unknown as { requests: Map<number, unknown> };
          expect(txRecords(h.pair.chaincode.core.txs)).toEqual([]);
          expect(conn.requests.size).toBe(0);
        },
      ),
      { runs: 150 },
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(unhandled).toEqual([]);
  });
});
