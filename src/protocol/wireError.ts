/**
 * The one mapping from a violation to what happens on the wire (rustls maps every PeerMisbehaved to
 * one alert the same way). Callers never branch on violation codes themselves.
 *
 * Consequences:
 *  - `closeStream`: end the connection with a reason, optionally sending an ERROR first;
 *  - `replyError`: answer the offending message with an ERROR carrying its txid and channel;
 *  - `failCommand`: settle the local command (execute / stub request) with an error text;
 *  - `report`: nothing goes on the wire (sending would hurt more than it helps, e.g. an ERROR for a
 *    finished transaction would make the Go shim end the whole stream); the `violation` effect that
 *    every violation produces is the report.
 *
 * Error texts reuse Fabric's where Fabric has one, because clients and tests match on them.
 */
import type { Violation } from './violations.js';
import type { Message } from './messages.js';
import { utf8Bytes } from './messages.js';
import { isRequestType } from './messageType.js';

export type WireConsequence =
  | { kind: 'closeStream'; reason: string; sendFirst?: Message }
  | { kind: 'replyError'; reply: Message }
  | { kind: 'failCommand'; text: string }
  | { kind: 'report' };

/** `<TYPE> failed: transaction ID: <txid>: <cause>` (fabric core/chaincode/handler.go HandleTransaction). */
export function requestFailedText(type: string, txid: string, cause: string): string {
  return `${type} failed: transaction ID: ${txid}: ${cause}`;
}

export function errorMessage(channelId: string, txid: string, text: string): Message {
  return { type: 'ERROR', txid, channelId, payload: utf8Bytes(text) };
}

export function wireConsequence(v: Violation): WireConsequence {
  const t = v.messageType ?? 'UNKNOWN';
  // Go prints an enum value without a name as its number: `(99)`.
  const shown = t === 'UNKNOWN' && v.messageCode !== undefined ? String(v.messageCode) : t;
  const recv = v.got.startsWith('recv.') || v.got.startsWith('wire.');
  switch (v.code) {
    case 'UNEXPECTED_MESSAGE': {
      if (v.side === 'peer') {
        // fabric core/chaincode/handler.go handleMessage: the peer ends the stream.
        const reason =
          v.state === 'created' || v.state === 'ready'
            ? `[${v.txid}] Fabric side handler cannot handle message (${shown}) while in ${v.state} state`
            : `handle message: invalid state ${v.state} for transaction ${v.txid}`;
        return { kind: 'closeStream', reason };
      }
      // fabric-chaincode-go shim/handler.go handleMessage: ERROR (txid copied) then end the stream.
      const text = `[${v.txid}] Chaincode h cannot handle message (${shown}) while in state: ${v.state}`;
      return { kind: 'closeStream', reason: text, sendFirst: errorMessage(v.channelId, v.txid, text) };
    }
    case 'MALFORMED_ENVELOPE':
      return { kind: 'closeStream', reason: `malformed ChaincodeMessage: ${v.cause ?? ''}` };
    case 'MALFORMED_PAYLOAD': {
      if (v.side === 'peer' && isRequestType(t)) {
        const text = requestFailedText(t, v.txid, `unmarshal failed: ${v.cause ?? ''}`);
        return { kind: 'replyError', reply: errorMessage(v.channelId, v.txid, text) };
      }
      if (v.side === 'chaincode' && (t === 'INIT' || t === 'TRANSACTION')) {
        // fabric-chaincode-go shim/handler.go handleTransaction: `failed to unmarshal input`.
        const text = `failed to unmarshal input: ${v.cause ?? ''}`;
        return { kind: 'replyError', reply: errorMessage(v.channelId, v.txid, text) };
      }
      // A final reply (COMPLETED) that does not parse fails the execute; nothing to answer.
      return { kind: 'report' };
    }
    case 'UNKNOWN_TX':
    case 'TX_FINISHED': {
      if (!recv) return { kind: 'failCommand', text: unknownTxText(v) };
      if (v.side === 'peer' && isRequestType(t)) {
        // fabric handler.go HandleTransaction: a request without a live context gets `no ledger context`
        // (INVOKE_CHAINCODE: `could not get valid transaction`).
        const cause = t === 'INVOKE_CHAINCODE' ? 'could not get valid transaction' : 'no ledger context';
        return { kind: 'replyError', reply: errorMessage(v.channelId, v.txid, requestFailedText(t, v.txid, cause)) };
      }
      // Late COMPLETED/ERROR (peer) or late RESPONSE/ERROR (chaincode): Fabric drops it; we report it.
      return { kind: 'report' };
    }
    case 'DUPLICATE_TX':
      // fabric core/chaincode/transaction_contexts.go Create: `txid: <txid>(<channel>) exists`.
      if (!recv) return { kind: 'failCommand', text: `txid: ${v.txid}(${v.channelId}) exists` };
      // The peer sent a second INIT/TRANSACTION for a running ctx: the first one will still answer.
      return { kind: 'report' };
    case 'CONCURRENT_REQUEST':
      // Only the peer reports it (the chaincode core holds a transaction's stub calls instead).
      // Fabric drops the second request silently and the shim hangs until the execute timeout
      // (docs/protocol.md §8.1, §17.2); we answer it (docs/deviations.md).
      return {
        kind: 'replyError',
        reply: errorMessage(v.channelId, v.txid, requestFailedText(t, v.txid, 'another request is pending for this transaction')),
      };
    case 'UNEXPECTED_RESPONSE':
      return { kind: 'report' };
    case 'REGISTER_REFUSED': {
      // Fabric sends nothing and leaves the shim waiting forever (docs/protocol.md §6.2); we say why and close.
      const text = v.cause ?? 'registration refused';
      return { kind: 'closeStream', reason: text, sendFirst: errorMessage('', '', text) };
    }
    case 'NOT_READY':
      return recv ? { kind: 'report' } : { kind: 'failCommand', text: `chaincode handler is not ready (state ${v.state})` };
    case 'STREAM_CLOSED':
      return recv ? { kind: 'report' } : { kind: 'failCommand', text: 'chaincode stream terminated' };
    case 'INVALID_COMMAND':
      return { kind: 'report' };
  }
}

function unknownTxText(v: Violation): string {
  return v.code === 'TX_FINISHED'
    ? `transaction ${v.txid} on channel ${v.channelId} already finished`
    : `unknown transaction ${v.txid} on channel ${v.channelId}`;
}
