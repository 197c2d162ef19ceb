/**
 * Chaincode core state: plain data, versioned. The handler chart's state (with the peer's READY
 * capabilities), one record per running transaction by (channel, txid) (txTable.ts), with the stub
 * calls it holds behind its outstanding request (their messages carry bytes, which persistState
 * encodes), and the recently finished memory.
 */
import { MACHINE_VERSION, type ChaincodeHandlerContext, type ChaincodeTxContext } from '../../../machines/index.js';
import type { RequestMessage } from '../../protocol/inputs.js';
import { NO_ADDITIONAL_PARAMS } from '../../protocol/messages.js';
import type { RequestTypeName } from '../../protocol/messageType.js';
import type { ChaincodeHandlerState } from '../../protocol/table.js';
import { createFinished, type FinishedMemory } from '../finished.js';
import type { TxTable } from '../txTable.js';

export interface ChaincodeTxRecord {
  /** chaincodeTx chart state. */
  value: string;
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  /** chaincodeTx chart context (how many stub calls are held). */
  context: ChaincodeTxContext;
  /** The outstanding request, if any: the caller's id and the request type. */
  pendingId: number | null;
  pendingType: RequestTypeName | null;
  /** Stub calls held behind the outstanding request, oldest first (the only bytes in the state). */
  held: Array<{ requestId: number; message: RequestMessage }>;
}

export interface ChaincodeCoreOptions {
  finishedMemory: number;
}

export interface ChaincodeCoreState {
  format: 'ccproto.chaincode';
  version: typeof MACHINE_VERSION;
  handler: { value: ChaincodeHandlerState; context: ChaincodeHandlerContext };
  /** The accepted appStart's id (0 before it): `ready` and `handshakeFailed` answer it. */
  startId: number;
  txs: TxTable<ChaincodeTxRecord>;
  finished: FinishedMemory;
  options: ChaincodeCoreOptions;
}

export function createChaincodeState(options: Partial<ChaincodeCoreOptions> = {}): ChaincodeCoreState {
  const finishedMemory = options.finishedMemory ?? 1024;
  return {
    format: 'ccproto.chaincode',
    version: MACHINE_VERSION,
    handler: { value: 'idle', context: { chaincodeName: '', params: { ...NO_ADDITIONAL_PARAMS } } },
    startId: 0,
    txs: new Map(),
    finished: createFinished(finishedMemory),
    options: { finishedMemory },
  };
}
