/**
 * Our gRPC client over node:http2 (http2Dial.ts) against scripted HTTP/2 servers, for what a
 * well-behaved grpc-js server never does: split messages, trailers-only and HTTP errors, a wrong
 * content-type, compressed messages, a server that stops answering PINGs, a server that starts late.
 * And the point of both write paths: the frames of one event-loop turn share DATA frames (client
 * side: http2Dial.ts; server side: the write-window interceptor, writeWindow.ts).
 */
import * as http2 from 'node:http2';
import { createServer as createTcpServer, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { dialChaincodeSupport, listenChaincodeSupport, Status } from '../../src/transport/index.js';
import type { FrameStream } from '../../src/transport/index.js';
import { expectError, freePort, Recorder, Resources, sleep } from './helpers.js';

const res = new Resources();
afterEach(() => res.closeAll());

type Script = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

/** A plaintext HTTP/2 server on 127.0.0.1 that runs `script` for each request. */
async function scriptedServer(script: Script, port = 0): Promise<{ address: string; dataEvents: () => number }> {
  const server = http2.createServer();
  let dataEvents = 0;
  server.on('stream', (stream, headers) => {
    stream.on('data', () => dataEvents++);
    stream.on('error', () => {});
    script(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  res.cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  res.cleanups.push(() => {
    for (const s of sessions) s.destroy();
  });
  const addr = server.address();
  return { address: `127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`, dataEvents: () => dataEvents };
}

/** One gRPC message: flag byte, 4-byte big-endian length, payload. */
function grpcMessage(payload: Buffer, compressed = false): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
}

const grpcHeaders = { ':status': 200, 'content-type': 'application/grpc' };

async function dial(address: string, extra: Partial<Parameters<typeof dialChaincodeSupport>[0]> = {}): Promise<Recorder> {
  const stream = res.stream(await dialChaincodeSupport({ address, dialTimeoutMs: 2_000, client: 'http2', ...extra }));
  return new Recorder(stream);
}

function expectOneErrorClose(rec: Recorder, code: Status, message: RegExp): void {
  expect(rec.closes.length).toBe(1);
  expectError(rec.closes[0], code, message);
}

describe('gRPC client over node:http2', () => {
  it('sends the gRPC request headers and reassembles messages split across DATA frames', async () => {
    let seen: http2.IncomingHttpHeaders | undefined;
    const srv = await scriptedServer((stream, headers) => {
      seen = headers;
      stream.respond(grpcHeaders, { waitForTrailers: true });
      const bytes = Buffer.concat([grpcMessage(Buffer.from('first')), grpcMessage(Buffer.alloc(0)), grpcMessage(Buffer.alloc(70_000, 7))]);
      // Odd-sized pieces, one per turn: message boundaries fall anywhere.
      let offset = 0;
      const next = (): void => {
        if (offset >= bytes.length) {
          stream.end();
          return;
        }
        stream.write(bytes.subarray(offset, offset + 997));
        offset += 997;
        setImmediate(next);
      };
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      next();
    });
    const rec = await dial(srv.address);
    const reason = await rec.waitClose();
    expect(seen?.[':method']).toBe('POST');
    expect(seen?.[':path']).toBe('/protos.ChaincodeSupport/Register');
    expect(seen?.['content-type']).toBe('application/grpc');
    expect(seen?.te).toBe('trailers');
    expect(rec.frames.map((f) => f.length)).toEqual([5, 0, 70_000]);
    expect(rec.frames[0]?.toString()).toBe('first');
    expect(rec.frames[2]?.every((b) => b === 7)).toBe(true);
    expect(reason).toEqual({ kind: 'eof' });
  });

  it('reads the status of a trailers-only response, percent-decoding grpc-message', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond({ ...grpcHeaders, 'grpc-status': String(Status.UNIMPLEMENTED), 'grpc-message': 'no%20such%20method%3A%20%C3%A9' }, { endStream: true });
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expectOneErrorClose(rec, Status.UNIMPLEMENTED, /^no such method: é$/);
  });

  it('maps an HTTP error status as the gRPC spec does', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond({ ':status': 503 }, { endStream: true });
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expectOneErrorClose(rec, Status.UNAVAILABLE, /HTTP status 503/);
  });

  it('refuses a response that is not application/grpc', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.write('<html>');
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expectOneErrorClose(rec, Status.UNKNOWN, /content-type "text\/html"/);
    expect(rec.frames).toEqual([]);
  });

  it('refuses a compressed message (no compression was negotiated)', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders);
      stream.write(grpcMessage(Buffer.from('zipped?'), true));
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expectOneErrorClose(rec, Status.INTERNAL, /compressed/);
    expect(rec.frames).toEqual([]);
  });

  it('a stream reset without a status is an error close', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders);
      stream.write(grpcMessage(Buffer.from('one')));
      setTimeout(() => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM), 20);
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expect(rec.texts()).toEqual(['one']);
    expectOneErrorClose(rec, Status.UNAVAILABLE, /RST_STREAM with code 7/);
  });

  it('a response that ends without trailers is an error close, not a hang', async () => {
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders);
      stream.end(grpcMessage(Buffer.from('last')));
    });
    const rec = await dial(srv.address);
    await rec.waitClose();
    expect(rec.texts()).toEqual(['last']);
    expectOneErrorClose(rec, Status.INTERNAL, /without a gRPC status/);
  });

  it('drops the connection when keepalive PINGs go unanswered', async () => {
    // A TCP server that sends its (empty) SETTINGS frame and then says nothing: no PING ACK.
    const sockets: Socket[] = [];
    const silent = createTcpServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.write(Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0]));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    res.cleanups.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const addr = silent.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    const rec = await dial(`127.0.0.1:${port}`, { keepalive: { pingIntervalMs: 50, pingTimeoutMs: 100 } });
    await rec.waitClose(3_000);
    expectOneErrorClose(rec, Status.UNAVAILABLE, /keepalive ping not acknowledged within 100 ms/);
  });

  it('hands over at most framesPerTurn messages per turn, the rest in order in later turns, then the close', async () => {
    const burst = Buffer.concat(Array.from({ length: 10 }, (_, i) => grpcMessage(Buffer.from(`m${i}`))));
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(burst); // one DATA frame, END_STREAM right behind it
    });
    for (const [framesPerTurn, firstTurn] of [[2, 2], [Infinity, 10]] as const) {
      const stream = res.stream(await dialChaincodeSupport({ address: srv.address, client: 'http2', framesPerTurn }));
      const got: string[] = [];
      let inFirstTurn = -1;
      stream.onFrame((f) => {
        got.push(Buffer.from(f).toString());
        if (got.length === 1) setImmediate(() => (inFirstTurn = got.length));
      });
      const closes: string[] = [];
      stream.onClose((r) => closes.push(`${r.kind} after ${got.length}`));
      await stream.closed;
      expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      expect(inFirstTurn).toBe(firstTurn);
      expect(closes).toEqual(['eof after 10']);
    }
  });

  it('frames already received are delivered before the close even when the stream is reset', async () => {
    const burst = Buffer.concat(Array.from({ length: 10 }, (_, i) => grpcMessage(Buffer.from(`m${i}`))));
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders);
      stream.write(burst, () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    });
    const rec = await dial(srv.address, { framesPerTurn: 2 });
    await rec.waitClose();
    expect(rec.texts()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expectOneErrorClose(rec, Status.INTERNAL, /RST_STREAM with code 2/);
  });

  it('keeps trying to connect until the dial deadline (a peer that starts late)', async () => {
    const port = await freePort();
    const dialling = dialChaincodeSupport({ address: `127.0.0.1:${port}`, dialTimeoutMs: 5_000, client: 'http2' });
    await sleep(200);
    const listener = res.listener(await listenChaincodeSupport({ host: '127.0.0.1', port }, (s) => s.onFrame((f) => s.send(f))));
    const rec = new Recorder(res.stream(await dialling));
    rec.stream.send(Buffer.from('late'));
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['late']);
    expect(listener.activeStreams).toBe(1);
  });
});

describe('frames sent in one turn share DATA frames', () => {
  const N = 50;

  it('client side: our client queues them on the stream together', async () => {
    let received = 0;
    const srv = await scriptedServer((stream) => {
      stream.respond(grpcHeaders);
      stream.on('data', (chunk: Buffer) => (received += chunk.length));
    });
    const rec = await dial(srv.address);
    for (let i = 0; i < N; i++) rec.stream.send(Buffer.from(`frame ${i}`));
    const bytes = Array.from({ length: N }, (_, i) => 5 + `frame ${i}`.length).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 100 && received < bytes; i++) await sleep(10);
    expect(received).toBe(bytes);
    // grpc-js' client needs one DATA frame (and one socket write) per message here: N.
    expect(srv.dataEvents()).toBeLessThanOrEqual(3);
  });

  /** Our grpc-js listener, called by a bare node:http2 client; resolves once the server stream is there. */
  async function bareCallToListener(paused: boolean): Promise<{ call: http2.ClientHttp2Stream; serverStream: FrameStream }> {
    let serverStream: FrameStream | undefined;
    const listener = res.listener(await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (s) => (serverStream = s)));
    const session = http2.connect(`http://${listener.address}`);
    res.cleanups.push(() => void session.destroy());
    const call = session.request({ ':method': 'POST', ':path': '/protos.ChaincodeSupport/Register', 'content-type': 'application/grpc', te: 'trailers' });
    call.on('error', () => {});
    if (paused) call.pause(); // never reads: HTTP/2 flow control stops the server after 64 KiB
    call.write(grpcMessage(Buffer.from('hello')));
    for (let i = 0; i < 100 && serverStream === undefined; i++) await sleep(10);
    return { call, serverStream: serverStream! };
  }

  it('server side: the write window lets grpc-js queue them together', async () => {
    const { call, serverStream } = await bareCallToListener(false);
    let dataEvents = 0;
    let received = 0;
    call.on('data', (chunk: Buffer) => {
      dataEvents++;
      received += chunk.length;
    });
    for (let i = 0; i < N; i++) serverStream.send(Buffer.from(`frame ${i}`));
    const bytes = Array.from({ length: N }, (_, i) => 5 + `frame ${i}`.length).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 100 && received < bytes; i++) await sleep(10);
    expect(received).toBe(bytes);
    // Without the interceptor grpc-js writes one message per socket write: N DATA frames.
    expect(dataEvents).toBeLessThanOrEqual(3);
  });

  it('server side: the window is bounded, so a reader that stalls pushes back on send()', async () => {
    const { serverStream } = await bareCallToListener(true);
    const frame = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 40; i++) serverStream.send(frame); // 2.5 MiB, above the 1 MiB window
    await sleep(50);
    // The window filled, grpc-js' stream buffer filled, and the rest waits in the FrameStream's FIFO.
    expect(serverStream.queuedFrames).toBeGreaterThan(0);
  });
});
