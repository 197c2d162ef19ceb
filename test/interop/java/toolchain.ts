/**
 * The Java interop tests' toolchain and processes.
 *
 * Importing this module builds the Java chaincode if needed (build.mjs: `mvn package` only when the
 * jar is missing or older than its sources). When that is impossible (no `java` or `mvn` on PATH,
 * Maven Central unreachable, a failed build): with CI=true the import throws, so CI can never skip
 * these suites silently; otherwise `JAVA.ok` is false, the reason is printed with console.warn, and
 * the suites skip (`describe.skipIf(!JAVA.ok)`).
 *
 * Every Java process started here (user-run chaincode, CCaaS servers) is tracked and killed by
 * `killJava()`; every wait is bounded.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import type { Peer } from '../../../src/peer/peer.js';
import { spawnProcess, tempDir, waitFor, type Child } from '../../peer/e2e/helpers.js';

type BuildResult = { ok: true; jars: Record<string, string> } | { ok: false; reason: string };

// build.mjs is plain JavaScript without type declarations: imported by URL, typed here.
const buildModule = new URL('./build.mjs', import.meta.url).href;
const { buildJava } = (await import(buildModule)) as { buildJava: () => Promise<BuildResult> };

const built = await buildJava();
if (!built.ok) {
  if (process.env.CI === 'true') throw new Error(`Java interop tests cannot run on CI: ${built.reason}`);
  console.warn(`skipping the Java interop tests: ${built.reason}`);
}

/**
 * The peer's text for a chaincode's ERROR: `transaction returned with failure: <ERROR payload>`
 * (fabric core/chaincode/chaincode_support.go processChaincodeExecutionResult), which Fabric's
 * endorser prefixes with `error in simulation: ` (core/endorser/endorser.go); the dev peer is
 * taking that prefix on (issue #9), so both forms are accepted. `rest` matches the payload.
 */
export function failure(rest: RegExp): RegExp {
  return new RegExp(`^(?:error in simulation: )?transaction returned with failure: ${rest.source}`, rest.flags);
}

/** The build's outcome: `describe.skipIf(!JAVA.ok)`. */
export const JAVA: BuildResult = built;

/** The fat jar holding both chaincodes ('' when the build is not ok: the suites skip). */
export const JAR = built.ok ? built.jars.chaincode! : '';

/**
 * JVM options for short-lived test chaincode: the client compiler only and the serial collector
 * start a JVM noticeably faster on a small machine; a bounded heap keeps several JVMs affordable.
 */
export const JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xms32m', '-Xmx256m'];

export type JavaChaincode = 'command' | 'contract';

/** Quote for the peer's splitCommand (single quotes keep everything literally). */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The launch command (`--chaincode NAME=COMMAND`, PeerOptions `{ kind: 'process', command }`). */
export function javaCommand(which: JavaChaincode = 'command'): string {
  return ['java', ...JVM_OPTIONS, '-jar', JAR, which].map(q).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Java processes started by the tests

/** A JVM started by the tests (test/peer/e2e/helpers.ts `Child`; `output()` interleaves stdout and stderr). */
export type JavaChild = Child;

const children = new Set<JavaChild>();

export function spawnJava(which: JavaChaincode, env: Record<string, string>, args: string[] = []): JavaChild {
  return spawnProcess('java', [...JVM_OPTIONS, '-jar', JAR, which, ...args], env, children, 3000);
}

export async function killJava(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill()));
}

/** Writes `content` into a fresh private file (removed by the e2e helpers' removeTempDirs). */
function privateFile(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content, { mode: 0o600 });
  return p;
}

/**
 * A user-run (dev mode) Java chaincode dialling the peer as a developer starts it:
 * CORE_CHAINCODE_ID_NAME=NAME:1.0 and --peer.address; with TLS the files and variables the Java
 * shim reads (ChaincodeBase.processEnvironmentOptions: CORE_PEER_TLS_ROOTCERT_FILE as PEM,
 * CORE_TLS_CLIENT_KEY_PATH / CORE_TLS_CLIENT_CERT_PATH as base64 of the PEM).
 */
export function startJavaUserRun(peer: Peer, name: string, o: { tls?: boolean; which?: JavaChaincode; env?: Record<string, string>; address?: string } = {}): JavaChild {
  const env: Record<string, string> = { CORE_CHAINCODE_ID_NAME: `${name}:1.0`, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_LOCALMSPID: 'Org1MSP', ...o.env };
  if (o.tls) {
    const client = peer.clientTlsFor(name);
    const root = peer.tlsRootCertPem;
    if (!client || !root) throw new Error('the peer has no TLS');
    const dir = tempDir('ccproto-java-tls-');
    env.CORE_PEER_TLS_ENABLED = 'true';
    env.CORE_PEER_TLS_ROOTCERT_FILE = privateFile(dir, 'root.crt', root);
    env.CORE_TLS_CLIENT_KEY_PATH = privateFile(dir, 'client.key.b64', Buffer.from(client.keyPem).toString('base64'));
    env.CORE_TLS_CLIENT_CERT_PATH = privateFile(dir, 'client.crt.b64', Buffer.from(client.certPem).toString('base64'));
  }
  return spawnJava(o.which ?? 'command', env, [`--peer.address=${o.address ?? peer.chaincodeAddress}`]);
}

export interface ServerTls {
  /** The server's certificate and key (PEM). */
  certPem: string;
  keyPem: string;
  /** CA of the client certificates to require (mutual TLS). */
  clientCaPem?: string;
}

/**
 * A Java chaincode server (chaincode-as-a-service) on 127.0.0.1:`port`, registering as `ccid`.
 * TLS as the Java shim reads it in server mode (ChaincodeBase.getChaincodeServerConfig):
 * CORE_PEER_TLS_ENABLED=true, CORE_TLS_CLIENT_CERT_FILE / CORE_TLS_CLIENT_KEY_FILE (PEM) are the
 * server's certificate and key; CHAINCODE_TLS_CLIENT_CA_FILE (ours, see CommandChaincode) turns on
 * client authentication. The shim's validateOptions() and its per-connection client TLS context
 * also insist on CORE_TLS_CLIENT_CERT_PATH / CORE_TLS_CLIENT_KEY_PATH (base64 of the PEM) and
 * CORE_PEER_TLS_ROOTCERT_FILE naming readable files: the same material is given there.
 * Resolves once the port accepts connections.
 */
export async function startJavaServer(which: JavaChaincode, port: number, ccid: string, tls?: ServerTls): Promise<JavaChild> {
  const env: Record<string, string> = { CHAINCODE_SERVER_ADDRESS: `127.0.0.1:${port}`, CORE_CHAINCODE_ID_NAME: ccid, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_LOCALMSPID: 'Org1MSP' };
  if (tls) {
    const dir = tempDir('ccproto-java-ccaas-');
    env.CORE_PEER_TLS_ENABLED = 'true';
    env.CORE_TLS_CLIENT_CERT_FILE = privateFile(dir, 'server.crt', tls.certPem);
    env.CORE_TLS_CLIENT_KEY_FILE = privateFile(dir, 'server.key', tls.keyPem);
    env.CORE_TLS_CLIENT_CERT_PATH = privateFile(dir, 'server.crt.b64', Buffer.from(tls.certPem).toString('base64'));
    env.CORE_TLS_CLIENT_KEY_PATH = privateFile(dir, 'server.key.b64', Buffer.from(tls.keyPem).toString('base64'));
    env.CORE_PEER_TLS_ROOTCERT_FILE = privateFile(dir, 'root.crt', tls.clientCaPem ?? tls.certPem);
    if (tls.clientCaPem) env.CHAINCODE_TLS_CLIENT_CA_FILE = privateFile(dir, 'client-ca.crt', tls.clientCaPem);
  }
  const child = spawnJava(which, env);
  let gone = false;
  void child.exited.then(() => (gone = true));
  await waitFor(
    async () => {
      if (gone) throw new Error(`the Java chaincode server exited before listening; output:\n${child.output()}`);
      return accepts(port);
    },
    60_000,
    `the Java chaincode server on port ${port}; output:\n${child.output()}`,
    200,
  );
  return child;
}

/** Whether 127.0.0.1:port accepts a TCP connection (closed at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}
