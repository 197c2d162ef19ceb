/**
 * `ccproto proxy --listen HOST:PORT --upstream HOST:PORT --trace FILE [--mode register|ccaas]
 * [TLS options for each side]`: forwards peer ⇄ chaincode streams unchanged and writes a trace
 * (src/proxy/proxy.ts, docs/conformance.md). Runs until SIGINT/SIGTERM; findings are logged as they
 * happen.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { startProxy } from '../proxy/proxy.js';
import { TraceRecorder } from '../trace/recorder.js';
import type { ServerTlsOptions } from '../transport/index.js';
import { UsageError, parseHostPort } from './args.js';
import { EXIT_OK, firstSignal, type CliIo } from './io.js';
import { clientTlsFromFlags, readPemFile } from './tlsFiles.js';

export interface ProxyCommandOptions {
  listen: string;
  upstream?: string;
  trace?: string;
  mode: string;
  listenTlsCert?: string;
  listenTlsKey?: string;
  listenTlsClientCa?: string;
  upstreamTlsRootCert?: string;
  upstreamTlsClientCert?: string;
  upstreamTlsClientKey?: string;
  upstreamTlsServerName?: string;
}

export async function runProxyCommand(opts: ProxyCommandOptions, io: CliIo): Promise<number> {
  if (!opts.upstream) throw new UsageError('--upstream HOST:PORT is required (the peer in register mode, the chaincode server in ccaas mode)');
  if (!opts.trace) throw new UsageError('--trace FILE is required');
  if (opts.mode !== 'register' && opts.mode !== 'ccaas') throw new UsageError(`--mode must be register or ccaas, not ${JSON.stringify(opts.mode)}`);
  const listen = parseHostPort(opts.listen, '--listen');
  const upstream = parseHostPort(opts.upstream, '--upstream');
  const cwd = io.cwd ?? process.cwd();
  const listenTls = serverTls(opts, cwd);
  const upstreamTls = clientTlsFromFlags(
    { rootCert: opts.upstreamTlsRootCert, clientCert: opts.upstreamTlsClientCert, clientKey: opts.upstreamTlsClientKey, serverName: opts.upstreamTlsServerName },
    { rootCert: '--upstream-tls-root-cert', clientCert: '--upstream-tls-client-cert', clientKey: '--upstream-tls-client-key', serverName: '--upstream-tls-server-name' },
    '--upstream',
    cwd,
  );

  const file = createWriteStream(resolve(cwd, opts.trace), { flags: 'w' });
  const fileError = new Promise<Error>((r) => file.once('error', r));
  // Lines of one event-loop turn go to the file in one write.
  let batch: string[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    file.write(batch.join(''));
    batch = [];
  };
  const recorder = new TraceRecorder((line) => {
    if (batch.length === 0) setImmediate(flush);
    batch.push(line);
  });

  const proxy = await startProxy({
    mode: opts.mode,
    listen: { ...listen, ...(listenTls ? { tls: listenTls } : {}) },
    upstream: { address: `${upstream.host}:${upstream.port}`, ...(upstreamTls ? { tls: upstreamTls } : {}) },
    recorder,
    onFinding: (stream, f) =>
      void io.stderr.write(`stream ${stream}: ${f.code} (${f.blame} to blame) on ${f.got}${f.txid ? ` tx ${f.txid}` : ''} in ${f.state}: expected ${f.expected}\n`),
    onError: (stream, message) => void io.stderr.write(`stream ${stream}: ${message}\n`),
  });
  io.stderr.write(`ccproto proxy: listening on ${proxy.address} (${opts.mode}), upstream ${upstream.host}:${upstream.port}, trace ${opts.trace}\n`);
  io.onProxyReady?.(proxy.address);

  const signal = firstSignal();
  const stopReason = await Promise.race([
    io.waitForShutdown ? io.waitForShutdown() : signal.signal,
    fileError.then((e) => `trace file: ${e.message}`),
  ]);
  signal.dispose();
  await proxy.close();
  flush();
  await new Promise<void>((r) => file.end(r));
  io.stderr.write(`ccproto proxy: stopped (${stopReason})\n`);
  return EXIT_OK;
}

function serverTls(opts: ProxyCommandOptions, cwd: string): ServerTlsOptions | undefined {
  const { listenTlsCert: cert, listenTlsKey: key, listenTlsClientCa: ca } = opts;
  if (!cert && !key && !ca) return undefined;
  if (!cert || !key) throw new UsageError('TLS on --listen needs both --listen-tls-cert and --listen-tls-key');
  return {
    certPem: readPemFile(cert, '--listen-tls-cert', cwd),
    keyPem: readPemFile(key, '--listen-tls-key', cwd),
    ...(ca ? { clientCaPem: readPemFile(ca, '--listen-tls-client-ca', cwd), requireClientCert: true } : {}),
  };
}
