/**
 * The chaincode side's handshake ending before READY is the core's to say (a `handshakeFailed`
 * effect with the reason, from the chart's `failHandshake` action), not something the drive infers
 * from the state it sees afterwards.
 */
import { describe, expect, it } from 'vitest';

import { stepChaincode } from '../../src/core/index.js';
import { ChaincodeConnection } from '../../src/drive/chaincodeConnection.js';
import { utf8Bytes } from '../../src/protocol/messages.js';
import { chaincodeIn, NOW } from '../support/cores.js';
import { sampleMessage } from '../support/messages.js';

const failed = (effects: { kind: string }[]) => effects.filter((e) => e.kind === 'handshakeFailed');

describe('handshakeFailed', () => {
  it.each(['created', 'established'] as const)('in %s: the stream ending, a shutdown, an ERROR or another message each say why', (state) => {
    expect(failed(stepChaincode(chaincodeIn(state), { kind: 'transportClosed', reason: 'connection lost', now: NOW }).effects)).toEqual([
      { kind: 'handshakeFailed', startId: 1, reason: 'connection lost' },
    ]);
    expect(failed(stepChaincode(chaincodeIn(state), { kind: 'appShutdown', reason: 'bye', now: NOW }).effects)).toEqual([{ kind: 'handshakeFailed', startId: 1, reason: 'bye' }]);
    const refused = { type: 'ERROR', txid: '', channelId: '', payload: utf8Bytes('duplicate chaincodeID: cc:1') } as const;
    expect(failed(stepChaincode(chaincodeIn(state), { kind: 'recv', message: refused, now: NOW }).effects)).toEqual([
      { kind: 'handshakeFailed', startId: 1, reason: 'the peer refused the registration: duplicate chaincodeID: cc:1' },
    ]);
    expect(failed(stepChaincode(chaincodeIn(state), { kind: 'recv', message: sampleMessage('TRANSACTION'), now: NOW }).effects)).toEqual([
      { kind: 'handshakeFailed', startId: 1, reason: `protocol violation: TRANSACTION in state ${state}` },
    ]);
  });

  it('never after READY', () => {
    expect(failed(stepChaincode(chaincodeIn('ready'), { kind: 'transportClosed', reason: 'eof', now: NOW }).effects)).toEqual([]);
  });
});

describe('startRefused', () => {
  it('a second appStart, in any state, is answered with its own id; the first start keeps its answer', () => {
    for (const state of ['created', 'established', 'ready', 'closed'] as const) {
      const s = chaincodeIn(state);
      const { effects } = stepChaincode(s, { kind: 'appStart', chaincodeName: 'cc:1', startId: 7, now: NOW });
      expect(effects.filter((e) => e.kind !== 'violation')).toEqual([{ kind: 'startRefused', startId: 7, reason: `start() was already called (the handler is ${state})` }]);
      expect(s.startId).toBe(1);
    }
  });
});

describe('ChaincodeConnection.start', () => {
  it('a second start() is refused at once (and reported), never left waiting', async () => {
    const sent: string[] = [];
    const conn = new ChaincodeConnection({ send: (m) => void sent.push(m.type), close: () => {}, onTransaction: () => {}, onViolation: (v) => void sent.push(v.code) });
    const first = conn.start('cc:1');
    await expect(conn.start('cc:1')).rejects.toThrow('start() was already called (the handler is created)');
    expect(sent).toEqual(['REGISTER', 'INVALID_COMMAND']);
    conn.transportClosed('gone');
    await expect(first).rejects.toThrow('stream to the peer ended before READY: gone');
  });
});
