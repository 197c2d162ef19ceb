/**
 * The transaction runner: how Init/Invoke outcomes become COMPLETED or ERROR, exceptions, missing
 * responses, stub calls the chaincode did not await, a stream lost mid-request, calls after the end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { txRecords } from '../../src/core/index.js';
import type { ServeResult } from '../../src/drive/peerConnection.js';
import { ChaincodeServer, error, start, success, toResponse, type ChaincodeInterface, type ChaincodeStub } from '../../src/chaincode/index.js';
import { dynamicHarness, fail, Harness, ok, within } from './helpers.js';

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 5));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const cc = (invoke: ChaincodeInterface['Invoke'], init: ChaincodeInterface['Init'] = () => success()): ChaincodeInterface => ({ Init: init, Invoke: invoke });

describe('Init/Invoke outcomes', () => {
  it('a thrown Error becomes ERROR with its message (async and sync, Init and Invoke)', async () => {
    const h = await Harness.start({
      chaincode: cc(
        async (stub) => {
          const { fcn } = stub.getFunctionAndParameters();
          if (fcn === 'async') throw new Error('asset 7 does not exist');
          if (fcn === 'string') throw 'a plain string';
          if (fcn === 'object') throw { code: 42 };
          if (fcn === 'empty') throw new TypeError();
          if (fcn === 'afterCall') {
            await stub.getState('x');
            throw new Error('late failure');
          }
          return success();
        },
        () => {
          throw new RangeError('init exploded');
        },
      ),
    });
    expect(await h.invoke(['async'])).toMatchObject({ ok: false, failure: 'chaincodeError', message: 'transaction returned with failure: asset 7 does not exist' });
    expect(await h.invoke(['string'])).toMatchObject({ message: 'transaction returned with failure: a plain string' });
    expect(await h.invoke(['object'])).toMatchObject({ message: 'transaction returned with failure: Invoke() threw {"code":42}' });
    expect(await h.invoke(['empty'])).toMatchObject({ message: 'transaction returned with failure: Invoke() threw TypeError without a message' });
    expect(await h.invoke(['afterCall'])).toMatchObject({ message: 'transaction returned with failure: late failure' });
    expect(await h.invoke([], { init: true })).toMatchObject({ ok: false, message: 'transaction returned with failure: init exploded' });
    expect(h.sentTypes()).toEqual(['ERROR', 'ERROR', 'ERROR', 'ERROR', 'GET_STATE', 'ERROR', 'ERROR']);
    // Nothing is carried over: the connection keeps serving.
    expect(await h.invoke(['fine'])).toMatchObject({ ok: true, response: { status: 200 } });
  });

  it('responses: any status is COMPLETED (Init too); a missing one is 500 with fabric-shim text', async () => {
    const h = await Harness.start({
      chaincode: cc(
        async (stub) => {
          const { fcn } = stub.getFunctionAndParameters();
          if (fcn === 'none') return undefined as never;
          if (fcn === 'zero') return { status: 0 };
          if (fcn === 'bad') return { status: '200' as unknown as number };
          if (fcn === 'text') return { status: 201, message: 'created', payload: 'résumé' };
          return error('nope');
        },
        () => ({ status: 503, message: 'init says no' }),
      ),
    });
    expect(await h.invoke(['none'], { txid: 'abcdefghij' })).toMatchObject({
      ok: true,
      response: { status: 500, message: '[mychannel-abcdefgh] Calling chaincode Invoke() has not called success or error.' },
    });
    expect(await h.invoke(['zero'])).toMatchObject({ response: { status: 500 } });
    expect(await h.invoke(['bad'])).toMatchObject({ response: { status: 500, message: expect.stringContaining('invalid status 200') } });
    const text = await h.invoke(['text']);
    expect(text).toMatchObject({ ok: true, response: { status: 201, message: 'created' } });
    expect(text.ok && Buffer.from(text.response.payload).toString()).toBe('résumé');
    expect(await h.invoke(['err'])).toMatchObject({ ok: true, response: { status: 500, message: 'nope' } });
    expect(await h.invoke([], { init: true })).toMatchObject({ ok: true, response: { status: 503, message: 'init says no' } });
    expect(h.sentTypes().every((t) => t === 'COMPLETED')).toBe(true);
  });

  it('wrong argument types fail the call, not the stream', async () => {
    const { h, dyn } = await dynamicHarness();
    const bad = (f: (s: ChaincodeStub) => Promise<unknown>) => within(h, dyn, f);
    await expect(bad((s) => s.putState(42 as unknown as string, 'v'))).rejects.toThrow('key must be a string');
    await expect(bad((s) => s.putState('k', undefined as unknown as string))).rejects.toThrow('value must be a Uint8Array or a string');
    await expect(bad((s) => s.getStateByRangeWithPagination('a', 'b', 1.5))).rejects.toThrow('pageSize must be an int32 number');
    await expect(bad((s) => s.invokeChaincode('cc', [7 as unknown as string]))).rejects.toThrow('args[0] must be a Uint8Array or a string');
    await expect(bad(async (s) => s.setEvent('e', 5 as unknown as string))).rejects.toThrow('payload must be a Uint8Array or a string');
    expect(h.sentTypes().filter((t) => t !== 'COMPLETED')).toEqual([]);
    dyn.fn = () => undefined;
    const r = await h.invoke(['ok']);
    expect(r.ok).toBe(true);
    const weird = await Harness.start({ chaincode: cc(() => ({ status: 200, payload: 12 as unknown as string })) });
    expect(await weird.invoke(['x'])).toMatchObject({ ok: true, response: { status: 500, message: expect.stringContaining('neither bytes nor a string') } });
  });

  it('toResponse is total', () => {
    expect(toResponse(null, '[p]', 'Invoke')).toMatchObject({ status: 500 });
    expect(toResponse({ status: 2 ** 31 }, '[p]', 'Invoke')).toMatchObject({ status: 500 });
    expect(toResponse({ status: 200, message: undefined, payload: undefined }, '[p]', 'Invoke')).toEqual({ status: 200, message: '', payload: new Uint8Array(0) });
  });
});

describe('stub calls the chaincode did not await', () => {
  it('are finished before COMPLETED, and a failing one never becomes an unhandled rejection', async () => {
    const { h, dyn } = await dynamicHarness({ serve: (r) => (r.type === 'DEL_STATE' ? fail('no delete today') : h.pair.ledger.serve(r)) });
    dyn.fn = (stub: ChaincodeStub) => {
      void stub.putState('a', '1');
      void stub.deleteState('b');
      void stub.putState('c', '3');
      void stub.getStateByRange('', '');
    };
    const r = await h.invoke(['go']);
    expect(r.ok).toBe(true);
    expect(h.sentTypes()).toEqual(['PUT_STATE', 'DEL_STATE', 'PUT_STATE', 'GET_STATE_BY_RANGE', 'COMPLETED']);
    expect(h.pair.ledger.values.size).toBe(2);
  });

  it('calls made after the transaction ended are refused locally with a clear error', async () => {
    const { h, dyn } = await dynamicHarness();
    let saved: ChaincodeStub | undefined;
    dyn.fn = (stub) => (saved = stub);
    await h.invoke(['go'], { txid: 'finished-tx' });
    await expect(saved!.getState('k')).rejects.toThrow('[mychannel-finished] GET_STATE cannot be sent: the transaction has already finished');
    saved!.startWriteBatch();
    await expect(saved!.putState('k', 'v')).rejects.toThrow(/PUT_STATE cannot be sent/);
    expect(h.sentTypes()).toEqual(['COMPLETED']);
  });
});

describe('a lost stream', () => {
  it('fails the pending stub call with a thrown Error; nothing crashes', async () => {
    let release: ((r: ServeResult) => void) | undefined;
    const { h, dyn } = await dynamicHarness({ serve: () => new Promise<ServeResult>((resolve) => (release = resolve)) });
    let caught: unknown;
    let after: unknown;
    let reachedServe!: () => void;
    const served = new Promise<void>((r) => (reachedServe = r));
    dyn.fn = async (stub) => {
      const p = stub.getState('k');
      reachedServe();
      try {
        await p;
      } catch (e) {
        caught = e;
      }
      try {
        await stub.putState('x', 'y');
      } catch (e) {
        after = e;
      }
    };
    const result = h.invoke(['go']);
    await served;
    await new Promise((r) => setTimeout(r, 1));
    h.pair.drop('connection reset');
    expect(await result).toMatchObject({ ok: false, failure: 'streamTerminated' });
    await new Promise((r) => setTimeout(r, 5));
    expect((caught as Error).message).toBe('chaincode stream terminated');
    expect(after).toBeInstanceOf(Error);
    release?.(ok());
  });

  it('fails the calls queued behind the one in flight too, each exactly once', async () => {
    let reachedServe!: () => void;
    const served = new Promise<void>((r) => (reachedServe = r));
    const { h, dyn } = await dynamicHarness({
      serve: () => {
        reachedServe();
        return new Promise<ServeResult>(() => {});
      },
    });
    const outcomes: string[] = [];
    dyn.fn = async (stub) => {
      // One in flight, three held behind it by the core (one request per transaction on the wire).
      const calls = [stub.getState('a'), stub.putState('b', '1'), stub.deleteState('c'), stub.getState('d')];
      await Promise.all(calls.map((c) => c.then(() => outcomes.push('ok'), (e: Error) => outcomes.push(e.message))));
    };
    const result = h.invoke(['go']);
    await served;
    expect(h.sentTypes()).toEqual(['GET_STATE']);
    h.pair.drop('connection reset');
    expect(await result).toMatchObject({ ok: false, failure: 'streamTerminated' });
    await new Promise((r) => setTimeout(r, 5));
    expect(outcomes).toHaveLength(4);
    // The core settles the one in flight and the held ones when the stream ends.
    expect(outcomes).toEqual(Array(4).fill('chaincode stream terminated'));
    const conn = h.pair.chaincode as unknown as { requests: Map<number, unknown> };
    expect(conn.requests.size).toBe(0);
    expect(txRecords(h.pair.chaincode.core.txs)).toEqual([]);
  });
});

describe('argument validation (fabric-shim texts)', () => {
  it('start and ChaincodeServer refuse what is not a chaincode', async () => {
    await expect(start(null as unknown as ChaincodeInterface, { argv: [], env: {} })).rejects.toThrow('Missing required argument: chaincode');
    await expect(start({ Init: () => success() } as unknown as ChaincodeInterface, { argv: [], env: {} })).rejects.toThrow('must implement the "Invoke()" method');
    expect(() => new ChaincodeServer({ Invoke: () => success() } as unknown as ChaincodeInterface, { env: {} })).toThrow('must implement the "Init()" method');
    expect(() => new ChaincodeServer(null as unknown as ChaincodeInterface, { env: {} })).toThrow('chaincode must be specified');
  });
});
