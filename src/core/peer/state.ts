/**
 * Peer core state: plain data (structuredClone copies it; persistState writes it as JSON),
 * versioned. Holds the handler chart's state, one record per running transaction by (channel,
 * txid) (txTable.ts), the recently finished memory and the live timers.
 * Payload bytes are never stored here: they travel in inputs and effects.
 */
import { MACHINE_VERSION, type PeerHandlerContext } from '../../../machines/index.js';
import { NO_ADDITIONAL_PARAMS, type ChaincodeAdditionalParams } from '../../protocol/messages.js';
import type { RequestTypeName } from '../../protocol/messageType.js';
import type { PeerHandlerState } from '../../protocol/table.js';
import { createFinished, type FinishedMemory } from '../finished.js';
import type { TxTable } from '../txTable.js';

export interface PeerTxRecord {
  /** peerTx chart state. */
  value: string;
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  /** The execute's correlation id (AppExecuteInput.executeId). */
  executeId: number;
  /** Execute timer id while armed. */
  timerId: string;
  /** The request being served, if any, and its serve id. */
  pending: RequestTypeName | null;
  serveId: number;
}

export interface OrphanedServe {
  channelId: string;
  txid: string;
  type: RequestTypeName;
}

export interface PeerCoreOptions {
  /** KEEPALIVE interval in ms; 0 (Fabric's default, `chaincode.keepalive: 0`) disables it. */
  keepaliveMs: number;
  /** How many finished transactions to remember for late messages. */
  finishedMemory: number;
  /** READY payload: what the peer advertises (Fabric >= 3.1). */
  readyParams: ChaincodeAdditionalParams;
}

export interface PeerCoreState {
  format: 'ccproto.peer';
  version: typeof MACHINE_VERSION;
  handler: { value: PeerHandlerState; context: PeerHandlerContext };
  txs: TxTable<PeerTxRecord>;
  finished: FinishedMemory;
  /**
   * Requests still being served whose transaction has ended (a timeout, or a COMPLETED that did
   * not wait), by serve id: their result is still sent to the chaincode, as Fabric's
   * HandleTransaction does. Each entry leaves when its serveResult arrives.
   */
  orphans: Record<string, OrphanedServe>;
  /** Live timers: id -> TxKey of the transaction, or `keepalive`. */
  timers: Map<string, string>;
  nextTimer: number;
  nextServe: number;
  keepaliveTimer: string | null;
  options: PeerCoreOptions;
}

export function createPeerState(options: Partial<PeerCoreOptions> = {}): PeerCoreState {
  const full: PeerCoreOptions = {
    keepaliveMs: options.keepaliveMs ?? 0,
    finishedMemory: options.finishedMemory ?? 1024,
    readyParams: { ...(options.readyParams ?? NO_ADDITIONAL_PARAMS) },
  };
  return {
    format: 'ccproto.peer',
    version: MACHINE_VERSION,
    handler: { value: 'created', context: { chaincodeName: '' } },
    txs: new Map(),
    finished: createFinished(full.finishedMemory),
    orphans: {},
    timers: new Map(),
    nextTimer: 1,
    nextServe: 1,
    keepaliveTimer: null,
    options: full,
  };
}
