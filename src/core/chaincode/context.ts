/** What a chaincode-side action implementation gets. */
import type { ChaincodeEffect } from '../../protocol/effects.js';
import type { ChaincodeCoreInput } from '../../protocol/inputs.js';
import type { Violation } from '../../protocol/violations.js';
import type { CompiledTransition } from '../chartCompiler.js';
import type { CoreEvent } from '../event.js';
import type { ChaincodeCoreState } from './state.js';

export interface ChaincodeStep {
  state: ChaincodeCoreState;
  event: CoreEvent;
  input: ChaincodeCoreInput;
  effects: ChaincodeEffect[];
  from: string;
  now: number;
  onTaken?: ((t: CompiledTransition) => void) | undefined;
}

/** Where a command or message points: its channel and txid, when it names a transaction. */
export function targetOf(step: ChaincodeStep): { channelId: string; txid: string } {
  const { event, input } = step;
  if (event.message) return { channelId: event.message.channelId, txid: event.message.txid };
  if (event.malformed) return { channelId: event.malformed.channelId, txid: event.malformed.txid };
  switch (input.kind) {
    case 'appRequest':
      return { channelId: input.message.channelId, txid: input.message.txid };
    case 'appResult':
    case 'appFailed':
      return { channelId: input.channelId, txid: input.txid };
    default:
      return { channelId: '', txid: '' };
  }
}

export function chaincodeViolation(
  step: ChaincodeStep,
  v: Pick<Violation, 'code' | 'blame' | 'expected'> & Partial<Violation>,
): Violation {
  const target = targetOf(step);
  return {
    side: 'chaincode',
    state: step.from,
    got: step.event.type,
    messageType: step.event.message?.type ?? step.event.malformed?.type,
    messageCode: step.event.message?.type === 'UNKNOWN' ? step.event.message.code : step.event.malformed?.code,
    channelId: target.channelId,
    txid: target.txid,
    cause: step.event.malformed?.reason,
    ...v,
  };
}

/** Settle the stub request behind an `appRequest` input with an error (no-op for other inputs). */
export function failRequestInput(step: ChaincodeStep, message: string): void {
  const input = step.input;
  if (input.kind !== 'appRequest') return;
  step.effects.push({
    kind: 'settleRequest',
    channelId: input.message.channelId,
    txid: input.message.txid,
    requestId: input.requestId,
    outcome: { ok: false, message },
  });
}
