/**
 * Nothing is dropped unnamed inside a transaction either: an event that reaches a transaction chart
 * which does not handle it (here a record left in a final state, which the core never does by
 * itself — a persisted state can carry anything) is reported as a violation, not ignored.
 */
import { describe, expect, it } from 'vitest';

import { stepChaincode, stepPeer, txRecords } from '../../src/core/index.js';
import { chaincodeIn, NOW, peerIn } from '../support/cores.js';
import { sampleMessage } from '../support/messages.js';

describe('an event a transaction chart does not handle', () => {
  it('peer: is an INVALID_COMMAND violation naming the transaction and its chart state', () => {
    const s = peerIn('ready', { withTx: true });
    const rec = txRecords(s.txs)[0]!;
    rec.value = 'completed'; // a final state: it handles no event
    const { effects } = stepPeer(s, { kind: 'recv', message: { ...sampleMessage('COMPLETED'), channelId: rec.channelId, txid: rec.txid }, now: NOW });
    const v = effects.find((e) => e.kind === 'violation');
    expect(v).toMatchObject({ violation: { code: 'INVALID_COMMAND', side: 'peer', state: 'ready/completed', got: 'recv.COMPLETED', txid: rec.txid } });
  });

  it('chaincode: likewise', () => {
    const s = chaincodeIn('ready', { withPendingRequest: true });
    const rec = txRecords(s.txs)[0]!;
    const final = 'completed'; // a final state: it handles no event
    rec.value = final;
    const { effects } = stepChaincode(s, { kind: 'recv', message: { ...sampleMessage('RESPONSE'), channelId: rec.channelId, txid: rec.txid }, now: NOW });
    const v = effects.find((e) => e.kind === 'violation');
    expect(v).toMatchObject({ violation: { code: 'INVALID_COMMAND', side: 'chaincode', state: `ready/${final}`, txid: rec.txid } });
  });
});
