/**
 * The scenarios `ccproto conform chaincode` plays against a command chaincode (docs/conformance.md,
 * "The command chaincode convention"). Each starts a fresh process, plays the peer frame by frame,
 * and passes when the chaincode answers as Fabric's reference shim does *and* both charts find no
 * violation by the chaincode in the whole session. A behaviour that differs from the reference in
 * a way known and documented for a shim is reported as a known deviation, not a failure.
 */
import { EMPTY_BYTES, errorText, utf8Bytes, type ChaincodeAdditionalParams, type Message } from '../protocol/messages.js';
import { MessageType } from '../protocol/messageType.js';
import { encodeGetStateMultipleResult, encodeKeyModification, encodeKV, encodeMessage, encodeQueryResponse, encodeQueryResponseMetadata, encodeStateMetadataResult } from '../wire/index.js';
import type { ChaincodeUnderTest, Next } from './chaincodeUnderTest.js';
import { Failed } from './report.js';

export interface ChaincodeScenario {
  id: string;
  title: string;
  /** The Fabric source of the rule it checks. */
  rule: string;
  /** Plays the scenario; returns a known deviation's text, or nothing when it passed; throws Failed. */
  play(cut: ChaincodeUnderTest, t: Timeouts): Promise<string | void>;
}

export interface Timeouts {
  /** For each answer the chaincode owes. */
  replyMs: number;
}

const CH = 'conformch';
const GO_SHIM = 'fabric-chaincode-go shim/handler.go';
const PEER = 'fabric core/chaincode/handler.go';
const NO_PARAMS: ChaincodeAdditionalParams = { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 };

const show = (n: Next): string =>
  'closed' in n ? `the stream ended (${n.closed})` : 'timeout' in n ? `nothing within ${n.timeout} ms` : `${n.type} for ${JSON.stringify(n.txid)}${n.type === 'ERROR' ? ` (${errorText(n.payload)})` : ''}`;

async function expectMessage<T extends Message['type']>(cut: ChaincodeUnderTest, t: Timeouts, type: T, txid: string, why: string): Promise<Extract<Message, { type: T }>> {
  const n = await cut.next(t.replyMs);
  if ('type' in n && n.type === type && n.txid === txid) return n as Extract<Message, { type: T }>;
  throw new Failed(`${why}: expected ${type} for ${JSON.stringify(txid)}, got ${show(n)}`);
}

async function handshake(cut: ChaincodeUnderTest, t: Timeouts, params: ChaincodeAdditionalParams = NO_PARAMS): Promise<void> {
  const reg = await expectMessage(cut, t, 'REGISTER', '', 'the chaincode speaks first');
  if (!reg.payload.name) throw new Failed('REGISTER without a chaincode name');
  cut.send({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
  cut.send({ type: 'READY', txid: '', channelId: '', payload: params });
}

function invocation(txid: string, args: string[], o: { type?: 'INIT' | 'TRANSACTION'; channel?: string } = {}): Message {
  return { type: o.type ?? 'TRANSACTION', txid, channelId: o.channel ?? CH, payload: { args: args.map(utf8Bytes), decorations: {}, isInit: o.type === 'INIT' }, proposal: undefined };
}

/** The final reply of `txid`: COMPLETED with its response, or ERROR. */
async function finalReply(cut: ChaincodeUnderTest, t: Timeouts, txid: string): Promise<{ status: number; payload: string } | { error: string }> {
  const n = await cut.next(t.replyMs);
  if ('type' in n && n.txid === txid && n.type === 'COMPLETED') return { status: n.payload.status, payload: Buffer.from(n.payload.payload).toString('utf8') };
  if ('type' in n && n.txid === txid && n.type === 'ERROR') return { error: errorText(n.payload) };
  throw new Failed(`expected COMPLETED or ERROR for ${JSON.stringify(txid)}, got ${show(n)}`);
}

async function completed(cut: ChaincodeUnderTest, t: Timeouts, txid: string, status = 200): Promise<string> {
  const r = await finalReply(cut, t, txid);
  if ('error' in r) throw new Failed(`${txid}: ERROR ${JSON.stringify(r.error)} instead of COMPLETED`);
  if (r.status !== status) throw new Failed(`${txid}: status ${r.status} (expected ${status}), payload ${JSON.stringify(r.payload)}`);
  return r.payload;
}

/** A transaction that reads nothing: proves the chaincode still serves after what came before. */
async function stillServes(cut: ChaincodeUnderTest, t: Timeouts, txid: string): Promise<void> {
  cut.send(invocation(txid, ['getTxID']));
  const payload = await completed(cut, t, txid);
  if (payload !== JSON.stringify(txid)) throw new Failed(`getTxID answered ${payload}`);
}

const range = (results: Array<[string, string]>, hasMore: boolean, id: string): Uint8Array =>
  encodeQueryResponse({
    results: results.map(([key, value]) => encodeKV({ namespace: 'conform', key, value: utf8Bytes(value) })),
    hasMore,
    id,
    metadata: EMPTY_BYTES,
  });

/**
 * One stub call end to end: the invocation `args` must send a request of type `expect`, which is
 * answered with `answer`; the chaincode's follow-ups of an iterator (QUERY_STATE_NEXT / CLOSE) get
 * an empty last page; then COMPLETED 200. A chaincode without the command (its answer says
 * `unsupported command`) is reported as such, a known deviation of that chaincode.
 */
function requestScenario(id: string, title: string, rule: string, args: string[], expect: Message['type'], answer: Uint8Array): ChaincodeScenario {
  return {
    id,
    title,
    rule,
    async play(cut, t) {
      await handshake(cut, t);
      const txid = `tx-${id}`;
      cut.send(invocation(txid, args));
      let asked = false;
      for (let i = 0; i < 6; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n) || n.txid !== txid) throw new Failed(`expected ${asked ? 'COMPLETED' : expect}, got ${show(n)}`);
        if (n.type === 'COMPLETED') {
          const text = Buffer.from(n.payload.payload).toString('utf8') || n.payload.message;
          if (!asked && /unsupported command|not supported/.test(text)) return `not supported by this chaincode (${text})`;
          if (!asked) throw new Failed(`COMPLETED before any ${expect}: ${n.payload.status} ${text}`);
          if (n.payload.status !== 200) throw new Failed(`status ${n.payload.status}: ${n.payload.message || text}`);
          return;
        }
        if (n.type === 'ERROR') throw new Failed(`ERROR ${JSON.stringify(errorText(n.payload))}`);
        if (n.type === expect && !asked) {
          asked = true;
          cut.send({ type: 'RESPONSE', txid, channelId: CH, payload: answer });
        } else if (n.type === 'QUERY_STATE_NEXT' || n.type === 'QUERY_STATE_CLOSE') {
          cut.send({ type: 'RESPONSE', txid, channelId: CH, payload: range([], false, 'it-1') });
        } else throw new Failed(`expected ${asked ? 'COMPLETED' : expect}, got ${show(n)}`);
      }
      throw new Failed('no COMPLETED after six messages');
    },
  };
}

const history = encodeQueryResponse({
  results: [encodeKeyModification({ txId: 'tx-0', value: utf8Bytes('v'), timestamp: { seconds: 1_767_225_600, nanos: 0 }, isDelete: false })],
  hasMore: false,
  id: 'it-1',
  metadata: EMPTY_BYTES,
});
const completedInvoke = encodeMessage({ type: 'COMPLETED', txid: 'tx-invoke-chaincode', channelId: CH, payload: { status: 200, message: '', payload: utf8Bytes('called') } });

export const CHAINCODE_SCENARIOS: ChaincodeScenario[] = [
  {
    id: 'handshake',
    title: 'REGISTER first, then a transaction once REGISTERED and READY arrived',
    rule: `${PEER} HandleRegister; ${GO_SHIM} handleCreated / handleEstablished`,
    async play(cut, t) {
      await handshake(cut, t);
      await stillServes(cut, t, 'tx-handshake');
    },
  },
  {
    id: 'ready-parameters',
    title: 'READY advertising write batches and multi-key reads (Fabric 3.1): a write is still sent and answered',
    rule: `${PEER} HandleRegister (ChaincodeAdditionalParams); ${GO_SHIM} handleEstablished`,
    async play(cut, t) {
      await handshake(cut, t, { useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });
      cut.send(invocation('tx-params', ['putState', 'k', 'v']));
      const write = await cut.next(t.replyMs);
      if (!('type' in write) || write.txid !== 'tx-params' || (write.type !== 'PUT_STATE' && write.type !== 'WRITE_BATCH_STATE')) {
        throw new Failed(`expected PUT_STATE or WRITE_BATCH_STATE, got ${show(write)}`);
      }
      cut.send({ type: 'RESPONSE', txid: 'tx-params', channelId: CH, payload: EMPTY_BYTES });
      await completed(cut, t, 'tx-params');
    },
  },
  {
    id: 'register-refused',
    title: 'a refused REGISTER (ERROR) is not a registration: the chaincode ends its stream or waits, and sends nothing as if registered',
    rule: `${GO_SHIM} handleCreated (anything but REGISTERED is an error: the stream ends); the ERROR is what ccproto's peer sends on a refusal (docs/deviations.md P2; ${PEER} HandleRegister sends nothing)`,
    async play(cut, t) {
      await expectMessage(cut, t, 'REGISTER', '', 'the chaincode speaks first');
      cut.send({ type: 'ERROR', txid: '', channelId: '', payload: utf8Bytes(`duplicate chaincodeID: conform:1.0`) });
      const n = await cut.next(t.replyMs);
      if ('closed' in n) return;
      if ('timeout' in n) return 'the chaincode kept its stream open after the refusal (the Go shim ends it; the peer ends it anyway)';
      if (n.type === 'ERROR') return;
      throw new Failed(`after the refusal: ${show(n)}`);
    },
  },
  {
    id: 'init',
    title: 'INIT runs the chaincode and ends with COMPLETED',
    rule: `${PEER} Execute (INIT); ${GO_SHIM} handleInit`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-init', ['getTxID'], { type: 'INIT' }));
      await completed(cut, t, 'tx-init');
    },
  },
  {
    id: 'get-state',
    title: 'GET_STATE answered with RESPONSE: the value reaches the chaincode',
    rule: `${PEER} HandleGetState; ${GO_SHIM} handleGetState / callPeerWithChaincodeMsg`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-get', ['getState', 'k']));
      const get = await expectMessage(cut, t, 'GET_STATE', 'tx-get', 'getState asks the peer');
      if (get.payload.key !== 'k') throw new Failed(`GET_STATE for key ${JSON.stringify(get.payload.key)}`);
      cut.send({ type: 'RESPONSE', txid: 'tx-get', channelId: CH, payload: utf8Bytes('value-1') });
      const payload = await completed(cut, t, 'tx-get');
      if (payload !== JSON.stringify('value-1')) throw new Failed(`getState returned ${payload}`);
    },
  },
  {
    id: 'request-error',
    title: 'an ERROR answer to a request fails the stub call; the transaction still ends with one final reply',
    rule: `${PEER} HandleTransaction (ERROR on failure); ${GO_SHIM} handleGetState (ERROR → error)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-err', ['getState', 'k']));
      await expectMessage(cut, t, 'GET_STATE', 'tx-err', 'getState asks the peer');
      cut.send({ type: 'ERROR', txid: 'tx-err', channelId: CH, payload: utf8Bytes('GET_STATE failed: transaction ID: tx-err: ledger unavailable') });
      const r = await finalReply(cut, t, 'tx-err');
      if (!('error' in r) && r.status < 400) throw new Failed(`the failed stub call ended the transaction with status ${r.status}`);
      await stillServes(cut, t, 'tx-after-err');
    },
  },
  {
    id: 'range-iterator',
    title: 'an iterator over two pages: GET_STATE_BY_RANGE, QUERY_STATE_NEXT with the iterator id',
    rule: `${PEER} HandleGetStateByRange / HandleQueryStateNext; ${GO_SHIM} handleGetStateByRange / handleQueryStateNext`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-range', ['getStateByRange', 'a', 'z']));
      await expectMessage(cut, t, 'GET_STATE_BY_RANGE', 'tx-range', 'getStateByRange asks the peer');
      cut.send({ type: 'RESPONSE', txid: 'tx-range', channelId: CH, payload: range([['a1', 'x']], true, 'it-1') });
      const next = await expectMessage(cut, t, 'QUERY_STATE_NEXT', 'tx-range', 'the iterator asks for its next page');
      if (next.payload.id !== 'it-1') throw new Failed(`QUERY_STATE_NEXT for iterator ${JSON.stringify(next.payload.id)}, not it-1`);
      cut.send({ type: 'RESPONSE', txid: 'tx-range', channelId: CH, payload: range([['b2', 'y']], false, 'it-1') });
      // A shim may close the exhausted iterator (QUERY_STATE_CLOSE) before it returns.
      let n = await cut.next(t.replyMs);
      if ('type' in n && n.type === 'QUERY_STATE_CLOSE' && n.txid === 'tx-range') {
        cut.send({ type: 'RESPONSE', txid: 'tx-range', channelId: CH, payload: range([], false, 'it-1') });
        n = await cut.next(t.replyMs);
      }
      if (!('type' in n) || n.type !== 'COMPLETED' || n.txid !== 'tx-range') throw new Failed(`expected COMPLETED, got ${show(n)}`);
      const payload = Buffer.from(n.payload.payload).toString('utf8');
      if (n.payload.status !== 200 || !payload.includes('a1') || !payload.includes('b2')) throw new Failed(`range returned ${n.payload.status} ${payload}`);
    },
  },
  {
    id: 'malformed-response',
    title: 'a RESPONSE whose payload does not parse fails the stub call, not the chaincode',
    rule: `${GO_SHIM} handleGetStateByRange (proto.Unmarshal error)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-bad', ['getStateByRange', 'a', 'z']));
      await expectMessage(cut, t, 'GET_STATE_BY_RANGE', 'tx-bad', 'getStateByRange asks the peer');
      cut.send({ type: 'RESPONSE', txid: 'tx-bad', channelId: CH, payload: new Uint8Array([0xff, 0xff, 0xff]) });
      const r = await finalReply(cut, t, 'tx-bad');
      if (!('error' in r) && r.status < 400) throw new Failed(`a garbage QueryResponse ended the transaction with status ${r.status}`);
      await stillServes(cut, t, 'tx-after-bad');
    },
  },
  {
    id: 'concurrent-transactions',
    title: 'two transactions on one stream, answered in the reverse order',
    rule: `${PEER} handleMessage (each request in its own goroutine); ${GO_SHIM} responseChannels per transaction`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-a', ['getState', 'ka']));
      cut.send(invocation('tx-b', ['getState', 'kb']));
      const asked = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n) || n.type !== 'GET_STATE') throw new Failed(`expected two GET_STATE, got ${show(n)}`);
        asked.add(n.txid);
      }
      if (!asked.has('tx-a') || !asked.has('tx-b')) throw new Failed(`GET_STATE for ${[...asked].join(', ')}`);
      cut.send({ type: 'RESPONSE', txid: 'tx-b', channelId: CH, payload: utf8Bytes('vb') });
      cut.send({ type: 'RESPONSE', txid: 'tx-a', channelId: CH, payload: utf8Bytes('va') });
      const got = new Map<string, string>();
      for (let i = 0; i < 2; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n) || n.type !== 'COMPLETED') throw new Failed(`expected two COMPLETED, got ${show(n)}`);
        got.set(n.txid, Buffer.from(n.payload.payload).toString('utf8'));
      }
      if (got.get('tx-a') !== '"va"' || got.get('tx-b') !== '"vb"') throw new Failed(`results crossed: ${JSON.stringify([...got])}`);
    },
  },
  {
    id: 'same-txid-two-channels',
    title: 'the same txid on two channels is two transactions',
    rule: `${PEER} TransactionContexts (keyed by channel and txid); ${GO_SHIM} shorttxid(channel, txid)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-same', ['getChannelID'], { channel: 'ch-one' }));
      cut.send(invocation('tx-same', ['getChannelID'], { channel: 'ch-two' }));
      const got = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n) || n.type !== 'COMPLETED' || n.txid !== 'tx-same') throw new Failed(`expected COMPLETED twice, got ${show(n)}`);
        if (Buffer.from(n.payload.payload).toString('utf8') !== JSON.stringify(n.channelId)) throw new Failed(`channel ${n.channelId} answered ${Buffer.from(n.payload.payload).toString('utf8')}`);
        got.add(n.channelId);
      }
      if (got.size !== 2) throw new Failed(`both COMPLETED came on ${[...got].join(', ')}`);
    },
  },
  {
    id: 'keepalive',
    title: 'KEEPALIVE in ready and while a transaction waits for a reply changes nothing',
    rule: `${PEER} (chaincode.keepalive); ${GO_SHIM} handleMessage (KEEPALIVE is echoed in every state)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send({ type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES });
      cut.send(invocation('tx-ka', ['getState', 'k']));
      const first = await cut.next(t.replyMs);
      if (!('type' in first)) {
        if (cut.processExited || cut.streamClosed) return 'the chaincode ended on KEEPALIVE (fabric-shim ≤ 2.5.8 exits the process: docs/deviations.md S4)';
        throw new Failed(`after KEEPALIVE: ${show(first)}`);
      }
      if (first.type !== 'GET_STATE' || first.txid !== 'tx-ka') throw new Failed(`expected GET_STATE, got ${show(first)}`);
      cut.send({ type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES });
      cut.send({ type: 'RESPONSE', txid: 'tx-ka', channelId: CH, payload: utf8Bytes('v') });
      await completed(cut, t, 'tx-ka');
    },
  },
  {
    id: 'reply-for-unknown-transaction',
    title: 'a RESPONSE for a transaction the chaincode does not run is not taken for another one',
    rule: `${GO_SHIM} handleResponse ("responseChannel does not exist": the stream ends); fabric-shim ignores it (docs/deviations.md C1)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send({ type: 'RESPONSE', txid: 'tx-nobody', channelId: CH, payload: utf8Bytes('stray') });
      // Either is right: end the stream (the Go shim) or drop the reply (or answer it with an
      // ERROR, as the Java shim does) and go on serving.
      cut.send(invocation('tx-after-stray', ['getTxID']));
      let n = await cut.next(t.replyMs);
      if ('type' in n && n.type === 'ERROR' && n.txid === 'tx-nobody') n = await cut.next(t.replyMs);
      if ('closed' in n) return;
      if ('type' in n && n.type === 'COMPLETED' && n.txid === 'tx-after-stray' && Buffer.from(n.payload.payload).toString('utf8') === '"tx-after-stray"') return;
      throw new Failed(`expected the next transaction's COMPLETED or the end of the stream, got ${show(n)}`);
    },
  },
  {
    id: 'duplicate-transaction',
    title: 'a second TRANSACTION with a running txid does not disturb the first',
    rule: `${PEER} Execute ("txid exists" is refused before it is sent); ${GO_SHIM} createResponseChannel ("channel exists")`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-dup', ['getState', 'k']));
      await expectMessage(cut, t, 'GET_STATE', 'tx-dup', 'getState asks the peer');
      cut.send(invocation('tx-dup', ['getState', 'k']));
      cut.send({ type: 'RESPONSE', txid: 'tx-dup', channelId: CH, payload: utf8Bytes('v') });
      // What may come now: the first transaction's COMPLETED, and an ERROR refusing the duplicate
      // or the duplicate's own GET_STATE (a shim that runs it once the first is done).
      let done = false;
      for (let i = 0; i < 3 && !done; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n)) throw new Failed(`the first transaction did not end: ${show(n)}`);
        if (n.type === 'COMPLETED' && n.txid === 'tx-dup') done = true;
        else if (n.type === 'GET_STATE' && n.txid === 'tx-dup') cut.send({ type: 'RESPONSE', txid: 'tx-dup', channelId: CH, payload: utf8Bytes('v') });
        else if (!(n.type === 'ERROR' && n.txid === 'tx-dup')) throw new Failed(`unexpected ${show(n)}`);
      }
      if (!done) throw new Failed('no COMPLETED for the first transaction');
    },
  },
  {
    id: 'unexpected-message',
    title: 'a message no peer sends (GET_STATE to the chaincode) is refused, not executed',
    rule: `${GO_SHIM} handleReady (default: "cannot handle message"); ${PEER} handleMessage`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send({ type: 'GET_STATE', txid: 'tx-odd', channelId: CH, payload: { key: 'k', collection: '' } });
      const n = await cut.next(t.replyMs);
      if ('closed' in n) return;
      if ('timeout' in n) return; // ignored: nothing executed, nothing answered
      if (n.type === 'ERROR' && n.txid === 'tx-odd') return;
      throw new Failed(`expected an ERROR, the end of the stream or silence, got ${show(n)}`);
    },
  },
  {
    id: 'malformed-transaction',
    title: 'a TRANSACTION whose input does not parse gets an ERROR; the stream goes on',
    rule: `${GO_SHIM} handleTransaction ("failed to unmarshal input")`,
    async play(cut, t) {
      await handshake(cut, t);
      // Field 3 (payload) of the ChaincodeMessage holds bytes that are not a ChaincodeInput.
      cut.sendFrame(invocationFrame('tx-garbage', new Uint8Array([0x0a, 0xff])));
      const r = await finalReply(cut, t, 'tx-garbage');
      if (!('error' in r) && r.status < 400) throw new Failed(`a garbage input ran with status ${r.status}`);
      await stillServes(cut, t, 'tx-after-garbage');
    },
  },
  requestScenario('delete-state', 'DEL_STATE answered with an empty RESPONSE', `${PEER} HandleDelState; ${GO_SHIM} handleDelState`, ['deleteState', 'k'], 'DEL_STATE', EMPTY_BYTES),
  requestScenario('query-result', 'GET_QUERY_RESULT: a rich query page of KVs', `${PEER} HandleGetQueryResult; ${GO_SHIM} handleGetQueryResult`, ['getQueryResult', '{"selector":{}}'], 'GET_QUERY_RESULT', range([['k1', 'v']], false, 'it-1')),
  requestScenario('history', 'GET_HISTORY_FOR_KEY: a page of KeyModifications', `${PEER} HandleGetHistoryForKey; ${GO_SHIM} handleGetHistoryForKey`, ['getHistoryForKey', 'k'], 'GET_HISTORY_FOR_KEY', history),
  requestScenario('state-metadata', 'GET_STATE_METADATA: a StateMetadataResult', `${PEER} HandleGetStateMetadata; ${GO_SHIM} handleGetStateMetadata`, ['getStateValidationParameter', 'k'], 'GET_STATE_METADATA', encodeStateMetadataResult({ entries: [] })),
  requestScenario('private-data-hash', 'GET_PRIVATE_DATA_HASH: the hash bytes', `${PEER} HandleGetPrivateDataHash; ${GO_SHIM} handleGetPrivateDataHash`, ['getPrivateDataHash', 'collection1', 'k'], 'GET_PRIVATE_DATA_HASH', new Uint8Array(32).fill(7)),
  requestScenario('purge-private-data', 'PURGE_PRIVATE_DATA answered with an empty RESPONSE', `${PEER} HandlePurgePrivateData; ${GO_SHIM} handlePurgePrivateData`, ['purgePrivateData', 'collection1', 'k'], 'PURGE_PRIVATE_DATA', EMPTY_BYTES),
  requestScenario('invoke-chaincode', 'INVOKE_CHAINCODE: the callee\'s COMPLETED comes back nested in the RESPONSE', `${PEER} HandleInvokeChaincode; ${GO_SHIM} handleInvokeChaincode`, ['invokeChaincode', 'callee', '["f"]', ''], 'INVOKE_CHAINCODE', completedInvoke),
  {
    id: 'keepalive-in-handshake',
    title: 'KEEPALIVE after REGISTER and between REGISTERED and READY changes nothing',
    rule: `${GO_SHIM} handleMessage (KEEPALIVE is echoed in every state, the handshake goes on)`,
    async play(cut, t) {
      await expectMessage(cut, t, 'REGISTER', '', 'the chaincode speaks first');
      const ka: Message = { type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES };
      cut.send(ka);
      cut.send({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
      cut.send(ka);
      cut.send({ type: 'READY', txid: '', channelId: '', payload: NO_PARAMS });
      cut.send(invocation('tx-ka-hs', ['getTxID']));
      const n = await cut.next(t.replyMs);
      if ('type' in n && n.type === 'COMPLETED' && n.txid === 'tx-ka-hs') return;
      if (!('type' in n) && (cut.processExited || cut.streamClosed)) return 'the chaincode ended on a KEEPALIVE in the handshake (fabric-shim ≤ 2.5.8: docs/deviations.md S4)';
      if ('type' in n && n.type === 'ERROR' && n.txid === '') return `KEEPALIVE before READY answered with ERROR ${JSON.stringify(errorText(n.payload))} (fabric-shim ≤ 2.5.8: docs/deviations.md P4)`;
      throw new Failed(`expected the transaction's COMPLETED, got ${show(n)}`);
    },
  },
  {
    id: 'multi-key-read',
    title: 'getMultipleStates with GET_STATE_MULTIPLE advertised: one GET_STATE_MULTIPLE, or one GET_STATE per key (a shim without it)',
    rule: `${PEER} HandleGetStateMultiple (Fabric 3.1); ${GO_SHIM} GetMultipleStates (falls back to GET_STATE when READY does not advertise it)`,
    async play(cut, t) {
      await handshake(cut, t, { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 100 });
      cut.send(invocation('tx-multi', ['getMultipleStates', '["a","b"]']));
      const values: Record<string, string> = { a: 'va', b: 'vb' };
      for (let i = 0; i < 3; i++) {
        const n = await cut.next(t.replyMs);
        if (!('type' in n) || n.txid !== 'tx-multi') throw new Failed(`expected a read, got ${show(n)}`);
        if (n.type === 'GET_STATE_MULTIPLE') {
          cut.send({ type: 'RESPONSE', txid: 'tx-multi', channelId: CH, payload: encodeGetStateMultipleResult({ values: n.payload.keys.map((k) => utf8Bytes(values[k] ?? '')) }) });
        } else if (n.type === 'GET_STATE') {
          cut.send({ type: 'RESPONSE', txid: 'tx-multi', channelId: CH, payload: utf8Bytes(values[n.payload.key] ?? '') });
        } else if (n.type === 'COMPLETED') {
          const text = Buffer.from(n.payload.payload).toString('utf8') || n.payload.message;
          if (/unsupported command|not supported/.test(text)) return `not supported by this chaincode (${text})`;
          if (n.payload.status !== 200 || text !== '["va","vb"]') throw new Failed(`getMultipleStates returned ${n.payload.status} ${text}`);
          return;
        } else throw new Failed(`expected a read, got ${show(n)}`);
      }
      throw new Failed('no COMPLETED after the reads');
    },
  },
  {
    id: 'stream-ends-mid-transaction',
    title: 'the stream ends while a stub call waits: the chaincode process ends (it has no peer left)',
    rule: `${GO_SHIM} chatWithPeer (a receive error ends Start, and the process)`,
    async play(cut, t) {
      await handshake(cut, t);
      cut.send(invocation('tx-cut', ['getState', 'k']));
      await expectMessage(cut, t, 'GET_STATE', 'tx-cut', 'getState asks the peer');
      cut.closeStream();
      if (!(await cut.ended(t.replyMs))) throw new Failed('the stream is gone, yet the process did not end');
      if (!cut.processExited) {
        const deadline = Date.now() + t.replyMs;
        while (!cut.processExited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (!cut.processExited) return `the process keeps running without a peer for ${t.replyMs} ms`;
      }
    },
  },
  requestScenario('put-state-metadata', 'PUT_STATE_METADATA (a key-level endorsement policy) answered with an empty RESPONSE', `${PEER} HandlePutStateMetadata; ${GO_SHIM} handlePutStateMetadataEntry`, ['setStateValidationParameter', 'k', '["Org1MSP"]'], 'PUT_STATE_METADATA', EMPTY_BYTES),
  requestScenario('range-pagination', 'GET_STATE_BY_RANGE with a page size: one page with its QueryResponseMetadata (count, bookmark)', `${PEER} HandleGetStateByRange (metadata: page size, bookmark); ${GO_SHIM} GetStateByRangeWithPagination`, ['getStateByRangeWithPagination', 'a', 'z', '1', ''], 'GET_STATE_BY_RANGE', encodeQueryResponse({
    results: [encodeKV({ namespace: 'conform', key: 'a1', value: utf8Bytes('x') })],
    hasMore: false,
    id: 'it-1',
    metadata: encodeQueryResponseMetadata({ fetchedRecordsCount: 1, bookmark: 'a2' }),
  })),
  {
    id: 'write-batch',
    title: 'a write batch with WRITE_BATCH_STATE advertised: one WRITE_BATCH_STATE with every write',
    rule: `${PEER} HandleWriteBatch (Fabric 3.1); ${GO_SHIM} FinishWriteBatch (WRITE_BATCH_STATE when READY advertises it)`,
    async play(cut, t) {
      await handshake(cut, t, { useWriteBatch: true, maxSizeWriteBatch: 100, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 });
      cut.send(invocation('tx-batch', ['batchPut', '[["a","1"],["b","2"]]', 'finish']));
      const n = await cut.next(t.replyMs);
      if ('type' in n && n.type === 'COMPLETED' && n.txid === 'tx-batch') {
        const text = Buffer.from(n.payload.payload).toString('utf8') || n.payload.message;
        if (/unsupported command|not supported/.test(text)) return `not supported by this chaincode (${text})`;
        throw new Failed(`COMPLETED without a write: ${n.payload.status} ${text}`);
      }
      if (!('type' in n) || n.type !== 'WRITE_BATCH_STATE' || n.txid !== 'tx-batch') throw new Failed(`expected WRITE_BATCH_STATE, got ${show(n)}`);
      const keys = n.payload.records.map((r) => r.key).sort();
      if (keys.join(',') !== 'a,b') throw new Failed(`the batch holds ${JSON.stringify(keys)}, not a and b`);
      cut.send({ type: 'RESPONSE', txid: 'tx-batch', channelId: CH, payload: EMPTY_BYTES });
      await completed(cut, t, 'tx-batch');
    },
  },
];

/** A TRANSACTION ChaincodeMessage written by hand (type 1, payload 3, txid 4, channel_id 7), so
 *  that its payload can be bytes no codec would write. */
function invocationFrame(txid: string, payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  const varint = (n: number) => {
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
  };
  const bytesField = (field: number, b: Uint8Array) => {
    varint((field << 3) | 2);
    varint(b.length);
    out.push(...b);
  };
  varint(1 << 3);
  varint(MessageType.TRANSACTION);
  bytesField(3, payload);
  bytesField(4, utf8Bytes(txid));
  bytesField(7, utf8Bytes(CH));
  return Uint8Array.from(out);
}
