/**
 * The closed set of protocol violations. Every input a core cannot accept becomes one of these as a
 * value (never an exception), reported through a `violation` effect, and has exactly one wire
 * consequence, decided in `wireError.ts`.
 *
 * `blame` says who broke the protocol: `remote` (the other side sent something it must not) or
 * `local` (our own caller issued a command the state does not allow: a bug in the embedding code).
 */
import type { MessageTypeName } from './messageType.js';

export const VIOLATION_CODES = [
  /** A message type that the handler's state does not accept (docs/protocol.md §6.5). */
  'UNEXPECTED_MESSAGE',
  /** Bytes that are not a ChaincodeMessage at all. */
  'MALFORMED_ENVELOPE',
  /** A ChaincodeMessage whose payload does not parse as its type requires. */
  'MALFORMED_PAYLOAD',
  /** A message or command for a (channel, txid) that is not running and was not recently finished. */
  'UNKNOWN_TX',
  /** A message or command for a transaction that already finished (late reply, late request). */
  'TX_FINISHED',
  /** A second INIT/TRANSACTION (or execute) for a (channel, txid) that is still running. */
  'DUPLICATE_TX',
  /** A second request of one transaction while the first is still unanswered (docs/protocol.md §8.1). */
  'CONCURRENT_REQUEST',
  /** A RESPONSE/ERROR for a running transaction that has no request outstanding. */
  'UNEXPECTED_RESPONSE',
  /** REGISTER refused: empty name, or the registry refused it (duplicate, not expected). */
  'REGISTER_REFUSED',
  /** A local command before the handshake completed. */
  'NOT_READY',
  /** A message or command after the stream closed. */
  'STREAM_CLOSED',
  /** A local command the handler state does not accept (e.g. a second start). */
  'INVALID_COMMAND',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export type Side = 'peer' | 'chaincode';

export interface Violation {
  code: ViolationCode;
  blame: 'local' | 'remote';
  side: Side;
  /** Handler state (or `<handler state>/<tx state>`) when it happened. */
  state: string;
  /** The event that did not fit, e.g. `recv.GET_STATE`, `app.request`, `wire.malformedPayload`. */
  got: string;
  /** What the state accepts, in words (for logs and docs). */
  expected: string;
  /** Message type that arrived, when one did. */
  messageType?: MessageTypeName | undefined;
  /** Its wire number when the type is UNKNOWN (Fabric prints the number of an undefined type). */
  messageCode?: number | undefined;
  channelId: string;
  txid: string;
  /** Extra cause, e.g. the decoder's reason or the registry's refusal text. */
  cause?: string | undefined;
}
