/**
 * What a remote party can make the peer hold is bounded (docs/peer.md "Limits"): a chaincode that
 * floods requests while not reading the replies is throttled (the peer stops reading its stream) and
 * nothing is lost when it reads again, or is cut after the stall timeout; transactions in flight
 * per chaincode and per stream, and chaincode streams, are capped with errors naming the limit and
 * its option.
 */
import * as http2 from 'node:http2';

import { afterEach, describe, expect, it } from 'vitest';

import type { Message } from '../../../src/protocol/messages.js';
import { REGISTER_METHOD_PATH } from '../../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../../src/wire/index.js';
import type { PeerOptions } from '../../../src/peer/types.js';
import { RawCall } from '../../support/rawGrpc.js';
import { closePeer, executeFailed, startPeer, waitFor, type TestPeer } from './helpers.js';
import { closeRawClients, errText, RawClient } from './rawClient.js';

let t: TestPeer | undefined;
const sessions: http2.ClientHttp2Session[] = [];
afterEach(async () => {
  closeRawClients();
  for (const s of sessions.splice(0)) s.destroy();
  await closePeer(t);
  t = undefined;
});

const KiB = 1024;

/** A peer whose trace counts the messages it has read. */
async function peerWithCounter(options: PeerOptions) {
  const counts = { in: 0 };
  t = await startPeer({
    ...options,
    trace: (e) => {
      if (e.kind === 'message' && e.direction === 'in') counts.in++;
    },
  });
  return counts;
}

/** A txid this long makes each of the peer's ERROR replies about 8 KiB, as in the report. */
const longTxid = (i: number): string => `unknown-${i}-`.padEnd(8 * KiB, 'x');

/** A chaincode on raw HTTP/2: registers, then floods `n` GET_STATE for unknown transactions without reading. */
async function rawFlooder(address: string, n: number) {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => {});
  sessions.push(session);
  const stream = session.request({ ':method': 'POST', ':path': REGISTER_METHOD_PATH, 'content-type': 'application/grpc', te: 'trailers' });
  const received: Message[] = [];
  const call = new RawCall(stream, (f) => {
    const r = decodeMessage(f);
    if (r.ok) received.push(r.message);
  });
  call.write([encodeMessage({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'flood:1.0', path: '', version: '' } })]);
  call.startReading();
  await waitFor(() => received.some((m) => m.type === 'READY'), 5_000, 'READY');
  call.stopReading();
  call.write(
    (function* () {
      for (let i = 0; i < n; i++) {
        yield encodeMessage({ type: 'GET_STATE', txid: longTxid(i), channelId: 'mychannel', payload: { key: 'k', collection: '' } });
      }
    })(),
  );
  return { call, received };
}

describe('a chaincode that floods requests and does not read', () => {
  it('is throttled: the peer stops reading its stream, then answers every request once it reads', async () => {
    const highWater = 256 * KiB;
    const counts = await peerWithCounter({ flow: { sendHighWaterBytes: highWater, sendStallTimeoutMs: 0 } });
    const N = 5_000;
    const flooder = await rawFlooder(t!.peer.chaincodeAddress, N);
    // Wait until the peer has read all it will read: everything (no backpressure) or nothing more
    // for half a second (throttled).
    let last = -1;
    await waitFor(
      () => {
        const settled = counts.in === last;
        last = counts.in;
        return counts.in >= N + 1 || settled;
      },
      60_000,
      'the peer to stop reading',
      500,
    );
    // The peer read a bounded number of requests: its unsent ERRORs stay near the high-water mark
    // (plus the transport's 1 MiB write window).
    const errorSize = encodeMessage({ type: 'ERROR', txid: longTxid(0), channelId: 'mychannel', payload: Buffer.alloc(8 * KiB) }).byteLength;
    expect(counts.in).toBeLessThan((highWater + 1024 * KiB) / errorSize + 100);
    expect(flooder.call.blocked).toBe(true);
    expect(flooder.call.drained).toBe(false);

    flooder.call.startReading();
    await waitFor(() => flooder.received.length === N + 2, 30_000, `all ${N} answers`);
    const errors = flooder.received.slice(2);
    expect(errors.every((m) => m.type === 'ERROR')).toBe(true);
    expect(errors.map((m) => m.txid)).toEqual(Array.from({ length: N }, (_, i) => longTxid(i)));
    expect(errText(errors[0]!.payload)).toMatch(/no ledger context/);
  });

  it('is cut with RESOURCE_EXHAUSTED when nothing can be sent for the stall timeout', async () => {
    await peerWithCounter({ flow: { sendHighWaterBytes: 64 * KiB, sendStallTimeoutMs: 300 } });
    await rawFlooder(t!.peer.chaincodeAddress, 20_000);
    await waitFor(() => t!.logged('chaincode deregistered').length > 0, 10_000, 'the stream to be cut');
    expect(String(t!.logged('chaincode deregistered')[0]!.reason)).toMatch(
      /RESOURCE_EXHAUSTED: nothing could be sent for 300 ms \(sendStallTimeoutMs\).*stopped reading/,
    );
  });
});

describe('transactions in flight', () => {
  async function registered(options: PeerOptions): Promise<RawClient> {
    t = await startPeer(options);
    const c = await RawClient.dial(t.peer);
    await c.register('cc:1.0');
    return c;
  }

  it('per chaincode: one more is refused at once, naming the limit and its option', async () => {
    const c = await registered({ limits: { maxTransactionsPerChaincode: 2 } });
    const a = await c.begin(t!.peer, ['a'], false);
    const b = await c.begin(t!.peer, ['b'], false);
    const refused = await t!.peer.invoke({ chaincode: 'cc', args: ['c'], submit: false });
    expect(refused).toMatchObject({
      status: 500,
      message: 'too many transactions in flight for chaincode cc (limit 2, option maxTransactionsPerChaincode / --max-tx-per-chaincode)',
    });
    c.complete(a.tx);
    c.complete(b.tx);
    expect((await a.result).status).toBe(200);
    const again = await c.begin(t!.peer, ['d'], false);
    c.complete(again.tx);
    expect((await again.result).status).toBe(200);
  });

  it('per stream: one more is refused at once, naming the limit and its option', async () => {
    const c = await registered({ limits: { maxTransactionsPerStream: 1 } });
    const a = await c.begin(t!.peer, ['a'], false);
    const refused = await t!.peer.invoke({ chaincode: 'cc', args: ['b'], submit: false });
    expect(refused.message).toBe(
      'too many transactions in flight on the stream of chaincode cc:1.0 (limit 1, option maxTransactionsPerStream / --max-tx-per-stream)',
    );
    c.complete(a.tx);
    expect((await a.result).status).toBe(200);
  });

  it('refuses limits that are not positive integers', async () => {
    await expect(startPeer({ limits: { maxChaincodeStreams: 0 } })).rejects.toThrow(/limits.maxChaincodeStreams must be a positive integer/);
  });
});

describe('chaincode streams', () => {
  it('one more than the limit is closed with RESOURCE_EXHAUSTED, registered or not', async () => {
    t = await startPeer({ limits: { maxChaincodeStreams: 2 } });
    const first = await RawClient.dial(t.peer);
    await first.register('one:1.0');
    await RawClient.dial(t.peer);
    const third = await RawClient.dial(t.peer);
    third.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'three:1.0', path: '', version: '' } });
    expect(await third.waitClosed()).toMatchObject({
      kind: 'error',
      codeName: 'RESOURCE_EXHAUSTED',
      message: 'too many chaincode streams (limit 2, option maxChaincodeStreams / --max-chaincode-streams)',
    });
    expect(t.logged('chaincode stream refused')).toHaveLength(1);
    // A stream that ends makes room again.
    first.close();
    await waitFor(() => t!.peer.listChaincodes().length === 0, 5_000, 'the first stream to end');
    const fourth = await RawClient.dial(t.peer);
    await fourth.register('four:1.0');
  });
});

describe('Peer.close(graceMs)', () => {
  it('refuses new invocations, lets those in flight finish, then closes', async () => {
    t = await startPeer();
    const c = await RawClient.dial(t.peer);
    await c.register('cc:1.0');
    const running = await c.begin(t.peer, ['a'], true);
    const closed = t.peer.close(10_000);
    await expect(t.peer.invoke({ chaincode: 'cc', args: ['b'], submit: false })).rejects.toThrow('the peer is shutting down');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.closeReason).toBeUndefined(); // the stream stays up for the call in flight
    c.complete(running.tx);
    expect(await running.result).toMatchObject({ status: 200, committed: true });
    await closed;
    expect(t.logged('peer stopped')).toHaveLength(1);
    t = undefined;
  });

  it('past the grace period what still runs fails as its stream ends, and close resolves', async () => {
    t = await startPeer();
    const c = await RawClient.dial(t.peer);
    await c.register('cc:1.0');
    const running = await c.begin(t.peer, ['a'], true);
    await t.peer.close(200);
    expect(await running.result).toMatchObject({ status: 500, committed: false, message: expect.stringMatching(/chaincode stream terminated|shutting down/) });
    t = undefined;
  });
});

describe('a launched chaincode that never registers', () => {
  it('gets a hint in the log, early and at the timeout; the invocation keeps Fabric\'s text', async () => {
    t = await startPeer({
      startupTimeoutMs: 1_000,
      chaincodes: { silent: { kind: 'process', command: `${JSON.stringify(process.execPath)} -e "setTimeout(() => {}, 60000)" --` } },
    });
    const r = await t.peer.invoke({ chaincode: 'silent', args: ['f'], submit: false });
    expect(r.message).toBe(executeFailed(r, 'could not launch chaincode silent: timeout expired while starting chaincode silent for transaction'));
    const hint = /the process is running but has not registered: does it start the shim .* and does it dial the --peer.address it is given \(127\.0\.0\.1:\d+\)/;
    expect(String(t.logged('chaincode has not registered yet')[0]?.hint)).toMatch(hint);
    expect(String(t.logged('chaincode launch failed')[0]?.hint)).toMatch(hint);
  });
});
