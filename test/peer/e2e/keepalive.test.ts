/**
 * KEEPALIVE (PROTOCOL.md §7, deviation P4): off by default, so fabric-shim 2.5.8 (which exits on
 * a KEEPALIVE in ready state: `Received unknown message from the peer. Exiting.`) keeps working;
 * with `keepaliveMs` the peer sends bare KEEPALIVEs after READY, ignores echoes, and a fabric-shim
 * 2.5.8 process dying on one is reported as `chaincode stream terminated` and relaunched.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { basicCommand, cleanup, closePeer, evaluate, getValue, ok, sleep, startPeer, waitFor, withTimeout, type TestPeer } from './helpers.js';
import { closeRawClients, RawClient } from './rawClient.js';

let t: TestPeer | undefined;
afterEach(async () => {
  closeRawClients();
  await closePeer(t);
  t = undefined;
});
afterAll(cleanup);

describe('keepalive off (default)', () => {
  it('no KEEPALIVE is sent and fabric-shim 2.5.8 keeps working while idle', async () => {
    t = await startPeer({ chaincodes: { cc: { kind: 'process', command: basicCommand() } } });
    await ok(t.peer, 'cc', ['put', 'a', '1']);
    const raw = await RawClient.dial(t.peer);
    await raw.register('raw:1.0');
    await sleep(1000);
    expect(raw.messages().map((m) => m.type)).toEqual(['REGISTERED', 'READY']);
    expect(await getValue(t.peer, 'cc', 'a')).toBe('1');
    expect(t.logged('chaincode process exited')).toEqual([]);
    expect(t.logged('launching chaincode')).toHaveLength(1);
  });
});

describe('keepaliveMs: 300', () => {
  it('KEEPALIVE every 300 ms after READY, none before; echoes are ignored', async () => {
    t = await startPeer({ keepaliveMs: 300 });
    const raw = await RawClient.dial(t.peer);
    // before registration nothing is sent (the timer is armed at READY)
    await sleep(500);
    expect(raw.received).toEqual([]);
    await raw.register('ka:1.0');
    const readyAt = Date.now();
    await waitFor(() => raw.messages().filter((m) => m.type === 'KEEPALIVE').length >= 3, 3000, 'three KEEPALIVEs');
    const elapsed = Date.now() - readyAt;
    expect(elapsed).toBeGreaterThanOrEqual(800);
    const ka = raw.messages().find((m) => m.type === 'KEEPALIVE')!;
    expect(ka).toMatchObject({ type: 'KEEPALIVE', txid: '', channelId: '' });
    expect(ka.payload).toHaveLength(0);
    // echo them, as the Go shim does: ignored, the stream keeps working
    raw.send({ type: 'KEEPALIVE', txid: '', channelId: '', payload: new Uint8Array(0) });
    raw.send({ type: 'KEEPALIVE', txid: 'x', channelId: 'y', payload: Buffer.from('junk') });
    await raw.put(t.peer, 'k', 'v');
    expect(await raw.get(t.peer, 'k')).toBe('v');
    expect(raw.closeReason).toBeUndefined();
    expect(t.logs.filter((r) => r.msg === 'protocol violation')).toEqual([]);
  });

  it('fabric-shim 2.5.8 exits on KEEPALIVE: in-flight transactions fail with `chaincode stream terminated`, the next invocation relaunches', async () => {
    t = await startPeer({ keepaliveMs: 300, chaincodes: { cc: { kind: 'process', command: basicCommand() } } });
    // a transaction that would run for 5 s: the KEEPALIVE 300 ms after READY kills the process
    const started = Date.now();
    const r = await evaluate(t.peer, 'cc', ['sleep', '5000'], { timeoutMs: 10_000 });
    expect(r.status).toBe(500);
    expect(r.message).toBe('chaincode stream terminated');
    expect(Date.now() - started).toBeLessThan(4000);
    await waitFor(() => t!.logged('chaincode process exited').length >= 1, 5000, 'the process exit');
    expect(t.logged('chaincode process exited')[0]).toMatchObject({ name: 'cc', code: 1 });
    expect(t.output()).toContain('Received unknown message from the peer. Exiting.');

    // every later invocation relaunches (each process lives ~300 ms): quick ones succeed, none hangs
    const results: string[] = [];
    for (let i = 0; i < 5 && !results.includes('200'); i++) {
      const q = await withTimeout(evaluate(t.peer, 'cc', ['get', 'x']), 10_000, 'invocation after the crash');
      results.push(q.status === 200 ? '200' : q.message);
    }
    for (const x of results) expect(['200', 'chaincode stream terminated']).toContain(x);
    expect(results).toContain('200');
    expect(t.logged('launching chaincode').length).toBeGreaterThanOrEqual(2);
  });
});
