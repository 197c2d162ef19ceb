/**
 * Bad input from the chaincode side, with a hand-written protocol client (rawClient.ts:
 * dialChaincodeSupport + encodeMessage/decodeMessage) against a real peer, next to a real
 * fabric-shim chaincode. After every case the peer still serves the normal chaincode, and no write
 * of a failed transaction is visible (read back through a query).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Message } from '../../../src/protocol/messages.js';
import { encodeMessage } from '../../../src/wire/index.js';
import {
  basicCommand,
  cleanup,
  closePeer,
  evaluate,
  EXECUTE_TIMEOUT_CAUSE,
  executeFailed,
  getValue,
  ok,
  startPeer,
  STREAM_TERMINATED_CAUSE,
  submit,
  waitFor,
  type TestPeer,
} from './helpers.js';
import { closeRawClients, errText, RawClient } from './rawClient.js';

let t: TestPeer;
const MAX_RECV = 64 * 1024;
const EXECUTE_TIMEOUT = 1000;

beforeAll(async () => {
  t = await startPeer({
    chaincodes: { cc: { kind: 'process', command: basicCommand() } },
    executeTimeoutMs: EXECUTE_TIMEOUT,
    maxReceiveMessageLength: MAX_RECV,
  });
  await ok(t.peer, 'cc', ['put', 'base', '1']);
});

let healthChecks = 0;
afterEach(async () => {
  closeRawClients();
  // the peer still serves the normal chaincode
  const n = ++healthChecks;
  await ok(t.peer, 'cc', ['put', `health${n}`, String(n)]);
  expect(await getValue(t.peer, 'cc', `health${n}`)).toBe(String(n));
});

afterAll(async () => {
  closeRawClients();
  await closePeer(t);
  await cleanup();
});

const tx = (type: Message['type'], payload: unknown, txid = 'tx-unknown', channelId = 'mychannel'): Message => ({ type, txid, channelId, payload }) as Message;
const violations = (code: string) => t.logs.filter((r) => r.msg === 'protocol violation' && r.code === code);

describe('before registration', () => {
  it('garbage bytes: the stream is closed with the decoder’s reason', async () => {
    const c = await RawClient.dial(t.peer);
    c.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
    const why = await c.waitClosed();
    expect(why).toMatchObject({ kind: 'error', codeName: 'UNKNOWN' });
    expect(why.kind === 'error' && why.message).toMatch(/^malformed ChaincodeMessage: /);
    expect(c.received).toEqual([]);
    expect(violations('MALFORMED_ENVELOPE').length).toBeGreaterThan(0);
  });

  it('an unknown message type', async () => {
    const c = await RawClient.dial(t.peer);
    c.send({ type: 'UNKNOWN', code: 99, txid: 'x', channelId: '', payload: Buffer.from('?') });
    const why = await c.waitClosed();
    expect(why).toEqual({ kind: 'error', code: 2, codeName: 'UNKNOWN', message: '[x] Fabric side handler cannot handle message (99) while in created state' });
    expect(c.received).toEqual([]);
  });

  it('TRANSACTION, a shim request or COMPLETED before REGISTER', async () => {
    for (const [type, payload] of [
      ['TRANSACTION', { args: [], decorations: {}, isInit: false }],
      ['PUT_STATE', { key: 'k', value: Buffer.from('v'), collection: '' }],
      ['COMPLETED', { status: 200, message: '', payload: Buffer.alloc(0) }],
    ] as const) {
      const c = await RawClient.dial(t.peer);
      c.send(tx(type, payload, 'tx1'));
      const why = await c.waitClosed();
      expect(why.kind === 'error' && why.message).toBe(`[tx1] Fabric side handler cannot handle message (${type}) while in created state`);
      expect(c.received).toEqual([]);
    }
  });

  it('REGISTER with an empty name: ERROR with the reason, then the stream closes (deviation P2)', async () => {
    const c = await RawClient.dial(t.peer);
    c.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: '', path: '', version: '' } });
    const why = await c.waitClosed();
    expect(c.summary()).toEqual(['ERROR error in handling register chaincode, chaincodeID name is empty']);
    expect(why.kind === 'error' && why.message).toBe('error in handling register chaincode, chaincodeID name is empty');
  });

  it('REGISTER whose payload does not parse (deviation P3)', async () => {
    const c = await RawClient.dial(t.peer);
    // type 1 (REGISTER), payload = a truncated ChaincodeID
    c.sendRaw(Buffer.from([0x08, 0x01, 0x1a, 0x03, 0xff, 0xff, 0xff]));
    await c.waitClosed();
    expect(c.summary()).toHaveLength(1);
    expect(c.summary()[0]).toMatch(/^ERROR error in handling register chaincode, failed to unmarshal ChaincodeID: /);
  });

  it('REGISTER with the name of a running chaincode: duplicate, the running one is undisturbed', async () => {
    const c = await RawClient.dial(t.peer);
    c.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'cc:1.0', path: '', version: '' } });
    await c.waitClosed();
    expect(c.summary()).toEqual(['ERROR duplicate chaincodeID: cc:1.0']);
    // another version of the same name is the same invocation name: also a duplicate
    const d = await RawClient.dial(t.peer);
    d.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'cc:2.0', path: '', version: '' } });
    await d.waitClosed();
    expect(d.summary()).toEqual(['ERROR duplicate chaincodeID: cc:2.0']);
    expect(t.peer.listChaincodes().find((x) => x.name === 'cc')).toMatchObject({ registeredAs: 'cc:1.0', state: 'ready' });
  });

  it('REGISTER twice with the same new name: the second is refused, the first keeps serving', async () => {
    const a = await RawClient.dial(t.peer);
    await a.register('twin:1.0');
    const b = await RawClient.dial(t.peer);
    b.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'twin:1.0', path: '', version: '' } });
    await b.waitClosed();
    expect(b.summary()).toEqual(['ERROR duplicate chaincodeID: twin:1.0']);
    await a.put(t.peer, 'tk', 'tv');
    expect(await a.get(t.peer, 'tk')).toBe('tv');
    expect(a.closeReason).toBeUndefined();
  });

  it('REGISTER of an unknown name with devMode: false', async () => {
    const strict = await startPeer({ devMode: false });
    try {
      const c = await RawClient.dial(strict.peer);
      c.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'who:1.0', path: '', version: '' } });
      const why = await c.waitClosed();
      expect(c.summary()).toEqual(['ERROR peer will not accept external chaincode connection who:1.0 (except in dev mode)']);
      expect(why.kind === 'error' && why.message).toBe('peer will not accept external chaincode connection who:1.0 (except in dev mode)');
      expect(strict.peer.listChaincodes()).toEqual([]);
    } finally {
      closeRawClients();
      await closePeer(strict);
    }
  });
});

describe('after registration', () => {
  it('a second REGISTER or an unknown type ends the stream; a transaction in flight fails', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('again:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['put'], true);
    await c.request(running, tx('PUT_STATE', { key: 'x', value: Buffer.from('lost'), collection: '' }));
    c.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'again:1.0', path: '', version: '' } });
    const why = await c.waitClosed();
    expect(why.kind === 'error' && why.message).toBe('[] Fabric side handler cannot handle message (REGISTER) while in ready state');
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, STREAM_TERMINATED_CAUSE));
    expect(r.committed).toBe(false);

    const d = await RawClient.dial(t.peer);
    await d.register('again:1.0');
    expect(await d.get(t.peer, 'x')).toBe('');
    d.send({ type: 'UNKNOWN', code: 99, txid: 'z', channelId: 'mychannel', payload: Buffer.alloc(0) });
    const why2 = await d.waitClosed();
    expect(why2.kind === 'error' && why2.message).toBe('[z] Fabric side handler cannot handle message (99) while in ready state');
    // RESPONSE is the peer's message: from the chaincode it ends the stream too
    const e = await RawClient.dial(t.peer);
    await e.register('again:1.0');
    e.send(tx('RESPONSE', Buffer.alloc(0), 'r1'));
    const why3 = await e.waitClosed();
    expect(why3.kind === 'error' && why3.message).toBe('[r1] Fabric side handler cannot handle message (RESPONSE) while in ready state');
  });

  it('garbage while a transaction runs: the stream closes, the transaction fails, nothing commits', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('garbled:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['put'], true);
    await c.request(running, tx('PUT_STATE', { key: 'g', value: Buffer.from('lost'), collection: '' }));
    c.sendRaw(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await c.waitClosed();
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, STREAM_TERMINATED_CAUSE));
    const d = await RawClient.dial(t.peer);
    await d.register('garbled:1.0');
    expect(await d.get(t.peer, 'g')).toBe('');
  });

  it('requests and replies for unknown txids: ERROR … no ledger context; a stray COMPLETED is dropped', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('stray:1.0');
    let from = c.mark();
    c.send(tx('GET_STATE', { key: 'k', collection: '' }, 'nope'));
    expect(errText((await c.reply('nope', from)).payload)).toBe('GET_STATE failed: transaction ID: nope: no ledger context');
    from = c.mark();
    c.send(tx('PUT_STATE', { key: 'k', value: Buffer.from('v'), collection: '' }, 'nope2'));
    expect(errText((await c.reply('nope2', from)).payload)).toBe('PUT_STATE failed: transaction ID: nope2: no ledger context');
    from = c.mark();
    c.send(tx('INVOKE_CHAINCODE', { type: 0, chaincodeId: { name: 'cc', path: '', version: '' }, input: { args: [Buffer.from('get'), Buffer.from('base')], decorations: {}, isInit: false }, timeout: 0 }, 'nope3'));
    expect(errText((await c.reply('nope3', from)).payload)).toBe('INVOKE_CHAINCODE failed: transaction ID: nope3: could not get valid transaction');
    from = c.mark();
    c.send(tx('COMPLETED', { status: 200, message: '', payload: Buffer.alloc(0) }, 'nope4'));
    c.send(tx('ERROR', Buffer.from('whatever'), 'nope5'));
    // nothing comes back and the stream stays usable
    await c.put(t.peer, 'after', 'stray');
    expect(await c.get(t.peer, 'after')).toBe('stray');
    expect(c.messages().slice(from).filter((m) => m.txid === 'nope4' || m.txid === 'nope5')).toEqual([]);
    expect(c.closeReason).toBeUndefined();
    expect(violations('UNKNOWN_TX').some((v) => v.txid === 'nope4')).toBe(true);
    // the same for the right txid on the wrong channel
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    from = c.mark();
    c.send({ ...tx('GET_STATE', { key: 'k', collection: '' }), txid: running.txid, channelId: 'otherchannel' });
    expect(errText((await c.reply(running.txid, from)).payload)).toBe(`GET_STATE failed: transaction ID: ${running.txid}: no ledger context`);
    c.complete(running);
    expect((await result).status).toBe(200);
  });

  it('a second concurrent request of one transaction: ERROR, the first is served (deviation P1)', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('eager:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    const from = c.mark();
    // the first request takes ~300 ms (a call to the real chaincode that sleeps)
    c.send({ ...tx('INVOKE_CHAINCODE', { type: 0, chaincodeId: { name: 'cc', path: '', version: '' }, input: { args: [Buffer.from('sleep'), Buffer.from('300')], decorations: {}, isInit: false }, timeout: 0 }), txid: running.txid, channelId: running.channelId });
    c.send({ ...tx('PUT_STATE', { key: 'eager', value: Buffer.from('refused'), collection: '' }), txid: running.txid, channelId: running.channelId });
    const first = await c.reply(running.txid, from);
    expect(first.type).toBe('ERROR');
    expect(errText(first.payload)).toBe(`PUT_STATE failed: transaction ID: ${running.txid}: another request is pending for this transaction`);
    const second = await c.waitMessage((m) => m.type === 'RESPONSE' && m.txid === running.txid, 5000, 'the INVOKE_CHAINCODE response', from);
    expect(second.type).toBe('RESPONSE');
    c.complete(running);
    const r = await result;
    expect(r.status).toBe(200);
    expect(r.committed).toBe(true);
    // the refused write was not applied
    expect(await c.get(t.peer, 'eager')).toBe('');
    expect(violations('CONCURRENT_REQUEST').length).toBeGreaterThan(0);
  });

  it('a request whose payload does not parse: ERROR unmarshal failed; the transaction goes on', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('garbage:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    const from = c.mark();
    c.sendRaw(encodeMessage({ type: 'UNKNOWN', code: 9 /* PUT_STATE */, txid: running.txid, channelId: running.channelId, payload: Buffer.from([0xff, 0xff, 0xff]) }));
    const r1 = await c.reply(running.txid, from);
    expect(r1.type).toBe('ERROR');
    expect(errText(r1.payload)).toMatch(new RegExp(`^PUT_STATE failed: transaction ID: ${running.txid}: unmarshal failed: `));
    const r2 = await c.request(running, tx('PUT_STATE', { key: 'gk', value: Buffer.from('gv'), collection: '' }));
    expect(r2.type).toBe('RESPONSE');
    c.complete(running);
    expect((await result).committed).toBe(true);
    expect(await c.get(t.peer, 'gk')).toBe('gv');
  });

  it('a COMPLETED whose payload does not parse fails the transaction (deviation P5); nothing commits', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('badcompleted:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    await c.request(running, tx('PUT_STATE', { key: 'bc', value: Buffer.from('lost'), collection: '' }));
    c.sendRaw(encodeMessage({ type: 'UNKNOWN', code: 6 /* COMPLETED */, txid: running.txid, channelId: running.channelId, payload: Buffer.from([0xff, 0xff, 0xff]) }));
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.committed).toBe(false);
    expect(r.message).toMatch(/unmarshal/i);
    expect(c.closeReason).toBeUndefined();
    expect(await c.get(t.peer, 'bc')).toBe('');
    expect(violations('MALFORMED_PAYLOAD').length).toBeGreaterThan(0);
  });

  it('an ERROR from the chaincode: status 500 with its text, nothing commits', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('erring:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    await c.request(running, tx('PUT_STATE', { key: 'er', value: Buffer.from('lost'), collection: '' }));
    c.send({ type: 'ERROR', txid: running.txid, channelId: running.channelId, payload: Buffer.from('chaincode gave up') });
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.message).toBe('error in simulation: transaction returned with failure: chaincode gave up');
    expect(await c.get(t.peer, 'er')).toBe('');
  });
});

describe('limits and timeouts', () => {
  it('an oversized frame closes that stream; its transaction fails; the peer keeps serving others', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('big:1.0');
    const other = await RawClient.dial(t.peer);
    await other.register('bystander:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    c.send({ ...tx('PUT_STATE', { key: 'huge', value: Buffer.alloc(MAX_RECV + 1024, 0x61), collection: '' }), txid: running.txid, channelId: running.channelId });
    const why = await c.waitClosed();
    expect(why.kind).toBe('error');
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, STREAM_TERMINATED_CAUSE));
    await waitFor(() => !t.peer.listChaincodes().some((x) => x.name === 'big'), 5000, 'deregistration of big');
    // the other raw chaincode on its own stream is unaffected
    await other.put(t.peer, 'still', 'fine');
    expect(await other.get(t.peer, 'still')).toBe('fine');
    const d = await RawClient.dial(t.peer);
    await d.register('big:1.0');
    expect(await d.get(t.peer, 'huge')).toBe('');
    // just under the limit is fine
    await d.put(t.peer, 'large', 'b'.repeat(MAX_RECV - 1024));
    expect((await d.get(t.peer, 'large')).length).toBe(MAX_RECV - 1024);
  });

  it('a raw chaincode that never answers: timeout, late messages refused or dropped, nothing commits', async () => {
    const c = await RawClient.dial(t.peer);
    await c.register('mute:1.0');
    const { tx: running, result } = await c.begin(t.peer, ['x'], true);
    await c.request(running, tx('PUT_STATE', { key: 'm', value: Buffer.from('lost'), collection: '' }));
    const started = Date.now();
    const r = await result;
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, EXECUTE_TIMEOUT_CAUSE));
    expect(r.committed).toBe(false);
    expect(Date.now() - started).toBeLessThan(EXECUTE_TIMEOUT + 1500);
    // late: a request gets `no ledger context`, the COMPLETED is dropped
    const late = await c.request(running, tx('PUT_STATE', { key: 'm', value: Buffer.from('late'), collection: '' }));
    expect(errText(late.payload)).toBe(`PUT_STATE failed: transaction ID: ${running.txid}: no ledger context`);
    c.complete(running);
    await waitFor(() => violations('TX_FINISHED').some((v) => v.txid === running.txid && v.got === 'recv.COMPLETED'), 5000, 'the late COMPLETED to be dropped');
    expect(c.closeReason).toBeUndefined();
    expect(await c.get(t.peer, 'm')).toBe('');
  });

  it('a fabric-shim chaincode that answers too late: timeout, its write is not committed', async () => {
    const r = await submit(t.peer, 'cc', ['putThenSleep', 'slow', 'lost', String(EXECUTE_TIMEOUT + 300)]);
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, EXECUTE_TIMEOUT_CAUSE));
    expect(r.committed).toBe(false);
    // the shim's late COMPLETED arrives and is dropped
    await waitFor(() => violations('TX_FINISHED').some((v) => v.txid === r.txId), 5000, 'the late COMPLETED');
    expect(await getValue(t.peer, 'cc', 'slow')).toBe('');
    expect((await evaluate(t.peer, 'cc', ['get', 'base'])).text).toBe('1');
  });
});
