/**
 * Differential property: the same random sequences of transactions (interleaved simulations with
 * reads, writes, private data, metadata, queries, iterators, write batches, commits and discards)
 * give identical results, errors included, on the in-memory store and on LevelDB.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorldState, type Simulation, type WorldStateOptions } from '../../src/ledger/index.js';
import type { WriteRecord } from '../../src/protocol/messages.js';
import { assertProp } from '../support/props.js';
import { enc, idGen, tempDir } from './helpers.js';

const COLLECTIONS = JSON.stringify([
  { name: 'pvt', policy: "OR('Org1MSP.member')", memberOnlyRead: true, memberOnlyWrite: true },
  { name: 'open', policy: "OR('Org1MSP.member')", blockToLive: 3 },
]);

const key = fc.constantFrom('a', 'a', 'b', 'b', 'ab', 'c', '\u0000t\u0000a\u0000', '_x', 'é');
const coll = fc.constantFrom('', '', '', '', '', '', 'pvt', 'open', 'open', 'nope', '_implicit_org_Org2MSP');
const value = fc.oneof(
  fc.constantFrom('', 'v1', 'v2'),
  fc.record({ color: fc.constantFrom('red', 'blue'), size: fc.integer({ min: 0, max: 4 }) }).map((o) => JSON.stringify(o)),
);
const page = fc.option(fc.record({ pageSize: fc.integer({ min: 0, max: 3 }), bookmark: fc.constantFrom('', 'b', 'zz') }), { nil: undefined });
const query = fc.constantFrom('{"selector":{}}', '{"selector":{"size":{"$gt":1}},"sort":["size"]}', '{"selector":{"color":"red"}}', '[]');

type Op =
  | { t: 'get'; key: string; coll: string }
  | { t: 'multi'; keys: string[]; coll: string }
  | { t: 'put'; key: string; value: string; coll: string }
  | { t: 'del'; key: string; coll: string }
  | { t: 'purge'; key: string; coll: string }
  | { t: 'hash'; key: string; coll: string }
  | { t: 'putMeta'; key: string; value: string | undefined; coll: string }
  | { t: 'getMeta'; key: string; coll: string }
  | { t: 'range'; start: string; end: string; coll: string; page: { pageSize: number; bookmark: string } | undefined }
  | { t: 'rich'; query: string; coll: string; page: { pageSize: number; bookmark: string } | undefined }
  | { t: 'history'; key: string }
  | { t: 'next' }
  | { t: 'close' }
  | { t: 'batch'; records: { type: number; key: string; value: string; coll: string }[] }
  | { t: 'end'; commit: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('get' as const), key, coll }),
  fc.record({ t: fc.constant('multi' as const), keys: fc.array(key, { maxLength: 3 }), coll }),
  { arbitrary: fc.record({ t: fc.constant('put' as const), key, value, coll }), weight: 4 },
  fc.record({ t: fc.constant('del' as const), key, coll }),
  fc.record({ t: fc.constant('purge' as const), key, coll }),
  fc.record({ t: fc.constant('hash' as const), key, coll }),
  fc.record({ t: fc.constant('putMeta' as const), key, value: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }), coll }),
  fc.record({ t: fc.constant('getMeta' as const), key, coll }),
  fc.record({ t: fc.constant('range' as const), start: fc.constantFrom('', 'a', 'b', '\u0000'), end: fc.constantFrom('', 'b', 'c'), coll, page }),
  fc.record({ t: fc.constant('rich' as const), query, coll, page }),
  fc.record({ t: fc.constant('history' as const), key }),
  fc.record({ t: fc.constant('next' as const) }),
  fc.record({ t: fc.constant('close' as const) }),
  fc.record({
    t: fc.constant('batch' as const),
    records: fc.array(fc.record({ type: fc.constantFrom(9, 10, 21, 23, 5), key, value, coll }), { maxLength: 4 }),
  }),
  { arbitrary: fc.record({ t: fc.constant('end' as const), commit: fc.boolean() }), weight: 3 },
);

const step = fc.record({
  slot: fc.integer({ min: 0, max: 1 }),
  ns: fc.constantFrom('cc', 'cc', 'cc', 'cc2'),
  msp: fc.constantFrom('Org1MSP', 'Org2MSP'),
  init: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
  op,
});

type Step = { slot: number; ns: string; msp: string; init: boolean; op: Op };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  return v;
}

async function runProgram(options: WorldStateOptions, steps: readonly Step[]): Promise<unknown[]> {
  const ws = await WorldState.open({ ...options, collections: { cc: COLLECTIONS }, newIteratorId: idGen() });
  const out: unknown[] = [];
  const slots: (Simulation | undefined)[] = [undefined, undefined, undefined];
  const lastIds: (string | undefined)[] = [undefined, undefined, undefined];
  let tx = 0;
  try {
    for (const st of steps) {
      let s = slots[st.slot];
      if (s === undefined) {
        tx++;
        s = ws.newSimulation({
          channel: 'ch1',
          namespace: st.ns,
          txId: `tx${tx}`,
          creatorMspId: st.msp,
          isInit: st.init,
          timestamp: { seconds: tx, nanos: 0 },
        });
        slots[st.slot] = s;
      }
      const sim = s;
      const o = st.op;
      const track = <T extends { id: string; hasMore: boolean }>(r: T): T => {
        lastIds[st.slot] = r.id;
        return r;
      };
      const act = async (): Promise<unknown> => {
        switch (o.t) {
          case 'get':
            return sim.getState(o.key, o.coll);
          case 'multi':
            return sim.getStateMultiple(o.keys, o.coll);
          case 'put':
            return sim.putState(o.key, enc(o.value), o.coll);
          case 'del':
            return sim.delState(o.key, o.coll);
          case 'purge':
            return sim.purgePrivateData(o.coll, o.key);
          case 'hash':
            return sim.getPrivateDataHash(o.coll, o.key);
          case 'putMeta':
            return sim.putStateMetadata(o.key, o.value === undefined ? undefined : { metakey: 'VALIDATION_PARAMETER', value: enc(o.value) }, o.coll);
          case 'getMeta':
            return sim.getStateMetadata(o.key, o.coll);
          case 'range':
            return track(await sim.getStateByRange(o.start, o.end, o.coll, o.page));
          case 'rich':
            return track(await sim.getQueryResult(o.query, o.coll, o.page));
          case 'history':
            return track(await sim.getHistoryForKey(o.key));
          case 'next':
            return sim.queryNext(lastIds[st.slot] ?? 'none');
          case 'close':
            return sim.queryClose(lastIds[st.slot] ?? 'none');
          case 'batch':
            return sim.applyWriteBatch(
              o.records.map(
                (r): WriteRecord => ({
                  type: r.type,
                  key: r.key,
                  value: enc(r.value),
                  collection: r.coll,
                  metadata: r.type === 21 ? { metakey: 'VALIDATION_PARAMETER', value: enc(r.value) } : undefined,
                }),
              ),
            );
          case 'end':
            slots[st.slot] = undefined;
            lastIds[st.slot] = undefined;
            if (o.commit) return ws.commit(sim);
            return sim.done();
        }
      };
      try {
        out.push({ ok: plain(await act()) });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        out.push({ error: err.code ?? 'UNTYPED', message: err.message });
      }
    }
    // Final state: every namespace and collection, plus history of every key.
    const probe = ws.newSimulation({ channel: 'ch1', namespace: 'cc', txId: 'probe', creatorMspId: 'Org1MSP' });
    for (const c of ['', 'pvt', 'open']) out.push(plain(await probe.getStateByRange('', '', c)));
    out.push(plain(await probe.forNamespace('cc2').getStateByRange('', '')));
    for (const k of ['a', 'b', 'ab', 'c', 'é']) out.push(plain(await probe.getHistoryForKey(k)));
    out.push(await ws.height('ch1'));
    return out;
  } finally {
    await ws.close();
  }
}

describe('memory-level vs classic-level', () => {
  it('prop: identical results for identical operation sequences', async () => {
    await assertProp(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 50, size: 'max' }), async (steps) => {
        const { dir, cleanup } = tempDir();
        try {
          const mem = await runProgram({}, steps);
          const lvl = await runProgram({ dataDir: dir }, steps);
          expect(lvl).toEqual(mem);
          // No untyped errors anywhere.
          expect(JSON.stringify(mem)).not.toContain('UNTYPED');
        } finally {
          cleanup();
        }
      }),
      { runs: 40, seed: 0xd1ff },
    );
  });

  // Rounds of two overlapping read-modify-write transactions on few keys: many MVCC and phantom
  // conflicts, which random programs above rarely produce.
  const rmwOp: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ t: fc.constant('get' as const), key: fc.constantFrom('a', 'b'), coll: fc.constant('') }),
    fc.record({ t: fc.constant('range' as const), start: fc.constantFrom('', 'a', 'b'), end: fc.constantFrom('', 'b'), coll: fc.constant(''), page: fc.constant(undefined) }),
    fc.record({ t: fc.constant('rich' as const), query: fc.constant('{"selector":{"size":{"$gte":2}}}'), coll: fc.constant(''), page: fc.constant(undefined) }),
    fc.record({ t: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c'), value, coll: fc.constant('') }),
    fc.record({ t: fc.constant('get' as const), key: fc.constantFrom('a', 'b'), coll: fc.constant('open') }),
    fc.record({ t: fc.constant('put' as const), key: fc.constantFrom('a', 'b'), value, coll: fc.constant('open') }),
  );
  const round = fc
    .tuple(fc.array(rmwOp, { minLength: 1, maxLength: 4 }), fc.array(rmwOp, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([a, b, aFirst]): Step[] => {
      const mk = (slot: number, o: Op): Step => ({ slot, ns: 'cc', msp: 'Org1MSP', init: false, op: o });
      const steps: Step[] = [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i];
        const y = b[i];
        if (x !== undefined) steps.push(mk(0, x));
        if (y !== undefined) steps.push(mk(1, y));
      }
      const ends = [mk(0, { t: 'end', commit: true }), mk(1, { t: 'end', commit: true })];
      return [...steps, ...(aFirst ? ends : ends.reverse())];
    });

  it('prop: identical results for conflicting read-modify-write rounds', async () => {
    await assertProp(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 8 }), async (rounds) => {
        const steps = rounds.flat();
        const { dir, cleanup } = tempDir();
        try {
          const mem = await runProgram({}, steps);
          const lvl = await runProgram({ dataDir: dir }, steps);
          expect(lvl).toEqual(mem);
        } finally {
          cleanup();
        }
      }),
      { runs: 30, seed: 0x3c0f },
    );
  });
});
