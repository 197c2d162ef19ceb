/** The four charts compiled once at load (see chartCompiler.ts). */
import {
  chaincodeHandlerAssigners,
  chaincodeHandlerGuards,
  chaincodeHandlerMachine,
  chaincodeTxAssigners,
  chaincodeTxGuards,
  chaincodeTxMachine,
  peerHandlerAssigners,
  peerHandlerGuards,
  peerHandlerMachine,
  peerTxGuards,
  peerTxMachine,
  type ChaincodeHandlerContext,
  type ChaincodeTxContext,
  type PeerHandlerContext,
} from '../../machines/index.js';
import { compileChart } from './chartCompiler.js';
import type { CoreEvent } from './event.js';

export const peerHandlerChart = compileChart<PeerHandlerContext, CoreEvent>(peerHandlerMachine, {
  guards: peerHandlerGuards,
  assigners: peerHandlerAssigners,
});
export const peerTxChart = compileChart<object, CoreEvent>(peerTxMachine, { guards: peerTxGuards });
export const chaincodeHandlerChart = compileChart<ChaincodeHandlerContext, CoreEvent>(chaincodeHandlerMachine, {
  guards: chaincodeHandlerGuards,
  assigners: chaincodeHandlerAssigners,
});
export const chaincodeTxChart = compileChart<ChaincodeTxContext, CoreEvent>(chaincodeTxMachine, {
  guards: chaincodeTxGuards,
  assigners: chaincodeTxAssigners,
});
