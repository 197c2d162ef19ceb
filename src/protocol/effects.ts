/**
 * Effects: the only things an adapter may do for a core, as data with imperative names. The
 * drive-loop contract (src/core/index.ts) says they are executed in order before the next input.
 */
import type { ChaincodeAdditionalParams, ChaincodeEvent, ChaincodeInput, Bytes, Message, Response, SignedProposal } from './messages.js';
import type { RequestMessage } from './inputs.js';
import type { TimerKind } from './timers.js';
import type { Violation } from './violations.js';

/** Put a message on the stream. */
export interface SendEffect {
  kind: 'send';
  message: Message;
}
/** End the stream with a reason (after any sends emitted before it). */
export interface CloseStreamEffect {
  kind: 'closeStream';
  reason: string;
}
/** Arm a timer; fire `timerFired{timerId}` at or after `deadline` (same clock as `now`). */
export interface StartTimerEffect {
  kind: 'startTimer';
  timerId: string;
  timer: TimerKind;
  deadline: number;
}
export interface CancelTimerEffect {
  kind: 'cancelTimer';
  timerId: string;
}
/** A protocol violation happened (always emitted, besides its wire consequence): log it, count it. */
export interface ViolationEffect {
  kind: 'violation';
  violation: Violation;
}

// ---- peer side ----

/** Ask the registry to accept a REGISTER under this name; answer with `registryVerdict`. */
export interface RegisterEffect {
  kind: 'register';
  chaincodeName: string;
}
/** The handshake finished (READY sent): launches waiting for this chaincode may proceed. */
export interface HandlerReadyEffect {
  kind: 'handlerReady';
  chaincodeName: string;
}
/** Serve a shim request from the ledger (or a chaincode-to-chaincode call); answer with `serveResult`. */
export interface ServeRequestEffect {
  kind: 'serveRequest';
  serveId: number;
  request: RequestMessage;
}

export type ExecuteFailure =
  /** The chaincode answered ERROR: `transaction returned with failure: <text>` (`errorPayload`
   * holds the ERROR payload as sent, which a chaincode-to-chaincode caller receives nested). */
  | 'chaincodeError'
  /** `timeout expired while executing transaction` */
  | 'timeout'
  /** `chaincode stream terminated` */
  | 'streamTerminated'
  /** The execute was refused before anything was sent (duplicate txid, handler not ready). */
  | 'refused'
  /** The stream's admission limit (PeerConnection's maxTransactionsPerStream; never the core): the
   * stream never saw the transaction. */
  | 'overloaded'
  /** The chaincode's final reply did not parse (`cause` says why). */
  | 'malformedReply';

/** Settle an `appExecute`, exactly once. */
export interface SettleExecuteEffect {
  kind: 'settleExecute';
  executeId: number;
  channelId: string;
  txid: string;
  outcome:
    | { ok: true; response: Response; event: ChaincodeEvent | undefined }
    | { ok: false; failure: ExecuteFailure; message: string; errorPayload?: Bytes; cause?: string };
}

export type PeerEffect =
  | SendEffect
  | CloseStreamEffect
  | StartTimerEffect
  | CancelTimerEffect
  | ViolationEffect
  | RegisterEffect
  | HandlerReadyEffect
  | ServeRequestEffect
  | SettleExecuteEffect;

// ---- chaincode side ----

/** The handshake finished: the peer's READY capabilities (all zero for peers before Fabric 3.1). */
export interface ChaincodeReadyEffect {
  kind: 'ready';
  /** The accepted `appStart`'s id. */
  startId: number;
  params: ChaincodeAdditionalParams;
}
/** The handshake ended before READY (the stream closed, was shut down, or the peer refused or broke
 *  the protocol): whoever waits for READY learns why. */
export interface ChaincodeHandshakeFailedEffect {
  kind: 'handshakeFailed';
  /** The accepted `appStart`'s id. */
  startId: number;
  reason: string;
}
/** An `appStart` after the first one (or after the stream ended) is refused: its caller learns why. */
export interface ChaincodeStartRefusedEffect {
  kind: 'startRefused';
  startId: number;
  reason: string;
}
/** Run the chaincode's Init or Invoke for a new transaction; answer with `appResult` or `appFailed`. */
export interface RunChaincodeEffect {
  kind: 'runChaincode';
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  input: ChaincodeInput;
  proposal: SignedProposal | undefined;
}
/** Settle an `appRequest`, exactly once: the RESPONSE payload, or the error text. */
export interface SettleRequestEffect {
  kind: 'settleRequest';
  channelId: string;
  txid: string;
  requestId: number;
  outcome: { ok: true; payload: Bytes } | { ok: false; message: string };
}
/** A transaction ended (answered, or abandoned because the stream closed); drop per-tx resources. */
export interface TxEndedEffect {
  kind: 'txEnded';
  channelId: string;
  txid: string;
  how: 'completed' | 'failed' | 'aborted';
}

export type ChaincodeEffect =
  | SendEffect
  | CloseStreamEffect
  | StartTimerEffect
  | CancelTimerEffect
  | ViolationEffect
  | ChaincodeReadyEffect
  | ChaincodeHandshakeFailedEffect
  | ChaincodeStartRefusedEffect
  | RunChaincodeEffect
  | SettleRequestEffect
  | TxEndedEffect;
