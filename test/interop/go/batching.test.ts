/**
 * Fabric 3.1's write batches and multi-key reads against the reference implementation, the Go shim
 * (fabric-chaincode-go/v2 shim/handler.go: handleEstablished, sendBatch, handleGetMultipleStates).
 *
 * The peer's READY advertises what PeerOptions.readyParams says. The same scenario runs on three
 * peers, each with its own launched Go command chaincode:
 * - `sized`: batches of 400 writes, multi-key reads of 300 keys: StartWriteBatch + 1,500 PutState
 *   (+ the shim's flush after Invoke) arrive as WRITE_BATCH_STATE 400, 400, 400, 300; GetMultipleStates
 *   of 1,503 keys as GET_STATE_MULTIPLE 300 × 5 + 3;
 * - `floor`: sizes 50 and 20 advertised; the Go shim raises anything below 100 to 100;
 * - `none`: nothing advertised (an empty READY payload, as Fabric 2.5 sends): the Go shim falls back
 *   to one PUT_STATE / GET_STATE per key.
 * The peer's trace hook (PeerOptions.trace) observes every message received. The committed world
 * state and every result are then the same on the three peers, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ChaincodeAdditionalParams, Message } from '../../../src/protocol/messages.js';
import type { TraceEvent } from '../../../src/peer/types.js';
import { memberOnlyCollection } from '../../chaincode/devpeer/helpers.js';
import { cleanup, closePeer, evaluate, startPeer, submit, waitReady, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { binCommand } from './helpers.js';
import { GO } from './toolchain.js';

const J = JSON.stringify;
const CC = 'gobatch';
const COLL = 'coll1';
const CHANNEL = 'mychannel';
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

const PAIRS = Array.from({ length: 1500 }, (_, i) => [`k${String(i).padStart(4, '0')}`, `v${i}`] as const);
const KEYS = [...PAIRS.map(([k]) => k), 'missing-1', 'k0000', 'missing-2'];

/** What the peer received on the chaincode's stream, per transaction. */
interface Received {
  type: Message['type'];
  /** Keys of a WRITE_BATCH_STATE (records), GET_STATE_MULTIPLE, and the single-key requests. */
  keys: string[];
  /** WriteRecord types of a WRITE_BATCH_STATE. */
  recordTypes?: number[];
}

interface Setup {
  name: string;
  readyParams: ChaincodeAdditionalParams;
  t?: TestPeer;
  ready?: ChaincodeAdditionalParams;
  received: Map<string, Received[]>;
}

const NONE: ChaincodeAdditionalParams = { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 };
const setups: Setup[] = [
  { name: 'sized', readyParams: { useWriteBatch: true, maxSizeWriteBatch: 400, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 300 }, received: new Map() },
  { name: 'floor', readyParams: { useWriteBatch: true, maxSizeWriteBatch: 50, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 20 }, received: new Map() },
  { name: 'none', readyParams: NONE, received: new Map() },
];
const byName = (n: string): Setup => setups.find((s) => s.name === n)!;

function recorder(s: Setup) {
  return (e: TraceEvent): void => {
    if (e.kind !== 'message') return;
    const m = e.message;
    if (m.type === 'READY') s.ready = { ...m.payload };
    if (e.direction !== 'in' || m.txid === '') return;
    const r: Received = { type: m.type, keys: [] };
    switch (m.type) {
      case 'WRITE_BATCH_STATE':
        r.keys = m.payload.records.map((x) => x.key);
        r.recordTypes = m.payload.records.map((x) => x.type);
        break;
      case 'GET_STATE_MULTIPLE':
        r.keys = [...m.payload.keys];
        break;
      case 'PUT_STATE':
      case 'GET_STATE':
      case 'DEL_STATE':
      case 'PURGE_PRIVATE_DATA':
      case 'PUT_STATE_METADATA':
        r.keys = [m.payload.key];
        break;
    }
    const list = s.received.get(m.txid) ?? [];
    list.push(r);
    s.received.set(m.txid, list);
  };
}

/** "TYPE size" per received message of a transaction, COMPLETED last. */
const shape = (s: Setup, txid: string): string[] => (s.received.get(txid) ?? []).map((r) => (r.type === 'COMPLETED' ? r.type : `${r.type} ${r.keys.length}`));
/** The same, with runs of equal entries collapsed to "ENTRY ×N". */
function runs(entries: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < entries.length; ) {
    let j = i;
    while (j < entries.length && entries[j] === entries[i]) j++;
    out.push(j - i > 1 ? `${entries[i]} ×${j - i}` : entries[i]!);
    i = j;
  }
  return out;
}

afterAll(async () => {
  await Promise.all(setups.map((s) => closePeer(s.t)));
  await cleanup();
});

describe.skipIf(GO.skip)('write batches and multi-key reads: the Go shim against our peer', { timeout: 60_000 }, () => {
  /** Per setup: the results of the scenario (JSON text) in order. */
  const results = new Map<string, string[]>();
  const txids = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    await Promise.all(
      setups.map(async (s) => {
        s.t = await startPeer({
          readyParams: s.readyParams,
          trace: recorder(s),
          chaincodes: { [CC]: { kind: 'process', command: binCommand(GO.command) } },
          collections: { [CC]: [memberOnlyCollection(COLL)] },
        });
        await waitReady(s.t.peer, CC, 30_000);
      }),
    );
    // The same scenario on every peer, one after another (the machine may have two cores).
    for (const s of setups) {
      const out: string[] = [];
      const ids: Record<string, string> = {};
      const step = async (label: string, args: string[], submitIt = true): Promise<Result> => {
        const r = submitIt ? await submit(s.t!.peer, CC, args, { timeoutMs: 60_000 }) : await evaluate(s.t!.peer, CC, args, { timeoutMs: 60_000 });
        if (r.status !== 200) throw new Error(`${s.name} ${label}: ${r.status} ${r.message}\n${s.t!.output()}`);
        if (submitIt && !r.committed) throw new Error(`${s.name} ${label}: not committed`);
        ids[label] = r.txId;
        out.push(`${label} ${r.text}`);
        return r;
      };
      await step('batchPut', ['batchPut', J(PAIRS)]); // no explicit finish: the shim flushes after Invoke
      await step('batchFinish', ['batchPut', J([['f1', 'one'], ['f2', 'two']]), 'finish']);
      await step('putPrivate', ['putPrivateData', COLL, 'p1', 'secret']);
      await step('batchOps', [
        'batchOps',
        J([
          ['put', 'mixed', 'M'],
          ['del', 'k0001'],
          ['putPrivate', COLL, 'p2', 'more'],
          ['delPrivate', COLL, 'p1'],
          ['purge', COLL, 'p1'],
          ['vp', 'mixed', J(['Org1MSP', 'Org2MSP'])],
          ['vpPrivate', COLL, 'p2', J(['Org1MSP'])],
        ]),
      ]);
      await step('getMultipleStates', ['getMultipleStates', J(KEYS)], false);
      await step('getMultiplePrivateData', ['getMultiplePrivateData', COLL, J(['p1', 'p2', 'p3'])], false);
      await step('range', ['getStateByRange', '', ''], false);
      await step('vp', ['getStateValidationParameter', 'mixed'], false);
      await step('vpPrivate', ['getPrivateDataValidationParameter', COLL, 'p2'], false);
      results.set(s.name, out);
      txids.set(s.name, ids);
    }
  }, 240_000);

  it('READY carries what each peer advertises (an empty payload when nothing is)', () => {
    expect(byName('sized').ready).toEqual(byName('sized').readyParams);
    expect(byName('floor').ready).toEqual(byName('floor').readyParams);
    expect(byName('none').ready).toEqual(NONE);
  });

  it('advertised 400 / 300: 1,500 writes arrive as WRITE_BATCH_STATE 400, 400, 400, 300; 1,503 keys as GET_STATE_MULTIPLE 300 × 5, 3', () => {
    const s = byName('sized');
    const ids = txids.get('sized')!;
    expect(shape(s, ids.batchPut!)).toEqual(['WRITE_BATCH_STATE 400', 'WRITE_BATCH_STATE 400', 'WRITE_BATCH_STATE 400', 'WRITE_BATCH_STATE 300', 'COMPLETED']);
    // every key exactly once across the batches (the Go shim sends them in map order, not in order)
    const written = s.received.get(ids.batchPut!)!.flatMap((r) => r.keys);
    expect([...written].sort()).toEqual(PAIRS.map(([k]) => k));
    expect(shape(s, ids.batchFinish!)).toEqual(['WRITE_BATCH_STATE 2', 'COMPLETED']);
    expect(runs(shape(s, ids.getMultipleStates!))).toEqual(['GET_STATE_MULTIPLE 300 ×5', 'GET_STATE_MULTIPLE 3', 'COMPLETED']);
    // keys in the order asked
    expect(s.received.get(ids.getMultipleStates!)!.flatMap((r) => r.keys)).toEqual(KEYS);
    expect(shape(s, ids.getMultiplePrivateData!)).toEqual(['GET_STATE_MULTIPLE 3', 'COMPLETED']);
  });

  it('every record type travels in one WRITE_BATCH_STATE: PUT_STATE, DEL_STATE, PUT_STATE_METADATA, PURGE_PRIVATE_DATA', () => {
    const s = byName('sized');
    const batch = s.received.get(txids.get('sized')!.batchOps!)!;
    expect(batch.map((r) => r.type)).toEqual(['WRITE_BATCH_STATE', 'COMPLETED']);
    // protos.WriteRecord.Type (the ChaincodeMessage numbers): PUT_STATE 9, DEL_STATE 10,
    // PUT_STATE_METADATA 21, PURGE_PRIVATE_DATA 23. The Go batch keeps one data record per
    // (collection, key): delete then purge of p1 leaves the purge.
    expect([...batch[0]!.recordTypes!].sort((a, b) => a - b)).toEqual([9, 9, 10, 21, 21, 23]);
    expect([...batch[0]!.keys].sort()).toEqual(['k0001', 'mixed', 'mixed', 'p1', 'p2', 'p2']);
  });

  it('sizes below 100 are raised to 100 by the Go shim', () => {
    const s = byName('floor');
    const ids = txids.get('floor')!;
    expect(runs(shape(s, ids.batchPut!))).toEqual(['WRITE_BATCH_STATE 100 ×15', 'COMPLETED']);
    expect(runs(shape(s, ids.getMultipleStates!))).toEqual(['GET_STATE_MULTIPLE 100 ×15', 'GET_STATE_MULTIPLE 3', 'COMPLETED']);
  });

  it('nothing advertised: StartWriteBatch is a no-op and GetMultipleStates reads key by key', () => {
    const s = byName('none');
    const ids = txids.get('none')!;
    expect(runs(shape(s, ids.batchPut!))).toEqual(['PUT_STATE 1 ×1500', 'COMPLETED']);
    expect(s.received.get(ids.batchPut!)!.flatMap((r) => r.keys)).toEqual(PAIRS.map(([k]) => k)); // in order, unbatched
    expect(runs(shape(s, ids.batchOps!))).toEqual(['PUT_STATE 1', 'DEL_STATE 1', 'PUT_STATE 1', 'DEL_STATE 1', 'PURGE_PRIVATE_DATA 1', 'PUT_STATE_METADATA 1 ×2', 'COMPLETED']);
    expect(runs(shape(s, ids.getMultipleStates!))).toEqual(['GET_STATE 1 ×1503', 'COMPLETED']);
    expect(s.received.get(ids.getMultipleStates!)!.flatMap((r) => r.keys)).toEqual(KEYS);
    expect(runs(shape(s, ids.getMultiplePrivateData!))).toEqual(['GET_STATE 1 ×3', 'COMPLETED']);
  });

  it('the results are the same on the three peers, byte for byte', () => {
    const sized = results.get('sized')!;
    expect(results.get('floor')).toEqual(sized);
    expect(results.get('none')).toEqual(sized);
    const get = (label: string): string => sized.find((r) => r.startsWith(`${label} `))!.slice(label.length + 1);
    expect(JSON.parse(get('getMultipleStates'))).toEqual([...PAIRS.map(([k, v]) => (k === 'k0001' ? '' : v)), '', 'v0', '']);
    expect(JSON.parse(get('getMultiplePrivateData'))).toEqual(['', 'more', '']);
    expect(JSON.parse(get('vp'))).toEqual(['Org1MSP', 'Org2MSP']);
    expect(JSON.parse(get('vpPrivate'))).toEqual(['Org1MSP']);
    expect(JSON.parse(get('range'))).toHaveLength(1500 - 1 + 2 + 1);
  });

  it('the committed world state is the same on the three peers', async () => {
    const snapshot = async (s: Setup): Promise<unknown> => {
      const ws = s.t!.peer.worldState;
      const keys = [...PAIRS.map(([k]) => k), 'f1', 'f2', 'mixed', 'missing-1'];
      const pub = await Promise.all(keys.map(async (k) => {
        const c = await ws.getCommitted(CHANNEL, CC, k);
        return [k, dec(c?.value), c?.metadata.map((m) => [m.metakey, Buffer.from(m.value).toString('hex')])];
      }));
      const pvt = await Promise.all(['p1', 'p2'].map(async (k) => {
        const c = await ws.getCommittedPrivate(CHANNEL, CC, COLL, k);
        return [k, dec(c?.value), c && Buffer.from(c.valueHash).toString('hex'), c?.metadata.map((m) => [m.metakey, Buffer.from(m.value).toString('hex')])];
      }));
      return { pub, pvt };
    };
    const sized = await snapshot(byName('sized'));
    expect(await snapshot(byName('floor'))).toEqual(sized);
    expect(await snapshot(byName('none'))).toEqual(sized);
    const pub = (sized as { pub: Array<[string, string | undefined, unknown]> }).pub;
    expect(pub.find(([k]) => k === 'k0001')![1]).toBeUndefined();
    expect(pub.find(([k]) => k === 'k1499')![1]).toBe('v1499');
    expect(pub.find(([k]) => k === 'mixed')![2]).toEqual([['VALIDATION_PARAMETER', expect.stringMatching(/^[0-9a-f]+$/)]]);
  });
});
