/**
 * The runtime over real gRPC on 127.0.0.1, against a small test peer (transport + PeerConnection +
 * StandInLedger): client mode (start) and server mode (server), each without TLS and with (mutual)
 * TLS; KEEPALIVE echo; the stream dying under a pending stub call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTlsCa, devUser, issueClientCert, issueServerCert } from '../../src/identity/index.js';
import { FABRIC_31_READY_PARAMS } from '../../src/protocol/messages.js';
import { dialChaincodeServer, listenChaincodeSupport, type ClientTlsOptions } from '../../src/transport/index.js';
import { server, silentLogger, start, success, type ChaincodeSupportClient, type ChaincodeServer } from '../../src/chaincode/index.js';
import { allStub } from './fixtures/allStub.js';
import { listenPeer, TestPeer } from './grpcPeer.js';
import { makeProposal, utf8 } from './helpers.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ca = createTlsCa();
const serverCert = issueServerCert(ca, ['127.0.0.1', 'localhost']);
const clientCert = issueClientCert(ca, 'allstub:1');
const otherCa = createTlsCa({ commonName: 'other' });
const dir = mkdtempSync(join(tmpdir(), 'ccproto-cc-grpc-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const ENV = { CORE_CHAINCODE_ID_NAME: 'allstub:1', CORE_PEER_LOCALMSPID: 'Org1MSP' };

/** Polls `cond` every 10 ms for up to 5 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** The same workload on any connected peer. */
async function exercise(peer: TestPeer): Promise<void> {
  await peer.ready;
  const json = async (args: string[], opts?: Parameters<TestPeer['invoke']>[1]) => {
    const r = await peer.invoke(args, opts);
    if (!r.ok) throw new Error(r.message);
    return JSON.parse(utf8(r.response.payload)) as unknown;
  };
  expect(await json(['putState', 'k1', 'v1'])).toBeNull();
  expect(await json(['putState', 'k2', 'v2'])).toBeNull();
  expect(await json(['getState', 'k1'])).toBe('v1');
  expect(await json(['getStateByRange', '', ''])).toEqual([
    { key: 'k1', value: 'v1' },
    { key: 'k2', value: 'v2' },
  ]);
  expect(await json(['getHistoryForKey', 'k1'])).toMatchObject([{ value: 'v1', isDelete: false }]);
  expect(await json(['getMspID'])).toBe('Org1MSP');
  const user = devUser('Org1MSP', 'grpc-user', { role: 'admin' });
  expect(await json(['clientIdentity', 'role', 'client'], { proposal: makeProposal({ mspid: 'Org1MSP', certPem: user.certPem }) })).toMatchObject({
    mspid: 'Org1MSP',
    attr: 'admin',
    ou: true,
    id: expect.stringMatching(/^x509::\/C=US\/ST=California\/L=San Francisco\/O=org1.example.com\/OU=client\/CN=grpc-user::/),
  });
  expect(await json(['batchPut', JSON.stringify([['b1', '1'], ['b2', '2']])])).toBeNull();
  expect(await json(['getMultipleStates', JSON.stringify(['b1', 'b2', 'zz'])])).toEqual(['1', '2', '']);
  expect(await json(['putPrivateDataFromTransient', 'c1', 'p1', 'secret'], { proposal: makeProposal({ transient: { secret: new TextEncoder().encode('s!') } }) })).toBeNull();
  expect(await json(['getPrivateData', 'c1', 'p1'])).toBe('s!');
  const ev = await peer.invoke(['setEvent', 'created', 'payload']);
  expect(ev).toMatchObject({ ok: true, event: { eventName: 'created' } });
  expect(await peer.invoke(['throw', 'bad input'])).toMatchObject({ ok: false, message: 'transaction returned with failure: bad input' });
  // Several transactions at once on one stream.
  const many = await Promise.all(Array.from({ length: 10 }, (_, i) => peer.invoke(['putState', `m${i}`, 'x'])));
  expect(many.every((r) => r.ok)).toBe(true);
}

async function startClient(argvAddress: string, env: Record<string, string>): Promise<ChaincodeSupportClient> {
  const client = await start(allStub, { argv: ['--peer.address', argvAddress], env, logger: silentLogger, dialTimeoutMs: 3_000 });
  cleanups.push(() => client.close());
  return client;
}

describe('client mode (the chaincode dials Register)', () => {
  it('plaintext', async () => {
    const p = await listenPeer({ readyParams: FABRIC_31_READY_PARAMS });
    cleanups.push(() => p.listener.close());
    const client = await startClient(p.listener.address, ENV);
    expect(client.params).toEqual(FABRIC_31_READY_PARAMS);
    const peer = await p.peerAt(0);
    expect(await peer.ready).toBe('allstub:1');
    await exercise(peer);
    // Batches and multi-gets were negotiated and used.
    expect(peer.received.some((m) => m.type === 'WRITE_BATCH_STATE')).toBe(true);
    expect(peer.received.some((m) => m.type === 'GET_STATE_MULTIPLE')).toBe(true);
  });

  it("grpc-js' client instead of ours: by option, and by CCPROTO_GRPC_CLIENT in the environment", async () => {
    const p1 = await listenPeer({ readyParams: FABRIC_31_READY_PARAMS });
    cleanups.push(() => p1.listener.close());
    const byOption = await start(allStub, { argv: ['--peer.address', p1.listener.address], env: ENV, logger: silentLogger, client: 'grpc-js' });
    cleanups.push(() => byOption.close());
    await exercise(await p1.peerAt(0));
    const p2 = await listenPeer({ readyParams: FABRIC_31_READY_PARAMS });
    cleanups.push(() => p2.listener.close());
    const byEnv = await startClient(p2.listener.address, { ...ENV, CCPROTO_GRPC_CLIENT: 'grpc-js' });
    await exercise(await p2.peerAt(0));
    expect(byEnv.params).toEqual(FABRIC_31_READY_PARAMS);
  });

  it('mutual TLS from the peer-provided environment (base64 _PATH files), peer requires the client certificate', async () => {
    const p = await listenPeer({ tls: { keyPem: serverCert.keyPem, certPem: serverCert.certPem, clientCaPem: ca.certPem, requireClientCert: true } });
    cleanups.push(() => p.listener.close());
    const env = {
      ...ENV,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: file('peer.crt', ca.certPem),
      CORE_TLS_CLIENT_KEY_PATH: file('client.key', Buffer.from(clientCert.keyPem).toString('base64')),
      CORE_TLS_CLIENT_CERT_PATH: file('client.crt', Buffer.from(clientCert.certPem).toString('base64')),
    };
    await startClient(p.listener.address, env);
    const peer = await p.peerAt(0);
    expect(Buffer.from(peer.info!.peerCertDer!)).toEqual(clientCert.certDer);
    await exercise(peer);
  });

  it('TLS with the PEM _FILE variables and grpcs://', async () => {
    const p = await listenPeer({ tls: { keyPem: serverCert.keyPem, certPem: serverCert.certPem, clientCaPem: ca.certPem } });
    cleanups.push(() => p.listener.close());
    await startClient(`grpcs://${p.listener.address}`, {
      ...ENV,
      CORE_PEER_TLS_ROOTCERT_FILE: file('peer2.crt', ca.certPem),
      CORE_TLS_CLIENT_KEY_FILE: file('client_pem.key', clientCert.keyPem),
      CORE_TLS_CLIENT_CERT_FILE: file('client_pem.crt', clientCert.certPem),
    });
    await (await p.peerAt(0)).ready;
  });

  it('an untrusted peer certificate or an unreachable peer makes start() reject', async () => {
    const p = await listenPeer({ tls: { keyPem: serverCert.keyPem, certPem: serverCert.certPem } });
    cleanups.push(() => p.listener.close());
    const tls: ClientTlsOptions = { rootCaPem: otherCa.certPem, clientKeyPem: clientCert.keyPem, clientCertPem: clientCert.certPem };
    await expect(start(allStub, { argv: [], env: ENV, peerAddress: p.listener.address, tls, logger: silentLogger, dialTimeoutMs: 500 })).rejects.toThrow(/could not connect/);
    const closed = await listenPeer();
    const address = closed.listener.address;
    await closed.listener.close();
    await expect(start(allStub, { argv: ['--peer.address', address], env: ENV, logger: silentLogger, dialTimeoutMs: 300 })).rejects.toThrow(/could not connect/);
  });

  it('a peer that is not running: start() fails at once, naming the address, unless told to wait', async () => {
    const closed = await listenPeer();
    const address = closed.listener.address;
    await closed.listener.close();
    const t0 = Date.now();
    await expect(start(allStub, { argv: ['--peer.address', address], env: ENV, logger: silentLogger })).rejects.toThrow(
      `chaincode allstub:1 cannot reach the peer at ${address}: could not connect to ${address} (/protos.ChaincodeSupport/Register): ` +
        `connection refused: nothing listens at ${address} (is the peer running, and is --peer.address / CORE_PEER_ADDRESS its chaincode listener?)`,
    );
    expect(Date.now() - t0).toBeLessThan(3_000); // not the 10 s dial timeout
    // waitForPeer keeps trying until the dial deadline (a peer that starts later).
    const t1 = Date.now();
    await expect(start(allStub, { argv: ['--peer.address', address], env: ENV, logger: silentLogger, waitForPeer: true, dialTimeoutMs: 1_500 })).rejects.toThrow(/within 1500 ms/);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(1_000);
  });

  it('a REGISTER the peer refuses: start() rejects with the peer\'s reason, not "protocol violation"', async () => {
    const { Peer } = await import('../../src/peer/peer.js');
    const peer = await Peer.start({ listenPort: 0 });
    cleanups.push(() => peer.close());
    const first = await start(allStub, { argv: ['--peer.address', peer.chaincodeAddress], env: ENV, logger: silentLogger });
    cleanups.push(() => first.close());
    await expect(start(allStub, { argv: ['--peer.address', peer.chaincodeAddress], env: ENV, logger: silentLogger })).rejects.toThrow(
      /could not register with the peer at .*: stream to the peer ended before READY: the peer refused the registration: duplicate chaincodeID: allstub:1/,
    );
  });

  it('a peer that ends the stream before READY makes start() reject with the reason', async () => {
    const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (stream) => stream.onFrame(() => stream.close('duplicate chaincodeID: allstub:1')));
    cleanups.push(() => listener.close());
    await expect(start(allStub, { argv: ['--peer.address', listener.address], env: ENV, logger: silentLogger })).rejects.toThrow(
      /chaincode allstub:1 could not register with the peer at .*: stream to the peer ended before READY: receive failed: UNKNOWN: duplicate chaincodeID: allstub:1/,
    );
  });

  it('echoes KEEPALIVE and keeps serving', async () => {
    const p = await listenPeer({ keepaliveMs: 20 });
    cleanups.push(() => p.listener.close());
    await startClient(p.listener.address, ENV);
    const peer = await p.peerAt(0);
    await peer.ready;
    await until(() => peer.received.filter((m) => m.type === 'KEEPALIVE').length >= 2);
    expect(await peer.invoke(['getState', 'nothing'])).toMatchObject({ ok: true });
  });

  it('a stream that dies under a pending stub call: the call throws, closed resolves', async () => {
    let reject: ((e: unknown) => void) | undefined;
    const thrown = new Promise<unknown>((resolve) => (reject = resolve));
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    const p = await listenPeer({
      serve: () => {
        arrived();
        return new Promise(() => {});
      },
    });
    cleanups.push(() => p.listener.close());
    const client = await start(
      {
        Init: () => success(),
        Invoke: async (stub) => {
          try {
            await stub.getState('k');
          } catch (e) {
            reject?.(e);
            throw e;
          }
          return success();
        },
      },
      { argv: ['--peer.address', p.listener.address], env: ENV, logger: silentLogger },
    );
    const peer = await p.peerAt(0);
    const result = peer.invoke(['x']);
    await requestArrived;
    peer.stream.close('peer shutting down');
    expect(await result).toMatchObject({ ok: false, failure: 'streamTerminated' });
    expect(((await thrown) as Error).message).toBe('chaincode stream terminated');
    expect(await client.closed).toMatch(/receive failed|EOF/);
  });
});

describe('server mode (the peer dials Connect)', () => {
  async function startServer(opts: Parameters<typeof server>[1] = {}): Promise<ChaincodeServer> {
    const srv = server(allStub, { ccid: 'allstub:1', address: '127.0.0.1:0', env: ENV, logger: silentLogger, ...opts });
    await srv.start();
    cleanups.push(() => srv.close());
    return srv;
  }
  async function dialPeer(address: string, tls?: ClientTlsOptions, ledger = new StandInLedger()): Promise<TestPeer> {
    const stream = await dialChaincodeServer({ address, ...(tls ? { tls } : {}), dialTimeoutMs: 2_000 });
    cleanups.push(() => stream.close());
    return new TestPeer(stream, ledger, { readyParams: FABRIC_31_READY_PARAMS });
  }

  it('plaintext; every Connect stream registers independently', async () => {
    const srv = await startServer();
    const a = await dialPeer(srv.boundAddress!);
    const b = await dialPeer(srv.boundAddress!);
    expect(await a.ready).toBe('allstub:1');
    expect(await b.ready).toBe('allstub:1');
    expect(srv.activeConnections).toBe(2);
    await exercise(a);
    expect(await b.invoke(['getState', 'k1'])).toMatchObject({ ok: true });
    b.stream.close();
    await b.closed;
    await until(() => srv.activeConnections === 1);
  });

  it('TLS and mutual TLS (tlsProps); a peer without a client certificate is refused', async () => {
    const srv = await startServer({ tlsProps: { key: serverCert.keyPem, cert: serverCert.certPem, clientCACerts: ca.certPem } });
    const peer = await dialPeer(srv.boundAddress!, { rootCaPem: ca.certPem, clientKeyPem: clientCert.keyPem, clientCertPem: clientCert.certPem });
    await exercise(peer);

    const refused = await dialChaincodeServer({ address: srv.boundAddress!, tls: { rootCaPem: ca.certPem }, dialTimeoutMs: 1_000 }).then(
      async (stream) => {
        cleanups.push(() => stream.close());
        const p = new TestPeer(stream, new StandInLedger());
        return Promise.race([p.ready.then(() => 'registered'), stream.closed.then(() => 'closed')]);
      },
      () => 'dial failed',
    );
    expect(refused).not.toBe('registered');

    const tlsOnly = await startServer({ tlsProps: { key: Buffer.from(serverCert.keyPem), cert: Buffer.from(serverCert.certPem) } });
    await exercise(await dialPeer(tlsOnly.boundAddress!, { rootCaPem: ca.certPem }));
  });
});
