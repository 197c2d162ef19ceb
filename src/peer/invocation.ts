/**
 * One invocation as Fabric's ChaincodeSupport sees it (fabric core/chaincode/chaincode_support.go):
 * CheckInvocation before anything runs, and the outcome of Invoke in Fabric's words, which each
 * caller wraps in its own layer (src/peer/fabricTexts.ts).
 */
import type { ExecuteResult } from '../drive/peerConnection.js';
import type { Simulation } from '../ledger/index.js';
import { utf8Bytes, type Bytes, type ChaincodeEvent, type Response } from '../protocol/messages.js';
import {
  DEFINITION_VERSION,
  INITIALIZED_KEY,
  alreadyInitialized,
  chaincodeNotFoundCause,
  containerInfoFailed,
  couldNotGetInitializedKey,
  couldNotSetInitializedKey,
  errorSending,
  failedToExecute,
  failedToUnmarshalResponse,
  notInitialized,
} from './fabricTexts.js';

/**
 * What one execution of a chaincode came to, as ChaincodeSupport.Invoke yields it (fabric
 * core/chaincode/chaincode_support.go Invoke): the chaincode's final message, or Invoke's error in
 * Fabric's words. Each caller adds its own layer (src/peer/fabricTexts.ts): the top-level
 * invocation processChaincodeExecutionResult's and the endorser's, a chaincode-to-chaincode call
 * HandleInvokeChaincode's.
 */
export type Invoked =
  | { kind: 'completed'; response: Response; event: ChaincodeEvent | undefined }
  /** The chaincode answered ERROR: `text` is `transaction returned with failure: <payload>`. */
  | { kind: 'chaincodeError'; text: string; payload: Bytes }
  /** The COMPLETED payload is not a Response. */
  | { kind: 'malformedReply'; reason: string }
  /** Invoke's error: `invalid invocation: …`, `could not launch chaincode …`, `error sending: …`. */
  | { kind: 'error'; error: string }
  /** Refused by one of the dev peer's own bounds before anything ran: no Fabric layer to add. */
  | { kind: 'refused'; message: string };

/** An ExecuteResult of the drive as Invoke's outcome (handler.go Execute → chaincode_support.go execute). */
export function invokedFrom(r: ExecuteResult): Invoked {
  if (r.ok) return { kind: 'completed', response: r.response, event: r.event };
  switch (r.failure) {
    case 'chaincodeError':
      return { kind: 'chaincodeError', text: r.message, payload: r.errorPayload ?? utf8Bytes(r.message) };
    case 'malformedReply':
      return { kind: 'malformedReply', reason: r.cause ?? r.message };
    case 'overloaded':
      // The admission limit's own text (ours, not Fabric's: docs/deviations.md P22).
      return { kind: 'refused', message: r.message };
    default:
      // timeout, streamTerminated: Handler.Execute's error, wrapped by execute.
      return { kind: 'error', error: errorSending(r.message) };
  }
}

/**
 * ChaincodeSupport.Execute's error text for an outcome that is not a COMPLETED (fabric
 * core/chaincode/chaincode_support.go processChaincodeExecutionResult), or ours for a refusal.
 */
export function executeErrorText(txId: string, r: Exclude<Invoked, { kind: 'completed' }>): string {
  switch (r.kind) {
    case 'chaincodeError':
      return r.text;
    case 'malformedReply':
      return failedToUnmarshalResponse(txId, r.reason);
    case 'error':
      return failedToExecute(txId, r.error);
    case 'refused':
      return r.message;
  }
}

/**
 * fabric core/chaincode/chaincode_support.go CheckInvocation, before anything is launched: the
 * chaincode must be defined; for an init-required one the first invocation on the channel must be
 * an Init, which records the definition's version under the reserved `initialized` key of the
 * chaincode's namespace in the transaction's simulation (read and written there, so it commits
 * with the Init and is per channel), and a second Init is refused. An Init of a chaincode that
 * does not require one is sent as INIT (Fabric refuses it: docs/deviations.md P19).
 */
export async function checkInvocation(
  x: { chaincode: string; channel: string; isInit: boolean; simulation: Pick<Simulation, 'getState' | 'putState'> },
  definition: { defined: boolean; initRequired: boolean },
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!definition.defined) return { ok: false, error: containerInfoFailed(x.channel, x.chaincode, chaincodeNotFoundCause(x.chaincode)) };
  if (!definition.initRequired) return { ok: true };
  let value: Uint8Array;
  try {
    value = await x.simulation.getState(INITIALIZED_KEY);
  } catch (err) {
    return { ok: false, error: couldNotGetInitializedKey((err as Error).message) };
  }
  const version = utf8Bytes(DEFINITION_VERSION);
  const needsInitialization = Buffer.compare(Buffer.from(value), Buffer.from(version)) !== 0;
  if (x.isInit) {
    if (!needsInitialization) return { ok: false, error: alreadyInitialized(x.chaincode) };
    try {
      await x.simulation.putState(INITIALIZED_KEY, version);
    } catch (err) {
      return { ok: false, error: couldNotSetInitializedKey((err as Error).message) };
    }
    return { ok: true };
  }
  if (needsInitialization) return { ok: false, error: notInitialized(x.chaincode) };
  return { ok: true };
}
