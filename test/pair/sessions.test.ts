/**
 * Complete sessions over the in-memory pair (both drive loops, real codec bytes in between, the
 * small memory ledger): handshake, INIT, a TRANSACTION that issues every request type in turn, many
 * concurrent transactions (including one txid on two channels), failures, timeouts and drops.
 * Message sequences are asserted exactly.
 */
import { describe, expect, it } from 'vitest';
import { MemoryPair } from '../../src/pair/memoryPair.js';
import { SimulatedClock } from '../../src/drive/clock.js';
import type { TransactionHandle } from '../../src/drive/chaincodeConnection.js';
import { errorText, utf8Bytes, type Message } from '../../src/protocol/messages.js';
import { REQUEST_TYPES } from '../../src/protocol/messageType.js';
import { FABRIC_31_READY_PARAMS } from '../../src/protocol/messages.js';
import { decodeQueryResponse, decodeKV } from '../../src/wire/index.js';
import { sampleMessage } from '../support/messages.js';

const b = utf8Bytes;
const txInput = (...args: string[]) => ({ args: args.map(b), decorations: {}, isInit: false });
const ok = (payload = '') => ({ status: 200, message: '', payload: b(payload) });
const brief = (t: { from: string; message: Message }[]) => t.map((e) => `${e.from === 'peer' ? 'P' : 'C'}:${e.message.type}`);
const settle = () => new Promise((r) => setImmediate(r));

async function started(chaincode: (tx: TransactionHandle) => void | Promise<void>, extra: Partial<ConstructorParameters<typeof MemoryPair>[0]> = {}) {
  const pair = new MemoryPair({ chaincode, record: true, peerCore: { readyParams: FABRIC_31_READY_PARAMS }, ...extra });
  await pair.start();
  return pair;
}

describe('in-memory pair sessions', () => {
  it('handshake: REGISTER, REGISTERED, READY with the advertised capabilities', async () => {
    const pair = await started(() => {});
    expect(brief(pair.transcript)).toEqual(['C:REGISTER', 'P:REGISTERED', 'P:READY']);
    expect(pair.transcript[0]!.message.payload).toEqual({ name: 'mycc:1.0', path: '', version: '' });
    expect(pair.transcript[2]!.message.payload).toEqual(FABRIC_31_READY_PARAMS);
    expect(pair.peer.handlerState).toBe('ready');
    expect(pair.chaincode.handlerState).toBe('ready');
    expect(pair.chaincode.params).toEqual(FABRIC_31_READY_PARAMS);
    expect(pair.violations).toEqual([]);
  });

  it('INIT: one write, COMPLETED, the execute returns the response', async () => {
    const pair = await started(async (tx) => {
      expect(tx.txType).toBe('INIT');
      const put = await tx.request({ type: 'PUT_STATE', payload: { key: 'init', value: b('done'), collection: '' } });
      expect(put.ok).toBe(true);
      tx.complete(ok('initialised'), { chaincodeId: '', txId: tx.txid, eventName: 'Init', payload: b('e') });
    });
    const r = await pair.execute({ channelId: 'mychannel', txid: 'tx-init', txType: 'INIT', input: { ...txInput('init'), isInit: true } });
    expect(r.ok && errorText(r.response.payload)).toBe('initialised');
    expect(r.ok && r.event?.eventName).toBe('Init');
    expect(brief(pair.transcript).slice(3)).toEqual(['P:INIT', 'C:PUT_STATE', 'P:RESPONSE', 'C:COMPLETED']);
    const init = pair.transcript[3]!.message;
    expect(init.txid).toBe('tx-init');
    expect(init.channelId).toBe('mychannel');
    expect(pair.ledger.get('mychannel', 'init')).toEqual(b('done'));
  });

  it('a TRANSACTION that issues every request type in turn', async () => {
    const ledger = new (await import('../../src/pair/standInLedger.js')).StandInLedger();
    const pair = await started(
      async (tx) => {
        const replies: string[] = [];
        const send = async (m: Parameters<TransactionHandle['request']>[0]) => {
          const r = await tx.request(m);
          replies.push(`${m.type}:${r.ok ? 'ok' : 'err'}`);
          return r;
        };
        for (let i = 0; i < 150; i++) await send({ type: 'PUT_STATE', payload: { key: `k${String(i).padStart(3, '0')}`, value: b(`v${i}`), collection: '' } });
        const range = await send({ type: 'GET_STATE_BY_RANGE', payload: { startKey: 'k', endKey: 'l', collection: '', metadata: new Uint8Array() } });
        const first = range.ok ? decodeQueryResponse(range.payload) : undefined;
        expect(first?.ok && first.value.results.length).toBe(100);
        expect(first?.ok && first.value.hasMore).toBe(true);
        const id = first?.ok ? first.value.id : '';
        const next = await send({ type: 'QUERY_STATE_NEXT', payload: { id } });
        const second = next.ok ? decodeQueryResponse(next.payload) : undefined;
        expect(second?.ok && second.value.results.length).toBe(50);
        const lastKv = second?.ok ? decodeKV(second.value.results[49]!) : undefined;
        expect(lastKv?.ok && lastKv.value.key).toBe('k149');
        await send({ type: 'QUERY_STATE_CLOSE', payload: { id } });
        for (const type of REQUEST_TYPES) {
          if (type === 'PUT_STATE' || type === 'GET_STATE_BY_RANGE' || type === 'QUERY_STATE_NEXT' || type === 'QUERY_STATE_CLOSE') continue;
          await send(sampleMessage(type) as never);
        }
        tx.complete(ok(replies.slice(150).join(',')));
      },
      { ledger },
    );
    const r = await pair.execute({ channelId: 'ch', txid: 'tx-all', input: txInput('all') });
    expect(r.ok).toBe(true);
    const afterPuts = brief(pair.transcript).slice(3 + 1 + 300);
    expect(afterPuts).toEqual([
      'C:GET_STATE_BY_RANGE', 'P:RESPONSE',
      'C:QUERY_STATE_NEXT', 'P:RESPONSE',
      'C:QUERY_STATE_CLOSE', 'P:RESPONSE',
      'C:GET_STATE', 'P:RESPONSE',
      'C:DEL_STATE', 'P:RESPONSE',
      'C:INVOKE_CHAINCODE', 'P:ERROR', // the pair has no second chaincode
      'C:GET_QUERY_RESULT', 'P:ERROR', // as a LevelDB peer: ExecuteQuery not supported
      'C:GET_HISTORY_FOR_KEY', 'P:RESPONSE',
      'C:GET_STATE_METADATA', 'P:RESPONSE',
      'C:PUT_STATE_METADATA', 'P:RESPONSE',
      'C:GET_PRIVATE_DATA_HASH', 'P:RESPONSE',
      'C:PURGE_PRIVATE_DATA', 'P:RESPONSE',
      'C:WRITE_BATCH_STATE', 'P:RESPONSE',
      'C:GET_STATE_MULTIPLE', 'P:RESPONSE',
      'C:COMPLETED',
    ]);
    const errors = pair.transcript.filter((e) => e.message.type === 'ERROR').map((e) => errorText(e.message.payload as Uint8Array));
    expect(errors).toEqual([
      'INVOKE_CHAINCODE failed: transaction ID: tx-all: execute failed: chaincode-to-chaincode calls need the peer runtime, not the in-memory pair',
      'GET_QUERY_RESULT failed: transaction ID: tx-all: ExecuteQuery not supported for leveldb',
    ]);
    // Every message of the transaction carries its txid and channel.
    for (const e of pair.transcript.slice(3)) expect([e.message.channelId, e.message.txid]).toEqual(['ch', 'tx-all']);
    expect(pair.violations).toEqual([]);
  });

  it('many concurrent transactions on one stream, including one txid on two channels', async () => {
    const pair = await started(async (tx) => {
      const got = await tx.request({ type: 'GET_STATE', payload: { key: 'shared', collection: '' } });
      await tx.request({ type: 'PUT_STATE', payload: { key: `out-${tx.txid}`, value: b(tx.channelId), collection: '' } });
      tx.complete(ok(`${tx.channelId}/${tx.txid}/${got.ok ? errorText(got.payload) : 'x'}`));
    });
    pair.ledger.serve({ ...sampleMessage('PUT_STATE', 'ch1', 'seed'), payload: { key: 'shared', value: b('S1'), collection: '' } } as never);
    pair.ledger.serve({ ...sampleMessage('PUT_STATE', 'ch2', 'seed'), payload: { key: 'shared', value: b('S2'), collection: '' } } as never);
    const jobs: { channelId: string; txid: string }[] = [];
    for (let i = 0; i < 64; i++) jobs.push({ channelId: i % 2 ? 'ch2' : 'ch1', txid: `tx${i}` });
    jobs.push({ channelId: 'ch1', txid: 'same' }, { channelId: 'ch2', txid: 'same' });
    const results = await Promise.all(jobs.map((j) => pair.execute({ ...j, input: txInput('go') })));
    results.forEach((r, i) => {
      const j = jobs[i]!;
      expect(r.ok && errorText(r.response.payload)).toBe(`${j.channelId}/${j.txid}/${j.channelId === 'ch1' ? 'S1' : 'S2'}`);
      expect(pair.ledger.get(j.channelId, `out-${j.txid}`)).toEqual(b(j.channelId));
    });
    // Per transaction, the exact sequence, whatever the interleaving on the stream.
    for (const j of jobs) {
      const mine = pair.transcript.filter((e) => e.message.channelId === j.channelId && e.message.txid === j.txid);
      expect(brief(mine)).toEqual(['P:TRANSACTION', 'C:GET_STATE', 'P:RESPONSE', 'C:PUT_STATE', 'P:RESPONSE', 'C:COMPLETED']);
    }
    // The interleaving really was concurrent: the second TRANSACTION went out before the first COMPLETED.
    const order = brief(pair.transcript);
    expect(order.indexOf('P:TRANSACTION', order.indexOf('P:TRANSACTION') + 1)).toBeLessThan(order.indexOf('C:COMPLETED'));
    expect(pair.violations).toEqual([]);
  });

  it('stub calls of one transaction are queued: one request in flight at a time', async () => {
    const pair = await started(async (tx) => {
      const all = await Promise.all(['a', 'b', 'c'].map((k) => tx.request({ type: 'GET_STATE', payload: { key: k, collection: '' } })));
      tx.complete(ok(String(all.every((r) => r.ok))));
    });
    const r = await pair.execute({ channelId: 'ch', txid: 'q', input: txInput() });
    expect(r.ok && errorText(r.response.payload)).toBe('true');
    expect(brief(pair.transcript).slice(3)).toEqual(['P:TRANSACTION', 'C:GET_STATE', 'P:RESPONSE', 'C:GET_STATE', 'P:RESPONSE', 'C:GET_STATE', 'P:RESPONSE', 'C:COMPLETED']);
  });

  it('a chaincode that throws answers ERROR; the execute fails with Fabric\'s text', async () => {
    const pair = await started(async () => {
      throw new Error('asset 7 does not exist');
    });
    const r = await pair.execute({ channelId: 'ch', txid: 'boom', input: txInput() });
    expect(r).toEqual({
      ok: false,
      failure: 'chaincodeError',
      message: 'transaction returned with failure: asset 7 does not exist',
      errorPayload: b('asset 7 does not exist'),
    });
    expect(brief(pair.transcript).slice(3)).toEqual(['P:TRANSACTION', 'C:ERROR']);
  });

  it('execute timeout: Fabric\'s text, the late COMPLETED is named TX_FINISHED, nothing hangs', async () => {
    const clock = new SimulatedClock();
    let finish: (() => void) | undefined;
    const pair = await started((tx) => void (finish = () => tx.complete(ok())), { clock, executeTimeoutMs: 30_000 });
    const pending = pair.execute({ channelId: 'ch', txid: 'slow', input: txInput() });
    await settle();
    clock.advance(30_000);
    expect(await pending).toEqual({ ok: false, failure: 'timeout', message: 'timeout expired while executing transaction' });
    finish!();
    expect(pair.violations.map((v) => v.code)).toEqual(['TX_FINISHED']);
    expect(clock.pending()).toBe(0);
  });

  it('execute timeout while a stub call is served: the answer still reaches the chaincode (Fabric HandleTransaction), whose COMPLETED is then named TX_FINISHED', async () => {
    const clock = new SimulatedClock();
    let answer: (() => void) | undefined;
    const stubResults: string[] = [];
    const pair = await started(
      async (tx) => {
        const r = await tx.request({ type: 'GET_STATE', payload: { key: 'k', collection: '' } });
        stubResults.push(r.ok ? `ok ${errorText(r.payload)}` : r.message);
        tx.complete(ok());
      },
      { clock, executeTimeoutMs: 30_000, serve: () => new Promise((resolve) => void (answer = () => resolve({ ok: true, payload: b('late') }))) },
    );
    const pending = pair.execute({ channelId: 'ch', txid: 'orphan', input: txInput() });
    await settle();
    clock.advance(30_000);
    expect(await pending).toEqual({ ok: false, failure: 'timeout', message: 'timeout expired while executing transaction' });
    answer!();
    await settle();
    await settle();
    expect(stubResults).toEqual(['ok late']);
    expect(brief(pair.transcript).slice(3)).toEqual(['P:TRANSACTION', 'C:GET_STATE', 'P:RESPONSE', 'C:COMPLETED']);
    expect(pair.violations.map((v) => v.code)).toEqual(['TX_FINISHED']);
    expect(pair.peer.core.orphans).toEqual({});
  });

  it('a dying stream fails every pending execute and every pending stub call', async () => {
    const stubResults: string[] = [];
    let drop: () => void = () => {};
    const pair = await started(
      async (tx) => {
        const r = await tx.request({ type: 'GET_STATE', payload: { key: 'k', collection: '' } });
        stubResults.push(r.ok ? 'ok' : r.message);
      },
      { serve: () => (drop(), new Promise(() => {})) },
    );
    drop = () => queueMicrotask(() => pair.drop('connection reset'));
    const results = await Promise.all([
      pair.execute({ channelId: 'ch', txid: 'd1', input: txInput() }),
      pair.execute({ channelId: 'ch', txid: 'd2', input: txInput() }),
    ]);
    await settle();
    for (const r of results) expect(r).toEqual({ ok: false, failure: 'streamTerminated', message: 'chaincode stream terminated' });
    expect(stubResults).toEqual(['chaincode stream terminated', 'chaincode stream terminated']);
    expect(pair.peer.handlerState).toBe('closed');
    const late = await pair.execute({ channelId: 'ch', txid: 'd3', input: txInput() });
    expect(late).toEqual({ ok: false, failure: 'streamTerminated', message: 'chaincode stream terminated' });
  });

  it('duplicate txid on one channel is refused while the first runs', async () => {
    let release: (() => void) | undefined;
    const pair = await started((tx) => void (release = () => tx.complete(ok('first'))));
    const first = pair.execute({ channelId: 'ch', txid: 'dup', input: txInput() });
    const second = await pair.execute({ channelId: 'ch', txid: 'dup', input: txInput() });
    expect(second).toEqual({ ok: false, failure: 'refused', message: 'txid: dup(ch) exists' });
    await settle();
    release!();
    const r = await first;
    expect(r.ok && errorText(r.response.payload)).toBe('first');
  });

  it('transactions in flight are bounded: one more execute is refused at once, naming the limit', async () => {
    const held: TransactionHandle[] = [];
    const pair = await started((tx) => void held.push(tx), { maxTransactionsPerStream: 2 });
    const first = pair.execute({ channelId: 'ch', txid: 't1', input: txInput('a') });
    const second = pair.execute({ channelId: 'ch', txid: 't2', input: txInput('b') });
    const third = await pair.execute({ channelId: 'ch', txid: 't3', input: txInput('c') });
    expect(third).toEqual({
      ok: false,
      failure: 'overloaded',
      message: 'too many transactions in flight on the stream of chaincode mycc:1.0 (limit 2, option maxTransactionsPerStream / --max-tx-per-stream)',
    });
    await settle();
    expect(held.map((t) => t.txid)).toEqual(['t1', 't2']);
    for (const tx of held) tx.complete(ok());
    expect([(await first).ok, (await second).ok]).toEqual([true, true]);
    const fourth = pair.execute({ channelId: 'ch', txid: 't4', input: txInput('d') });
    await settle();
    expect(held.map((t) => t.txid)).toEqual(['t1', 't2', 't4']); // room again: admitted
    held[2]!.complete(ok());
    expect((await fourth).ok).toBe(true);
  });
});
