/** A chart event as the cores build it: the chart-visible fields plus the input it came from. */
import type { ChartEvent } from '../../machines/events.js';
import type { ChaincodeSideInput, PeerInput } from '../protocol/inputs.js';
import type { Message } from '../protocol/messages.js';
import type { MessageTypeName } from '../protocol/messageType.js';

export interface CoreEvent extends ChartEvent {
  input: PeerInput | ChaincodeSideInput;
}

/** The chart event type for a received message: `recv.<TYPE>`. */
const RECV: Record<string, string> = {};
export function recvType(type: MessageTypeName): string {
  return (RECV[type] ??= `recv.${type}`);
}

export function messageEvent(message: Message, input: PeerInput | ChaincodeSideInput): CoreEvent {
  return { type: recvType(message.type), message, input };
}
