/**
 * Iterators: lazy QUERY_STATE_NEXT, QUERY_STATE_CLOSE on close / break / exhaustion, async iteration
 * over the returned promise (fabric-shim style) and over the iterator; one request in flight per
 * transaction even when chaincode starts several stub calls at once.
 */
import { describe, expect, it } from 'vitest';
import type { ChaincodeStub } from '../../src/chaincode/index.js';
import { bytes, dynamicHarness, Harness, within } from './helpers.js';

async function seeded(n: number): Promise<{ h: Harness; dyn: Awaited<ReturnType<typeof dynamicHarness>>['dyn'] }> {
  const { h, dyn } = await dynamicHarness();
  for (let i = 0; i < n; i++) h.pair.ledger.values.set(`mychannel\u0000\u0000k${String(i).padStart(4, '0')}`, bytes(`v${i}`));
  return { h, dyn };
}

describe('iterators', () => {
  it('fetch QUERY_STATE_NEXT only when the current batch is used up', async () => {
    const { h, dyn } = await seeded(250);
    const trace: string[][] = [];
    await within(h, dyn, async (stub) => {
      const it = await stub.getStateByRange('', '');
      trace.push(h.sentTypes());
      for (let i = 0; i < 100; i++) expect((await it.next()).done).toBe(false);
      trace.push(h.sentTypes());
      await it.next(); // 101st: needs the next batch
      trace.push(h.sentTypes());
      let n = 101;
      while (!(await it.next()).done) n++;
      expect(n).toBe(250);
      trace.push(h.sentTypes());
      expect((await it.next()).done).toBe(true);
      await it.close();
    });
    expect(trace).toEqual([
      ['GET_STATE_BY_RANGE'],
      ['GET_STATE_BY_RANGE'],
      ['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT'],
      ['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT'],
    ]);
    expect(h.sentTypes()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT', 'QUERY_STATE_CLOSE', 'COMPLETED']);
  });

  it('for await over the promise closes at the end and on break; close is idempotent', async () => {
    const { h, dyn } = await seeded(5);
    const got = await within(h, dyn, async (stub) => {
      const all: string[] = [];
      for await (const kv of stub.getStateByRange('', '')) all.push(kv.key);
      const some: string[] = [];
      for await (const kv of stub.getStateByRange('', '')) {
        some.push(kv.key);
        if (some.length === 2) break;
      }
      const it = await stub.getStateByRange('', '');
      await it.close();
      await it.close();
      const afterClose = await it.next();
      return { all: all.length, some, afterClose };
    });
    expect(got).toEqual({ all: 5, some: ['k0000', 'k0001'], afterClose: { value: undefined, done: true } });
    expect(h.sentTypes()).toEqual([
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
      'COMPLETED',
    ]);
  });

  it('iterators are async-iterable themselves; {iterator} destructuring works for every query', async () => {
    const { h, dyn } = await seeded(3);
    const got = await within(h, dyn, async (stub) => {
      const a: string[] = [];
      for await (const kv of await stub.getStateByRange('', '')) a.push(kv.key);
      const { iterator } = await stub.getStateByRange('', '');
      const first = await iterator.next();
      await iterator.close();
      return { a, first: first.done ? null : first.value.key };
    });
    expect(got).toEqual({ a: ['k0000', 'k0001', 'k0002'], first: 'k0000' });
  });

  it('an iterator left open is not closed by the shim (the peer closes it with COMPLETED); close after the end sends nothing', async () => {
    const { h, dyn } = await seeded(3);
    let leaked: Awaited<ReturnType<ChaincodeStub['getStateByRange']>> | undefined;
    await within(h, dyn, async (stub) => {
      leaked = await stub.getStateByRange('', '');
      await leaked.next();
    });
    expect(h.sentTypes()).toEqual(['GET_STATE_BY_RANGE', 'COMPLETED']);
    await leaked!.close();
    expect(h.sentTypes()).toEqual(['GET_STATE_BY_RANGE', 'COMPLETED']);
    // Its buffered records are still readable; fetching more is refused.
    expect((await leaked!.next()).done).toBe(true);
  });

  it('a next() that needs the peer after the transaction ended fails clearly', async () => {
    const { h, dyn } = await seeded(150);
    let it: Awaited<ReturnType<ChaincodeStub['getStateByRange']>> | undefined;
    await within(h, dyn, async (stub) => {
      it = await stub.getStateByRange('', '');
    });
    for (let i = 0; i < 100; i++) await it!.next();
    await expect(it!.next()).rejects.toThrow('QUERY_STATE_NEXT cannot be sent: the transaction has already finished');
  });
});

describe('one request in flight per transaction', () => {
  it('Promise.all over stub calls runs them one after the other', async () => {
    const { h, dyn } = await seeded(3);
    const got = await within(h, dyn, async (stub) => {
      const [a, b, c] = await Promise.all([stub.getState('k0000'), stub.getState('k0001'), stub.putState('n', 'x').then(() => stub.getState('k0002'))]);
      return [a, b, c].map(String);
    });
    expect(got).toEqual(['v0', 'v1', 'v2']);
    // Strict alternation request -> reply in the transcript.
    const flow = h.pair.transcript.filter((e) => e.message.txid === 'tx1').map((e) => e.from);
    expect(flow).toEqual(['peer', 'chaincode', 'peer', 'chaincode', 'peer', 'chaincode', 'peer', 'chaincode', 'peer', 'chaincode']);
  });

  it('concurrent transactions are multiplexed on one stream', async () => {
    const { h, dyn } = await seeded(1);
    dyn.fn = async (stub) => {
      await stub.putState(stub.getTxID(), 'x');
      await stub.getState('k0000');
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.invoke(['go'], { txid: `t${i}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.pair.ledger.values.size).toBe(21);
  });
});
