/**
 * Helpers for running the Go shim's chaincode (test/interop/go/bin/*, built by toolchain.ts)
 * against our peer. Peers, invocations, waits, temp dirs and the protocol-trace recorder come from
 * test/peer/e2e/helpers.ts and test/chaincode/devpeer/helpers.ts; this adds what is particular to
 * a native binary: spawning it (those helpers spawn Node), the Go shim's user-run environment, and
 * its chaincode server (CCaaS) with or without (mutual) TLS.
 *
 * Every process started here is tracked and killed by `killGoChildren()`; every wait is bounded.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import type { Peer } from '../../../src/peer/peer.js';
import { serverTls } from '../../chaincode/devpeer/helpers.js';
import { spawnProcess, tempDir, waitFor, type Child } from '../../peer/e2e/helpers.js';

/** A Go process started by the tests (test/peer/e2e/helpers.ts `Child`). */
export type GoChild = Child;

const children = new Set<GoChild>();

/** Starts a binary with extra environment (on top of ours), tracked for killGoChildren(). */
export function spawnGo(bin: string, args: string[], env: Record<string, string>): GoChild {
  return spawnProcess(bin, args, env, children);
}

export async function killGoChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill()));
}

function writeFiles(files: Record<string, string>): Record<string, string> {
  const dir = tempDir('ccproto-go-tls-');
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], content, { mode: 0o600 });
  }
  return paths;
}

/**
 * A user-run (dev mode) Go chaincode dialling the peer, started the way a developer starts it:
 * CORE_CHAINCODE_ID_NAME=NAME:1.0, CORE_PEER_TLS_ENABLED (the Go shim requires it) and
 * --peer.address; with TLS, the PEM files the Go shim prefers (CORE_TLS_CLIENT_KEY_FILE,
 * CORE_TLS_CLIENT_CERT_FILE) from peer.clientTlsFor, and the peer's CA.
 */
export function startGoUserRun(peer: Peer, bin: string, name: string, o: { tls?: boolean; idName?: string; env?: Record<string, string>; address?: string } = {}): GoChild {
  const env: Record<string, string> = { CORE_CHAINCODE_ID_NAME: o.idName ?? `${name}:1.0`, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_LOCALMSPID: 'Org1MSP', ...o.env };
  if (o.tls) {
    const client = peer.clientTlsFor(name);
    const root = peer.tlsRootCertPem;
    if (!client || !root) throw new Error('the peer has no TLS');
    const f = writeFiles({ 'client.key': client.keyPem, 'client.crt': client.certPem, 'peer.crt': root });
    Object.assign(env, {
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_TLS_CLIENT_KEY_FILE: f['client.key']!,
      CORE_TLS_CLIENT_CERT_FILE: f['client.crt']!,
      CORE_PEER_TLS_ROOTCERT_FILE: f['peer.crt']!,
    });
  }
  return spawnGo(bin, [`--peer.address=${o.address ?? peer.chaincodeAddress}`], env);
}

/** true when something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      res(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

export type ServerTlsMode = 'off' | 'tls' | 'mutual';

export interface GoServer {
  child: GoChild;
  /** 127.0.0.1:PORT it listens on. */
  address: string;
  /** For the peer's `{ kind: 'ccaas', address, tls }`. */
  peerTls?: { rootCertPem: string; clientCertPem?: string; clientKeyPem?: string };
}

/**
 * A Go chaincode in server mode (shim.ChaincodeServer): asked to listen on 127.0.0.1:0, it prints
 * the address it chose (internal/serve); ready once the port accepts connections. TLS material from
 * serverTls() (src/identity): a server certificate for 127.0.0.1, and with 'mutual' the CA the
 * peer's client certificate must chain to.
 */
export async function startGoServer(bin: string, ccid: string, tls: ServerTlsMode = 'off', timeoutMs = 20_000): Promise<GoServer> {
  const env: Record<string, string> = { CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0', CORE_CHAINCODE_ID: ccid, CORE_PEER_LOCALMSPID: 'Org1MSP' };
  let peerTls: GoServer['peerTls'];
  if (tls !== 'off') {
    const m = serverTls();
    env.CORE_CHAINCODE_TLS_KEY_FILE = m.env.CORE_CHAINCODE_TLS_KEY_FILE!;
    env.CORE_CHAINCODE_TLS_CERT_FILE = m.env.CORE_CHAINCODE_TLS_CERT_FILE!;
    if (tls === 'mutual') {
      env.CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE = m.env.CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE!;
      peerTls = m.peerTls;
    } else {
      peerTls = { rootCertPem: m.rootCertPem };
    }
  }
  for (let attempt = 1; ; attempt++) {
    const child = spawnGo(bin, [], env);
    let gone = false;
    void child.exited.then(() => (gone = true));
    let address: string | undefined;
    try {
      await waitFor(
        async () => {
          address ??= /listening on (127\.0\.0\.1:\d+) tls=(\w+)/.exec(child.stdout())?.[1];
          if (gone) return true;
          if (!address) return false;
          const [host, port] = address.split(':');
          return accepts(host!, Number(port));
        },
        timeoutMs,
        `Go chaincode server ${bin} to listen`,
        50,
      );
    } catch (err) {
      await child.kill();
      throw new Error(`${(err as Error).message}; stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
    }
    if (!gone) return { child, address: address!, ...(peerTls ? { peerTls } : {}) };
    // The port it picked was taken before it listened again: try once more.
    if (attempt >= 3) throw new Error(`Go chaincode server ${bin} exited before listening; stderr:\n${child.stderr()}`);
  }
}

/** A CCaaS package id as Fabric's lifecycle makes them (LABEL:SHA256). */
export const packageId = (label: string): string => `${label}:${'5e5b6f0c9a1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff0011'}`;

/** A launch command for the peer's splitCommand (single quotes keep the path literal). */
export const binCommand = (bin: string): string => `'${bin.replace(/'/g, `'\\''`)}'`;
