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
export { chaincodeTxMachine, chaincodeTxGuards, chaincodeTxAssigners, type ChaincodeTxContext } from './chaincodeTx.machine.js';
export type { ChartEvent, TxRoute } from './events.js';

import type { chaincodeHandlerAssigners, chaincodeHandlerMachine } from './chaincodeHandler.machine.js';
import type { chaincodeTxAssigners, chaincodeTxMachine } from './chaincodeTx.machine.js';
import type { peerHandlerAssigners, peerHandlerMachine } from './peerHandler.machine.js';
import type { peerTxMachine } from './peerTx.machine.js';

/** The action names a chart declares in its setup(), read from the machine's type. */
export type ActionName<M extends { provide: (implementations: never) => unknown }> = keyof NonNullable<
  Parameters<M['provide']>[0] extends { actions?: infer A } ? A : never
>;

/** The effect actions of each chart: what the core must implement (assigners excepted), by name.
 *  src/core checks its implementations against these with `satisfies`, and at load time. */
export type PeerHandlerAction = Exclude<ActionName<typeof peerHandlerMachine>, keyof typeof peerHandlerAssigners>;
export type PeerTxAction = ActionName<typeof peerTxMachine>;
export type ChaincodeHandlerAction = Exclude<ActionName<typeof chaincodeHandlerMachine>, keyof typeof chaincodeHandlerAssigners>;
export type ChaincodeTxAction = Exclude<ActionName<typeof chaincodeTxMachine>, keyof typeof chaincodeTxAssigners>;

/** Stored with every persisted core state; bump when a chart or the state layout changes shape. */
export const MACHINE_VERSION = 4;
