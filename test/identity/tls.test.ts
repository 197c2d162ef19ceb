import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { certHash, createTlsCa, issueClientCert, issueServerCert, type CertKeyPair, type TlsCa } from '../../src/identity/index.js';
import { ipToBytes } from '../../src/identity/x509.js';

const STEP_TIMEOUT_MS = 5_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface ServerEvents {
  readonly port: number;
  readonly secured: Array<{ authorized: boolean; peerRaw: Buffer }>;
  readonly clientErrors: Error[];
  readonly nextClientError: () => Promise<Error>;
}

/** Mutual-TLS server like the peer's chaincode listener: client certificates required, trust = TLS CA. */
async function startServer(ca: TlsCa, server: CertKeyPair): Promise<ServerEvents> {
  const secured: ServerEvents['secured'] = [];
  const clientErrors: Error[] = [];
  const waiters: Array<(e: Error) => void> = [];
  const srv = tls.createServer(
    { key: server.keyPem, cert: server.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: true },
    (socket) => {
      secured.push({ authorized: socket.authorized, peerRaw: socket.getPeerCertificate().raw });
      socket.end('hello');
    },
  );
  srv.on('tlsClientError', (err) => {
    clientErrors.push(err);
    waiters.shift()?.(err);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<import('node:net').Socket>();
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  );
  return {
    port: (srv.address() as AddressInfo).port,
    secured,
    clientErrors,
    nextClientError: () =>
      clientErrors.length ? Promise.resolve(clientErrors[0] as Error) : new Promise<Error>((r) => waiters.push(r)),
  };
}

/** Connects and reads until the server closes; resolves with the data or rejects with the TLS error. */
function connect(port: number, opts: tls.ConnectionOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, ...opts });
    cleanups.push(() => void sock.destroy());
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', reject);
  });
}

describe('TLS material for the chaincode connection', () => {
  it('certificates carry the expected SANs, key usages and validity', () => {
    const now = new Date('2031-06-01T00:00:00Z');
    const ca = createTlsCa({ now });
    const server = issueServerCert(ca, ['127.0.0.1', 'localhost', '::1', 'peer0.org1.example.com'], { now });
    const client = issueClientCert(ca, 'mycc:abc123', { now });

    const caX = new X509Certificate(ca.certPem);
    const srvX = new X509Certificate(server.certPem);
    const cliX = new X509Certificate(client.certPem);
    expect(caX.ca).toBe(true);
    expect(srvX.ca).toBe(false);
    expect(srvX.checkIssued(caX) && srvX.verify(caX.publicKey)).toBe(true);
    expect(cliX.checkIssued(caX) && cliX.verify(caX.publicKey)).toBe(true);
    expect(srvX.subjectAltName).toBe(
      'IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1, DNS:peer0.org1.example.com',
    );
    expect(srvX.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(srvX.checkIP('::1')).toBeDefined();
    expect(srvX.checkHost('localhost')).toBe('localhost');
    expect(srvX.checkHost('other.example.com')).toBeUndefined();
    // X509Certificate.keyUsage lists the extended key usage OIDs.
    expect(srvX.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
    expect(cliX.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cliX.subject).toBe('CN=mycc:abc123');
    // tlsgen: NotBefore = now - 24h; client certificates live 24h, server and CA 10 years.
    expect(new Date(cliX.validFrom).getTime()).toBe(now.getTime() - 24 * 3600e3);
    expect(new Date(cliX.validTo).getTime()).toBe(now.getTime() + 24 * 3600e3);
    expect(new Date(srvX.validTo).getTime()).toBe(now.getTime() + 10 * 365 * 24 * 3600e3);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(client.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('certHash is SHA-256 over the DER, whatever the input form', () => {
    const ca = createTlsCa();
    const c = issueClientCert(ca, 'cc');
    const h = certHash(c.certPem);
    const fp = new X509Certificate(c.certPem).fingerprint256.replace(/:/g, '').toLowerCase();
    expect(h.hex).toBe(fp);
    expect(h.bytes.toString('hex')).toBe(fp);
    expect(certHash(c.certDer).hex).toBe(fp);
    expect(certHash(Buffer.from(c.certPem)).hex).toBe(fp);
    expect(certHash(issueClientCert(ca, 'cc').certPem).hex).not.toBe(fp);
  });

  it('node:tls: mutual TLS with minted certificates succeeds; the server sees the client cert hash', async () => {
    const ca = createTlsCa();
    const server = issueServerCert(ca, ['127.0.0.1', 'localhost']);
    const client = issueClientCert(ca, 'mycc:1.0');
    const ev = await startServer(ca, server);

    const got = await withTimeout(
      connect(ev.port, { ca: [ca.certPem], key: client.keyPem, cert: client.certPem }),
      'mTLS handshake by IP',
    );
    expect(got).toBe('hello');
    expect(ev.secured).toHaveLength(1);
    expect(ev.secured[0]?.authorized).toBe(true);
    expect(certHash(ev.secured[0]?.peerRaw as Buffer).hex).toBe(certHash(client.certPem).hex);

    // Name verification by DNS SAN (servername) works, and a name not in the SANs is refused by the client.
    await expect(
      withTimeout(connect(ev.port, { ca: [ca.certPem], key: client.keyPem, cert: client.certPem, servername: 'localhost' }), 'dns'),
    ).resolves.toBe('hello');
    await expect(
      withTimeout(
        connect(ev.port, { ca: [ca.certPem], key: client.keyPem, cert: client.certPem, servername: 'wrong.example.com' }),
        'wrong name',
      ),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('node:tls: a client certificate from another CA, or none, is rejected by the server', async () => {
    const ca = createTlsCa();
    const server = issueServerCert(ca, ['127.0.0.1']);
    const ev = await startServer(ca, server);
    const foreign = issueClientCert(createTlsCa(), 'intruder');

    // With TLS 1.3 the client may finish its side before the server checks the certificate, so judge by
    // the server. Node's server destroys the socket when verification fails (rejectUnauthorized) and then
    // reports a generic ECONNRESET tlsClientError, never 'secureConnection'.
    const attempt = connect(ev.port, { ca: [ca.certPem], key: foreign.keyPem, cert: foreign.certPem }).catch((e: Error) => e);
    await withTimeout(ev.nextClientError(), 'server rejects foreign client cert');
    expect(await withTimeout(attempt, 'client sees the rejection')).not.toBe('hello');

    const noCert = connect(ev.port, { ca: [ca.certPem] }).catch((e: Error) => e);
    expect(await withTimeout(noCert, 'client without certificate')).not.toBe('hello');
    expect(ev.secured).toHaveLength(0);
    expect(ev.clientErrors.length).toBeGreaterThanOrEqual(2);

    // Same server, certificate from the right CA: accepted (so the rejections above are about the CA).
    const good = issueClientCert(ca, 'mycc:1.0');
    await expect(
      withTimeout(connect(ev.port, { ca: [ca.certPem], key: good.keyPem, cert: good.certPem }), 'good client'),
    ).resolves.toBe('hello');
    expect(ev.secured).toHaveLength(1);
  });

  it('@grpc/grpc-js: createSsl credentials accept the PEMs; server sees the client certificate', async () => {
    const ca = createTlsCa();
    const server = issueServerCert(ca, ['127.0.0.1', 'localhost']);
    const client = issueClientCert(ca, 'mycc:1.0');
    const foreign = issueClientCert(createTlsCa(), 'intruder');

    const id = (b: Buffer): Buffer => b;
    const service: grpc.ServiceDefinition = {
      echo: {
        path: '/ccproto.test.Echo/Echo',
        requestStream: false,
        responseStream: false,
        requestSerialize: id,
        requestDeserialize: id,
        responseSerialize: id,
        responseDeserialize: id,
      },
    };
    const seenHashes: string[] = [];
    const srv = new grpc.Server();
    srv.addService(service, {
      echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        const raw = call.getAuthContext().sslPeerCertificate?.raw;
        if (raw) seenHashes.push(certHash(raw).hex);
        cb(null, call.request);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      srv.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createSsl(
          Buffer.from(ca.certPem),
          [{ private_key: Buffer.from(server.keyPem), cert_chain: Buffer.from(server.certPem) }],
          true,
        ),
        (err, p) => (err ? reject(err) : resolve(p)),
      ),
    );
    cleanups.push(() => new Promise<void>((resolve) => srv.tryShutdown(() => resolve())));

    const Client = grpc.makeGenericClientConstructor(service, 'Echo');
    const call = (key: string, cert: string): Promise<Buffer> => {
      const c = new Client(
        `127.0.0.1:${port}`,
        grpc.credentials.createSsl(Buffer.from(ca.certPem), Buffer.from(key), Buffer.from(cert)),
      );
      cleanups.push(() => c.close());
      return new Promise<Buffer>((resolve, reject) =>
        (c as unknown as { echo: (req: Buffer, md: grpc.Metadata, o: grpc.CallOptions, cb: grpc.requestCallback<Buffer>) => void }).echo(
          Buffer.from('ping'),
          new grpc.Metadata(),
          { deadline: Date.now() + STEP_TIMEOUT_MS },
          (err, res) => (err ? reject(err) : resolve(res as Buffer)),
        ),
      );
    };

    expect((await call(client.keyPem, client.certPem)).toString()).toBe('ping');
    expect(seenHashes).toEqual([certHash(client.certPem).hex]);
    await expect(call(foreign.keyPem, foreign.certPem)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(seenHashes).toHaveLength(1);
  });

  it('encodes IP SANs like net.ParseIP', () => {
    expect(ipToBytes('127.0.0.1').toString('hex')).toBe('7f000001');
    expect(ipToBytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipToBytes('[::1]').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipToBytes('::').toString('hex')).toBe('0'.repeat(32));
    expect(ipToBytes('fe80::1:2').toString('hex')).toBe('fe800000000000000000000000010002');
    expect(ipToBytes('::ffff:10.1.2.3').toString('hex')).toBe('00000000000000000000ffff0a010203');
    expect(ipToBytes('2001:db8:0:0:1:0:0:1').toString('hex')).toBe('20010db8000000000001000000000001');
    expect(() => ipToBytes('localhost')).toThrow();
  });
});
