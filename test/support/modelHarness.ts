/**
 * Both cores wired through an adversarial in-memory network, fully synchronous and simulated in
 * time, for fast-check model runs. Every effect is checked against the protocol invariants as it
 * happens; `finish()` closes everything and checks what must hold at the end.
 */
import { expect } from 'vitest';
import {
  createChaincodeState,
  createPeerState,
  stepChaincode,
  stepPeer,
  type ChaincodeCoreState,
  type PeerCoreState,
  txGet,
  txRecords,
} from '../../src/core/index.js';
import { persistState, restoreState } from '../../src/core/persist.js';
import type { ChaincodeEffect, PeerEffect } from '../../src/protocol/effects.js';
import type { ChaincodeCoreInput, PeerCoreInput, RequestMessage } from '../../src/protocol/inputs.js';
import type { Message } from '../../src/protocol/messages.js';
import { isRequestType } from '../../src/protocol/messageType.js';
import { txKey } from '../../src/protocol/txKey.js';

export interface HarnessOptions {
  keepaliveMs?: number;
  /** JSON round-trip both states before every step (persistence test). */
  persistEveryStep?: boolean;
  refuseRegistration?: boolean;
  /** Complete REGISTER / REGISTERED / READY before the run starts. */
  handshake?: boolean;
}

export class Harness {
  peer: PeerCoreState;
  cc: ChaincodeCoreState;
  now = 0;
  toCc: Message[] = [];
  toPeer: Message[] = [];
  /** Live timers: id -> deadline. */
  timers = new Map<string, number>();
  doneTimers = new Set<string>();
  /** Peer serveRequest effects not yet answered. */
  serves: { serveId: number; request: RequestMessage }[] = [];
  /** Chaincode transactions the "app" is running. */
  running: { channelId: string; txid: string }[] = [];
  executes = new Map<number, number>();
  requests = new Map<number, number>();
  /** Peer: tx keys with a request being served. */
  peerOutstanding = new Set<string>();
  /** Chaincode: tx keys with a request in flight. */
  ccOutstanding = new Set<string>();
  /** Everything that happened, for comparing runs. */
  log: unknown[] = [];
  private nextExecute = 1;
  private nextRequest = 1;
  private pendingPeer: PeerCoreInput[] = [];
  private streamOpen = true;

  constructor(private readonly opts: HarnessOptions = {}) {
    this.peer = createPeerState({ keepaliveMs: opts.keepaliveMs ?? 0, finishedMemory: 8 });
    this.cc = createChaincodeState({ finishedMemory: 8 });
    this.chaincodeInput({ kind: 'appStart', chaincodeName: 'mycc:1.0', startId: 1, now: this.now });
    if (opts.handshake) for (let i = 0; i < 3; i++) this.deliverToPeer(0), this.deliverToChaincode(0);
  }

  // ---- stepping with invariant checks ----

  private peerBusy = false;

  peerInput(input: PeerCoreInput): void {
    this.pendingPeer.push(input);
    if (this.peerBusy) return;
    this.peerBusy = true;
    try {
      for (let i = this.pendingPeer.shift(); i; i = this.pendingPeer.shift()) this.stepPeerOnce(i);
    } finally {
      this.peerBusy = false;
    }
  }

  private stepPeerOnce(input: PeerCoreInput): void {
    if (this.opts.persistEveryStep) this.peer = roundTrip(this.peer);
    const liveBefore = new Set(txRecords(this.peer.txs).map((r) => txKey(r.channelId, r.txid)));
    const { state, effects } = stepPeer(this.peer, input);
    this.peer = state;
    const created = input.kind === 'appExecute' ? txKey(input.channelId, input.txid) : undefined;
    this.log.push(['peer', input, effects]);
    for (const e of effects) this.onPeerEffect(e, liveBefore, created);
  }

  chaincodeInput(input: ChaincodeCoreInput): void {
    if (this.opts.persistEveryStep) this.cc = roundTrip(this.cc);
    const liveBefore = new Set(txRecords(this.cc.txs).map((r) => txKey(r.channelId, r.txid)));
    const { state, effects } = stepChaincode(this.cc, input);
    this.cc = state;
    const created =
      input.kind === 'recv' && (input.message.type === 'INIT' || input.message.type === 'TRANSACTION')
        ? txKey(input.message.channelId, input.message.txid)
        : undefined;
    this.log.push(['cc', input, effects]);
    for (const e of effects) this.onChaincodeEffect(e, liveBefore, created);
  }

  private onPeerEffect(e: PeerEffect, liveBefore: Set<string>, created: string | undefined): void {
    switch (e.kind) {
      case 'send':
        if (this.streamOpen) this.toCc.push(e.message);
        return;
      case 'closeStream':
        this.closeStream();
        return;
      case 'startTimer':
        expect(this.timers.has(e.timerId) || this.doneTimers.has(e.timerId), `timer id ${e.timerId} reused`).toBe(false);
        this.timers.set(e.timerId, e.deadline);
        return;
      case 'cancelTimer':
        expect(this.timers.has(e.timerId), `cancel of a timer that is not armed: ${e.timerId}`).toBe(true);
        this.timers.delete(e.timerId);
        this.doneTimers.add(e.timerId);
        return;
      case 'serveRequest': {
        const key = txKey(e.request.channelId, e.request.txid);
        expect(liveBefore.has(key), `serveRequest for an unknown tx ${key}`).toBe(true);
        expect(this.peerOutstanding.has(key), `two outstanding requests for ${key}`).toBe(false);
        this.peerOutstanding.add(key);
        this.serves.push({ serveId: e.serveId, request: e.request });
        return;
      }
      case 'settleExecute': {
        const n = this.executes.get(e.executeId);
        expect(n, `settle of an unknown execute ${e.executeId}`).toBe(0);
        this.executes.set(e.executeId, 1);
        const key = txKey(e.channelId, e.txid);
        if (e.outcome.ok || e.outcome.failure !== 'refused') {
          expect(liveBefore.has(key) || key === created, `settle for an unknown tx ${key}`).toBe(true);
          this.peerOutstanding.delete(key);
        }
        return;
      }
      case 'register':
        this.pendingPeer.push(
          this.opts.refuseRegistration
            ? { kind: 'registryVerdict', accepted: false, reason: 'duplicate chaincodeID: mycc:1.0', now: this.now }
            : { kind: 'registryVerdict', accepted: true, now: this.now },
        );
        return;
      case 'handlerReady':
      case 'violation':
        return;
    }
  }

  private onChaincodeEffect(e: ChaincodeEffect, liveBefore: Set<string>, created: string | undefined): void {
    switch (e.kind) {
      case 'send': {
        const m = e.message;
        if (isRequestType(m.type)) {
          const key = txKey(m.channelId, m.txid);
          expect(liveBefore.has(key), `request sent for an unknown tx ${key}`).toBe(true);
          expect(this.ccOutstanding.has(key), `two requests in flight for ${key}`).toBe(false);
          this.ccOutstanding.add(key);
        }
        if (this.streamOpen) this.toPeer.push(m);
        return;
      }
      case 'closeStream':
        this.closeStream();
        return;
      case 'runChaincode':
        expect(txKey(e.channelId, e.txid)).toBe(created);
        this.running.push({ channelId: e.channelId, txid: e.txid });
        return;
      case 'settleRequest': {
        expect(this.requests.get(e.requestId), `settle of request ${e.requestId}`).toBe(0);
        this.requests.set(e.requestId, 1);
        this.ccOutstanding.delete(txKey(e.channelId, e.txid));
        return;
      }
      case 'txEnded': {
        const key = txKey(e.channelId, e.txid);
        expect(liveBefore.has(key) || key === created).toBe(true);
        this.running = this.running.filter((r) => txKey(r.channelId, r.txid) !== key);
        this.ccOutstanding.delete(key);
        return;
      }
      case 'startTimer':
      case 'cancelTimer':
      case 'ready':
      case 'handshakeFailed':
      case 'violation':
        return;
    }
  }

  private closeStream(): void {
    if (!this.streamOpen) return;
    this.streamOpen = false;
    this.toCc = [];
    this.toPeer = [];
    this.chaincodeInput({ kind: 'transportClosed', reason: 'closed', now: this.now });
    this.peerInput({ kind: 'transportClosed', reason: 'closed', now: this.now });
  }

  // ---- commands ----

  execute(channelId: string, txid: string, timeoutMs: number): void {
    const executeId = this.nextExecute++;
    this.executes.set(executeId, 0);
    this.peerInput({
      kind: 'appExecute',
      executeId,
      channelId,
      txid,
      txType: txid.endsWith('i') ? 'INIT' : 'TRANSACTION',
      input: { args: [], decorations: {}, isInit: false },
      proposal: undefined,
      timeoutMs,
      now: this.now,
    });
  }
  deliverToChaincode(index: number, keep = false): void {
    if (!this.toCc.length) return;
    const i = index % this.toCc.length;
    const m = this.toCc[i]!;
    if (!keep) this.toCc.splice(i, 1);
    this.chaincodeInput({ kind: 'recv', message: m, now: this.now });
  }
  deliverToPeer(index: number, keep = false): void {
    if (!this.toPeer.length) return;
    const i = index % this.toPeer.length;
    const m = this.toPeer[i]!;
    if (!keep) this.toPeer.splice(i, 1);
    this.peerInput({ kind: 'recv', message: m, now: this.now });
  }
  serve(index: number, ok: boolean): void {
    if (!this.serves.length) return;
    const [{ serveId, request: r }] = this.serves.splice(index % this.serves.length, 1) as [{ serveId: number; request: RequestMessage }];
    if (txGet(this.peer.txs, r.channelId, r.txid)?.serveId === serveId) this.peerOutstanding.delete(txKey(r.channelId, r.txid));
    this.peerInput({
      kind: 'serveResult',
      serveId,
      channelId: r.channelId,
      txid: r.txid,
      result: ok ? { ok: true, payload: new Uint8Array([1, 2]) } : { ok: false, cause: 'ledger says no' },
      now: this.now,
    });
  }
  appRequest(index: number, message: RequestMessage): void {
    const r = this.running.length ? this.running[index % this.running.length]! : { channelId: 'ch1', txid: 'zz' };
    const requestId = this.nextRequest++;
    this.requests.set(requestId, 0);
    this.chaincodeInput({ kind: 'appRequest', requestId, message: { ...message, channelId: r.channelId, txid: r.txid } as RequestMessage, now: this.now });
  }
  appFinish(index: number, how: 'result' | 'failed', status: number): void {
    const r = this.running.length ? this.running[index % this.running.length]! : { channelId: 'ch1', txid: 'zz' };
    if (how === 'result') {
      this.chaincodeInput({ kind: 'appResult', ...r, response: { status, message: '', payload: new Uint8Array() }, event: undefined, now: this.now });
    } else {
      this.chaincodeInput({ kind: 'appFailed', ...r, message: 'chaincode threw', now: this.now });
    }
  }
  fireNextTimer(): void {
    let first: [string, number] | undefined;
    for (const t of this.timers) if (!first || t[1] < first[1]) first = t;
    if (!first) return;
    this.now = Math.max(this.now, first[1]);
    this.timers.delete(first[0]);
    this.doneTimers.add(first[0]);
    this.peerInput({ kind: 'timerFired', timerId: first[0], now: this.now });
  }
  fireStaleTimer(index: number): void {
    const done = [...this.doneTimers];
    this.peerInput({ kind: 'timerFired', timerId: done.length ? done[index % done.length]! : 't0', now: this.now });
  }
  drop(): void {
    this.closeStream();
  }

  /** Close everything, fire what is left, and check the end-of-run invariants. */
  finish(): void {
    this.drop();
    for (let guard = 0; this.timers.size && guard < 1000; guard++) this.fireNextTimer();
    for (const [id, n] of this.executes) expect(n, `execute ${id} settled exactly once`).toBe(1);
    for (const [id, n] of this.requests) expect(n, `request ${id} settled exactly once`).toBe(1);
    expect([...this.timers.keys()], 'every started timer fired or cancelled').toEqual([]);
    expect(txRecords(this.peer.txs)).toEqual([]);
    expect(txRecords(this.cc.txs)).toEqual([]);
    expect(['closed', 'failed']).toContain(this.peer.handler.value);
    expect(['closed', 'failed']).toContain(this.cc.handler.value);
  }
}

/** Persist and restore a core state (persistState / restoreState), as an embedder would. */
function roundTrip<S extends PeerCoreState | ChaincodeCoreState>(state: S): S {
  const back = restoreState(persistState(state));
  if (!back.ok) throw new Error(back.reason);
  return back.state as S;
}
