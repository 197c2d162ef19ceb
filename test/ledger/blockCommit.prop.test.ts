/**
 * Property: a block of transactions simulated on the same state validates like committing them
 * one by one with the single-transaction path (which checks each against the state its
 * predecessors left) — same valid transactions, same final values, metadata, private data and
 * history. Deletes are left out: deleting a missing key puts it in Fabric's update batch, which
 * invalidates a later read of it in the same block but not in a later block (tested by example in
 * blockCommit.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorldState, type Simulation, type TxSimulationResults } from '../../src/ledger/index.js';
import { assertProp } from '../support/props.js';
import { dec, enc, idGen } from './helpers.js';

const COLLS = { cc: JSON.stringify([{ name: 'open', policy: "OR('Org1MSP.member')" }]) };
const KEYS = ['a', 'b', 'c'];

type Op =
  | { t: 'get'; key: string }
  | { t: 'range'; start: string; end: string }
  | { t: 'put'; key: string; value: string }
  | { t: 'meta'; key: string; value: string }
  | { t: 'pget'; key: string }
  | { t: 'pput'; key: string; value: string }
  | { t: 'pmeta'; key: string; value: string };

const key = fc.constantFrom(...KEYS);
const val = fc.constantFrom('1', '2', '3');
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('get' as const), key }), weight: 3 },
  fc.record({ t: fc.constant('range' as const), start: fc.constantFrom('', 'a', 'b'), end: fc.constantFrom('', 'b', 'c') }),
  { arbitrary: fc.record({ t: fc.constant('put' as const), key, value: val }), weight: 3 },
  fc.record({ t: fc.constant('meta' as const), key, value: val }),
  fc.record({ t: fc.constant('pget' as const), key }),
  fc.record({ t: fc.constant('pput' as const), key, value: val }),
  fc.record({ t: fc.constant('pmeta' as const), key, value: val }),
);
const round = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });

async function simulate(ws: WorldState, txId: string, ops: readonly Op[]): Promise<TxSimulationResults> {
  const s: Simulation = ws.newSimulation({ channel: 'ch1', namespace: 'cc', txId, creatorMspId: 'Org1MSP', timestamp: { seconds: 1, nanos: 0 } });
  for (const o of ops) {
    if (o.t === 'get') await s.getState(o.key);
    else if (o.t === 'range') await s.getStateByRange(o.start, o.end);
    else if (o.t === 'put') await s.putState(o.key, enc(o.value));
    else if (o.t === 'meta') await s.putStateMetadata(o.key, { metakey: 'VALIDATION_PARAMETER', value: enc(o.value) });
    else if (o.t === 'pget') await s.getPrivateData('open', o.key);
    else if (o.t === 'pput') await s.putPrivateData('open', o.key, enc(o.value));
    else await s.putStateMetadata(o.key, { metakey: 'VALIDATION_PARAMETER', value: enc(o.value) }, 'open');
  }
  return s.result();
}

async function observe(ws: WorldState): Promise<unknown> {
  const out: unknown[] = [];
  const h = ws.newSimulation({ channel: 'ch1', namespace: 'cc', txId: 'observe', creatorMspId: 'Org1MSP' });
  for (const k of KEYS) {
    const c = await ws.getCommitted('ch1', 'cc', k);
    const p = await ws.getCommittedPrivate('ch1', 'cc', 'open', k);
    const history = (await h.getHistoryForKey(k)).results.map((x) => [x.txId, dec(x.value)]);
    out.push({ k, value: c && dec(c.value), meta: c?.metadata.map((m) => dec(m.value)), pvt: p && dec(p.value), pmeta: p?.metadata.map((m) => dec(m.value)), history });
  }
  await h.done();
  return out;
}

describe('block commit vs one transaction at a time', () => {
  it('prop: same valid transactions and same resulting state', async () => {
    await assertProp(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 6 }), async (rounds) => {
        const blocks = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
        const single = await WorldState.open({ collections: COLLS, newIteratorId: idGen() });
        try {
          await blocks.commitBlock({ channel: 'ch1', number: 0, txs: [{ txId: '' }], encode: () => new Uint8Array() });
          for (const [r, txs] of rounds.entries()) {
            const ids = txs.map((_, i) => `r${r}t${i}`);
            const inBlock = await Promise.all(txs.map((ops, i) => simulate(blocks, ids[i] as string, ops)));
            const oneByOne = await Promise.all(txs.map((ops, i) => simulate(single, ids[i] as string, ops)));
            const { codes } = await blocks.commitBlock({
              channel: 'ch1',
              number: r + 1,
              txs: inBlock.map((results) => ({ txId: results.txId, results })),
              encode: () => new Uint8Array(),
            });
            const valid: boolean[] = [];
            for (const rw of oneByOne) {
              valid.push(
                await single.commit(rw).then(
                  () => true,
                  () => false,
                ),
              );
            }
            expect(codes.map((c) => c === 0)).toEqual(valid);
            expect(await observe(blocks)).toEqual(await observe(single));
          }
        } finally {
          await blocks.close();
          await single.close();
        }
      }),
      { runs: 60, seed: 0xb10c },
    );
  });
});
