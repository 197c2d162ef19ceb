/**
 * What the request server needs from the peer runtime for one running transaction: the
 * transaction's simulation and the chaincode-to-chaincode entry point. Mirrors the fields of
 * Fabric's TransactionContext that core/chaincode/handler.go reads while serving a request
 * (NamespaceID, ChannelID, IsInitTransaction, TXSimulator) plus the Invoker of
 * HandleInvokeChaincode.
 */
import type { Bytes, Message } from '../../protocol/messages.js';
import type { Simulation } from '../../ledger/index.js';

/** One chaincode-to-chaincode call as HandleInvokeChaincode hands it to the Invoker. */
export interface InvokeCall {
  /** Target chaincode name, version suffix and channel already removed (handler.go ParseName). */
  chaincode: string;
  /** Target channel: the `/channel` suffix, or the caller's channel when there is none. */
  channel: string;
  /** Target channel == caller's channel: the callee shares the caller's simulation. Otherwise
   * Fabric opens a fresh simulator on the target channel and discards it afterwards. */
  sameChannel: boolean;
  /** ChaincodeInput.args as the caller sent them. */
  args: Bytes[];
  /** ChaincodeInput.is_init: chaincode_support.go CheckInvocation sends INIT instead of
   * TRANSACTION when it is set (and the callee requires initialisation). Usually false. */
  isInit: boolean;
}

/** What the runtime reports for a chaincode-to-chaincode call. */
export type InvokeOutcome =
  /** The callee's final ChaincodeMessage (COMPLETED or ERROR) exactly as it sent it. */
  | { ok: true; message: Message }
  /**
   * The call could not run to a final message: unknown chaincode, launch failure, timeout,
   * stream ended ... The server answers `execute failed: <cause>` (handler.go
   * HandleInvokeChaincode wraps the Invoker's error so). Set `unwrapped` for the failures Fabric
   * reports before the Invoker runs and therefore without that prefix: the ACL check
   * (`signed proposal must not be nil from caller [...]`, policy failures) and
   * `failed to find ledger for channel: <ch>`.
   */
  | { ok: false; cause: string; unwrapped?: boolean };

export interface TxServeContext {
  /** The transaction's simulation, seen from the chaincode being served. */
  simulation: Simulation;
  /** Chaincode name = the simulation's namespace (KV.namespace in query results). */
  namespace: string;
  /** The transaction is an INIT (TransactionContext.IsInitTransaction). */
  isInit: boolean;
  /** Channel of the transaction = the simulation's channel. */
  channel: string;
  /**
   * Chaincode-to-chaincode: execute `chaincode` on `channel` with `args` and return the callee's
   * final ChaincodeMessage (COMPLETED or ERROR) exactly as it sent it, or a failure cause. May
   * also throw: a thrown error counts as a failure cause (its message). Implemented by the peer
   * runtime.
   */
  invokeChaincode(call: InvokeCall): Promise<InvokeOutcome>;
}
