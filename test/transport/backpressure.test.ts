/**
 * Backpressure on every stream end (frameStream.ts, docs/decisions/0006-stream-backpressure.md):
 * a remote side that sends and does not read makes the stream stop reading once its unsent output
 * passes the high-water mark (HTTP/2 flow control then holds the sender back), and read again when
 * the output drains — nothing lost, order kept; output that grows without input is cut at the hard
 * cap, and a stream whose output stalls while reading is stopped is closed after the stall timeout.
 *
 * The misbehaving remote side is raw `node:http2` (it must be able to stop reading), the end under
 * test is ours: the server end (what the peer runs) and both client ends (what a chaincode runs).
 */
import * as http2 from 'node:http2';

import { afterEach, describe, expect, it } from 'vitest';

import { dialChaincodeSupport, listenChaincodeSupport, REGISTER_METHOD_PATH, Status } from '../../src/transport/index.js';
import { CLOSE_LINGER_MS } from '../../src/transport/frameStream.js';
import type { FlowLimits, FrameStream } from '../../src/transport/index.js';
import { RawCall } from '../support/rawGrpc.js';
import { eventually, expectError, Resources, sleep } from './helpers.js';

const res = new Resources();
afterEach(() => res.closeAll());

const KiB = 1024;
const REPLY = 8 * KiB; // about what the peer answers an unknown transaction's request with
const FLOW: FlowLimits = { sendHighWaterBytes: 256 * KiB, sendMaxQueuedBytes: 4096 * KiB, sendStallTimeoutMs: 0 };

/** A message whose first two bytes number it. */
function numbered(i: number, size: number): Buffer {
  const b = Buffer.alloc(size, 0x61);
  b.writeUInt16BE(i % 65536, 0);
  return b;
}

/** Our server end; each frame it receives is answered with one REPLY-byte frame carrying its number. */
async function echoServer(flow: FlowLimits, onStream?: (s: FrameStream) => void) {
  const streams: FrameStream[] = [];
  const received = { count: 0, maxUnsent: 0 };
  const listener = res.listener(
    await listenChaincodeSupport({ host: '127.0.0.1', port: 0, ...flow }, (stream) => {
      streams.push(stream);
      if (onStream) return onStream(stream);
      stream.onFrame((f) => {
        received.count++;
        stream.send(numbered(Buffer.from(f).readUInt16BE(0), REPLY), 'reply');
        received.maxUnsent = Math.max(received.maxUnsent, stream.unsentBytes);
      });
    }),
  );
  return { listener, streams, received };
}

/** A raw HTTP/2 client on Register that writes `n` numbered messages and reads only when told to. */
function rawClient(port: number, n: number) {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  res.cleanups.push(() => void session.destroy());
  const stream = session.request({ ':method': 'POST', ':path': REGISTER_METHOD_PATH, 'content-type': 'application/grpc', te: 'trailers' });
  const replies: number[] = [];
  const call = new RawCall(stream, (f) => replies.push(f.readUInt16BE(0)));
  call.write(Array.from({ length: n }, (_, i) => numbered(i, 64)));
  return { call, replies };
}

describe('server end (the peer): a client that floods and does not read', () => {
  it('stops reading past the high-water mark, holds the sender back, then serves everything in order', async () => {
    const { listener, streams, received } = await echoServer(FLOW);
    const N = 5_000;
    const client = rawClient(listener.port, N);
    await eventually(() => streams[0]?.readingPaused === true, 10_000, 'the server to stop reading');
    const readAtPause = received.count;
    await sleep(300);
    // Throttled: the server reads (almost) nothing more, the client's writes are held back, and the
    // server's unsent output stays within the high-water mark plus the one reply that crossed it.
    expect(received.count - readAtPause).toBeLessThanOrEqual(1);
    expect(received.count).toBeLessThan(N / 2);
    expect(client.call.blocked).toBe(true);
    expect(received.maxUnsent).toBeLessThanOrEqual(FLOW.sendHighWaterBytes! + REPLY);
    expect(streams[0]!.isClosed).toBe(false);

    client.call.startReading();
    await eventually(() => client.replies.length === N, 20_000, `all ${N} replies`);
    expect(client.replies).toEqual(Array.from({ length: N }, (_, i) => i % 65536));
    expect(received.count).toBe(N);
    expect(received.maxUnsent).toBeLessThanOrEqual(FLOW.sendHighWaterBytes! + REPLY);
    await eventually(() => streams[0]!.unsentBytes === 0 && !streams[0]!.readingPaused, 5_000, 'the output to drain');
  });

  it('a stream that stopped reading and sends nothing for the stall timeout is closed with RESOURCE_EXHAUSTED', async () => {
    const { listener, streams } = await echoServer({ ...FLOW, sendStallTimeoutMs: 300 });
    rawClient(listener.port, 5_000);
    await eventually(() => streams[0]?.readingPaused === true, 10_000, 'the server to stop reading');
    const reason = await streams[0]!.closed;
    expectError(reason, Status.RESOURCE_EXHAUSTED, /nothing could be sent for 300 ms \(sendStallTimeoutMs\).*stopped reading/);
  });

  it('output that grows without input is cut at the hard cap with RESOURCE_EXHAUSTED', async () => {
    let refusedAt = -1;
    const { listener, streams } = await echoServer({ sendHighWaterBytes: 256 * KiB, sendMaxQueuedBytes: 1024 * KiB }, (stream) => {
      for (let i = 0; i < 100; i++) {
        if (!stream.send(Buffer.alloc(64 * KiB), 'reply')) {
          refusedAt = i;
          break;
        }
        expect(stream.unsentBytes).toBeLessThanOrEqual(1024 * KiB + 64 * KiB);
      }
    });
    const client = rawClient(listener.port, 0);
    await eventually(() => streams.length === 1, 5_000, 'the stream');
    expect(refusedAt).toBeGreaterThan(0);
    expect(refusedAt).toBeLessThan(100);
    expectError(streams[0]!.closeReason, Status.RESOURCE_EXHAUSTED, /more than sendMaxQueuedBytes \(1048576\).*does not read/);
    // The client never reads, so it never takes the status queued behind the frames: after the
    // linger the call is reset, and what it held goes with it.
    await eventually(() => client.call.stream.closed, CLOSE_LINGER_MS + 5_000, 'the call to be reset');
    expect(client.call.stream.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
  }, 20_000);

  it('refuses flow limits that make no sense', async () => {
    await expect(listenChaincodeSupport({ host: '127.0.0.1', port: 0, sendHighWaterBytes: 0 }, () => {})).rejects.toThrow(/sendHighWaterBytes/);
    await expect(
      listenChaincodeSupport({ host: '127.0.0.1', port: 0, sendHighWaterBytes: 2048, sendMaxQueuedBytes: 1024 }, () => {}),
    ).rejects.toThrow(/must not be below sendHighWaterBytes/);
  });
});

/** A raw HTTP/2 "peer" that floods the first call with `n` numbered messages and reads only when told to. */
async function rawFloodingPeer(n: number) {
  const server = http2.createServer();
  server.on('error', () => {});
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => sessions.add(s));
  const requests: number[] = [];
  let call: RawCall | undefined;
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
    call = new RawCall(stream, (f) => requests.push(f.readUInt16BE(0)));
    call.write(Array.from({ length: n }, (_, i) => numbered(i, 64)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  res.cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, requests, call: () => call! };
}

describe.each(['http2', 'grpc-js'] as const)('client end (the chaincode, %s client): a peer that floods and does not read', (client) => {
  it('stops reading past the high-water mark, then answers everything in order', async () => {
    const N = 5_000;
    const peer = await rawFloodingPeer(N);
    const stream = res.stream(await dialChaincodeSupport({ address: `127.0.0.1:${peer.port}`, client, ...FLOW }));
    let received = 0;
    let maxUnsent = 0;
    stream.onFrame((f) => {
      received++;
      stream.send(numbered(Buffer.from(f).readUInt16BE(0), REPLY), 'reply');
      maxUnsent = Math.max(maxUnsent, stream.unsentBytes);
    });
    await eventually(() => stream.readingPaused, 10_000, 'the client to stop reading');
    await sleep(300);
    expect(received).toBeLessThan(N / 2);
    expect(peer.call().blocked).toBe(true);
    expect(maxUnsent).toBeLessThanOrEqual(FLOW.sendHighWaterBytes! + REPLY);

    peer.call().startReading();
    await eventually(() => peer.requests.length === N, 20_000, `all ${N} answers`);
    expect(peer.requests).toEqual(Array.from({ length: N }, (_, i) => i % 65536));
    expect(received).toBe(N);
    expect(maxUnsent).toBeLessThanOrEqual(FLOW.sendHighWaterBytes! + REPLY);
    expect(stream.isClosed).toBe(false);
  });
});
