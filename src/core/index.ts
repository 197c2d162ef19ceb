/**
 * The pure cores: `stepPeer` and `stepChaincode`, `(state, input) -> { state, effects }`.
 *
 * Drive-loop contract, for every adapter:
 *   one input -> step -> execute every effect in order -> next input; one writer per stream;
 *   `now` never decreases; `step` owns the state it is given (keep a snapshot with persistState or structuredClone).
 * See docs/architecture.md.
 */
export { stepPeer, type PeerStepResult } from './peer/step.js';
export { createPeerState, type PeerCoreState, type PeerCoreOptions, type PeerTxRecord } from './peer/state.js';
export { stepChaincode, type ChaincodeStepResult } from './chaincode/step.js';
export { createChaincodeState, type ChaincodeCoreState, type ChaincodeCoreOptions, type ChaincodeTxRecord } from './chaincode/state.js';
export { persistState, restoreState, stateReplacer } from './persist.js';
export { txGet, txRecords, type TxTable, type ReadonlyTxTable } from './txTable.js';
export { compileChart, stepChart, type CompiledChart, type CompiledTransition } from './chartCompiler.js';
export { peerHandlerChart, peerTxChart, chaincodeHandlerChart, chaincodeTxChart } from './compiledCharts.js';
