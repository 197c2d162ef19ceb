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
 *
 * The checks both chaincodes pass are shared with allStub.client.test.ts
 * (test/chaincode/devpeer/commandSuite.ts); what the Go shim does differently is passed to them
 * here, and the tests of what only the Go chaincode has stay in this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { KeyEndorsementPolicy } from '../../../src/chaincode/index.js';
import { CHANNEL, COLL, J, commandSuite, compositeKeys, enc, events, invokeChaincode, privateData, publicState, rangeQueries, registeredReadyAndInit, responses, richQueries, transactionContext, transactionFailed, typeAndSize, validationParameters, writeBatches, type Page } from '../../chaincode/devpeer/commandSuite.js';
import { ALLSTUB, allStubCommands, tsxCommand } from '../../chaincode/devpeer/helpers.js';
import { REPO, cleanup, read, submit } from '../../peer/e2e/helpers.js';
import { binCommand } from './helpers.js';
import { GO } from './toolchain.js';

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

afterAll(cleanup);

describe.skipIf(GO.skip)('the Go shim command chaincode, launched by our peer', { timeout: 60_000 }, () => {
  const s = commandSuite({
    launch: { kind: 'process', command: binCommand(GO.command) },
    more: { node: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO } },
    readyTimeoutMs: 30_000,
    startTimeoutMs: 60_000,
    // shim.Error: a COMPLETED with status 500 and the text, which the peer passes on as it is
    failure: (text) => text,
  });
  const { rec, why, sub, ev, put, get, committed } = s;

  it('implements exactly the command vocabulary of allStub.ts (plus its Go-only commands)', () => {
    const node = allStubCommands();
    const go = goCommands();
    expect(node.length).toBeGreaterThanOrEqual(45);
    expect(go.filter((c) => !GO_ONLY.includes(c))).toEqual(node);
  });

  it('registers as NAME:1.0; READY advertises write batches and multi-key reads (1000); Init runs', () => registeredReadyAndInit(s, ['allstub', 'node', 'other']));

  it('Init: a status of 500 or more goes out as ERROR (Go shim handleInit), reported with Fabric’s texts; private data is refused in Init', async () => {
    // Fabric: core/chaincode/chaincode_support.go processChaincodeExecutionResult ("transaction returned
    // with failure: …"), core/endorser/endorser.go ProcessProposalSuccessfullyOrError ("error in simulation").
    const bad = await submit(s.t.peer, 'allstub', ['throw', 'bad init'], { init: true });
    expect(bad).toMatchObject({ status: 500, message: transactionFailed('bad init'), committed: false });
    expect(rec.of(bad.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in ERROR']);
    const notFound = await submit(s.t.peer, 'allstub', ['status', '404', 'nf'], { init: true });
    expect(notFound).toMatchObject({ status: 404, message: 'nf', committed: false });
    expect(rec.of(notFound.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in COMPLETED']);
    // core/chaincode/handler.go: "private data APIs are not allowed in chaincode Init()", also in a batch
    const refused = (type: string, txId: string): string => `${type} failed: transaction ID: ${txId}: private data APIs are not allowed in chaincode Init()`;
    const pvt = await submit(s.t.peer, 'allstub', ['putPrivateData', COLL, 'k', 'v'], { init: true });
    expect(pvt.message).toBe(transactionFailed(refused('PUT_STATE', pvt.txId)));
    const batched = await submit(s.t.peer, 'allstub', ['batchOps', J([['putPrivate', COLL, 'k', 'v']])], { init: true });
    expect(batched.message).toBe(transactionFailed(`failed send batch: ${refused('WRITE_BATCH_STATE', batched.txId)}`));
    const multi = await submit(s.t.peer, 'allstub', ['getMultiplePrivateData', COLL, J(['a', 'b'])], { init: true });
    expect(multi.message).toBe(transactionFailed(refused('GET_STATE_MULTIPLE', multi.txId)));
  });

  it('the transaction context: arguments, txid, channel, creator, MSP id, transient map, proposal, timestamps, binding, client identity', () =>
    transactionContext(s, {
      // A Go map has no order: the keys come back integer-like first, then sorted.
      transient: async () => {
        const transient = await ev(['getTransient'], { transient: { u: enc('two'), t: enc('secret'), 10: enc('ten'), 2: enc('two') } });
        expect(transient.text).toBe(J({ 2: 'two', 10: 'ten', t: 'secret', u: 'two' }));
      },
      // pkg/cid's ID (base64-decoded here): RFC 2253-style DNs, most specific first (Node: /C=…/CN=…).
      clientId: { attruser: /^x509::CN=attruser,OU=client,O=org1\.example\.com,L=San Francisco,ST=California,C=US::.*CN=/, user1: 'x509::CN=user1,' },
    }));

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

  it('public state: a write is read back in a later transaction, a delete removes it, an evaluation commits nothing, history has the txids', () =>
    publicState(s, async () => {
      // the Go shim refuses an empty key itself
      const empty = await sub(['putState', '', 'x']);
      expect(empty).toMatchObject({ status: 500, message: 'key must not be an empty string', committed: false });
    }));

  it('key-level endorsement policies (pkg/statebased): committed as the same bytes our runtime builds, read back, replaced', () =>
    validationParameters(s, {
      committedPolicy: (stored) => {
        const ours = new KeyEndorsementPolicy();
        ours.addOrgs('MEMBER', 'Org1MSP', 'Org2MSP');
        expect(Buffer.from(stored.value).toString('hex')).toBe(ours.getPolicy().toString('hex'));
      },
      more: async () => {
        // statebased sorts the orgs it writes (Node's KeyEndorsementPolicy keeps the order given)
        await put(['setStateValidationParameter', 'vp', J(['Org3MSP', 'Org1MSP'])]);
        expect(await get(['getStateValidationParameter', 'vp'])).toEqual(['Org1MSP', 'Org3MSP']);
      },
    }));

  it('range queries: a bounded range, and every key once through pages of 10 with bookmarks', () => rangeQueries(s));

  it('range queries over more than one QUERY_STATE_NEXT batch', async () => {
    const pairs = Array.from({ length: 250 }, (_, i) => [`big${String(i).padStart(3, '0')}`, String(i)]);
    await put(['batchPut', J(pairs), 'finish']);
    const r = await ev(['getStateByRange', 'big', 'bih']);
    expect(r.status, why(r)).toBe(200);
    expect(r.json<Page['records']>().map((x) => x.key)).toEqual(pairs.map(([k]) => k));
    const types = rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in').map((m) => m.type);
    expect(types).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT', 'QUERY_STATE_CLOSE', 'COMPLETED']);
  });

  it('composite keys: partial-key queries with and without pagination, all composite keys; plain ranges skip them', () =>
    compositeKeys(s, async () => {
      // the Go shim refuses U+0000 inside a part (Node's createCompositeKey does not)
      const bad = await ev(['createCompositeKey', 'color', J(['a\u0000b'])]);
      expect(bad.status).toBe(500);
      expect(bad.message).toMatch(/^input contains unicode U\+0000/);
    }));

  it('rich queries (Mango selectors on JSON values) with and without pagination', () => richQueries(s));

  it('private data: written directly and from the transient map, read back, hashed, queried, member-only, validation parameter, deleted, purged', () =>
    privateData(s, async () => {
      // the Go shim refuses an empty collection itself
      expect(await ev(['getPrivateData', '', 'pk'])).toMatchObject({ status: 500, message: 'collection must not be an empty string' });
    }));

  it('events: SetEvent travels with the transaction result', () =>
    events(s, async () => {
      const empty = await sub(['setEvent', '', 'x']);
      expect(empty).toMatchObject({ status: 500, message: 'event name can not be empty string' });
    }));

  it('InvokeChaincode: same channel joins the transaction (writes commit with it), another channel is a read-only query; status and errors come back', () =>
    invokeChaincode(s, {
      // The callee's shim.Error is a COMPLETED with status 500: the Go caller gets it as a Response.
      calleeFailed: (thrown) => {
        expect(thrown.status, why(thrown)).toBe(200);
        expect(thrown.json()).toEqual({ status: 500, message: 'callee failed', payload: '' });
      },
    }));

  it('InvokeChaincode across implementations and its failures, as Fabric answers them', async () => {
    // Go → our runtime and back: the same command, the same JSON.
    expect(await get(['invokeChaincode', 'node', J(['getState', 'cc2cc']), ''])).toEqual({ status: 200, message: '', payload: J('') });
    const viaNode = await read(s.t.peer, 'node', ['invokeChaincode', 'allstub', J(['getFunctionAndParameters', 'x']), '']);
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

  it('write batches: WRITE_BATCH_STATE in chunks of the advertised 1000, flushed by the shim after Invoke; GetMultipleStates: GET_STATE_MULTIPLE likewise', () => writeBatches(s));

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
    expect(rec.of(r.txId, 'allstub').filter((m) => m.direction === 'in').map(typeAndSize)).toEqual([
      'WRITE_BATCH_STATE 7',
      'COMPLETED',
    ]);
    expect(await committed('mx-a')).toBe('A');
    expect(await committed('mx-del')).toBeUndefined();
    expect(await get(['getStateValidationParameter', 'mx-a'])).toEqual(['Org1MSP', 'Org2MSP']);
    expect(await get(['getPrivateData', COLL, 'mx-p'])).toBe('P');
    expect(await get(['getPrivateDataValidationParameter', COLL, 'mx-p'])).toEqual(['Org1MSP']);
    expect(await get(['getPrivateData', COLL, 'mx-pdel'])).toBe('');
    expect(await s.t.peer.worldState.getCommittedPrivate(CHANNEL, 'allstub', COLL, 'mx-purge')).toBeUndefined();
  });

  it('responses: error, empty response, error status, non-200 success, unknown command; concurrent transactions', () =>
    responses(s, {
      // shim.Error answers a failed Invoke with COMPLETED (status 500), not ERROR
      thrown: (thrown) => expect(rec.of(thrown.txId, 'allstub').map((m) => `${m.direction} ${m.type}`)).toEqual(['out TRANSACTION', 'in COMPLETED']),
      noResponse: (none) => {
        // An empty Response is status 0: below 400, so Fabric's endorser endorses it (core/endorser/endorser.go
        // ProcessProposalSuccessfullyOrError) and `peer chaincode invoke` submits it; so does our peer.
        expect(none).toMatchObject({ status: 0, message: '', text: '', committed: true });
      },
      more: async () => {
        // without a message: the command's default text
        const dflt = await sub(['throw']);
        expect(dflt).toMatchObject({ status: 500, message: 'thrown on command', committed: false });
      },
    }));

  // Needs the tests above to have run (it fails under a -t filter that leaves some out).
  it('every command of both vocabularies was driven against the peer', () => {
    const all = [...new Set([...allStubCommands(), ...goCommands()])].sort();
    expect(all.filter((c) => !s.driven.has(c))).toEqual([]);
  });
});
