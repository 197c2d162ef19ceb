/**
 * The chaincode side's pure step: `stepChaincode(state, input) -> { state, effects }`.
 * Same drive-loop contract as the peer side (src/core/peer/step.ts): one input at a time, effects
 * executed in order, `step` owns `state`. Answer `runChaincode` with `appResult`/`appFailed`; every
 * `appRequest` gets exactly one `settleRequest`.
 */
import type { ChaincodeEffect } from '../../protocol/effects.js';
import type { ChaincodeCoreInput } from '../../protocol/inputs.js';
import type { ChaincodeHandlerState } from '../../protocol/table.js';
import { bindActions, boundRun, stepChart, type CompiledTransition } from '../chartCompiler.js';
import { chaincodeHandlerChart, chaincodeTxChart } from '../compiledCharts.js';
import { coreEvent, sharedEvent, withRoute, type CoreEvent } from '../event.js';
import { emitViolation, unhandledEvent } from '../violation.js';
import type { ChaincodeStep } from './context.js';
import { chaincodeHandlerActions } from './handlerActions.js';
import type { ChaincodeCoreState } from './state.js';
import { chaincodeTxActions } from './txActions.js';

// Every action the charts name has an implementation, and every implementation is named.
bindActions(chaincodeHandlerChart as never, chaincodeHandlerActions);
bindActions(chaincodeTxChart as never, chaincodeTxActions);

export interface ChaincodeStepResult {
  state: ChaincodeCoreState;
  effects: ChaincodeEffect[];
}

/** The chart event for an input, with `route` looked up for the events the handler routes. */
function toEvent(state: ChaincodeCoreState, input: ChaincodeCoreInput): CoreEvent {
  switch (input.kind) {
    case 'recv': {
      const event = sharedEvent(input)!;
      const t = input.message.type;
      if (t === 'RESPONSE' || t === 'ERROR' || t === 'INIT' || t === 'TRANSACTION') withRoute(state.txs, state.finished, event, input.message.channelId, input.message.txid);
      return event;
    }
    case 'recvMalformed':
    case 'transportClosed':
    case 'appShutdown':
      return sharedEvent(input)!;
    case 'appStart': {
      const event = coreEvent('app.start', input);
      event.chaincodeName = input.chaincodeName;
      return event;
    }
    case 'appRequest':
      return withRoute(state.txs, state.finished, coreEvent('app.request', input), input.message.channelId, input.message.txid);
    case 'appResult':
      return withRoute(state.txs, state.finished, coreEvent('app.result', input), input.channelId, input.txid);
    case 'appFailed':
      return withRoute(state.txs, state.finished, coreEvent('app.failed', input), input.channelId, input.txid);
    case 'timerFired':
      return coreEvent('timer.fired', input);
  }
}

export function stepChaincode(
  state: ChaincodeCoreState,
  input: ChaincodeCoreInput,
  onTaken?: (t: CompiledTransition) => void,
): ChaincodeStepResult {
  const effects: ChaincodeEffect[] = [];
  const event = toEvent(state, input);
  const from = state.handler.value;
  const next = stepChart(chaincodeHandlerChart, from, state.handler.context, event, onTaken);
  if (!next) {
    emitViolation(effects, unhandledEvent('chaincode', from, event.type));
    return { state, effects };
  }
  state.handler.value = next.value as ChaincodeHandlerState;
  state.handler.context = next.context;
  const step: ChaincodeStep = { state, event, input, effects, from, now: input.now, onTaken };
  for (const fn of boundRun<(step: ChaincodeStep) => void>(next)) fn(step);
  return { state, effects };
}
