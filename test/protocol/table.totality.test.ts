/**
 * Totality: every side x handler state x message type either steps as the allowed-message table
 * (read from the charts, src/core/allowed.ts) says or yields a named violation with its wire
 * consequence: the core's action implementations do what the chart's transitions promise. Nothing
 * throws, nothing is dropped unnamed. Also every non-message input in every state has a defined
 * outcome. Whether the rules are Fabric's is test/oracle's question, answered independently.
 */
import { describe, expect, it } from 'vitest';
import { stepPeer, stepChaincode } from '../../src/core/index.js';
import { ALL_MESSAGE_TYPES } from '../../src/protocol/messageType.js';
import { dispositionOf } from '../../src/core/allowed.js';
import { CHAINCODE_HANDLER_STATES, PEER_HANDLER_STATES } from '../../src/protocol/table.js';
import { VIOLATION_CODES } from '../../src/protocol/violations.js';
import { chaincodeIn, NOW, peerIn, violationsOf } from '../support/cores.js';
import { sampleMessage } from '../support/messages.js';

const restingPeerStates = PEER_HANDLER_STATES.filter((s) => s !== 'established');

describe('peer side: every state x message type', () => {
  for (const state of restingPeerStates) {
    for (const type of ALL_MESSAGE_TYPES) {
      it(`${state} + ${type}`, () => {
        const s = peerIn(state, { withTx: true });
        const before = s.handler.value;
        const { effects } = stepPeer(s, { kind: 'recv', message: sampleMessage(type), now: NOW });
        const violations = violationsOf(effects);
        const d = dispositionOf('peer', state, type);
        for (const v of violations) expect(VIOLATION_CODES).toContain(v.code);
        if (d === undefined) {
          expect(violations.length, `a violation for ${type} in ${state}`).toBeGreaterThan(0);
          if (state === 'closed' || state === 'failed') {
            expect(violations[0]!.code).toBe('STREAM_CLOSED');
          } else {
            // Fabric ends the stream on any message the state does not accept.
            expect(effects.some((e) => e.kind === 'closeStream')).toBe(true);
            expect(s.handler.value).toBe('failed');
          }
        } else {
          expect(violations).toEqual([]);
          if (d === 'ignore') expect(effects).toEqual([]);
          if (d === 'handshake') expect(s.handler.value).not.toBe(before);
          if (d === 'route') expect(effects.length).toBeGreaterThan(0);
        }
      });
    }
  }
});

describe('chaincode side: every state x message type', () => {
  for (const state of CHAINCODE_HANDLER_STATES) {
    for (const type of ALL_MESSAGE_TYPES) {
      it(`${state} + ${type}`, () => {
        const s = chaincodeIn(state, { withPendingRequest: true });
        const before = s.handler.value;
        const message = sampleMessage(type, 'ch', type === 'INIT' || type === 'TRANSACTION' ? 'tx2' : 'tx1');
        const { effects } = stepChaincode(s, { kind: 'recv', message, now: NOW });
        const violations = violationsOf(effects);
        const d = dispositionOf('chaincode', state, type);
        if (d === undefined) {
          expect(violations.length, `a violation for ${type} in ${state}`).toBeGreaterThan(0);
          if (state === 'closed' || state === 'failed') expect(violations[0]!.code).toBe('STREAM_CLOSED');
          else if (state === 'idle') expect(violations[0]!.code).toBe('NOT_READY');
          else {
            // As the Go shim: ERROR carrying the txid, then end the stream.
            const send = effects.find((e) => e.kind === 'send');
            expect(send && send.kind === 'send' && send.message.type).toBe('ERROR');
            expect(effects.some((e) => e.kind === 'closeStream')).toBe(true);
            expect(s.handler.value).toBe('failed');
          }
        } else {
          expect(violations).toEqual([]);
          if (d === 'echo') expect(effects).toEqual([{ kind: 'send', message }]);
          if (d === 'handshake') expect(s.handler.value).not.toBe(before);
          if (d === 'startTx') expect(effects.map((e) => e.kind)).toEqual(['runChaincode']);
          if (d === 'route') expect(effects.map((e) => e.kind)).toEqual(['settleRequest']);
        }
      });
    }
  }
});

describe('non-message inputs have a defined outcome in every state', () => {
  it('peer', () => {
    for (const state of restingPeerStates) {
      const inputs = [
        { kind: 'recvMalformed', malformed: { scope: 'envelope', txid: '', channelId: '', reason: 'bad' }, now: NOW },
        { kind: 'recvMalformed', malformed: { scope: 'payload', type: 'PUT_STATE', code: 9, txid: 'tx1', channelId: 'ch', reason: 'bad' }, now: NOW },
        { kind: 'registryVerdict', accepted: true, now: NOW },
        { kind: 'registryVerdict', accepted: false, reason: 'duplicate chaincodeID: mycc:1.0', now: NOW },
        { kind: 'appExecute', executeId: 9, channelId: 'ch', txid: 'tx9', txType: 'TRANSACTION', input: { args: [], decorations: {}, isInit: false }, proposal: undefined, timeoutMs: 5, now: NOW },
        { kind: 'serveResult', serveId: 1, channelId: 'ch', txid: 'tx1', result: { ok: true, payload: new Uint8Array() }, now: NOW },
        { kind: 'timerFired', timerId: 't999', now: NOW },
        { kind: 'transportClosed', reason: 'eof', now: NOW },
        { kind: 'appShutdown', reason: 'bye', now: NOW },
      ] as const;
      for (const input of inputs) {
        const s = peerIn(state, { withTx: true });
        expect(() => stepPeer(s, input as never)).not.toThrow();
        const { effects } = stepPeer(peerIn(state, { withTx: true }), input as never);
        // An execute is always settled, whatever the state.
        if (input.kind === 'appExecute' && state !== 'ready') {
          expect(effects.some((e) => e.kind === 'settleExecute' && e.executeId === 9)).toBe(true);
        }
        expect(violationsOf(effects).every((v) => v.code !== 'INVALID_COMMAND' || v.expected !== 'an event the chart handles')).toBe(true);
      }
    }
  });

  it('chaincode', () => {
    for (const state of CHAINCODE_HANDLER_STATES) {
      const inputs = [
        { kind: 'recvMalformed', malformed: { scope: 'envelope', txid: '', channelId: '', reason: 'bad' }, now: NOW },
        { kind: 'recvMalformed', malformed: { scope: 'payload', type: 'TRANSACTION', code: 5, txid: 'tx3', channelId: 'ch', reason: 'bad' }, now: NOW },
        { kind: 'appStart', chaincodeName: 'x:1', startId: 1, now: NOW },
        { kind: 'appRequest', requestId: 7, message: sampleMessage('GET_STATE', 'ch', 'tx7'), now: NOW },
        { kind: 'appResult', channelId: 'ch', txid: 'tx7', response: { status: 200, message: '', payload: new Uint8Array() }, event: undefined, now: NOW },
        { kind: 'appFailed', channelId: 'ch', txid: 'tx7', message: 'x', now: NOW },
        { kind: 'timerFired', timerId: 't1', now: NOW },
        { kind: 'transportClosed', reason: 'eof', now: NOW },
        { kind: 'appShutdown', reason: 'bye', now: NOW },
      ] as const;
      for (const input of inputs) {
        const { effects } = stepChaincode(chaincodeIn(state, { withPendingRequest: true }), input as never);
        if (input.kind === 'appRequest') {
          // Every stub request settles exactly once, here with an error (no such transaction).
          expect(effects.filter((e) => e.kind === 'settleRequest' && e.requestId === 7)).toHaveLength(1);
        }
        expect(violationsOf(effects).every((v) => v.expected !== 'an event the chart handles')).toBe(true);
      }
    }
  });
});
