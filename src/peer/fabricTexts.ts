/**
 * The texts a Fabric v2.5 peer reports for an invocation that does not succeed, composed as Fabric
 * composes them: each layer of the call chain (endorser → ChaincodeSupport.Execute → Invoke →
 * CheckInvocation / Launch / execute → Handler.Execute) adds its own words in front of the error it
 * got, so the client reads the layers from the outside in. The words are Fabric's; the code is
 * ours (each function names the Fabric file and function whose text it reproduces).
 *
 * What a client of `ccproto peer` sees (`Peer.invoke`, the HTTP API, `ccproto invoke`/`query`):
 *
 * | what happened | Fabric's text (status 500 unless the chaincode chose one) |
 * |---|---|
 * | the chaincode answered COMPLETED, any status | its own response, status and message unchanged |
 * | the chaincode answered ERROR | `error in simulation: transaction returned with failure: <ERROR payload>` |
 * | Init rules of an init-required chaincode | `error in simulation: failed to execute transaction <txid>: invalid invocation: chaincode '<name>' …` |
 * | launch failed | `error in simulation: failed to execute transaction <txid>: could not launch chaincode <name>: …` |
 * | execute timeout, stream ended | `error in simulation: failed to execute transaction <txid>: error sending: <handler text>` |
 * | COMPLETED payload does not parse | `error in simulation: failed to unmarshal response for transaction <txid>: …` |
 * | the chaincode is not defined | `make sure the chaincode <name> has been successfully defined on channel <ch> and try again: chaincode <name> not found` |
 *
 * A chaincode calling another (INVOKE_CHAINCODE) gets Invoke's error wrapped only by the handler:
 * `<TYPE> failed: transaction ID: <txid>: execute failed: <Invoke's error>` (the first part is added
 * by the core, `execute failed: ` by src/peer/serve/invoke.ts); the callee's own ERROR is not an
 * error there: it is handed back to the caller as the callee's final message.
 */

/**
 * The reserved key, in the chaincode's own namespace, whose value is the version of the chaincode
 * definition that was initialized (fabric core/chaincode/chaincode_support.go, const
 * InitializedKeyName = "\x00" + string(utf8.MaxRune) + "initialized").
 */
export const INITIALIZED_KEY = '\u0000\u{10FFFF}initialized';

/**
 * The dev peer has no chaincode definitions; every chaincode counts as defined at this version (the
 * version launched chaincode registers with, docs/deviations.md P7). It is what the Init of an
 * init-required chaincode writes under INITIALIZED_KEY, as Fabric writes the definition's version.
 */
export const DEFINITION_VERSION = '1.0';

/**
 * fabric core/scc/lscc/lscc.go SCC.ChaincodeEndorsementInfo (`chaincode %s not found`), reached from
 * core/chaincode/lifecycle/endorsement_info.go ChaincodeEndorsementInfo when the new lifecycle has
 * no definition either.
 */
export const chaincodeNotFoundCause = (name: string): string => `chaincode ${name} not found`;

/**
 * fabric core/chaincode/chaincode_support.go CheckInvocation: the lifecycle lookup failing,
 * `errors.Wrapf(err, "[channel %s] failed to get chaincode container info for %s", …)`.
 */
export const containerInfoFailed = (channel: string, name: string, cause: string): string =>
  `[channel ${channel}] failed to get chaincode container info for ${name}: ${cause}`;

/** fabric core/chaincode/chaincode_support.go CheckInvocation: an invoke before the first Init. */
export const notInitialized = (name: string): string => `chaincode '${name}' has not been initialized for this version, must call as init first`;

/** fabric core/chaincode/chaincode_support.go CheckInvocation: an Init after the first one. */
export const alreadyInitialized = (name: string): string => `chaincode '${name}' is already initialized but called as init`;

/** fabric core/chaincode/chaincode_support.go CheckInvocation: reading the flag failed. */
export const couldNotGetInitializedKey = (cause: string): string => `could not get 'initialized' key: ${cause}`;

/** fabric core/chaincode/chaincode_support.go CheckInvocation: writing the flag failed. */
export const couldNotSetInitializedKey = (cause: string): string => `could not set 'initialized' key: ${cause}`;

/** fabric core/chaincode/chaincode_support.go Invoke: `errors.WithMessage(err, "invalid invocation")` around CheckInvocation. */
export const invalidInvocation = (cause: string): string => `invalid invocation: ${cause}`;

/**
 * fabric core/chaincode/chaincode_support.go execute: `errors.WithMessage(err, "error sending")`
 * around Handler.Execute's error (core/chaincode/handler.go Execute: ErrorExecutionTimeout
 * `timeout expired while executing transaction`, ErrorStreamTerminated `chaincode stream
 * terminated`, or TransactionContexts.Create's `txid: <txid>(<channel>) exists`).
 */
export const errorSending = (cause: string): string => `error sending: ${cause}`;

/**
 * fabric core/chaincode/chaincode_support.go processChaincodeExecutionResult: Invoke's error,
 * `errors.Wrapf(err, "failed to execute transaction %s", txid)`.
 */
export const failedToExecute = (txId: string, cause: string): string => `failed to execute transaction ${txId}: ${cause}`;

/**
 * fabric core/chaincode/chaincode_support.go processChaincodeExecutionResult: a COMPLETED whose
 * payload is not a Response, `errors.Wrapf(err, "failed to unmarshal response for transaction %s", txid)`.
 */
export const failedToUnmarshalResponse = (txId: string, reason: string): string => `failed to unmarshal response for transaction ${txId}: ${reason}`;

/**
 * fabric core/endorser/endorser.go ProcessProposalSuccessfullyOrError: whatever simulateProposal
 * (callChaincode → ChaincodeSupport.Execute) returned as an error,
 * `errors.WithMessage(err, "error in simulation")`; ProcessProposal answers it with status 500.
 * A chaincode's ERROR reaches it as processChaincodeExecutionResult's
 * `transaction returned with failure: <payload>`; a COMPLETED with status >= 400 is no error and
 * is returned unchanged.
 */
export const errorInSimulation = (cause: string): string => `error in simulation: ${cause}`;

/**
 * fabric core/endorser/endorser.go ProcessProposalSuccessfullyOrError: the endorser's own lookup of
 * the chaincode (ChaincodeEndorsementInfo) before anything runs,
 * `errors.WithMessagef(err, "make sure the chaincode %s has been successfully defined on channel %s and try again", …)`.
 */
export const notDefinedOnChannel = (name: string, channel: string, cause: string): string =>
  `make sure the chaincode ${name} has been successfully defined on channel ${channel} and try again: ${cause}`;
