/**
 * The independent oracle: what Fabric itself does with each message type in each handler state,
 * written from Fabric's sources, never from src/protocol/table.ts (which builds our charts; a test
 * against it can only say the charts agree with themselves).
 *
 * Sources read (commits of the stored snapshots):
 *   - peer:      github.com/hyperledger/fabric                 core/chaincode/handler.go        @ 0c423ac4
 *                (handleMessage, handleMessageCreatedState, handleMessageReadyState, HandleRegister,
 *                 HandleTransaction, registerTxid, isValidTxSim, getTxContextForInvoke, Notify,
 *                 ProcessStream, Execute), handler_registry.go Register, chaincode_support.go
 *                 processChaincodeExecutionResult
 *   - chaincode: github.com/hyperledger/fabric-chaincode-go/v2 shim/handler.go, shim/shim.go       @ ea8b3041
 *                (handleMessage, handleCreated, handleEstablished, handleReady, handleResponse,
 *                 handleStubInteraction, handleTransaction, chatWithPeer)
 *   - and, for comments only: github.com/hyperledger/fabric-chaincode-node
 *                libraries/fabric-shim/lib/handler.js (ChaincodeMessageHandler.chat,
 *                MsgQueueHandler.handleMsgResponse, newErrorMsg)                                     @ 2d24e8d0
 *
 * The chaincode side follows the Go shim: it is the reference implementation, and where
 * fabric-shim differs (it answers out-of-turn handshake messages with ERROR but keeps the stream,
 * exits the process on an unknown type in ready, drops replies for unknown transactions) the
 * difference is noted in a `node` comment on the row.
 *
 * Where ccproto deliberately differs, the cell names the docs/deviations.md id and the outcome we
 * produce instead. A `gap` is a difference this oracle found that docs/deviations.md does NOT list:
 * the test pins our current outcome there so it stays green, and the gap is reported for a decision
 * (list it as a deviation, or change src).
 */
import type { MessageTypeName } from '../../src/protocol/messageType.js';

/**
 * What a handler does with one message, as it shows on the stream and in the handler's state.
 * Logging (and our `violation` reports) is not part of an outcome: Fabric's "logged and dropped"
 * and our "reported, nothing sent" are both `ignore`.
 */
export const OUTCOMES = {
  /** The handshake advances: peer answers REGISTER with REGISTERED then READY; chaincode moves on
   * REGISTERED (created -> established) and READY (established -> ready), sending nothing. */
  'accept-handshake': 'the handshake advances',
  /** Chaincode: Init/Invoke runs for the (channel, txid) of the INIT/TRANSACTION. */
  'start-transaction': 'Init/Invoke starts',
  /** Peer: the request is served against its transaction's context and answered with RESPONSE
   * (ERROR when serving fails). */
  'serve-request': 'served and answered',
  /** Peer: COMPLETED/ERROR is handed to the execute waiting for it (Execute returns). */
  'finish-transaction': 'ends the waiting execute',
  /** Chaincode: RESPONSE/ERROR is handed to the stub call waiting for it. */
  'deliver-reply': 'settles the waiting stub call',
  /** The same message is sent back. */
  echo: 'sent back as it came',
  /** Nothing is sent, the stream stays open, the handler state does not change. */
  ignore: 'dropped; stream and state unchanged',
  /** An ERROR carrying the message's txid is sent; the stream stays open. */
  'error-reply': 'ERROR sent, stream stays open',
  /** The stream ends; no ChaincodeMessage is sent first (the peer returns the error from the RPC). */
  'end-stream': 'stream ended, nothing sent',
  /** An ERROR is sent, then the stream ends. */
  'error-reply-and-end-stream': 'ERROR sent, then stream ended',
  /** There is no open stream in this state: no message is read at all (before the chaincode
   * started one, or after the receive loop returned). */
  'not-read': 'no stream: nothing is read',
} as const;
export type Outcome = keyof typeof OUTCOMES;

/** A docs/deviations.md id (checked against the file by the test). */
export type DeviationId = `${'P' | 'C' | 'S' | 'W'}${number}`;

/** Message variants that matter to Fabric beyond the type. */
export type Variant =
  /** REGISTER whose ChaincodeID.name is empty. */
  | 'empty-name'
  /** REGISTER the registry refuses (duplicate name; or not launched and not in dev mode). */
  | 'registry-refuses'
  /** The envelope parses but the payload does not parse as the type requires. */
  | 'unparsable-payload';

export interface OracleEntry {
  /** Fabric's outcome. */
  fabric: Outcome;
  /** The Fabric function(s) this comes from: `<repo path> <function>[: detail]`. */
  source: string;
  /** Our deliberate, documented difference, and the outcome we produce instead. */
  deviation?: { id: DeviationId; ours: Outcome };
  /** A difference that docs/deviations.md does not list: what we do, and why it differs. */
  gap?: { ours: Outcome; note: string };
  /** fabric-shim's behaviour where it differs from the Go shim (chaincode side only). */
  node?: string;
  note?: string;
}

/** One row: explicit entries per type, and `other` for every type the row does not name (the
 * `default:` branch of Fabric's switch). */
interface Row {
  entries: Partial<Record<MessageTypeName, OracleEntry>>;
  other: OracleEntry;
}

/** A situation: one of our handler states, with what it needs around it to be comparable. */
export interface Situation {
  /** Our handler state (src/protocol/table.ts state names). */
  ours: string;
  /** What the situation is in Fabric's terms and how our state maps to Fabric's. */
  fabric: string;
  row: Row;
}

export interface OracleCell extends OracleEntry {
  side: 'peer' | 'chaincode';
  situation: string;
  type: MessageTypeName;
  variant?: Variant;
}

const FABRIC_PEER = 'core/chaincode/handler.go';
const GO_SHIM = 'fabric-chaincode-go shim/handler.go';

// ---------------------------------------------------------------------------------------------
// Peer side (fabric core/chaincode/handler.go). Fabric's states: created, established, ready
// (handler.go `State`). handleMessage returns nil for KEEPALIVE before looking at the state; then
// created -> handleMessageCreatedState, ready -> handleMessageReadyState, any other state -> error.
// An error from handleMessage makes ProcessStream return it: the RPC ends, no ChaincodeMessage is
// sent. Established is only ever seen inside HandleRegister (REGISTERED sent, READY not yet), which
// runs synchronously in the receive loop, so no message is read in it unless sending READY failed.
// ---------------------------------------------------------------------------------------------

const peerKeepalive: OracleEntry = {
  fabric: 'ignore',
  source: `${FABRIC_PEER} handleMessage: KEEPALIVE returns nil before the state switch`,
};

/** handleMessageReadyState: each request type and the delegate HandleTransaction runs for it. */
const PEER_REQUEST_DELEGATES = {
  PUT_STATE: 'HandlePutState',
  DEL_STATE: 'HandleDelState',
  INVOKE_CHAINCODE: 'HandleInvokeChaincode',
  GET_STATE: 'HandleGetState',
  GET_STATE_BY_RANGE: 'HandleGetStateByRange',
  GET_QUERY_RESULT: 'HandleGetQueryResult',
  GET_HISTORY_FOR_KEY: 'HandleGetHistoryForKey',
  QUERY_STATE_NEXT: 'HandleQueryStateNext',
  QUERY_STATE_CLOSE: 'HandleQueryStateClose',
  GET_PRIVATE_DATA_HASH: 'HandleGetPrivateDataHash',
  GET_STATE_METADATA: 'HandleGetStateMetadata',
  PUT_STATE_METADATA: 'HandlePutStateMetadata',
  PURGE_PRIVATE_DATA: 'HandlePurgePrivateData',
  WRITE_BATCH_STATE: 'HandleWriteBatch',
  GET_STATE_MULTIPLE: 'HandleGetStateMultipleKeys',
} as const satisfies Partial<Record<MessageTypeName, string>>;
type PeerRequest = keyof typeof PEER_REQUEST_DELEGATES;
const PEER_REQUESTS = Object.keys(PEER_REQUEST_DELEGATES) as PeerRequest[];

function eachRequest(entry: (type: PeerRequest, delegate: string) => OracleEntry): Partial<Record<MessageTypeName, OracleEntry>> {
  return Object.fromEntries(PEER_REQUESTS.map((t) => [t, entry(t, PEER_REQUEST_DELEGATES[t])]));
}

const readyDefault: OracleEntry = {
  fabric: 'end-stream',
  source: `${FABRIC_PEER} handleMessageReadyState default: "Fabric side handler cannot handle message (...) while in ready state" -> ProcessStream returns`,
};

/** Requests and final replies for a (channel, txid) that has no transaction context. */
function peerNoContextEntries(extra: Partial<OracleEntry> = {}): Partial<Record<MessageTypeName, OracleEntry>> {
  return {
    ...eachRequest((t, delegate) => ({
      fabric: 'error-reply',
      source:
        t === 'INVOKE_CHAINCODE'
          ? `${FABRIC_PEER} HandleTransaction -> getTxContextForInvoke -> isValidTxSim fails: ERROR "INVOKE_CHAINCODE failed: transaction ID: <txid>: could not get valid transaction" (${delegate} not run)`
          : `${FABRIC_PEER} HandleTransaction -> isValidTxSim fails: ERROR "${t} failed: transaction ID: <txid>: no ledger context" (${delegate} not run)`,
      ...extra,
    })),
    COMPLETED: { fabric: 'ignore', source: `${FABRIC_PEER} handleMessageReadyState -> Notify: no TXContexts entry, logged and dropped`, ...extra },
    ERROR: { fabric: 'ignore', source: `${FABRIC_PEER} handleMessageReadyState -> Notify: no TXContexts entry, logged and dropped`, ...extra },
  };
}

const REGISTERING_GAP =
  'Fabric reads nothing between REGISTER and READY: handleMessageCreatedState calls HandleRegister synchronously in the ' +
  'ProcessStream receive loop, and HandleRegister asks the registry, sends REGISTERED and READY before it returns. A message ' +
  'sent right after REGISTER is therefore read in ready. ccproto asks the registry asynchronously (registryVerdict) and ends ' +
  'the stream for anything but KEEPALIVE in that window. No shim sends anything but KEEPALIVE before READY, so compliant ' +
  'chaincode never sees the difference (docs/deviations.md P17).';

export const PEER_SITUATIONS: Record<string, Situation> = {
  created: {
    ours: 'created',
    fabric: 'created: a new stream, no REGISTER yet',
    row: {
      entries: {
        REGISTER: {
          fabric: 'accept-handshake',
          source: `${FABRIC_PEER} handleMessageCreatedState -> HandleRegister: Registry.Register, send REGISTERED, state established, notifyRegistry -> sendReady: send READY, state ready`,
        },
        KEEPALIVE: peerKeepalive,
      },
      other: {
        fabric: 'end-stream',
        source: `${FABRIC_PEER} handleMessageCreatedState default: "Fabric side handler cannot handle message (...) while in created state" -> ProcessStream returns`,
      },
    },
  },
  registering: {
    ours: 'registering',
    fabric:
      'no Fabric state: our registry window (REGISTER read, verdict pending). Fabric does this inside HandleRegister, ' +
      'reading nothing meanwhile, so a message sent here is read after READY, i.e. as in ready with no transaction for its txid ' +
      '(registry accepting; a refused REGISTER leaves Fabric in created). Fabric\'s own in-between state, established, ' +
      'matches our transient `established`, which no message can meet',
    row: {
      entries: {
        KEEPALIVE: peerKeepalive,
        ...Object.fromEntries(
          Object.entries(peerNoContextEntries()).map(([t, e]) => [t, { ...e, deviation: { id: 'P17', ours: 'end-stream' }, note: REGISTERING_GAP }]),
        ),
      },
      other: { ...readyDefault, note: 'read once READY is sent (HandleRegister runs inside the receive loop)' },
    },
  },
  ready: {
    ours: 'ready',
    fabric: 'ready, the message names a transaction that is executing (TXContexts has it), no request of it being served',
    row: {
      entries: {
        ...eachRequest((_t, delegate) => ({
          fabric: 'serve-request',
          source: `${FABRIC_PEER} handleMessageReadyState -> go HandleTransaction(${delegate}): registerTxid, isValidTxSim, delegate, send RESPONSE (ERROR if the delegate fails)`,
        })),
        COMPLETED: { fabric: 'finish-transaction', source: `${FABRIC_PEER} handleMessageReadyState -> Notify: ResponseNotifier <- msg, Execute returns it` },
        ERROR: { fabric: 'finish-transaction', source: `${FABRIC_PEER} handleMessageReadyState -> Notify: ResponseNotifier <- msg, Execute returns it` },
        KEEPALIVE: peerKeepalive,
      },
      other: readyDefault,
    },
  },
  'ready/serving': {
    ours: 'ready',
    fabric: 'ready, the message names a transaction one of whose requests is still being served (ActiveTransactions has it)',
    row: {
      entries: {
        ...eachRequest((_t, delegate) => ({
          fabric: 'ignore',
          source: `${FABRIC_PEER} HandleTransaction -> registerTxid: "Another request pending for this CC ... Cannot process." logged, request dropped (${delegate} not run, nothing sent)`,
          deviation: { id: 'P1', ours: 'error-reply' },
        })),
        COMPLETED: {
          fabric: 'finish-transaction',
          source: `${FABRIC_PEER} handleMessageReadyState -> Notify: ResponseNotifier <- msg, Execute returns it`,
          note: 'Fabric still sends the served request\'s reply when its HandleTransaction goroutine ends; ccproto drops that late serve result (see the report in docs/oracle.md)',
        },
        ERROR: { fabric: 'finish-transaction', source: `${FABRIC_PEER} handleMessageReadyState -> Notify: ResponseNotifier <- msg, Execute returns it` },
        KEEPALIVE: peerKeepalive,
      },
      other: readyDefault,
    },
  },
  'ready/unknown-tx': {
    ours: 'ready',
    fabric: 'ready, the message names a (channel, txid) with no transaction context (never started, or already finished)',
    row: {
      entries: { ...peerNoContextEntries(), KEEPALIVE: peerKeepalive },
      other: readyDefault,
    },
  },
  closed: {
    ours: 'closed',
    fabric: 'after the stream ended (EOF/receive error): ProcessStream has returned and calls Recv no more',
    row: { entries: {}, other: { fabric: 'not-read', source: `${FABRIC_PEER} ProcessStream: returned on io.EOF / Recv error, no further Recv` } },
  },
  failed: {
    ours: 'failed',
    fabric: 'after handleMessage returned an error: ProcessStream has returned and calls Recv no more',
    row: { entries: {}, other: { fabric: 'not-read', source: `${FABRIC_PEER} ProcessStream: returned "error handling message, ending stream", no further Recv` } },
  },
};

/** Payload-level variants on the peer side (the type alone does not decide them). */
export const PEER_VARIANTS: { situation: string; type: MessageTypeName; variant: Variant; entry: OracleEntry }[] = [
  {
    situation: 'created',
    type: 'REGISTER',
    variant: 'empty-name',
    entry: {
      fabric: 'ignore',
      source: `${FABRIC_PEER} HandleRegister: empty ChaincodeID.name -> notifyRegistry(error) -> Registry.Failed; nothing sent, state stays created`,
      deviation: { id: 'P2', ours: 'error-reply-and-end-stream' },
    },
  },
  {
    situation: 'created',
    type: 'REGISTER',
    variant: 'registry-refuses',
    entry: {
      fabric: 'ignore',
      source: `${FABRIC_PEER} HandleRegister: Registry.Register error (handler_registry.go Register: "duplicate chaincodeID", "peer will not accept external chaincode connection") -> notifyRegistry(error); nothing sent, state stays created`,
      deviation: { id: 'P2', ours: 'error-reply-and-end-stream' },
    },
  },
  {
    situation: 'created',
    type: 'REGISTER',
    variant: 'unparsable-payload',
    entry: {
      fabric: 'ignore',
      source: `${FABRIC_PEER} HandleRegister: proto.Unmarshal(ChaincodeID) fails -> logged, return; nothing sent, state stays created`,
      deviation: { id: 'P3', ours: 'error-reply-and-end-stream' },
    },
  },
  {
    situation: 'ready',
    type: 'PUT_STATE',
    variant: 'unparsable-payload',
    entry: {
      fabric: 'error-reply',
      source: `${FABRIC_PEER} HandleTransaction -> HandlePutState: proto.Unmarshal fails -> ERROR "PUT_STATE failed: transaction ID: <txid>: unmarshal failed: ..."`,
    },
  },
  {
    situation: 'ready',
    type: 'COMPLETED',
    variant: 'unparsable-payload',
    entry: {
      fabric: 'finish-transaction',
      source: `${FABRIC_PEER} Notify -> Execute returns it; chaincode_support.go processChaincodeExecutionResult: "failed to unmarshal response for transaction <txid>"`,
      note: 'P5: the same outcome; we also report MALFORMED_PAYLOAD',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Chaincode side: the Go shim (fabric-chaincode-go/v2 shim/handler.go). States created,
// established, ready (handler.go `state`). handleMessage echoes KEEPALIVE (serialSendAsync of the
// same message) before looking at the state; any error from the state handler is answered with an
// ERROR carrying the message's txid (handleMessage), and chatWithPeer (shim.go) then returns,
// ending the stream.
// ---------------------------------------------------------------------------------------------

const ccKeepalive: OracleEntry = {
  fabric: 'echo',
  source: `${GO_SHIM} handleMessage: KEEPALIVE -> serialSendAsync(msg) before the state switch`,
  node: 'fabric-shim main echoes too (chat: stream.write(msgpb)); 2.5.8 has no KEEPALIVE case (S4, P4)',
};

function ccStateError(fn: string, state: string): OracleEntry {
  return {
    fabric: 'error-reply-and-end-stream',
    source: `${GO_SHIM} ${fn}: "[<txid>] Chaincode h cannot handle message (<type>) while in state: ${state}" -> handleMessage sends ERROR{txid}; shim.go chatWithPeer returns`,
  };
}

const readyOther: OracleEntry = {
  ...ccStateError('handleReady default', 'ready'),
  node: 'fabric-shim: REGISTERED/READY silently ignored, any other type process.exit(1) (C2)',
};

const startTx = (t: 'INIT' | 'TRANSACTION'): OracleEntry => ({
  fabric: 'start-transaction',
  source: `${GO_SHIM} handleReady: ${t} -> go handleStubInteraction(${t === 'INIT' ? 'handleInit' : 'handleTransaction'})`,
});

/** INIT/TRANSACTION for a (channel, txid) that is already running: the Go shim does not check. */
const duplicateStartTx = (t: 'INIT' | 'TRANSACTION'): OracleEntry => ({
  ...startTx(t),
  source: `${startTx(t).source}; no check for a running (channel, txid)`,
  deviation: { id: 'C3', ours: 'ignore' },
  node: 'fabric-shim does not check either',
});

const noResponseChannel = (what: string): OracleEntry => ({
  fabric: 'error-reply-and-end-stream',
  source: `${GO_SHIM} handleReady -> handleResponse: "[<txid>] responseChannel does not exist" (${what}) -> handleMessage sends ERROR{txid}; chatWithPeer returns`,
  node: 'fabric-shim: MsgQueueHandler.handleMsgResponse finds no queued message and drops it',
});

const RUNNING_NO_REQUEST_GAP =
  'The Go shim keeps a response channel only while a stub call waits (callPeerWithChaincodeMsg), so a RESPONSE/ERROR for a ' +
  'running transaction with no call outstanding meets the same "responseChannel does not exist" as one for an unknown ' +
  'transaction: ERROR and end of stream. ccproto reports UNEXPECTED_RESPONSE and sends nothing (docs/deviations.md C4).';

export const CHAINCODE_SITUATIONS: Record<string, Situation> = {
  idle: {
    ours: 'idle',
    fabric: 'no Go shim state: shim.go chatWithPeer creates the handler and sends REGISTER before its first Recv, so nothing is read before',
    row: { entries: {}, other: { fabric: 'not-read', source: 'fabric-chaincode-go shim/shim.go chatWithPeer: newChaincodeHandler, send REGISTER, then Recv' } },
  },
  created: {
    ours: 'created',
    fabric: 'created: REGISTER sent, waiting for REGISTERED',
    row: {
      entries: {
        REGISTERED: { fabric: 'accept-handshake', source: `${GO_SHIM} handleCreated: state = established` },
        KEEPALIVE: ccKeepalive,
      },
      other: { ...ccStateError('handleCreated', 'created'), node: 'fabric-shim: ERROR (newErrorMsg), stream kept, state unchanged (C2)' },
    },
  },
  established: {
    ours: 'established',
    fabric: 'established: REGISTERED received, waiting for READY',
    row: {
      entries: {
        READY: { fabric: 'accept-handshake', source: `${GO_SHIM} handleEstablished: state = ready (an unparsable ChaincodeAdditionalParams is ignored)` },
        KEEPALIVE: ccKeepalive,
      },
      other: { ...ccStateError('handleEstablished', 'established'), node: 'fabric-shim: ERROR (newErrorMsg), stream kept, state unchanged (C2)' },
    },
  },
  'ready/awaiting-reply': {
    ours: 'ready',
    fabric: 'ready, the message names a running transaction whose stub call waits for its reply (responseChannels has it)',
    row: {
      entries: {
        RESPONSE: { fabric: 'deliver-reply', source: `${GO_SHIM} handleReady -> handleResponse: responseCh <- msg (callPeerWithChaincodeMsg returns it)` },
        ERROR: { fabric: 'deliver-reply', source: `${GO_SHIM} handleReady -> handleResponse: responseCh <- msg (callPeerWithChaincodeMsg returns it)` },
        INIT: duplicateStartTx('INIT'),
        TRANSACTION: duplicateStartTx('TRANSACTION'),
        KEEPALIVE: ccKeepalive,
      },
      other: readyOther,
    },
  },
  'ready/running': {
    ours: 'ready',
    fabric: 'ready, the message names a running transaction with no stub call outstanding (no response channel)',
    row: {
      entries: {
        RESPONSE: { ...noResponseChannel('no call outstanding'), deviation: { id: 'C4', ours: 'ignore' }, note: RUNNING_NO_REQUEST_GAP },
        ERROR: { ...noResponseChannel('no call outstanding'), deviation: { id: 'C4', ours: 'ignore' }, note: RUNNING_NO_REQUEST_GAP },
        INIT: duplicateStartTx('INIT'),
        TRANSACTION: duplicateStartTx('TRANSACTION'),
        KEEPALIVE: ccKeepalive,
      },
      other: readyOther,
    },
  },
  'ready/unknown-tx': {
    ours: 'ready',
    fabric: 'ready, the message names a (channel, txid) that is not running (never started, or finished)',
    row: {
      entries: {
        RESPONSE: { ...noResponseChannel('transaction not running'), deviation: { id: 'C1', ours: 'ignore' } },
        ERROR: { ...noResponseChannel('transaction not running'), deviation: { id: 'C1', ours: 'ignore' } },
        INIT: startTx('INIT'),
        TRANSACTION: startTx('TRANSACTION'),
        KEEPALIVE: ccKeepalive,
      },
      other: readyOther,
    },
  },
  closed: {
    ours: 'closed',
    fabric: 'after the stream ended: chatWithPeer has returned (EOF / receive error) and calls Recv no more',
    row: { entries: {}, other: { fabric: 'not-read', source: 'fabric-chaincode-go shim/shim.go chatWithPeer: returned on io.EOF / Recv error' } },
  },
  failed: {
    ours: 'failed',
    fabric: 'after a message was refused: chatWithPeer has returned "error handling message" and calls Recv no more',
    row: { entries: {}, other: { fabric: 'not-read', source: 'fabric-chaincode-go shim/shim.go chatWithPeer: returned "error handling message: ..."' } },
  },
};

export const CHAINCODE_VARIANTS: { situation: string; type: MessageTypeName; variant: Variant; entry: OracleEntry }[] = [
  {
    situation: 'ready/unknown-tx',
    type: 'TRANSACTION',
    variant: 'unparsable-payload',
    entry: {
      fabric: 'error-reply',
      source: `${GO_SHIM} handleStubInteraction -> handleTransaction: "failed to unmarshal input: ..." -> ERROR{txid, channel}; stream kept`,
    },
  },
  {
    situation: 'ready/unknown-tx',
    type: 'INIT',
    variant: 'unparsable-payload',
    entry: {
      fabric: 'error-reply',
      source: `${GO_SHIM} handleStubInteraction -> handleInit: "failed to unmarshal input: ..." -> ERROR{txid, channel}; stream kept`,
    },
  },
];

/** Our handler states that no message can meet at rest, so they have no situation. */
export const TRANSIENT_STATES = {
  peer: {
    // The chart's `established` has only an eventless transition to `ready` (REGISTERED and READY
    // go out in one step), as Fabric's established lasts only inside HandleRegister.
    established: `${FABRIC_PEER} HandleRegister: established only between sending REGISTERED and READY`,
  },
  chaincode: {},
} as const;

/** Every cell: each situation x every message type, then the payload variants. */
export function oracleCells(allTypes: readonly MessageTypeName[]): OracleCell[] {
  const cells: OracleCell[] = [];
  const sides = [
    ['peer', PEER_SITUATIONS, PEER_VARIANTS],
    ['chaincode', CHAINCODE_SITUATIONS, CHAINCODE_VARIANTS],
  ] as const;
  for (const [side, situations, variants] of sides) {
    for (const [situation, { row }] of Object.entries(situations)) {
      for (const type of allTypes) cells.push({ side, situation, type, ...(row.entries[type] ?? row.other) });
    }
    for (const v of variants) cells.push({ side, situation: v.situation, type: v.type, variant: v.variant, ...v.entry });
  }
  return cells;
}
