/**
 * Helpers for running our chaincode runtime's processes (TypeScript, started with
 * `node --import tsx`) against the real dev peer (`Peer`, src/peer/peer.ts) over gRPC on 127.0.0.1.
 * Peers, invocations, child processes, waits and temp dirs come from test/peer/e2e/helpers.ts; this
 * adds what is particular to our runtime: the tsx launch command, chaincode servers (CCaaS) on a
 * free port, server TLS material as our server mode reads it, a protocol-trace recorder, and the
 * list of commands the allStub fixture understands (read from the fixture's source).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';

import { createTlsCa, issueClientCert, issueServerCert } from '../../../src/identity/index.js';
import type { TraceEvent } from '../../../src/peer/types.js';
import { REPO, nodeCommand, sleep, spawnChild, tempDir, waitFor, type Child } from '../../peer/e2e/helpers.js';

export const ALLSTUB = resolve(REPO, 'test/chaincode/fixtures/allStub.ts');
export const ASSET_TRANSFER = resolve(REPO, 'examples/asset-transfer/index.ts');

/** The peer's launch command for one of our TypeScript chaincode entry points (run with cwd REPO). */
export const tsxCommand = (file: string): string => nodeCommand('--import', 'tsx', file);

/** The Node arguments to run a TypeScript entry point ourselves (spawnChild runs in REPO). */
export const tsxArgs = (file: string): string[] => ['--import', 'tsx', file];

/** The member-only Org1 collection definition, for `Peer.start({ collections })`. */
export const memberOnlyCollection = (name: string) => ({
  name,
  policy: "OR('Org1MSP.member')",
  requiredPeerCount: 0,
  maxPeerCount: 1,
  blockToLive: 0,
  memberOnlyRead: true,
  memberOnlyWrite: true,
});

// ---------------------------------------------------------------------------------------------
// The allStub fixture's commands

/**
 * Every command the allStub fixture's `runCommand` switch handles, read from its source, so that a
 * command added there (for a new stub method) shows up here and must be driven by the tests.
 */
export function allStubCommands(): string[] {
  const source = readFileSync(ALLSTUB, 'utf8');
  const start = source.indexOf('export async function runCommand');
  const end = source.indexOf('export const allStub', start);
  if (start < 0 || end < 0) throw new Error(`cannot find runCommand in ${ALLSTUB}`);
  const commands = [...source.slice(start, end).matchAll(/\bcase\s+'([^']+)'\s*:/g)].map((m) => m[1]!);
  return [...new Set(commands)].sort();
}

// ---------------------------------------------------------------------------------------------
// Protocol trace (Peer's `trace` option)

export interface TracedMessage {
  /** As the peer traces it: the name the chaincode registered with (`NAME:VERSION`, a CCaaS package id). */
  chaincode: string;
  direction: 'in' | 'out';
  type: string;
  txid: string;
  channelId: string;
  /** Records of a WRITE_BATCH_STATE, keys of a GET_STATE_MULTIPLE. */
  size?: number;
  /** Collection of a GET_STATE_MULTIPLE. */
  collection?: string;
  /** The READY payload. */
  ready?: { useWriteBatch: boolean; maxSizeWriteBatch: number; useGetMultipleKeys: boolean; maxSizeGetMultipleKeys: number };
}

export interface TraceRecorder {
  /** For `Peer.start({ trace })`. */
  trace: (e: TraceEvent) => void;
  messages: TracedMessage[];
  /** Messages of one transaction, optionally on one chaincode's stream: by the id it registered
   * with (what the peer traces), or by invocation name for a `NAME:VERSION` id. */
  of(txid: string, chaincode?: string): TracedMessage[];
}

/** Keeps a small summary of every message the peer traced (not the payloads, except sizes). */
export function traceRecorder(): TraceRecorder {
  const messages: TracedMessage[] = [];
  return {
    messages,
    trace(e) {
      if (e.kind !== 'message') return;
      const m = e.message;
      const t: TracedMessage = { chaincode: e.chaincode, direction: e.direction, type: m.type, txid: m.txid, channelId: m.channelId };
      if (m.type === 'WRITE_BATCH_STATE') t.size = m.payload.records.length;
      if (m.type === 'GET_STATE_MULTIPLE') {
        t.size = m.payload.keys.length;
        t.collection = m.payload.collection;
      }
      if (m.type === 'READY') t.ready = { ...m.payload };
      messages.push(t);
    },
    of(txid, chaincode) {
      return messages.filter((m) => m.txid === txid && (chaincode === undefined || m.chaincode === chaincode || m.chaincode.split(':')[0] === chaincode));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Chaincode servers (CCaaS) started by the tests

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it: port 0). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res, rej) => {
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => res());
  });
  const address = srv.address();
  await new Promise<void>((res) => srv.close(() => res()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** true when something accepts TCP connections at 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      res(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

export interface ServerChild {
  child: Child;
  /** 127.0.0.1:PORT it listens on. */
  address: string;
}

/**
 * A chaincode in server mode whose entry point listens where CHAINCODE_SERVER_ADDRESS says and does
 * not tell when it is ready (the allStub fixture): started on a free port, ready once the port
 * accepts connections. If the port was taken meanwhile (the process exits), tries another one.
 */
export async function startServerOnFreePort(file: string, env: Record<string, string>, timeoutMs = 15_000): Promise<ServerChild> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const child = spawnChild(tsxArgs(file), { ...env, CHAINCODE_SERVER_ADDRESS: address });
    let exited = false;
    void child.exited.then(() => (exited = true));
    try {
      await waitFor(async () => exited || (await accepts(port)), timeoutMs, `chaincode server ${file} at ${address}`, 50);
    } catch (err) {
      await child.kill();
      throw new Error(`${(err as Error).message}; stderr:\n${child.stderr()}`);
    }
    if (!exited) return { child, address };
    if (attempt >= 3) throw new Error(`chaincode server ${file} exited before listening; stderr:\n${child.stderr()}`);
    await sleep(50);
  }
}

/**
 * A chaincode in server mode that logs `listening on HOST:PORT` (the asset-transfer example): asked
 * to listen on 127.0.0.1:0, its bound address is read from its log (stderr).
 */
export async function startLoggingServer(file: string, env: Record<string, string>, timeoutMs = 15_000): Promise<ServerChild> {
  const child = spawnChild(tsxArgs(file), { ...env, CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0' });
  let exited = false;
  void child.exited.then(() => (exited = true));
  let address: string | undefined;
  try {
    await waitFor(
      () => {
        address = /listening on (127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1];
        if (!address && exited) throw new Error('exited');
        return address !== undefined;
      },
      timeoutMs,
      `chaincode server ${file} to listen`,
      25,
    );
  } catch (err) {
    await child.kill();
    throw new Error(`${(err as Error).message}; stderr:\n${child.stderr()}`);
  }
  return { child, address: address! };
}

/**
 * TLS material for a chaincode server: a CA, a server certificate for 127.0.0.1/localhost, a client
 * certificate for the peer (mutual TLS), the environment our server mode reads
 * (CORE_CHAINCODE_TLS_{KEY,CERT,CLIENT_CACERT}_FILE, PEM files) and the peer's `ccaas` TLS settings.
 */
export function serverTls(): {
  env: Record<string, string>;
  peerTls: { rootCertPem: string; clientCertPem: string; clientKeyPem: string };
  rootCertPem: string;
} {
  const ca = createTlsCa({ commonName: 'devpeer ccaas CA' });
  const srv = issueServerCert(ca, ['127.0.0.1', 'localhost']);
  const cli = issueClientCert(ca, 'peer0.org1.example.com');
  const dir = tempDir('ccproto-devpeer-tls-');
  const file = (name: string, content: string): string => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  return {
    env: {
      CORE_CHAINCODE_TLS_KEY_FILE: file('server.key', srv.keyPem),
      CORE_CHAINCODE_TLS_CERT_FILE: file('server.crt', srv.certPem),
      CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: file('client-ca.crt', ca.certPem),
    },
    peerTls: { rootCertPem: ca.certPem, clientCertPem: cli.certPem, clientKeyPem: cli.keyPem },
    rootCertPem: ca.certPem,
  };
}
