/**
 * Persistence: the core state is plain data, written as JSON (bytes of held stub calls as base64).
 * Running the same random session twice, once as is and once with both states persisted and
 * restored before every single step, must produce exactly the same effects and the same final state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChaincodeState, createPeerState, persistState, restoreState, stepChaincode } from '../../src/core/index.js';
import { sampleMessage } from '../support/messages.js';
import { MACHINE_VERSION } from '../../machines/index.js';
import { Harness } from '../support/modelHarness.js';
import { assertProp } from '../support/props.js';
import { commandsArb } from '../support/modelCommands.js';

describe('persistence', () => {
  it('prop: persisting and restoring at every step changes nothing', () => {
    assertProp(
      fc.property(commandsArb, fc.boolean(), (cmds, keepalive) => {
        const plain = new Harness({ keepaliveMs: keepalive ? 50 : 0, handshake: true });
        fc.modelRun(() => ({ model: {}, real: plain }), cmds);
        const persisted = new Harness({ keepaliveMs: keepalive ? 50 : 0, handshake: true, persistEveryStep: true });
        fc.modelRun(() => ({ model: {}, real: persisted }), cmds);
        expect(persisted.log).toEqual(plain.log);
        expect(JSON.parse(JSON.stringify(persisted.peer))).toEqual(JSON.parse(JSON.stringify(plain.peer)));
        expect(JSON.parse(JSON.stringify(persisted.cc))).toEqual(JSON.parse(JSON.stringify(plain.cc)));
      }),
      { runs: 100 },
    );
  });

  it('persistState/restoreState round-trips and refuses foreign or stale snapshots', () => {
    const s = createPeerState({ keepaliveMs: 10 });
    const back = restoreState(persistState(s));
    expect(back).toEqual({ ok: true, state: s });
    expect(restoreState('{').ok).toBe(false);
    expect(restoreState('{"format":"other"}').ok).toBe(false);
    expect(restoreState(JSON.stringify({ ...s, version: 999 }))).toEqual({ ok: false, reason: `state version 999 != ${MACHINE_VERSION}` });
  });

  it('the bytes of stub calls a transaction holds survive persistence', () => {
    let s = createChaincodeState();
    const now = 1;
    stepChaincode(s, { kind: 'appStart', chaincodeName: 'cc:1', startId: 1, now });
    stepChaincode(s, { kind: 'recv', message: sampleMessage('REGISTERED'), now });
    stepChaincode(s, { kind: 'recv', message: sampleMessage('READY'), now });
    stepChaincode(s, { kind: 'recv', message: sampleMessage('TRANSACTION', 'ch', 'tx'), now });
    const put = (requestId: number, value: Uint8Array) =>
      stepChaincode(s, { kind: 'appRequest', requestId, message: { type: 'PUT_STATE', channelId: 'ch', txid: 'tx', payload: { key: 'k', value, collection: '' } }, now });
    put(1, new Uint8Array([1]));
    put(2, Buffer.from([0, 255, 7]));
    const back = restoreState(persistState(s));
    if (!back.ok) throw new Error(back.reason);
    s = back.state as typeof s;
    const held = s.txs[Object.keys(s.txs)[0]!]!.held;
    expect(held.map((h) => h.message.payload)).toEqual([{ key: 'k', value: new Uint8Array([0, 255, 7]), collection: '' }]);
    // The restored state goes on: the reply to the first PUT_STATE sends the held one.
    const { effects } = stepChaincode(s, { kind: 'recv', message: { type: 'RESPONSE', channelId: 'ch', txid: 'tx', payload: new Uint8Array() }, now });
    expect(effects.filter((e) => e.kind === 'send').map((e) => e.kind === 'send' && e.message.type)).toEqual(['PUT_STATE']);
  });
});
