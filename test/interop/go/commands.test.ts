/**
 * The Go shim's command chaincode (test/interop/go/cmd/command: fabric-chaincode-go/v2, the same
 * command vocabulary as our runtime's test/chaincode/fixtures/allStub.ts) launched by our peer
 * (`Peer`, `kind: 'process'`: the binary with --peer.address and Fabric's launcher environment).
 * A second instance, `other`, is the target of InvokeChaincode; so is `node`, our runtime's
 * allStub.ts, for calls across implementations.
 *
 * Every command is driven (the Node fixture's list is read from its source, the Go one from
 * commands.go; the last test fails if one was left out), and results are checked against what the
 * peer committed: writes are read back in later transactions and in the world state, queries page
 * through real data, history carries the txids, the protocol trace shows what the Go shim sent.
 * Where the result is defined by JavaScript (JSON text, UTF-8 decoding, Date), it is compared byte
 * for byte with what Node computes for the same input.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeyEndorsementPolicy } from '../../../src/chaincode/index.js';
import { devUser } from '../../../src/identity/index.js';
import { ALLSTUB, allStubCommands, memberOnlyCollection, traceRecorder, tsxCommand } from '../../chaincode/devpeer/helpers.js';
import { REPO, cleanup, closePeer, evaluate, read, startPeer, submit, waitReady, type CallOptions, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { binCommand } from './helpers.js';
import { GO } from './toolchain.js';

const COLL = 'coll1';
const CHANNEL = 'mychannel';
const J = JSON.stringify;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));
const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

/** Commands the Go command chaincode only has (see the table in cmd/command/main.go). */
const GO_ONLY = ['batchOps'];

/** Every command the Go chaincode's runCommand switch handles, read from commands.go. */
function goCommands(): string[] {
  const source = readFileSync(join(import.meta.dirname, 'cmd/command/commands.go'), 'utf8');
  const body = source.slice(source.indexOf('func runCommand('));
  const out: string[] = [];
  for (const m of body.matchAll(/\bcase\s+((?:"[^"]+"\s*,?\s*)+):/g)) out.push(...[...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
  return [...new Set(out)].sort();
}

interface Page {
  records: Array<{ key: string; value: string }>;
  metadata: { fetchedRecordsCount: number; bookmark: string };
}
interface History {
  txId: string;
  value: string;
  isDelete: boolean;
}

afterAll(cleanup);

describe.skipIf(GO.skip)('the Go shim command chaincode, launched by our peer', { timeout: 60_000 }, () => {
  let t: TestPeer;
  const rec = traceRecorder();
  /** Commands sent to `allstub` (checked against both lists at the end). */
  const driven = new Set<string>();

  beforeAll(async () => {
    const launch = { kind: 'process' as const, command: binCommand(GO.command) };
    t = await startPeer({
      chaincodes: { allstub: launch, other: launch, node: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO } },
      collections: { allstub: [memberOnlyCollection(COLL)] },
      trace: rec.trace,
    });
    await waitReady(t.peer, 'allstub', 30_000);
    await waitReady(t.peer, 'other', 30_000);
    await waitReady(t.peer, 'node', 30_000);
  }, 60_000);
  afterAll(async () => {
    await closePeer(t);
  });

  const why = (r: Result): string => `${r.status} ${r.message}\n${t.output()}`;
  const sub = (args: (string | Uint8Array)[], o?: CallOptions): Promise<Result> => {
    driven.add(String(args[0]));
    return submit(t.peer, 'allstub', args, o);
  };
  const ev = (args: (string | Uint8Array)[], o?: CallOptions): Promise<Result> => {
    driven.add(String(args[0]));
    return evaluate(t.peer, 'allstub', args, o);
  };
  /** Submit, require a committed 200, return the JSON result. */
  const put = async <T = unknown>(args: string[], o?: CallOptions): Promise<{ r: Result; value: T }> => {
    const r = await sub(args, o);
    expect(r.status, why(r)).toBe(200);
    expect(r.committed).toBe(true);
    return { r, value: r.json<T>() };
  };
  /** Evaluate, require 200 (nothing committed), return the JSON result. */
  const get = async <T = unknown>(args: (string | Uint8Array)[], o?: CallOptions): Promise<T> => {
    const r = await ev(args, o);
    expect(r.status, why(r)).toBe(200);
    expect(r.committed).toBe(false);
    return r.json<T>();
  };
  const committed = async (key: string, ns = 'allstub', channel = CHANNEL): Promise<string | undefined> =>
    dec((await t.peer.worldState.getCommitted(channel, ns, key))?.value);

  it('implements exactly the command vocabulary of allStub.ts (plus its Go-only commands)', () => {
    const node = allStubCommands();
    const go = goCommands();
    expect(node.length).toBeGreaterThanOrEqual(45);
    expect(go.filter((c) => !GO_ONLY.includes(c))).toEqual(node);
  });

  it('registers as NAME:1.0; READY advertises write batches and multi-key reads (1000); Init runs', async () => {
    expect([...t.peer.listChaincodes()].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'allstub', registeredAs: 'allstub:1.0', launch: 'process', state: 'ready' },
      { name: 'node', registeredAs: 'node:1.0', launch: 'process', state: 'ready' },
      { name: 'other', registeredAs: 'other:1.0', launch: 'process', state: 'ready' },
    ]);
    const ready = rec.messages.filter((m) => m.type === 'READY');
    expect(ready.map((m) => [m.chaincode, m.direction]).sort()).toEqual([
      ['allstub:1.0', 'out'],
      ['node:1.0', 'out'],
      ['other:1.0', 'out'],
    ]);
    for (const m of ready) expect(m.ready).toEqual({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });
    const init = await submit(t.peer, 'allstub', [''], { init: true });
    expect(init.status, why(init)).toBe(200);
    expect(init.text).toBe('init');
    expect(rec.of(init.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in COMPLETED']);
  });

  it('Init: a status of 500 or more goes out as ERROR (Go shim handleInit), reported with Fabric’s texts; private data is refused in Init', async () => {
    // Fabric: core/chaincode/chaincode_support.go processChaincodeExecutionResult ("transaction returned
    // with failure: …"), core/endorser/endorser.go ProcessProposalSuccessfullyOrError ("error in simulation").
    const failure = (text: string): string => `error in simulation: transaction returned with failure: ${text}`;
    const bad = await submit(t.peer, 'allstub', ['throw', 'bad init'], { init: true });
    expect(bad).toMatchObject({ status: 500, message: failure('bad init'), committed: false });
    expect(rec.of(bad.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in ERROR']);
    const notFound = await submit(t.peer, 'allstub', ['status', '404', 'nf'], { init: true });
    expect(notFound).toMatchObject({ status: 404, message: 'nf', committed: false });
    expect(rec.of(notFound.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in COMPLETED']);
    // core/chaincode/handler.go: "private data APIs are not allowed in chaincode Init()", also in a batch
    const refused = (type: string, txId: string): string => `${type} failed: transaction ID: ${txId}: private data APIs are not allowed in chaincode Init()`;
    const pvt = await submit(t.peer, 'allstub', ['putPrivateData', COLL, 'k', 'v'], { init: true });
    expect(pvt.message).toBe(failure(refused('PUT_STATE', pvt.txId)));
    const batched = await submit(t.peer, 'allstub', ['batchOps', J([['putPrivate', COLL, 'k', 'v']])], { init: true });
    expect(batched.message).toBe(failure(`failed send batch: ${refused('WRITE_BATCH_STATE', batched.txId)}`));
    const multi = await submit(t.peer, 'allstub', ['getMultiplePrivateData', COLL, J(['a', 'b'])], { init: true });
    expect(multi.message).toBe(failure(refused('GET_STATE_MULTIPLE', multi.txId)));
  });

  it('the transaction context: arguments, txid, channel, creator, MSP id, transient map, proposal, timestamps, binding, client identity', async () => {
    expect(await get(['getArgs', 'x', 'y'])).toEqual(['getArgs', 'x', 'y']);
    expect(await get(['getStringArgs', 'a'])).toEqual(['getStringArgs', 'a']);
    expect(await get(['getBufferArgs', 'b'])).toEqual(['getBufferArgs', 'b']);
    expect(await get(['getFunctionAndParameters', 'p', 'q'])).toEqual({ fcn: 'getFunctionAndParameters', params: ['p', 'q'] });
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
    // CORE_PEER_LOCALMSPID from the peer's launcher environment (shim.GetMSPID).
    expect(await get(['getMspID'])).toBe('Org1MSP');

    expect(await get(['getTransient'])).toEqual({});
    // A Go map has no order: the keys come back integer-like first, then sorted.
    const transient = await ev(['getTransient'], { transient: { u: enc('two'), t: enc('secret'), 10: enc('ten'), 2: enc('two') } });
    expect(transient.text).toBe(J({ 2: 'two', 10: 'ten', t: 'secret', u: 'two' }));

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
    // pkg/cid's ID (base64-decoded here): RFC 2253-style DNs, most specific first (Node: /C=…/CN=…).
    expect(who.id).toMatch(/^x509::CN=attruser,OU=client,O=org1\.example\.com,L=San Francisco,ST=California,C=US::.*CN=/);
    expect(await get(['clientIdentity', 'level', 'admin'])).toMatchObject({ mspid: 'Org1MSP', attr: null, ou: false, id: expect.stringContaining('x509::CN=user1,') });

    expect(await get(['createCompositeKey', 'color', J(['blue', '1'])])).toBe(ck('color', 'blue', '1'));
    expect(await get(['splitCompositeKey', 'color', J(['blue', '1'])])).toEqual({ objectType: 'color', attributes: ['blue', '1'] });
    expect(await get(['splitCompositeKey', 'color', J([])])).toEqual({ objectType: 'color', attributes: [] });
  });

  it('results are the JSON text Node writes for the same input: escapes, invalid UTF-8, key order', async () => {
    // What allStub.ts computes: JSON.stringify over Buffer#toString('utf8') of each argument.
    const node = (args: Uint8Array[]): string => J(args.map((a) => Buffer.from(a).toString('utf8')));
    const tricky = [
      enc('getArgs'),
      enc('quote " backslash \\ slash / <tag> & amp'),
      enc('controls \u0000\u0001\b\t\n\v\f\r\u001f\u007f'),
      enc('line separators \u2028 \u2029, emoji \u{1F600}, CJK \u4e2d'),
      // ill-formed UTF-8: lone continuation, truncated 2/3/4-byte sequences, overlong, surrogate, > U+10FFFF
      Uint8Array.from([0x61, 0x80, 0x62, 0xc3, 0x63, 0xe2, 0x82, 0x64, 0xf0, 0x9f, 0x98, 0x65]),
      Uint8Array.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xff, 0xfe]),
      Uint8Array.from([0xe2, 0x82]),
    ];
    const r = await ev(tricky);
    expect(r.status, why(r)).toBe(200);
    expect(r.text).toBe(node(tricky));
    // getStringArgs decodes the same way; getArgsSlice concatenates the bytes first.
    tricky[0] = enc('getStringArgs');
    expect((await ev(tricky)).text).toBe(node(tricky));
    tricky[0] = enc('getArgsSlice');
    expect((await ev(tricky)).text).toBe(J(Buffer.concat(tricky).toString('utf8')));
    // A value stored with those bytes reads back as the same text.
    const weird = 'k\u0000ey"\\\u2028';
    await put(['putState', 'weird', weird]);
    expect((await ev(['getState', 'weird'])).text).toBe(J(weird));
  });

  it('public state: a write is read back in a later transaction, a delete removes it, an evaluation commits nothing, history has the txids', async () => {
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

    // the Go shim refuses an empty key itself
    const empty = await sub(['putState', '', 'x']);
    expect(empty).toMatchObject({ status: 500, message: 'key must not be an empty string', committed: false });
  });

  it('key-level endorsement policies (pkg/statebased): committed as the same bytes our runtime builds, read back, replaced', async () => {
    await put(['putState', 'vp', 'guarded']);
    await put(['setStateValidationParameter', 'vp', J(['Org1MSP', 'Org2MSP'])]);
    expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org1MSP', 'Org2MSP']);
    const stored = await t.peer.worldState.getCommitted(CHANNEL, 'allstub', 'vp');
    expect(stored?.metadata.map((m) => m.metakey)).toEqual(['VALIDATION_PARAMETER']);
    const ours = new KeyEndorsementPolicy();
    ours.addOrgs('MEMBER', 'Org1MSP', 'Org2MSP');
    expect(Buffer.from(stored!.metadata[0]!.value).toString('hex')).toBe(ours.getPolicy().toString('hex'));

    await put(['setStateValidationParameter', 'vp', J(['Org2MSP'])]);
    expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org2MSP']);
    expect(await get(['getStateValidationParameter', 'unguarded'])).toBeNull();
    expect(await get(['getState', 'vp'])).toBe('guarded');
    // statebased sorts the orgs it writes (Node's KeyEndorsementPolicy keeps the order given)
    await put(['setStateValidationParameter', 'vp', J(['Org3MSP', 'Org1MSP'])]);
    expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org1MSP', 'Org3MSP']);
  });

  it('range queries: a bounded range, and every key once through pages of 10 with bookmarks', async () => {
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
      const p = await get<Page>(['getStateByRangeWithPagination', 'r', 's', '10', bookmark]);
      pages.push(p);
      bookmark = p.metadata.bookmark;
    } while (bookmark !== '' && pages.length < 10);
    expect(pages.map((p) => p.metadata)).toEqual([
      { fetchedRecordsCount: 10, bookmark: 'r10' },
      { fetchedRecordsCount: 10, bookmark: 'r20' },
      { fetchedRecordsCount: 5, bookmark: '' },
    ]);
    expect(pages.flatMap((p) => p.records)).toEqual(pairs.map(([key, value]) => ({ key, value })));
  });

  it('range queries over more than one QUERY_STATE_NEXT batch', async () => {
    const pairs = Array.from({ length: 250 }, (_, i) => [`big${String(i).padStart(3, '0')}`, String(i)]);
    await put(['batchPut', J(pairs), 'finish']);
    const r = await ev(['getStateByRange', 'big', 'bih']);
    expect(r.status, why(r)).toBe(200);
    expect(r.json<Page['records']>().map((x) => x.key)).toEqual(pairs.map(([k]) => k));
    const types = rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in').map((m) => m.type);
    expect(types).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT', 'QUERY_STATE_CLOSE', 'COMPLETED']);
  });

  it('composite keys: partial-key queries with and without pagination, all composite keys; plain ranges skip them', async () => {
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

    // the Go shim refuses U+0000 inside a part (Node's createCompositeKey does not)
    const bad = await ev(['createCompositeKey', 'color', J(['a\u0000b'])]);
    expect(bad.status).toBe(500);
    expect(bad.message).toMatch(/^input contains unicode U\+0000/);
  });

  it('rich queries (Mango selectors on JSON values) with and without pagination', async () => {
    const docs = Array.from({ length: 5 }, (_, i) => [`doc${i}`, J({ docType: 'doc', n: i, color: i % 2 ? 'red' : 'blue' })]);
    await put(['batchPut', J([...docs, ['notjson', 'plain text']]), 'finish']);
    const q = (selector: object): string => J({ selector });

    expect(await get(['getQueryResult', q({ docType: 'doc', n: { $gte: 2 } })])).toEqual(docs.slice(2).map(([key, value]) => ({ key, value })));
    expect((await get<Page['records']>(['getQueryResult', q({ docType: 'doc', color: 'red' })])).map((r) => r.key)).toEqual(['doc1', 'doc3']);
    expect(await get(['getQueryResult', q({ docType: 'nothing' })])).toEqual([]);

    const pages: Page[] = [];
    let bookmark = '';
    for (;;) {
      const p = await get<Page>(['getQueryResultWithPagination', q({ docType: 'doc' }), '2', bookmark]);
      pages.push(p);
      expect(p.metadata.fetchedRecordsCount).toBe(p.records.length);
      if (p.records.length < 2 || pages.length >= 10) break;
      expect(p.metadata.bookmark).not.toBe('');
      bookmark = p.metadata.bookmark;
    }
    expect(pages.map((p) => p.records.map((r) => r.key))).toEqual([['doc0', 'doc1'], ['doc2', 'doc3'], ['doc4']]);
  });

  it('private data: written directly and from the transient map, read back, hashed, queried, member-only, validation parameter, deleted, purged', async () => {
    await put(['putPrivateData', COLL, 'pk', 'pv']);
    const { r: fromTransient } = await put(['putPrivateDataFromTransient', COLL, 'pk2', 'secretField'], { transient: { secretField: enc('from transient') } });
    expect(fromTransient.committed).toBe(true);
    const missing = await sub(['putPrivateDataFromTransient', COLL, 'pk3', 'secretField']);
    // shim.Error: status 500 with the text (Node's runtime fails with ERROR, which the peer prefixes)
    expect(missing).toMatchObject({ status: 500, message: 'transient field secretField is missing', committed: false });

    expect(await get(['getPrivateData', COLL, 'pk'])).toBe('pv');
    expect(await get(['getPrivateData', COLL, 'pk2'])).toBe('from transient');
    expect(await get(['getPrivateData', COLL, 'pk3'])).toBe('');
    expect(await get(['getPrivateDataHash', COLL, 'pk'])).toBe(sha256hex('pv'));
    expect(await get(['getPrivateDataHash', COLL, 'pk2'])).toBe(sha256hex('from transient'));
    const stored = await t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2');
    expect(dec(stored?.value)).toBe('from transient');
    expect(Buffer.from(stored!.valueHash).toString('hex')).toBe(sha256hex('from transient'));
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
    const unknown = await ev(['getPrivateData', 'nocoll', 'pk']);
    expect(unknown.status).toBe(500);
    expect(unknown.message).toContain('nocoll');
    // the Go shim refuses an empty collection itself
    expect(await ev(['getPrivateData', '', 'pk'])).toMatchObject({ status: 500, message: 'collection must not be an empty string' });

    await put(['deletePrivateData', COLL, 'pk']);
    expect(await get(['getPrivateData', COLL, 'pk'])).toBe('');
    expect(await get(['getPrivateDataHash', COLL, 'pk'])).toBe('');
    await put(['purgePrivateData', COLL, 'pk2']);
    expect(await get(['getMultiplePrivateData', COLL, J(['pk', 'pk2'])])).toEqual(['', '']);
    expect(await get(['getPrivateDataHash', COLL, 'pk2'])).toBe('');
    expect(await t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2')).toBeUndefined();
  });

  it('events: SetEvent travels with the transaction result', async () => {
    const { r } = await put(['setEvent', 'AssetCreated', J({ id: 7 })]);
    expect(r.events.map((e) => ({ name: e.name, payload: dec(e.payload) }))).toEqual([{ name: 'AssetCreated', payload: J({ id: 7 }) }]);
    const none = await put(['putState', 'no-event', 'x']);
    expect(none.r.events).toEqual([]);
    const empty = await sub(['setEvent', '', 'x']);
    expect(empty).toMatchObject({ status: 500, message: 'event name can not be empty string' });
  });

  it('InvokeChaincode: same channel joins the transaction (writes commit with it), another channel is a read-only query; status and errors come back', async () => {
    const { r, value } = await put(['invokeChaincode', 'other', J(['putState', 'cc2cc', 'yes']), '']);
    expect(value).toEqual({ status: 200, message: '', payload: 'null' });
    expect(rec.of(r.txId, 'other').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in PUT_STATE', 'out RESPONSE', 'in COMPLETED']);
    expect(rec.of(r.txId, 'allstub').map((m) => m.type)).toContain('INVOKE_CHAINCODE');
    expect((await read(t.peer, 'other', ['getState', 'cc2cc'])).json()).toBe('yes');
    expect(await committed('cc2cc', 'other')).toBe('yes');
    expect(await get(['getState', 'cc2cc'])).toBe('');
    expect(await get(['invokeChaincode', 'other', J(['getState', 'cc2cc']), ''])).toEqual({ status: 200, message: '', payload: J('yes') });

    expect(await get(['invokeChaincode', 'other', J(['getChannelID']), 'ch2'])).toEqual({ status: 200, message: '', payload: J('ch2') });
    await put(['invokeChaincode', 'other', J(['putState', 'elsewhere', 'x']), 'ch2']);
    expect(await committed('elsewhere', 'other', 'ch2')).toBeUndefined();
    expect((await read(t.peer, 'other', ['getState', 'elsewhere'], { channel: 'ch2' })).json()).toBe('');

    expect(await get(['invokeChaincode', 'other', J(['status', '404', 'nope']), ''])).toEqual({ status: 404, message: 'nope', payload: '' });
    // The callee's shim.Error is a COMPLETED with status 500: the Go caller gets it as a Response.
    const thrown = await sub(['invokeChaincode', 'other', J(['throw', 'callee failed']), '']);
    expect(thrown.status, why(thrown)).toBe(200);
    expect(thrown.json()).toEqual({ status: 500, message: 'callee failed', payload: '' });
  });

  it('InvokeChaincode across implementations and its failures, as Fabric answers them', async () => {
    // Go → our runtime and back: the same command, the same JSON.
    expect(await get(['invokeChaincode', 'node', J(['getState', 'cc2cc']), ''])).toEqual({ status: 200, message: '', payload: J('') });
    const viaNode = await read(t.peer, 'node', ['invokeChaincode', 'allstub', J(['getFunctionAndParameters', 'x']), '']);
    expect(viaNode.json()).toEqual({ status: 200, message: '', payload: J({ fcn: 'getFunctionAndParameters', params: ['x'] }) });

    // A callee that fails with ERROR (our runtime, when its command throws): like Fabric
    // (core/chaincode/handler.go HandleInvokeChaincode), the peer answers the caller RESPONSE with the
    // callee's ChaincodeMessage marshalled in it; the Go shim (shim/handler.go handleInvokeChaincode)
    // sees a type other than COMPLETED and hands the chaincode status 500 with those bytes as payload.
    const r = await sub(['invokeChaincode', 'node', J(['throw', 'callee threw']), '']);
    expect(r.status, why(r)).toBe(200);
    const nodeTx = rec.of(r.txId, 'node').map((m) => `${m.direction} ${m.type}`);
    expect(nodeTx).toEqual(['out TRANSACTION', 'in ERROR']);
    expect(rec.of(r.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in INVOKE_CHAINCODE', 'out RESPONSE', 'in COMPLETED']);
    // protos.ChaincodeMessage{type: ERROR (7), payload, txid, channel_id} as protobuf bytes, read as text
    expect(r.json()).toEqual({ status: 500, message: '', payload: `\b\u0007\u001a\fcallee threw"@${r.txId}:\tmychannel` });

    // A chaincode that does not exist: an ERROR to the caller, which the Go shim turns into status
    // 500 with the text as payload. (Fabric's text after "execute failed: " differs, see issue 9.)
    const nosuch = await get<{ status: number; message: string; payload: string }>(['invokeChaincode', 'nosuch', J(['x']), '']);
    expect(nosuch.status).toBe(500);
    expect(nosuch.message).toBe('');
    expect(nosuch.payload).toMatch(/^INVOKE_CHAINCODE failed: transaction ID: [0-9a-f]{64}: execute failed: .*nosuch/);

    // Calling itself on the same channel: Fabric's text (core/chaincode/transaction_contexts.go Create,
    // wrapped by chaincode_support.go execute "error sending" and handler.go HandleInvokeChaincode).
    const self = await ev(['invokeChaincode', 'allstub', J(['getTxID']), '']);
    expect(self.json()).toEqual({ status: 500, message: '', payload: `INVOKE_CHAINCODE failed: transaction ID: ${self.txId}: execute failed: error sending: txid: ${self.txId}(mychannel) exists` });
  });

  it('write batches: WRITE_BATCH_STATE in chunks of the advertised 1000, flushed by the shim after Invoke; GetMultipleStates: GET_STATE_MULTIPLE likewise', async () => {
    const small = await put(['batchPut', J([['w1', '1'], ['w2', '2']]), 'finish']);
    expect(rec.of(small.r.txId, 'allstub').map((m) => `${m.direction} ${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual([
      'out TRANSACTION',
      'in WRITE_BATCH_STATE 2',
      'out RESPONSE',
      'in COMPLETED',
    ]);

    const big = Array.from({ length: 1500 }, (_, i) => [`b${String(i).padStart(4, '0')}`, String(i)]);
    const { r } = await put(['batchPut', J(big)]);
    const sent = rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in');
    expect(sent.map((m) => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual(['WRITE_BATCH_STATE 1000', 'WRITE_BATCH_STATE 500', 'COMPLETED']);
    expect(await committed('b0000')).toBe('0');
    expect(await committed('b1499')).toBe('1499');

    const keys = [...big.map(([k]) => k!), 'missing', 'w1', 'w2'];
    const multi = await ev(['getMultipleStates', J(keys)]);
    expect(multi.status, why(multi)).toBe(200);
    expect(multi.json()).toEqual([...big.map(([, v]) => v), '', '1', '2']);
    const reads = rec.of(multi.txId, 'allstub').filter((m) => m.direction === 'in');
    expect(reads.map((m) => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual(['GET_STATE_MULTIPLE 1000', 'GET_STATE_MULTIPLE 503', 'COMPLETED']);

    const evaluated = await ev(['batchPut', J([['e1', '1']]), 'finish']);
    expect(evaluated.status).toBe(200);
    expect(evaluated.committed).toBe(false);
    expect(await get(['getState', 'e1'])).toBe('');
  });

  it('write batches carry every record type: put, delete, private put/delete/purge, validation parameters', async () => {
    await put(['putState', 'mx-del', 'to delete']);
    await put(['putPrivateData', COLL, 'mx-pdel', 'x']);
    await put(['putPrivateData', COLL, 'mx-purge', 'y']);
    const ops = [
      ['put', 'mx-a', 'A'],
      ['del', 'mx-del'],
      ['putPrivate', COLL, 'mx-p', 'P'],
      ['delPrivate', COLL, 'mx-pdel'],
      ['purge', COLL, 'mx-purge'],
      ['vp', 'mx-a', J(['Org2MSP', 'Org1MSP'])],
      ['vpPrivate', COLL, 'mx-p', J(['Org1MSP'])],
    ];
    const { r } = await put(['batchOps', J(ops)]);
    expect(rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in').map((m) => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual([
      'WRITE_BATCH_STATE 7',
      'COMPLETED',
    ]);
    expect(await committed('mx-a')).toBe('A');
    expect(await committed('mx-del')).toBeUndefined();
    expect(await get(['getStateValidationParameter', 'mx-a'])).toEqual(['Org1MSP', 'Org2MSP']);
    expect(await get(['getPrivateData', COLL, 'mx-p'])).toBe('P');
    expect(await get(['getPrivateDataValidationParameter', COLL, 'mx-p'])).toEqual(['Org1MSP']);
    expect(await get(['getPrivateData', COLL, 'mx-pdel'])).toBe('');
    expect(await t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'mx-purge')).toBeUndefined();
  });

  it('responses: error, empty response, error status, non-200 success, unknown command; concurrent transactions', async () => {
    // shim.Error: COMPLETED with status 500 and the text, as the Go shim answers a failed Invoke
    const thrown = await sub(['throw', 'on purpose']);
    expect(thrown).toMatchObject({ status: 500, message: 'on purpose', committed: false, events: [] });
    expect(rec.of(thrown.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in COMPLETED']);
    const dflt = await sub(['throw']);
    expect(dflt).toMatchObject({ status: 500, message: 'thrown on command', committed: false });

    const none = await sub(['noResponse']);
    // An empty Response is status 0: below 400, so Fabric's endorser endorses it (core/endorser/endorser.go
    // ProcessProposalSuccessfullyOrError) and `peer chaincode invoke` submits it; so does our peer.
    expect(none).toMatchObject({ status: 0, message: '', text: '', committed: true });

    expect(await sub(['status', '404', 'not here'])).toMatchObject({ status: 404, message: 'not here', committed: false });
    expect(await sub(['status', '201', 'made'])).toMatchObject({ status: 201, message: 'made', committed: true });
    const unknownCommand = await ev(['noSuchCommand']);
    expect(unknownCommand).toMatchObject({ status: 500, message: 'unknown command noSuchCommand' });

    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => sub(['putState', `c${i}`, String(i)])));
    expect(many.map((m) => [m.status, m.committed])).toEqual(Array.from({ length: 20 }, () => [200, true]));
    expect(new Set(many.map((m) => m.txId)).size).toBe(20);
    expect(await get(['getMultipleStates', J(many.map((_, i) => `c${i}`))])).toEqual(many.map((_, i) => String(i)));
  });

  // Needs the tests above to have run (it fails under a -t filter that leaves some out).
  it('every command of both vocabularies was driven against the peer', () => {
    const all = [...new Set([...allStubCommands(), ...goCommands()])].sort();
    expect(all.filter((c) => !driven.has(c))).toEqual([]);
  });
});
