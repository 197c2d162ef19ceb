/**
 * Shared helpers for the peer's end-to-end tests: real fabric-shim / fabric-contract-api chaincode
 * processes talking gRPC to a `Peer` on 127.0.0.1 with ports from 0.
 *
 * Every child process started here is tracked and killed by `killChildren()` (call it in
 * afterAll/afterEach); every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Peer } from '../../../src/peer/peer.js';
import type { InvokeRequest, InvokeResult, LogRecord, PeerOptions } from '../../../src/peer/types.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const REPO = resolve(FIXTURES, '../../..');
export const NODE = process.execPath;

export const fixture = (name: string): string => join(FIXTURES, name);

/** Quote for the peer's splitCommand (single quotes keep everything literally). */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A launch command running a fixture with this Node binary. */
export function nodeCommand(file: string, ...args: string[]): string {
  return [NODE, file, ...args].map(q).join(' ');
}

export const SHIM_BASIC = fixture('shimBasic.cjs');
export const basicCommand = (): string => nodeCommand(SHIM_BASIC);

// ---------------------------------------------------------------------------------------------
// Peers

export interface TestPeer {
  peer: Peer;
  logs: LogRecord[];
  /** Log records with this `msg`. */
  logged(msg: string): LogRecord[];
  /** Chaincode output lines (stdout and stderr of launched processes), for failure diagnostics. */
  output(): string;
}

/** Peer.start with listenPort 0 and a log collector (plus the caller's own `log`, if any). */
export async function startPeer(options: PeerOptions = {}): Promise<TestPeer> {
  const logs: LogRecord[] = [];
  const peer = await Peer.start({
    listenHost: '127.0.0.1',
    listenPort: 0,
    ...options,
    log: (r) => {
      logs.push(r);
      options.log?.(r);
    },
  });
  return {
    peer,
    logs,
    logged: (msg) => logs.filter((r) => r.msg === msg),
    output: () =>
      logs
        .filter((r) => r.msg === 'chaincode output')
        .map((r) => `[${String(r.chaincode)} ${String(r.stream)}] ${String(r.line)}`)
        .join('\n'),
  };
}

/** Close a peer, bounded (a hanging close must not hang the suite). */
export async function closePeer(p: TestPeer | Peer | undefined, timeoutMs = 10_000): Promise<void> {
  if (!p) return;
  const peer = p instanceof Peer ? p : p.peer;
  await withTimeout(peer.close(), timeoutMs, 'peer.close()');
}

// ---------------------------------------------------------------------------------------------
// Invocations

export interface Result extends InvokeResult {
  /** The payload as UTF-8 text. */
  text: string;
  /** The payload parsed as JSON (throws if it is not JSON). */
  json<T = unknown>(): T;
}

const dec = new TextDecoder();

export function withText(r: InvokeResult): Result {
  const text = dec.decode(r.payload);
  return { ...r, text, json: <T>() => JSON.parse(text) as T };
}

export type CallOptions = Omit<InvokeRequest, 'chaincode' | 'args' | 'submit'> & { timeoutMs?: number };

/** Submit (commit on success). */
/**
 * Fabric's text for an invocation whose execution failed (fabric core/endorser/endorser.go
 * ProcessProposalSuccessfullyOrError + core/chaincode/chaincode_support.go
 * processChaincodeExecutionResult): `error in simulation: failed to execute transaction <txid>: <cause>`.
 */
export const executeFailed = (r: { txId: string }, cause: string): string => `error in simulation: failed to execute transaction ${r.txId}: ${cause}`;
/** The cause when the chaincode stream ended (chaincode_support.go execute + handler.go Execute). */
export const STREAM_TERMINATED_CAUSE = 'error sending: chaincode stream terminated';
/** The cause at the execute timeout. */
export const EXECUTE_TIMEOUT_CAUSE = 'error sending: timeout expired while executing transaction';

export async function submit(peer: Peer, chaincode: string, args: (string | Uint8Array)[], o: CallOptions = {}): Promise<Result> {
  const { timeoutMs = 20_000, ...rest } = o;
  return withText(await withTimeout(peer.invoke({ ...rest, chaincode, args, submit: true }), timeoutMs, `invoke ${chaincode} ${String(args[0])}`));
}

/** Evaluate (never commits). */
export async function evaluate(peer: Peer, chaincode: string, args: (string | Uint8Array)[], o: CallOptions = {}): Promise<Result> {
  const { timeoutMs = 20_000, ...rest } = o;
  return withText(await withTimeout(peer.invoke({ ...rest, chaincode, args, submit: false }), timeoutMs, `query ${chaincode} ${String(args[0])}`));
}

/** Submit and require status 200 + committed; returns the result. */
export async function ok(peer: Peer, chaincode: string, args: (string | Uint8Array)[], o: CallOptions = {}): Promise<Result> {
  const r = await submit(peer, chaincode, args, o);
  if (r.status !== 200 || !r.committed) throw new Error(`expected a committed 200 from ${chaincode} ${args.map(String).join(' ')}, got ${r.status}: ${r.message}`);
  return r;
}

/** Evaluate and require status 200; returns the result. */
export async function read(peer: Peer, chaincode: string, args: (string | Uint8Array)[], o: CallOptions = {}): Promise<Result> {
  const r = await evaluate(peer, chaincode, args, o);
  if (r.status !== 200) throw new Error(`expected 200 from ${chaincode} ${args.map(String).join(' ')}, got ${r.status}: ${r.message}`);
  return r;
}

/** Value of a public key through the chaincode's `get` ('' when absent). */
export async function getValue(peer: Peer, chaincode: string, key: string, o: CallOptions = {}): Promise<string> {
  return (await read(peer, chaincode, ['get', key], o)).text;
}

// ---------------------------------------------------------------------------------------------
// Waiting

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until the peer lists `name` as ready (a user-run chaincode has registered). */
export async function waitReady(peer: Peer, name: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => peer.listChaincodes().some((c) => c.name === name && c.state === 'ready'), timeoutMs, `chaincode ${name} to be ready`);
}

// ---------------------------------------------------------------------------------------------
// Child processes the tests start themselves (user-run chaincode, CCaaS servers)

export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they came, interleaved (the last ~200–400 kB). */
  output(): string;
  /** Resolves with the exit code/signal (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Wait for a line of stdout matching `re`; resolves with the match. */
  waitLine(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, SIGKILL after `graceMs` (default 2 s); resolves when the process is gone. */
  kill(): Promise<void>;
}

const children = new Set<Child>();
const OUTPUT_KEEP = 400_000;

/**
 * Starts `program` (a Node fixture through spawnChild, a Go binary, a JVM…) with extra environment
 * on top of ours, tracked in `registry` (default: the one killChildren() empties), so that each
 * suite can kill what it started when it chooses.
 */
export function spawnProcess(program: string, args: string[], env: Record<string, string> = {}, registry: Set<Child> = children, graceMs = 2000): Child {
  const proc = spawn(program, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let all = '';
  const keep = (d: Buffer, to: 'out' | 'err') => {
    const text = d.toString('utf8');
    if (to === 'out') out += text;
    else err += text;
    all += text;
    if (all.length > OUTPUT_KEEP) all = all.slice(-OUTPUT_KEEP / 2);
  };
  proc.stdout!.on('data', (d: Buffer) => keep(d, 'out'));
  proc.stderr!.on('data', (d: Buffer) => keep(d, 'err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    proc.on('error', () => res({ code: null, signal: null }));
    proc.on('close', (code, signal) => res({ code, signal }));
  });
  const child: Child = {
    proc,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exited,
    async waitLine(re, timeoutMs = 15_000) {
      let m: RegExpMatchArray | null = null;
      let gone = false;
      void exited.then(() => (gone = true));
      await waitFor(
        () => {
          m = out.match(re);
          if (!m && gone) throw new Error(`child exited before printing ${String(re)}; stderr:\n${err}`);
          return m !== null;
        },
        timeoutMs,
        `child output ${String(re)}; stderr:\n${err}`,
      );
      return m!;
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      registry.delete(child);
    },
  };
  registry.add(child);
  void exited.then(() => registry.delete(child));
  return child;
}

/** A Node process (this Node binary) running `args`. */
export function spawnChild(args: string[], env: Record<string, string> = {}): Child {
  return spawnProcess(NODE, args, env);
}

export async function killChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill()));
}

/**
 * A user-run (dev mode) fabric-shim chaincode dialling the peer, as a developer starts it:
 * CORE_CHAINCODE_ID_NAME=name:1.0 and --peer.address; with TLS the files and variables fabric-shim
 * reads (client key/cert as base64 of the PEM under *_PATH).
 */
export function startUserRun(peer: Peer, name: string, o: { tls?: boolean; file?: string; env?: Record<string, string>; idName?: string } = {}): Child {
  const env: Record<string, string> = { CORE_CHAINCODE_ID_NAME: o.idName ?? `${name}:1.0`, CORE_PEER_TLS_ENABLED: 'false', ...o.env };
  if (o.tls) {
    const client = peer.clientTlsFor(name);
    const root = peer.tlsRootCertPem;
    if (!client || !root) throw new Error('peer has no TLS');
    const dir = tempDir('ccproto-e2e-tls-');
    const file = (n: string, content: string) => {
      const p = join(dir, n);
      writeFileSync(p, content, { mode: 0o600 });
      return p;
    };
    env.CORE_PEER_TLS_ENABLED = 'true';
    env.CORE_PEER_TLS_ROOTCERT_FILE = file('root.crt', root);
    env.CORE_TLS_CLIENT_KEY_PATH = file('client.key.b64', Buffer.from(client.keyPem).toString('base64'));
    env.CORE_TLS_CLIENT_CERT_PATH = file('client.crt.b64', Buffer.from(client.certPem).toString('base64'));
  }
  return spawnChild([o.file ?? SHIM_BASIC, `--peer.address=${peer.chaincodeAddress}`], env);
}

// ---------------------------------------------------------------------------------------------
// Temporary directories

const temps = new Set<string>();

export function tempDir(prefix = 'ccproto-e2e-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.add(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  temps.clear();
}

/** Standard teardown: children, temp dirs. */
export async function cleanup(): Promise<void> {
  await killChildren();
  removeTempDirs();
}

export const COLLECTION = 'secret';

/** The member-only Org1 collection of the brief. */
export const collectionsFor = (...names: string[]): Record<string, unknown[]> =>
  Object.fromEntries(
    names.map((n) => [
      n,
      [{ name: COLLECTION, policy: "OR('Org1MSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: true, memberOnlyWrite: true }],
    ]),
  );
