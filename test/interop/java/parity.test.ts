/**
 * The Java command chaincode against the allStub fixture it mirrors (test/chaincode/fixtures/allStub.ts
 * on our runtime): both launched by one peer, given the same writes, then asked the same questions.
 * Where the method exists in both, the payloads must be the same bytes; the differences that remain
 * are named below (what each implementation reports, not something the peer does differently).
 *
 * Named differences (not compared byte for byte):
 * - per-proposal values: getTxTimestamp, getDateTimestamp, getBinding (each proposal has its own
 *   timestamp and nonce), and history txIds (the writes were separate transactions);
 * - ClientIdentity.getId(): the Java shim writes the DNs as java.security.Principal.getName()
 *   ("CN=user1, OU=client, …, C=US"), fabric-shim and our runtime as "/C=US/…/CN=user1";
 * - an empty composite key attribute: the Java shim accepts it in createCompositeKey and loses it in
 *   splitCompositeKey (CompositeKey.parseCompositeKey splits with String.split, which drops trailing
 *   empty strings); fabric-shim and our runtime refuse it ("object type or attribute not a non-zero
 *   length string");
 * - errors: the Java shim sends a thrown exception's stack trace as the ERROR text; a null response
 *   or a status other than 200/400/500 fails inside the Java shim, and so does a callee's answer
 *   with such a status (invokeChaincode);
 * - what the Java shim does not have: getDecorations, getMultipleStates, getMultiplePrivateData,
 *   getAllStatesCompositeKeyWithPagination, batchPut (write batches).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, closePeer, COLLECTION, collectionsFor, evaluate, ok, REPO, startPeer, type CallOptions, type TestPeer } from '../../peer/e2e/helpers.js';
import { ALLSTUB, allStubCommands, tsxCommand } from '../../chaincode/devpeer/helpers.js';
import { failure, JAVA, javaCommand, killJava } from './toolchain.js';

const J = JSON.stringify;
const JAVA_CC = 'pjava';
const TS_CC = 'pts';
const CALLEE = 'pcallee';
const enc = (s: string) => new TextEncoder().encode(s);

/** Commands whose results are compared byte for byte, with their parameters. */
const SAME: Array<[string, string[], CallOptions?]> = [
  ['getArgs', ['x', 'é']],
  ['getStringArgs', ['a', '']],
  ['getBufferArgs', ['b']],
  ['getFunctionAndParameters', ['p', 'q']],
  ['getArgsSlice', ['z']],
  ['getTxID', [], { txId: 'a'.repeat(64) }],
  ['getChannelID', []],
  ['getChannelID', [], { channel: 'otherchannel' }],
  ['getCreator', []],
  ['getCreator', [], { mspId: 'Org2MSP', user: 'alice' }],
  ['getMspID', []],
  ['getTransient', [], { transient: { b: enc('2'), a: enc('1'), quote: enc('"\\\n\u0001</') } }],
  ['getTransient', []],
  ['getSignedProposal', [], { txId: 'b'.repeat(64) }],
  ['getState', ['k1']],
  ['getState', ['json']],
  ['getState', ['missing']],
  ['putState', ['not-committed', 'x']],
  ['deleteState', ['k2']],
  ['getStateValidationParameter', ['k1']],
  ['getStateValidationParameter', ['missing']],
  ['getStateByRange', ['', '']],
  ['getStateByRange', ['k', 'l']],
  ['getStateByRangeWithPagination', ['', '', '2', '']],
  ['getStateByRangeWithPagination', ['', '', '2', 'k2']],
  ['getStateByPartialCompositeKey', ['color', J(['blue'])]],
  ['getStateByPartialCompositeKey', ['color', '[]']],
  ['getStateByPartialCompositeKeyWithPagination', ['color', '[]', '1', '']],
  ['getQueryResult', [J({ selector: { docType: 'doc' } })]],
  ['getQueryResultWithPagination', [J({ selector: { docType: 'doc' } }), '1', '']],
  ['invokeChaincode', [CALLEE, J(['getState', 'ck']), '']],
  ['invokeChaincode', [CALLEE, J(['status', '400', 'callee says 400']), '']],
  ['invokeChaincode', [CALLEE, J(['getChannelID']), 'otherchannel']],
  ['setEvent', ['Ev', 'payload']],
  ['createCompositeKey', ['t', J(['a', 'b'])]],
  ['splitCompositeKey', ['t', J(['a', 'b'])]],
  ['getPrivateData', [COLLECTION, 'p1']],
  ['getPrivateData', [COLLECTION, 'missing']],
  ['getPrivateDataHash', [COLLECTION, 'p1']],
  ['getPrivateDataHash', [COLLECTION, 'missing']],
  ['getPrivateDataValidationParameter', [COLLECTION, 'p1']],
  ['getPrivateDataByRange', [COLLECTION, '', '']],
  ['getPrivateDataByPartialCompositeKey', [COLLECTION, 'owner', J(['alice'])]],
  ['getPrivateDataQueryResult', [COLLECTION, J({ selector: { n: { $gt: 0 } } })]],
  ['putPrivateData', [COLLECTION, 'not-committed', 'x']],
  ['putPrivateDataFromTransient', [COLLECTION, 'not-committed', 't'], { transient: { t: enc('v') } }],
  ['deletePrivateData', [COLLECTION, 'p1']],
  ['purgePrivateData', [COLLECTION, 'p1']],
  ['setStateValidationParameter', ['k1', J(['Org1MSP'])]],
  ['setPrivateDataValidationParameter', [COLLECTION, 'p1', J(['Org1MSP'])]],
  ['status', ['400', 'bad request']],
  ['status', ['200', 'fine']],
  ['status', ['500', 'server error']],
];

/** Compared after a named difference is taken out. */
const MASKED: Record<string, (json: unknown) => unknown> = {
  getHistoryForKey: (h) => (h as { value: string; isDelete: boolean }[]).map(({ value, isDelete }) => ({ value, isDelete })),
  clientIdentity: (c) => ({ ...(c as object), id: '(differs)' }),
};

/** Vocabulary commands the Java shim cannot serve, and the ones whose answers differ by nature. */
const UNSUPPORTED = ['batchPut', 'getAllStatesCompositeKeyWithPagination', 'getDecorations', 'getMultiplePrivateData', 'getMultipleStates'];
const PER_PROPOSAL = ['getBinding', 'getDateTimestamp', 'getTxTimestamp'];
const ERRORS = ['noResponse', 'throw'];

describe.skipIf(!JAVA.ok)('the Java command chaincode and allStub.ts give the same bytes', () => {
  let t: TestPeer;

  beforeAll(async () => {
    t = await startPeer({
      chaincodes: {
        [JAVA_CC]: { kind: 'process', command: javaCommand() },
        [TS_CC]: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO },
        [CALLEE]: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO },
      },
      collections: collectionsFor(JAVA_CC, TS_CC, CALLEE),
      executeTimeoutMs: 60_000,
    });
    const both = async (args: string[]) => {
      await ok(t.peer, JAVA_CC, args, { timeoutMs: 90_000 });
      await ok(t.peer, TS_CC, args, { timeoutMs: 90_000 });
    };
    await ok(t.peer, CALLEE, ['putState', 'ck', 'callee value'], { timeoutMs: 90_000 });
    for (const [k, v] of [
      ['k1', 'v1'],
      ['k2', 'v2'],
      ['k3', 'é ünïcödé "quoted" \\ \u0007'],
      ['json', J({ docType: 'doc', n: 1, s: '</script>\u2028' })],
      ['doc2', J({ docType: 'doc', n: 2 })],
      ['\u0000color\u0000blue\u00001\u0000', 'b1'],
      ['\u0000color\u0000red\u00001\u0000', 'r1'],
    ]) {
      await both(['putState', k!, v!]);
    }
    await both(['setStateValidationParameter', 'k1', J(['Org1MSP', 'Org2MSP'])]);
    await both(['putPrivateData', COLLECTION, 'p1', J({ n: 1 })]);
    await both(['putPrivateData', COLLECTION, '\u0000owner\u0000alice\u00001\u0000', 'A1']);
    await both(['setPrivateDataValidationParameter', COLLECTION, 'p1', J(['Org3MSP'])]);
    await both(['putState', 'h', 'h1']);
    await both(['deleteState', 'h']);
    await both(['putState', 'h', 'h2']);
  }, 240_000);

  afterAll(async () => {
    await closePeer(t, 20_000);
    await killJava();
    await cleanup();
  }, 60_000);

  it('every vocabulary command is compared, masked, or named as a difference', () => {
    const covered = new Set([...SAME.map(([c]) => c), ...Object.keys(MASKED), ...UNSUPPORTED, ...PER_PROPOSAL, ...ERRORS]);
    expect(allStubCommands().filter((c) => !covered.has(c))).toEqual([]);
  });

  it('same status, message, payload bytes and events', async () => {
    const diffs: string[] = [];
    for (const [cmd, params, o = {}] of SAME) {
      const [j, s] = [await evaluate(t.peer, JAVA_CC, [cmd, ...params], o), await evaluate(t.peer, TS_CC, [cmd, ...params], o)];
      const view = (r: typeof j) => J({ status: r.status, message: r.message, payload: r.text, events: r.events.map((e) => [e.name, Buffer.from(e.payload).toString()]) });
      if (view(j) !== view(s)) diffs.push(`${cmd} ${J(params)}\n  java: ${view(j)}\n  ours: ${view(s)}`);
    }
    expect(diffs.join('\n')).toBe('');
  }, 180_000);

  it('the same after the named differences are masked (history txIds, ClientIdentity.getId format)', async () => {
    for (const [cmd, params] of [
      ['getHistoryForKey', ['h']],
      ['clientIdentity', ['hf.EnrollmentID', 'client']],
      ['clientIdentity', ['nope', 'peer']],
    ] as const) {
      const j = await evaluate(t.peer, JAVA_CC, [cmd, ...params]);
      const s = await evaluate(t.peer, TS_CC, [cmd, ...params]);
      expect([j.status, s.status]).toEqual([200, 200]);
      expect(MASKED[cmd]!(j.json())).toEqual(MASKED[cmd]!(s.json()));
    }
  });

  it('an empty composite key attribute (named difference)', async () => {
    const args = ['splitCompositeKey', 't', J(['a', ''])];
    const j = await evaluate(t.peer, JAVA_CC, args);
    expect([j.status, j.text]).toEqual([200, '{"objectType":"t","attributes":["a"]}']);
    const s = await evaluate(t.peer, TS_CC, args);
    expect(s.status).toBe(500);
    expect(s.message).toMatch(failure(/object type or attribute not a non-zero length string$/));
  });

  it('a callee answering a status other than 200/400/500 (named difference)', async () => {
    const args = ['invokeChaincode', CALLEE, J(['status', '201', 'created']), ''];
    // ours passes the callee's response on
    const s = await evaluate(t.peer, TS_CC, args);
    expect([s.status, s.text]).toEqual([200, '{"status":201,"message":"created","payload":""}']);
    // the Java shim has no Status for 201 (InvocationStubImpl.invokeChaincode: Status.forCode)
    const j = await evaluate(t.peer, JAVA_CC, args);
    expect(j.status).toBe(500);
    expect(j.message).toMatch(failure(/java\.lang\.IllegalArgumentException: no status for code 201\n/));
  });

  it('per-proposal values have the same form', async () => {
    const j = await evaluate(t.peer, JAVA_CC, ['getTxTimestamp']);
    const s = await evaluate(t.peer, TS_CC, ['getTxTimestamp']);
    const keys = (r: typeof j) => Object.keys(r.json<object>());
    expect(keys(j)).toEqual(keys(s));
    for (const cc of [JAVA_CC, TS_CC]) {
      expect((await evaluate(t.peer, cc, ['getBinding'])).json()).toMatch(/^[0-9a-f]{64}$/);
      expect((await evaluate(t.peer, cc, ['getDateTimestamp'])).json()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});
