/**
 * The tests that our runtime's allStub fixture (test/chaincode/fixtures/allStub.ts, driven by
 * allStub.client.test.ts) and the Go shim's command chaincode (test/interop/go/cmd/command, driven
 * by test/interop/go/commands.test.ts) share. Both chaincodes understand the same command
 * vocabulary and run under the same dev peer, so the same transactions must give the same results:
 * the checks are written once here, and each test file keeps its own `it(...)` titles and order and
 * calls them. Where the two implementations rightly differ (how a failed command reaches the
 * client, how a DN or a map comes out, what only the Go shim refuses before sending anything), the
 * caller says so through the options; tests only one implementation has stay in its file.
 *
 * The chaincode under test is started as `allstub` with the member-only collection COLL, and a
 * second instance of it as `other`, the target of invokeChaincode.
 */
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, expect } from 'vitest';

import { devUser } from '../../../src/identity/index.js';
import type { ChaincodeLaunch } from '../../../src/peer/types.js';
import { closePeer, evaluate, read, startPeer, submit, waitReady, type CallOptions, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { memberOnlyCollection, traceRecorder, type TraceRecorder, type TracedMessage } from './helpers.js';

export const COLL = 'coll1';
export const CHANNEL = 'mychannel';
export const J = JSON.stringify;
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));
export const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
/** A composite key as the shims build it: U+0000, the type and each attribute, each followed by U+0000. */
export const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

/**
 * Fabric's text for a transaction whose chaincode answered ERROR: the endorser's "error in
 * simulation" around chaincode support's "transaction returned with failure".
 */
export const transactionFailed = (text: string): string => `error in simulation: transaction returned with failure: ${text}`;

/** A traced message as `TYPE SIZE` (the size of a write batch or multi-key read, when it has one). */
export const typeAndSize = (m: TracedMessage): string => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`;

export interface Page {
  records: Array<{ key: string; value: string }>;
  metadata: { fetchedRecordsCount: number; bookmark: string };
}
export interface History {
  txId: string;
  value: string;
  isDelete: boolean;
}

type Args = (string | Uint8Array)[];

export interface CommandSuiteOptions {
  /** How the peer launches the chaincode under test (`allstub`, and `other` the same way). */
  launch: ChaincodeLaunch;
  /** More chaincodes for the peer to launch and wait for. */
  more?: Record<string, ChaincodeLaunch>;
  tls?: boolean;
  /** Per chaincode, for it to register. */
  readyTimeoutMs?: number;
  /** For beforeAll (starting the peer and the chaincodes). */
  startTimeoutMs?: number;
  /**
   * The message a client gets for a command that failed with `text`: our runtime answers ERROR,
   * which the peer wraps in Fabric's text (transactionFailed); the Go shim's shim.Error is a
   * COMPLETED with status 500, whose message the peer passes on as it is.
   */
  failure(text: string): string;
}

export interface CommandSuite {
  /** The peer (set once beforeAll has run). */
  readonly t: TestPeer;
  readonly rec: TraceRecorder;
  /** Commands sent to `allstub` through sub/ev/put/get, for each file's coverage check. */
  readonly driven: Set<string>;
  readonly failure: (text: string) => string;
  /** A result's status and message with the chaincodes' output, for a failing expectation. */
  why(r: Result): string;
  /** Submit a command to allstub. */
  sub(args: Args, o?: CallOptions): Promise<Result>;
  /** Evaluate a command on allstub. */
  ev(args: Args, o?: CallOptions): Promise<Result>;
  /** Submit, require a committed 200, return the JSON result. */
  put<T = unknown>(args: Args, o?: CallOptions): Promise<{ r: Result; value: T }>;
  /** Evaluate, require 200 (nothing committed), return the JSON result. */
  get<T = unknown>(args: Args, o?: CallOptions): Promise<T>;
  /** A public value as the peer committed it (undefined: absent). */
  committed(key: string, ns?: string, channel?: string): Promise<string | undefined>;
}

/**
 * Registers, in the calling describe, the start of a dev peer with the chaincode under test as
 * `allstub` and `other` (plus `more`), tracing the protocol, and its close; returns the ways to
 * call it.
 */
export function commandSuite(o: CommandSuiteOptions): CommandSuite {
  let peer: TestPeer | undefined;
  const rec = traceRecorder();
  const driven = new Set<string>();
  const chaincodes = { allstub: o.launch, other: o.launch, ...o.more };

  beforeAll(async () => {
    peer = await startPeer({
      ...(o.tls === undefined ? {} : { tls: o.tls }),
      chaincodes,
      collections: { allstub: [memberOnlyCollection(COLL)] },
      trace: rec.trace,
    });
    for (const name of Object.keys(chaincodes)) await waitReady(peer.peer, name, o.readyTimeoutMs);
  }, o.startTimeoutMs);
  afterAll(async () => {
    await closePeer(peer);
  });

  const command = (args: Args): string => {
    const name = args[0]!;
    return typeof name === 'string' ? name : dec(name)!;
  };
  const s: CommandSuite = {
    get t(): TestPeer {
      if (!peer) throw new Error('the peer has not started');
      return peer;
    },
    rec,
    driven,
    failure: o.failure,
    why: (r) => `${r.status} ${r.message}\n${s.t.output()}`,
    sub(args, co) {
      driven.add(command(args));
      return submit(s.t.peer, 'allstub', args, co);
    },
    ev(args, co) {
      driven.add(command(args));
      return evaluate(s.t.peer, 'allstub', args, co);
    },
    async put<T = unknown>(args: Args, co?: CallOptions) {
      const r = await s.sub(args, co);
      expect(r.status, s.why(r)).toBe(200);
      expect(r.committed).toBe(true);
      return { r, value: r.json<T>() };
    },
    async get<T = unknown>(args: Args, co?: CallOptions) {
      const r = await s.ev(args, co);
      expect(r.status, s.why(r)).toBe(200);
      expect(r.committed).toBe(false);
      return r.json<T>();
    },
    committed: async (key, ns = 'allstub', channel = CHANNEL) => dec((await s.t.peer.worldState.getCommitted(channel, ns, key))?.value),
  };
  return s;
}

/** Checks that only one implementation has, run at the end of a shared test. */
type More = () => Promise<void> | void;

/**
 * The chaincodes `names` (sorted: the peer lists them so) are registered as NAME:1.0, the peer's
 * READY to each advertises write batches and multi-key reads of up to 1000, and Init answers
 * COMPLETED with 'init'.
 */
export async function registeredReadyAndInit(s: CommandSuite, names: string[]): Promise<void> {
  expect(s.t.peer.listChaincodes()).toEqual(names.map((name) => ({ name, registeredAs: `${name}:1.0`, launch: 'process', state: 'ready' })));
  const ready = s.rec.messages.filter((m) => m.type === 'READY');
  expect(ready.map((m) => [m.chaincode, m.direction]).sort()).toEqual(names.map((name) => [`${name}:1.0`, 'out']));
  for (const m of ready) expect(m.ready).toEqual({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });

  const init = await submit(s.t.peer, 'allstub', [''], { init: true });
  expect(init.status, s.why(init)).toBe(200);
  expect(init.text).toBe('init');
  expect(s.rec.of(init.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in COMPLETED']);
}

export interface TransactionContextOptions {
  /** Sends getTransient with a transient map and checks the result (maps come out in different orders). */
  transient(): Promise<void>;
  /** clientIdentity's id (an x509 subject and issuer, formatted by each implementation's library). */
  clientId: {
    /** For attruser (Org1MSP, OU client). */
    attruser: RegExp;
    /** Part of it for user1. */
    user1: string;
  };
}

export async function transactionContext(s: CommandSuite, o: TransactionContextOptions): Promise<void> {
  const { ev, get } = s;
  expect(await get(['getArgs', 'x', 'y'])).toEqual(['getArgs', 'x', 'y']);
  expect(await get(['getStringArgs', 'a'])).toEqual(['getStringArgs', 'a']);
  expect(await get(['getBufferArgs', 'b'])).toEqual(['getBufferArgs', 'b']);
  expect(await get(['getFunctionAndParameters', 'p', 'q'])).toEqual({ fcn: 'getFunctionAndParameters', params: ['p', 'q'] });
  // no parameters: an empty list (not null, what a nil Go slice would marshal to)
  expect(await get(['getFunctionAndParameters'])).toEqual({ fcn: 'getFunctionAndParameters', params: [] });
  expect(await get(['getArgsSlice', 'z'])).toBe('getArgsSlicez');
  expect(await get(['getDecorations'])).toEqual({});

  const txr = await ev(['getTxID']);
  expect(txr.json()).toBe(txr.txId);
  expect(txr.txId).toMatch(/^[0-9a-f]{64}$/);
  expect(await get(['getChannelID'])).toBe(CHANNEL);
  expect(await get(['getChannelID'], { channel: 'ch2' })).toBe('ch2');

  expect(await get(['getCreator'])).toEqual({ mspid: 'Org1MSP', idBytes: devUser('Org1MSP', 'user1').certPem });
  expect(await get(['getCreator'], { mspId: 'Org2MSP', user: 'bob' })).toEqual({ mspid: 'Org2MSP', idBytes: devUser('Org2MSP', 'bob').certPem });
  // CORE_PEER_LOCALMSPID from the peer's launcher environment (shim.GetMSPID in Go).
  expect(await get(['getMspID'])).toBe('Org1MSP');

  expect(await get(['getTransient'])).toEqual({});
  await o.transient();

  const spr = await ev(['getSignedProposal'], { channel: 'ch2' });
  expect(spr.json()).toEqual({ channelId: 'ch2', txId: spr.txId, mspid: 'Org1MSP' });

  const now = Date.now();
  const ts = await get<{ seconds: string; nanos: number }>(['getTxTimestamp']);
  expect(ts.seconds).toMatch(/^\d+$/);
  expect(Math.abs(Number(ts.seconds) * 1000 - now)).toBeLessThan(120_000);
  expect(Number.isInteger(ts.nanos) && ts.nanos >= 0 && ts.nanos < 1e9).toBe(true);
  const date = await get<string>(['getDateTimestamp']);
  expect(Math.abs(Date.parse(date) - now)).toBeLessThan(120_000);
  expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const b1 = await get<string>(['getBinding']);
  const b2 = await get<string>(['getBinding']);
  expect(b1).toMatch(/^[0-9a-f]{64}$/);
  expect(b2).toMatch(/^[0-9a-f]{64}$/);
  expect(b1).not.toBe(b2); // a fresh nonce per proposal

  devUser('Org1MSP', 'attruser', { level: '3' });
  const who = await get<{ id: string; mspid: string; attr: string | null; ou: boolean }>(['clientIdentity', 'level', 'client'], { user: 'attruser' });
  expect(Object.keys(who)).toEqual(['id', 'mspid', 'attr', 'ou']);
  expect(who).toMatchObject({ mspid: 'Org1MSP', attr: '3', ou: true });
  expect(who.id).toMatch(o.clientId.attruser);
  expect(await get(['clientIdentity', 'level', 'admin'])).toMatchObject({ mspid: 'Org1MSP', attr: null, ou: false, id: expect.stringContaining(o.clientId.user1) });

  expect(await get(['createCompositeKey', 'color', J(['blue', '1'])])).toBe(ck('color', 'blue', '1'));
  expect(await get(['splitCompositeKey', 'color', J(['blue', '1'])])).toEqual({ objectType: 'color', attributes: ['blue', '1'] });
  expect(await get(['splitCompositeKey', 'color', J([])])).toEqual({ objectType: 'color', attributes: [] });
}

/** A write is read back in a later transaction, a delete removes it, an evaluation commits nothing, history has the txids. */
export async function publicState(s: CommandSuite, more?: More): Promise<void> {
  const { ev, get, put, committed } = s;
  const { r: r1, value } = await put(['putState', 'k1', 'v1']);
  expect(value).toBeNull();
  expect(await get(['getState', 'k1'])).toBe('v1');
  expect(await committed('k1')).toBe('v1');
  const { r: r2 } = await put(['putState', 'k1', 'v2']);
  expect(await get(['getState', 'k1'])).toBe('v2');

  const evaluated = await ev(['putState', 'k1', 'not committed']);
  expect(evaluated.status).toBe(200);
  expect(evaluated.committed).toBe(false);
  expect(await get(['getState', 'k1'])).toBe('v2');

  const { r: r3 } = await put(['deleteState', 'k1']);
  expect(await get(['getState', 'k1'])).toBe('');
  expect(await committed('k1')).toBeUndefined();
  expect(await get(['getState', 'never-written'])).toBe('');

  expect(await get<History[]>(['getHistoryForKey', 'k1'])).toEqual([
    { txId: r3.txId, value: '', isDelete: true },
    { txId: r2.txId, value: 'v2', isDelete: false },
    { txId: r1.txId, value: 'v1', isDelete: false },
  ]);
  expect(await get(['getHistoryForKey', 'never-written'])).toEqual([]);
  await more?.();
}

export interface ValidationParameterOptions {
  /** Checks the committed VALIDATION_PARAMETER entry of the first policy (Org1MSP, Org2MSP). */
  committedPolicy?: (metadata: { metakey: string; value: Uint8Array }) => void;
  more?: More;
}

/** Key-level validation parameters are committed, read back and replaced. */
export async function validationParameters(s: CommandSuite, o: ValidationParameterOptions = {}): Promise<void> {
  const { get, put } = s;
  await put(['putState', 'vp', 'guarded']);
  await put(['setStateValidationParameter', 'vp', J(['Org1MSP', 'Org2MSP'])]);
  expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org1MSP', 'Org2MSP']);
  const stored = await s.t.peer.worldState.getCommitted(CHANNEL, 'allstub', 'vp');
  expect(stored?.metadata.map((m) => m.metakey)).toEqual(['VALIDATION_PARAMETER']);
  o.committedPolicy?.(stored!.metadata[0]!);

  await put(['setStateValidationParameter', 'vp', J(['Org2MSP'])]);
  expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org2MSP']);
  expect(await get(['getStateValidationParameter', 'unguarded'])).toBeNull();
  expect(await get(['getState', 'vp'])).toBe('guarded');
  await o.more?.();
}

/** A bounded range, and every key once through pages of 10 with bookmarks. */
export async function rangeQueries(s: CommandSuite): Promise<void> {
  const { get, put } = s;
  const pairs = Array.from({ length: 25 }, (_, i) => [`r${String(i).padStart(2, '0')}`, `v${i}`]);
  await put(['batchPut', J(pairs), 'finish']);
  expect(await get(['getStateByRange', 'r05', 'r08'])).toEqual([
    { key: 'r05', value: 'v5' },
    { key: 'r06', value: 'v6' },
    { key: 'r07', value: 'v7' },
  ]);
  const pages: Page[] = [];
  let bookmark = '';
  do {
    const page = await get<Page>(['getStateByRangeWithPagination', 'r', 's', '10', bookmark]);
    pages.push(page);
    bookmark = page.metadata.bookmark;
  } while (bookmark !== '' && pages.length < 10);
  expect(pages.map((p) => p.metadata)).toEqual([
    { fetchedRecordsCount: 10, bookmark: 'r10' },
    { fetchedRecordsCount: 10, bookmark: 'r20' },
    { fetchedRecordsCount: 5, bookmark: '' },
  ]);
  expect(pages.flatMap((p) => p.records)).toEqual(pairs.map(([key, value]) => ({ key, value })));
}

/** Partial-key queries with and without pagination, all composite keys; plain ranges skip them. */
export async function compositeKeys(s: CommandSuite, more?: More): Promise<void> {
  const { get, put } = s;
  const blue1 = await get<string>(['createCompositeKey', 'color', J(['blue', '1'])]);
  await put(['putState', blue1, 'b1']);
  await put(['batchPut', J([[ck('color', 'blue', '2'), 'b2'], [ck('color', 'red', '3'), 'r3'], [ck('size', 'big'), 's']])]);

  expect(await get(['getStateByPartialCompositeKey', 'color', J(['blue'])])).toEqual([
    { key: ck('color', 'blue', '1'), value: 'b1' },
    { key: ck('color', 'blue', '2'), value: 'b2' },
  ]);
  expect((await get<Page['records']>(['getStateByPartialCompositeKey', 'color', J([])])).map((r) => r.value)).toEqual(['b1', 'b2', 'r3']);

  const p1 = await get<Page>(['getStateByPartialCompositeKeyWithPagination', 'color', J([]), '2', '']);
  expect(p1).toEqual({ records: [{ key: ck('color', 'blue', '1'), value: 'b1' }, { key: ck('color', 'blue', '2'), value: 'b2' }], metadata: { fetchedRecordsCount: 2, bookmark: ck('color', 'red', '3') } });
  const p2 = await get<Page>(['getStateByPartialCompositeKeyWithPagination', 'color', J([]), '2', p1.metadata.bookmark]);
  expect(p2).toEqual({ records: [{ key: ck('color', 'red', '3'), value: 'r3' }], metadata: { fetchedRecordsCount: 1, bookmark: '' } });

  const a1 = await get<Page>(['getAllStatesCompositeKeyWithPagination', '3', '']);
  expect(a1.records.map((r) => r.value)).toEqual(['b1', 'b2', 'r3']);
  expect(a1.metadata).toEqual({ fetchedRecordsCount: 3, bookmark: ck('size', 'big') });
  const a2 = await get<Page>(['getAllStatesCompositeKeyWithPagination', '3', a1.metadata.bookmark]);
  expect(a2).toEqual({ records: [{ key: ck('size', 'big'), value: 's' }], metadata: { fetchedRecordsCount: 1, bookmark: '' } });

  const all = await get<Page['records']>(['getStateByRange', '', '']);
  expect(all.length).toBeGreaterThan(0);
  expect(all.filter((r) => r.key.startsWith('\u0000'))).toEqual([]);
  await more?.();
}

/** Mango selectors on JSON values, with and without pagination. */
export async function richQueries(s: CommandSuite): Promise<void> {
  const { get, put } = s;
  const docs = Array.from({ length: 5 }, (_, i) => [`doc${i}`, J({ docType: 'doc', n: i, color: i % 2 ? 'red' : 'blue' })]);
  await put(['batchPut', J([...docs, ['notjson', 'plain text']]), 'finish']);
  const q = (selector: object): string => J({ selector });

  expect(await get(['getQueryResult', q({ docType: 'doc', n: { $gte: 2 } })])).toEqual(docs.slice(2).map(([key, value]) => ({ key, value })));
  expect((await get<Page['records']>(['getQueryResult', q({ docType: 'doc', color: 'red' })])).map((r) => r.key)).toEqual(['doc1', 'doc3']);
  expect(await get(['getQueryResult', q({ docType: 'nothing' })])).toEqual([]);

  const pages: Page[] = [];
  let bookmark = '';
  for (;;) {
    const page = await get<Page>(['getQueryResultWithPagination', q({ docType: 'doc' }), '2', bookmark]);
    pages.push(page);
    expect(page.metadata.fetchedRecordsCount).toBe(page.records.length);
    if (page.records.length < 2 || pages.length >= 10) break;
    expect(page.metadata.bookmark).not.toBe('');
    bookmark = page.metadata.bookmark;
  }
  expect(pages.map((p) => p.records.map((r) => r.key))).toEqual([['doc0', 'doc1'], ['doc2', 'doc3'], ['doc4']]);
}

/**
 * Private data written directly and from the transient map, read back, hashed, queried,
 * member-only, with a validation parameter, deleted, purged.
 */
export async function privateData(s: CommandSuite, more?: More): Promise<void> {
  const { ev, get, put, sub, rec } = s;
  await put(['putPrivateData', COLL, 'pk', 'pv']);
  const { r: fromTransient } = await put(['putPrivateDataFromTransient', COLL, 'pk2', 'secretField'], { transient: { secretField: enc('from transient') } });
  expect(fromTransient.committed).toBe(true);
  const missing = await sub(['putPrivateDataFromTransient', COLL, 'pk3', 'secretField']);
  expect(missing).toMatchObject({ status: 500, message: s.failure('transient field secretField is missing'), committed: false });

  expect(await get(['getPrivateData', COLL, 'pk'])).toBe('pv');
  expect(await get(['getPrivateData', COLL, 'pk2'])).toBe('from transient');
  expect(await get(['getPrivateData', COLL, 'pk3'])).toBe('');
  expect(await get(['getPrivateDataHash', COLL, 'pk'])).toBe(sha256hex('pv'));
  expect(await get(['getPrivateDataHash', COLL, 'pk2'])).toBe(sha256hex('from transient'));
  const stored = await s.t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2');
  expect(dec(stored?.value)).toBe('from transient');
  expect(Buffer.from(stored!.valueHash).toString('hex')).toBe(sha256hex('from transient'));
  // the public state holds nothing of it
  expect(await get(['getState', 'pk2'])).toBe('');

  const multi = await ev(['getMultiplePrivateData', COLL, J(['pk', 'pk2', 'nope'])]);
  expect(multi.json()).toEqual(['pv', 'from transient', '']);
  expect(rec.of(multi.txId, 'allstub').filter((m) => m.type === 'GET_STATE_MULTIPLE')).toMatchObject([{ direction: 'in', size: 3, collection: COLL }]);

  await put(['setPrivateDataValidationParameter', COLL, 'pk', J(['Org3MSP'])]);
  expect(await get(['getPrivateDataValidationParameter', COLL, 'pk'])).toEqual(['Org3MSP']);
  expect(await get(['getPrivateDataValidationParameter', COLL, 'pk2'])).toBeNull();

  await put(['putPrivateData', COLL, ck('pt', 'a', '1'), J({ kind: 'p', n: 1 })]);
  await put(['putPrivateData', COLL, ck('pt', 'b', '2'), J({ kind: 'p', n: 2 })]);
  expect(await get(['getPrivateDataByRange', COLL, '', ''])).toEqual([
    { key: 'pk', value: 'pv' },
    { key: 'pk2', value: 'from transient' },
  ]);
  expect(await get(['getPrivateDataByRange', COLL, 'pk2', ''])).toEqual([{ key: 'pk2', value: 'from transient' }]);
  expect(await get(['getPrivateDataByPartialCompositeKey', COLL, 'pt', J(['b'])])).toEqual([{ key: ck('pt', 'b', '2'), value: J({ kind: 'p', n: 2 }) }]);
  expect((await get<Page['records']>(['getPrivateDataByPartialCompositeKey', COLL, 'pt', J([])])).map((r) => r.key)).toEqual([ck('pt', 'a', '1'), ck('pt', 'b', '2')]);
  expect(await get(['getPrivateDataQueryResult', COLL, J({ selector: { kind: 'p', n: { $lt: 2 } } })])).toEqual([{ key: ck('pt', 'a', '1'), value: J({ kind: 'p', n: 1 }) }]);

  // memberOnlyRead: a creator from Org2MSP may not read, but may see the hash
  const outsider = await ev(['getPrivateData', COLL, 'pk'], { mspId: 'Org2MSP' });
  expect(outsider.status).toBe(500);
  expect(outsider.message).toContain('tx creator does not have read access permission on privatedata in chaincodeName:allstub collectionName: coll1');
  expect(await get(['getPrivateDataHash', COLL, 'pk'], { mspId: 'Org2MSP' })).toBe(sha256hex('pv'));
  // an unknown collection
  const unknown = await ev(['getPrivateData', 'nocoll', 'pk']);
  expect(unknown.status).toBe(500);
  expect(unknown.message).toContain('nocoll');

  await put(['deletePrivateData', COLL, 'pk']);
  expect(await get(['getPrivateData', COLL, 'pk'])).toBe('');
  expect(await get(['getPrivateDataHash', COLL, 'pk'])).toBe('');
  await put(['purgePrivateData', COLL, 'pk2']);
  expect(await get(['getMultiplePrivateData', COLL, J(['pk', 'pk2'])])).toEqual(['', '']);
  expect(await get(['getPrivateDataHash', COLL, 'pk2'])).toBe('');
  expect(await s.t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2')).toBeUndefined();
  await more?.();
}

/** setEvent travels with the transaction result; a transaction without one has none. */
export async function events(s: CommandSuite, more?: More): Promise<void> {
  const { r } = await s.put(['setEvent', 'AssetCreated', J({ id: 7 })]);
  expect(r.events.map((e) => ({ name: e.name, payload: dec(e.payload) }))).toEqual([{ name: 'AssetCreated', payload: J({ id: 7 }) }]);
  const none = await s.put(['putState', 'no-event', 'x']);
  expect(none.r.events).toEqual([]);
  await more?.();
}

export interface InvokeChaincodeOptions {
  /**
   * Checks what the caller's client gets when the callee `other` failed with 'callee failed' in a
   * submitted invokeChaincode (how a callee's failure reaches the caller differs between the shims).
   */
  calleeFailed(r: Result): void;
}

/**
 * invokeChaincode: on the same channel the call joins the transaction (the callee's writes commit
 * with it), on another channel it is a read-only query; status and errors come back.
 */
export async function invokeChaincode(s: CommandSuite, o: InvokeChaincodeOptions): Promise<void> {
  const { get, put, sub, rec, committed } = s;
  const peer = s.t.peer;
  const { r, value } = await put(['invokeChaincode', 'other', J(['putState', 'cc2cc', 'yes']), '']);
  expect(value).toEqual({ status: 200, message: '', payload: 'null' });
  expect(rec.of(r.txId, 'other').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in PUT_STATE', 'out RESPONSE', 'in COMPLETED']);
  expect(rec.of(r.txId, 'allstub').map((m) => m.type)).toContain('INVOKE_CHAINCODE');
  // committed in the callee's namespace, with the caller's transaction
  expect((await read(peer, 'other', ['getState', 'cc2cc'])).json()).toBe('yes');
  expect(await committed('cc2cc', 'other')).toBe('yes');
  expect(await get(['getState', 'cc2cc'])).toBe('');
  expect(await get(['invokeChaincode', 'other', J(['getState', 'cc2cc']), ''])).toEqual({ status: 200, message: '', payload: J('yes') });

  expect(await get(['invokeChaincode', 'other', J(['getChannelID']), 'ch2'])).toEqual({ status: 200, message: '', payload: J('ch2') });
  await put(['invokeChaincode', 'other', J(['putState', 'elsewhere', 'x']), 'ch2']);
  expect(await committed('elsewhere', 'other', 'ch2')).toBeUndefined();
  expect((await read(peer, 'other', ['getState', 'elsewhere'], { channel: 'ch2' })).json()).toBe('');

  expect(await get(['invokeChaincode', 'other', J(['status', '404', 'nope']), ''])).toEqual({ status: 404, message: 'nope', payload: '' });
  o.calleeFailed(await sub(['invokeChaincode', 'other', J(['throw', 'callee failed']), '']));
}

/**
 * Write batches: WRITE_BATCH_STATE on the wire in chunks of the advertised 1000, committed; an
 * evaluated batch commits nothing. getMultipleStates: GET_STATE_MULTIPLE in chunks of 1000 likewise.
 */
export async function writeBatches(s: CommandSuite): Promise<void> {
  const { ev, get, put, rec, committed } = s;
  const small = await put(['batchPut', J([['w1', '1'], ['w2', '2']]), 'finish']);
  expect(rec.of(small.r.txId, 'allstub').map((m) => `${m.direction} ${typeAndSize(m)}`)).toEqual(['out TRANSACTION', 'in WRITE_BATCH_STATE 2', 'out RESPONSE', 'in COMPLETED']);

  const big = Array.from({ length: 1500 }, (_, i) => [`b${String(i).padStart(4, '0')}`, String(i)]);
  // no explicit finish: the shim (ours or Go's) flushes the batch when Invoke returns
  const { r } = await put(['batchPut', J(big)]);
  const sent = rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in');
  expect(sent.map(typeAndSize)).toEqual(['WRITE_BATCH_STATE 1000', 'WRITE_BATCH_STATE 500', 'COMPLETED']);
  expect(await committed('b0000')).toBe('0');
  expect(await committed('b1499')).toBe('1499');

  const keys = [...big.map(([k]) => k!), 'missing', 'w1', 'w2'];
  const multi = await ev(['getMultipleStates', J(keys)]);
  expect(multi.status, s.why(multi)).toBe(200);
  expect(multi.json()).toEqual([...big.map(([, v]) => v), '', '1', '2']);
  const reads = rec.of(multi.txId, 'allstub').filter((m) => m.direction === 'in');
  expect(reads.map(typeAndSize)).toEqual(['GET_STATE_MULTIPLE 1000', 'GET_STATE_MULTIPLE 503', 'COMPLETED']);

  // an evaluated batch commits nothing
  const evaluated = await ev(['batchPut', J([['e1', '1']]), 'finish']);
  expect(evaluated.status).toBe(200);
  expect(evaluated.committed).toBe(false);
  expect(await get(['getState', 'e1'])).toBe('');
}

export interface ResponsesOptions {
  /** More checks of the `throw on purpose` transaction (status, message, committed and events are checked already). */
  thrown?: (r: Result) => void;
  /** Checks what the client gets for `noResponse` (Invoke returned without a response). */
  noResponse(r: Result): void;
  more?: More;
}

/**
 * Responses: a thrown error, no response, an error status, a success other than 200, an unknown
 * command; 20 concurrent transactions all commit.
 */
export async function responses(s: CommandSuite, o: ResponsesOptions): Promise<void> {
  const { get, sub } = s;
  const thrown = await sub(['throw', 'on purpose']);
  expect(thrown).toMatchObject({ status: 500, message: s.failure('on purpose'), committed: false, events: [] });
  o.thrown?.(thrown);
  o.noResponse(await sub(['noResponse']));
  expect(await sub(['status', '404', 'not here'])).toMatchObject({ status: 404, message: 'not here', committed: false });
  expect(await sub(['status', '201', 'made'])).toMatchObject({ status: 201, message: 'made', committed: true });
  // not through ev: noSuchCommand is no command of the vocabulary, so it must not count as driven
  const unknownCommand = await evaluate(s.t.peer, 'allstub', ['noSuchCommand']);
  expect(unknownCommand).toMatchObject({ status: 500, message: s.failure('unknown command noSuchCommand') });

  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => sub(['putState', `c${i}`, String(i)])));
  expect(many.map((m) => [m.status, m.committed])).toEqual(Array.from({ length: 20 }, () => [200, true]));
  expect(new Set(many.map((m) => m.txId)).size).toBe(20);
  expect(await get(['getMultipleStates', J(many.map((_, i) => `c${i}`))])).toEqual(many.map((_, i) => String(i)));
  await o.more?.();
}
