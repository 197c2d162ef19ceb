/**
 * gRPC clients for the two services, at frame level:
 * - `dialChaincodeServer`: the peer dialling a CCaaS chaincode's `protos.Chaincode/Connect`
 *   (fabric core/chaincode/extcc/extcc_handler.go; connection settings from connection.json,
 *   core/container/externalbuilder/instance.go).
 * - `dialChaincodeSupport`: a chaincode (shim) dialling the peer's `protos.ChaincodeSupport/Register`.
 *
 * One dial = one grpc-js channel with its own connection (local subchannel pool, like Fabric's one
 * grpc.ClientConn per Connect) = one stream. Closing the stream, or the stream ending, closes the
 * channel.
 */
import { Client, connectivityState, credentials as grpcCredentials, status as Status } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';

import { parseAddress } from './address.js';
import type { FrameStream } from './frameStream.js';
import { ClientFrameStream } from './frameStream.js';
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
  /** Extra raw grpc-js channel options (applied last; for tuning and tests). */
  readonly grpcOptions?: ChannelOptions;
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
 * PEER_CLIENT_KEEPALIVE (1 min / 20 s, without calls), 100 MiB limits (comm defaults).
 * Rejects with `TransportDialError` when the server is not reachable in time.
 */
export function dialChaincodeServer(options: ChaincodeServerDialOptions): Promise<FrameStream> {
  return dialFrameService(options, CONNECT_METHOD_PATH, DEFAULT_CCAAS_DIAL_TIMEOUT_MS, PEER_CLIENT_KEEPALIVE);
}

/**
 * A chaincode dialling the peer's `protos.ChaincodeSupport/Register`.
 * Defaults: dial timeout 10 s (fabric-chaincode-go shim/internal/client.go `dialTimeout`),
 * keepalive SHIM_CLIENT_KEEPALIVE (1 min / 20 s, without calls), 100 MiB limits.
 */
export function dialChaincodeSupport(options: ChaincodeSupportDialOptions): Promise<FrameStream> {
  return dialFrameService(options, REGISTER_METHOD_PATH, DEFAULT_SHIM_DIAL_TIMEOUT_MS, SHIM_CLIENT_KEEPALIVE);
}

interface PreparedDial {
  readonly target: string;
  readonly credentials: ChannelCredentials;
  readonly channelOptions: ChannelOptions;
  readonly limits: ResolvedLimits;
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
  const dialTimeoutMs = options.dialTimeoutMs ?? defaultTimeoutMs;
  if (!(dialTimeoutMs > 0) || !Number.isFinite(dialTimeoutMs)) throw bad(`dialTimeoutMs must be > 0`);
  let limits: ResolvedLimits;
  try {
    limits = resolveLimits(options, options.limits);
  } catch (err) {
    throw bad(err instanceof Error ? err.message : String(err), err);
  }

  let credentials: ChannelCredentials;
  const tlsOptions: ChannelOptions = {};
  if (tls === undefined) {
    credentials = grpcCredentials.createInsecure();
  } else {
    if ((tls.clientKeyPem === undefined) !== (tls.clientCertPem === undefined)) {
      throw bad('tls.clientKeyPem and tls.clientCertPem must be given together');
    }
    try {
      credentials = grpcCredentials.createSsl(
        pemBuffer(tls.rootCaPem),
        tls.clientKeyPem === undefined ? null : pemBuffer(tls.clientKeyPem),
        tls.clientCertPem === undefined ? null : pemBuffer(tls.clientCertPem),
      );
    } catch (err) {
      throw bad(`invalid TLS material: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    if (tls.serverNameOverride !== undefined && tls.serverNameOverride !== '') {
      tlsOptions['grpc.ssl_target_name_override'] = tls.serverNameOverride;
      tlsOptions['grpc.default_authority'] = tls.serverNameOverride;
    }
  }
  const keepalive: Required<ClientKeepaliveOptions> = {
    pingIntervalMs: options.keepalive?.pingIntervalMs ?? keepaliveDefaults.pingIntervalMs,
    pingTimeoutMs: options.keepalive?.pingTimeoutMs ?? keepaliveDefaults.pingTimeoutMs,
    permitWithoutCalls: options.keepalive?.permitWithoutCalls ?? keepaliveDefaults.permitWithoutCalls,
  };
  return {
    target: parsed.target,
    credentials,
    limits,
    dialTimeoutMs,
    channelOptions: {
      ...baseChannelOptions(limits),
      ...clientKeepaliveChannelOptions(keepalive),
      ...tlsOptions,
      // One connection per dial (Fabric: one grpc.ClientConn per Connect / per shim): closing the
      // stream tears the connection down, and streams of different dials do not share fate.
      'grpc.use_local_subchannel_pool': 1,
      // A bidi stream is never retried; this avoids grpc-js' retry buffering of sent messages.
      'grpc.enable_retries': 0,
      ...options.grpcOptions,
    },
  };
}

async function dialFrameService(
  options: DialOptions,
  methodPath: string,
  defaultTimeoutMs: number,
  keepaliveDefaults: Required<ClientKeepaliveOptions>,
): Promise<FrameStream> {
  const prepared = prepareDial(options, defaultTimeoutMs, keepaliveDefaults);
  const client = new Client(prepared.target, prepared.credentials, prepared.channelOptions);
  try {
    await new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + prepared.dialTimeoutMs, (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    const state = safeState(client);
    client.close();
    throw new TransportDialError(
      `could not connect to ${prepared.target} (${methodPath}) within ${prepared.dialTimeoutMs} ms` +
        ` (channel ${state}): ${err instanceof Error ? err.message : String(err)}`,
      Status.UNAVAILABLE,
      options.address,
      { cause: err },
    );
  }
  const call = client.makeBidiStreamRequest<Uint8Array, Uint8Array>(methodPath, asBuffer, (b: Buffer) => b);
  return new ClientFrameStream(call, methodPath, prepared.limits.maxSendMessageLength, () => client.close());
}

function safeState(client: Client): string {
  try {
    const s = client.getChannel().getConnectivityState(false);
    return connectivityState[s] ?? String(s);
  } catch {
    return 'state unknown';
  }
}
