/**
 * KEEPALIVE (docs/protocol.md §11, deviation P4): off by default, so fabric-shim 2.5.8 (which exits on
 * a KEEPALIVE in ready state: `Received unknown message from the peer. Exiting.`) keeps working;
 * with `keepaliveMs` the peer sends bare KEEPALIVEs after READY, ignores echoes, and a fabric-shim
 * 2.5.8 process dying on one is reported as `chaincode stream terminated` and relaunched.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import {
  basicCommand,
  cleanup,
  closePeer,
  evaluate,
  executeFailed,
  getValue,
  ok,
  sleep,
  startPeer,
  STREAM_TERMINATED_CAUSE,
  waitFor,
  withTimeout,
  type TestPeer,
} from './helpers.js';
import { closeRawClients, RawClient } from './rawClient.js';
import type { PeerOptions } from '../../../src/peer/types.js';

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

/**
 * Timing is read on the peer's side, from its trace (called synchronously as each message is
 * sent, in this process), not from when the test's client gets around to reading: on a loaded
 * machine the client may see READY late and then several KEEPALIVEs at once, which made a
 * client-side wall-clock window flaky. On the peer's side load can only stretch the gaps, never
 * shrink them: each KEEPALIVE timer is armed when the previous one fired (or at READY), with a
 * deadline `interval` later. So the lower bounds below are tight, and the only upper bounds are
 * generous waits (that the KEEPALIVEs keep coming, and that nothing hangs).
 */
function sendLog(): { sent: { type: string; chaincode: string; at: number }[]; received: { type: string; chaincode: string; txid: string }[]; trace: NonNullable<PeerOptions['trace']> } {
  const sent: { type: string; chaincode: string; at: number }[] = [];
  const received: { type: string; chaincode: string; txid: string }[] = [];
  return {
    sent,
    received,
    trace: (e) => {
      if (e.kind !== 'message') return;
      if (e.direction === 'out') sent.push({ type: e.message.type, chaincode: e.chaincode, at: performance.now() });
      else received.push({ type: e.message.type, chaincode: e.chaincode, txid: e.message.txid });
    },
  };
}

/** Slack for the synchronous work between a step's clock reading and its trace call (not load). */
const STEP_SLACK_MS = 60;

describe('keepaliveMs: 300', () => {
  const INTERVAL = 300;

  it('KEEPALIVE every 300 ms after READY, none before; echoes are ignored', async () => {
    const log = sendLog();
    t = await startPeer({ keepaliveMs: INTERVAL, trace: log.trace });
    const raw = await RawClient.dial(t.peer);
    // before registration nothing is sent (the timer is armed at READY)
    await sleep(500);
    expect(raw.received).toEqual([]);
    expect(log.sent).toEqual([]);
    await raw.register('ka:1.0');
    await waitFor(() => raw.messages().filter((m) => m.type === 'KEEPALIVE').length >= 3, 15_000, 'three KEEPALIVEs');
    // What the chaincode saw, in order: the handshake, then nothing but KEEPALIVEs.
    const types = raw.messages().map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(['REGISTERED', 'READY']);
    expect(new Set(types.slice(2))).toEqual(new Set(['KEEPALIVE']));
    // What the peer sent, and when: READY, then a KEEPALIVE every interval, never sooner.
    const sent = log.sent.slice(0, 5);
    expect(sent.map((m) => m.type)).toEqual(['REGISTERED', 'READY', 'KEEPALIVE', 'KEEPALIVE', 'KEEPALIVE']);
    const gaps = sent.slice(2).map((m, i) => m.at - sent[i + 1]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL - STEP_SLACK_MS);

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
});

describe('keepaliveMs: 1000 with fabric-shim 2.5.8', () => {
  // 1 s rather than 300 ms: each fabric-shim process lives one interval after READY, and the
  // relaunch check needs a quick invocation to fit in that window on a loaded machine too.
  const INTERVAL = 1000;
  const SLEEP = 20_000;

  it('fabric-shim 2.5.8 exits on KEEPALIVE: in-flight transactions fail with `chaincode stream terminated`, the next invocation relaunches', async () => {
    const log = sendLog();
    t = await startPeer({ keepaliveMs: INTERVAL, trace: log.trace, chaincodes: { cc: { kind: 'process', command: basicCommand() } } });
    // A transaction that would run for 20 s: the KEEPALIVE one interval after READY kills the process.
    const r = await evaluate(t.peer, 'cc', ['sleep', String(SLEEP)], { timeoutMs: SLEEP + 10_000 });
    const ended = performance.now();
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, STREAM_TERMINATED_CAUSE));
    // The stream got a KEEPALIVE, and the chaincode never answered the transaction: it failed
    // because the process died, long before its sleep was over (the bound is half the sleep,
    // measured from the TRANSACTION, so process start-up under load does not count).
    const first = log.sent.filter((m) => m.chaincode.startsWith('cc:'));
    expect(first.map((m) => m.type)).toContain('KEEPALIVE');
    const tx = first.find((m) => m.type === 'TRANSACTION')!;
    expect(tx).toBeDefined();
    expect(ended - tx.at).toBeLessThan(SLEEP / 2);
    expect(log.received.filter((m) => m.type === 'COMPLETED' || m.type === 'ERROR')).toEqual([]);
    await waitFor(() => t!.logged('chaincode process exited').length >= 1, 15_000, 'the process exit');
    expect(t.logged('chaincode process exited')[0]).toMatchObject({ name: 'cc', code: 1 });
    await waitFor(() => t!.output().includes('Received unknown message from the peer. Exiting.'), 15_000, 'the exit message in the chaincode output');

    // Every later invocation relaunches (each process lives one interval): quick ones succeed,
    // none hangs. Several tries, in case a loaded machine makes one miss its window.
    const results: string[] = [];
    for (let i = 0; i < 10 && !results.includes('200'); i++) {
      const q = await withTimeout(evaluate(t.peer, 'cc', ['get', 'x']), 20_000, 'invocation after the crash');
      results.push(q.status === 200 ? '200' : q.message.replace(q.txId, 'TXID'));
    }
    for (const x of results) expect(['200', executeFailed({ txId: 'TXID' }, STREAM_TERMINATED_CAUSE)]).toContain(x);
    expect(results).toContain('200');
    expect(t.logged('launching chaincode').length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
