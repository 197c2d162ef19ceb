/**
 * `ccproto invoke` / `ccproto query`: one transaction through the peer's HTTP API, printed as one
 * JSON object (docs/cli.md). Also the small API read commands `chaincodes`, `channels` and `tls`.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { ApiInvokeBody, ApiInvokeResult } from '../peer/http/wire.js';
import { decodeBase64Strict } from '../peer/http/wire.js';
import { UsageError, parseApiUrl, parseCtorJson, parseDuration, parseTransientJson } from './args.js';
import { ApiError, callApi } from './client.js';
import { EXIT_API, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, errorText, firstSignal, type CliIo } from './io.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:7080';

/** Options of `ccproto invoke` and `ccproto query`, as commander hands them over. */
export interface TxCommandOptions {
  api: string;
  channel: string;
  name?: string;
  init?: boolean;
  transient?: string;
  transientBase64?: string;
  mspId: string;
  user: string;
  txId?: string;
  ctor?: string;
  argsBase64?: boolean;
  timeout: string;
  pretty?: boolean;
}

/** The API request body for a command line. @throws UsageError */
export function buildTxBody(opts: TxCommandOptions, operands: readonly string[]): ApiInvokeBody {
  if (!opts.name) throw new UsageError('--name is required (the chaincode name)');
  let args: string[];
  if (opts.ctor !== undefined) {
    if (operands.length > 0) throw new UsageError('give the function either with --ctor or after --, not both');
    args = parseCtorJson(opts.ctor);
  } else {
    if (operands.length === 0) throw new UsageError('missing the function: ccproto invoke --name NAME -- FN ARG...');
    args = [...operands];
  }
  const body: ApiInvokeBody = { channel: opts.channel, chaincode: opts.name };
  if (opts.argsBase64) {
    args.forEach((a, i) => {
      if (!decodeBase64Strict(a)) throw new UsageError(`argument ${i + 1} is not valid base64 (--args-base64): ${JSON.stringify(a)}`);
    });
    body.argsBase64 = args;
  } else {
    body.args = args;
  }
  if (opts.transient !== undefined) body.transient = parseTransientJson(opts.transient);
  if (opts.transientBase64 !== undefined) {
    const t = parseTransientJson(opts.transientBase64, '--transient-base64');
    for (const [k, v] of Object.entries(t)) {
      if (!decodeBase64Strict(v)) throw new UsageError(`--transient-base64: the value of ${JSON.stringify(k)} is not valid base64`);
      if (body.transient && Object.prototype.hasOwnProperty.call(body.transient, k)) {
        throw new UsageError(`transient key ${JSON.stringify(k)} is in both --transient and --transient-base64`);
      }
    }
    body.transientBase64 = t;
  }
  if (opts.init) body.init = true;
  body.mspId = opts.mspId;
  body.user = opts.user;
  if (opts.txId !== undefined && opts.txId !== '') body.txId = opts.txId;
  return body;
}

function isApiInvokeResult(v: unknown): v is ApiInvokeResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['status'] === 'number' && typeof r['txId'] === 'string' && Array.isArray(r['events']);
}

/** The first SIGINT/SIGTERM while a call runs (io.interrupted in tests); its listeners go after. */
function interruption(io: CliIo): { promise: Promise<string>; dispose: () => void } {
  if (io.interrupted) return { promise: io.interrupted(), dispose: () => {} };
  const { signal, dispose } = firstSignal();
  return { promise: signal, dispose };
}

function reportApiError(io: CliIo, err: unknown): number {
  io.stderr.write(`ccproto: ${errorText(err)}\n`);
  return EXIT_API;
}

/**
 * Run `ccproto invoke` (submit) or `ccproto query` (evaluate). Prints the API's JSON answer on
 * stdout; exit 0 for status < 400, 1 (message on stderr) otherwise, 3 when the API fails.
 * @throws UsageError for a bad command line.
 */
export async function runTxCommand(kind: 'invoke' | 'query', opts: TxCommandOptions, operands: readonly string[], io: CliIo): Promise<number> {
  const api = parseApiUrl(opts.api);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  const body = buildTxBody(opts, operands);

  let answer: unknown;
  let txId: string | undefined;
  const interrupt = interruption(io);
  try {
    answer = await callApi(api, 'POST', `/${kind}`, body, { timeoutMs, onTxId: (id) => (txId = id), abandon: interrupt.promise });
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'interrupted') {
      // The peer may still finish the call: say which transaction, and where to look it up.
      io.stderr.write(
        txId === undefined
          ? `ccproto: ${err.message} before the peer named the transaction\n`
          : `ccproto: ${err.message}: transaction ${txId} was sent and ${kind === 'invoke' ? 'may still commit' : 'commits nothing'}; ` +
              `look it up with: curl '${api}/transactions/${txId}?channel=${encodeURIComponent(body.channel ?? 'mychannel')}'\n`,
      );
      return EXIT_INTERRUPTED;
    }
    return reportApiError(io, err);
  } finally {
    interrupt.dispose();
  }
  if (!isApiInvokeResult(answer)) {
    io.stderr.write(`ccproto: unexpected answer from ${api}/${kind} (is --api pointing at "ccproto peer"?)\n`);
    return EXIT_API;
  }
  io.stdout.write(JSON.stringify(answer, null, opts.pretty ? 2 : undefined) + '\n');
  if (answer.status >= 400) {
    const message = typeof answer.message === 'string' && answer.message !== '' ? answer.message : '(no message)';
    io.stderr.write(`ccproto: ${kind} ${body.chaincode} failed with status ${answer.status}: ${message}\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

export interface ApiReadOptions {
  api: string;
  timeout: string;
  pretty?: boolean;
}

/** `ccproto chaincodes` / `ccproto channels`: print `GET /chaincodes` / `GET /channels` as JSON. */
export async function runListCommand(what: 'chaincodes' | 'channels', opts: ApiReadOptions, io: CliIo): Promise<number> {
  const api = parseApiUrl(opts.api);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  try {
    const answer = await callApi(api, 'GET', `/${what}`, undefined, { timeoutMs });
    io.stdout.write(JSON.stringify(answer, null, opts.pretty ? 2 : undefined) + '\n');
    return EXIT_OK;
  } catch (err) {
    return reportApiError(io, err);
  }
}

export interface TlsCommandOptions extends ApiReadOptions {
  name?: string;
  out?: string;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * `ccproto tls --name NAME [--out DIR]`: TLS material for a user-run chaincode (peer started with
 * `--tls`). Without `--out` prints `{chaincode, rootCertPem, certPem, keyPem}`; with `--out` writes
 * Fabric's launcher files into DIR (peer.crt; client.crt / client.key = base64 of the PEM;
 * client_pem.crt / client_pem.key = PEM) and prints the `export CORE_…=…` lines that fabric-shim,
 * fabric-chaincode-go and the Java shim read.
 */
export async function runTlsCommand(opts: TlsCommandOptions, io: CliIo): Promise<number> {
  if (!opts.name) throw new UsageError('--name is required (the chaincode name the certificate is for)');
  const api = parseApiUrl(opts.api);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  let answer: unknown;
  try {
    answer = await callApi(api, 'POST', '/tls/client', { chaincode: opts.name }, { timeoutMs });
  } catch (err) {
    return reportApiError(io, err);
  }
  const m = answer as Record<string, unknown> | null;
  if (!m || typeof m['rootCertPem'] !== 'string' || typeof m['certPem'] !== 'string' || typeof m['keyPem'] !== 'string') {
    io.stderr.write(`ccproto: unexpected answer from ${api}/tls/client\n`);
    return EXIT_API;
  }
  if (opts.out === undefined) {
    io.stdout.write(JSON.stringify(answer, null, opts.pretty ? 2 : undefined) + '\n');
    return EXIT_OK;
  }
  const dir = resolve(io.cwd ?? process.cwd(), opts.out);
  // Fabric's launcher layout: *_PATH hold base64 of the PEM (fabric-shim, Java, older Go shims),
  // *_FILE plain PEM (preferred by fabric-chaincode-go).
  const root = m['rootCertPem'];
  const cert = m['certPem'];
  const key = m['keyPem'];
  const files = {
    root: resolve(dir, 'peer.crt'),
    certB64: resolve(dir, 'client.crt'),
    keyB64: resolve(dir, 'client.key'),
    certPem: resolve(dir, 'client_pem.crt'),
    keyPem: resolve(dir, 'client_pem.key'),
  };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(files.root, root);
    await writeFile(files.certB64, Buffer.from(cert).toString('base64'));
    await writeFile(files.certPem, cert);
    for (const [path, content] of [
      [files.keyB64, Buffer.from(key).toString('base64')],
      [files.keyPem, key],
    ] as const) {
      await writeFile(path, content, { mode: 0o600 });
      await chmod(path, 0o600);
    }
  } catch (err) {
    io.stderr.write(`ccproto: cannot write the TLS files into ${dir}: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }
  const lines = [
    `# TLS material for chaincode ${opts.name}; load with: eval "$(ccproto tls --name ${shellQuote(opts.name)} --out ${shellQuote(opts.out)})"`,
    'export CORE_PEER_TLS_ENABLED=true',
    `export CORE_PEER_TLS_ROOTCERT_FILE=${shellQuote(files.root)}`,
    `export CORE_TLS_CLIENT_CERT_PATH=${shellQuote(files.certB64)}`,
    `export CORE_TLS_CLIENT_KEY_PATH=${shellQuote(files.keyB64)}`,
    `export CORE_TLS_CLIENT_CERT_FILE=${shellQuote(files.certPem)}`,
    `export CORE_TLS_CLIENT_KEY_FILE=${shellQuote(files.keyPem)}`,
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return EXIT_OK;
}
