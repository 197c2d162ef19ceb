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
 *     persist it (`JSON.stringify`) or `structuredClone` it first.
 *
 * Total: every input in every state produces a transition or a named violation; nothing throws.
 * Deterministic: no clock, no randomness, no I/O; the same inputs give the same effects.
 */
import type { PeerEffect } from '../../protocol/effects.js';
import type { PeerCoreInput } from '../../protocol/inputs.js';
import type { PeerHandlerState } from '../../protocol/table.js';
import type { PeerHandlerAction } from '../../../machines/index.js';
import { checkActions, stepChart, type CompiledTransition } from '../chartCompiler.js';
import { peerHandlerChart, peerTxChart } from '../compiledCharts.js';
import { sharedEvent, type CoreEvent } from '../event.js';
import { emitViolation, unhandledEvent } from '../violation.js';
import type { PeerStep } from './context.js';
import { peerHandlerActions } from './handlerActions.js';
import type { PeerCoreState } from './state.js';
import { peerTxActions } from './txActions.js';

// Every action the charts name has an implementation, and every implementation is named.
checkActions(peerHandlerChart as never, peerHandlerActions);
checkActions(peerTxChart as never, peerTxActions);

export interface PeerStepResult {
  state: PeerCoreState;
  effects: PeerEffect[];
}

function toEvent(state: PeerCoreState, input: PeerCoreInput): CoreEvent | undefined {
  switch (input.kind) {
    case 'recv':
    case 'recvMalformed':
    case 'transportClosed':
    case 'appShutdown':
      return sharedEvent(input);
    case 'registryVerdict':
      return { type: 'registry.verdict', accepted: input.accepted, input };
    case 'appExecute':
      return { type: 'app.execute', input };
    case 'serveResult':
      return { type: 'serve.result', accepted: input.result.ok, input };
    case 'timerFired': {
      const owner = state.timers[input.timerId];
      // A timer that was cancelled (or already fired) is stale: nothing to do.
      if (owner === undefined) return undefined;
      return { type: owner === 'keepalive' ? 'timer.keepalive' : 'timer.executeTimeout', input };
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
  if (!event) return { state, effects };
  const from = state.handler.value;
  const names: string[] = [];
  const next = stepChart(peerHandlerChart, from, state.handler.context, event, names, onTaken);
  const step: PeerStep = { state, event, input, effects, from, now: input.now, onTaken };
  if (!next) {
    emitViolation(effects, unhandledEvent('peer', from, event.type));
    return { state, effects };
  }
  state.handler.value = next.value as PeerHandlerState;
  state.handler.context = next.context;
  for (const name of names) peerHandlerActions[name as PeerHandlerAction](step);
  return { state, effects };
}
