/** Bring a core into a given handler state through its real inputs (never by editing state). */
import { createPeerState, stepPeer, createChaincodeState, stepChaincode, type PeerCoreState, type ChaincodeCoreState } from '../../src/core/index.js';
import type { PeerEffect, ChaincodeEffect } from '../../src/protocol/effects.js';
import type { ChaincodeHandlerState, PeerHandlerState } from '../../src/protocol/table.js';
import { sampleMessage, sampleRequest } from './messages.js';

export const NOW = 1_000;

export function peerIn(target: PeerHandlerState, opts: { withTx?: boolean; keepaliveMs?: number } = {}): PeerCoreState {
  const s = createPeerState({ keepaliveMs: opts.keepaliveMs ?? 0 });
  if (target === 'created') return s;
  if (target === 'failed') {
    stepPeer(s, { kind: 'recv', message: sampleMessage('RESPONSE'), now: NOW });
    return s;
  }
  stepPeer(s, { kind: 'recv', message: sampleMessage('REGISTER'), now: NOW });
  if (target === 'registering') return s;
  stepPeer(s, { kind: 'registryVerdict', accepted: true, now: NOW });
  if (opts.withTx) peerExecute(s, 'ch', 'tx1');
  if (target === 'ready' || target === 'established') return s;
  stepPeer(s, { kind: 'transportClosed', reason: 'eof', now: NOW });
  return s; // closed
}

export function peerExecute(s: PeerCoreState, channelId: string, txid: string, executeId = 1, timeoutMs = 30_000): PeerEffect[] {
  return stepPeer(s, {
    kind: 'appExecute',
    executeId,
    channelId,
    txid,
    txType: 'TRANSACTION',
    input: { args: [], decorations: {}, isInit: false },
    proposal: undefined,
    timeoutMs,
    now: NOW,
  }).effects;
}

export function chaincodeIn(target: ChaincodeHandlerState, opts: { withPendingRequest?: boolean } = {}): ChaincodeCoreState {
  const s = createChaincodeState();
  if (target === 'idle') return s;
  stepChaincode(s, { kind: 'appStart', chaincodeName: 'mycc:1.0', startId: 1, now: NOW });
  if (target === 'created') return s;
  if (target === 'failed') {
    stepChaincode(s, { kind: 'recv', message: sampleMessage('COMPLETED'), now: NOW });
    return s;
  }
  stepChaincode(s, { kind: 'recv', message: sampleMessage('REGISTERED'), now: NOW });
  if (target === 'established') return s;
  stepChaincode(s, { kind: 'recv', message: sampleMessage('READY'), now: NOW });
  if (opts.withPendingRequest) {
    stepChaincode(s, { kind: 'recv', message: sampleMessage('TRANSACTION', 'ch', 'tx1'), now: NOW });
    stepChaincode(s, { kind: 'appRequest', requestId: 1, message: sampleRequest('GET_STATE', 'ch', 'tx1'), now: NOW });
  }
  if (target === 'ready') return s;
  stepChaincode(s, { kind: 'transportClosed', reason: 'eof', now: NOW });
  return s;
}

export const violationsOf = (effects: readonly (PeerEffect | ChaincodeEffect)[]) =>
  effects.flatMap((e) => (e.kind === 'violation' ? [e.violation] : []));
