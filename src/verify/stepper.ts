/**
 * Feeding the cores: one input at a time (re-entrant inputs queued), every effect executed in order
 * as the drive-loop contract says (docs/architecture.md), and the per-effect properties checked as
 * each effect happens (violations, settles exactly once and only when allowed, one request per
 * transaction, timers). Stream close semantics: see model.ts.
 */
import type { ChaincodeCoreInput, PeerCoreInput } from '../protocol/inputs.js';
import type { SettleExecuteEffect } from '../protocol/effects.js';
import type { Message } from '../protocol/messages.js';
import { isRequestType } from '../protocol/messageType.js';
import { txKey } from '../protocol/txKey.js';
import { txGet } from '../core/index.js';
import type { Violation, ViolationCode } from '../protocol/violations.js';
import { copyCore } from './copy.js';
import { closeItem, messageItem } from './items.js';
import type { Failure, Item, StepRecord, Steppers, World } from './model.js';

/** Every input's `now`: time is abstract (a timer may fire at any point). */
export const NOW = 0;

/** See Stepper.violation; docs/verification.md lists why each one is a race, not a bug. */
export const TOLERATED_AFTER_DISTURBANCE: ReadonlySet<ViolationCode> = new Set<ViolationCode>(['TX_FINISHED', 'UNKNOWN_TX', 'STREAM_CLOSED', 'DUPLICATE_TX']);


export function remove(list: string[], key: string): void {
  const i = list.indexOf(key);
  if (i >= 0) list.splice(i, 1);
}


/** Feeds inputs to the cores one at a time (re-entrant inputs queued), executing every effect. */
export class Stepper {
  private queue: Array<['peer', PeerCoreInput] | ['chaincode', ChaincodeCoreInput]> = [];
  private busy = false;

  constructor(
    private readonly w: World,
    private readonly steppers: Steppers,
    private readonly failures: Failure[],
    private readonly record: StepRecord[] | undefined,
  ) {}

  /**
   * Deliver a faulty (duplicated) message. Violations of any code are expected from then on (the
   * honest properties — settles, one request, timers, no deadlock — still hold);
   * returns the violation codes the delivery caused, on either side.
   */
  faultyRecv(side: 'peer' | 'chaincode', m: Message): string[] {
    if (!this.w.disturbed.includes('fault')) this.w.disturbed.push('fault');
    this.collect = [];
    if (side === 'peer') this.peer({ kind: 'recv', message: m, now: NOW });
    else this.chaincode({ kind: 'recv', message: m, now: NOW });
    const out = this.collect;
    this.collect = undefined;
    return out;
  }
  private collect: string[] | undefined;

  peer(input: PeerCoreInput): void {
    this.queue.push(['peer', input]);
    this.run();
  }
  chaincode(input: ChaincodeCoreInput): void {
    this.queue.push(['chaincode', input]);
    this.run();
  }

  private run(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (next[0] === 'peer') this.stepPeer(next[1]);
        else this.stepChaincode(next[1]);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * Between two conforming cores no violation may happen, except the late-message ones that a
   * disturbance (an execute timeout, a shutdown) makes inevitable: the other side's messages for a
   * transaction the peer abandoned, or commands that race the close.
   */
  private violation(v: Violation): void {
    this.collect?.push(`${v.side}:${v.code}`);
    if (this.collect) return;
    const d = this.w.disturbed;
    if (d.includes('fault')) return;
    if (TOLERATED_AFTER_DISTURBANCE.has(v.code) && (d.includes('*') || d.includes(txKey(v.channelId, v.txid)))) return;
    this.fail('no-violation', `${v.side}: ${v.code} (${v.blame}) on ${v.got} in ${v.state}${v.txid ? ` for ${v.txid}` : ''}`);
  }

  private fail(property: string, detail: string): void {
    this.failures.push({ property, detail });
  }

  private stepPeer(input: PeerCoreInput): void {
    const w = this.w;
    if (input.kind === 'transportClosed') w.peerClosed = true;
    // Core states are shared with other Worlds and never mutated: `before` stays as it was.
    const before = w.peer.txs;
    const { state, effects } = this.steppers.peer(this.steppers.keepInput ? w.peer : copyCore(w.peer), input);
    w.peer = state;
    this.record?.push({ side: 'peer', input, effects: structuredClone(effects) });
    const created = input.kind === 'appExecute' ? txKey(input.channelId, input.txid) : undefined;
    for (const e of effects) {
      switch (e.kind) {
        case 'send':
          this.send(w.toCc, e.message);
          break;
        case 'closeStream':
          this.close('peer', e.reason);
          break;
        case 'startTimer':
          if (w.timers.some((t) => t.id === e.timerId)) this.fail('timers-balanced', `timer ${e.timerId} started twice`);
          w.timers.push({ id: e.timerId, kind: e.timer === 'keepalive' ? 'keepalive' : (created ?? '?') });
          break;
        case 'cancelTimer': {
          const i = w.timers.findIndex((t) => t.id === e.timerId);
          if (i < 0) this.fail('timers-balanced', `cancel of timer ${e.timerId}, which is not armed`);
          else w.timers.splice(i, 1);
          break;
        }
        case 'serveRequest': {
          const key = txKey(e.request.channelId, e.request.txid);
          if (txGet(before, e.request.channelId, e.request.txid) === undefined) this.fail('one-request-per-tx', `serveRequest for ${key}, which the peer does not run`);
          if (w.peerOut.includes(key)) this.fail('one-request-per-tx', `peer: a second request served for ${key}`);
          w.peerOut.push(key);
          w.serves.push({ serveId: e.serveId, channelId: e.request.channelId, txid: e.request.txid, key });
          break;
        }
        case 'settleExecute': {
          const x = w.executes.find((y) => y.executeId === e.executeId);
          if (!x) this.fail('execute-settles-once', `settle of unknown execute ${e.executeId}`);
          else if (++x.settled > 1) this.fail('execute-settles-once', `execute ${e.executeId} settled ${x.settled} times`);
          const why = settleAllowed(input, e, txGet(w.peer.txs, e.channelId, e.txid)?.timerId ?? txGet(before, e.channelId, e.txid)?.timerId);
          if (why) this.fail('settle-when-allowed', `execute ${e.executeId} settled ${e.outcome.ok ? 'ok' : e.outcome.failure} on ${why}`);
          remove(w.peerOut, txKey(e.channelId, e.txid));
          break;
        }
        case 'register':
          this.queue.push(['peer', { kind: 'registryVerdict', accepted: true, now: NOW }]);
          break;
        case 'handlerReady':
          w.ready = true;
          break;
        case 'violation':
          this.violation(e.violation);
          break;
      }
    }
  }

  private stepChaincode(input: ChaincodeCoreInput): void {
    const w = this.w;
    if (input.kind === 'transportClosed') w.ccClosed = true;
    const before = w.cc.txs;
    const { state, effects } = this.steppers.chaincode(this.steppers.keepInput ? w.cc : copyCore(w.cc), input);
    w.cc = state;
    this.record?.push({ side: 'chaincode', input, effects: structuredClone(effects) });
    for (const e of effects) {
      switch (e.kind) {
        case 'send': {
          const m = e.message;
          if (isRequestType(m.type)) {
            const key = txKey(m.channelId, m.txid);
            if (txGet(before, m.channelId, m.txid) === undefined) this.fail('one-request-per-tx', `chaincode: request for ${key}, which it does not run`);
            if (w.ccOut.includes(key)) this.fail('one-request-per-tx', `chaincode: a second request in flight for ${key}`);
            w.ccOut.push(key);
          }
          this.send(w.toPeer, m);
          break;
        }
        case 'closeStream':
          this.close('chaincode', e.reason);
          break;
        case 'runChaincode': {
          const key = txKey(e.channelId, e.txid);
          w.apps.push({ key, channelId: e.channelId, txid: e.txid, step: 0, waiting: null, errored: false });
          break;
        }
        case 'settleRequest': {
          const i = w.requests.findIndex((x) => x.requestId === e.requestId);
          if (i < 0) this.fail('request-settles-once', `settle of request ${e.requestId}, which is not pending`);
          else w.requests.splice(i, 1);
          remove(w.ccOut, txKey(e.channelId, e.txid));
          if (e.outcome.ok && !(input.kind === 'recv' && input.message.type === 'RESPONSE' && input.message.txid === e.txid && input.message.channelId === e.channelId)) {
            this.fail('settle-when-allowed', `stub request ${e.requestId} settled ok on ${describeInput(input)}, not on its RESPONSE`);
          }
          const a = w.apps.find((x) => x.waiting === e.requestId);
          if (a) {
            a.waiting = null;
            if (!e.outcome.ok) a.errored = true;
          }
          break;
        }
        case 'txEnded': {
          const key = txKey(e.channelId, e.txid);
          w.apps = w.apps.filter((x) => x.key !== key);
          remove(w.ccOut, key);
          break;
        }
        case 'startTimer':
        case 'cancelTimer':
          this.fail('timers-balanced', `chaincode core asked for a timer (${e.kind}), which it never should`);
          break;
        case 'violation':
          this.violation(e.violation);
          break;
        case 'ready':
        case 'handshakeFailed':
        case 'startRefused':
          break;
      }
    }
  }

  private send(fifo: Item[], m: Message): void {
    if (!this.w.ended) fifo.push(messageItem(m));
  }

  private close(side: 'peer' | 'chaincode', reason: string): void {
    const w = this.w;
    if (!w.ended) {
      w.ended = true;
      // What was in flight towards the closing side is lost; the other side gets the rest, then EOF.
      if (side === 'peer') {
        w.toPeer = [];
        w.toCc.push(closeItem(reason));
      } else {
        w.toCc = [];
        w.toPeer.push(closeItem(reason));
      }
    } else if (side === 'peer') w.toPeer = [];
    else w.toCc = [];
    if (side === 'peer' && !w.peerClosed) {
      w.peerClosed = true;
      this.queue.push(['peer', { kind: 'transportClosed', reason: 'closed', now: NOW }]);
    }
    if (side === 'chaincode' && !w.ccClosed) {
      w.ccClosed = true;
      this.queue.push(['chaincode', { kind: 'transportClosed', reason: 'closed', now: NOW }]);
    }
  }
}

function describeInput(input: PeerCoreInput | ChaincodeCoreInput): string {
  return input.kind === 'recv' ? `recv ${input.message.type}(${input.message.txid})` : input.kind;
}

/**
 * An execute settles only when its transaction's messages allow: ok or chaincodeError on its
 * COMPLETED / ERROR, timeout on its own timer, streamTerminated on the stream's end. Returns what
 * was wrong, or undefined.
 */
function settleAllowed(input: PeerCoreInput, e: SettleExecuteEffect, timerId: string | undefined): string | undefined {
  const own = (type: string) => input.kind === 'recv' && input.message.type === type && input.message.txid === e.txid && input.message.channelId === e.channelId;
  const o = e.outcome;
  const allowed = o.ok
    ? own('COMPLETED')
    : o.failure === 'chaincodeError'
      ? own('ERROR')
      : o.failure === 'timeout'
        ? input.kind === 'timerFired' && input.timerId === timerId
        : o.failure === 'streamTerminated'
          ? input.kind === 'transportClosed' || input.kind === 'appShutdown' || (input.kind === 'recv' && !own('COMPLETED') && !own('ERROR'))
          : true;
  return allowed ? undefined : describeInput(input);
}

