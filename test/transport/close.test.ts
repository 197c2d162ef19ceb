/**
 * End-of-stream semantics: server close with/without reason, client cancel, half-close (EOF),
 * oversize frames in both directions, remote process death, listener shutdown, dial failure,
 * backpressure queueing, listener exceptions; exactly one close notification everywhere.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import {
  Client,
  credentials as grpcCredentials,
  Metadata,
  status as GrpcStatus,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CHAINCODE_SUPPORT_SERVICE_NAME,
  decodeHealthCheckResponse,
  dialChaincodeServer,
  dialChaincodeSupport,
  encodeHealthCheckRequest,
  listenChaincodeServer,
  listenChaincodeSupport,
  REGISTER_METHOD_PATH,
  ServingStatus,
  Status,
  TransportDialError,
} from '../../src/transport/index.js';
import type { CloseReason, FrameStream, OnStream } from '../../src/transport/index.js';
import { eventually, expectError, freePort, Recorder, Resources, sleep, withTimeout } from './helpers.js';

const res = new Resources();
afterEach(() => res.closeAll());

/** Accepts streams, records them with a Recorder, optionally runs `setup` on each. */
async function recordingListener(
  opts: { maxReceiveMessageLength?: number; maxSendMessageLength?: number } = {},
  setup?: (stream: FrameStream) => void,
  listen = listenChaincodeSupport,
) {
  const accepted: Recorder[] = [];
  const onStream: OnStream = (stream) => {
    accepted.push(new Recorder(stream));
    setup?.(stream);
  };
  const listener = res.listener(await listen({ host: '127.0.0.1', port: 0, ...opts }, onStream));
  return { listener, accepted };
}

const echo = (s: FrameStream) => s.onFrame((f) => s.send(f, 'reply'));

describe('server-side close', () => {
  it('close(reason) ends the call with a non-OK status carrying the reason, after queued frames', async () => {
    const { listener, accepted } = await recordingListener({}, (s) => {
      s.onFrame((f) => {
        if (f.toString() === 'bye') {
          for (let i = 0; i < 10; i++) s.send(Buffer.from(`last-${i}`));
          s.close('error handling message, ending stream');
        }
      });
    });
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('bye'));
    const reason = await rec.waitClose();
    expectError(reason, Status.UNKNOWN);
    expect(reason.message).toContain('error handling message, ending stream');
    expect(rec.texts()).toEqual(Array.from({ length: 10 }, (_, i) => `last-${i}`));
    await eventually(() => accepted[0]?.closes.length === 1);
    expect(accepted[0]?.closes).toEqual([{ kind: 'local', reason: 'error handling message, ending stream' }]);
    expect(client.send(Buffer.from('late'))).toBe(false);
    await sleep(30);
    expect(rec.closes.length).toBe(1);
    expect(accepted[0]?.closes.length).toBe(1);
  });

  it('frames queued under backpressure are flushed before the closing status', async () => {
    const n = 100;
    const { listener, accepted } = await recordingListener({}, (s) => {
      s.onFrame(() => {
        for (let i = 0; i < n; i++) s.send(Buffer.alloc(32 * 1024, i));
        expect(s.queuedFrames).toBeGreaterThan(0);
        s.close('done sending');
      });
    });
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('go'));
    const reason = await rec.waitClose();
    expectError(reason, Status.UNKNOWN);
    expect(reason.message).toBe('done sending');
    expect(rec.frames.length).toBe(n);
    rec.frames.forEach((f, i) => expect(f[0]).toBe(i));
    expect(accepted[0]!.stream.queuedFrames).toBe(0);
  });

  it('frames queued under backpressure at the client half-close still go out before OK', async () => {
    const n = 100;
    const { listener, accepted } = await recordingListener({}, (s) => {
      s.onFrame(() => {
        for (let i = 0; i < n; i++) s.send(Buffer.alloc(32 * 1024, i));
      });
    });
    const client = new Client(listener.address, grpcCredentials.createInsecure());
    res.cleanups.push(() => client.close());
    const call = client.makeBidiStreamRequest(REGISTER_METHOD_PATH, (b: Buffer) => b, (b: Buffer) => b);
    const got: Buffer[] = [];
    call.on('data', (b: Buffer) => got.push(b));
    call.on('error', () => {});
    const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
    call.write(Buffer.from('go'));
    call.end();
    const s = await withTimeout(status, 5_000, 'status');
    expect(s.code).toBe(GrpcStatus.OK);
    expect(got.length).toBe(n);
    got.forEach((f, i) => expect(f[0]).toBe(i));
    expect(accepted[0]!.closes).toEqual([{ kind: 'eof' }]);
  });

  it('close(reason, code) uses the given status code', async () => {
    const { listener } = await recordingListener({}, (s) => s.close('go away', Status.PERMISSION_DENIED));
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    const reason = await rec.waitClose();
    expectError(reason, Status.PERMISSION_DENIED);
    expect(reason.message).toBe('go away');
  });

  it('close() without reason ends with OK: the client sees a clean EOF', async () => {
    const { listener } = await recordingListener(
      {},
      (s) => {
        s.send(Buffer.from('only'));
        s.close();
      },
      listenChaincodeServer,
    );
    const client = res.stream(await dialChaincodeServer({ address: listener.address }));
    const rec = new Recorder(client);
    expect(await rec.waitClose()).toEqual({ kind: 'eof' });
    expect(rec.texts()).toEqual(['only']);
  });

  it('close is idempotent and late onClose listeners get the same single reason', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    client.send(Buffer.from('x'));
    await eventually(() => accepted.length === 1);
    const server = accepted[0]!.stream;
    server.close('first');
    server.close('second');
    const late: CloseReason[] = [];
    server.onClose((r) => late.push(r));
    const unsubscribed: CloseReason[] = [];
    server.onClose((r) => unsubscribed.push(r))();
    await sleep(10);
    expect(late).toEqual([{ kind: 'local', reason: 'first' }]);
    expect(unsubscribed).toEqual([]);
    expect(accepted[0]!.closes).toEqual([{ kind: 'local', reason: 'first' }]);
    expect(server.closeReason).toEqual({ kind: 'local', reason: 'first' });
    expect(server.isClosed).toBe(true);
  });
});

describe('client-side close and remote end', () => {
  it('client close() cancels: the server sees exactly one CANCELLED close', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('ping'));
    await rec.waitFrames(1);
    client.close('shutting down');
    client.close('again');
    expect(client.closeReason).toEqual({ kind: 'local', reason: 'shutting down' });
    const serverReason = await accepted[0]!.waitClose();
    expectError(serverReason, Status.CANCELLED);
    await sleep(50);
    expect(accepted[0]!.closes.length).toBe(1);
    expect(rec.closes).toEqual([{ kind: 'local', reason: 'shutting down' }]);
    expect(listener.activeStreams).toBe(0);
  });

  it('a client half-close is a clean EOF on the server, which then ends the call with OK', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const client = new Client(listener.address, grpcCredentials.createInsecure());
    res.cleanups.push(() => client.close());
    const call = client.makeBidiStreamRequest(REGISTER_METHOD_PATH, (b: Buffer) => b, (b: Buffer) => b);
    const got: string[] = [];
    call.on('data', (b: Buffer) => got.push(b.toString()));
    call.on('error', () => {});
    const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
    call.write(Buffer.from('a'));
    call.write(Buffer.from('b'));
    call.end();
    const s = await withTimeout(status, 5_000, 'status');
    expect(s.code).toBe(GrpcStatus.OK);
    expect(got).toEqual(['a', 'b']);
    expect(accepted[0]!.closes).toEqual([{ kind: 'eof' }]);
  });

  it('on EOF a close listener may still choose the final status', async () => {
    const { listener } = await recordingListener({}, (s) => {
      s.onClose((r) => {
        if (r.kind === 'eof') s.close('received EOF, ending chaincode stream');
      });
    });
    const client = new Client(listener.address, grpcCredentials.createInsecure());
    res.cleanups.push(() => client.close());
    const call = client.makeBidiStreamRequest(REGISTER_METHOD_PATH, (b: Buffer) => b, (b: Buffer) => b);
    call.on('data', () => {});
    call.on('error', () => {});
    const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
    call.end();
    const s = await withTimeout(status, 5_000, 'status');
    expect(s.code).toBe(GrpcStatus.UNKNOWN);
    expect(s.details).toBe('received EOF, ending chaincode stream');
  });

  it('remote process death closes the server stream exactly once', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const childPath = fileURLToPath(new URL('./fixtures/childDialer.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', childPath, listener.address], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    res.cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await eventually(() => out.includes('READY'), 15_000, `child READY (stderr: ${err})`);
    expect(accepted.length).toBe(1);
    expect(accepted[0]!.closes).toEqual([]);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await withTimeout(exited, 5_000, 'child exit');
    const reason = await accepted[0]!.waitClose(5_000);
    expectError(reason, Status.CANCELLED);
    await sleep(50);
    expect(accepted[0]!.closes.length).toBe(1);
    expect(listener.activeStreams).toBe(0);
  });

  it('listener close() ends open streams: one local close on the server, an error close on the client', async () => {
    const { listener, accepted } = await recordingListener({}, echo, listenChaincodeServer);
    const client = res.stream(await dialChaincodeServer({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('x'));
    await rec.waitFrames(1);
    await listener.close();
    await listener.close();
    expect(accepted[0]!.closes).toEqual([{ kind: 'local', reason: 'listener closed' }]);
    const reason = await rec.waitClose();
    expect(reason.kind).toBe('error');
    await sleep(20);
    expect(rec.closes.length).toBe(1);
    expect(accepted[0]!.closes.length).toBe(1);
  });
});

describe('message size limits', () => {
  it('a frame above the server max receive length: RESOURCE_EXHAUSTED to the sender, server unharmed', async () => {
    const { listener, accepted } = await recordingListener({ maxReceiveMessageLength: 1024 }, echo);
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.alloc(1024, 1)); // exactly the limit: fine
    await rec.waitFrames(1);
    client.send(Buffer.alloc(2048, 2));
    const reason = await rec.waitClose();
    expectError(reason, Status.RESOURCE_EXHAUSTED);
    expect(reason.message).toMatch(/larger than max \(2048 vs\.? 1024\)/);
    const serverReason = await accepted[0]!.waitClose();
    expect(serverReason.kind).toBe('error');
    // The listener still serves new streams.
    const again = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec2 = new Recorder(again);
    again.send(Buffer.from('still alive'));
    await rec2.waitFrames(1);
    expect(rec2.texts()).toEqual(['still alive']);
    await sleep(20);
    expect(rec.closes.length).toBe(1);
    expect(accepted[0]!.closes.length).toBe(1);
  });

  it('a frame above the client max receive length closes the client with RESOURCE_EXHAUSTED', async () => {
    const { listener, accepted } = await recordingListener(
      {},
      (s) => s.onFrame(() => s.send(Buffer.alloc(4096, 7))),
      listenChaincodeServer,
    );
    const client = res.stream(await dialChaincodeServer({ address: listener.address, limits: { maxReceiveMessageLength: 1000 } }));
    const rec = new Recorder(client);
    client.send(Buffer.from('give me something big'));
    const reason = await rec.waitClose();
    expectError(reason, Status.RESOURCE_EXHAUSTED);
    expect(reason.message).toMatch(/4096/);
    const serverReason = await accepted[0]!.waitClose();
    expectError(serverReason, Status.CANCELLED);
  });

  it('sending above the own max send length fails locally with RESOURCE_EXHAUSTED (server side)', async () => {
    const { listener, accepted } = await recordingListener({ maxSendMessageLength: 100 }, (s) =>
      s.onFrame(() => {
        expect(s.send(Buffer.alloc(101))).toBe(false);
      }),
    );
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('x'));
    const reason = await rec.waitClose();
    expectError(reason, Status.RESOURCE_EXHAUSTED);
    expect(reason.message).toContain('exceeds the max send message length 100');
    const serverReason = await accepted[0]!.waitClose();
    expectError(serverReason, Status.RESOURCE_EXHAUSTED);
  });

  it('sending above the own max send length fails locally (client side)', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const client = res.stream(await dialChaincodeSupport({ address: listener.address, maxSendMessageLength: 10 }));
    const rec = new Recorder(client);
    expect(client.send(Buffer.alloc(10))).toBe(true);
    await rec.waitFrames(1);
    expect(client.send(Buffer.alloc(11))).toBe(false);
    expectError(client.closeReason, Status.RESOURCE_EXHAUSTED);
    expectError(await accepted[0]!.waitClose(), Status.CANCELLED);
  });
});

describe('flow control and robustness', () => {
  it('queues frames under backpressure and delivers all of them in order', async () => {
    const { listener, accepted } = await recordingListener({}, echo);
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    const n = 400;
    const size = 64 * 1024;
    let maxQueued = 0;
    for (let i = 0; i < n; i++) {
      const f = Buffer.alloc(size, i % 256);
      f.writeUInt32BE(i, 0);
      client.send(f);
      maxQueued = Math.max(maxQueued, client.queuedFrames);
    }
    expect(maxQueued).toBeGreaterThan(0);
    await rec.waitFrames(n, 20_000);
    expect(rec.frames.length).toBe(n);
    rec.frames.forEach((f, i) => expect(f.readUInt32BE(0)).toBe(i));
    expect(client.queuedFrames).toBe(0);
    expect(accepted[0]!.stream.queuedFrames).toBe(0);
  });

  it('frames received before the first onFrame subscription are buffered', async () => {
    let serverStream: FrameStream | undefined;
    const listener = res.listener(
      await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (s) => {
        serverStream = s;
      }),
    );
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    client.send(Buffer.from('1'));
    client.send(Buffer.from('2'));
    await eventually(() => serverStream !== undefined);
    await sleep(50);
    const got: string[] = [];
    serverStream!.onFrame((f) => got.push(Buffer.from(f).toString()));
    expect(got).toEqual(['1', '2']);
  });

  it('a throwing frame listener closes the stream with INTERNAL; a throwing onStream too', async () => {
    const { listener } = await recordingListener({}, (s) =>
      s.onFrame(() => {
        throw new Error('boom');
      }),
    );
    const client = res.stream(await dialChaincodeSupport({ address: listener.address }));
    const rec = new Recorder(client);
    client.send(Buffer.from('x'));
    const reason = await rec.waitClose();
    expectError(reason, Status.INTERNAL);
    expect(reason.message).toContain('boom');

    const l2 = res.listener(
      await listenChaincodeServer({ host: '127.0.0.1', port: 0 }, () => {
        throw new Error('handler exploded');
      }),
    );
    const c2 = res.stream(await dialChaincodeServer({ address: l2.address }));
    const rec2 = new Recorder(c2);
    const reason2 = await rec2.waitClose();
    expectError(reason2, Status.INTERNAL);
    expect(reason2.message).toContain('handler exploded');
  });

  it('fails clearly when the address is unreachable within the dial timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await dialChaincodeServer({ address: `127.0.0.1:${port}`, dialTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportDialError);
    expect((err as TransportDialError).code).toBe(Status.UNAVAILABLE);
    expect((err as Error).message).toContain(`could not connect to 127.0.0.1:${port}`);
    expect((err as Error).message).toContain('within 300 ms');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('serves the standard health service like the Fabric peer', async () => {
    const listener = res.listener(await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, () => {}));
    const client = new Client(listener.address, grpcCredentials.createInsecure());
    res.cleanups.push(() => client.close());
    const check = (service: string) =>
      new Promise<{ err: ServiceError | null; status?: number }>((resolve) => {
        client.makeUnaryRequest(
          '/grpc.health.v1.Health/Check',
          (b: Buffer) => b,
          (b: Buffer) => b,
          encodeHealthCheckRequest(service),
          new Metadata(),
          (err, value) => resolve(err ? { err } : { err: null, status: decodeHealthCheckResponse(value!) }),
        );
      });
    expect(await check('')).toEqual({ err: null, status: ServingStatus.SERVING });
    expect(await check(CHAINCODE_SUPPORT_SERVICE_NAME)).toEqual({ err: null, status: ServingStatus.SERVING });
    const unknown = await check('nope');
    expect(unknown.err?.code).toBe(GrpcStatus.NOT_FOUND);
  });
});
