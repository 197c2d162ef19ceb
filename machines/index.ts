/**
 * The four charts: the single source of truth for both handlers. Open them in any XState v5
 * tooling; src/core compiles them into the hot-path step functions.
 */
export { peerHandlerMachine, peerHandlerGuards, peerHandlerAssigners, type PeerHandlerContext } from './peerHandler.machine.js';
export { peerTxMachine, peerTxGuards } from './peerTx.machine.js';
export {
  chaincodeHandlerMachine,
  chaincodeHandlerGuards,
  chaincodeHandlerAssigners,
  type ChaincodeHandlerContext,
} from './chaincodeHandler.machine.js';
export { chaincodeTxMachine } from './chaincodeTx.machine.js';
export type { ChartEvent } from './events.js';

/** Stored with every persisted core state; bump when a chart changes shape. */
export const MACHINE_VERSION = 1;
