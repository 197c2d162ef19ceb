/**
 * Every ChaincodeStub method of the official Java shim (fabric-chaincode-shim 2.5.10) through our
 * peer: the command chaincode (test/interop/java/src/main/java/ccproto/interop/CommandChaincode.java,
 * allStub.ts's vocabulary) launched by an in-process `Peer` as a `java -jar` process, twice (jcc and
 * jcc2, for chaincode-to-chaincode calls), with a private data collection. Results are read back
 * from committed state; JSON payloads are compared as text where allStub.ts would write the same
 * bytes.
 *
 * Java shim behaviour the assertions pin (not the peer's): an exception in the chaincode becomes an
 * ERROR whose payload is the whole stack trace (ChaincodeMessageFactory.newErrorEventMessage); an
 * ERROR answer to a stub request becomes "[txid8]Unsuccessful response received." and the peer's
 * text is dropped (ChaincodeInvocationTask.invoke); a response status other than 200/400/500 makes
 * ChaincodeInvocationTask.call fail with a NullPointerException (Response.getStatus() is null).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, closePeer, COLLECTION, collectionsFor, evaluate, ok, read, startPeer, submit, type CallOptions, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { allStubCommands } from '../../chaincode/devpeer/helpers.js';
import { failure, JAR, JAVA, javaCommand, killJava } from './toolchain.js';

const CC = 'jcc';
const CC2 = 'jcc2';
const J = JSON.stringify;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let t: TestPeer;
/** Every command sent, for the coverage check at the end. */
const sent = new Set<string>();

/** Evaluate a command on jcc (never commits); requires 200; the payload's JSON. */
async function q<T = unknown>(cmd: string, params: string[] = [], { cc = CC, ...o }: CallOptions & { cc?: string } = {}): Promise<T> {
  sent.add(cmd);
  return (await read(t.peer, cc, [cmd, ...params], o)).json<T>();
}

/** Submit a command on jcc; requires a committed 200. */
async function x(cmd: string, params: string[] = [], { cc = CC, ...o }: CallOptions & { cc?: string } = {}): Promise<Result> {
  sent.add(cmd);
  return ok(t.peer, cc, [cmd, ...params], o);
}

/** Evaluate a command that must fail; the result. */
async function fails(cmd: string, params: string[] = [], { cc = CC, ...o }: CallOptions & { cc?: string } = {}): Promise<Result> {
  sent.add(cmd);
  const r = await evaluate(t.peer, cc, [cmd, ...params], o);
  expect(r.status, `${cmd} should fail`).toBeGreaterThanOrEqual(400);
  return r;
}

const rKeys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${String(from + i).padStart(4, '0')}`);

/** The Java shim's message for an ERROR answer to a stub request (ChaincodeInvocationTask.invoke). */
const UNSUCCESSFUL = failure(/org\.hyperledger\.fabric\.contract\.ContractRuntimeException: \[[0-9a-f]{8}\]Unsuccessful response received\.\n\tat /);

describe.skipIf(!JAVA.ok)('Java shim ChaincodeStub through our peer (launched, every method)', () => {
  beforeAll(async () => {
    t = await startPeer({
      chaincodes: { [CC]: { kind: 'process', command: javaCommand() }, [CC2]: { kind: 'process', command: javaCommand() } },
      collections: collectionsFor(CC, CC2),
      executeTimeoutMs: 60_000,
    });
    // 120 plain keys: a range over them crosses a QUERY_STATE_NEXT batch (100).
    const keys = rKeys(0, 120);
    for (let i = 0; i < keys.length; i += 12) {
      await Promise.all(keys.slice(i, i + 12).map((k) => x('putState', [k, String(Number(k.slice(1)))], { timeoutMs: 90_000 })));
    }
  }, 240_000);

  afterAll(async () => {
    await closePeer(t, 20_000);
    await killJava();
    await cleanup();
  }, 60_000);

  describe('arguments and transaction context', () => {
    it('getArgs, getStringArgs, getBufferArgs, getFunctionAndParameters, getArgsSlice', async () => {
      expect(await q('getArgs', ['x'])).toEqual(['getArgs', 'x']);
      expect(await q('getStringArgs', ['é', ''])).toEqual(['getStringArgs', 'é', '']);
      expect(await q('getBufferArgs', ['b'])).toEqual(['getBufferArgs', 'b']);
      const r = await read(t.peer, CC, ['getFunctionAndParameters', 'p', 'q']);
      sent.add('getFunctionAndParameters');
      expect(r.text).toBe('{"fcn":"getFunctionAndParameters","params":["p","q"]}');
      expect(await q('getArgsSlice', ['z'])).toBe('getArgsSlicez');
      // Java-only: the two halves of getFunctionAndParameters
      expect(await q('getFunction', ['a'])).toBe('getFunction');
      expect(await q('getParameters', ['a', 'b'])).toEqual(['a', 'b']);
    });

    it('getTxID, getChannelID, getMspID, getBinding', async () => {
      const r = await read(t.peer, CC, ['getTxID']);
      sent.add('getTxID');
      expect(r.json()).toBe(r.txId);
      expect(await q('getChannelID')).toBe('mychannel');
      expect(await q('getChannelID', [], { channel: 'otherchannel' })).toBe('otherchannel');
      // CORE_PEER_LOCALMSPID from the peer's launcher
      expect(await q('getMspID')).toBe('Org1MSP');
      expect(await q('getBinding')).toMatch(/^[0-9a-f]{64}$/);
    });

    it('getCreator and getSignedProposal (parsed with fabric-protos)', async () => {
      const c = await q<{ mspid: string; idBytes: string }>('getCreator');
      expect(c.mspid).toBe('Org1MSP');
      expect(c.idBytes).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      const org2 = await q<{ mspid: string }>('getCreator', [], { mspId: 'Org2MSP', user: 'alice' });
      expect(org2.mspid).toBe('Org2MSP');
      const r = await read(t.peer, CC, ['getSignedProposal']);
      sent.add('getSignedProposal');
      expect(r.text).toBe(J({ channelId: 'mychannel', txId: r.txId, mspid: 'Org1MSP' }));
    });

    it('getTxTimestamp (Instant) and getDateTimestamp (derived, Date.toISOString form)', async () => {
      const before = Date.now();
      const ts = await q<{ seconds: string; nanos: number }>('getTxTimestamp');
      const iso = await q<string>('getDateTimestamp');
      const after = Date.now();
      expect(ts.seconds).toMatch(/^\d+$/);
      const ms = Number(ts.seconds) * 1000 + ts.nanos / 1e6;
      expect(ms).toBeGreaterThanOrEqual(before - 1000);
      expect(ms).toBeLessThanOrEqual(after + 1000);
      expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(iso)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(iso)).toBeLessThanOrEqual(after + 1000);
    });

    it('getTransient: the entries, in key order (as allStub.ts writes them)', async () => {
      const enc = (s: string) => new TextEncoder().encode(s);
      const transient = { value: enc('from-transient'), other: enc('x'), a: enc('1'), zz: enc('') };
      const r = await read(t.peer, CC, ['getTransient'], { transient });
      sent.add('getTransient');
      expect(r.text).toBe('{"a":"1","other":"x","value":"from-transient","zz":""}');
      expect(await q('getTransient')).toEqual({});
    });

    it('getDecorations is not in the Java shim: a clear error', async () => {
      const r = await fails('getDecorations');
      expect(r.status).toBe(500);
      expect(r.message).toBe('getDecorations is not supported by the Java shim: ChaincodeStub has no getDecorations (ChaincodeInput.decorations is not exposed)');
    });
  });

  describe('public state', () => {
    it('putState, getState, deleteState, read back from committed state; no read-your-own-writes', async () => {
      const put = await x('putState', ['k1', 'v1']);
      expect(put.text).toBe('null');
      expect(await q('getState', ['k1'])).toBe('v1');
      // another chaincode is another namespace
      expect(await q('getState', ['k1'], { cc: CC2 })).toBe('');
      await x('deleteState', ['k1']);
      expect(await q('getState', ['k1'])).toBe('');
      // evaluate does not commit
      expect((await evaluate(t.peer, CC, ['putState', 'k-eval', 'x'])).committed).toBe(false);
      expect(await q('getState', ['k-eval'])).toBe('');
      // Java-only string forms
      await x('putStringState', ['ks', 'string state é']);
      expect(await q('getStringState', ['ks'])).toBe('string state é');
      expect(await q('getState', ['ks'])).toBe('string state é');
    });

    it('an empty key: the Java shim refuses it before sending (IllegalArgumentException)', async () => {
      const r = await fails('putState', ['', 'x']);
      expect(r.message).toMatch(failure(/java\.lang\.IllegalArgumentException: key cannot not be an empty string\n/));
    });

    it('key-level endorsement: setStateValidationParameter / getStateValidationParameter (StateBasedEndorsement)', async () => {
      await x('putState', ['ep', 'x']);
      expect(await q('getStateValidationParameter', ['ep'])).toBeNull();
      await x('setStateValidationParameter', ['ep', J(['Org2MSP', 'Org1MSP'])]);
      expect(await q('getStateValidationParameter', ['ep'])).toEqual(['Org1MSP', 'Org2MSP']);
      // a value-only write keeps the metadata
      await x('putState', ['ep', 'y']);
      expect(await q('getStateValidationParameter', ['ep'])).toEqual(['Org1MSP', 'Org2MSP']);
      expect(await q('getState', ['ep'])).toBe('y');
      // a key that does not exist
      expect(await q('getStateValidationParameter', ['no-such-key'])).toBeNull();
    });

    it('getMultipleStates is not in the Java shim: a clear error', async () => {
      const r = await fails('getMultipleStates', [J(['r0001', 'r0002'])]);
      expect(r.message).toBe('getMultipleStates is not supported by the Java shim: ChaincodeStub has no getMultipleStates (GET_STATE_MULTIPLE)');
    });
  });

  describe('range and composite key queries', () => {
    it('getStateByRange over 120 keys crosses a QUERY_STATE_NEXT batch, in key order', async () => {
      const all = await q<{ key: string; value: string }[]>('getStateByRange', ['r', 's']);
      expect(all.map((kv) => kv.key)).toEqual(rKeys(0, 120));
      expect(all[7]).toEqual({ key: 'r0007', value: '7' });
      expect(await q('getStateByRange', ['r0010', 'r0013'])).toEqual([
        { key: 'r0010', value: '10' },
        { key: 'r0011', value: '11' },
        { key: 'r0012', value: '12' },
      ]);
      expect(await q('getStateByRange', ['zz0', 'zz9'])).toEqual([]);
    });

    it('getStateByRangeWithPagination: pages, fetchedRecordsCount, bookmark', async () => {
      const pages: { records: { key: string }[]; metadata: { fetchedRecordsCount: number; bookmark: string } }[] = [];
      let bookmark = '';
      for (let i = 0; i < 6; i++) {
        const p = await q<(typeof pages)[number]>('getStateByRangeWithPagination', ['r', 's', '50', bookmark]);
        pages.push(p);
        bookmark = p.metadata.bookmark;
        if (!bookmark) break;
      }
      expect(pages.map((p) => p.records.length)).toEqual([50, 50, 20]);
      expect(pages.map((p) => p.metadata.fetchedRecordsCount)).toEqual([50, 50, 20]);
      expect(pages[0]!.metadata.bookmark).toBe('r0050');
      expect(pages.flatMap((p) => p.records.map((r) => r.key))).toEqual(rKeys(0, 120));
      const r = await read(t.peer, CC, ['getStateByRangeWithPagination', 'r0001', 'r0003', '5', '']);
      expect(r.text).toBe('{"records":[{"key":"r0001","value":"1"},{"key":"r0002","value":"2"}],"metadata":{"fetchedRecordsCount":2,"bookmark":""}}');
    });

    it('createCompositeKey, splitCompositeKey, getStateByPartialCompositeKey[WithPagination]', async () => {
      const key = await q<string>('createCompositeKey', ['color~name', J(['blue', 'a'])]);
      expect(key).toBe('\u0000color~name\u0000blue\u0000a\u0000');
      expect(await q('splitCompositeKey', ['color~name', J(['blue', 'a'])])).toEqual({ objectType: 'color~name', attributes: ['blue', 'a'] });
      for (const [color, name, v] of [
        ['blue', 'a', '1'],
        ['blue', 'b', '2'],
        ['blue', 'c', '3'],
        ['red', 'a', '4'],
        ['bluegreen', 'z', '5'],
      ] as const) {
        await x('putState', [`\u0000color~name\u0000${color}\u0000${name}\u0000`, v]);
      }
      const blue = await q<{ key: string; value: string }[]>('getStateByPartialCompositeKey', ['color~name', J(['blue'])]);
      expect(blue.map((kv) => kv.value)).toEqual(['1', '2', '3']);
      expect(blue[0]!.key).toBe('\u0000color~name\u0000blue\u0000a\u0000');
      expect(await q<unknown[]>('getStateByPartialCompositeKey', ['color~name', '[]'])).toHaveLength(5);
      // Java-only overload: a composite key string
      const s = await q<{ value: string }[]>('getStateByPartialCompositeKeyString', ['\u0000color~name\u0000red\u0000']);
      expect(s.map((kv) => kv.value)).toEqual(['4']);
      // composite keys are not in a plain range over the whole namespace
      const plain = await q<{ key: string }[]>('getStateByRange', ['', '']);
      expect(plain.some((kv) => kv.key.startsWith('\u0000'))).toBe(false);

      const p1 = await q<{ records: { value: string }[]; metadata: { fetchedRecordsCount: number; bookmark: string } }>('getStateByPartialCompositeKeyWithPagination', [
        'color~name',
        J(['blue']),
        '2',
        '',
      ]);
      expect(p1.records.map((r) => r.value)).toEqual(['1', '2']);
      expect(p1.metadata.fetchedRecordsCount).toBe(2);
      expect(p1.metadata.bookmark).not.toBe('');
      const p2 = await q<typeof p1>('getStateByPartialCompositeKeyWithPagination', ['color~name', J(['blue']), '2', p1.metadata.bookmark]);
      expect(p2.records.map((r) => r.value)).toEqual(['3']);
      expect(p2.metadata).toEqual({ fetchedRecordsCount: 1, bookmark: '' });
    });

    it('getAllStatesCompositeKeyWithPagination is not in the Java shim: a clear error', async () => {
      const r = await fails('getAllStatesCompositeKeyWithPagination', ['5', '']);
      expect(r.message).toBe('getAllStatesCompositeKeyWithPagination is not supported by the Java shim: ChaincodeStub has no getAllStatesCompositeKeyWithPagination (a fabric-shim method)');
    });
  });

  describe('rich queries and history', () => {
    it('getQueryResult and getQueryResultWithPagination (Mango selectors)', async () => {
      const docs = Array.from({ length: 12 }, (_, n) => [`doc${String(n).padStart(2, '0')}`, J({ docType: 'doc', n, owner: n % 3 === 0 ? 'alice' : 'bob' })] as const);
      await Promise.all(docs.map(([k, v]) => x('putState', [k, v])));
      const all = await q<{ key: string; value: string }[]>('getQueryResult', [J({ selector: { docType: 'doc' } })]);
      expect(all.map((kv) => kv.key)).toEqual(docs.map(([k]) => k));
      expect(JSON.parse(all[3]!.value)).toEqual({ docType: 'doc', n: 3, owner: 'alice' });
      const alice = await q<{ key: string }[]>('getQueryResult', [J({ selector: { owner: 'alice', n: { $gte: 3 } } })]);
      expect(alice.map((kv) => kv.key)).toEqual(['doc03', 'doc06', 'doc09']);

      const q1 = J({ selector: { owner: 'bob' } });
      const p1 = await q<{ records: { key: string }[]; metadata: { fetchedRecordsCount: number; bookmark: string } }>('getQueryResultWithPagination', [q1, '5', '']);
      expect(p1.records.map((r) => r.key)).toEqual(['doc01', 'doc02', 'doc04', 'doc05', 'doc07']);
      expect(p1.metadata.fetchedRecordsCount).toBe(5);
      const p2 = await q<typeof p1>('getQueryResultWithPagination', [q1, '5', p1.metadata.bookmark]);
      expect(p2.records.map((r) => r.key)).toEqual(['doc08', 'doc10', 'doc11']);
      expect(p2.metadata.fetchedRecordsCount).toBe(3);
    });

    it('an invalid query: the peer’s ERROR reaches the Java shim, which drops its text', async () => {
      const r = await fails('getQueryResult', ['{"selector":{"n":{"$nosuch":1}}}']);
      expect(r.message).toMatch(UNSUCCESSFUL);
    });

    it('getHistoryForKey: newest first, txIds, deletes', async () => {
      const tx1 = await x('putState', ['h', 'v1']);
      const tx2 = await x('putState', ['h', 'v2']);
      const tx3 = await x('deleteState', ['h']);
      const tx4 = await x('putState', ['h', 'v3']);
      await evaluate(t.peer, CC, ['putState', 'h', 'not committed']);
      const h = await q<{ txId: string; value: string; isDelete: boolean }[]>('getHistoryForKey', ['h']);
      expect(h).toEqual([
        { txId: tx4.txId, value: 'v3', isDelete: false },
        { txId: tx3.txId, value: '', isDelete: true },
        { txId: tx2.txId, value: 'v2', isDelete: false },
        { txId: tx1.txId, value: 'v1', isDelete: false },
      ]);
      expect(await q('getHistoryForKey', ['never-written'])).toEqual([]);
    });
  });

  describe('private data', () => {
    it('putPrivateData, getPrivateData, getPrivateDataHash, deletePrivateData, purgePrivateData', async () => {
      await x('putPrivateData', [COLLECTION, 'p1', 'secret-1']);
      expect(await q('getPrivateData', [COLLECTION, 'p1'])).toBe('secret-1');
      expect(await q('getPrivateDataHash', [COLLECTION, 'p1'])).toBe(sha256('secret-1'));
      // not public state
      expect(await q('getState', ['p1'])).toBe('');
      // the hash is readable by a non-member (Fabric: no access check on GET_PRIVATE_DATA_HASH)
      expect(await q('getPrivateDataHash', [COLLECTION, 'p1'], { mspId: 'Org2MSP' })).toBe(sha256('secret-1'));
      await x('deletePrivateData', [COLLECTION, 'p1']);
      expect(await q('getPrivateData', [COLLECTION, 'p1'])).toBe('');
      expect(await q('getPrivateDataHash', [COLLECTION, 'p1'])).toBe('');

      await x('putPrivateData', [COLLECTION, 'p2', 'secret-2']);
      await x('purgePrivateData', [COLLECTION, 'p2']);
      expect(await q('getPrivateData', [COLLECTION, 'p2'])).toBe('');
      expect(await q('getPrivateDataHash', [COLLECTION, 'p2'])).toBe('');

      // Java-only string forms
      await x('putPrivateDataString', [COLLECTION, 'p3', 'utf8 é']);
      expect(await q('getPrivateDataUTF8', [COLLECTION, 'p3'])).toBe('utf8 é');
    });

    it('putPrivateDataFromTransient: transient data stored privately', async () => {
      const transient = { value: new TextEncoder().encode('from-transient') };
      await x('putPrivateDataFromTransient', [COLLECTION, 'pt', 'value'], { transient });
      expect(await q('getPrivateData', [COLLECTION, 'pt'])).toBe('from-transient');
      const missing = await fails('putPrivateDataFromTransient', [COLLECTION, 'pt2', 'absent']);
      expect(missing.message).toMatch(failure(/org\.hyperledger\.fabric\.shim\.ChaincodeException: transient field absent is missing\n/));
    });

    it('another MSP is refused by the peer (its text is dropped by the Java shim); a collection that does not exist', async () => {
      await x('putPrivateData', [COLLECTION, 'p4', 'org1-only']);
      const r = await fails('getPrivateData', [COLLECTION, 'p4'], { mspId: 'Org2MSP' });
      expect(r.message).toMatch(UNSUCCESSFUL);
      const w = await submit(t.peer, CC, ['putPrivateData', COLLECTION, 'p4', 'overwritten'], { mspId: 'Org2MSP' });
      expect(w.status).toBe(500);
      expect(w.committed).toBe(false);
      expect(await q('getPrivateData', [COLLECTION, 'p4'])).toBe('org1-only');
      expect((await fails('getPrivateData', ['nosuch', 'k'])).message).toMatch(UNSUCCESSFUL);
    });

    it('set/getPrivateDataValidationParameter', async () => {
      await x('putPrivateData', [COLLECTION, 'pep', 'x']);
      expect(await q('getPrivateDataValidationParameter', [COLLECTION, 'pep'])).toBeNull();
      await x('setPrivateDataValidationParameter', [COLLECTION, 'pep', J(['Org3MSP'])]);
      expect(await q('getPrivateDataValidationParameter', [COLLECTION, 'pep'])).toEqual(['Org3MSP']);
    });

    it('getPrivateDataByRange, getPrivateDataByPartialCompositeKey, getPrivateDataQueryResult', async () => {
      await Promise.all(Array.from({ length: 5 }, (_, i) => x('putPrivateData', [COLLECTION, `pk${i}`, J({ n: i, kind: i % 2 ? 'odd' : 'even' })], { cc: CC2 })));
      for (const [owner, id, v] of [
        ['alice', '1', 'A1'],
        ['alice', '2', 'A2'],
        ['bob', '1', 'B1'],
      ] as const) {
        await x('putPrivateData', [COLLECTION, `\u0000owner~id\u0000${owner}\u0000${id}\u0000`, v], { cc: CC2 });
      }
      const range = await q<{ key: string }[]>('getPrivateDataByRange', [COLLECTION, 'pk1', 'pk4'], { cc: CC2 });
      expect(range.map((kv) => kv.key)).toEqual(['pk1', 'pk2', 'pk3']);
      const rich = await q<{ key: string }[]>('getPrivateDataQueryResult', [COLLECTION, J({ selector: { kind: 'odd' } })], { cc: CC2 });
      expect(rich.map((kv) => kv.key)).toEqual(['pk1', 'pk3']);
      const partial = await q<{ value: string }[]>('getPrivateDataByPartialCompositeKey', [COLLECTION, 'owner~id', J(['alice'])], { cc: CC2 });
      expect(partial.map((kv) => kv.value)).toEqual(['A1', 'A2']);
      const partialString = await q<{ value: string }[]>('getPrivateDataByPartialCompositeKeyString', [COLLECTION, 'owner~id'], { cc: CC2 });
      expect(partialString.map((kv) => kv.value)).toEqual(['A1', 'A2', 'B1']);
    });

    it('getMultiplePrivateData is not in the Java shim: a clear error', async () => {
      const r = await fails('getMultiplePrivateData', [COLLECTION, J(['p1'])]);
      expect(r.message).toBe('getMultiplePrivateData is not supported by the Java shim: ChaincodeStub has no getMultiplePrivateData (GET_STATE_MULTIPLE)');
    });

    it('Init may not use private data (the peer refuses; the Java shim drops the text); a plain Init', async () => {
      const p = await submit(t.peer, CC2, ['putPrivateData', COLLECTION, 'ik', 'iv'], { init: true });
      expect(p.status).toBe(500);
      expect(p.message).toMatch(UNSUCCESSFUL);
      const r = await submit(t.peer, CC2, [], { init: true });
      expect(r.status).toBe(200);
      expect(r.text).toBe('init');
      const w = await submit(t.peer, CC2, ['putState', 'from-init', 'yes'], { init: true });
      expect(w.status).toBe(200);
      expect(await q('getState', ['from-init'], { cc: CC2 })).toBe('yes');
    });
  });

  describe('write batches', () => {
    it('batchPut is not in the Java shim: a clear error', async () => {
      const r = await fails('batchPut', [J([['w1', '1']]), 'finish']);
      expect(r.message).toBe('batchPut is not supported by the Java shim: ChaincodeStub has no write batches (StartWriteBatch / FinishWriteBatch, WRITE_BATCH_STATE)');
    });
  });

  describe('events', () => {
    it('setEvent reaches the invoke result; getEvent reads it back; an error status drops it', async () => {
      const r = await x('setEvent', ['Transfer', 'payload-1']);
      expect(r.events.map((e) => [e.name, Buffer.from(e.payload).toString()])).toEqual([['Transfer', 'payload-1']]);
      const g = await x('getEvent', ['Other', 'p2']);
      expect(g.json()).toEqual({ eventName: 'Other', payload: 'p2' });
      expect(g.events.map((e) => e.name)).toEqual(['Other']);
      const e = await evaluate(t.peer, CC, ['setEvent', 'E2', '']);
      expect(e.events.map((ev) => ev.name)).toEqual(['E2']);
    });
  });

  describe('chaincode-to-chaincode', () => {
    it('invokeChaincode on the same channel: the callee’s writes commit with the caller’s transaction', async () => {
      const r = await x('invokeChaincode', [CC2, J(['putState', 'callee-k', 'callee-v']), '']);
      expect(r.text).toBe('{"status":200,"message":"","payload":"null"}');
      expect(await q('getState', ['callee-k'], { cc: CC2 })).toBe('callee-v');
      const h = await q<{ txId: string }[]>('getHistoryForKey', ['callee-k'], { cc: CC2 });
      expect(h.map((m) => m.txId)).toEqual([r.txId]);
      expect(await q('invokeChaincode', [CC2, J(['getState', 'callee-k']), ''])).toEqual({ status: 200, message: '', payload: '"callee-v"' });
    });

    it('another channel: read-only, the callee’s writes are not committed', async () => {
      await x('putState', ['other-k', 'on-other'], { cc: CC2, channel: 'otherchannel' });
      expect(await q('invokeChaincode', [CC2, J(['getState', 'other-k']), 'otherchannel'])).toEqual({ status: 200, message: '', payload: '"on-other"' });
      const w = await x('invokeChaincode', [CC2, J(['putState', 'xch-k', 'xch-v']), 'otherchannel']);
      expect(w.json()).toEqual({ status: 200, message: '', payload: 'null' });
      expect(await q('getState', ['xch-k'], { cc: CC2, channel: 'otherchannel' })).toBe('');
    });

    it('the callee’s failure reaches the caller: its status, or its ERROR text (a Java stack trace) as status 500', async () => {
      expect(await q('invokeChaincode', [CC2, J(['status', '400', 'callee 400']), ''])).toEqual({ status: 400, message: 'callee 400', payload: '' });
      const thrown = await q<{ status: number; message: string; payload: string | null }>('invokeChaincode', [CC2, J(['throw', 'callee says no']), '']);
      expect(thrown.status).toBe(500);
      // the callee's ERROR payload, without the words the peer puts in front of a top-level ERROR
      expect(thrown.message).toMatch(/^org\.hyperledger\.fabric\.shim\.ChaincodeException: callee says no\n\tat /);
      expect(thrown.payload).toBeNull();
    });

    it('an unknown callee, or itself on the same channel: the peer’s ERROR, which the Java shim turns into an exception', async () => {
      expect((await fails('invokeChaincode', ['nosuchcc', J(['getState', 'x']), ''])).message).toMatch(UNSUCCESSFUL);
      expect((await fails('invokeChaincode', [CC, J(['getState', 'x']), ''])).message).toMatch(UNSUCCESSFUL);
      // itself on another channel is allowed
      expect(await q('invokeChaincode', [CC, J(['getChannelID']), 'otherchannel'])).toEqual({ status: 200, message: '', payload: '"otherchannel"' });
    });

    it('the Java-only overloads: invokeChaincode(name, args), invokeChaincodeWithStringArgs (List, List + channel, varargs)', async () => {
      const want = { status: 200, message: '', payload: '"callee-v"' };
      expect(await q('invokeChaincodeNoChannel', [CC2, J(['getState', 'callee-k'])])).toEqual(want);
      expect(await q('invokeChaincodeWithStringArgs', [CC2, J(['getState', 'callee-k']), ''])).toEqual(want);
      expect(await q('invokeChaincodeVarargs', [CC2, J(['getState', 'callee-k'])])).toEqual(want);
      expect(await q('invokeChaincodeWithStringArgs', [CC2, J(['getChannelID']), 'otherchannel'])).toEqual({ status: 200, message: '', payload: '"otherchannel"' });
    });
  });

  describe('client identity', () => {
    it('ClientIdentity: id (the Java shim’s DN form), MSP id, attribute, OU (derived from the certificate)', async () => {
      const id = await q<{ id: string; mspid: string; attr: string | null; ou: boolean }>('clientIdentity', ['hf.EnrollmentID', 'client']);
      // x509::<subject>::<issuer> in java.security.Principal.getName() form (fabric-shim writes /C=US/…/CN=user1)
      expect(id.id).toMatch(/^x509::CN=user1, OU=client, O=org1\.example\.com, .*C=US::CN=ca\.org1\.example\.com, O=org1\.example\.com, .*C=US$/);
      expect(id.mspid).toBe('Org1MSP');
      expect(id.attr).toBe('user1');
      expect(id.ou).toBe(true);
      expect(await q('clientIdentity', ['no.such.attr', 'peer'])).toMatchObject({ attr: null, ou: false });
      const alice = await q<{ id: string; mspid: string }>('clientIdentity', ['hf.EnrollmentID', 'client'], { mspId: 'Org2MSP', user: 'alice' });
      expect(alice.mspid).toBe('Org2MSP');
      expect(alice.id).toMatch(/^x509::CN=alice, .*::CN=ca\.org2\.example\.com, /);
      const j = await q<{ assert: boolean; subject: string }>('javaClientIdentity', ['hf.Type', 'client']);
      expect(j.assert).toBe(true);
      expect(j.subject).toMatch(/^CN=user1,OU=client,O=org1\.example\.com,/);
      expect(await q('javaClientIdentity', ['hf.Type', 'admin'])).toMatchObject({ assert: false });
    });
  });

  describe('errors, statuses, missing responses', () => {
    it('throw: the Java shim sends the stack trace as the ERROR text; nothing commits', async () => {
      sent.add('throw');
      const r = await submit(t.peer, CC, ['throw', 'on purpose']);
      expect(r.status).toBe(500);
      expect(r.message).toMatch(failure(/org\.hyperledger\.fabric\.shim\.ChaincodeException: on purpose\n\tat ccproto\.interop\.CommandChaincode\.run\(/));
      expect(r.committed).toBe(false);
      expect((await fails('whatever')).message).toMatch(failure(/org\.hyperledger\.fabric\.shim\.ChaincodeException: unknown command whatever\n/));
    });

    it('status: 200, 400 and 500 are answered as given; others fail inside the Java shim (no Status for the code)', async () => {
      sent.add('status');
      const s200 = await submit(t.peer, CC, ['status', '200', 'fine']);
      expect([s200.status, s200.message, s200.committed]).toEqual([200, 'fine', true]);
      const s400 = await submit(t.peer, CC, ['status', '400', 'bad request']);
      expect([s400.status, s400.message, s400.committed]).toEqual([400, 'bad request', false]);
      const s500 = await submit(t.peer, CC, ['status', '500', 'server error']);
      expect([s500.status, s500.message, s500.committed]).toEqual([500, 'server error', false]);
      for (const code of ['201', '404']) {
        const r = await submit(t.peer, CC, ['status', code, 'x']);
        expect(r.status).toBe(500);
        expect(r.message).toMatch(failure(/java\.lang\.NullPointerException: .*Chaincode\$Response\.getStatus\(\)" is null/));
      }
    });

    it('noResponse: a null Response fails inside the Java shim', async () => {
      const r = await fails('noResponse');
      expect(r.status).toBe(500);
      expect(r.message).toMatch(failure(/java\.lang\.NullPointerException: .*"result" is null/));
    });
  });

  it('the commands reached every method of the Java ChaincodeStub (javap of the shim in the jar)', () => {
    const javap = spawnSync('javap', ['-cp', JAR, 'org.hyperledger.fabric.shim.ChaincodeStub'], { encoding: 'utf8', timeout: 60_000 });
    expect(javap.status, javap.stderr).toBe(0);
    const methods = new Set([...javap.stdout.matchAll(/ (\w+)\(/g)].map((m) => m[1]!));
    /** Java method -> the commands (all sent above) that call it. */
    const via: Record<string, string[]> = {
      getArgs: ['getArgs', 'getBufferArgs', 'getArgsSlice'],
      getStringArgs: ['getStringArgs'],
      getFunction: ['getFunction', 'getFunctionAndParameters'],
      getParameters: ['getParameters', 'getFunctionAndParameters'],
      getTxId: ['getTxID'],
      getChannelId: ['getChannelID'],
      invokeChaincode: ['invokeChaincode', 'invokeChaincodeNoChannel'],
      invokeChaincodeWithStringArgs: ['invokeChaincodeWithStringArgs', 'invokeChaincodeVarargs'],
      getState: ['getState'],
      getStringState: ['getStringState'],
      putState: ['putState'],
      putStringState: ['putStringState'],
      delState: ['deleteState'],
      getStateValidationParameter: ['getStateValidationParameter'],
      setStateValidationParameter: ['setStateValidationParameter'],
      getStateByRange: ['getStateByRange'],
      getStateByRangeWithPagination: ['getStateByRangeWithPagination'],
      getStateByPartialCompositeKey: ['getStateByPartialCompositeKey', 'getStateByPartialCompositeKeyString'],
      getStateByPartialCompositeKeyWithPagination: ['getStateByPartialCompositeKeyWithPagination'],
      createCompositeKey: ['createCompositeKey'],
      splitCompositeKey: ['splitCompositeKey'],
      getQueryResult: ['getQueryResult'],
      getQueryResultWithPagination: ['getQueryResultWithPagination'],
      getHistoryForKey: ['getHistoryForKey'],
      getPrivateData: ['getPrivateData'],
      getPrivateDataUTF8: ['getPrivateDataUTF8'],
      getPrivateDataHash: ['getPrivateDataHash'],
      putPrivateData: ['putPrivateData', 'putPrivateDataString', 'putPrivateDataFromTransient'],
      delPrivateData: ['deletePrivateData'],
      purgePrivateData: ['purgePrivateData'],
      getPrivateDataValidationParameter: ['getPrivateDataValidationParameter'],
      setPrivateDataValidationParameter: ['setPrivateDataValidationParameter'],
      getPrivateDataByRange: ['getPrivateDataByRange'],
      getPrivateDataByPartialCompositeKey: ['getPrivateDataByPartialCompositeKey', 'getPrivateDataByPartialCompositeKeyString'],
      getPrivateDataQueryResult: ['getPrivateDataQueryResult'],
      setEvent: ['setEvent'],
      getEvent: ['getEvent'],
      getSignedProposal: ['getSignedProposal'],
      getTxTimestamp: ['getTxTimestamp', 'getDateTimestamp'],
      getCreator: ['getCreator', 'clientIdentity'],
      getTransient: ['getTransient', 'putPrivateDataFromTransient'],
      getBinding: ['getBinding'],
      getMspId: ['getMspID'],
    };
    expect([...methods].sort()).toEqual(Object.keys(via).sort());
    const unsent = Object.values(via)
      .flat()
      .filter((c) => !sent.has(c));
    expect(unsent).toEqual([]);
    // and every command of allStub.ts's vocabulary was sent (the unsupported ones too)
    expect(allStubCommands().filter((c) => !sent.has(c))).toEqual([]);
  });
});
