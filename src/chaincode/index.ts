/**
 * Chaincode runtime: write Fabric chaincode in TypeScript on ccproto. The surface follows fabric-shim
 * 2.5 (`start`, `server`, `success`, `error`, `newLogger`, `Shim`, `ChaincodeStub`, `ClientIdentity`,
 * `KeyEndorsementPolicy`, iterators, `ChaincodeServer`) so that porting is a change of import, plus
 * what the Go shim has and fabric-shim lacks (write batches, multi-key reads). See docs/chaincode.md.
 */
import { newLogger as makeLogger, type Logger } from './logger.js';
import { error, RESPONSE_CODE, success } from './response.js';
import { server, type ChaincodeServer, type ChaincodeServerOpts } from './server.js';
import { start, type ChaincodeSupportClient, type StartOptions } from './start.js';
import { HistoryQueryIterator, StateQueryIterator } from './iterators.js';
import type { ChaincodeInterface, ErrorResponse, SuccessResponse } from './types.js';

export { ChaincodeStub, ChaincodeStub as Stub, MIN_BATCH_SIZE } from './stub.js';
export type { HistoryQueryPromise, PaginatedQueryPromise, StateQueryPromise } from './stub.js';
export { ClientIdentity } from './clientIdentity.js';
export type { CreatorSource } from './clientIdentity.js';
export { KeyEndorsementPolicy, ENDORSER_ROLES, MSPRoleType, decodeRolePrincipals, encodeSignaturePolicyEnvelope } from './policy.js';
export type { EndorserRole, RolePrincipal } from './policy.js';
export { HistoryQueryIterator, StateQueryIterator } from './iterators.js';
export type { IteratorLike, QueryPromise } from './iterators.js';
export { RESPONSE_CODE, success, error } from './response.js';
export { createCompositeKey, splitCompositeKey, validateSimpleKeys, COMPOSITEKEY_NS, EMPTY_KEY_SUBSTITUTE, MAX_UNICODE_RUNE_VALUE, MIN_UNICODE_RUNE_VALUE } from './keys.js';
export { start } from './start.js';
export type { ChaincodeSupportClient, StartOptions } from './start.js';
export { ChaincodeServer, server } from './server.js';
export type { ChaincodeServerOpts } from './server.js';
export type { ChaincodeServerTlsProps } from './config.js';
export { resolveClientConfig, parseFlags, parseTlsEnabled, parseListenAddress } from './config.js';
export { connectStream, runTransaction, toResponse, validateChaincode, describeThrown } from './runtime.js';
export type { ChaincodeSession, RuntimeOptions } from './runtime.js';
export { newLogger, silentLogger, logLevelFrom } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { computeBinding } from './proposal.js';
export type { Env } from './txContext.js';
export type {
  ChaincodeInterface,
  ChaincodeProposal,
  ChaincodeResponse,
  ErrorResponse,
  HistoryTimestamp,
  KeyModification,
  KV,
  NextResult,
  QueryResponseMetadata,
  SerializedIdentity,
  SplitCompositeKey,
  SplitCompositekey,
  StateQueryResponse,
  SuccessResponse,
  Timestamp,
} from './types.js';

/** fabric-shim's `Iterators` export. */
export const Iterators = Object.freeze({ StateQueryIterator, HistoryQueryIterator });

/** fabric-shim's `Shim` class: the same functions as statics. */
export class Shim {
  static start(chaincode: ChaincodeInterface, options?: StartOptions): Promise<ChaincodeSupportClient> {
    return start(chaincode, options);
  }
  static server(chaincode: ChaincodeInterface, options?: ChaincodeServerOpts): ChaincodeServer {
    return server(chaincode, options);
  }
  static success(payload?: Uint8Array | string): SuccessResponse {
    return success(payload);
  }
  static error(msg: string): ErrorResponse {
    return error(msg);
  }
  static newLogger(name?: string): Logger {
    return makeLogger(name);
  }
  static readonly RESPONSE_CODE = RESPONSE_CODE;
}

/** `import shim from '.../chaincode'` works like `const shim = require('fabric-shim')`. */
export default Shim;
