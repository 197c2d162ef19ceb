/**
 * `ccproto fuzz chaincode [--seconds N] [--sessions N] [--seed S] [--out DIR] -- COMMAND [ARGS…]` and
 * `ccproto fuzz peer --peer HOST:PORT [--seconds N] [--sessions N] [--seed S] [--out DIR]`: generated sessions
 * against an external implementation over real gRPC (src/fuzz/). The seed is printed first. A
 * finding (crash, hang, violation) is shrunk, written as a trace `ccproto check` and `ccproto trace
 * render` read, and exits 1; a budget spent with nothing found exits 0.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chaincodeTarget } from '../fuzz/chaincodeTarget.js';
import { fuzz, type FuzzReport, type FuzzTarget } from '../fuzz/engine.js';
import { peerTarget } from '../fuzz/peerTarget.js';
import { UsageError, parseCount, parseDuration, parseHostPort } from './args.js';
import { EXIT_FAILED, EXIT_OK, errorText, type CliIo } from './io.js';
import { PEER_TLS_FLAGS, clientTlsFromFlags } from './tlsFiles.js';

export interface FuzzCommandOptions {
  seconds?: string;
  sessions?: string;
  shrinkRuns?: string;
  seed?: string;
  out?: string;
  peer?: string;
  replyTimeout?: string;
  noKeepalive?: boolean;
  tlsRootCert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

interface Budget {
  seconds: number;
  seed: number;
  sessions?: number;
  shrinkRuns?: number;
}

function common(opts: FuzzCommandOptions): Budget & { replyTimeoutMs?: number } {
  const seconds = opts.seconds === undefined ? 60 : Number(opts.seconds);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--seconds must be a positive number, not ${JSON.stringify(opts.seconds)}`);
  const seed = opts.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not ${JSON.stringify(opts.seed)}`);
  return {
    seconds,
    seed,
    ...(opts.sessions !== undefined ? { sessions: parseCount(opts.sessions, '--sessions') } : {}),
    ...(opts.shrinkRuns !== undefined ? { shrinkRuns: parseCount(opts.shrinkRuns, '--shrink-runs') } : {}),
    ...(opts.replyTimeout ? { replyTimeoutMs: parseDuration(opts.replyTimeout, '--reply-timeout') } : {}) };
}

export async function runFuzzChaincodeCommand(command: string[], opts: FuzzCommandOptions, io: CliIo): Promise<number> {
  if (command.length === 0) throw new UsageError('give the chaincode command after --: ccproto fuzz chaincode -- node chaincode.js');
  const c = common(opts);
  const target = chaincodeTarget({ command, ...(c.replyTimeoutMs ? { replyTimeoutMs: c.replyTimeoutMs } : {}), ...(opts.noKeepalive ? { noKeepalive: true } : {}) });
  return run('chaincode', target, c, opts, io);
}

export async function runFuzzPeerCommand(opts: FuzzCommandOptions, io: CliIo): Promise<number> {
  if (!opts.peer) throw new UsageError("--peer HOST:PORT is required (the peer's chaincode listener)");
  const { host, port } = parseHostPort(opts.peer, '--peer');
  const c = common(opts);
  const tls = clientTlsFromFlags({ rootCert: opts.tlsRootCert, clientCert: opts.tlsClientCert, clientKey: opts.tlsClientKey }, PEER_TLS_FLAGS, 'the peer', io.cwd ?? process.cwd());
  const target = peerTarget({ peer: `${host}:${port}`, ...(tls ? { tls } : {}), ...(c.replyTimeoutMs ? { replyTimeoutMs: c.replyTimeoutMs } : {}) });
  return run('peer', target, c, opts, io);
}

async function run<S>(what: 'chaincode' | 'peer', target: FuzzTarget<S>, c: Budget, opts: FuzzCommandOptions, io: CliIo): Promise<number> {
  const most = c.sessions === undefined ? '' : `, at most ${c.sessions} session(s)`;
  io.stdout.write(`ccproto fuzz ${what}: seed ${c.seed}, ${c.seconds} s${most} (replay with --seed ${c.seed})\n`);
  let report: FuzzReport;
  try {
    report = await fuzz(target, c);
  } catch (err) {
    io.stderr.write(`ccproto fuzz: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }
  const summary = `${report.sessions} session(s) in ${report.seconds.toFixed(1)} s`;
  if (!report.finding) {
    io.stdout.write(`${summary}: nothing found\n`);
    return EXIT_OK;
  }
  const f = report.finding;
  const dir = opts.out ? resolve(io.cwd ?? process.cwd(), opts.out) : mkdtempSync(join(tmpdir(), 'ccproto-fuzz-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-${what}-${c.seed}.jsonl`);
  writeFileSync(file, f.trace.join(''));
  io.stdout.write(
    [
      `${summary}: found a ${f.kind}`,
      `  ${f.detail}`,
      `  session (shrunk, ${f.actions.length} action(s)):`,
      ...f.actions.map((a) => `    ${a}`),
      `  trace: ${file}  (ccproto check ${file}; ccproto trace render ${file} --format html --out finding.html)`,
      '',
    ].join('\n'),
  );
  return EXIT_FAILED;
}
