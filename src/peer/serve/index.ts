/**
 * Serving shim requests for a running transaction from its world-state simulation, as the
 * request handlers of Fabric's core/chaincode/handler.go do (docs/protocol.md §8, §10, §12).
 */
export { createRequestServer } from './server.js';
export type { RequestServerOptions } from './server.js';
export { closeTransactionIterators, encodeQueryResult, queryMetadata } from './queries.js';
export { parseChaincodeName } from './invoke.js';
export type { ChaincodeInstance } from './invoke.js';
export { PANIC_CAUSE } from './outcome.js';
export type { ServeResult } from './outcome.js';
export type { InvokeCall, InvokeOutcome, TxServeContext } from './types.js';
