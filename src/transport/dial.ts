/**
 * gRPC clients for the two services, at frame level:
 * - `dialChaincodeServer`: the peer dialling a CCaaS chaincode's `protos.Chaincode/Connect`
 *   (fabric core/chaincode/extcc/extcc_handler.go; connection settings from connection.json,
 *   core/container/externalbuilder/instance.go).
 * - `dialChaincodeSupport`: a chaincode (shim) dialling the peer's `protos.ChaincodeSupport/Register`.
 *
 * One dial = one connection (like Fabric's one grpc.ClientConn per Connect) = one stream. Closing
 * the stream, or the stream ending, closes the connection. The default client is ours over
 * `node:http2` (http2Dial.ts); `client: 'grpc-js'` selects grpc-js' Client.
 */
import { createSecureContext } from 'node:tls';

import { Client, connectivityState, credentials as grpcCredentials, status as Status } from '@grpc/grpc-js';
import type { ChannelOptions } from '@grpc/grpc-js';

import { parseAddress } from './address.js';
import type { FrameStream } from './frameStream.js';
import { ClientFrameStream } from './frameStream.js';
import { ConnectionRefusedError, dialHttp2 } from './http2Dial.js';
import type { ClientKeepaliveOptions, MessageLimits, Pem, ResolvedLimits } from './options.js';
import {
  baseChannelOptions,
  clientKeepaliveChannelOptions,
  DEFAULT_CCAAS_DIAL_TIMEOUT_MS,
  DEFAULT_SHIM_DIAL_TIMEOUT_MS,
  PEER_CLIENT_KEEPALIVE,
  pemBuffer,
  resolveLimits,
  SHIM_CLIENT_KEEPALIVE,
} from './options.js';
import { CONNECT_METHOD_PATH, REGISTER_METHOD_PATH, asBuffer } from './serviceDefinitions.js';

export interface ClientTlsOptions {
  /** CA(s) the server certificate must chain to (PEM). Fabric: connection.json `root_cert`
   *  (CCaaS), `CORE_PEER_TLS_ROOTCERT_FILE` (shim). */
  readonly rootCaPem: Pem;
  /** Client key for mutual TLS (PEM). Give both key and certificate or neither. */
  readonly clientKeyPem?: Pem;
  /** Client certificate for mutual TLS (PEM). */
  readonly clientCertPem?: Pem;
  /** Verify the server certificate against this name instead of the address host (and send it as
   *  :authority). Fabric: connection.json `domain`; Node shim `ssl-target-name-override`. */
  readonly serverNameOverride?: string;
}

export interface DialOptions extends MessageLimits {
  /** `host:port`, `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS, needs `tls`). */
  readonly address: string;
  readonly tls?: ClientTlsOptions;
  /** Give up if the connection is not ready within this time. */
  readonly dialTimeoutMs?: number;
  /** Alternative place for the limits (top-level fields win). Defaults 100 MiB each. */
  readonly limits?: MessageLimits;
  readonly keepalive?: ClientKeepaliveOptions;
  /**
   * Which gRPC client speaks the call: `'http2'` (default; our client over `node:http2`, which lets
   * the messages of one event-loop turn share a socket write — http2Dial.ts) or `'grpc-js'`
   * (grpc-js' Client, one socket write per message). Without this option: `'grpc-js'` if
   * `grpcOptions` are given or the environment has `CCPROTO_GRPC_CLIENT=grpc-js`, else `'http2'`.
   */
  readonly client?: 'http2' | 'grpc-js';
  /**
   * `'http2'` client only: incoming messages handed to the listener per event-loop turn; the rest
   * follow in the next turns, so that replies to the first ones leave in between. Defaults:
   * CHAINCODE_FRAMES_PER_TURN (8) for a chaincode dialling the peer, `Infinity` (each read at once)
   * for the peer dialling a chaincode server.
   */
  readonly framesPerTurn?: number;
  /** Extra raw grpc-js channel options (applied last; grpc-js client only). */
  readonly grpcOptions?: ChannelOptions;
  /**
   * `'http2'` client only: keep retrying a refused connection until the dial deadline (default
   * true, grpc's wait-for-ready), or fail at once with `connection refused` (false: a user-run
   * chaincode whose peer is not running learns it at once rather than after 10 s).
   */
  readonly retryRefused?: boolean;
}

export type ChaincodeServerDialOptions = DialOptions;
export type ChaincodeSupportDialOptions = DialOptions;

/** Why a dial failed. `code` is UNAVAILABLE (could not connect in time) or INVALID_ARGUMENT
 *  (bad address / TLS options). */
export class TransportDialError extends Error {
  override readonly name = 'TransportDialError';
  constructor(
    message: string,
    readonly code: Status,
    readonly address: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The peer dialling a chaincode server's `protos.Chaincode/Connect` (CCaaS).
 * Defaults: dial timeout 3 s (connection.json `dial_timeout` default), keepalive
 * PEER_CLIENT_KEEPALIVE (1 min / 20 s, without calls), 100 MiB limits (comm defaults), every
 * received message delivered at once (framesPerTurn Infinity: a per-turn limit made the peer slower
 * here, 14,800–15,200 → 13,200–14,200 tx/s with 8).
 * Rejects with `TransportDialError` when the server is not reachable in time.
 */
export function dialChaincodeServer(options: ChaincodeServerDialOptions): Promise<FrameStream> {
  return dialFrameService(options, CONNECT_METHOD_PATH, DEFAULT_CCAAS_DIAL_TIMEOUT_MS, PEER_CLIENT_KEEPALIVE, Infinity);
}

/**
 * A chaincode dialling the peer's `protos.ChaincodeSupport/Register`.
 * Defaults: dial timeout 10 s (fabric-chaincode-go shim/internal/client.go `dialTimeout`),
 * keepalive SHIM_CLIENT_KEEPALIVE (1 min / 20 s, without calls), 100 MiB limits, framesPerTurn
 * CHAINCODE_FRAMES_PER_TURN.
 */
export function dialChaincodeSupport(options: ChaincodeSupportDialOptions): Promise<FrameStream> {
  return dialFrameService(options, REGISTER_METHOD_PATH, DEFAULT_SHIM_DIAL_TIMEOUT_MS, SHIM_CLIENT_KEEPALIVE, CHAINCODE_FRAMES_PER_TURN);
}

interface PreparedDial {
  readonly host: string;
  readonly port: number;
  readonly target: string;
  readonly tls: { readonly ca: Buffer; readonly key?: Buffer; readonly cert?: Buffer; readonly serverName?: string } | undefined;
  readonly limits: ResolvedLimits;
  readonly keepalive: Required<ClientKeepaliveOptions>;
  readonly dialTimeoutMs: number;
}

function prepareDial(
  options: DialOptions,
  defaultTimeoutMs: number,
  keepaliveDefaults: Required<ClientKeepaliveOptions>,
): PreparedDial {
  const bad = (message: string, cause?: unknown): TransportDialError =>
    new TransportDialError(message, Status.INVALID_ARGUMENT, options.address, cause === undefined ? undefined : { cause });
  let parsed;
  try {
    parsed = parseAddress(options.address);
  } catch (err) {
    throw bad(err instanceof Error ? err.message : String(err), err);
  }
  const tls = options.tls;
  if (parsed.scheme === 'grpcs' && tls === undefined) {
    throw bad(`address "${options.address}" asks for TLS (grpcs://) but no tls options were given`);
  }
  if (parsed.scheme === 'grpc' && tls !== undefined) {
    throw bad(`address "${options.address}" asks for plaintext (grpc://) but tls options were given`);
  }
  if (options.framesPerTurn !== undefined && !(options.framesPerTurn >= 1)) throw bad('framesPerTurn must be >= 1');
  const dialTimeoutMs = options.dialTimeoutMs ?? defaultTimeoutMs;
  if (!(dialTimeoutMs > 0) || !Number.isFinite(dialTimeoutMs)) throw bad(`dialTimeoutMs must be > 0`);
  let limits: ResolvedLimits;
  try {
    limits = resolveLimits(options, options.limits);
  } catch (err) {
    throw bad(err instanceof Error ? err.message : String(err), err);
  }

  let tlsMaterial: PreparedDial['tls'];
  if (tls !== undefined) {
    if ((tls.clientKeyPem === undefined) !== (tls.clientCertPem === undefined)) {
      throw bad('tls.clientKeyPem and tls.clientCertPem must be given together');
    }
    const serverName = tls.serverNameOverride !== undefined && tls.serverNameOverride !== '' ? tls.serverNameOverride : undefined;
    tlsMaterial = {
      ca: pemBuffer(tls.rootCaPem),
      ...(tls.clientKeyPem !== undefined && tls.clientCertPem !== undefined
        ? { key: pemBuffer(tls.clientKeyPem), cert: pemBuffer(tls.clientCertPem) }
        : {}),
      ...(serverName !== undefined ? { serverName } : {}),
    };
    try {
      // Check the material now, so that a bad PEM is an argument error rather than a dial timeout.
      createSecureContext({ ca: tlsMaterial.ca, key: tlsMaterial.key, cert: tlsMaterial.cert });
    } catch (err) {
      throw bad(`invalid TLS material: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
  return {
    host: parsed.host,
    port: parsed.port,
    target: parsed.target,
    tls: tlsMaterial,
    limits,
    dialTimeoutMs,
    keepalive: {
      pingIntervalMs: options.keepalive?.pingIntervalMs ?? keepaliveDefaults.pingIntervalMs,
      pingTimeoutMs: options.keepalive?.pingTimeoutMs ?? keepaliveDefaults.pingTimeoutMs,
      permitWithoutCalls: options.keepalive?.permitWithoutCalls ?? keepaliveDefaults.permitWithoutCalls,
    },
  };
}

async function dialFrameService(
  options: DialOptions,
  methodPath: string,
  defaultTimeoutMs: number,
  keepaliveDefaults: Required<ClientKeepaliveOptions>,
  defaultFramesPerTurn: number,
): Promise<FrameStream> {
  const prepared = prepareDial(options, defaultTimeoutMs, keepaliveDefaults);
  const client = options.client ?? (options.grpcOptions !== undefined ? 'grpc-js' : clientFromEnv());
  if (client === 'grpc-js') return dialWithGrpcJs(options, prepared, methodPath);
  try {
    return await dialHttp2({
      ...prepared,
      methodPath,
      userAgent: USER_AGENT,
      framesPerTurn: options.framesPerTurn ?? defaultFramesPerTurn,
      retryRefused: options.retryRefused ?? true,
    });
  } catch (err) {
    throw dialFailure(options, prepared, methodPath, err instanceof Error ? err.message : String(err), err);
  }
}

/** `CCPROTO_GRPC_CLIENT=grpc-js` switches the default client without a code change (for a chaincode
 *  launched by a peer, where only the environment can be set). */
export function clientFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): 'http2' | 'grpc-js' {
  return env.CCPROTO_GRPC_CLIENT === 'grpc-js' ? 'grpc-js' : 'http2';
}

/** Chosen with bench:chaincode on 2 cores: 8 did better than 4, and both far better than no limit
 *  (docs/performance.md). */
export const CHAINCODE_FRAMES_PER_TURN = 8;

const USER_AGENT = `ccproto-http2 node/${process.versions.node}`;

function dialFailure(options: DialOptions, prepared: PreparedDial, methodPath: string, detail: string, cause: unknown): TransportDialError {
  // A refusal we did not wait out happened at once: "within N ms" would mislead.
  const refused = cause instanceof ConnectionRefusedError;
  return new TransportDialError(
    `could not connect to ${prepared.target} (${methodPath})${refused ? '' : ` within ${prepared.dialTimeoutMs} ms`}: ${detail}`,
    Status.UNAVAILABLE,
    options.address,
    { cause },
  );
}

async function dialWithGrpcJs(options: DialOptions, prepared: PreparedDial, methodPath: string): Promise<FrameStream> {
  const tls = prepared.tls;
  const credentials = tls === undefined ? grpcCredentials.createInsecure() : grpcCredentials.createSsl(tls.ca, tls.key ?? null, tls.cert ?? null);
  const channelOptions: ChannelOptions = {
    ...baseChannelOptions(prepared.limits),
    ...clientKeepaliveChannelOptions(prepared.keepalive),
    ...(tls?.serverName !== undefined
      ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName }
      : {}),
    // One connection per dial (Fabric: one grpc.ClientConn per Connect / per shim): closing the
    // stream tears the connection down, and streams of different dials do not share fate.
    'grpc.use_local_subchannel_pool': 1,
    // A bidi stream is never retried; this avoids grpc-js' retry buffering of sent messages.
    'grpc.enable_retries': 0,
    ...options.grpcOptions,
  };
  const client = new Client(prepared.target, credentials, channelOptions);
  try {
    await new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + prepared.dialTimeoutMs, (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    const state = safeState(client);
    client.close();
    throw dialFailure(options, prepared, methodPath, `(channel ${state}) ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const call = client.makeBidiStreamRequest<Uint8Array, Uint8Array>(methodPath, asBuffer, (b: Buffer) => b);
  return new ClientFrameStream(call, methodPath, prepared.limits, () => client.close());
}

function safeState(client: Client): string {
  try {
    const s = client.getChannel().getConnectivityState(false);
    return connectivityState[s] ?? String(s);
  } catch {
    return 'state unknown';
  }
}
