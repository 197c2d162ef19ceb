/**
 * The vocabulary of the allowed (side, handler state, message type) table: the handler states of
 * each side and what a state can do with a message it accepts. The table itself is read from the
 * charts (src/core/allowed.ts), which are the one source of truth; docs/protocol-table.md prints it.
 *
 * Sources: docs/protocol.md §6.4 and §6.5 (fabric core/chaincode/handler.go handleMessage;
 * fabric-chaincode-go shim/handler.go handleMessage).
 */

export type Disposition =
  /** Advances the handshake (REGISTER, REGISTERED, READY). */
  | 'handshake'
  /** Starts a transaction (INIT/TRANSACTION on the chaincode side). */
  | 'startTx'
  /** Belongs to a running transaction; routed by (channel, txid). */
  | 'route'
  /** Accepted and deliberately ignored (KEEPALIVE at the peer: fabric handler.go ignores it in every state). */
  | 'ignore'
  /** Answered with the same message (KEEPALIVE at the chaincode, as the Go shim does). */
  | 'echo';

export const PEER_HANDLER_STATES = ['created', 'registering', 'established', 'ready', 'closed', 'failed'] as const;
export type PeerHandlerState = (typeof PEER_HANDLER_STATES)[number];
export const CHAINCODE_HANDLER_STATES = ['idle', 'created', 'established', 'ready', 'closed', 'failed'] as const;
export type ChaincodeHandlerState = (typeof CHAINCODE_HANDLER_STATES)[number];
