/**
 * `ccproto fuzz peer --peer HOST:PORT`: sessions the fuzzer plays as a chaincode against a peer's
 * chaincode listener, each on a fresh stream under a fresh name. A chaincode cannot ask the peer
 * for a transaction, so the sessions are made of what needs none: requests and final replies for
 * transactions the peer does not run (every request must get its ERROR), KEEPALIVE, and hostile
 * moves — garbage bytes, an undefined message type, a second REGISTER, a message before REGISTER,
 * the stream dropped.
 *
 * What is a finding:
 *  - violation: the charts blame the peer (up to the first hostile move);
 *  - hang: a request is not answered within the bound while the stream is open and nothing
 *    hostile was sent;
 *  - crash: after the session, a fresh stream cannot register (the peer stopped serving).
 */
import fc from 'fast-check';
import { EMPTY_BYTES, utf8Bytes, type Message } from '../protocol/messages.js';
import { describeFinding, faultsOf } from '../conform/report.js';
import { ScriptedStream } from '../conform/scriptedStream.js';
import { TraceRecorder } from '../trace/recorder.js';
import { dialChaincodeSupport, type ClientTlsOptions } from '../transport/index.js';
import type { FuzzFinding, FuzzTarget } from './engine.js';

export type PeerAction =
  | { k: 'request'; type: 'GET_STATE' | 'PUT_STATE' | 'DEL_STATE' | 'GET_STATE_BY_RANGE' | 'INVOKE_CHAINCODE'; id: number }
  | { k: 'final'; type: 'COMPLETED' | 'ERROR'; id: number }
  | { k: 'keepalive' }
  | { k: 'garbage' }
  | { k: 'undefinedType' }
  | { k: 'register' }
  | { k: 'drop' };

const HOSTILE = new Set(['garbage', 'undefinedType', 'register', 'drop']);

const action: fc.Arbitrary<PeerAction> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('request' as const), type: fc.constantFrom('GET_STATE' as const, 'PUT_STATE' as const, 'DEL_STATE' as const, 'GET_STATE_BY_RANGE' as const, 'INVOKE_CHAINCODE' as const), id: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('final' as const), type: fc.constantFrom('COMPLETED' as const, 'ERROR' as const), id: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.constant({ k: 'keepalive' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'garbage' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'undefinedType' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'register' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'drop' as const }) },
);

export interface PeerFuzzOptions {
  peer: string;
  tls?: ClientTlsOptions;
  replyTimeoutMs?: number;
}

export interface PeerSession {
  /** A request before REGISTER (hostile: the peer must end the stream). */
  beforeRegister: boolean;
  actions: PeerAction[];
}

export function peerTarget(o: PeerFuzzOptions): FuzzTarget<PeerSession> {
  let n = 0;
  return {
    // A request before REGISTER ends the session at once: one in eight.
    sessions: fc.record({ beforeRegister: fc.integer({ min: 0, max: 7 }).map((x) => x === 0), actions: fc.array(action, { minLength: 1, maxLength: 20 }) }),
    show: (s) => [...(s.beforeRegister ? ['a request before REGISTER'] : []), ...s.actions.map((a) => JSON.stringify(a))],
    size: (s) => s.actions.length + (s.beforeRegister ? 1 : 0),
    play: (s) => playPeer(s, o, `fuzz-${process.pid}-${++n}:1.0`),
  };
}

const CH = 'fuzzch';

function request(type: Extract<PeerAction, { k: 'request' }>['type'], txid: string): Message {
  switch (type) {
    case 'GET_STATE':
    case 'DEL_STATE':
      return { type, txid, channelId: CH, payload: { key: 'k', collection: '' } };
    case 'PUT_STATE':
      return { type, txid, channelId: CH, payload: { key: 'k', value: utf8Bytes('v'), collection: '' } };
    case 'GET_STATE_BY_RANGE':
      return { type, txid, channelId: CH, payload: { startKey: 'a', endKey: 'z', collection: '', metadata: EMPTY_BYTES } };
    case 'INVOKE_CHAINCODE':
      return { type, txid, channelId: CH, payload: { type: 0, chaincodeId: { name: 'other', path: '', version: '' }, input: { args: [utf8Bytes('f')], decorations: {}, isInit: false }, timeout: 0 } };
  }
}

async function playPeer(session: PeerSession, o: PeerFuzzOptions, name: string): Promise<FuzzFinding | undefined> {
  const t = o.replyTimeoutMs ?? 5_000;
  const lines: string[] = [];
  const recorder = new TraceRecorder((l) => void lines.push(l));
  const dial = async () => new ScriptedStream(await dialChaincodeSupport({ address: o.peer, dialTimeoutMs: 5_000, ...(o.tls ? { tls: o.tls } : {}) }), recorder.open('register', o.peer), 'chaincode');
  const finding = (kind: FuzzFinding['kind'], detail: string): FuzzFinding => ({ kind, detail, trace: lines.slice() });
  const s = await dial();
  try {
    let hostile = false;
    if (session.beforeRegister) {
      hostile = true;
      s.send(request('GET_STATE', 'early'));
    }
    s.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name, path: '', version: '' } });
    if (!hostile) {
      // A chaincode sends nothing but KEEPALIVE before READY.
      for (const type of ['REGISTERED', 'READY']) {
        const n = await s.next(t);
        if (!('type' in n) || n.type !== type) return finding('hang', `expected ${type} after REGISTER, got ${'type' in n ? n.type : JSON.stringify(n)}`);
      }
    }
    for (const [i, a] of session.actions.entries()) {
      if (HOSTILE.has(a.k)) hostile = true;
      const txid = `u${a.k === 'request' || a.k === 'final' ? a.id : 0}-${i}`;
      switch (a.k) {
        case 'request': {
          s.send(request(a.type, txid));
          if (hostile) break;
          // Every request gets its reply (an ERROR: the peer runs no transaction of ours).
          for (;;) {
            const n = await s.next(t);
            if (!('type' in n)) return finding('hang', `no reply to ${a.type} ${txid} within ${t} ms (${'closed' in n ? `the stream ended: ${n.closed}` : 'the stream is open'})`);
            if (n.txid === txid) break;
          }
          break;
        }
        case 'final':
          s.send(a.type === 'COMPLETED' ? { type: 'COMPLETED', txid, channelId: CH, payload: { status: 200, message: '', payload: EMPTY_BYTES } } : { type: 'ERROR', txid, channelId: CH, payload: utf8Bytes('fuzzed') });
          break;
        case 'keepalive':
          s.send({ type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES });
          break;
        case 'garbage':
          s.sendFrame(Uint8Array.from([0xff, 0xfe, 0xfd]));
          break;
        case 'undefinedType':
          s.sendFrame(Uint8Array.from([0x08, 99, 0x22, 2, 0x66, 0x31]));
          break;
        case 'register':
          s.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name, path: '', version: '' } });
          break;
        case 'drop':
          s.close();
          break;
      }
      if (a.k === 'drop') break;
    }
    await s.settle(50, 1_000);
    const faults = faultsOf(s.findings, 'peer');
    if (faults.length) return finding('violation', faults.map(describeFinding).join('; '));
    // The peer still serves: a fresh stream registers.
    s.close();
    const probe = await dial().catch((e: Error) => e);
    if (probe instanceof Error) return finding('crash', `after the session the peer cannot be dialled: ${probe.message}`);
    try {
      probe.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: `${name}-probe`, path: '', version: '' } });
      const n = await probe.next(t);
      if (!('type' in n) || n.type !== 'REGISTERED') return finding('crash', `after the session a fresh REGISTER got ${'type' in n ? n.type : JSON.stringify(n)}`);
    } finally {
      probe.close();
    }
    return undefined;
  } finally {
    s.close();
  }
}
