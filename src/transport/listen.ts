/**
 * gRPC servers for the two services, at frame level:
 * - `listenChaincodeSupport`: the peer's chaincode listener (`protos.ChaincodeSupport/Register`);
 *   the chaincode dials it (classic model).
 * - `listenChaincodeServer`: a chaincode's CCaaS server (`protos.Chaincode/Connect`); the peer dials
 *   it. It may hold several Connect streams at once (one per peer).
 *
 * Each accepted call becomes a `FrameStream` handed to `onStream`.
 */
import { Server, ServerCredentials, status as Status } from '@grpc/grpc-js';
import type { ChannelOptions, ServerDuplexStream, ServiceDefinition } from '@grpc/grpc-js';

import { formatHostPort } from './address.js';
import type { FrameStream } from './frameStream.js';
import { ServerFrameStream } from './frameStream.js';
import { healthImplementation, HealthService } from './health.js';
import { writeWindowInterceptor } from './writeWindow.js';
import type { MessageLimits, Pem, ResolvedLimits, ServerKeepaliveOptions } from './options.js';
import {
  baseChannelOptions,
  CHAINCODE_SERVER_KEEPALIVE,
  PEER_LISTENER_KEEPALIVE,
  pemBuffer,
  resolveLimits,
  serverKeepaliveChannelOptions,
} from './options.js';
import {
  CHAINCODE_SERVICE_NAME,
  CHAINCODE_SUPPORT_SERVICE_NAME,
  ChaincodeService,
  ChaincodeSupportService,
} from './serviceDefinitions.js';

export interface ServerTlsOptions {
  /** Server private key (PEM). */
  readonly keyPem: Pem;
  /** Server certificate chain (PEM). */
  readonly certPem: Pem;
  /** CA(s) that client certificates must chain to (PEM, may hold several certificates). */
  readonly clientCaPem?: Pem;
  /**
   * Request and verify a client certificate; handshakes without a valid one (chaining to
   * `clientCaPem`) are refused. Default: true when `clientCaPem` is given. Fabric's chaincode
   * listener always requires one when TLS is on (internal/peer/node/start.go createChaincodeServer:
   * `RequireClientCert: true`, `ClientRootCAs: [per-peer CA]`); the Go shim's CCaaS server requires
   * one when `ClientCACerts` is set. When false no client certificate is requested (grpc-js has no
   * "request but do not verify" mode), so `peerCertDer` is then undefined.
   */
  readonly requireClientCert?: boolean;
}

export interface ListenOptions extends MessageLimits {
  /** Interface to bind, e.g. `127.0.0.1` or `::1`. */
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  readonly tls?: ServerTlsOptions;
  /** Alternative place for the limits (top-level fields win). Defaults 100 MiB each. */
  readonly limits?: MessageLimits;
  /** Overrides of the keepalive defaults of the listener kind (see options.ts for what grpc-js enforces). */
  readonly keepalive?: ServerKeepaliveOptions;
  /** Serve `grpc.health.v1.Health` (default true, as the Fabric peer does). */
  readonly healthService?: boolean;
  /** Extra raw grpc-js server options (applied last; for tuning and tests). */
  readonly grpcOptions?: ChannelOptions;
}

export interface StreamInfo {
  /** Full method path of the call. */
  readonly method: string;
  /** Remote `ip:port`. */
  readonly remoteAddress: string;
  /** DER of the verified client certificate (mutual TLS only). Fabric hashes it (SHA-256) to
   *  authenticate the chaincode (core/chaincode/accesscontrol). */
  readonly peerCertDer?: Uint8Array;
}

export type OnStream = (stream: FrameStream, info: StreamInfo) => void;

export interface FrameListenerHandle {
  /** Host as bound. */
  readonly host: string;
  /** Bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** `host:port` for dialling. */
  readonly address: string;
  /** Effective limits. */
  readonly limits: ResolvedLimits;
  /** Effective keepalive settings (see options.ts for which ones grpc-js enforces). */
  readonly keepalive: Required<ServerKeepaliveOptions>;
  /** Streams accepted and not yet closed. */
  readonly activeStreams: number;
  /**
   * Stop listening and end every open stream now (each gets a `local` close notification
   * "listener closed"; remote sides see the connection go away — like grpc-go's `Server.Stop`,
   * which the peer uses). Idempotent.
   */
  close(): Promise<void>;
}

/** Options of the peer's chaincode listener. */
export type ChaincodeSupportListenOptions = ListenOptions;
/** Options of a chaincode's CCaaS server. */
export type ChaincodeServerListenOptions = ListenOptions;

/**
 * The peer's server for `protos.ChaincodeSupport/Register` (chaincode → peer).
 * Defaults: 100 MiB limits; keepalive PEER_LISTENER_KEEPALIVE (server ping 2 h / 20 s, Fabric
 * enforcement values recorded); health service on.
 */
export function listenChaincodeSupport(
  options: ChaincodeSupportListenOptions,
  onStream: OnStream,
): Promise<FrameListenerHandle> {
  return listenFrameService(
    options,
    onStream,
    ChaincodeSupportService,
    'Register',
    CHAINCODE_SUPPORT_SERVICE_NAME,
    PEER_LISTENER_KEEPALIVE,
  );
}

/**
 * A chaincode's CCaaS server for `protos.Chaincode/Connect` (peer → chaincode).
 * Defaults: 100 MiB limits (fabric-chaincode-go shim/internal/server.go); keepalive
 * CHAINCODE_SERVER_KEEPALIVE (ping 1 min / 20 s); health service on (not served by the shims, harmless).
 */
export function listenChaincodeServer(
  options: ChaincodeServerListenOptions,
  onStream: OnStream,
): Promise<FrameListenerHandle> {
  return listenFrameService(
    options,
    onStream,
    ChaincodeService,
    'Connect',
    CHAINCODE_SERVICE_NAME,
    CHAINCODE_SERVER_KEEPALIVE,
  );
}

function serverCredentials(tls: ServerTlsOptions | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const requireClientCert = tls.requireClientCert ?? tls.clientCaPem !== undefined;
  if (requireClientCert && tls.clientCaPem === undefined) {
    throw new Error('tls.requireClientCert needs tls.clientCaPem (the CA client certificates must chain to)');
  }
  return ServerCredentials.createSsl(
    requireClientCert && tls.clientCaPem !== undefined ? pemBuffer(tls.clientCaPem) : null,
    [{ private_key: pemBuffer(tls.keyPem), cert_chain: pemBuffer(tls.certPem) }],
    requireClientCert,
  );
}

async function listenFrameService(
  options: ListenOptions,
  onStream: OnStream,
  service: ServiceDefinition,
  methodName: string,
  serviceName: string,
  keepaliveDefaults: Required<ServerKeepaliveOptions>,
): Promise<FrameListenerHandle> {
  const limits = resolveLimits(options, options.limits);
  const keepalive: Required<ServerKeepaliveOptions> = { ...keepaliveDefaults, ...definedOnly(options.keepalive) };
  const credentials = serverCredentials(options.tls);
  const methodDef = service[methodName];
  if (methodDef === undefined) throw new Error(`service has no method ${methodName}`);
  const methodPath = methodDef.path;

  const server = new Server({
    ...baseChannelOptions(limits),
    ...serverKeepaliveChannelOptions(keepalive),
    ...options.grpcOptions,
    interceptors: [writeWindowInterceptor()],
  });
  const streams = new Set<ServerFrameStream>();
  let closing = false;

  const handler = (call: ServerDuplexStream<Uint8Array, Uint8Array>): void => {
    const stream = new ServerFrameStream(call, methodPath, limits);
    if (closing) {
      stream.close('listener closed', Status.UNAVAILABLE);
      return;
    }
    streams.add(stream);
    stream.onClose(() => streams.delete(stream));
    const info: StreamInfo =
      stream.peerCertificateDer === undefined
        ? { method: methodPath, remoteAddress: stream.remoteAddress }
        : { method: methodPath, remoteAddress: stream.remoteAddress, peerCertDer: stream.peerCertificateDer };
    try {
      onStream(stream, info);
    } catch (err) {
      stream.close(`stream handler threw: ${err instanceof Error ? err.message : String(err)}`, Status.INTERNAL);
    }
  };
  server.addService(service, { [methodName]: handler });
  if (options.healthService ?? true) {
    server.addService(HealthService, healthImplementation([serviceName]));
  }

  const bindTarget = formatHostPort(options.host, options.port);
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(bindTarget, credentials, (err, boundPort) => (err ? reject(err) : resolve(boundPort)));
    });
  } catch (err) {
    server.forceShutdown();
    throw new Error(`cannot listen on ${bindTarget}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }

  let closed: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    address: formatHostPort(options.host, port),
    limits,
    keepalive,
    get activeStreams() {
      return streams.size;
    },
    close(): Promise<void> {
      if (closed) return closed;
      closing = true;
      for (const stream of [...streams]) stream.abort('listener closed');
      streams.clear();
      server.forceShutdown();
      closed = Promise.resolve();
      return closed;
    },
  };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (o === undefined) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
