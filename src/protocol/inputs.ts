/**
 * Inputs of the pure cores. Each carries `now` (milliseconds on the adapter's monotonic clock);
 * the cores never read a clock themselves. Commands from the embedding code are `app*` inputs.
 */
import type {
  ChaincodeEvent,
  ChaincodeInput,
  Bytes,
  Malformed,
  Message,
  MessageOf,
  Response,
  SignedProposal,
} from './messages.js';
import type { RequestTypeName } from './messageType.js';

interface Timed {
  now: number;
}

/** A decoded message arrived. */
export interface RecvInput extends Timed {
  kind: 'recv';
  message: Message;
}
/** Bytes arrived that did not decode (see `Malformed`). */
export interface RecvMalformedInput extends Timed {
  kind: 'recvMalformed';
  malformed: Malformed;
}
/** A timer the core started has fired. */
export interface TimerFiredInput extends Timed {
  kind: 'timerFired';
  timerId: string;
}
/** The transport ended (remote EOF, transport error, or our own close completing). */
export interface TransportClosedInput extends Timed {
  kind: 'transportClosed';
  reason: string;
}
/** The embedding code wants the connection closed (shutdown). */
export interface AppShutdownInput extends Timed {
  kind: 'appShutdown';
  reason: string;
}

// ---- peer side -------------------------------------------------------------------------------

/** The registry's verdict on a REGISTER (duplicate names, unsolicited registrations). */
export interface RegistryVerdictInput extends Timed {
  kind: 'registryVerdict';
  accepted: boolean;
  /** Refusal text, e.g. `duplicate chaincodeID: mycc:1.0`. */
  reason?: string;
}

/** Run INIT or TRANSACTION on the chaincode (fabric chaincode_support.go Execute). */
export interface AppExecuteInput extends Timed {
  kind: 'appExecute';
  /** Caller's correlation id; echoed in `settleExecute`. */
  executeId: number;
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  input: ChaincodeInput;
  proposal: SignedProposal | undefined;
  /** Execute timeout; Fabric's default is 30 s. */
  timeoutMs: number;
}

/** The answer to a `serveRequest` effect: RESPONSE payload bytes, or the ERROR cause text. */
export interface ServeResultInput extends Timed {
  kind: 'serveResult';
  /** The `serveId` of the `serveRequest` this answers (a late result of an earlier transaction
   * that reused the same channel and txid must not be taken for the current one). */
  serveId: number;
  channelId: string;
  txid: string;
  result: { ok: true; payload: Bytes } | { ok: false; cause: string };
}

export type PeerCoreInput =
  | RecvInput
  | RecvMalformedInput
  | TimerFiredInput
  | TransportClosedInput
  | AppShutdownInput
  | RegistryVerdictInput
  | AppExecuteInput
  | ServeResultInput;

// ---- chaincode side --------------------------------------------------------------------------

/** Start the handshake: send REGISTER with this chaincode id name (`label:hash` or `name:version`). */
export interface AppStartInput extends Timed {
  kind: 'appStart';
  chaincodeName: string;
  /** Correlates the answer: the `ready`, `handshakeFailed` or `startRefused` effect carries it. */
  startId: number;
}

export type RequestMessage = { [T in RequestTypeName]: MessageOf<T> }[RequestTypeName];

/** A stub call of a running transaction wants to send a request to the peer. */
export interface AppRequestInput extends Timed {
  kind: 'appRequest';
  /** Caller's correlation id; echoed in `settleRequest`. */
  requestId: number;
  /** The request; its txid and channelId name the transaction. */
  message: RequestMessage;
}

/** Chaincode Init/Invoke returned a response (any status). */
export interface AppResultInput extends Timed {
  kind: 'appResult';
  channelId: string;
  txid: string;
  response: Response;
  event: ChaincodeEvent | undefined;
}

/** Chaincode Init/Invoke failed (threw, or the runtime could not build a stub). */
export interface AppFailedInput extends Timed {
  kind: 'appFailed';
  channelId: string;
  txid: string;
  message: string;
  event?: ChaincodeEvent | undefined;
}

export type ChaincodeCoreInput =
  | RecvInput
  | RecvMalformedInput
  | TimerFiredInput
  | TransportClosedInput
  | AppShutdownInput
  | AppStartInput
  | AppRequestInput
  | AppResultInput
  | AppFailedInput;
