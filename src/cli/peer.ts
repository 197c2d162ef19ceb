/**
 * `ccproto peer`: the dev peer (chaincode listener + HTTP API) until SIGINT/SIGTERM, with one log
 * line per record the peer emits (docs/cli.md).
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';

import { startApiServer, type ApiServer } from '../peer/http/server.js';
import type { ChaincodeLaunch, LogRecord, PeerApi, PeerLimits, PeerOptions } from '../peer/types.js';
import type { GatewayServer } from '../gateway/server.js';
import { DEFAULT_SEND_HIGH_WATER_BYTES, DEFAULT_SEND_MAX_QUEUED_BYTES, type FlowLimits } from '../transport/options.js';
import { DEFAULT_EXECUTE_TIMEOUT_MS } from '../protocol/timers.js';
import { UsageError, formatHostPort, parseAssignment, parseByteSize, parseCount, parseDuration, parseHostPort, type HostPort } from './args.js';
import { ccaasFromCli, type CcaasCliOptions } from './ccaas.js';
import { gatewayFromCli, type GatewayCliOptions, type GatewayConfig } from './gatewayOptions.js';
import type { Peer } from '../peer/peer.js';
import { checkCollectionsJson } from './collections.js';
import { LOG_LEVELS, formatLogRecord, levelEnabled, type LogFormat, type LogLevel } from './format.js';
import { EXIT_FAILED, EXIT_OK, errorText, firstSignal, type CliIo } from './io.js';

/** Options of `ccproto peer`, as commander hands them over. */
export interface PeerCommandOptions extends CcaasCliOptions, GatewayCliOptions {
  listen: string;
  api: string;
  dataDir?: string;
  peerMspId: string;
  collections?: string[];
  chaincode?: string[];
  initRequired?: string[];
  tls?: boolean;
  executeTimeout?: string;
  startupTimeout?: string;
  keepalive?: string;
  maxRecvMsgSize?: string;
  maxSendMsgSize?: string;
  maxTxPerChaincode?: string;
  maxTxPerStream?: string;
  maxChaincodeStreams?: string;
  maxOpenIterators?: string;
  streamHighWater?: string;
  streamMaxQueued?: string;
  streamStallTimeout?: string;
  maxApiRequests?: string;
  maxBodySize?: string;
  shutdownGrace?: string;
  devMode?: boolean;
  logFormat: string;
  logLevel: string;
}

export interface PeerCommandConfig {
  peerOptions: PeerOptions;
  api: HostPort;
  /** API bounds (docs/api.md); absent = the API's defaults. */
  apiLimits: { maxConcurrentRequests?: number; maxBodyBytes?: number };
  /** How long calls in flight may take to finish after a shutdown signal. */
  shutdownGraceMs: number;
  /** The client endpoint (Gateway, Deliver, Endorser) and the organisations. */
  gateway: GatewayConfig;
  logFormat: LogFormat;
  logLevel: LogLevel;
}

/**
 * The `PeerOptions` (without `log`) and API address for a command line; reads the collection files.
 * @throws UsageError
 */
export async function peerConfigFromCli(opts: PeerCommandOptions, cwd: string = process.cwd()): Promise<PeerCommandConfig> {
  const listen = parseHostPort(opts.listen, '--listen');
  const api = parseHostPort(opts.api, '--api');

  if (opts.logFormat !== 'text' && opts.logFormat !== 'json') {
    throw new UsageError(`invalid --log-format ${JSON.stringify(opts.logFormat)} (text or json)`);
  }
  if (!LOG_LEVELS.includes(opts.logLevel as LogLevel)) {
    throw new UsageError(`invalid --log-level ${JSON.stringify(opts.logLevel)} (${LOG_LEVELS.join(', ')})`);
  }
  if (opts.peerMspId.trim() === '') throw new UsageError('--peer-msp-id must not be empty');

  const peerOptions: PeerOptions = { mspId: opts.peerMspId, listenHost: listen.host, listenPort: listen.port };
  if (opts.dataDir !== undefined) peerOptions.dataDir = resolve(cwd, opts.dataDir);
  if (opts.tls) peerOptions.tls = true;
  if (opts.executeTimeout !== undefined) peerOptions.executeTimeoutMs = parseDuration(opts.executeTimeout, '--execute-timeout');
  if (opts.startupTimeout !== undefined) peerOptions.startupTimeoutMs = parseDuration(opts.startupTimeout, '--startup-timeout');
  if (opts.keepalive !== undefined) peerOptions.keepaliveMs = parseDuration(opts.keepalive, '--keepalive');
  if (opts.devMode !== undefined) peerOptions.devMode = opts.devMode;
  if (opts.maxRecvMsgSize !== undefined) peerOptions.maxReceiveMessageLength = parseByteSize(opts.maxRecvMsgSize, '--max-recv-msg-size');
  if (opts.maxSendMsgSize !== undefined) peerOptions.maxSendMessageLength = parseByteSize(opts.maxSendMsgSize, '--max-send-msg-size');

  const limits: PeerLimits = {};
  if (opts.maxTxPerChaincode !== undefined) limits.maxTransactionsPerChaincode = parseCount(opts.maxTxPerChaincode, '--max-tx-per-chaincode');
  if (opts.maxTxPerStream !== undefined) limits.maxTransactionsPerStream = parseCount(opts.maxTxPerStream, '--max-tx-per-stream');
  if (opts.maxChaincodeStreams !== undefined) limits.maxChaincodeStreams = parseCount(opts.maxChaincodeStreams, '--max-chaincode-streams');
  if (opts.maxOpenIterators !== undefined) limits.maxOpenIteratorsPerTransaction = parseCount(opts.maxOpenIterators, '--max-open-iterators');
  if (Object.keys(limits).length > 0) peerOptions.limits = limits;
  const flow: { -readonly [K in keyof FlowLimits]: FlowLimits[K] } = {};
  if (opts.streamHighWater !== undefined) flow.sendHighWaterBytes = parseByteSize(opts.streamHighWater, '--stream-high-water');
  if (opts.streamMaxQueued !== undefined) flow.sendMaxQueuedBytes = parseByteSize(opts.streamMaxQueued, '--stream-max-queued');
  if (opts.streamStallTimeout !== undefined) flow.sendStallTimeoutMs = parseDuration(opts.streamStallTimeout, '--stream-stall-timeout');
  if ((flow.sendMaxQueuedBytes ?? DEFAULT_SEND_MAX_QUEUED_BYTES) < (flow.sendHighWaterBytes ?? DEFAULT_SEND_HIGH_WATER_BYTES)) {
    throw new UsageError('--stream-max-queued must not be below --stream-high-water');
  }
  if (Object.keys(flow).length > 0) peerOptions.flow = flow;
  const apiLimits: PeerCommandConfig['apiLimits'] = {};
  if (opts.maxApiRequests !== undefined) apiLimits.maxConcurrentRequests = parseCount(opts.maxApiRequests, '--max-api-requests');
  if (opts.maxBodySize !== undefined) apiLimits.maxBodyBytes = parseByteSize(opts.maxBodySize, '--max-body-size');
  const shutdownGraceMs =
    opts.shutdownGrace !== undefined ? parseDuration(opts.shutdownGrace, '--shutdown-grace') : (peerOptions.executeTimeoutMs ?? DEFAULT_EXECUTE_TIMEOUT_MS);

  const chaincodes: Record<string, ChaincodeLaunch> = {};
  const addChaincode = (name: string, launch: ChaincodeLaunch, option: string): void => {
    if (name.includes(':')) throw new UsageError(`${option} ${name}: give the name invocations use, without :VERSION`);
    if (Object.prototype.hasOwnProperty.call(chaincodes, name)) throw new UsageError(`chaincode ${JSON.stringify(name)} is given twice`);
    chaincodes[name] = launch;
  };
  for (const spec of opts.chaincode ?? []) {
    const { name, value } = parseAssignment(spec, '--chaincode', 'COMMAND');
    addChaincode(name, { kind: 'process', command: value.trim() }, '--chaincode');
  }
  const ccaas = await ccaasFromCli(opts, cwd, new Set(Object.keys(chaincodes)));
  for (const [name, launch] of ccaas) {
    addChaincode(name, launch, (opts.ccaas ?? []).some((spec) => spec.split('=')[0]!.trim() === name) ? '--ccaas' : '--ccaas-connection');
  }
  if (Object.keys(chaincodes).length > 0) peerOptions.chaincodes = chaincodes;

  // Fabric lifecycle InitRequired (`--init-required` of approveformyorg/commit), per chaincode name.
  const initRequired: string[] = [];
  for (const raw of opts.initRequired ?? []) {
    const name = raw.trim();
    if (name === '' || /[:=\s]/.test(name)) throw new UsageError(`invalid --init-required ${JSON.stringify(raw)} (give the chaincode name invocations use, e.g. --init-required basic)`);
    if (initRequired.includes(name)) throw new UsageError(`--init-required given twice for ${JSON.stringify(name)}`);
    initRequired.push(name);
  }
  if (initRequired.length > 0) peerOptions.initRequired = initRequired;

  const collections: Record<string, unknown[]> = {};
  for (const spec of opts.collections ?? []) {
    const { name, value } = parseAssignment(spec, '--collections', 'FILE');
    if (Object.prototype.hasOwnProperty.call(collections, name)) throw new UsageError(`--collections given twice for ${JSON.stringify(name)}`);
    const file = resolve(cwd, value);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--collections ${name}: cannot read ${file}: ${errorText(err)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--collections ${name}: ${file} is not valid JSON: ${errorText(err)}`);
    }
    await checkCollectionsJson(name, file, parsed);
    collections[name] = parsed as unknown[];
  }
  if (Object.keys(collections).length > 0) peerOptions.collections = collections;

  const gateway = gatewayFromCli(opts, opts.peerMspId, peerOptions.dataDir, cwd);
  peerOptions.network = gateway.network;

  return { peerOptions, api, apiLimits, shutdownGraceMs, gateway, logFormat: opts.logFormat, logLevel: opts.logLevel as LogLevel };
}

/** The real peer, loaded on first use (src/peer/peer.ts: `Peer.start`). */
export async function defaultStartPeer(options: PeerOptions): Promise<PeerApi> {
  const { Peer } = await import('../peer/peer.js');
  return Peer.start(options);
}

/**
 * Resolves with the signal name on the first SIGINT or SIGTERM; a second one exits the process at
 * once (status 130) without a clean shutdown.
 */
export function waitForSignals(io: Pick<CliIo, 'stderr'>): Promise<string> {
  return firstSignal().signal.then((signal) => {
    const force = (again: NodeJS.Signals): void => {
      io.stderr.write(`ccproto: ${again} again, exiting without a clean shutdown\n`);
      process.exit(130);
    };
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    return signal;
  });
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** A logger that formats records onto stdout and never throws into the peer. */
export function makeLogger(io: CliIo, format: LogFormat, threshold: LogLevel): (record: LogRecord) => void {
  return (record) => {
    try {
      if (!levelEnabled(record.level, threshold)) return;
      io.stdout.write(formatLogRecord(record, format, io.now?.() ?? new Date()) + '\n');
    } catch {
      // A closed stdout must not take the peer down.
    }
  };
}

/** Run `ccproto peer` until `io.waitForShutdown` (default SIGINT/SIGTERM) resolves. @throws UsageError */
export async function runPeerCommand(opts: PeerCommandOptions, io: CliIo): Promise<number> {
  const config = await peerConfigFromCli(opts, io.cwd);
  const log = makeLogger(io, config.logFormat, config.logLevel);
  // The client endpoint's address, once bound (ErrorDetails name each organisation's peer by it).
  const endpoint = { address: formatHostPort(config.gateway.endpoint) };
  const peerOptions: PeerOptions = {
    ...config.peerOptions,
    log,
    ...(config.peerOptions.network ? { network: { ...config.peerOptions.network, endpoint: () => endpoint.address } } : {}),
  };
  const startPeer = io.startPeer ?? defaultStartPeer;
  // Listen for signals before starting anything, so a Ctrl-C during startup still shuts down cleanly.
  const shutdown = (io.waitForShutdown ?? (() => waitForSignals(io)))();

  let peer: PeerApi;
  try {
    peer = await startPeer(peerOptions);
  } catch (err) {
    io.stderr.write(`ccproto: cannot start the peer: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }

  let api: ApiServer;
  try {
    api = await startApiServer({ peer, host: config.api.host, port: config.api.port, ...config.apiLimits });
  } catch (err) {
    io.stderr.write(`ccproto: cannot serve the API on ${formatHostPort(config.api)}: ${errorText(err)}\n`);
    await peer.close().catch(() => {});
    return EXIT_FAILED;
  }

  let gateway: GatewayServer | undefined;
  try {
    gateway = await startGateway(peer, config.gateway, log, endpoint);
  } catch (err) {
    io.stderr.write(`ccproto: cannot serve the gateway on ${formatHostPort(config.gateway.endpoint)}: ${errorText(err)}\n`);
    await api.close(0);
    await peer.close().catch(() => {});
    return EXIT_FAILED;
  }

  const tls = peer.tlsRootCertPem !== undefined;
  log({
    level: 'info',
    msg: 'ccproto peer listening',
    chaincode: peer.chaincodeAddress,
    api: api.url,
    mspId: peerOptions.mspId,
    tls: tls ? 'on' : 'off',
    ledger: peerOptions.dataDir ?? 'memory',
  });
  if (!isLoopback(api.host)) {
    log({ level: 'warn', msg: 'the API has no authentication and listens beyond loopback', api: api.url });
  }
  if (peerOptions.devMode !== false) {
    log({
      level: 'info',
      msg: 'user-run chaincode: start it with',
      'peer.address': peer.chaincodeAddress,
      CORE_CHAINCODE_ID_NAME: 'NAME:VERSION',
      ...(tls ? { CORE_PEER_TLS_ENABLED: 'true' } : {}),
    });
  }
  if (tls) {
    log({
      level: 'info',
      msg: 'TLS is on: a user-run chaincode gets its CA and client certificate with',
      command: `eval "$(ccproto tls --api ${api.url} --name NAME --out ./tls-NAME)"`,
    });
  }
  io.onReady?.({ chaincodeAddress: peer.chaincodeAddress, apiUrl: api.url, peer });

  const reason = await shutdown;
  // New calls get 503 at once; calls in flight finish with their real outcome (or, past the grace
  // period, 503 "outcome unknown" with their txid); only then do the chaincode streams end and the
  // ledger close, so no client is left with a reset connection and no commit is cut in half.
  log({ level: 'info', msg: 'shutting down', reason, graceMs: config.shutdownGraceMs });
  api.beginShutdown();
  const drained = await api.drain(config.shutdownGraceMs);
  await gateway?.close();
  if (drained.unknown > 0) log({ level: 'warn', msg: 'calls answered "outcome unknown" at the end of the grace period', count: drained.unknown });
  let code = EXIT_OK;
  try {
    await peer.close();
  } catch (err) {
    io.stderr.write(`ccproto: closing the peer failed: ${errorText(err)}\n`);
    code = EXIT_FAILED;
  }
  await api.close(0);
  log({ level: 'info', msg: 'stopped' });
  return code;
}

/**
 * Serves the client endpoint for a peer started with organisations (a test double without them
 * gets none). TLS uses the first generated organisation's peer0 server certificate, whose CA is
 * `peerOrganizations/<domain>/peers/peer0.<domain>/tls/ca.crt` in the crypto folder.
 */
async function startGateway(peerApi: PeerApi, g: GatewayConfig, log: (r: LogRecord) => void, endpoint: { address: string }): Promise<GatewayServer | undefined> {
  const peer = peerApi as Partial<Peer>;
  const network = peer.network;
  if (!network) return undefined;
  const { startGatewayServer } = await import('../gateway/server.js');
  const tlsOrg = network.orgs.find((o) => o.crypto)?.crypto;
  if (g.tls && !tlsOrg) throw new Error('TLS needs a generated organisation (every --org was given with --msp): add one, or use --no-gateway-tls');
  const server = await startGatewayServer({
    peer: peer as Peer,
    host: g.endpoint.host,
    port: g.endpoint.port,
    ...(g.tls && tlsOrg ? { tls: tlsOrg.peerTls } : {}),
  });
  endpoint.address = server.address;
  log({
    level: 'info',
    msg: 'gateway listening',
    gateway: server.address,
    tls: g.tls ? 'on' : 'off',
    ...(g.tls && tlsOrg ? { tlsCaCert: tlsOrg.peer.paths.tlsCaCert } : {}),
    orgs: network.orgIds.join(','),
    cryptoDir: network.material.dir,
    ...(g.temporaryCryptoDir ? { note: 'temporary crypto folder, removed when the peer stops: give --crypto-dir or --data-dir to keep the certificates' } : {}),
  });
  return server;
}
