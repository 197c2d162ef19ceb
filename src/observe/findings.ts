/**
 * What an observer reports: a violation of the protocol found in a session it watched, with the
 * side to blame and the Fabric rule it breaks.
 *
 * Two sources: the *receiving* side's core rejects a message (its own violation codes,
 * src/protocol/violations.ts; `blame: remote` there means the sender is to blame), or the *sending*
 * side's core could not have sent it (an observer code below: the sender broke its own chart).
 */
import type { Side, Violation, ViolationCode } from '../protocol/violations.js';

/** Codes only an observer raises: the sender's own chart did not allow the message it sent. */
export const OBSERVER_CODES = [
  /** The sender's core has no command that sends this message in its state (e.g. a RESPONSE with
   * no request being served, a COMPLETED for a transaction the chaincode does not run). */
  'UNEXPLAINED_SEND',
  /** The sender's core had to send something first (READY right after REGISTERED, a reply it
   * owed), and a different message came. */
  'OUT_OF_ORDER_SEND',
] as const;
export type ObserverCode = (typeof OBSERVER_CODES)[number];

export interface Finding {
  code: ViolationCode | ObserverCode;
  /** The side whose implementation broke the rule. */
  blame: Side;
  /** Whose observer found it: the receiving core, or the sender's own (observer codes). */
  foundBy: Side;
  /** The finder's chart state, `<handler>` or `<handler>/<transaction>`. */
  state: string;
  /** The event that did not fit, e.g. `recv.GET_STATE`, `send.RESPONSE`. */
  got: string;
  expected: string;
  channelId: string;
  txid: string;
  cause?: string;
  /** The Fabric source of the rule (docs/conformance.md lists them). */
  rule: string;
}

const other = (s: Side): Side => (s === 'peer' ? 'chaincode' : 'peer');

/** A core's violation as a finding. */
export function fromViolation(v: Violation): Finding {
  const f: Finding = {
    code: v.code,
    blame: v.blame === 'remote' ? other(v.side) : v.side,
    foundBy: v.side,
    state: v.state,
    got: v.got,
    expected: v.expected,
    channelId: v.channelId,
    txid: v.txid,
    rule: ruleOf(v.code, v.side),
  };
  if (v.cause !== undefined) f.cause = v.cause;
  return f;
}

const PEER = 'fabric core/chaincode/handler.go';
const GO_SHIM = 'fabric-chaincode-go shim/handler.go';

/** Where Fabric states the rule a code stands for, from the side that checks it. */
export function ruleOf(code: Finding['code'], checkedBy: Side): string {
  const at = checkedBy === 'peer' ? PEER : GO_SHIM;
  switch (code) {
    case 'UNEXPECTED_MESSAGE':
      return checkedBy === 'peer' ? `${PEER} handleMessage (state checks) / HandleRegister` : `${GO_SHIM} handleMessage (state checks)`;
    case 'MALFORMED_ENVELOPE':
    case 'MALFORMED_PAYLOAD':
      return checkedBy === 'peer' ? `${PEER} HandleTransaction (proto.Unmarshal of the payload)` : `${GO_SHIM} handleTransaction / handleResponse (proto.Unmarshal)`;
    case 'UNKNOWN_TX':
    case 'TX_FINISHED':
      return checkedBy === 'peer' ? `${PEER} HandleTransaction / isValidTxSim ("no ledger context"), Notify` : `${GO_SHIM} handleResponse (no channel for the txid)`;
    case 'DUPLICATE_TX':
      return checkedBy === 'peer' ? `${PEER} Execute / TransactionContexts.Create ("txid exists")` : `${GO_SHIM} createResponseChannel ("channel exists")`;
    case 'CONCURRENT_REQUEST':
      return checkedBy === 'peer' ? `${PEER} HandleTransaction (ActiveTransactions.Add: "Another request pending")` : `${GO_SHIM} createResponseChannel ("channel exists")`;
    case 'UNEXPECTED_RESPONSE':
      return `${GO_SHIM} handleResponse (a reply with no request waiting)`;
    case 'REGISTER_REFUSED':
      return `${PEER} HandleRegister (Registry.Register: duplicate or unexpected chaincode)`;
    case 'NOT_READY':
    case 'STREAM_CLOSED':
    case 'INVALID_COMMAND':
      return `${at} (state of the handler)`;
    case 'UNEXPLAINED_SEND':
      return checkedBy === 'peer' ? `${PEER} (the peer sends only REGISTERED, READY, INIT/TRANSACTION, replies to requests, KEEPALIVE)` : `${GO_SHIM} (the shim sends REGISTER, requests of running transactions, one final reply each)`;
    case 'OUT_OF_ORDER_SEND':
      return checkedBy === 'peer' ? `${PEER} HandleRegister (REGISTERED then READY, nothing between)` : `${GO_SHIM} (replies in the order the chart owes them)`;
  }
}
