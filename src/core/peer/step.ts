/**
 * The peer side's pure step: `stepPeer(state, input) -> { state, effects }`.
 *
 * Drive-loop contract (for adapters; see docs/architecture.md):
 *  1. Feed one input at a time, per connection, with a non-decreasing `now`.
 *  2. Execute the returned effects in order before feeding the next input (sends go out in order;
 *     `closeStream` comes after the sends that precede it).
 *  3. Answer each `register` with `registryVerdict`, each `serveRequest` with `serveResult`, and
 *     fire each `startTimer` (unless cancelled) with `timerFired`.
 *  4. `step` takes ownership of `state` and returns the next one (possibly the same object,
 *     updated in place for speed); keep no other reference to the old one. To keep a snapshot,
 *     persist it (`persistState`) or `structuredClone` it first.
 *
 * Total: every input in every state produces a transition or a named violation; nothing throws.
 * Deterministic: no clock, no randomness, no I/O; the same inputs give the same effects.
 */
import type { PeerEffect } from '../../protocol/effects.js';
import type { PeerCoreInput } from '../../protocol/inputs.js';
import type { PeerHandlerState } from '../../protocol/table.js';
import { bindActions, boundRun, stepChart, type CompiledTransition } from '../chartCompiler.js';
import { peerHandlerChart, peerTxChart } from '../compiledCharts.js';
import { coreEvent, sharedEvent, withRoute, type CoreEvent } from '../event.js';
import { isRequestType, type MessageTypeName } from '../../protocol/messageType.js';
import { parseTxKey, type TxKey } from '../../protocol/txKey.js';
import { txGet } from '../txTable.js';
import { emitViolation, unhandledEvent } from '../violation.js';
import type { PeerStep } from './context.js';
import { peerHandlerActions } from './handlerActions.js';
import type { PeerCoreState } from './state.js';
import { peerTxActions } from './txActions.js';

// Every action the charts name has an implementation, and every implementation is named.
bindActions(peerHandlerChart as never, peerHandlerActions);
bindActions(peerTxChart as never, peerTxActions);

export interface PeerStepResult {
  state: PeerCoreState;
  effects: PeerEffect[];
}

/** Messages the handler routes by (channel, txid) in `ready`: the shim's requests and final replies. */
function isRouted(type: MessageTypeName): boolean {
  return type === 'COMPLETED' || type === 'ERROR' || isRequestType(type);
}

/** The chart event for an input, with `route` looked up for the events the handler routes. */
function toEvent(state: PeerCoreState, input: PeerCoreInput): CoreEvent {
  switch (input.kind) {
    case 'recv': {
      const event = sharedEvent(input)!;
      if (isRouted(input.message.type)) withRoute(state.txs, state.finished, event, input.message.channelId, input.message.txid);
      return event;
    }
    case 'recvMalformed': {
      const event = sharedEvent(input)!;
      if (input.malformed.scope === 'payload') withRoute(state.txs, state.finished, event, input.malformed.channelId, input.malformed.txid);
      return event;
    }
    case 'transportClosed':
    case 'appShutdown':
      return sharedEvent(input)!;
    case 'registryVerdict': {
      const event = coreEvent('registry.verdict', input);
      event.accepted = input.accepted;
      return event;
    }
    case 'appExecute':
      return withRoute(state.txs, state.finished, coreEvent('app.execute', input), input.channelId, input.txid);
    case 'serveResult': {
      // A result answers the request its transaction is being served with (same serveId); or the
      // request outlived its transaction (state.orphans: the execute timed out while it was
      // served), and Fabric still sends the answer; or it is stale (the stream ended, or the drive
      // answered twice): a race with the server, not a protocol event.
      const rec = txGet(state.txs, input.channelId, input.txid);
      const current = rec !== undefined && rec.pending !== null && rec.serveId === input.serveId;
      const route = current ? 'running' : state.orphans[input.serveId] !== undefined ? 'finished' : 'stale';
      const event = coreEvent('serve.result', input);
      event.accepted = input.result.ok;
      event.running = current ? rec : undefined;
      event.route = route;
      return event;
    }
    case 'timerFired': {
      const owner = state.timers.get(input.timerId);
      // Cancelled (or already fired): the core no longer owns it.
      if (owner === undefined) return coreEvent('timer.stale', input);
      if (owner === 'keepalive') return coreEvent('timer.keepalive', input);
      // An execute timer is owned only while its transaction runs (endTransaction drops it).
      const { channelId, txid } = parseTxKey(owner as TxKey);
      const event = coreEvent('timer.executeTimeout', input);
      event.running = txGet(state.txs, channelId, txid);
      event.route = 'running';
      return event;
    }
  }
}

export function stepPeer(
  state: PeerCoreState,
  input: PeerCoreInput,
  onTaken?: (t: CompiledTransition) => void,
): PeerStepResult {
  const effects: PeerEffect[] = [];
  const event = toEvent(state, input);
  const from = state.handler.value;
  const next = stepChart(peerHandlerChart, from, state.handler.context, event, onTaken);
  const step: PeerStep = { state, event, input, effects, from, now: input.now, onTaken };
  if (!next) {
    emitViolation(effects, unhandledEvent('peer', from, event.type));
    return { state, effects };
  }
  state.handler.value = next.value as PeerHandlerState;
  state.handler.context = next.context;
  for (const fn of boundRun<(step: PeerStep) => void>(next)) fn(step);
  return { state, effects };
}
