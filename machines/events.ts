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
 *   tx.start / handler.closed   sent by a handler core to one of its transaction charts
 *
 * Payloads ride along in the event so that guards can read them; the cores keep bytes out of the
 * persisted state.
 */
import type { Malformed, Message } from '../src/protocol/messages.js';

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
}

