/**
 * Frames echo in order both ways over both services, without TLS, with TLS and with mutual TLS;
 * TLS refusal cases; address forms.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  dialChaincodeServer,
  dialChaincodeSupport,
  listenChaincodeServer,
  listenChaincodeSupport,
  TransportDialError,
} from '../../src/transport/index.js';
import type {
  ClientTlsOptions,
  DialOptions,
  FrameStream,
  ListenOptions,
  OnStream,
  ServerTlsOptions,
  StreamInfo,
} from '../../src/transport/index.js';
import { certs, pemToDer, Recorder, Resources, sleep } from './helpers.js';

const res = new Resources();
afterEach(() => res.closeAll());

type Security = 'plaintext' | 'tls' | 'mtls';

const services = [
  { name: 'ChaincodeSupport.Register', listen: listenChaincodeSupport, dial: dialChaincodeSupport },
  { name: 'Chaincode.Connect', listen: listenChaincodeServer, dial: dialChaincodeServer },
] as const;

function serverTls(sec: Security): ServerTlsOptions | undefined {
  if (sec === 'plaintext') return undefined;
  const base = { keyPem: certs.serverKeyPem, certPem: certs.serverCertPem };
  return sec === 'mtls' ? { ...base, clientCaPem: certs.caPem, requireClientCert: true } : base;
}

function clientTls(sec: Security): ClientTlsOptions | undefined {
  if (sec === 'plaintext') return undefined;
  return sec === 'mtls'
    ? { rootCaPem: certs.caPem, clientKeyPem: certs.clientKeyPem, clientCertPem: certs.clientCertPem }
    : { rootCaPem: certs.caPem };
}

/** Server behaviour: send `greetings` frames first, then echo everything. */
function echoWithGreeting(greetings: number, accepted: { stream: FrameStream; info: StreamInfo }[]): OnStream {
  return (stream, info) => {
    accepted.push({ stream, info });
    for (let i = 0; i < greetings; i++) stream.send(Buffer.from(`s-${i}`));
    stream.onFrame((f) => stream.send(f));
  };
}

function frameOf(i: number): Buffer {
  // Sizes vary from 0 bytes to ~70 KiB so that frames span several HTTP/2 DATA frames.
  if (i === 0) return Buffer.alloc(0);
  const size = (i * 7919) % 70_000;
  const b = Buffer.alloc(Math.max(size, 8), i % 251);
  b.writeUInt32BE(i, 0);
  return b;
}

describe.each(services)('$name', (svc) => {
  describe.each(['plaintext', 'tls', 'mtls'] as const)('%s', (sec) => {
    it('echoes frames in order both ways and reports one close per side', async () => {
      const accepted: { stream: FrameStream; info: StreamInfo }[] = [];
      const listener = res.listener(
        await svc.listen({ host: '127.0.0.1', port: 0, tls: serverTls(sec) }, echoWithGreeting(20, accepted)),
      );
      expect(listener.port).toBeGreaterThan(0);
      const address = sec === 'plaintext' ? listener.address : `grpcs://${listener.address}`;
      const client = res.stream(await svc.dial({ address, tls: clientTls(sec) }));
      const rec = new Recorder(client);
      const n = 60;
      for (let i = 0; i < n; i++) expect(client.send(frameOf(i))).toBe(true);
      await rec.waitFrames(20 + n, 10_000);
      expect(rec.closes).toEqual([]);
      expect(rec.texts().slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `s-${i}`));
      const echoed = rec.frames.slice(20);
      expect(echoed.length).toBe(n);
      for (let i = 0; i < n; i++) expect(echoed[i]?.equals(frameOf(i))).toBe(true);

      expect(accepted.length).toBe(1);
      const server = accepted[0]!;
      const serverCloses: unknown[] = [];
      server.stream.onClose((r) => serverCloses.push(r));
      expect(server.stream.side).toBe('server');
      expect(client.side).toBe('client');

      if (sec === 'mtls') {
        expect(Buffer.from(server.info.peerCertDer!).equals(pemToDer(certs.clientCertPem))).toBe(true);
      } else {
        expect(server.info.peerCertDer).toBeUndefined();
      }
      if (sec === 'plaintext') {
        expect(client.peerCertificateDer).toBeUndefined();
      } else {
        expect(Buffer.from(client.peerCertificateDer!).equals(pemToDer(certs.serverCertPem))).toBe(true);
      }

      client.close('done');
      expect(await client.closed).toEqual({ kind: 'local', reason: 'done' });
      const serverReason = await server.stream.closed;
      expect(serverReason.kind).toBe('error');
      await sleep(20);
      expect(serverCloses.length).toBe(1);
      expect(rec.closes.length).toBe(1);
      expect(listener.activeStreams).toBe(0);
    });
  });

  it('holds several streams at once on one listener, independently', async () => {
    const accepted: { stream: FrameStream; info: StreamInfo }[] = [];
    const listener = res.listener(await svc.listen({ host: '127.0.0.1', port: 0 }, echoWithGreeting(0, accepted)));
    const a = res.stream(await svc.dial({ address: listener.address }));
    const b = res.stream(await svc.dial({ address: `grpc://${listener.address}` }));
    const ra = new Recorder(a);
    const rb = new Recorder(b);
    a.send(Buffer.from('a1'));
    b.send(Buffer.from('b1'));
    await ra.waitFrames(1);
    await rb.waitFrames(1);
    a.close();
    await a.closed;
    b.send(Buffer.from('b2'));
    await rb.waitFrames(2);
    expect(rb.texts()).toEqual(['b1', 'b2']);
    expect(ra.texts()).toEqual(['a1']);
    expect(rb.closes).toEqual([]);
  });
});

describe('TLS refusals', () => {
  async function mtlsListener(onStream: OnStream) {
    return res.listener(
      await listenChaincodeSupport(
        { host: '127.0.0.1', port: 0, tls: serverTls('mtls') as ServerTlsOptions },
        onStream,
      ),
    );
  }

  /** The refusal may surface at dial time or (TLS 1.3: the client finishes its handshake before the
   *  server checks the certificate) as an immediate error close of the stream. Either way no frame
   *  gets through and the server handler is never invoked. */
  async function expectRefused(opts: DialOptions, accepted: unknown[]): Promise<void> {
    let stream: FrameStream | undefined;
    try {
      stream = res.stream(await dialChaincodeSupport({ ...opts, dialTimeoutMs: 600 }));
    } catch (err) {
      expect(err).toBeInstanceOf(TransportDialError);
      expect(accepted).toEqual([]);
      return;
    }
    const rec = new Recorder(stream);
    stream.send(Buffer.from('let me in'));
    const reason = await rec.waitClose(5_000);
    expect(reason.kind).toBe('error');
    expect(rec.frames).toEqual([]);
    expect(accepted).toEqual([]);
  }

  it('refuses a client certificate from the wrong CA when client certs are required', async () => {
    const accepted: unknown[] = [];
    const listener = await mtlsListener((s) => accepted.push(s));
    await expectRefused(
      {
        address: listener.address,
        tls: { rootCaPem: certs.caPem, clientKeyPem: certs.otherClientKeyPem, clientCertPem: certs.otherClientCertPem },
      },
      accepted,
    );
    // The listener is unharmed: a proper client still gets through.
    const ok = res.stream(await dialChaincodeSupport({ address: listener.address, tls: clientTls('mtls') }));
    const rec = new Recorder(ok);
    await rec.waitFrames(0);
    await sleep(50);
    expect(accepted.length).toBe(1);
    expect(rec.closes).toEqual([]);
  });

  it('refuses a client without a certificate when client certs are required', async () => {
    const accepted: unknown[] = [];
    const listener = await mtlsListener((s) => accepted.push(s));
    await expectRefused({ address: listener.address, tls: { rootCaPem: certs.caPem } }, accepted);
  });

  it('the client refuses a server whose certificate does not chain to its root', async () => {
    const listener = await mtlsListener(() => {});
    await expect(
      dialChaincodeServer({ address: listener.address, tls: { rootCaPem: certs.otherCaPem }, dialTimeoutMs: 600 }),
    ).rejects.toBeInstanceOf(TransportDialError);
  });

  it('verifies the server name override (connection.json "domain")', async () => {
    const accepted: { stream: FrameStream; info: StreamInfo }[] = [];
    const listener = res.listener(
      await listenChaincodeServer(
        { host: '127.0.0.1', port: 0, tls: serverTls('tls') },
        echoWithGreeting(1, accepted),
      ),
    );
    const ok = res.stream(
      await dialChaincodeServer({
        address: listener.address,
        tls: { rootCaPem: certs.caPem, serverNameOverride: 'chaincode.example.com' },
      }),
    );
    const rec = new Recorder(ok);
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['s-0']);
    await expect(
      dialChaincodeServer({
        address: listener.address,
        tls: { rootCaPem: certs.caPem, serverNameOverride: 'wrong.example.com' },
        dialTimeoutMs: 600,
      }),
    ).rejects.toBeInstanceOf(TransportDialError);
  });

  it('rejects inconsistent addresses and TLS options up front', async () => {
    await expect(dialChaincodeSupport({ address: 'grpcs://127.0.0.1:1' })).rejects.toMatchObject({
      name: 'TransportDialError',
      message: expect.stringContaining('grpcs://'),
    });
    await expect(
      dialChaincodeSupport({ address: 'grpc://127.0.0.1:1', tls: { rootCaPem: certs.caPem } }),
    ).rejects.toBeInstanceOf(TransportDialError);
    await expect(dialChaincodeSupport({ address: 'https://127.0.0.1:1' })).rejects.toThrow(/http\(s\)/);
    await expect(dialChaincodeSupport({ address: 'no-port' })).rejects.toThrow(/host>:<port/);
    await expect(
      listenChaincodeSupport(
        { host: '127.0.0.1', port: 0, tls: { keyPem: certs.serverKeyPem, certPem: certs.serverCertPem, requireClientCert: true } },
        () => {},
      ),
    ).rejects.toThrow(/clientCaPem/);
  });
});

describe('listen options', () => {
  it('uses the Fabric defaults', async () => {
    const peer = res.listener(await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, () => {}));
    const flow = { sendHighWaterBytes: 4 * 1024 * 1024, sendMaxQueuedBytes: 64 * 1024 * 1024, sendStallTimeoutMs: 60_000 };
    expect(peer.limits).toEqual({ maxReceiveMessageLength: 104_857_600, maxSendMessageLength: 104_857_600, ...flow });
    expect(peer.keepalive).toEqual({
      pingIntervalMs: 7_200_000,
      pingTimeoutMs: 20_000,
      minClientPingIntervalMs: 60_000,
      permitWithoutCalls: true,
      connectionTimeoutMs: 5_000,
    });
    const opts: ListenOptions = { host: '127.0.0.1', port: 0, limits: { maxReceiveMessageLength: 10 }, keepalive: { pingIntervalMs: 1_000 } };
    const cc = res.listener(await listenChaincodeServer(opts, () => {}));
    expect(cc.limits).toEqual({ maxReceiveMessageLength: 10, maxSendMessageLength: 104_857_600, ...flow });
    expect(cc.keepalive.pingIntervalMs).toBe(1_000);
    expect(cc.keepalive.minClientPingIntervalMs).toBe(60_000);
  });
});
