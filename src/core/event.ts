/** A chart event as the cores build it: the chart-visible fields plus the input it came from. */
import type { ChartEvent } from '../../machines/events.js';
import type { ChaincodeCoreInput, PeerCoreInput } from '../protocol/inputs.js';
import type { Message } from '../protocol/messages.js';
import type { MessageTypeName } from '../protocol/messageType.js';
import type { FinishedMemory } from './finished.js';
import { wasFinished } from './finished.js';
import { txGet, type TxTable } from './txTable.js';

export interface CoreEvent extends ChartEvent {
  input: PeerCoreInput | ChaincodeCoreInput;
  /** With `route: 'running'`: that transaction's record, as the step found it (routeToTransaction
   *  steps it without a second lookup). */
  running?: unknown;
}

/**
 * A chart event with every field present, in one order: all events share one object shape, so the
 * charts' guards and the actions read their fields with monomorphic loads, and routing sets fields
 * instead of growing the object.
 */
export function coreEvent(type: string, input: PeerCoreInput | ChaincodeCoreInput): CoreEvent {
  return { type, input, message: undefined, malformed: undefined, accepted: undefined, chaincodeName: undefined, route: undefined, running: undefined };
}

/** Sets where the transaction (channelId, txid) stands (ChartEvent.route), from the running set
 *  and the finished memory, and its record when it runs. */
export function withRoute(running: TxTable<unknown>, finished: FinishedMemory, event: CoreEvent, channelId: string, txid: string): CoreEvent {
  const rec = txGet(running, channelId, txid);
  event.running = rec;
  event.route = rec !== undefined ? 'running' : wasFinished(finished, channelId, txid) ? 'finished' : 'unknown';
  return event;
}

/** The chart event type for a received message: `recv.<TYPE>`. */
const RECV: Record<string, string> = {};
export function recvType(type: MessageTypeName): string {
  return (RECV[type] ??= `recv.${type}`);
}

export function messageEvent(message: Message, input: PeerCoreInput | ChaincodeCoreInput): CoreEvent {
  const event = coreEvent(recvType(message.type), input);
  event.message = message;
  return event;
}

/** Chart events for the inputs both sides share; `undefined` for side-specific inputs. */
export function sharedEvent(input: PeerCoreInput | ChaincodeCoreInput): CoreEvent | undefined {
  switch (input.kind) {
    case 'recv':
      return messageEvent(input.message, input);
    case 'recvMalformed': {
      const event = coreEvent(input.malformed.scope === 'envelope' ? 'wire.malformedEnvelope' : 'wire.malformedPayload', input);
      event.malformed = input.malformed;
      return event;
    }
    case 'transportClosed':
      return coreEvent('transport.closed', input);
    case 'appShutdown':
      return coreEvent('app.shutdown', input);
    default:
      return undefined;
  }
}

/**
 * The step's input narrowed to `kind`: an action names the inputs it handles instead of casting.
 * The chart sends the action only on such inputs; a mismatch is a wiring bug in the chart, and it
 * fails here, loudly, rather than as a read of a field that is not there.
 */
export function inputOf<I extends { kind: string }, K extends I['kind']>(input: I, kind: K): Extract<I, { kind: K }> {
  if (input.kind !== kind) throw new Error(`core: an action for ${kind} inputs ran on a ${input.kind} input`);
  return input as Extract<I, { kind: K }>;
}
