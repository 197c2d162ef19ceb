/**
 * The scenarios `ccproto conform peer` plays against a peer (docs/conformance.md): the chaincode
 * side, frame by frame, on fresh Register streams. Most need no transaction from the peer (which a
 * chaincode cannot ask for): the handshake, KEEPALIVE, requests and replies for transactions the
 * peer does not run, messages no chaincode may send, and refused registrations. Those marked
 * `needsTrigger` make the peer start one through a `Trigger` (ccproto's HTTP API). A scenario passes
 * when the peer answers as Fabric's `core/chaincode/handler.go` does and both charts find no
 * violation by the peer; ccproto's documented deviations are known deviations.
 */
import { EMPTY_BYTES, errorText, utf8Bytes, type Message } from '../protocol/messages.js';
import { Failed } from './report.js';
import { describeNext, type Next, type ScriptedStream } from './scriptedStream.js';

/** Asks the peer to run a transaction on chaincode `name` (ccproto's HTTP API: `--api`); resolves with its outcome. */
export type Trigger = (chaincode: string) => Promise<{ status: number; message: string; payload: string }>;

export interface PeerScenario {
  id: string;
  title: string;
  rule: string;
  /** Needs a way to make the peer start a transaction (`--api`): a chaincode cannot ask for one. */
  needsTrigger?: boolean;
  /** Plays the scenario; `open(name)` dials a fresh stream. Returns a known deviation's text, or nothing. */
  play(open: () => Promise<ScriptedStream>, name: string, t: { replyMs: number }, trigger?: Trigger): Promise<string | void>;
}

const PEER = 'fabric core/chaincode/handler.go';
const CH = 'conformch';
const E = EMPTY_BYTES;

const register = (name: string): Message => ({ type: 'REGISTER', txid: '', channelId: '', payload: { name, path: '', version: '' } });
const keepalive: Message = { type: 'KEEPALIVE', txid: '', channelId: '', payload: E };

async function expectType(s: ScriptedStream, t: { replyMs: number }, type: Message['type'], why: string): Promise<Message> {
  const n = await s.next(t.replyMs);
  if ('type' in n && n.type === type) return n;
  throw new Failed(`${why}: expected ${type}, got ${describeNext(n)}`);
}

async function handshake(s: ScriptedStream, name: string, t: { replyMs: number }): Promise<void> {
  s.send(register(name));
  await expectType(s, t, 'REGISTERED', 'REGISTER is answered');
  await expectType(s, t, 'READY', 'READY follows REGISTERED at once');
}

/** A GET_STATE for a transaction nobody started gets ERROR `… no ledger context`: proves the stream is alive. */
async function answersUnknownRequest(s: ScriptedStream, t: { replyMs: number }, txid: string): Promise<void> {
  s.send({ type: 'GET_STATE', txid, channelId: CH, payload: { key: 'k', collection: '' } });
  const n = await s.next(t.replyMs);
  if (!('type' in n) || n.type !== 'ERROR' || n.txid !== txid) throw new Failed(`expected ERROR for ${txid}, got ${describeNext(n)}`);
  const text = errorText(n.payload);
  if (!text.includes('no ledger context')) throw new Failed(`ERROR text ${JSON.stringify(text)} (Fabric: "GET_STATE failed: transaction ID: ${txid}: no ledger context")`);
}

/** The peer ends the stream (Fabric: handleMessage returns an error, ProcessStream ends the call). */
async function endsStream(s: ScriptedStream, t: { replyMs: number }, why: string): Promise<void> {
  const n: Next = await s.next(t.replyMs);
  if ('closed' in n) return;
  throw new Failed(`${why}: expected the peer to end the stream, got ${describeNext(n)}`);
}

/** A refused registration: Fabric sends nothing and leaves the stream open; ccproto answers ERROR and closes (P2). */
async function refused(s: ScriptedStream, t: { replyMs: number }): Promise<string | void> {
  const n = await s.next(Math.min(t.replyMs, 3_000));
  if ('timeout' in n) return;
  if ('type' in n && n.type === 'ERROR') return `the refusal is answered with ERROR ${JSON.stringify(errorText(n.payload))} and the stream ends (ccproto, docs/deviations.md P2; Fabric sends nothing)`;
  if ('closed' in n) return `the stream ends without a word (${n.closed})`;
  throw new Failed(`a refused REGISTER was answered with ${describeNext(n)}`);
}

export const PEER_SCENARIOS: PeerScenario[] = [
  {
    id: 'handshake',
    title: 'REGISTER is answered with REGISTERED and READY, nothing between',
    rule: `${PEER} HandleRegister / sendReady`,
    async play(open, name, t) {
      await handshake(await open(), name, t);
    },
  },
  {
    id: 'keepalive-before-register',
    title: 'KEEPALIVE before REGISTER is ignored; the handshake goes on',
    rule: `${PEER} handleMessage (KEEPALIVE is ignored in every state)`,
    async play(open, name, t) {
      const s = await open();
      s.send(keepalive);
      await handshake(s, name, t);
    },
  },
  {
    id: 'keepalive-in-ready',
    title: 'KEEPALIVE in ready changes nothing',
    rule: `${PEER} handleMessage (KEEPALIVE)`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.send(keepalive);
      await answersUnknownRequest(s, t, 'tx-after-keepalive');
    },
  },
  {
    id: 'request-for-unknown-transaction',
    title: 'a request for a transaction the peer does not run gets ERROR "no ledger context"',
    rule: `${PEER} HandleTransaction / isValidTxSim`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      await answersUnknownRequest(s, t, 'tx-unknown');
    },
  },
  {
    id: 'invoke-for-unknown-transaction',
    title: 'INVOKE_CHAINCODE for a transaction the peer does not run gets ERROR "could not get valid transaction"',
    rule: `${PEER} HandleTransaction / getTxContextForInvoke`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.send({ type: 'INVOKE_CHAINCODE', txid: 'tx-inv', channelId: CH, payload: { type: 0, chaincodeId: { name: 'other', path: '', version: '' }, input: { args: [utf8Bytes('f')], decorations: {}, isInit: false }, timeout: 0 } });
      const n = await s.next(t.replyMs);
      if (!('type' in n) || n.type !== 'ERROR' || n.txid !== 'tx-inv') throw new Failed(`expected ERROR, got ${describeNext(n)}`);
      if (!errorText(n.payload).includes('could not get valid transaction')) throw new Failed(`ERROR text ${JSON.stringify(errorText(n.payload))}`);
    },
  },
  {
    id: 'completed-for-unknown-transaction',
    title: 'COMPLETED for a transaction the peer does not run is dropped; the stream goes on',
    rule: `${PEER} Notify (no transaction context: logged, dropped)`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.send({ type: 'COMPLETED', txid: 'tx-late', channelId: CH, payload: { status: 200, message: '', payload: E } });
      await answersUnknownRequest(s, t, 'tx-after-late');
    },
  },
  {
    id: 'message-before-register',
    title: 'a request before REGISTER ends the stream',
    rule: `${PEER} handleMessage (created: only REGISTER)`,
    async play(open, _name, t) {
      const s = await open();
      s.send({ type: 'GET_STATE', txid: 'tx-early', channelId: CH, payload: { key: 'k', collection: '' } });
      await endsStream(s, t, 'a GET_STATE in created');
    },
  },
  {
    id: 'second-register',
    title: 'a second REGISTER on a registered stream ends it',
    rule: `${PEER} handleMessage (ready: REGISTER is not a message of this state)`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.send(register(name));
      await endsStream(s, t, 'a second REGISTER');
    },
  },
  {
    id: 'unknown-message-type',
    title: 'a message type Fabric does not define (99) ends the stream',
    rule: `${PEER} handleMessage ("cannot handle message (99)")`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.sendFrame(Uint8Array.from([0x08, 99, 0x22, 4, ...utf8Bytes('tx-x')]));
      await endsStream(s, t, 'type 99');
    },
  },
  {
    id: 'malformed-frame',
    title: 'bytes that are not a ChaincodeMessage end the stream',
    rule: `${PEER} ProcessStream (the gRPC stream fails to unmarshal the message)`,
    async play(open, name, t) {
      const s = await open();
      await handshake(s, name, t);
      s.sendFrame(Uint8Array.from([0xff, 0xff, 0xff]));
      await endsStream(s, t, 'a garbage frame');
    },
  },
  {
    id: 'duplicate-registration',
    title: 'a second stream registering a name that is registered is refused (no READY)',
    rule: `${PEER} HandleRegister / handler_registry.go Register ("duplicate chaincodeID")`,
    async play(open, name, t) {
      const first = await open();
      await handshake(first, name, t);
      const second = await open();
      second.send(register(name));
      return refused(second, t);
    },
  },
  {
    id: 'transaction-with-request',
    title: 'a transaction the peer starts: TRANSACTION, a GET_STATE answered with RESPONSE, COMPLETED settles it',
    rule: `${PEER} Execute / HandleGetState / Notify`,
    needsTrigger: true,
    async play(open, name, t, trigger) {
      const s = await open();
      await handshake(s, name, t);
      const outcome = trigger!(name.split(':')[0]!);
      const tx = await expectType(s, t, 'TRANSACTION', 'the peer runs the transaction');
      s.send({ type: 'GET_STATE', txid: tx.txid, channelId: tx.channelId, payload: { key: 'k', collection: '' } });
      const reply = await expectType(s, t, 'RESPONSE', 'GET_STATE is answered');
      if (reply.txid !== tx.txid) throw new Failed(`RESPONSE for ${reply.txid}, not ${tx.txid}`);
      s.send({ type: 'COMPLETED', txid: tx.txid, channelId: tx.channelId, payload: { status: 200, message: '', payload: utf8Bytes('done') } });
      const r = await outcome;
      if (r.status !== 200 || r.payload !== 'done') throw new Failed(`the transaction ended with ${r.status} ${JSON.stringify(r.message || r.payload)}`);
    },
  },
  {
    id: 'second-request-while-pending',
    title: 'two requests of a transaction back to back: the first is answered, the second answered in turn or (while the first is served) dropped, and the transaction completes',
    rule: `${PEER} HandleTransaction (ActiveTransactions.Add: "Another request pending for this CC")`,
    needsTrigger: true,
    async play(open, name, t, trigger) {
      const s = await open();
      await handshake(s, name, t);
      const outcome = trigger!(name.split(':')[0]!);
      const tx = await expectType(s, t, 'TRANSACTION', 'the peer runs the transaction');
      const get = (key: string): Message => ({ type: 'GET_STATE', txid: tx.txid, channelId: tx.channelId, payload: { key, collection: '' } });
      s.send(get('k1'));
      s.send(get('k2'));
      await expectType(s, t, 'RESPONSE', 'the first request is answered');
      const second = await s.next(Math.min(t.replyMs, 1_000));
      // Three right answers, by timing (so all pass, and the result does not flap): the second
      // arrived while the first was served (Fabric drops it; ccproto answers ERROR, docs/deviations.md
      // P1), or after the first was answered (served in turn: RESPONSE).
      const inTurn = 'type' in second && (second.type === 'ERROR' || second.type === 'RESPONSE') && second.txid === tx.txid;
      if (!('timeout' in second) && !inTurn) throw new Failed(`after the first RESPONSE: ${describeNext(second)}`);
      s.send({ type: 'COMPLETED', txid: tx.txid, channelId: tx.channelId, payload: { status: 200, message: '', payload: utf8Bytes('done') } });
      const r = await outcome;
      if (r.status !== 200) throw new Failed(`the transaction ended with ${r.status} ${JSON.stringify(r.message)}`);
    },
  },
  {
    id: 'late-completed',
    title: 'a COMPLETED after the transaction ended with ERROR is dropped; the ERROR decided it',
    rule: `${PEER} Notify (the first final reply settles; a later one has no context)`,
    needsTrigger: true,
    async play(open, name, t, trigger) {
      const s = await open();
      await handshake(s, name, t);
      const outcome = trigger!(name.split(':')[0]!);
      const tx = await expectType(s, t, 'TRANSACTION', 'the peer runs the transaction');
      s.send({ type: 'ERROR', txid: tx.txid, channelId: tx.channelId, payload: utf8Bytes('conform says no') });
      const r = await outcome;
      if (r.status < 400 || !r.message.includes('conform says no')) throw new Failed(`the ERROR gave ${r.status} ${JSON.stringify(r.message)}`);
      s.send({ type: 'COMPLETED', txid: tx.txid, channelId: tx.channelId, payload: { status: 200, message: '', payload: E } });
      await answersUnknownRequest(s, t, 'tx-after-late-completed');
    },
  },
  {
    id: 'execute-timeout',
    title: 'a chaincode that never answers: the execute times out, its later requests get "no ledger context", its late COMPLETED is dropped',
    rule: `${PEER} Execute ("timeout expired while executing transaction"), HandleTransaction / isValidTxSim, Notify`,
    needsTrigger: true,
    async play(open, name, t, trigger) {
      const s = await open();
      await handshake(s, name, t);
      const outcome = trigger!(name.split(':')[0]!);
      const tx = await expectType(s, t, 'TRANSACTION', 'the peer runs the transaction');
      // Say nothing: the peer's execute timeout (30 s in Fabric) decides; the trigger waits for it.
      const r = await outcome;
      if (r.status < 400 || !r.message.includes('timeout expired while executing transaction')) throw new Failed(`expected the execute timeout, got ${r.status} ${JSON.stringify(r.message)}`);
      s.send({ type: 'GET_STATE', txid: tx.txid, channelId: tx.channelId, payload: { key: 'k', collection: '' } });
      const n = await s.next(t.replyMs);
      if (!('type' in n) || n.type !== 'ERROR' || n.txid !== tx.txid || !errorText(n.payload).includes('no ledger context')) {
        throw new Failed(`a request of the timed-out transaction: expected ERROR "… no ledger context", got ${describeNext(n)}`);
      }
      s.send({ type: 'COMPLETED', txid: tx.txid, channelId: tx.channelId, payload: { status: 200, message: '', payload: E } });
      await answersUnknownRequest(s, t, 'tx-after-timeout');
    },
  },
  {
    id: 'empty-name',
    title: 'a REGISTER without a name is refused (no READY)',
    rule: `${PEER} HandleRegister ("chaincodeID name is empty")`,
    async play(open, _name, t) {
      const s = await open();
      s.send(register(''));
      return refused(s, t);
    },
  },
];
