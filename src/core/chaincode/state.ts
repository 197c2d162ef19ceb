/**
 * Chaincode core state: plain data, versioned. The handler chart's state (with the peer's READY
 * capabilities), one record per running transaction keyed by TxKey, the recently finished memory.
 */
import { MACHINE_VERSION, type ChaincodeHandlerContext } from '../../../machines/index.js';
import { NO_ADDITIONAL_PARAMS } from '../../protocol/messages.js';
import type { RequestTypeName } from '../../protocol/messageType.js';
import type { ChaincodeHandlerState } from '../../protocol/table.js';
import { createFinished, type FinishedMemory } from '../finished.js';

export interface ChaincodeTxRecord {
  /** chaincodeTx chart state. */
  value: string;
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  /** The outstanding request, if any: the caller's id and the request type. */
  pendingId: number | null;
  pendingType: RequestTypeName | null;
}

export interface ChaincodeCoreOptions {
  finishedMemory: number;
}

export interface ChaincodeCoreState {
  format: 'ccproto.chaincode';
  version: typeof MACHINE_VERSION;
  handler: { value: ChaincodeHandlerState; context: ChaincodeHandlerContext };
  txs: Record<string, ChaincodeTxRecord>;
  finished: FinishedMemory;
  options: ChaincodeCoreOptions;
}

export function createChaincodeState(options: Partial<ChaincodeCoreOptions> = {}): ChaincodeCoreState {
  const finishedMemory = options.finishedMemory ?? 1024;
  return {
    format: 'ccproto.chaincode',
    version: MACHINE_VERSION,
    handler: { value: 'idle', context: { chaincodeName: '', params: { ...NO_ADDITIONAL_PARAMS } } },
    txs: {},
    finished: createFinished(finishedMemory),
    options: { finishedMemory },
  };
}
