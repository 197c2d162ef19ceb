/**
 * Watches one peer ⇄ chaincode stream from outside and checks it against both charts: a peer core
 * and a chaincode core follow the session as it happens (no I/O, no clock: the caller feeds each
 * message with its time). For every message:
 *
 *  - the **receiving** core gets it as `recv` (or `recvMalformed`); its violations are findings,
 *    blamed on the sender where the core says `remote`;
 *  - the **sending** core is asked whether it could have sent it: the message is paid off against
 *    what the core owes (its own earlier `send` effects: READY after REGISTERED, ERROR replies), or
 *    translated into the command that makes the core send it (a TRANSACTION is an `appExecute`, a
 *    RESPONSE the `serveResult` of the request being served, a GET_STATE an `appRequest`, a
 *    COMPLETED an `appResult` …). When the sender's chart does not produce it, that is a finding
 *    blamed on the sender (`UNEXPLAINED_SEND`), unless the receiver already named the message.
 *
 * Timers never fire in an observer: a real peer's execute timeout is invisible on the wire (the
 * peer sends nothing), and its later answers are explained as served requests. Both cores run with
 * their defaults (no keepalive timer, no READY capabilities): a KEEPALIVE from either side is
 * always allowed (fabric handler.go handleMessage ignores it in every state; the peer sends one per
 * `chaincode.keepalive`).
 */
import { createChaincodeState, stepChaincode, stepPeer, createPeerState, txGet, type ChaincodeCoreState, type ChaincodeTxRecord, type PeerCoreState, type PeerTxRecord } from '../core/index.js';
import type { ChaincodeEffect, PeerEffect } from '../protocol/effects.js';
import type { ChaincodeCoreInput, PeerCoreInput, RequestMessage } from '../protocol/inputs.js';
import { errorText, type Malformed, type Message } from '../protocol/messages.js';
import { isRequestType } from '../protocol/messageType.js';
import { txKey, type TxKey } from '../protocol/txKey.js';
import type { Side } from '../protocol/violations.js';
import { fromViolation, ruleOf, type Finding, type ObserverCode } from './findings.js';
import { Owed } from './owed.js';

export interface TxSnapshot {
  channelId: string;
  txid: string;
  state: string;
}

/**
 * A side's charts after a step: the handler state and the state of the transaction the message
 * names, when that side runs it (so `txs` has at most one entry; a trace line stays the same size
 * however many transactions run at once).
 */
export interface ChartSnapshot {
  handler: string;
  txs: TxSnapshot[];
}

export interface Observation {
  findings: Finding[];
  peer: ChartSnapshot;
  chaincode: ChartSnapshot;
}

/** What the side that sent a message did to produce it, in the observers' terms. */
type Sent = { from: Side; message: Message };

export class StreamObserver {
  private peer: PeerCoreState = createPeerState();
  private cc: ChaincodeCoreState = createChaincodeState();
  private readonly peerOwes = new Owed();
  private readonly ccOwes = new Owed();
  /** The serve id of the request the peer serves, per transaction (from `serveRequest`). */
  private readonly serving = new Map<TxKey, number>();
  private nextId = 1;
  private ended = false;

  /** A decoded message `from` one side to the other, at time `now` (ms). */
  message(from: Side, message: Message, now: number): Observation {
    // The registry's refusal of a REGISTER is an ERROR the chaincode's chart takes for an
    // unexpected message (as the Go shim's handleCreated does): the end of the handshake, but no
    // fault of the peer's.
    const refusal = from === 'peer' && message.type === 'ERROR' && message.txid === '' && this.peer.handler.value === 'registering';
    const sender = this.explainSend({ from, message }, now);
    let receiver = this.receive(from === 'peer' ? 'chaincode' : 'peer', { kind: 'recv', message, now });
    if (refusal) receiver = receiver.filter((f) => f.code !== 'UNEXPECTED_MESSAGE');
    // When the receiver names the message, that is the finding (what the counterpart sees); the
    // sender's own core would only say the same from its side. A receiver that only says the
    // message names a transaction it does not run cannot tell whether the sender was allowed to
    // send it (an owed ERROR answering a request for such a transaction is): then the sender's
    // own verdict stands beside it.
    const named = receiver.some((f) => f.blame === from && f.code !== 'UNKNOWN_TX' && f.code !== 'TX_FINISHED');
    return this.observation(named ? [...sender.filter((f) => f.code === 'OUT_OF_ORDER_SEND'), ...receiver] : [...sender, ...receiver], message);
  }

  /** A frame `from` one side that does not decode (the receiver names it). */
  malformed(from: Side, malformed: Malformed, now: number): Observation {
    return this.observation(this.receive(from === 'peer' ? 'chaincode' : 'peer', { kind: 'recvMalformed', malformed, now }), malformed);
  }

  /** The stream ended (either way): both cores settle what they still hold. */
  end(reason: string, now: number): Observation {
    if (this.ended) return this.observation([]);
    this.ended = true;
    const input = { kind: 'transportClosed' as const, reason, now };
    const findings = [...this.stepPeer(input), ...this.stepCc(input)];
    this.peerOwes.clear();
    this.ccOwes.clear();
    return this.observation(findings);
  }

  /** Both sides' charts now, with the state of transaction (channelId, txid) where it runs. */
  snapshot(tx?: { channelId: string; txid: string }): { peer: ChartSnapshot; chaincode: ChartSnapshot } {
    return { peer: chartsOf(this.peer, tx), chaincode: chartsOf(this.cc, tx) };
  }

  private observation(findings: Finding[], tx?: { channelId: string; txid: string }): Observation {
    return { findings, ...this.snapshot(tx) };
  }

  private receive(side: Side, input: PeerCoreInput & ChaincodeCoreInput): Finding[] {
    return side === 'peer' ? this.stepPeer(input) : this.stepCc(input);
  }

  // ---- the sender's side --------------------------------------------------------------------

  private explainSend(sent: Sent, now: number): Finding[] {
    const { from, message: m } = sent;
    const owes = from === 'peer' ? this.peerOwes : this.ccOwes;
    const findings: Finding[] = [];
    const first = owes.firstStreamLevel();
    if (first && !(first.type === m.type && m.txid === '' && m.channelId === '')) {
      findings.push(this.observerFinding(from, 'OUT_OF_ORDER_SEND', m, `${first.type} first`));
    }
    if (owes.payOff(m)) return findings;
    if (m.type === 'KEEPALIVE') return findings;
    const input = from === 'peer' ? this.peerCommandFor(m, now) : this.chaincodeCommandFor(m, now);
    if (input === 'answer') return findings;
    if (!input) {
      findings.push(this.observerFinding(from, 'UNEXPLAINED_SEND', m, `no command of the ${from}'s chart sends ${m.type} in its state`));
      return findings;
    }
    const own = from === 'peer' ? this.stepPeer(input as PeerCoreInput) : this.stepCc(input as ChaincodeCoreInput);
    findings.push(...own);
    if (!owes.payOff(m) && own.length === 0) {
      findings.push(this.observerFinding(from, 'UNEXPLAINED_SEND', m, `the ${from}'s chart does not send ${m.type} on ${input.kind} in its state`));
    }
    return findings;
  }

  /** The peer-side command that makes the peer core send `m`, if there is one. */
  private peerCommandFor(m: Message, now: number): PeerCoreInput | undefined {
    const registering = this.peer.handler.value === 'registering';
    switch (m.type) {
      case 'REGISTERED':
        return registering ? { kind: 'registryVerdict', accepted: true, now } : undefined;
      case 'INIT':
      case 'TRANSACTION':
        return {
          kind: 'appExecute',
          executeId: this.nextId++,
          channelId: m.channelId,
          txid: m.txid,
          txType: m.type,
          input: m.payload,
          proposal: m.proposal,
          // Never fires: see the module comment.
          timeoutMs: Number.MAX_SAFE_INTEGER,
          now,
        };
      case 'RESPONSE':
      case 'ERROR': {
        if (m.type === 'ERROR' && registering && m.txid === '') return { kind: 'registryVerdict', accepted: false, reason: errorText(m.payload), now };
        const key = txKey(m.channelId, m.txid);
        const serveId = this.serving.get(key);
        if (serveId === undefined) return undefined;
        this.serving.delete(key);
        const result = m.type === 'RESPONSE' ? { ok: true as const, payload: m.payload } : { ok: false as const, cause: errorText(m.payload) };
        return { kind: 'serveResult', serveId, channelId: m.channelId, txid: m.txid, result, now };
      }
      default:
        return undefined;
    }
  }

  /** The chaincode-side command that makes the chaincode core send `m`, if there is one. */
  private chaincodeCommandFor(m: Message, now: number): ChaincodeCoreInput | 'answer' | undefined {
    if (isRequestType(m.type)) return { kind: 'appRequest', requestId: this.nextId++, message: m as RequestMessage, now };
    switch (m.type) {
      case 'REGISTER':
        return { kind: 'appStart', chaincodeName: m.payload.name, startId: this.nextId++, now };
      case 'COMPLETED':
        return { kind: 'appResult', channelId: m.channelId, txid: m.txid, response: m.payload, event: m.chaincodeEvent, now };
      case 'ERROR':
        // An ERROR naming a transaction the chaincode does not run answers a message it could not
        // place (fabric-chaincode-go shim/handler.go handleMessage: ERROR with the offending txid,
        // then the end of the stream; the Java shim sends it and goes on): allowed, no command.
        if (txGet(this.cc.txs, m.channelId, m.txid) === undefined) return 'answer';
        return { kind: 'appFailed', channelId: m.channelId, txid: m.txid, message: errorText(m.payload), event: m.chaincodeEvent, now };
      default:
        return undefined;
    }
  }

  private observerFinding(from: Side, code: ObserverCode, m: Message, expected: string): Finding {
    const core = from === 'peer' ? this.peer : this.cc;
    return {
      code,
      blame: from,
      foundBy: from,
      state: core.handler.value,
      got: `send.${m.type}`,
      expected,
      channelId: m.channelId,
      txid: m.txid,
      rule: ruleOf(code, from),
    };
  }

  // ---- stepping the cores --------------------------------------------------------------------

  private stepPeer(input: PeerCoreInput): Finding[] {
    const { state, effects } = stepPeer(this.peer, input);
    this.peer = state;
    return this.absorb(effects, this.peerOwes, (e) => {
      if (e.kind === 'serveRequest') this.serving.set(txKey(e.request.channelId, e.request.txid), e.serveId);
    });
  }

  private stepCc(input: ChaincodeCoreInput): Finding[] {
    const { state, effects } = stepChaincode(this.cc, input);
    this.cc = state;
    // A request the chaincode sent while another of its transaction was unanswered: the core holds
    // it (to send it later, as fabric-shim queues), but it is already on the wire. Drop it from the
    // core, or the core would owe it a second time; the peer's core names the concurrency.
    if (input.kind === 'appRequest') {
      const rec = txGet(this.cc.txs, input.message.channelId, input.message.txid);
      if (rec && rec.held.length > 0) {
        rec.held = rec.held.filter((h) => h.requestId !== input.requestId);
        rec.context = { ...rec.context, held: rec.held.length };
      }
    }
    return this.absorb(effects, this.ccOwes);
  }

  private absorb(effects: (PeerEffect | ChaincodeEffect)[], owes: Owed, also?: (e: PeerEffect) => void): Finding[] {
    const findings: Finding[] = [];
    for (const e of effects) {
      if (e.kind === 'violation') findings.push(fromViolation(e.violation));
      // A KEEPALIVE echo is not owed: fabric-shim and the Java shim do not echo (the Go shim does).
      else if (e.kind === 'send' && e.message.type !== 'KEEPALIVE') owes.add(e.message);
      else also?.(e as PeerEffect);
    }
    return findings;
  }
}

function chartsOf(core: PeerCoreState | ChaincodeCoreState, tx: { channelId: string; txid: string } | undefined): ChartSnapshot {
  const rec = tx && tx.txid !== '' ? txGet<PeerTxRecord | ChaincodeTxRecord>(core.txs, tx.channelId, tx.txid) : undefined;
  return { handler: core.handler.value, txs: rec ? [{ channelId: rec.channelId, txid: rec.txid, state: rec.value }] : [] };
}
