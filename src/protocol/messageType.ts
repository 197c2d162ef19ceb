/**
 * `protos.ChaincodeMessage.Type` (fabric-protos peer/chaincode_shim.proto) as plain data.
 *
 * Value 12 is unused in Fabric (and not reserved); any number not listed here decodes to the
 * domain message `UNKNOWN` so that it can be named in a violation instead of being dropped.
 */
export const MessageType = {
  UNDEFINED: 0,
  REGISTER: 1,
  REGISTERED: 2,
  INIT: 3,
  READY: 4,
  TRANSACTION: 5,
  COMPLETED: 6,
  ERROR: 7,
  GET_STATE: 8,
  PUT_STATE: 9,
  DEL_STATE: 10,
  INVOKE_CHAINCODE: 11,
  RESPONSE: 13,
  GET_STATE_BY_RANGE: 14,
  GET_QUERY_RESULT: 15,
  QUERY_STATE_NEXT: 16,
  QUERY_STATE_CLOSE: 17,
  KEEPALIVE: 18,
  GET_HISTORY_FOR_KEY: 19,
  GET_STATE_METADATA: 20,
  PUT_STATE_METADATA: 21,
  GET_PRIVATE_DATA_HASH: 22,
  PURGE_PRIVATE_DATA: 23,
  WRITE_BATCH_STATE: 24,
  GET_STATE_MULTIPLE: 25,
} as const;

/** Name of a known message type, e.g. `'GET_STATE'`. */
export type KnownMessageTypeName = keyof typeof MessageType;
/** Every message the domain layer can carry: the known types plus `UNKNOWN` (an unlisted number). */
export type MessageTypeName = KnownMessageTypeName | 'UNKNOWN';

export const KNOWN_MESSAGE_TYPES = Object.keys(MessageType) as KnownMessageTypeName[];
/** Every type name including `UNKNOWN`; what the totality tests iterate over. */
export const ALL_MESSAGE_TYPES: readonly MessageTypeName[] = [...KNOWN_MESSAGE_TYPES, 'UNKNOWN'];

const NAME_BY_NUMBER = new Map<number, KnownMessageTypeName>(
  KNOWN_MESSAGE_TYPES.map((name) => [MessageType[name], name]),
);

/** Type name for a wire number; numbers Fabric does not define map to `'UNKNOWN'`. */
export function messageTypeName(code: number): MessageTypeName {
  return NAME_BY_NUMBER.get(code) ?? 'UNKNOWN';
}

/**
 * The requests a shim sends while a transaction runs (docs/protocol.md §5.2): types 8–11, 14–17, 19–25.
 * Each gets exactly one RESPONSE or ERROR from the peer.
 */
export const REQUEST_TYPES = [
  'GET_STATE',
  'PUT_STATE',
  'DEL_STATE',
  'INVOKE_CHAINCODE',
  'GET_STATE_BY_RANGE',
  'GET_QUERY_RESULT',
  'QUERY_STATE_NEXT',
  'QUERY_STATE_CLOSE',
  'GET_HISTORY_FOR_KEY',
  'GET_STATE_METADATA',
  'PUT_STATE_METADATA',
  'GET_PRIVATE_DATA_HASH',
  'PURGE_PRIVATE_DATA',
  'WRITE_BATCH_STATE',
  'GET_STATE_MULTIPLE',
] as const satisfies readonly KnownMessageTypeName[];
export type RequestTypeName = (typeof REQUEST_TYPES)[number];

const REQUEST_SET: ReadonlySet<string> = new Set(REQUEST_TYPES);
export function isRequestType(t: MessageTypeName): t is RequestTypeName {
  return REQUEST_SET.has(t);
}


const PEER_OWN: ReadonlySet<string> = new Set(['REGISTERED', 'READY', 'INIT', 'TRANSACTION', 'KEEPALIVE']);
const CHAINCODE_OWN: ReadonlySet<string> = new Set(['REGISTER', 'KEEPALIVE']);

/**
 * Whether a side sends this message on its own initiative rather than because of what the other
 * side sent. The rest are replies: the peer's RESPONSE and ERROR to shim requests; a chaincode's
 * requests, COMPLETED and ERROR for the transactions it was given. The transports stop reading only
 * when *replies* back up (docs/decisions/0006-stream-backpressure.md): reading less makes fewer of
 * them, while stopping for the rest would not slow them down and could deadlock two sides that both
 * stop.
 */
export function isOwnInitiative(side: 'peer' | 'chaincode', type: MessageTypeName): boolean {
  return (side === 'peer' ? PEER_OWN : CHAINCODE_OWN).has(type);
}
