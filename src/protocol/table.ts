/**
 * The allowed (side, handler state, message type) table: the rules as data (h11 `_state.py`).
 * Both handler charts build their `recv.*` transitions from it, the docs print it, and the totality
 * tests check every cell. A type missing from a state's row is a violation in that state.
 *
 * Sources: docs/protocol.md §6.4 and §6.5 (fabric core/chaincode/handler.go handleMessage;
 * fabric-chaincode-go shim/handler.go handleMessage).
 */
import { REQUEST_TYPES, type MessageTypeName } from './messageType.js';
import type { Side } from './violations.js';

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

type Row = Partial<Record<MessageTypeName, Disposition>>;

const requestsRouted: Row = Object.fromEntries(REQUEST_TYPES.map((t) => [t, 'route'] as const));

export const ALLOWED_MESSAGES: {
  peer: Record<PeerHandlerState, Row>;
  chaincode: Record<ChaincodeHandlerState, Row>;
} = {
  peer: {
    created: { REGISTER: 'handshake', KEEPALIVE: 'ignore' },
    registering: { KEEPALIVE: 'ignore' },
    established: { KEEPALIVE: 'ignore' },
    ready: { ...requestsRouted, COMPLETED: 'route', ERROR: 'route', KEEPALIVE: 'ignore' },
    closed: {},
    failed: {},
  },
  chaincode: {
    idle: {},
    created: { REGISTERED: 'handshake', KEEPALIVE: 'echo' },
    established: { READY: 'handshake', KEEPALIVE: 'echo' },
    ready: { INIT: 'startTx', TRANSACTION: 'startTx', RESPONSE: 'route', ERROR: 'route', KEEPALIVE: 'echo' },
    closed: {},
    failed: {},
  },
};

/** What a handler in `state` does with a message of `type`; `undefined` means it is a violation. */
export function dispositionOf(side: Side, state: string, type: MessageTypeName): Disposition | undefined {
  const rows = ALLOWED_MESSAGES[side] as Record<string, Row>;
  return rows[state]?.[type];
}

/** Message types (by name) a state accepts, with their disposition. */
export function allowedIn(side: Side, state: string): [MessageTypeName, Disposition][] {
  const rows = ALLOWED_MESSAGES[side] as Record<string, Row>;
  return Object.entries(rows[state] ?? {}) as [MessageTypeName, Disposition][];
}
