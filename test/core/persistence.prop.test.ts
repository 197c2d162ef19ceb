/**
 * Persistence: the core state is plain data, written as JSON (bytes of held stub calls as base64).
 * Running the same random session twice, once as is and once with both states persisted and
 * restored before every single step, must produce exactly the same effects and the same final state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChaincodeState, createPeerState, persistState, restoreState, stepChaincode, stepPeer, txGet, txRecords } from '../../src/core/index.js';
import { txKey } from '../../src/protocol/txKey.js';
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
        expect(persistState(persisted.peer)).toEqual(persistState(plain.peer));
        expect(persistState(persisted.cc)).toEqual(persistState(plain.cc));
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
    // A snapshot of the right format and version whose tables are not objects: refused, not thrown.
    const text = persistState(s);
    expect(restoreState(text.replace('"txs":{}', '"txs":[1]'))).toEqual({ ok: false, reason: 'not a ccproto core state: a table is not an object' });
    expect(restoreState(text.replace('"timers":{}', '"timers":null')).ok).toBe(false);
  });

  it('running transactions, the finished memory and live timers are written as JSON objects and read back as tables', () => {
    const s = createPeerState();
    const now = 1;
    stepPeer(s, { kind: 'recv', message: sampleMessage('REGISTER'), now });
    stepPeer(s, { kind: 'registryVerdict', accepted: true, reason: undefined, now });
    for (const txid of ['a', 'b']) {
      stepPeer(s, { kind: 'appExecute', executeId: 1, channelId: 'ch', txid, txType: 'TRANSACTION', input: { args: [], decorations: {}, isInit: false }, proposal: undefined, timeoutMs: 100, now });
    }
    stepPeer(s, { kind: 'recv', message: { type: 'COMPLETED', channelId: 'ch', txid: 'a', payload: { status: 200, message: '', payload: new Uint8Array() }, chaincodeEvent: undefined } as never, now });
    const written = JSON.parse(persistState(s)) as { txs: Record<string, Record<string, { value: string }>>; finished: { set: unknown }; timers: Record<string, string> };
    expect(Object.keys(written.txs.ch!)).toEqual(['b']);
    expect(written.finished.set).toEqual({ ch: { a: true } });
    expect(Object.values(written.timers)).toEqual([txKey('ch', 'b')]);
    const back = restoreState(persistState(s));
    expect(back).toEqual({ ok: true, state: s });
    if (back.ok && back.state.format === 'ccproto.peer') expect(txGet(back.state.txs, 'ch', 'b')?.value).toBe(txGet(s.txs, 'ch', 'b')!.value);
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
    const held = txRecords(s.txs)[0]!.held;
    expect(held.map((h) => h.message.payload)).toEqual([{ key: 'k', value: new Uint8Array([0, 255, 7]), collection: '' }]);
    // The restored state goes on: the reply to the first PUT_STATE sends the held one.
    const { effects } = stepChaincode(s, { kind: 'recv', message: { type: 'RESPONSE', channelId: 'ch', txid: 'tx', payload: new Uint8Array() }, now });
    expect(effects.filter((e) => e.kind === 'send').map((e) => e.kind === 'send' && e.message.type)).toEqual(['PUT_STATE']);
  });
});
