/**
 * The stream observer (src/observe/): both charts follow a session from outside. Conforming
 * sessions (recorded from the in-memory pair: both drive loops, real codec) give no finding, with
 * the chart states each side is in; a message either side could not have sent is blamed on the
 * sender, by the receiver's core or by the sender's own.
 */
import { describe, expect, it } from 'vitest';
import { MemoryPair } from '../../src/pair/memoryPair.js';
import { StreamObserver } from '../../src/observe/streamObserver.js';
import { FABRIC_31_READY_PARAMS, NO_ADDITIONAL_PARAMS, utf8Bytes, type Message } from '../../src/protocol/messages.js';
import type { Side } from '../../src/protocol/violations.js';

const b = utf8Bytes;
const txInput = (...args: string[]) => ({ args: args.map(b), decorations: {}, isInit: false });
const ok = (payload = '') => ({ status: 200, message: '', payload: b(payload) });
const EMPTY = new Uint8Array();

const register: Message = { type: 'REGISTER', txid: '', channelId: '', payload: { name: 'cc:1', path: '', version: '' } };
const registered: Message = { type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY };
const ready: Message = { type: 'READY', txid: '', channelId: '', payload: NO_ADDITIONAL_PARAMS };
const tx = (txid: string): Message => ({ type: 'TRANSACTION', txid, channelId: 'ch', payload: txInput('f'), proposal: undefined });
const get = (txid: string): Message => ({ type: 'GET_STATE', txid, channelId: 'ch', payload: { key: 'k', collection: '' } });
const response = (txid: string): Message => ({ type: 'RESPONSE', txid, channelId: 'ch', payload: b('v') });
const completed = (txid: string): Message => ({ type: 'COMPLETED', txid, channelId: 'ch', payload: ok() });

function watch(steps: [Side, Message][]) {
  const o = new StreamObserver();
  return steps.map(([from, m], i) => ({ i, ...o.message(from, m, i) }));
}

describe('StreamObserver', () => {
  it('a conforming session recorded from the in-memory pair: no finding, and the charts each side is in', async () => {
    const pair = new MemoryPair({
      record: true,
      peerCore: { readyParams: FABRIC_31_READY_PARAMS },
      chaincode: async (h) => {
        await h.request({ type: 'PUT_STATE', payload: { key: 'a', value: b('1'), collection: '' } });
        await Promise.all([h.request({ type: 'GET_STATE', payload: { key: 'a', collection: '' } }), h.request({ type: 'GET_STATE', payload: { key: 'b', collection: '' } })]);
        h.complete(ok('done'));
      },
    });
    await pair.start();
    await Promise.all(['t1', 't2', 't3'].map((txid) => pair.execute({ channelId: 'ch', txid, input: txInput() })));
    await pair.execute({ channelId: 'other', txid: 't1', input: txInput() });
    const o = new StreamObserver();
    const seen = pair.transcript.map((e, i) => o.message(e.from, e.message, i));
    expect(seen.flatMap((s) => s.findings)).toEqual([]);
    expect(seen[2]!.peer.handler).toBe('ready');
    expect(seen[2]!.chaincode.handler).toBe('ready');
    const firstTx = pair.transcript.findIndex((e) => e.message.type === 'TRANSACTION');
    expect(seen[firstTx]!.peer.txs).toEqual([{ channelId: 'ch', txid: 't1', state: 'awaitingChaincode' }]);
    expect(seen[firstTx]!.chaincode.txs).toEqual([{ channelId: 'ch', txid: 't1', state: 'running' }]);
    // After the last COMPLETED its transaction runs on neither side; only the named one is shown.
    expect(seen.at(-1)!.peer.txs).toEqual([]);
    expect(seen.at(-1)!.chaincode.txs).toEqual([]);
    expect(seen.every((s) => s.peer.txs.length <= 1 && s.chaincode.txs.length <= 1)).toBe(true);
    const end = o.end('EOF', 99);
    expect(end.peer.handler).toBe('closed');
    expect(end.findings).toEqual([]);
  });

  it('a RESPONSE with no request being served: the sender (peer) is blamed, by the chaincode core', () => {
    const seen = watch([['chaincode', register], ['peer', registered], ['peer', ready], ['peer', tx('t1')], ['peer', response('t1')]]);
    expect(seen.slice(0, 4).flatMap((s) => s.findings)).toEqual([]);
    expect(seen[4]!.findings).toEqual([expect.objectContaining({ code: 'UNEXPECTED_RESPONSE', blame: 'peer', foundBy: 'chaincode', txid: 't1' })]);
  });

  it('a second request of one transaction while the first is unanswered: the chaincode is blamed once, by the peer core', () => {
    const seen = watch([['chaincode', register], ['peer', registered], ['peer', ready], ['peer', tx('t1')], ['chaincode', get('t1')], ['chaincode', get('t1')]]);
    expect(seen[5]!.findings).toEqual([expect.objectContaining({ code: 'CONCURRENT_REQUEST', blame: 'chaincode', foundBy: 'peer', rule: expect.stringContaining('handler.go') })]);
  });

  it('a TRANSACTION before READY: the peer sent out of order (it owed READY first)', () => {
    const seen = watch([['chaincode', register], ['peer', registered], ['peer', tx('t1')]]);
    expect(seen[2]!.findings.map((f) => [f.code, f.blame, f.foundBy])).toEqual(
      expect.arrayContaining([['OUT_OF_ORDER_SEND', 'peer', 'peer']]),
    );
  });

  it('a COMPLETED for a transaction the chaincode never ran: blamed on the chaincode', () => {
    const seen = watch([['chaincode', register], ['peer', registered], ['peer', ready], ['chaincode', completed('nope')]]);
    // Both charts say so: the chaincode's (no such transaction to finish) and the peer's.
    expect(seen[3]!.findings.map((f) => [f.code, f.blame, f.foundBy])).toEqual([
      ['UNKNOWN_TX', 'chaincode', 'chaincode'],
      ['UNKNOWN_TX', 'chaincode', 'peer'],
    ]);
  });

  it('a request after REGISTER but before READY: the peer core ends the stream (UNEXPECTED_MESSAGE, chaincode to blame)', () => {
    const seen = watch([['chaincode', register], ['chaincode', get('t1')]]);
    expect(seen[1]!.findings).toEqual([expect.objectContaining({ code: 'UNEXPECTED_MESSAGE', blame: 'chaincode', foundBy: 'peer' })]);
  });

  it('the peer sends something no peer sends (GET_STATE): unexplained, blamed on the peer', () => {
    const seen = watch([['chaincode', register], ['peer', registered], ['peer', ready], ['peer', get('t1')]]);
    expect(seen[3]!.findings.map((f) => [f.code, f.blame])).toContainEqual(['UNEXPECTED_MESSAGE', 'peer']);
  });

  it('a refused REGISTER (ERROR from the peer while registering) is explained as the registry refusing it', () => {
    const refusal: Message = { type: 'ERROR', txid: '', channelId: '', payload: b('duplicate chaincodeID: cc:1') };
    const seen = watch([['chaincode', register], ['peer', refusal]]);
    expect(seen[1]!.findings.map((f) => [f.code, f.blame, f.foundBy])).toEqual([['REGISTER_REFUSED', 'chaincode', 'peer']]);
    expect(seen[1]!.peer.handler).toBe('failed');
  });

  it('KEEPALIVE from either side in every state is fine', () => {
    const ka: Message = { type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY };
    const seen = watch([['chaincode', register], ['peer', ka], ['peer', registered], ['peer', ready], ['peer', ka], ['chaincode', ka]]);
    expect(seen.flatMap((s) => s.findings)).toEqual([]);
  });

  it('a malformed frame is named by the receiver', () => {
    const o = new StreamObserver();
    const r = o.malformed('chaincode', { scope: 'envelope', txid: '', channelId: '', reason: 'truncated' }, 0);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MALFORMED_ENVELOPE', blame: 'chaincode', foundBy: 'peer' })]);
  });
});
