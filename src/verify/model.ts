/**
 * The composed system the explorer walks: a peer core, a chaincode core, one FIFO each way and the
 * environment's obligations (pending serves, armed timers, the chaincode app's scripted stub calls,
 * executes not yet settled). A `World` is plain data (structuredClone-able); `applyMove` changes it
 * in place — its Stepper (stepper.ts) feeds the cores and executes every effect, checking the
 * per-effect properties — and returns the failures it saw.
 *
 * Core states in a World are never mutated either: a step works on a copy (or is memoised, memo.ts),
 * so a World and its copies share them.
 *
 * Stream close semantics (chosen here, see docs/verification.md): when side X ends the stream
 * (`closeStream`), X gets `transportClosed` at once, whatever is in flight towards X is lost, and
 * the other side receives what X sent before the close and then `transportClosed` (a close marker
 * at the tail of its FIFO). Anything sent by either side after the close is dropped.
 */
import type { ChaincodeCoreState, PeerCoreState } from '../core/index.js';
import { createChaincodeState, createPeerState, txGet } from '../core/index.js';
import type { ChaincodeEffect, PeerEffect } from '../protocol/effects.js';
import type { ChaincodeCoreInput, PeerCoreInput, RequestMessage } from '../protocol/inputs.js';
import type { Message } from '../protocol/messages.js';
import { utf8Bytes } from '../protocol/messages.js';
import { parseTxKey, txKey, type TxKey } from '../protocol/txKey.js';
import { closeItem, faultyItem } from './items.js';
import { NOW, Stepper, remove } from './stepper.js';

export { TOLERATED_AFTER_DISTURBANCE } from './stepper.js';

export type PeerStepFn = (state: PeerCoreState, input: PeerCoreInput) => { state: PeerCoreState; effects: PeerEffect[] };
export type ChaincodeStepFn = (state: ChaincodeCoreState, input: ChaincodeCoreInput) => { state: ChaincodeCoreState; effects: ChaincodeEffect[] };

export interface Steppers {
  peer: PeerStepFn;
  chaincode: ChaincodeStepFn;
  /** The functions never mutate the state they are given (memo.ts); else the Stepper steps a copy. */
  keepInput?: boolean;
}

/** The stub calls a transaction's app makes, in order; each waits for the previous to settle. */
export type ScriptStep = 'GET_STATE' | 'PUT_STATE' | 'DEL_STATE';

export interface Bounds {
  /** Executes the app issues in total (txids tx1, tx2, … in that order), concurrently if it likes. */
  maxTxs: number;
  /** Stub calls each transaction's app makes before it finishes (a prefix of `script`). */
  script: ScriptStep[];
  /** Messages a FIFO may hold; a send that would exceed it disables the move that causes it. */
  maxChannel: number;
  /** Timer fires the environment may make in a whole run (execute timeouts). */
  maxTimerFires: number;
  /** `appShutdown` to either side, in a whole run (0 or 1 is enough: a second one finds it closed). */
  maxShutdowns: number;
  /** Transport failures (the stream breaks under both sides, in-flight messages lost), in a whole run. */
  maxDrops: number;
  /** Faulty moves (a copy of a FIFO's head message appended at its tail: a duplicate that arrives
   * late), in a whole run; 0 = two conforming cores only. */
  maxFaults?: number;
  /** Ledger failures the environment may answer with, in a whole run. */
  maxServeFailures: number;
  /** Whether the app may finish a transaction with `appFailed` (else only `appResult` 200). */
  appFailures: boolean;
  /** Channels an execute may name (`ch`, `ch2`, …; default 1). */
  channels?: number;
  /** Every execute uses the txid `tx` (on any free channel, and again once it finished) instead of
   * tx1, tx2, …: the same txid on two channels, and a txid executed again. */
  sameTxid?: boolean;
  /** The peer's KEEPALIVE interval (default 0: off); its fires count against `maxTimerFires`. */
  keepaliveMs?: number;
}

/** What a FIFO carries: a message (a faulty party's copy) or the end of the stream. Interned and
 * never mutated (items.ts): make them with messageItem, faultyItem, closeItem. */
export type Item = { m: Message; faulty?: true } | { close: string };

export interface AppTx {
  key: string;
  channelId: string;
  txid: string;
  /** Script position (stub calls made). */
  step: number;
  /** The request id of the stub call in flight. */
  waiting: number | null;
  /** A stub call failed: the app can only fail now. */
  errored: boolean;
}

export interface World {
  peer: PeerCoreState;
  cc: ChaincodeCoreState;
  toCc: Item[];
  toPeer: Item[];
  /** The stream ended (a side emitted closeStream): later sends are lost. */
  ended: boolean;
  peerClosed: boolean;
  ccClosed: boolean;
  /** handlerReady seen: the app may execute. */
  ready: boolean;
  serves: { serveId: number; channelId: string; txid: string; key: string }[];
  /** Armed timers (id, and the tx key for execute timeouts). */
  timers: { id: string; kind: string }[];
  apps: AppTx[];
  /** Executes issued and how many times each settled. */
  executes: { executeId: number; key: string; settled: number }[];
  /** Stub requests not yet settled. */
  requests: { requestId: number }[];
  /** Keys with a request being served (peer) / in flight (chaincode). */
  peerOut: string[];
  ccOut: string[];
  executed: number;
  nextExecute: number;
  nextRequest: number;
  fires: number;
  shutdowns: number;
  drops: number;
  faults: number;
  serveFailures: number;
  /** Transactions whose execute timer fired (`*`: a side shut down or the transport broke):
   * late-message violations for them are expected from then on; `fault`: a faulty message was
   * delivered, any violation is expected from then on. */
  disturbed: string[];
}

export type Move =
  | { k: 'execute'; ch?: number }
  | { k: 'deliverToCc' }
  | { k: 'deliverToPeer' }
  | { k: 'serve'; serveId: number; ok: boolean }
  | { k: 'fire'; timerId: string }
  | { k: 'appRequest'; key: string }
  | { k: 'appResult'; key: string }
  | { k: 'appFailed'; key: string }
  | { k: 'shutdown'; side: 'peer' | 'chaincode' }
  | { k: 'drop' }
  | { k: 'duplicate'; to: 'peer' | 'chaincode' };

export interface Failure {
  property: string;
  detail: string;
}

/** One core step, for counterexample traces. */
export interface StepRecord {
  side: 'peer' | 'chaincode';
  input: PeerCoreInput | ChaincodeCoreInput;
  effects: (PeerEffect | ChaincodeEffect)[];
}

const CHANNEL = 'ch';
/** The n-th channel an execute may name: `ch`, `ch2`, `ch3`, … */
const channelName = (n: number): string => (n === 0 ? CHANNEL : `${CHANNEL}${n + 1}`);
const TIMEOUT_MS = 30_000;
// Payload bytes are never written into (by the cores or here): one array each, made once.
const FN_ARG = utf8Bytes('fn');
const VALUE = utf8Bytes('v');
const OK = utf8Bytes('ok');

export function initialWorld(steppers: Steppers, maxTxs: number, keepaliveMs = 0): World {
  const w: World = {
    peer: createPeerState({ keepaliveMs, finishedMemory: Math.max(8, maxTxs + 1) }),
    cc: createChaincodeState({ finishedMemory: Math.max(8, maxTxs + 1) }),
    toCc: [],
    toPeer: [],
    ended: false,
    peerClosed: false,
    ccClosed: false,
    ready: false,
    serves: [],
    timers: [],
    apps: [],
    executes: [],
    requests: [],
    peerOut: [],
    ccOut: [],
    executed: 0,
    nextExecute: 1,
    nextRequest: 1,
    fires: 0,
    shutdowns: 0,
    drops: 0,
    faults: 0,
    serveFailures: 0,
    disturbed: [],
  };
  const failures: Failure[] = [];
  new Stepper(w, steppers, failures, undefined).chaincode({ kind: 'appStart', chaincodeName: 'mycc:1.0', startId: 1, now: NOW });
  if (failures.length) throw new Error(`initial state fails: ${JSON.stringify(failures)}`);
  return w;
}

/** Every enabled move, timer fires last (see isProgressMove for the deadlock check). */
export function enabledMoves(w: World, b: Bounds): Move[] {
  const moves: Move[] = [];
  if (w.toCc.length) moves.push({ k: 'deliverToCc' });
  if (w.toPeer.length) moves.push({ k: 'deliverToPeer' });
  for (const s of w.serves) {
    moves.push({ k: 'serve', serveId: s.serveId, ok: true });
    if (w.serveFailures < b.maxServeFailures) moves.push({ k: 'serve', serveId: s.serveId, ok: false });
  }
  for (const a of w.apps) {
    if (a.waiting !== null) continue;
    if (!a.errored && a.step < b.script.length) moves.push({ k: 'appRequest', key: a.key });
    if (!a.errored && a.step >= b.script.length) moves.push({ k: 'appResult', key: a.key });
    if (a.errored || (b.appFailures && a.step >= b.script.length)) moves.push({ k: 'appFailed', key: a.key });
  }
  if (w.ready && !w.ended && w.peer.handler.value === 'ready' && w.executed < b.maxTxs) {
    const channels = b.channels ?? 1;
    for (let ch = 0; ch < channels; ch++) {
      // The app never executes a (channel, txid) that is still running (the peer would refuse it).
      if (b.sameTxid && w.executes.some((x) => x.settled === 0 && x.key === txKey(channelName(ch), 'tx'))) continue;
      moves.push(channels === 1 ? { k: 'execute' } : { k: 'execute', ch });
    }
  }
  if (w.shutdowns < b.maxShutdowns && !w.ended) {
    moves.push({ k: 'shutdown', side: 'peer' }, { k: 'shutdown', side: 'chaincode' });
  }
  if (w.drops < b.maxDrops && !w.ended) moves.push({ k: 'drop' });
  if (w.faults < (b.maxFaults ?? 0)) {
    if (w.toCc[0] && 'm' in w.toCc[0]) moves.push({ k: 'duplicate', to: 'chaincode' });
    if (w.toPeer[0] && 'm' in w.toPeer[0]) moves.push({ k: 'duplicate', to: 'peer' });
  }
  if (w.fires < b.maxTimerFires) for (const t of w.timers) moves.push({ k: 'fire', timerId: t.id });
  return moves;
}

/**
 * Moves that advance work already under way: deliveries, ledger answers, the app's stub calls and
 * results. A state without any is quiescent and must have nothing left to settle (the deadlock
 * check): new executes, timer fires, shutdowns, transport failures and faults do not count, so a
 * transaction that could only end by a timeout, a close or a fault is a deadlock.
 */
export function isProgressMove(m: Move): boolean {
  return m.k === 'deliverToCc' || m.k === 'deliverToPeer' || m.k === 'serve' || m.k === 'appRequest' || m.k === 'appResult' || m.k === 'appFailed';
}

export function moveLabel(m: Move): string {
  switch (m.k) {
    case 'serve':
      return `serve(${m.serveId},${m.ok ? 'ok' : 'fail'})`;
    case 'fire':
      return `fire(${m.timerId})`;
    case 'appRequest':
    case 'appResult':
    case 'appFailed':
      return `${m.k}(${m.key})`;
    case 'shutdown':
      return `shutdown(${m.side})`;
    case 'duplicate':
      return `duplicate(to ${m.to})`;
    case 'execute':
      return m.ch === undefined ? 'execute' : `execute(${channelName(m.ch)})`;
    default:
      return m.k;
  }
}

/**
 * Apply a move to `w` (in place). Returns the failures seen (empty when every property held) and,
 * when `record` is given, pushes every core step into it. `ok: false` means the move is not
 * possible within the bounds (a FIFO would overflow): the caller discards `w`.
 */
export function applyMove(
  w: World,
  move: Move,
  steppers: Steppers,
  bounds: Bounds,
  record?: StepRecord[],
): { ok: boolean; failures: Failure[]; faulty?: { type: string; violations: string[] } } {
  const failures: Failure[] = [];
  const s = new Stepper(w, steppers, failures, record);
  let faulty: { type: string; violations: string[] } | undefined;
  switch (move.k) {
    case 'execute': {
      const executeId = w.nextExecute++;
      w.executed++;
      const txid = bounds.sameTxid ? 'tx' : `tx${w.executed}`;
      const channelId = channelName(move.ch ?? 0);
      w.executes.push({ executeId, key: txKey(channelId, txid), settled: 0 });
      s.peer({
        kind: 'appExecute',
        executeId,
        channelId,
        txid,
        txType: 'TRANSACTION',
        input: { args: [FN_ARG], decorations: {}, isInit: false },
        proposal: undefined,
        timeoutMs: TIMEOUT_MS,
        now: NOW,
      });
      break;
    }
    case 'deliverToCc': {
      const item = w.toCc.shift()!;
      if ('m' in item && item.faulty) faulty = { type: item.m.type, violations: s.faultyRecv('chaincode', item.m) };
      else if ('m' in item) s.chaincode({ kind: 'recv', message: item.m, now: NOW });
      else if (!w.ccClosed) s.chaincode({ kind: 'transportClosed', reason: item.close, now: NOW });
      break;
    }
    case 'deliverToPeer': {
      const item = w.toPeer.shift()!;
      if ('m' in item && item.faulty) faulty = { type: item.m.type, violations: s.faultyRecv('peer', item.m) };
      else if ('m' in item) s.peer({ kind: 'recv', message: item.m, now: NOW });
      else if (!w.peerClosed) s.peer({ kind: 'transportClosed', reason: item.close, now: NOW });
      break;
    }
    case 'serve': {
      const i = w.serves.findIndex((x) => x.serveId === move.serveId);
      const [sv] = w.serves.splice(i, 1) as [World['serves'][number]];
      if (!move.ok) w.serveFailures++;
      if (txGet(w.peer.txs, sv.channelId, sv.txid)?.serveId === sv.serveId) remove(w.peerOut, sv.key);
      s.peer({
        kind: 'serveResult',
        serveId: sv.serveId,
        channelId: sv.channelId,
        txid: sv.txid,
        result: move.ok ? { ok: true, payload: VALUE } : { ok: false, cause: 'ledger says no' },
        now: NOW,
      });
      break;
    }
    case 'fire': {
      w.fires++;
      const timer = w.timers.find((t) => t.id === move.timerId)!;
      if (!w.disturbed.includes(timer.kind)) w.disturbed.push(timer.kind);
      w.timers = w.timers.filter((t) => t.id !== move.timerId);
      s.peer({ kind: 'timerFired', timerId: move.timerId, now: NOW });
      break;
    }
    case 'appRequest': {
      const a = w.apps.find((x) => x.key === move.key)!;
      const requestId = w.nextRequest++;
      const type = bounds.script[a.step++]!;
      a.waiting = requestId;
      w.requests.push({ requestId });
      s.chaincode({ kind: 'appRequest', requestId, message: scriptMessage(type, a.channelId, a.txid), now: NOW });
      break;
    }
    case 'appResult': {
      const a = w.apps.find((x) => x.key === move.key)!;
      s.chaincode({ kind: 'appResult', channelId: a.channelId, txid: a.txid, response: { status: 200, message: '', payload: OK }, event: undefined, now: NOW });
      break;
    }
    case 'appFailed': {
      const a = w.apps.find((x) => x.key === move.key)!;
      s.chaincode({ kind: 'appFailed', channelId: a.channelId, txid: a.txid, message: 'chaincode threw', now: NOW });
      break;
    }
    case 'shutdown': {
      w.shutdowns++;
      w.disturbed.push('*');
      if (move.side === 'peer') s.peer({ kind: 'appShutdown', reason: 'shutdown', now: NOW });
      else s.chaincode({ kind: 'appShutdown', reason: 'shutdown', now: NOW });
      break;
    }
    case 'duplicate': {
      // A faulty party sends the head message again; the copy arrives after what is queued now.
      w.faults++;
      const fifo = move.to === 'peer' ? w.toPeer : w.toCc;
      fifo.push(faultyItem((fifo[0] as { m: Message }).m));
      break;
    }
    case 'drop': {
      // The stream breaks: what is in flight is lost, each side learns it in its own time.
      w.drops++;
      w.disturbed.push('*');
      w.ended = true;
      w.toCc = [closeItem('transport failed')];
      w.toPeer = [closeItem('transport failed')];
      break;
    }
  }
  checkTimersBalanced(w, failures);
  const ok = w.toCc.length <= bounds.maxChannel && w.toPeer.length <= bounds.maxChannel;
  return faulty ? { ok, failures, faulty } : { ok, failures };
}

function scriptMessage(type: ScriptStep, channelId: string, txid: string): RequestMessage {
  switch (type) {
    case 'GET_STATE':
      return { type, channelId, txid, payload: { key: 'k', collection: '' } };
    case 'PUT_STATE':
      return { type, channelId, txid, payload: { key: 'k', value: VALUE, collection: '' } };
    case 'DEL_STATE':
      return { type, channelId, txid, payload: { key: 'k', collection: '' } };
  }
}

/** After every move: an armed execute timer belongs to a transaction the peer still runs. */
function checkTimersBalanced(w: World, failures: Failure[]): void {
  for (const t of w.timers) {
    if (t.kind === 'keepalive') continue;
    const { channelId, txid } = parseTxKey(t.kind as TxKey);
    const rec = txGet(w.peer.txs, channelId, txid);
    if (!rec || rec.timerId !== t.id) failures.push({ property: 'timers-balanced', detail: `timer ${t.id} is still armed for ${t.kind}, which the peer no longer runs` });
  }
}

/** Properties of a state in which no progress move is enabled (see isProgressMove). */
export function checkQuiescent(w: World, b?: Bounds): Failure[] {
  const out: Failure[] = [];
  for (const x of w.executes) if (x.settled !== 1) out.push({ property: 'no-deadlock', detail: `quiescent with execute ${x.executeId} (${x.key}) settled ${x.settled} times` });
  if (w.requests.length) out.push({ property: 'no-deadlock', detail: `quiescent with stub requests ${w.requests.map((x) => x.requestId).join(',')} unsettled` });
  // The keepalive timer runs as long as the stream does: only execute timers must be gone.
  const armed = w.timers.filter((t) => t.kind !== 'keepalive');
  if (armed.length) out.push({ property: 'timers-balanced', detail: `quiescent with timers armed: ${armed.map((t) => `${t.id}(${t.kind})`).join(',')}` });
  const running = w.apps;
  if (running.length) out.push({ property: 'no-deadlock', detail: `quiescent with the app still running ${running.map((a) => a.key).join(',')}` });
  return out;
}
