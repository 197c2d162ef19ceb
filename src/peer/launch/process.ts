/**
 * Launches chaincode as a local process, the way Fabric's launchers do (docs/protocol.md §3.3, §4): the
 * command is run without a shell, `--peer.address=HOST:PORT` is appended (a form the Go, Node and
 * Java shims all accept), and the environment carries CORE_CHAINCODE_ID_NAME,
 * CORE_PEER_TLS_ENABLED, the TLS file variables, CORE_PEER_LOCALMSPID and the three logging
 * variables (see CHAINCODE_LOGGING_DEFAULTS). With TLS, the key and
 * certificates are written to a private directory under both naming schemes Fabric's Docker
 * launcher uses (`*_PATH`: base64 of the PEM, read by Node and Java; `*_FILE`: plain PEM, preferred
 * by Go; fabric core/container/dockercontroller/dockercontroller.go).
 *
 * Output is captured line by line and handed to `onOutput`; the tail of stderr is kept so that an
 * early exit can be explained (`exited with code 1: <last lines>`).
 *
 * A chaincode never outlives the peer process that launched it: whatever way that process exits
 * (`process.exit` on a second Ctrl-C, an uncaught error), the processes still running are killed
 * on its `exit` event. Only a SIGKILL of the peer itself leaves them behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCommand } from './splitCommand.js';

export interface ProcessLaunchOptions {
  /** Invocation name (used in messages). */
  name: string;
  /** ChaincodeID.name the process registers with (CORE_CHAINCODE_ID_NAME). */
  chaincodeIdName: string;
  command: string;
  cwd?: string | undefined;
  env?: Record<string, string> | undefined;
  peerAddress: string;
  mspId: string;
  tls?: { rootCertPem: string; clientCertPem: string; clientKeyPem: string } | undefined;
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface LaunchedProcess {
  readonly pid: number | undefined;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderrTail: string; spawnError?: string }>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 20;

/**
 * What Fabric's launcher puts in every chaincode's environment from `chaincode.logging.*`
 * (core/chaincode ContainerRuntime CommonEnv), with core.yaml's defaults. As in Fabric, where these
 * variables in the peer's own environment override the configuration (viper's CORE_ prefix), a value
 * in the peer's environment wins; a chaincode's `env` option wins over both.
 */
export const CHAINCODE_LOGGING_DEFAULTS: Readonly<Record<string, string>> = {
  CORE_CHAINCODE_LOGGING_LEVEL: 'info',
  CORE_CHAINCODE_LOGGING_SHIM: 'warning',
  CORE_CHAINCODE_LOGGING_FORMAT:
    '%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}',
};

/** Every launched process still running, with its private TLS folder. */
const running = new Map<ChildProcess, string | undefined>();

/** Runs on the launching process's `exit` event, so only synchronous work: a SIGKILL each. */
function killRunning(): void {
  for (const [child, tlsDir] of running) {
    child.kill('SIGKILL');
    if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
  }
  running.clear();
}

export function launchProcess(o: ProcessLaunchOptions): LaunchedProcess {
  const [program, ...args] = splitCommand(o.command);
  if (!program) throw new Error(`empty command for chaincode ${o.name}`);
  args.push(`--peer.address=${o.peerAddress}`);

  let tlsDir: string | undefined;
  const env: Record<string, string> = {
    ...CHAINCODE_LOGGING_DEFAULTS,
    ...(process.env as Record<string, string>),
    ...o.env,
    CORE_CHAINCODE_ID_NAME: o.chaincodeIdName,
    CORE_PEER_ADDRESS: o.peerAddress,
    CORE_PEER_LOCALMSPID: o.mspId,
    CORE_PEER_TLS_ENABLED: o.tls ? 'true' : 'false',
  };
  if (o.tls) {
    tlsDir = mkdtempSync(join(tmpdir(), 'ccproto-cc-tls-'));
    const file = (n: string, content: string) => {
      const p = join(tlsDir!, n);
      writeFileSync(p, content, { mode: 0o600 });
      return p;
    };
    env.CORE_TLS_CLIENT_KEY_PATH = file('client.key', Buffer.from(o.tls.clientKeyPem).toString('base64'));
    env.CORE_TLS_CLIENT_CERT_PATH = file('client.crt', Buffer.from(o.tls.clientCertPem).toString('base64'));
    env.CORE_TLS_CLIENT_KEY_FILE = file('client_pem.key', o.tls.clientKeyPem);
    env.CORE_TLS_CLIENT_CERT_FILE = file('client_pem.crt', o.tls.clientCertPem);
    env.CORE_PEER_TLS_ROOTCERT_FILE = file('peer.crt', o.tls.rootCertPem);
  }

  const tail: string[] = [];
  let child: ChildProcess;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderrTail: string; spawnError?: string }>((resolve) => {
    child = spawn(program, args, { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (running.size === 0) process.once('exit', killRunning);
    running.set(child, tlsDir);
    const lines = (stream: 'stdout' | 'stderr') => {
      let buf = '';
      return (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          if (stream === 'stderr') {
            tail.push(line);
            if (tail.length > TAIL_LINES) tail.shift();
          }
          o.onOutput?.(stream, line);
        }
      };
    };
    child.stdout!.on('data', lines('stdout'));
    child.stderr!.on('data', lines('stderr'));
    let spawnError: string | undefined;
    child.on('error', (err) => {
      spawnError = err.message;
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (running.size === 0) process.off('exit', killRunning);
      if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
      resolve({ code, signal, stderrTail: tail.join('\n'), ...(spawnError ? { spawnError } : {}) });
    });
  });

  return {
    get pid() {
      return child.pid;
    },
    exited,
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return void (await exited);
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** A one-line explanation of an exit, for launch errors. */
export function describeExit(e: { code: number | null; signal: NodeJS.Signals | null; stderrTail: string; spawnError?: string }): string {
  const how = e.spawnError ? `could not be started: ${e.spawnError}` : e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  return e.stderrTail ? `${how}; stderr:\n${e.stderrTail}` : how;
}
