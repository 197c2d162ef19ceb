/**
 * The recording proxy (src/proxy/proxy.ts) over real gRPC on 127.0.0.1: transparent (every frame
 * arrives byte for byte and in order at the other end, undecodable ones included, and the end of
 * a stream is passed on), and its trace is what `ccproto check` reads — clean for our runtime
 * against our peer, with the violation named when one side misbehaves. Both modes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createTlsCa, issueClientCert, issueServerCert } from '../../src/identity/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { server, silentLogger, start } from '../../src/chaincode/index.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { FABRIC_31_READY_PARAMS } from '../../src/protocol/messages.js';
import { startProxy, type ProxyHandle } from '../../src/proxy/proxy.js';
import type { Message } from '../../src/protocol/messages.js';
import { utf8Bytes } from '../../src/protocol/messages.js';
import { checkTrace } from '../../src/trace/check.js';
import { parseTrace, type MessageRecord, type TraceRecord } from '../../src/trace/format.js';
import { TraceRecorder } from '../../src/trace/recorder.js';
import {
  dialChaincodeServer,
  dialChaincodeSupport,
  listenChaincodeServer,
  listenChaincodeSupport,
  type CloseReason,
  type FrameStream,
} from '../../src/transport/index.js';
import { encodeMessage } from '../../src/wire/index.js';
import { allStub } from '../chaincode/fixtures/allStub.js';
import { listenPeer, TestPeer } from '../chaincode/grpcPeer.js';

const ENV = { CORE_CHAINCODE_ID_NAME: 'allstub:1', CORE_PEER_LOCALMSPID: 'Org1MSP' };
import { main } from '../../src/cli/main.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function memoryTrace() {
  const lines: string[] = [];
  return { recorder: new TraceRecorder((l) => lines.push(l)), records: (): TraceRecord[] => (parseTrace(lines.join('')) as { records: TraceRecord[] }).records };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const frame = (m: Message): Uint8Array => Uint8Array.from(encodeMessage(m));
const E = new Uint8Array();
const FRAMES_FROM_CC: Uint8Array[] = [
  frame({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'cc:1', path: '', version: '' } }),
  frame({ type: 'GET_STATE', txid: 't1', channelId: 'ch', payload: { key: 'k', collection: '' } }),
  new Uint8Array([0xff, 0xff, 0xff]), // not a ChaincodeMessage
  frame({ type: 'COMPLETED', txid: 't1', channelId: 'ch', payload: { status: 200, message: '', payload: E } }),
];
const FRAMES_FROM_PEER: Uint8Array[] = [
  frame({ type: 'REGISTERED', txid: '', channelId: '', payload: E }),
  frame({ type: 'READY', txid: '', channelId: '', payload: { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 } }),
  frame({ type: 'TRANSACTION', txid: 't1', channelId: 'ch', payload: { args: [utf8Bytes('f')], decorations: {}, isInit: false } }),
  frame({ type: 'RESPONSE', txid: 't1', channelId: 'ch', payload: utf8Bytes('v') }),
];

/** A raw end that records what it receives and how its stream ended. */
function rawEnd(stream: FrameStream) {
  const got: Uint8Array[] = [];
  let closed: CloseReason | undefined;
  stream.onFrame((f) => got.push(Uint8Array.from(f)));
  stream.onClose((r) => (closed = r));
  return { stream, got, closed: () => closed };
}

describe.each(['register', 'ccaas'] as const)('proxy, %s mode', (mode) => {
  it('is transparent: every frame, undecodable ones too, arrives unchanged and in order; the trace has each one and the end', async () => {
    let upstreamEnd: ReturnType<typeof rawEnd> | undefined;
    const listen = mode === 'register' ? listenChaincodeSupport : listenChaincodeServer;
    const upstream = await listen({ host: '127.0.0.1', port: 0 }, (s) => void (upstreamEnd = rawEnd(s)));
    cleanups.push(() => upstream.close());
    const { recorder, records } = memoryTrace();
    const proxy = await startProxy({ mode, listen: { host: '127.0.0.1', port: 0 }, upstream: { address: upstream.address }, recorder });
    cleanups.push(() => proxy.close());
    const dial = mode === 'register' ? dialChaincodeSupport : dialChaincodeServer;
    const downstream = rawEnd(await dial({ address: proxy.address }));
    cleanups.push(() => downstream.stream.close());

    // The chaincode's frames go one way, the peer's the other, in the protocol's order (each one
    // waits for the one before it to arrive, so that the trace's order is the test's).
    if (mode === 'ccaas') await until(() => upstreamEnd !== undefined, 'the proxy to dial the chaincode server');
    const ccEnd = () => (mode === 'register' ? downstream : upstreamEnd!);
    const peerEnd = () => (mode === 'register' ? upstreamEnd! : downstream);
    const [register, get, garbage, completed] = FRAMES_FROM_CC;
    const [registered, ready, transaction, response] = FRAMES_FROM_PEER;
    const order: ['cc' | 'peer', Uint8Array][] = [
      ['cc', register!], ['peer', registered!], ['peer', ready!], ['peer', transaction!], ['cc', get!], ['peer', response!], ['cc', garbage!], ['cc', completed!],
    ];
    let sent = 0;
    for (const [from, f] of order) {
      if (from === 'cc') ccEnd().stream.send(f);
      else peerEnd().stream.send(f);
      sent++;
      await until(() => upstreamEnd !== undefined && ccEnd().got.length + peerEnd().got.length === sent, `frame ${sent}`);
    }
    expect(peerEnd().got).toEqual(FRAMES_FROM_CC);
    expect(ccEnd().got).toEqual(FRAMES_FROM_PEER);

    // Ending the accepted stream ends the other one, and the trace.
    downstream.stream.close();
    await until(() => upstreamEnd!.closed() !== undefined && proxy.activeStreams === 0, 'the end to reach upstream');
    const trace = records();
    expect(trace[0]).toMatchObject({ event: 'open', stream: 1, mode });
    expect(trace.at(-1)).toMatchObject({ event: 'end', stream: 1 });
    const messages = trace.filter((r): r is MessageRecord => !('event' in r));
    expect(messages).toHaveLength(8);
    expect(messages.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const bad = messages.find((m) => m.malformed)!;
    expect(bad).toMatchObject({ from: 'chaincode', malformed: { scope: 'envelope' } });
    expect(bad.frame).toEqual(FRAMES_FROM_CC[2]);
    expect(bad.findings).toEqual([expect.objectContaining({ code: 'MALFORMED_ENVELOPE', blame: 'chaincode' })]);
  });

  it('traces our runtime against a peer with no violations; every message carries both charts', async () => {
    const { recorder, records } = memoryTrace();
    let peer: TestPeer;
    if (mode === 'register') {
      const { listener, peerAt } = await listenPeer();
      cleanups.push(() => listener.close());
      const proxy = await startProxy({ mode, listen: { host: '127.0.0.1', port: 0 }, upstream: { address: listener.address }, recorder });
      cleanups.push(() => proxy.close());
      const client = await start(allStub, { argv: ['--peer.address', proxy.address], env: ENV, logger: silentLogger, dialTimeoutMs: 3_000 });
      cleanups.push(() => client.close());
      peer = await peerAt(0);
    } else {
      const srv = server(allStub, { ccid: 'allstub:1', address: '127.0.0.1:0', env: ENV, logger: silentLogger });
      await srv.start();
      cleanups.push(() => srv.close());
      const proxy = await startProxy({ mode, listen: { host: '127.0.0.1', port: 0 }, upstream: { address: srv.boundAddress! }, recorder });
      cleanups.push(() => proxy.close());
      const stream = await dialChaincodeServer({ address: proxy.address, dialTimeoutMs: 2_000 });
      cleanups.push(() => stream.close());
      peer = new TestPeer(stream, new StandInLedger(), { readyParams: FABRIC_31_READY_PARAMS });
    }
    await peer.ready;
    const invoke = (args: string[]) => peer.invoke(args);
    expect((await invoke(['putState', 'k1', 'v1'])).ok).toBe(true);
    expect((await invoke(['getState', 'k1'])).ok).toBe(true);
    expect((await invoke(['getStateByRange', '', ''])).ok).toBe(true);
    expect((await invoke(['throw', 'bad input'])).ok).toBe(false);
    const many = await Promise.all(Array.from({ length: 5 }, (_, i) => invoke(['putState', `m${i}`, 'x'])));
    expect(many.every((r) => r.ok)).toBe(true);
    const trace = records();
    const messages = trace.filter((r): r is MessageRecord => !('event' in r));
    expect(messages.length).toBeGreaterThan(20);
    expect(messages.flatMap((m) => m.findings ?? [])).toEqual([]);
    expect(messages.every((m) => m.peer !== undefined && m.chaincode !== undefined)).toBe(true);
    expect(checkTrace(trace).findings).toEqual([]);
  });
});

describe('proxy: TLS on both sides, and an upstream that is not there', () => {
  it('mutual TLS towards the chaincode, TLS with a server name override towards the peer: the session is traced clean', async () => {
    const ca = createTlsCa();
    const peerCert = issueServerCert(ca, ['peer0.org1.example.com']);
    const proxyCert = issueServerCert(ca, ['127.0.0.1']);
    const clientCert = issueClientCert(ca, 'allstub:1');
    const { recorder, records } = memoryTrace();
    const { listener, peerAt } = await listenPeer({ tls: { certPem: peerCert.certPem, keyPem: peerCert.keyPem } });
    cleanups.push(() => listener.close());
    const proxy = await startProxy({
      mode: 'register',
      listen: { host: '127.0.0.1', port: 0, tls: { certPem: proxyCert.certPem, keyPem: proxyCert.keyPem, clientCaPem: ca.certPem, requireClientCert: true } },
      upstream: { address: listener.address, tls: { rootCaPem: ca.certPem, serverNameOverride: 'peer0.org1.example.com' } },
      recorder,
    });
    cleanups.push(() => proxy.close());
    const dir = mkdtempSync(join(tmpdir(), 'ccproto-proxy-tls-'));
    const file = (name: string, content: string) => (writeFileSync(join(dir, name), content), join(dir, name));
    const client = await start(allStub, {
      argv: ['--peer.address', proxy.address],
      env: {
        ...ENV,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: file('ca.pem', ca.certPem),
        CORE_TLS_CLIENT_CERT_PATH: file('client.crt', Buffer.from(clientCert.certPem).toString('base64')),
        CORE_TLS_CLIENT_KEY_PATH: file('client.key', Buffer.from(clientCert.keyPem).toString('base64')),
      },
      logger: silentLogger,
      dialTimeoutMs: 3_000,
    });
    cleanups.push(() => client.close());
    const peer = await peerAt(0);
    await peer.ready;
    expect((await peer.invoke(['putState', 'k', 'v'])).ok).toBe(true);
    expect(checkTrace(records()).findings).toEqual([]);
  });

  it('an upstream that refuses: the accepted stream ends UNAVAILABLE naming the upstream, and the trace ends', async () => {
    const { recorder, records } = memoryTrace();
    const errors: string[] = [];
    const proxy = await startProxy({
      mode: 'register',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { address: '127.0.0.1:1', dialTimeoutMs: 1_000 },
      recorder,
      onError: (_s, m) => errors.push(m),
    });
    cleanups.push(() => proxy.close());
    const down = rawEnd(await dialChaincodeSupport({ address: proxy.address }));
    down.stream.send(Uint8Array.from(FRAMES_FROM_CC[0]!));
    await until(() => down.closed() !== undefined, 'the stream to end');
    expect(down.closed()).toMatchObject({ kind: 'error', codeName: 'UNAVAILABLE', message: expect.stringContaining('upstream 127.0.0.1:1') });
    expect(errors).toEqual([expect.stringContaining('upstream 127.0.0.1:1')]);
    await until(() => records().some((r) => 'event' in r && r.event === 'end'), 'the trace to end');
    expect(proxy.activeStreams).toBe(0);
  });
});

describe('ccproto proxy and ccproto check (CLI)', () => {
  it('proxy writes the trace file; check exits 0 on it, 1 when a message is wrong, 2 when the trace is unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccproto-proxy-'));
    const tracePath = join(dir, 'session.jsonl');
    const { listener, peerAt } = await listenPeer();
    cleanups.push(() => listener.close());
    let stop!: (reason: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    let address = '';
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, waitForShutdown: () => stopped, onProxyReady: (a: string) => (address = a) };
    const running = main(['proxy', '--listen', '127.0.0.1:0', '--upstream', listener.address, '--trace', tracePath], io);
    await until(() => address !== '', 'the proxy to listen');
    const client = await start(allStub, { argv: ['--peer.address', address], env: ENV, logger: silentLogger, dialTimeoutMs: 3_000 });
    cleanups.push(() => client.close());
    const peer = await peerAt(0);
    await peer.ready;
    expect((await peer.invoke(['putState', 'k', 'v'])).ok).toBe(true);
    await client.close();
    stop('test done');
    expect(await running).toBe(0);
    expect(out.join('')).toContain(`listening on ${address} (register)`);

    const check = async (file: string, ...flags: string[]) => {
      const printed: string[] = [];
      const code = await main(['check', file, ...flags], { stdout: { write: (s: string) => printed.push(s) }, stderr: { write: (s: string) => printed.push(s) } });
      return { code, text: printed.join('') };
    };
    const clean = await check(tracePath);
    expect(clean).toMatchObject({ code: 0, text: expect.stringContaining('no violations') });

    // The same session with the peer answering a request twice: the second RESPONSE is named.
    const lines = readFileSync(tracePath, 'utf8').trim().split('\n');
    const response = lines.findIndex((l) => l.includes('"type":"RESPONSE"'));
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, [...lines.slice(0, response + 1), lines[response]!.replace('"seq":', '"seq":1000,"x":'), ...lines.slice(response + 1)].join('\n'));
    const bad = await check(tampered, '--json');
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.text) as { findings: { code: string; blame: string; rule: string }[] };
    expect(report.findings[0]).toMatchObject({ code: 'UNEXPECTED_RESPONSE', blame: 'peer' });
    expect(report.findings[0]!.rule).toContain('shim/handler.go');

    writeFileSync(join(dir, 'junk.jsonl'), '{"t":1,"stream":1,"event":"open","mode":"register"}\nnot json\n');
    const junk = await check(join(dir, 'junk.jsonl'));
    expect(junk).toMatchObject({ code: 2, text: expect.stringContaining('junk.jsonl:2: not JSON') });
    expect((await check(join(dir, 'missing.jsonl'))).code).toBe(2);
  });
});
