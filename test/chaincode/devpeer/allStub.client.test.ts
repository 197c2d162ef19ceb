/**
 * The allStub test chaincode (test/chaincode/fixtures/allStub.ts, our runtime) in client mode
 * against the real dev peer (`Peer`): the peer launches it as a process
 * (`node --import tsx allStub.ts --peer.address=…`, Fabric's launcher environment) and it dials the
 * peer's ChaincodeSupport listener over gRPC, without TLS and with TLS (the peer's fresh CA, client
 * certificates required). A second instance, `other`, is the target of invokeChaincode.
 *
 * Every command of the fixture is driven (the list is read from the fixture's source; the last test
 * fails if one was left out), and results are checked against what the dev peer committed: writes
 * are read back in later transactions (and in the peer's world state), queries page through real
 * data, history carries the txids of the writes, and the protocol trace shows the write batches and
 * multi-key reads the peer advertised in READY.
 */
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devUser } from '../../../src/identity/index.js';
import { dialChaincodeSupport } from '../../../src/transport/index.js';
import { REPO, cleanup, closePeer, evaluate, read, startPeer, submit, waitReady, type CallOptions, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { ALLSTUB, allStubCommands, memberOnlyCollection, traceRecorder, tsxCommand } from './helpers.js';

const COMMANDS = allStubCommands();
const COLL = 'coll1';
const CHANNEL = 'mychannel';
const J = JSON.stringify;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));
const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

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

for (const tls of [false, true]) {
  describe(`allStub in client mode, launched by the dev peer, ${tls ? 'with TLS' : 'without TLS'}`, () => {
    let t: TestPeer;
    const rec = traceRecorder();
    /** Commands sent to `allstub` (checked against the fixture's list at the end). */
    const driven = new Set<string>();

    beforeAll(async () => {
      const launch = { kind: 'process' as const, command: tsxCommand(ALLSTUB), cwd: REPO };
      t = await startPeer({
        tls,
        chaincodes: { allstub: launch, other: launch },
        collections: { allstub: [memberOnlyCollection(COLL)] },
        trace: rec.trace,
      });
      await waitReady(t.peer, 'allstub');
      await waitReady(t.peer, 'other');
    });
    afterAll(async () => {
      await closePeer(t);
    });

    const why = (r: Result): string => `${r.status} ${r.message}\n${t.output()}`;
    /** Submit a command to allstub. */
    const sub = (args: string[], o?: CallOptions): Promise<Result> => {
      driven.add(args[0]!);
      return submit(t.peer, 'allstub', args, o);
    };
    /** Evaluate a command on allstub. */
    const ev = (args: string[], o?: CallOptions): Promise<Result> => {
      driven.add(args[0]!);
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
    const get = async <T = unknown>(args: string[], o?: CallOptions): Promise<T> => {
      const r = await ev(args, o);
      expect(r.status, why(r)).toBe(200);
      expect(r.committed).toBe(false);
      return r.json<T>();
    };
    const committed = async (key: string, ns = 'allstub', channel = CHANNEL): Promise<string | undefined> =>
      dec((await t.peer.worldState.getCommitted(channel, ns, key))?.value);

    it('registers over the peer listener, READY advertises write batches and multi-key reads (limit 1000), Init runs', async () => {
      if (tls) expect(t.peer.tlsRootCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      else expect(t.peer.tlsRootCertPem).toBeUndefined();
      expect(t.logged('peer started')[0]).toMatchObject({ tls });
      expect(t.peer.listChaincodes()).toEqual([
        { name: 'allstub', registeredAs: 'allstub:1.0', launch: 'process', state: 'ready' },
        { name: 'other', registeredAs: 'other:1.0', launch: 'process', state: 'ready' },
      ]);
      const ready = rec.messages.filter((m) => m.type === 'READY');
      expect(ready.map((m) => [m.chaincode, m.direction]).sort()).toEqual([
        ['allstub:1.0', 'out'],
        ['other:1.0', 'out'],
      ]);
      for (const m of ready) expect(m.ready).toEqual({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });

      const init = await submit(t.peer, 'allstub', [''], { init: true });
      expect(init.status, why(init)).toBe(200);
      expect(init.text).toBe('init');
      expect(rec.of(init.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in COMPLETED']);
    });

    if (tls) {
      it('the peer listener speaks TLS only: a plaintext dial does not connect', async () => {
        await expect(dialChaincodeSupport({ address: t.peer.chaincodeAddress, dialTimeoutMs: 500 })).rejects.toThrow(/could not connect/);
      });
    }

    it('the transaction context: arguments, txid, channel, creator, MSP id, transient map, proposal, timestamps, binding, client identity', async () => {
      expect(await get(['getArgs', 'x', 'y'])).toEqual(['getArgs', 'x', 'y']);
      expect(await get(['getStringArgs', 'a'])).toEqual(['getStringArgs', 'a']);
      expect(await get(['getBufferArgs', 'b'])).toEqual(['getBufferArgs', 'b']);
      expect(await get(['getFunctionAndParameters', 'p', 'q'])).toEqual({ fcn: 'getFunctionAndParameters', params: ['p', 'q'] });
      expect(await get(['getArgsSlice', 'z'])).toBe('getArgsSlicez');
      expect(await get(['getDecorations'])).toEqual({});

      const txr = await ev(['getTxID']);
      expect(txr.json()).toBe(txr.txId);
      expect(txr.txId).toMatch(/^[0-9a-f]{64}$/);
      expect(await get(['getChannelID'])).toBe(CHANNEL);
      expect(await get(['getChannelID'], { channel: 'ch2' })).toBe('ch2');

      expect(await get(['getCreator'])).toEqual({ mspid: 'Org1MSP', idBytes: devUser('Org1MSP', 'user1').certPem });
      expect(await get(['getCreator'], { mspId: 'Org2MSP', user: 'bob' })).toEqual({ mspid: 'Org2MSP', idBytes: devUser('Org2MSP', 'bob').certPem });
      // CORE_PEER_LOCALMSPID from the peer's launcher environment.
      expect(await get(['getMspID'])).toBe('Org1MSP');

      expect(await get(['getTransient'])).toEqual({});
      expect(await get(['getTransient'], { transient: { u: enc('two'), t: enc('secret') } })).toEqual({ t: 'secret', u: 'two' });

      const spr = await ev(['getSignedProposal'], { channel: 'ch2' });
      expect(spr.json()).toEqual({ channelId: 'ch2', txId: spr.txId, mspid: 'Org1MSP' });

      const now = Date.now();
      const ts = await get<{ seconds: string; nanos: number }>(['getTxTimestamp']);
      expect(Math.abs(Number(ts.seconds) * 1000 - now)).toBeLessThan(120_000);
      expect(Number.isInteger(ts.nanos) && ts.nanos >= 0 && ts.nanos < 1e9).toBe(true);
      const date = await get<string>(['getDateTimestamp']);
      expect(Math.abs(Date.parse(date) - now)).toBeLessThan(120_000);

      const b1 = await get<string>(['getBinding']);
      const b2 = await get<string>(['getBinding']);
      expect(b1).toMatch(/^[0-9a-f]{64}$/);
      expect(b2).toMatch(/^[0-9a-f]{64}$/);
      expect(b1).not.toBe(b2); // a fresh nonce per proposal

      devUser('Org1MSP', 'attruser', { level: '3' });
      expect(await get(['clientIdentity', 'level', 'client'], { user: 'attruser' })).toEqual({
        mspid: 'Org1MSP',
        attr: '3',
        ou: true,
        id: expect.stringMatching(/^x509::\/C=US\/ST=California\/L=San Francisco\/O=org1\.example\.com\/OU=client\/CN=attruser::/),
      });
      expect(await get(['clientIdentity', 'level', 'admin'])).toMatchObject({ mspid: 'Org1MSP', attr: null, ou: false, id: expect.stringContaining('/CN=user1::') });

      expect(await get(['createCompositeKey', 'color', J(['blue', '1'])])).toBe(ck('color', 'blue', '1'));
      expect(await get(['splitCompositeKey', 'color', J(['blue', '1'])])).toEqual({ objectType: 'color', attributes: ['blue', '1'] });
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
    });

    it('key-level validation parameters are committed and read back', async () => {
      await put(['putState', 'vp', 'guarded']);
      await put(['setStateValidationParameter', 'vp', J(['Org1MSP', 'Org2MSP'])]);
      expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org1MSP', 'Org2MSP']);
      expect((await t.peer.worldState.getCommitted(CHANNEL, 'allstub', 'vp'))?.metadata.map((m) => m.metakey)).toEqual(['VALIDATION_PARAMETER']);
      await put(['setStateValidationParameter', 'vp', J(['Org2MSP'])]);
      expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org2MSP']);
      expect(await get(['getStateValidationParameter', 'unguarded'])).toBeNull();
      expect(await get(['getState', 'vp'])).toBe('guarded');
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
        const page = await get<Page>(['getQueryResultWithPagination', q({ docType: 'doc' }), '2', bookmark]);
        pages.push(page);
        expect(page.metadata.fetchedRecordsCount).toBe(page.records.length);
        if (page.records.length < 2 || pages.length >= 10) break;
        expect(page.metadata.bookmark).not.toBe('');
        bookmark = page.metadata.bookmark;
      }
      expect(pages.map((p) => p.records.map((r) => r.key))).toEqual([['doc0', 'doc1'], ['doc2', 'doc3'], ['doc4']]);
    });

    it('private data: written directly and from the transient map, read back, hashed, queried, member-only, validation parameter, deleted, purged', async () => {
      await put(['putPrivateData', COLL, 'pk', 'pv']);
      const { r: fromTransient } = await put(['putPrivateDataFromTransient', COLL, 'pk2', 'secretField'], { transient: { secretField: enc('from transient') } });
      expect(fromTransient.committed).toBe(true);
      const missing = await sub(['putPrivateDataFromTransient', COLL, 'pk3', 'secretField']);
      expect(missing.status).toBe(500);
      expect(missing.message).toBe('error in simulation: transaction returned with failure: transient field secretField is missing');

      expect(await get(['getPrivateData', COLL, 'pk'])).toBe('pv');
      expect(await get(['getPrivateData', COLL, 'pk2'])).toBe('from transient');
      expect(await get(['getPrivateData', COLL, 'pk3'])).toBe('');
      expect(await get(['getPrivateDataHash', COLL, 'pk'])).toBe(sha256hex('pv'));
      expect(await get(['getPrivateDataHash', COLL, 'pk2'])).toBe(sha256hex('from transient'));
      const stored = await t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2');
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
      expect(await t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'pk2')).toBeUndefined();
    });

    it('events: setEvent travels with the transaction result', async () => {
      const { r } = await put(['setEvent', 'AssetCreated', J({ id: 7 })]);
      expect(r.events.map((e) => ({ name: e.name, payload: dec(e.payload) }))).toEqual([{ name: 'AssetCreated', payload: J({ id: 7 }) }]);
      const none = await put(['putState', 'no-event', 'x']);
      expect(none.r.events).toEqual([]);
    });

    it('invokeChaincode: same channel joins the transaction (writes commit with it), another channel is a read-only query; status and errors come back', async () => {
      const { r, value } = await put(['invokeChaincode', 'other', J(['putState', 'cc2cc', 'yes']), '']);
      expect(value).toEqual({ status: 200, message: '', payload: 'null' });
      expect(rec.of(r.txId, 'other').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in PUT_STATE', 'out RESPONSE', 'in COMPLETED']);
      expect(rec.of(r.txId, 'allstub').map((m) => m.type)).toContain('INVOKE_CHAINCODE');
      // committed in the callee's namespace, with the caller's transaction
      expect((await read(t.peer, 'other', ['getState', 'cc2cc'])).json()).toBe('yes');
      expect(await committed('cc2cc', 'other')).toBe('yes');
      expect(await get(['getState', 'cc2cc'])).toBe('');
      expect(await get(['invokeChaincode', 'other', J(['getState', 'cc2cc']), ''])).toEqual({ status: 200, message: '', payload: J('yes') });

      expect(await get(['invokeChaincode', 'other', J(['getChannelID']), 'ch2'])).toEqual({ status: 200, message: '', payload: J('ch2') });
      await put(['invokeChaincode', 'other', J(['putState', 'elsewhere', 'x']), 'ch2']);
      expect(await committed('elsewhere', 'other', 'ch2')).toBeUndefined();
      expect((await read(t.peer, 'other', ['getState', 'elsewhere'], { channel: 'ch2' })).json()).toBe('');

      expect(await get(['invokeChaincode', 'other', J(['status', '404', 'nope']), ''])).toEqual({ status: 404, message: 'nope', payload: '' });
      const thrown = await sub(['invokeChaincode', 'other', J(['throw', 'callee failed']), '']);
      expect(thrown.status).toBe(500);
      expect(thrown.message).toContain('callee failed');
      expect(thrown.committed).toBe(false);
    });

    it('write batches: WRITE_BATCH_STATE on the wire in chunks of the advertised 1000, committed; getMultipleStates: GET_STATE_MULTIPLE likewise', async () => {
      const small = await put(['batchPut', J([['w1', '1'], ['w2', '2']]), 'finish']);
      expect(rec.of(small.r.txId, 'allstub').map((m) => `${m.direction} ${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual([
        'out TRANSACTION',
        'in WRITE_BATCH_STATE 2',
        'out RESPONSE',
        'in COMPLETED',
      ]);

      const big = Array.from({ length: 1500 }, (_, i) => [`b${String(i).padStart(4, '0')}`, String(i)]);
      // no explicit finish: the runtime flushes the batch when Invoke returns
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

      // an evaluated batch commits nothing
      const evaluated = await ev(['batchPut', J([['e1', '1']]), 'finish']);
      expect(evaluated.status).toBe(200);
      expect(evaluated.committed).toBe(false);
      expect(await get(['getState', 'e1'])).toBe('');
    });

    it('responses: thrown error, no response, error status, non-200 success, unknown command; concurrent transactions', async () => {
      const thrown = await sub(['throw', 'on purpose']);
      expect(thrown).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: on purpose', committed: false, events: [] });
      const none = await sub(['noResponse']);
      expect(none.status).toBe(500);
      expect(none.message).toMatch(/^\[mychannel-[0-9a-f]{8}\] Calling chaincode Invoke\(\) has not called success or error\.$/);
      expect(none.committed).toBe(false);
      expect(await sub(['status', '404', 'not here'])).toMatchObject({ status: 404, message: 'not here', committed: false });
      expect(await sub(['status', '201', 'made'])).toMatchObject({ status: 201, message: 'made', committed: true });
      const unknownCommand = await evaluate(t.peer, 'allstub', ['noSuchCommand']);
      expect(unknownCommand).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: unknown command noSuchCommand' });

      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => sub(['putState', `c${i}`, String(i)])));
      expect(many.map((m) => [m.status, m.committed])).toEqual(Array.from({ length: 20 }, () => [200, true]));
      expect(new Set(many.map((m) => m.txId)).size).toBe(20);
      expect(await get(['getMultipleStates', J(many.map((_, i) => `c${i}`))])).toEqual(many.map((_, i) => String(i)));
    });

    // Needs the tests above to have run (it fails under a -t filter that leaves some out).
    it('every command of the fixture was driven against the dev peer', () => {
      expect(COMMANDS.length).toBeGreaterThanOrEqual(45);
      expect(COMMANDS).toEqual(expect.arrayContaining(['getState', 'putState', 'batchPut', 'purgePrivateData', 'invokeChaincode', 'getAllStatesCompositeKeyWithPagination']));
      expect(COMMANDS.filter((c) => !driven.has(c))).toEqual([]);
      expect([...driven].filter((c) => !COMMANDS.includes(c))).toEqual([]);
    });
  });
}
