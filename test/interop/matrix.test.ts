/**
 * One scenario, every implementation, every mode (issue #9, item 4).
 *
 * The same list of steps (STEPS: one invocation each, covering the whole command vocabulary of
 * test/chaincode/fixtures/allStub.ts) runs against the four command chaincodes:
 *   ours         test/chaincode/fixtures/allStub.ts (ccproto's runtime)
 *   fabric-shim  test/interop/fixtures/commandFabricShim.ts (fabric-shim 2.5.8)
 *   go           test/interop/go/cmd/command (fabric-chaincode-go/v2)
 *   java         test/interop/java CommandChaincode (fabric-chaincode-shim)
 * each in the three ways a chaincode meets our peer: launched by the peer (`kind: 'process'`),
 * user-run (dev mode: started here with CORE_CHAINCODE_ID_NAME and --peer.address) and
 * chaincode-as-a-service (`kind: 'ccaas'`: the chaincode's server, started here). Plaintext only
 * (TLS is covered per shim in its own suite). Every (implementation, mode) gets a fresh Peer, so
 * state starts equal; the callee of the chaincode-to-chaincode steps is always our runtime.
 *
 * Each step's result (status, message, payload, events, committed) is compared with our
 * runtime's in the same mode, after normalising what must differ between runs: the transaction ids
 * (`<txid:STEP>`, the step that created it), the creator's certificate (`<certificate>`, a fresh dev
 * CA per peer), the binding (`<binding>`, from a random nonce), and the answer to a command the
 * shim does not have (`unsupported command: NAME`, one convention for the Java shim's and our
 * fabric-shim fixture's texts). JSON payloads are compared with object keys sorted (property
 * order is not a result). The proposals' clock is fixed per step (PeerOptions.nowNanos), so
 * timestamps are compared verbatim, nanoseconds included. Everything else is compared verbatim.
 *
 * A difference is allowed only when DIFFERENCES lists it — (implementation, steps, the fields that
 * differ, why) with a docs/deviations.md id, "not supported by <shim> <version>", or a shim
 * behaviour quoted from the fixtures' header tables — and a listed difference that no longer
 * occurs fails too, so that the table stays true. docs/interop.md is the matrix, generated from the
 * results: written with CCPROTO_WRITE_DOCS=1, otherwise checked to be up to date (skipped, with a
 * warning, when the Go or Java toolchain is missing and a column could not run).
 *
 *   npx vitest run test/interop/matrix.test.ts
 *   CCPROTO_WRITE_DOCS=1 npx vitest run test/interop/matrix.test.ts    # regenerate docs/interop.md
 *   CCPROTO_MATRIX_DUMP=/tmp/matrix.json npx vitest run …              # also write every result
 *
 * The Go and Java columns need their toolchains (test/interop/go/toolchain.ts,
 * test/interop/java/toolchain.ts build the chaincode when it is stale): without `go` or `mvn` those
 * columns are skipped with the reason printed, and with CI=true importing the toolchain fails the
 * file. The 12 runs go two at a time; each kills what it started, and afterAll kills whatever is
 * left.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Peer } from '../../src/peer/peer.js';
import { startProxy } from '../../src/proxy/proxy.js';
import { checkTrace, type LocatedFinding } from '../../src/trace/check.js';
import { parseTrace, type TraceRecord } from '../../src/trace/format.js';
import { TraceRecorder } from '../../src/trace/recorder.js';
import type { PeerOptions } from '../../src/peer/types.js';
import { ALLSTUB, allStubCommands, freePort, startServerOnFreePort, tsxArgs, tsxCommand } from '../chaincode/devpeer/helpers.js';
import { COLLECTION, REPO, cleanup, closePeer, collectionsFor, evaluate, killChildren, spawnChild, submit, waitReady, type CallOptions, type Result, type TestPeer, startPeer } from '../peer/e2e/helpers.js';
import { FABRIC_SHIM_VERSION } from './fixtures/commandFabricShim.js';
import { binCommand, killGoChildren, packageId, startGoServer, startGoUserRun } from './go/helpers.js';
import { GO } from './go/toolchain.js';
import { JAVA, javaCommand, killJava, startJavaServer, startJavaUserRun } from './java/toolchain.js';

const J = JSON.stringify;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

const FABRIC_SHIM_FIXTURE = join(REPO, 'test/interop/fixtures/commandFabricShim.ts');
const DOC = join(REPO, 'docs/interop.md');

// ---------------------------------------------------------------------------------------------
// Versions (printed at the top of docs/interop.md)

const GO_SHIM_VERSION = /github\.com\/hyperledger\/fabric-chaincode-go\/v2 (\S+)/.exec(readFileSync(join(REPO, 'test/interop/go/go.mod'), 'utf8'))?.[1] ?? '?';
const JAVA_SHIM_VERSION = /<fabric-chaincode-java\.version>([^<]+)</.exec(readFileSync(join(REPO, 'test/interop/java/pom.xml'), 'utf8'))?.[1] ?? '?';

// ---------------------------------------------------------------------------------------------
// Implementations and modes

const IMPLS = ['ours', 'fabric-shim', 'go', 'java'] as const;
type Impl = (typeof IMPLS)[number];
const MODES = ['launched', 'user-run', 'ccaas'] as const;
type Mode = (typeof MODES)[number];

/** Why an implementation's column cannot run here ('' when it can). */
const SKIP: Record<Impl, string> = {
  ours: '',
  'fabric-shim': '',
  go: GO.skip ? `Go toolchain: ${GO.reason}` : '',
  java: JAVA.ok ? '' : `Java toolchain: ${JAVA.reason}`,
};

/** The chaincode under test and the callee of the chaincode-to-chaincode steps (our runtime). */
const NAME = 'cmd';
const CALLEE = 'callee';
const OTHER_CHANNEL = 'otherchannel';

// ---------------------------------------------------------------------------------------------
// The scenario

interface Step {
  id: string;
  /** The matrix row it belongs to. */
  feature: string;
  args: string[];
  /** Commit on success (an invoke); otherwise evaluate (a query). */
  submit?: boolean;
  /** Sent as INIT. */
  init?: boolean;
  o?: Omit<CallOptions, 'timeoutMs'>;
  /** A step-specific normalisation of a value that differs on every run. */
  normalise?: (o: Outcome) => Outcome;
}

const F = {
  init: 'Init',
  args: 'Arguments',
  tx: 'Transaction context (txid, channel, timestamps, binding, signed proposal)',
  id: 'Creator, MSP id, client identity',
  transient: 'Transient data',
  state: 'State: put, get, delete',
  range: 'Range queries and pagination',
  composite: 'Composite keys',
  query: 'Rich queries (the memory ledger’s Mango selectors)',
  history: 'History',
  kle: 'Key-level endorsement (validation parameters)',
  pdc: 'Private data, hashes, purge',
  multi: 'Multi-key reads (GET_STATE_MULTIPLE)',
  batch: 'Write batches (WRITE_BATCH_STATE)',
  event: 'Events',
  c2c: 'Chaincode-to-chaincode',
  errors: 'Errors: thrown, status 4xx/5xx, no response, unknown command',
} as const;

const DOC_QUERY = J({ selector: { docType: 'doc' } });

const STEPS: Step[] = [
  { id: 'init.empty', feature: F.init, args: [''], init: true, submit: true },
  { id: 'init.command', feature: F.init, args: ['putState', 'fromInit', 'written by Init'], init: true, submit: true },
  { id: 'init.status500', feature: F.init, args: ['status', '500', 'Init refused'], init: true },

  { id: 'args.fcnParams', feature: F.args, args: ['getFunctionAndParameters', 'p', 'q'] },
  { id: 'args.getArgs', feature: F.args, args: ['getArgs', 'x', 'é', ''] },
  { id: 'args.stringArgs', feature: F.args, args: ['getStringArgs', 'a', ''] },
  { id: 'args.bufferArgs', feature: F.args, args: ['getBufferArgs', 'b'] },
  { id: 'args.slice', feature: F.args, args: ['getArgsSlice', 'z'] },
  { id: 'args.decorations', feature: F.args, args: ['getDecorations'] },

  { id: 'tx.id', feature: F.tx, args: ['getTxID'] },
  { id: 'tx.channel', feature: F.tx, args: ['getChannelID'] },
  { id: 'tx.otherChannel', feature: F.tx, args: ['getChannelID'], o: { channel: OTHER_CHANNEL } },
  { id: 'tx.timestamp', feature: F.tx, args: ['getTxTimestamp'] },
  { id: 'tx.date', feature: F.tx, args: ['getDateTimestamp'] },
  { id: 'tx.binding', feature: F.tx, args: ['getBinding'], normalise: (o) => ({ ...o, payload: o.payload.replace(/^"[0-9a-f]{64}"$/, '"<binding>"') }) },
  { id: 'tx.signedProposal', feature: F.tx, args: ['getSignedProposal'] },

  { id: 'id.creator', feature: F.id, args: ['getCreator'] },
  { id: 'id.creatorOrg2', feature: F.id, args: ['getCreator'], o: { mspId: 'Org2MSP', user: 'alice' } },
  { id: 'id.mspid', feature: F.id, args: ['getMspID'] },
  { id: 'id.client', feature: F.id, args: ['clientIdentity', 'hf.EnrollmentID', 'client'] },
  { id: 'id.clientOrg2', feature: F.id, args: ['clientIdentity', 'nope', 'peer'], o: { mspId: 'Org2MSP', user: 'alice' } },

  { id: 'transient.map', feature: F.transient, args: ['getTransient'], o: { transient: { b: enc('2'), a: enc('1'), quote: enc('"\\\n\u0001</') } } },
  { id: 'transient.none', feature: F.transient, args: ['getTransient'] },

  { id: 'state.put', feature: F.state, args: ['putState', 'k1', 'v1'], submit: true },
  { id: 'state.putUnicode', feature: F.state, args: ['putState', 'k3', 'é ünïcödé "quoted" \\ \u0007'], submit: true },
  { id: 'state.putJson', feature: F.state, args: ['putState', 'doc1', J({ docType: 'doc', n: 1, s: '</script>\u2028' })], submit: true },
  { id: 'state.putJson2', feature: F.state, args: ['putState', 'doc2', J({ docType: 'doc', n: 2 })], submit: true },
  { id: 'state.put2', feature: F.state, args: ['putState', 'k2', 'v2'], submit: true },
  { id: 'state.get', feature: F.state, args: ['getState', 'k1'] },
  { id: 'state.getUnicode', feature: F.state, args: ['getState', 'k3'] },
  { id: 'state.getMissing', feature: F.state, args: ['getState', 'missing'] },
  { id: 'state.getInitWrite', feature: F.state, args: ['getState', 'fromInit'] },
  { id: 'state.delete', feature: F.state, args: ['deleteState', 'k2'], submit: true },
  { id: 'state.getDeleted', feature: F.state, args: ['getState', 'k2'] },
  { id: 'state.evaluatedPut', feature: F.state, args: ['putState', 'k9', 'never committed'] },
  { id: 'state.getUncommitted', feature: F.state, args: ['getState', 'k9'] },

  { id: 'range.all', feature: F.range, args: ['getStateByRange', '', ''] },
  { id: 'range.bounded', feature: F.range, args: ['getStateByRange', 'doc', 'k3'] },
  { id: 'range.page1', feature: F.range, args: ['getStateByRangeWithPagination', '', '', '2', ''] },
  { id: 'range.page2', feature: F.range, args: ['getStateByRangeWithPagination', '', '', '2', 'fromInit'] },

  { id: 'composite.create', feature: F.composite, args: ['createCompositeKey', 'color', J(['blue', '1'])] },
  { id: 'composite.split', feature: F.composite, args: ['splitCompositeKey', 'color', J(['blue', '1'])] },
  { id: 'composite.put', feature: F.composite, args: ['putState', ck('color', 'blue', '1'), 'b1'], submit: true },
  { id: 'composite.put2', feature: F.composite, args: ['putState', ck('color', 'red', '1'), 'r1'], submit: true },
  { id: 'composite.partial', feature: F.composite, args: ['getStateByPartialCompositeKey', 'color', J(['blue'])] },
  { id: 'composite.partialPage', feature: F.composite, args: ['getStateByPartialCompositeKeyWithPagination', 'color', '[]', '1', ''] },
  { id: 'composite.allPage', feature: F.composite, args: ['getAllStatesCompositeKeyWithPagination', '10', ''] },
  { id: 'composite.emptyAttribute', feature: F.composite, args: ['splitCompositeKey', 't', J(['a', ''])] },

  { id: 'query.selector', feature: F.query, args: ['getQueryResult', DOC_QUERY] },
  { id: 'query.page', feature: F.query, args: ['getQueryResultWithPagination', DOC_QUERY, '1', ''] },

  { id: 'history.put1', feature: F.history, args: ['putState', 'h', 'h1'], submit: true },
  { id: 'history.delete', feature: F.history, args: ['deleteState', 'h'], submit: true },
  { id: 'history.put2', feature: F.history, args: ['putState', 'h', 'h2'], submit: true },
  { id: 'history.get', feature: F.history, args: ['getHistoryForKey', 'h'] },

  { id: 'kle.set', feature: F.kle, args: ['setStateValidationParameter', 'k1', J(['Org1MSP', 'Org2MSP'])], submit: true },
  { id: 'kle.get', feature: F.kle, args: ['getStateValidationParameter', 'k1'] },
  { id: 'kle.none', feature: F.kle, args: ['getStateValidationParameter', 'k3'] },

  { id: 'pdc.put', feature: F.pdc, args: ['putPrivateData', COLLECTION, 'p1', J({ n: 1 })], submit: true },
  { id: 'pdc.putFromTransient', feature: F.pdc, args: ['putPrivateDataFromTransient', COLLECTION, 'p2', 't'], submit: true, o: { transient: { t: enc('from transient') } } },
  { id: 'pdc.putComposite', feature: F.pdc, args: ['putPrivateData', COLLECTION, ck('owner', 'alice', '1'), 'A1'], submit: true },
  { id: 'pdc.get', feature: F.pdc, args: ['getPrivateData', COLLECTION, 'p1'] },
  { id: 'pdc.getTransientValue', feature: F.pdc, args: ['getPrivateData', COLLECTION, 'p2'] },
  { id: 'pdc.hash', feature: F.pdc, args: ['getPrivateDataHash', COLLECTION, 'p1'] },
  { id: 'pdc.hashMissing', feature: F.pdc, args: ['getPrivateDataHash', COLLECTION, 'missing'] },
  { id: 'pdc.range', feature: F.pdc, args: ['getPrivateDataByRange', COLLECTION, '', ''] },
  { id: 'pdc.partial', feature: F.pdc, args: ['getPrivateDataByPartialCompositeKey', COLLECTION, 'owner', J(['alice'])] },
  { id: 'pdc.query', feature: F.pdc, args: ['getPrivateDataQueryResult', COLLECTION, J({ selector: { n: { $gt: 0 } } })] },
  { id: 'pdc.vpSet', feature: F.pdc, args: ['setPrivateDataValidationParameter', COLLECTION, 'p1', J(['Org3MSP'])], submit: true },
  { id: 'pdc.vpGet', feature: F.pdc, args: ['getPrivateDataValidationParameter', COLLECTION, 'p1'] },
  { id: 'multi.states', feature: F.multi, args: ['getMultipleStates', J(['k1', 'missing', 'k3'])] },
  { id: 'multi.private', feature: F.multi, args: ['getMultiplePrivateData', COLLECTION, J(['p1', 'p2', 'missing'])] },
  { id: 'pdc.delete', feature: F.pdc, args: ['deletePrivateData', COLLECTION, 'p2'], submit: true },
  { id: 'pdc.getDeleted', feature: F.pdc, args: ['getPrivateData', COLLECTION, 'p2'] },
  { id: 'pdc.purge', feature: F.pdc, args: ['purgePrivateData', COLLECTION, 'p1'], submit: true },
  { id: 'pdc.getPurged', feature: F.pdc, args: ['getPrivateData', COLLECTION, 'p1'] },
  { id: 'pdc.unknownCollection', feature: F.pdc, args: ['getPrivateData', 'nosuch', 'p1'] },

  { id: 'batch.finished', feature: F.batch, args: ['batchPut', J([['b1', '1'], ['b2', '2']]), 'finish'], submit: true },
  { id: 'batch.unfinished', feature: F.batch, args: ['batchPut', J([['b3', '3']])], submit: true },
  { id: 'batch.read', feature: F.batch, args: ['getStateByRange', 'b', 'c'] },

  { id: 'event.submit', feature: F.event, args: ['setEvent', 'Ev', 'event payload'], submit: true },
  { id: 'event.evaluate', feature: F.event, args: ['setEvent', 'Ev2', 'x'] },

  { id: 'c2c.write', feature: F.c2c, args: ['invokeChaincode', CALLEE, J(['putState', 'ck', 'from caller']), ''], submit: true },
  { id: 'c2c.read', feature: F.c2c, args: ['invokeChaincode', CALLEE, J(['getState', 'ck']), ''] },
  { id: 'c2c.status400', feature: F.c2c, args: ['invokeChaincode', CALLEE, J(['status', '400', 'callee says 400']), ''] },
  { id: 'c2c.thrown', feature: F.c2c, args: ['invokeChaincode', CALLEE, J(['throw', 'callee failed']), ''] },
  { id: 'c2c.otherChannel', feature: F.c2c, args: ['invokeChaincode', CALLEE, J(['getChannelID']), OTHER_CHANNEL] },
  { id: 'c2c.missing', feature: F.c2c, args: ['invokeChaincode', 'nosuch', J(['getState', 'x']), ''] },

  { id: 'error.thrown', feature: F.errors, args: ['throw', 'boom'] },
  { id: 'error.thrownSubmit', feature: F.errors, args: ['throw', 'not committed'], submit: true },
  { id: 'error.status400', feature: F.errors, args: ['status', '400', 'bad request'] },
  { id: 'error.status500', feature: F.errors, args: ['status', '500', 'server error'] },
  { id: 'error.status200', feature: F.errors, args: ['status', '200', 'fine'] },
  { id: 'error.noResponse', feature: F.errors, args: ['noResponse'] },
  { id: 'error.unknownCommand', feature: F.errors, args: ['nosuchcommand', 'x'] },
  { id: 'error.emptyKey', feature: F.errors, args: ['putState', '', 'x'] },
];

// ---------------------------------------------------------------------------------------------
// The allowed differences

type Field = 'status' | 'message' | 'payload' | 'events' | 'committed';

interface Difference {
  impl: Exclude<Impl, 'ours'>;
  steps: string[];
  /** The modes it occurs in (default: every mode). */
  modes?: Mode[];
  /**
   * The fields that differ from our runtime's result, exactly; or 'unsupported': the shim answers
   * that it does not have the command (normalised to `unsupported command: NAME`).
   */
  differs: Field[] | 'unsupported';
  /** Short name for the matrix cell. */
  name: string;
  /** What differs. */
  what: string;
  /**
   * Why: a docs/deviations.md id (`S1`) or a sentence of it (its closing note has no ids),
   * `not supported by <shim> <version>`, or a shim behaviour quoted from a fixture's header table
   * (for the Java shim also the list of named differences at the top of its parity test). The test
   * checks that the id or the quote is there.
   */
  why: { deviation: string } | { deviations: string } | { unsupported: string } | { fixture: keyof typeof FIXTURE_FILES; quote: string };
}

const FIXTURE_FILES = {
  go: 'test/interop/go/cmd/command/main.go',
  java: 'test/interop/java/src/main/java/ccproto/interop/CommandChaincode.java',
  'java-parity': 'test/interop/java/parity.test.ts',
  'fabric-shim': 'test/interop/fixtures/commandFabricShim.ts',
} as const;

const FABRIC_SHIM = `fabric-shim ${FABRIC_SHIM_VERSION}`;
const JAVA_SHIM = `fabric-chaincode-shim ${JAVA_SHIM_VERSION}`;
const THROWING = ['composite.emptyAttribute', 'pdc.unknownCollection', 'c2c.missing', 'error.thrown', 'error.thrownSubmit', 'error.unknownCommand', 'error.emptyKey'];

const DIFFERENCES: Difference[] = [
  // ---- fabric-shim 2.5.8 (test/interop/fixtures/commandFabricShim.ts)
  { impl: 'fabric-shim', steps: ['args.slice', 'args.decorations'], differs: 'unsupported', name: 'not supported', what: 'getArgsSlice, getDecorations', why: { unsupported: FABRIC_SHIM } },
  { impl: 'fabric-shim', steps: ['composite.allPage'], differs: 'unsupported', name: 'not supported', what: 'getAllStatesCompositeKeyWithPagination', why: { unsupported: FABRIC_SHIM } },
  { impl: 'fabric-shim', steps: ['multi.states', 'multi.private'], differs: 'unsupported', name: 'not supported', what: 'getMultipleStates, getMultiplePrivateData', why: { unsupported: FABRIC_SHIM } },
  { impl: 'fabric-shim', steps: ['batch.finished', 'batch.unfinished'], differs: 'unsupported', name: 'not supported', what: 'startWriteBatch / finishWriteBatch (batchPut)', why: { unsupported: FABRIC_SHIM } },
  { impl: 'fabric-shim', steps: ['batch.read'], differs: ['payload'], name: 'no batch written', what: 'the keys the unsupported batchPut steps would have written are absent', why: { unsupported: FABRIC_SHIM } },
  {
    impl: 'fabric-shim',
    steps: THROWING,
    differs: ['message'],
    name: 'throw → COMPLETED 500 (S1)',
    what: 'fabric-shim does not catch a rejected Invoke (the process would die): the fixture answers shim.error(message), a COMPLETED 500 with the bare text; our runtime sends ERROR, which the peer reports as `error in simulation: transaction returned with failure: <text>`',
    why: { deviation: 'S1' },
  },
  {
    impl: 'fabric-shim',
    steps: ['c2c.thrown'],
    differs: ['message'],
    name: 'nested ERROR garbled (S21)',
    what: 'fabric-shim decodes the callee’s error text as a Response and throws the decoder’s error (`Failure: Unmatched end-group tag`), answered as a COMPLETED 500 (S1); our runtime throws the callee’s text',
    why: { deviation: 'S21' },
  },

  // ---- the Go shim (test/interop/go/cmd/command)
  {
    impl: 'go',
    steps: ['init.status500'],
    differs: ['message'],
    name: 'Init 5xx sent as ERROR',
    what: 'the Go shim sends an Init response with status ≥ 500 as ERROR (`error in simulation: transaction returned with failure: Init refused`); our runtime, as fabric-shim, sends COMPLETED (`Init refused`)',
    why: { fixture: 'go', quote: 'In Init the Go shim sends a status >= 500 as ERROR' },
  },
  {
    impl: 'go',
    steps: ['id.client', 'id.clientOrg2'],
    differs: ['payload'],
    name: 'client id in RFC 2253 form',
    what: 'cid.GetID: `x509::CN=user1,OU=client,…,C=US::CN=ca…` instead of `x509::/C=US/…/CN=user1::/C=US/…`',
    why: { fixture: 'go', quote: "but the DN format stays Go's (Node: /C=…/CN=…)" },
  },
  {
    impl: 'go',
    steps: ['composite.emptyAttribute'],
    differs: ['status', 'message', 'payload'],
    name: 'empty composite attribute kept',
    what: 'CreateCompositeKey/SplitCompositeKey accept and keep an empty attribute (`["a",""]`); our runtime, as fabric-shim, refuses it (`object type or attribute not a non-zero length string`)',
    why: { deviations: 'Same as fabric-shim on purpose (and different from the Go shim): an Init status ≥ 500 is sent as COMPLETED; composite-key parts are only required to be non-empty strings' },
  },
  {
    impl: 'go',
    steps: ['pdc.unknownCollection', 'error.thrown', 'error.thrownSubmit', 'error.unknownCommand'],
    differs: ['message'],
    name: 'error → COMPLETED 500',
    what: 'the Go chaincode answers shim.Error(text), a COMPLETED 500; our runtime throws, an ERROR the peer reports as `error in simulation: transaction returned with failure: <text>`',
    why: { fixture: 'go', quote: 'Go has no throw: shim.Error → COMPLETED status 500 with the text; Node sends ERROR' },
  },
  {
    impl: 'go',
    steps: ['error.emptyKey'],
    differs: ['message'],
    name: 'empty key refused by the shim',
    what: 'PutState refuses the empty key itself (`key must not be an empty string`, COMPLETED 500); our runtime sends it and the peer refuses it (`PUT_STATE failed: … invalid key. Empty string is not supported as a key by couchdb`, as ERROR)',
    why: { fixture: 'go', quote: 'Go refuses an empty key ("key must not be an empty string"); Node\'s runtime sends it' },
  },
  {
    impl: 'go',
    steps: ['c2c.thrown', 'c2c.missing'],
    differs: ['status', 'message', 'payload'],
    name: 'failed nested call → 500 response',
    what: 'InvokeChaincode returns {status 500, empty message, payload: the ERROR’s bytes (for a callee’s ERROR the whole ChaincodeMessage the peer wrapped in RESPONSE)}, so the caller succeeds; our runtime throws the error text',
    why: { fixture: 'go', quote: "reaches a Go caller as status 500 with the bytes as payload and an empty message; Node's runtime throws instead" },
  },
  {
    impl: 'go',
    steps: ['error.noResponse'],
    differs: ['status', 'message'],
    name: 'no response → status 0',
    what: 'a Go chaincode cannot return nothing: an empty Response reaches the peer as status 0, empty message; our runtime, as fabric-shim, answers COMPLETED 500 `[<channel>-<txid>] Calling chaincode Invoke() has not called success or error.`',
    why: { fixture: 'go', quote: 'an empty Response (status 0)' },
  },

  // ---- the Java shim (test/interop/java, CommandChaincode)
  { impl: 'java', steps: ['args.decorations'], differs: 'unsupported', name: 'not supported', what: 'getDecorations', why: { unsupported: JAVA_SHIM } },
  { impl: 'java', steps: ['composite.allPage'], differs: 'unsupported', name: 'not supported', what: 'getAllStatesCompositeKeyWithPagination', why: { unsupported: JAVA_SHIM } },
  { impl: 'java', steps: ['multi.states', 'multi.private'], differs: 'unsupported', name: 'not supported', what: 'getMultipleStates, getMultiplePrivateData', why: { unsupported: JAVA_SHIM } },
  { impl: 'java', steps: ['batch.finished', 'batch.unfinished'], differs: 'unsupported', name: 'not supported', what: 'write batches (batchPut)', why: { unsupported: JAVA_SHIM } },
  { impl: 'java', steps: ['batch.read'], differs: ['payload'], name: 'no batch written', what: 'the keys the unsupported batchPut steps would have written are absent', why: { unsupported: JAVA_SHIM } },
  {
    impl: 'java',
    steps: ['id.client', 'id.clientOrg2'],
    differs: ['payload'],
    name: 'client id in Principal form',
    what: 'getId: `x509::CN=user1, OU=client, …, C=US::CN=ca…` instead of `x509::/C=US/…/CN=user1::/C=US/…`',
    why: { fixture: 'java-parity', quote: 'ClientIdentity.getId(): the Java shim writes the DNs as java.security.Principal.getName()' },
  },
  {
    impl: 'java',
    steps: ['composite.emptyAttribute'],
    differs: ['status', 'message', 'payload'],
    name: 'empty composite attribute dropped',
    what: 'createCompositeKey accepts the empty attribute and splitCompositeKey loses it (`["a"]`); our runtime, as fabric-shim, refuses it',
    why: { fixture: 'java', quote: 'the Java shim accepts an empty attribute and splitCompositeKey drops it' },
  },
  {
    impl: 'java',
    steps: ['pdc.unknownCollection', 'c2c.missing', 'error.thrown', 'error.thrownSubmit', 'error.unknownCommand', 'error.emptyKey'],
    differs: ['message'],
    name: 'error text = stack trace',
    what: 'the ERROR text is the Java exception with its stack trace; a stub call the peer refuses becomes `ContractRuntimeException: [<txid>]Unsuccessful response received.` (the peer’s reason is not kept), and the empty key is refused by the shim itself (`IllegalArgumentException: key cannot not be an empty string`)',
    why: { fixture: 'java', quote: 'a thrown exception goes to the peer as ERROR with the whole stack trace as its text' },
  },
  {
    impl: 'java',
    steps: ['error.noResponse'],
    differs: ['message'],
    name: 'no response → NullPointerException',
    what: 'a null Response fails inside the Java shim: ERROR `java.lang.NullPointerException: … because "result" is null` with its stack trace',
    why: { fixture: 'java', quote: 'a null response, or a status other than 200/400/500, fails in ChaincodeInvocationTask.call with a NullPointerException' },
  },
  {
    impl: 'java',
    steps: ['c2c.thrown'],
    differs: ['status', 'message', 'payload'],
    name: 'nested ERROR → 500 response (S21)',
    what: 'invokeChaincode returns the callee’s ERROR as a Response {status 500, message: its text, payload null}, so the caller succeeds; our runtime throws an Error with the callee’s text (S21)',
    why: { deviation: 'S21' },
  },
];

// ---------------------------------------------------------------------------------------------
// Results

interface Outcome {
  status: number;
  message: string;
  /** The payload as text; JSON re-serialised with sorted keys. */
  payload: string;
  events: string[];
  /** Only for submitted steps. */
  committed?: boolean;
}

interface Run {
  impl: Impl;
  mode: Mode;
  outcomes: Map<string, Outcome>;
  /** User-run: what `ccproto check` finds in the proxy's trace of the session. */
  traced?: { messages: number; findings: LocatedFinding[] };
  /** Set when the run itself failed (a chaincode that did not start, a step that timed out). */
  error?: string;
  ms: number;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/** A parsed JSON value with its strings normalised and its object keys sorted. */
function canonical(v: unknown, norm: (s: string) => string): unknown {
  if (typeof v === 'string') return norm(v);
  if (Array.isArray(v)) return v.map((x) => canonical(x, norm));
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k], norm)]));
  return v;
}

/** The one convention for a command a shim does not have. */
function unsupported(message: string): string | undefined {
  return /^unsupported command: (\w+): /.exec(message)?.[1] ?? /^(\w+) is not supported by the Java shim: /.exec(message)?.[1];
}

function makeNormaliser(txIds: Map<string, string>): (s: string) => string {
  return (s) => {
    let out = s.replace(PEM, '<certificate>');
    for (const [txId, step] of txIds) {
      out = out.split(txId).join(`<txid:${step}>`);
      // fabric-shim's logging prefix: [<channel>-<first 8 characters of the txid>]
      out = out.split(`-${txId.slice(0, 8)}]`).join(`-<txid:${step}>]`);
      // the Java shim's: [<first 8 characters of the txid>]
      out = out.split(`[${txId.slice(0, 8)}]`).join(`[<txid:${step}>]`);
    }
    return out;
  };
}

function outcomeOf(step: Step, r: Result, norm: (s: string) => string): Outcome {
  let payload: string;
  try {
    payload = J(canonical(JSON.parse(r.text) as unknown, norm));
  } catch {
    payload = norm(r.text);
  }
  let o: Outcome = {
    status: r.status,
    message: norm(r.message),
    payload,
    events: r.events.map((e) => `${e.name}: ${Buffer.from(e.payload).toString('utf8')}`),
    ...(step.submit ? { committed: r.committed } : {}),
  };
  const missing = unsupported(o.message);
  if (o.status === 500 && missing) o = { ...o, message: `unsupported command: ${missing}`, payload: '' };
  return step.normalise ? step.normalise(o) : o;
}

// ---------------------------------------------------------------------------------------------
// Running one (implementation, mode)

/** Nanoseconds of the proposals' clock at step i: the same in every run, nanoseconds not zero. */
const clockAt = (i: number): bigint => 1_767_225_600_123_456_789n + BigInt(i) * 1_000_000_007n;

const CCID = packageId(`${NAME}_1.0`);
const USER_RUN_ENV = { CORE_CHAINCODE_ID_NAME: `${NAME}:1.0`, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_LOCALMSPID: 'Org1MSP' };

interface Started {
  launch?: NonNullable<PeerOptions['chaincodes']>[string];
  /** User-run: the session as the recording proxy saw it. */
  trace?: ReturnType<typeof recordedTrace>;
  /** Started after the peer (user-run). */
  afterPeer?: (peer: Peer) => Promise<() => Promise<void>>;
  stop?: () => Promise<void>;
}

/** What the peer needs to reach the chaincode in `mode`, starting its process when the test must. */
async function prepare(impl: Impl, mode: Mode): Promise<Started> {
  const nodeFile = impl === 'ours' ? ALLSTUB : FABRIC_SHIM_FIXTURE;
  if (mode === 'launched') {
    switch (impl) {
      case 'ours':
      case 'fabric-shim':
        return { launch: { kind: 'process', command: tsxCommand(nodeFile), cwd: REPO } };
      case 'go':
        return { launch: { kind: 'process', command: binCommand(GO.command) } };
      case 'java':
        return { launch: { kind: 'process', command: javaCommand() } };
    }
  }
  if (mode === 'user-run') {
    // Through the recording proxy (src/proxy): the whole session is checked against both charts.
    const start = async (peer: Peer): Promise<{ address: string; stop: () => Promise<void> }> => {
      const proxy = await startProxy({ mode: 'register', listen: { host: '127.0.0.1', port: 0 }, upstream: { address: peer.chaincodeAddress }, recorder: trace.recorder });
      return { address: proxy.address, stop: () => proxy.close() };
    };
    const trace = recordedTrace();
    const spawnUserRun = (peer: Peer, address: string) => {
      switch (impl) {
        case 'ours':
        case 'fabric-shim':
          return spawnChild([...tsxArgs(nodeFile), `--peer.address=${address}`], USER_RUN_ENV);
        case 'go':
          return startGoUserRun(peer, GO.command, NAME, { address });
        case 'java':
          return startJavaUserRun(peer, NAME, { address });
      }
    };
    return {
      trace,
      afterPeer: async (peer) => {
        const proxy = await start(peer);
        const child = spawnUserRun(peer, proxy.address);
        return async () => {
          await child.kill();
          await proxy.stop();
        };
      },
    };
  }
  switch (impl) {
    case 'ours':
    case 'fabric-shim': {
      const s = await startServerOnFreePort(nodeFile, { CORE_CHAINCODE_ID: CCID, CORE_PEER_LOCALMSPID: 'Org1MSP' }, 60_000);
      return { launch: { kind: 'ccaas', address: s.address }, stop: () => s.child.kill() };
    }
    case 'go': {
      const s = await startGoServer(GO.command, CCID, 'off', 60_000);
      return { launch: { kind: 'ccaas', address: s.address }, stop: () => s.child.kill() };
    }
    case 'java': {
      const port = await freePort();
      const child = await startJavaServer('command', port, CCID);
      return { launch: { kind: 'ccaas', address: `127.0.0.1:${port}` }, stop: () => child.kill() };
    }
  }
}

const STEP_TIMEOUT_MS = 60_000;

async function runOne(impl: Impl, mode: Mode): Promise<Run> {
  const t0 = Date.now();
  const outcomes = new Map<string, Outcome>();
  const stops: Array<() => Promise<void>> = [];
  let t: TestPeer | undefined;
  let step = 0;
  let trace: Started['trace'];
  let result: Run;
  try {
    const started = await prepare(impl, mode);
    trace = started.trace;
    if (started.stop) stops.push(started.stop);
    t = await startPeer({
      chaincodes: { [CALLEE]: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO }, ...(started.launch ? { [NAME]: started.launch } : {}) },
      collections: collectionsFor(NAME, CALLEE),
      executeTimeoutMs: STEP_TIMEOUT_MS,
      startupTimeoutMs: 90_000,
      nowNanos: () => clockAt(step),
    });
    if (started.afterPeer) stops.push(await started.afterPeer(t.peer));
    await waitReady(t.peer, CALLEE, 90_000);
    await waitReady(t.peer, NAME, 90_000);
    const txIds = new Map<string, string>();
    const norm = makeNormaliser(txIds);
    for (const [i, s] of STEPS.entries()) {
      step = i;
      const o = { ...s.o, ...(s.init ? { init: true } : {}), timeoutMs: STEP_TIMEOUT_MS + 10_000 };
      const r = s.submit ? await submit(t.peer, NAME, s.args, o) : await evaluate(t.peer, NAME, s.args, o);
      txIds.set(r.txId, s.id);
      outcomes.set(s.id, outcomeOf(s, r, norm));
    }
    result = { impl, mode, outcomes, ms: Date.now() - t0 };
  } catch (err) {
    result = { impl, mode, outcomes, ms: Date.now() - t0, error: `${(err as Error).stack ?? String(err)}\nat step ${STEPS[step]?.id}\n${t?.output() ?? ''}` };
  } finally {
    await closePeer(t, 30_000).catch(() => undefined);
    for (const stop of stops) await stop().catch(() => undefined);
  }
  if (trace) {
    const { messages, findings } = checkTrace(trace.records());
    result.traced = { messages, findings };
  }
  return result;
}

/** A trace kept in memory. */
function recordedTrace() {
  const lines: string[] = [];
  return {
    recorder: new TraceRecorder((l) => void lines.push(l)),
    records(): TraceRecord[] {
      const parsed = parseTrace(lines.join(''));
      if (!parsed.ok) throw new Error(`the proxy wrote an unreadable trace: line ${parsed.line}: ${parsed.reason}`);
      return parsed.records;
    },
  };
}

/** Runs `jobs` with at most `limit` at a time. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison

const FIELDS: Field[] = ['status', 'message', 'payload', 'events', 'committed'];

function differingFields(a: Outcome, b: Outcome): Field[] {
  return FIELDS.filter((f) => J(a[f]) !== J(b[f]));
}

function listedFor(impl: Impl, mode: Mode, step: string): Difference | undefined {
  return DIFFERENCES.find((d) => d.impl === impl && d.steps.includes(step) && (d.modes ?? MODES).includes(mode));
}

const show = (o: Outcome | undefined): string => (o ? J(o, null, 2).replace(/\n/g, '\n    ') : '(no result)');

/** Every problem of one (implementation, mode) against our runtime in that mode. */
function problems(run: Run, ref: Run): string[] {
  const out: string[] = [];
  for (const s of STEPS) {
    const mine = run.outcomes.get(s.id);
    const theirs = ref.outcomes.get(s.id);
    if (!mine || !theirs) {
      out.push(`${s.id}: no result`);
      continue;
    }
    const d = listedFor(run.impl, run.mode, s.id);
    const fields = differingFields(mine, theirs);
    const both = `\n  ${run.impl}: ${show(mine)}\n  ours: ${show(theirs)}`;
    if (!d) {
      if (fields.length) out.push(`${s.id}: an unlisted difference in ${fields.join(', ')}${both}`);
    } else if (d.differs === 'unsupported') {
      if (!(mine.status === 500 && mine.message === `unsupported command: ${s.args[0]}`)) out.push(`${s.id}: listed as not supported (${d.name}), but ${run.impl} answered otherwise${both}`);
    } else if (!fields.length) {
      out.push(`${s.id}: the listed difference "${d.name}" no longer occurs: remove it from DIFFERENCES${both}`);
    } else if (J(fields) !== J(FIELDS.filter((f) => (d.differs as Field[]).includes(f)))) {
      out.push(`${s.id}: listed as differing in ${d.differs.join(', ')} ("${d.name}"), but differs in ${fields.join(', ')}${both}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// docs/interop.md

const whyText = (w: Difference['why']): string =>
  'deviation' in w
    ? `[docs/deviations.md](deviations.md) ${w.deviation}`
    : 'deviations' in w
      ? `[docs/deviations.md](deviations.md): “${w.deviations}”`
      : 'unsupported' in w
        ? `not supported by ${w.unsupported}`
        : `${FIXTURE_FILES[w.fixture]}: “${w.quote}”`;

/** A source's text with comment markers removed and white space collapsed (table cells span lines). */
const prose = (text: string): string => text.replace(/^\s*(\/\/|\*(?!\/))/gm, ' ').replace(/\s+/g, ' ');

const cellEscape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** JSON text with the invisible line separators escaped too (JSON.stringify leaves U+2028/U+2029 raw). */
const ascii = (json: string): string => json.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

function renderDoc(runs: Run[]): string {
  const byKey = new Map(runs.map((r) => [`${r.impl}/${r.mode}`, r]));
  const features = [...new Set(STEPS.map((s) => s.feature))];
  const columns = IMPLS.flatMap((impl) => MODES.map((mode) => ({ impl, mode })));
  const lines: string[] = [];
  lines.push('# Interop matrix: one scenario, every implementation, every mode');
  lines.push('');
  lines.push('<!-- generated by test/interop/matrix.test.ts (CCPROTO_WRITE_DOCS=1) — do not edit -->');
  lines.push('');
  lines.push(`The same ${STEPS.length} steps (one invocation each, the whole command vocabulary of`);
  lines.push('`test/chaincode/fixtures/allStub.ts`) run against four implementations of the chaincode side, each in');
  lines.push('three modes, every (implementation, mode) on a fresh dev peer (`Peer`, in memory, plaintext):');
  lines.push('');
  lines.push('| Implementation | Command chaincode | Version |');
  lines.push('|---|---|---|');
  lines.push('| ours | `test/chaincode/fixtures/allStub.ts` | ccproto’s runtime (`src/chaincode`) |');
  lines.push(`| fabric-shim | \`test/interop/fixtures/commandFabricShim.ts\` | fabric-shim ${FABRIC_SHIM_VERSION} (npm) |`);
  lines.push(`| go | \`test/interop/go/cmd/command\` | github.com/hyperledger/fabric-chaincode-go/v2 ${GO_SHIM_VERSION} (test/interop/go/go.mod) |`);
  lines.push(`| java | \`test/interop/java\` (CommandChaincode) | org.hyperledger.fabric-chaincode-java:fabric-chaincode-shim ${JAVA_SHIM_VERSION} (test/interop/java/pom.xml) |`);
  lines.push('');
  lines.push('Modes: **launched** — the peer starts the process (`{ kind: \'process\', command }`); **user-run** — dev');
  lines.push('mode, the test starts it with `CORE_CHAINCODE_ID_NAME` and `--peer.address`; **ccaas** — chaincode-as-a-service,');
  lines.push('the chaincode’s own server, dialled by the peer (`{ kind: \'ccaas\', address }`). The user-run sessions go');
  lines.push('through the recording proxy ([conformance.md](conformance.md)), and `ccproto check` must find no violation in');
  lines.push('any of them: every message of all four implementations fits both charts.');
  lines.push('');
  lines.push('Every step’s result (status, message, payload, events, committed) is compared with our runtime’s in');
  lines.push('the same mode. Normalised first, because they differ on every run: transaction ids (`<txid:STEP>`), the');
  lines.push('creator’s certificate (a fresh dev CA per peer), the binding (random nonce), and the answer to a missing');
  lines.push('command (`unsupported command: NAME`); JSON payloads are compared with sorted keys. The proposals’ clock');
  lines.push('is fixed per step, so timestamps are compared exactly. **A difference is allowed only when it is listed**');
  lines.push('(the table `DIFFERENCES` in test/interop/matrix.test.ts, reproduced below, with its reason: a');
  lines.push('[docs/deviations.md](deviations.md) id or sentence, “not supported by <shim> <version>”, or a shim');
  lines.push('behaviour named in the fixtures’ header tables — for the Java shim also in the list of named differences');
  lines.push('of test/interop/java/parity.test.ts); an unlisted difference fails the test, and so does a listed one that');
  lines.push('no longer occurs.');
  lines.push('');
  lines.push('Regenerate: `CCPROTO_WRITE_DOCS=1 npx vitest run test/interop/matrix.test.ts` (needs Go and Java: the');
  lines.push('test refuses to write a matrix with a column missing). Without the variable the test checks that this');
  lines.push('file is up to date.');
  lines.push('');
  lines.push('## Matrix');
  lines.push('');
  lines.push('Cells: `same` (every step of the row gives our runtime’s result), `not supported` (the shim has no such');
  lines.push('method), or the named differences (Dn, with the reason in the table below). The ours columns are the reference.');
  lines.push('');
  lines.push(`| Feature | ${columns.map((c) => `${c.impl}<br>${c.mode}`).join(' | ')} |`);
  lines.push(`|---|${columns.map(() => '---').join('|')}|`);
  const ids = new Map(DIFFERENCES.map((d, i) => [d, `D${i + 1}`]));
  for (const feature of features) {
    const steps = STEPS.filter((s) => s.feature === feature);
    const cells = columns.map(({ impl, mode }) => {
      if (impl === 'ours') return 'reference';
      const run = byKey.get(`${impl}/${mode}`);
      if (!run) return 'not run';
      const missing: string[] = [];
      const found: string[] = [];
      for (const s of steps) {
        const d = listedFor(impl, mode, s.id);
        if (!d) continue;
        const list = d.differs === 'unsupported' ? missing : found;
        const text = d.differs === 'unsupported' ? s.args[0]! : `${ids.get(d)}: ${d.name}`;
        if (!list.includes(text)) list.push(text);
      }
      const all = [...(missing.length ? [`not supported: ${missing.join(', ')}`] : []), ...found];
      return all.length ? cellEscape(all.join('; ')) : 'same';
    });
    lines.push(`| ${cellEscape(feature)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push('## Allowed differences');
  lines.push('');
  lines.push('| # | Implementation | Modes | Steps | What differs | Why |');
  lines.push('|---|---|---|---|---|---|');
  for (const d of DIFFERENCES) {
    lines.push(
      `| ${ids.get(d)} | ${d.impl} | ${(d.modes ?? MODES).join(', ')} | ${d.steps.map((s) => `\`${s}\``).join(', ')} | ${cellEscape(d.differs === 'unsupported' ? `not supported: ${d.what}` : `${d.name}: ${d.what} (${d.differs.join(', ')})`)} | ${cellEscape(whyText(d.why))} |`,
    );
  }
  lines.push('');
  lines.push('## Steps');
  lines.push('');
  lines.push('In this order, on one peer per (implementation, mode). `submit` commits on success, the others are');
  lines.push(`evaluated; \`${CALLEE}\` (the callee of the chaincode-to-chaincode steps) is always our runtime.`);
  lines.push('');
  lines.push('| Step | Invocation |');
  lines.push('|---|---|');
  for (const s of STEPS) {
    const how = [s.init ? 'init' : '', s.submit ? 'submit' : '', s.o?.channel ? `channel ${s.o.channel}` : '', s.o?.mspId ? `as ${s.o.user ?? 'user1'}@${s.o.mspId}` : '', s.o?.transient ? `transient ${Object.keys(s.o.transient).join(', ')}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`| \`${s.id}\` | \`${cellEscape(ascii(J(s.args)))}\`${how ? ` (${how})` : ''} |`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The tests

const COMBOS = MODES.flatMap((mode) => IMPLS.map((impl) => ({ impl, mode }))).filter(({ impl }) => !SKIP[impl]);
const runs = new Map<string, Run>();
function run(impl: Impl, mode: Mode): Run {
  const r = runs.get(`${impl}/${mode}`);
  if (!r) throw new Error(`${impl}, ${mode} did not run`);
  return r;
}

for (const impl of IMPLS) if (SKIP[impl]) console.warn(`interop matrix: the ${impl} columns are skipped: ${SKIP[impl]}`);

afterAll(async () => {
  await killChildren();
  await killGoChildren();
  await killJava();
  await cleanup();
}, 60_000);

describe('interop matrix: one scenario on our runtime, fabric-shim, the Go shim and the Java shim, in every mode', () => {
  beforeAll(async () => {
    const done = await pool(
      COMBOS.map(({ impl, mode }) => () => runOne(impl, mode)),
      2,
    );
    for (const r of done) runs.set(`${r.impl}/${r.mode}`, r);
    if (process.env.CCPROTO_MATRIX_DUMP) writeFileSync(process.env.CCPROTO_MATRIX_DUMP, J(done.map((r) => ({ ...r, outcomes: Object.fromEntries(r.outcomes) })), null, 2));
  }, 600_000);

  it('the steps drive every command of the vocabulary', () => {
    const driven = new Set(STEPS.map((s) => s.args[0]));
    expect(allStubCommands().filter((c) => !driven.has(c))).toEqual([]);
  });

  it('every allowed difference names existing steps and a reason that exists', () => {
    const deviations = readFileSync(join(REPO, 'docs/deviations.md'), 'utf8');
    const stepIds = new Set(STEPS.map((s) => s.id));
    for (const d of DIFFERENCES) {
      for (const s of d.steps) expect(stepIds.has(s), `${d.name}: no step ${s}`).toBe(true);
      const w = d.why;
      if ('deviation' in w) expect(deviations, `${d.name}: docs/deviations.md has no ${w.deviation}`).toContain(`| ${w.deviation} |`);
      else if ('deviations' in w) expect(prose(deviations), `${d.name}: not in docs/deviations.md`).toContain(w.deviations);
      else if ('unsupported' in w) expect(w.unsupported, d.name).toMatch(/^\S.* \d+\.\d+\.\d+$/);
      else expect(prose(readFileSync(join(REPO, FIXTURE_FILES[w.fixture]), 'utf8')), `${d.name}: not in ${FIXTURE_FILES[w.fixture]}`).toContain(w.quote);
    }
  });

  for (const mode of MODES) {
    it(`ours, ${mode}: every step ran`, () => {
      const r = run('ours', mode);
      expect(r.error ?? '').toBe('');
      expect(r.outcomes.size).toBe(STEPS.length);
    });
  }

  it('ours gives the same results in every mode', () => {
    const diffs: string[] = [];
    for (const mode of MODES.slice(1)) {
      for (const s of STEPS) {
        const [a, b] = [run('ours', mode).outcomes.get(s.id), run('ours', 'launched').outcomes.get(s.id)];
        if (a && b && differingFields(a, b).length) diffs.push(`${s.id} (${mode} vs launched)\n  ${show(a)}\n  ${show(b)}`);
      }
    }
    expect(diffs.join('\n')).toBe('');
  });

  for (const mode of MODES) {
    for (const impl of IMPLS.filter((i) => i !== 'ours')) {
      it.skipIf(Boolean(SKIP[impl]))(`${impl}, ${mode}: the same results as our runtime, or a listed difference`, () => {
        const r = run(impl, mode);
        expect(r.error ?? '', `${impl} ${mode} did not complete`).toBe('');
        expect(problems(r, run('ours', mode)).join('\n\n')).toBe('');
      });
    }
  }

  for (const impl of IMPLS) {
    it.skipIf(Boolean(SKIP[impl]))(`${impl}, user-run through the recording proxy: ccproto check finds no violation in the whole session`, () => {
      const r = run(impl, 'user-run');
      // Every step is at least an invocation and its final reply.
      expect(r.traced?.messages ?? 0, 'the session was traced').toBeGreaterThan(2 * STEPS.length);
      const text = (r.traced?.findings ?? []).map((f) => `stream ${f.stream} message ${f.index} (${f.at}) tx ${f.txid}: ${f.code}, ${f.blame} to blame, in ${f.chart}: got ${f.got}, expected ${f.expected}`);
      expect(text.join('\n')).toBe('');
    });
  }

  it('docs/interop.md is up to date', () => {
    const missing = IMPLS.filter((i) => SKIP[i]);
    if (process.env.CCPROTO_WRITE_DOCS === '1') {
      expect(missing, 'docs/interop.md needs every column: install the missing toolchains').toEqual([]);
      writeFileSync(DOC, renderDoc([...runs.values()]));
      return;
    }
    if (missing.length) {
      console.warn(`docs/interop.md not checked: the ${missing.join(', ')} columns did not run (${missing.map((i) => SKIP[i]).join('; ')})`);
      return;
    }
    const committed = existsSync(DOC) ? readFileSync(DOC, 'utf8') : undefined;
    expect(committed, 'docs/interop.md is stale: CCPROTO_WRITE_DOCS=1 npx vitest run test/interop/matrix.test.ts').toBe(renderDoc([...runs.values()]));
  });
});
