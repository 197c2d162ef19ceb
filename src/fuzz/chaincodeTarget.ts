/**
 * `ccproto fuzz chaincode -- COMMAND`: sessions the fuzzer plays as the peer against a command
 * chaincode (docs/conformance.md, "The command chaincode convention"), a fresh process each.
 *
 * Actions: transactions (getTxID, getState, putState, getStateByRange) on up to four txids and two
 * channels, answers to the chaincode's requests (RESPONSE or ERROR) in any order, KEEPALIVE, large
 * invocations (valid: up to 2 MiB), and hostile ones — a duplicated TRANSACTION, a reply for a
 * transaction that asked nothing, garbage bytes, an undefined message type, the stream dropped.
 *
 * What is a finding:
 *  - violation: the charts blame the chaincode (up to the first hostile action, after which the
 *    session is no longer one a peer would play);
 *  - crash: the process exits, or ends the stream, while nothing hostile was sent;
 *  - hang: at the end, with every request answered, a transaction never gets its final reply; or,
 *    after something hostile, the chaincode neither serves a new transaction nor ends the stream.
 */
import fc from 'fast-check';
import { EMPTY_BYTES, utf8Bytes, type Message } from '../protocol/messages.js';
import { ChaincodeUnderTest } from '../conform/chaincodeUnderTest.js';
import { faultsOf, describeFinding } from '../conform/report.js';
import { encodeKV, encodeQueryResponse } from '../wire/index.js';
import type { FuzzFinding, FuzzTarget } from './engine.js';

export type ChaincodeAction =
  | { k: 'tx'; id: number; ch: number; cmd: 'getTxID' | 'getState' | 'putState' | 'range' }
  | { k: 'answer'; id: number; ch: number; ok: boolean }
  | { k: 'keepalive' }
  | { k: 'big'; id: number; kib: number }
  | { k: 'duplicate'; id: number; ch: number }
  | { k: 'garbage' }
  | { k: 'undefinedType' }
  | { k: 'drop' };

const HOSTILE = new Set(['duplicate', 'garbage', 'undefinedType', 'drop']);
const channel = (ch: number) => `fuzz${ch}`;
const txid = (id: number) => `f${id}`;

const action: fc.Arbitrary<ChaincodeAction> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('tx' as const), id: fc.nat(3), ch: fc.nat(1), cmd: fc.constantFrom('getTxID' as const, 'getState' as const, 'putState' as const, 'range' as const) }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('answer' as const), id: fc.nat(3), ch: fc.nat(1), ok: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ k: 'keepalive' as const }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('big' as const), id: fc.nat(3), kib: fc.integer({ min: 64, max: 2048 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('duplicate' as const), id: fc.nat(3), ch: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'garbage' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'undefinedType' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'drop' as const }) },
);

export interface ChaincodeFuzzOptions {
  command: readonly string[];
  startTimeoutMs?: number;
  /** The bound for every answer the chaincode owes (default 5 s). */
  replyTimeoutMs?: number;
  /**
   * How long the chaincode must stay silent after each action before the next is sent (default
   * 20 ms). A crash is blamed on the actions sent before it was seen, so on a loaded machine a
   * longer wait keeps a crash tied to the action that caused it.
   */
  quietMs?: number;
  /** Keep KEEPALIVE out of the sessions (fabric-shim ≤ 2.5.8 exits on it: docs/deviations.md S4). */
  noKeepalive?: boolean;
}

export function chaincodeTarget(o: ChaincodeFuzzOptions): FuzzTarget<ChaincodeAction[]> {
  const actions = o.noKeepalive ? action.filter((a) => a.k !== 'keepalive') : action;
  return {
    sessions: fc.array(actions, { minLength: 1, maxLength: 25 }),
    show: (session) => session.map((a) => JSON.stringify(a)),
    size: (session) => session.length,
    play: (session) => playChaincode(session, o),
  };
}

/** What the fuzzer (as the peer) knows of a running transaction. */
interface Running {
  channelId: string;
  txid: string;
  /** The request it waits for an answer to. */
  asked?: Message;
}

async function playChaincode(session: ChaincodeAction[], o: ChaincodeFuzzOptions): Promise<FuzzFinding | undefined> {
  const t = o.replyTimeoutMs ?? 5_000;
  const quiet = o.quietMs ?? 20;
  const cut = await ChaincodeUnderTest.launch(o.command, { startTimeoutMs: o.startTimeoutMs ?? 30_000 });
  const running = new Map<string, Running>();
  let hostile = false;
  const finding = (kind: FuzzFinding['kind'], detail: string): FuzzFinding => ({ kind, detail, trace: cut.lines.slice() });
  /** Reads what the chaincode sent until it is quiet; notes requests and final replies. */
  const drain = async (ms: number): Promise<void> => {
    for (;;) {
      const n = await cut.next(ms);
      if (!('type' in n)) return;
      const key = `${n.channelId}/${n.txid}`;
      const tx = running.get(key);
      if (!tx) continue;
      if (n.type === 'COMPLETED' || n.type === 'ERROR') running.delete(key);
      else tx.asked = n;
    }
  };
  try {
    const reg = await cut.next(t);
    if (!('type' in reg) || reg.type !== 'REGISTER') return finding('violation', 'the chaincode did not start with REGISTER');
    cut.send({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
    cut.send({ type: 'READY', txid: '', channelId: '', payload: { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 } });
    for (const a of session) {
      if (HOSTILE.has(a.k)) hostile = true;
      if (!play(cut, a, running)) hostile = true; // a reply for a transaction that asked nothing
      if (a.k === 'drop') break;
      await drain(quiet);
      if (!hostile && (cut.processExited || cut.streamClosed)) return finding('crash', `the chaincode ended after ${JSON.stringify(a)} with nothing hostile sent`);
    }
    // A dropped stream is hostile too (HOSTILE): nothing more to ask of the chaincode.
    if (!session.some((a) => a.k === 'drop')) {
      if (!hostile) {
        // Answer everything still asked until every transaction has its final reply.
        for (let round = 0; running.size > 0 && round < 200; round++) {
          const waiting = [...running.values()].filter((x) => x.asked);
          for (const x of waiting) answer(cut, x, true);
          const before = running.size;
          await drain(waiting.length ? 20 : t);
          if (running.size === before && waiting.length === 0) break;
          if (cut.processExited || cut.streamClosed) return finding('crash', 'the chaincode ended while transactions were running, with nothing hostile sent');
        }
        if (running.size > 0) return finding('hang', `no final reply for ${[...running.keys()].join(', ')} within ${t} ms, every request answered`);
      } else if (!cut.streamClosed && !cut.processExited) {
        // After something hostile: serve a new transaction, or end the stream — never neither.
        cut.send(invocation('probe', 'fuzzprobe', 'getTxID'));
        for (;;) {
          const n = await cut.next(t);
          if ('closed' in n) break;
          if ('timeout' in n) {
            if (cut.processExited) break;
            return finding('hang', `after a hostile action the chaincode neither answered a new transaction nor ended the stream within ${t} ms`);
          }
          if (n.txid === 'probe') break;
        }
      }
    }
    await cut.settle(50, 1_000);
    if (!hostile && (cut.processExited || cut.streamClosed)) return finding('crash', 'the chaincode ended with nothing hostile sent');
    const faults = faultsOf(cut.findings, 'chaincode');
    if (faults.length) return finding('violation', faults.map(describeFinding).join('; '));
    return undefined;
  } finally {
    await cut.stop();
  }
}

/** Sends what `a` stands for; false when it was a reply nobody asked for (hostile). */
function play(cut: ChaincodeUnderTest, a: ChaincodeAction, running: Map<string, Running>): boolean {
  switch (a.k) {
    case 'tx': {
      const key = `${channel(a.ch)}/${txid(a.id)}`;
      if (running.has(key)) return true; // a peer never reuses a running txid: skip it
      running.set(key, { channelId: channel(a.ch), txid: txid(a.id) });
      cut.send(invocation(txid(a.id), channel(a.ch), a.cmd));
      return true;
    }
    case 'big': {
      const key = `${channel(0)}/big${a.id}`;
      if (running.has(key)) return true;
      running.set(key, { channelId: channel(0), txid: `big${a.id}` });
      const m = invocation(`big${a.id}`, channel(0), 'getTxID');
      if (m.type === 'TRANSACTION') m.payload.args.push(new Uint8Array(a.kib * 1024).fill(0x61));
      cut.send(m);
      return true;
    }
    case 'answer': {
      const x = running.get(`${channel(a.ch)}/${txid(a.id)}`);
      if (!x?.asked) {
        cut.send({ type: 'RESPONSE', txid: txid(a.id), channelId: channel(a.ch), payload: EMPTY_BYTES });
        return false;
      }
      answer(cut, x, a.ok);
      return true;
    }
    case 'keepalive':
      cut.send({ type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES });
      return true;
    case 'duplicate':
      cut.send(invocation(txid(a.id), channel(a.ch), 'getTxID'));
      return true;
    case 'garbage':
      cut.sendFrame(Uint8Array.from([0xff, 0xfe, 0xfd]));
      return true;
    case 'undefinedType':
      cut.sendFrame(Uint8Array.from([0x08, 99, 0x22, 2, 0x66, 0x31]));
      return true;
    case 'drop':
      cut.closeStream();
      return true;
  }
}

/** The right answer to the request `x` waits for (or an ERROR). */
function answer(cut: ChaincodeUnderTest, x: Running, ok: boolean): void {
  const asked = x.asked!;
  x.asked = undefined;
  const base = { txid: x.txid, channelId: x.channelId };
  if (!ok) {
    cut.send({ ...base, type: 'ERROR', payload: utf8Bytes(`${asked.type} failed: transaction ID: ${x.txid}: fuzzed failure`) });
    return;
  }
  const query = (more: boolean) =>
    encodeQueryResponse({ results: more ? [encodeKV({ namespace: 'fuzz', key: 'k1', value: utf8Bytes('v') })] : [], hasMore: false, id: 'it', metadata: EMPTY_BYTES });
  const payload = asked.type === 'GET_STATE' ? utf8Bytes('v') : asked.type === 'GET_STATE_BY_RANGE' ? query(true) : asked.type === 'QUERY_STATE_NEXT' || asked.type === 'QUERY_STATE_CLOSE' ? query(false) : EMPTY_BYTES;
  cut.send({ ...base, type: 'RESPONSE', payload });
}

function invocation(id: string, channelId: string, cmd: string): Message {
  const args = cmd === 'getState' ? ['getState', 'k1'] : cmd === 'putState' ? ['putState', 'k1', 'v'] : cmd === 'range' ? ['getStateByRange', 'a', 'z'] : ['getTxID'];
  return { type: 'TRANSACTION', txid: id, channelId, payload: { args: args.map(utf8Bytes), decorations: {}, isInit: false }, proposal: undefined };
}

