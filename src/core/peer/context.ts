/** What a peer action implementation gets: the state being stepped, the event and the effect sink. */
import type { PeerEffect } from '../../protocol/effects.js';
import type { PeerCoreInput } from '../../protocol/inputs.js';
import type { Violation } from '../../protocol/violations.js';
import type { CoreEvent } from '../event.js';
import type { PeerCoreState } from './state.js';
import type { CompiledTransition } from '../chartCompiler.js';

export interface PeerStep {
  state: PeerCoreState;
  event: CoreEvent;
  input: PeerCoreInput;
  effects: PeerEffect[];
  /** Handler state before this input (violations name the state they happened in). */
  from: string;
  now: number;
  /** Coverage hook: told about every chart transition taken (tests only). */
  onTaken?: ((t: CompiledTransition) => void) | undefined;
}

/** Fill the common fields of a violation from the step. */
export function peerViolation(
  step: PeerStep,
  v: Pick<Violation, 'code' | 'blame' | 'expected'> & Partial<Violation>,
): Violation {
  const m = step.event.message;
  const mal = step.event.malformed;
  return {
    side: 'peer',
    state: step.from,
    got: step.event.type,
    messageType: m?.type ?? mal?.type,
    messageCode: m?.type === 'UNKNOWN' ? m.code : mal?.code,
    channelId: m?.channelId ?? mal?.channelId ?? '',
    txid: m?.txid ?? mal?.txid ?? '',
    cause: mal?.reason,
    ...v,
  };
}
