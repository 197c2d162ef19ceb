/**
 * The events every chart receives. Names are dotted and say where the event came from:
 *   recv.<TYPE>            a decoded ChaincodeMessage arrived (TYPE is the protobuf enum name, or UNKNOWN)
 *   wire.malformedEnvelope bytes that are not a ChaincodeMessage
 *   wire.malformedPayload  a ChaincodeMessage whose payload does not parse
 *   app.*                  a command from the embedding code
 *   registry.verdict       the peer registry's answer to a REGISTER
 *   serve.result           the answer to a served shim request (ledger or chaincode-to-chaincode)
 *   timer.<kind>           a timer fired
 *   transport.closed       the stream ended
 *   timer.stale            a timer fired that the core no longer owns (cancelled, or its transaction ended)
 *   tx.start / handler.closed   sent by a handler core to one of its transaction charts
 *
 * Payloads ride along in the event so that guards can read them; the cores keep bytes out of the
 * persisted state.
 */
import type { Malformed, Message } from '../src/protocol/messages.js';

/**
 * Where the transaction an event names stands, looked up by the core before the handler chart
 * steps (the handler's guards route on it):
 *   running   a transaction with this (channel, txid) is running (for serve.result: and this is
 *             the answer to the request it is being served)
 *   finished  none is running, but one with this key finished recently (bounded memory); for
 *             serve.result: the answer to a request that outlived its transaction (a timeout)
 *   unknown   none is running and none finished recently
 *   stale     serve.result only: an answer to a request its transaction no longer waits for
 */
export type TxRoute = 'running' | 'finished' | 'unknown' | 'stale';

export interface ChartEvent {
  type: string;
  /** recv.*: the message. */
  message?: Message;
  /** wire.malformed*: what was wrong. */
  malformed?: Malformed;
  /** registry.verdict / serve.result */
  accepted?: boolean;
  /** app.start: the chaincode id name; recv.REGISTER carries it in the message. */
  chaincodeName?: string;
  /** Events that name a transaction (in the states that route them): where it stands. */
  route?: TxRoute;
}

