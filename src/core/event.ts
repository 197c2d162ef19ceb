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
  /** With `route`: the transaction it was looked up by. */
  channelId?: string;
  txid?: string;
  /** With `route: 'running'`: that transaction's record, as the step found it (routeToTransaction
   *  steps it without a second lookup). */
  running?: unknown;
}

/** Sets where the transaction (channelId, txid) stands (ChartEvent.route), from the running set
 *  and the finished memory, and which transaction that is. */
export function withRoute(running: TxTable<unknown>, finished: FinishedMemory, event: CoreEvent, channelId: string, txid: string): CoreEvent {
  const rec = txGet(running, channelId, txid);
  event.channelId = channelId;
  event.txid = txid;
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
  return { type: recvType(message.type), message, input };
}

/** Chart events for the inputs both sides share; `undefined` for side-specific inputs. */
export function sharedEvent(input: PeerCoreInput | ChaincodeCoreInput): CoreEvent | undefined {
  switch (input.kind) {
    case 'recv':
      return messageEvent(input.message, input);
    case 'recvMalformed':
      return {
        type: input.malformed.scope === 'envelope' ? 'wire.malformedEnvelope' : 'wire.malformedPayload',
        malformed: input.malformed,
        input,
      };
    case 'transportClosed':
      return { type: 'transport.closed', input };
    case 'appShutdown':
      return { type: 'app.shutdown', input };
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
