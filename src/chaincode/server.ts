/**
 * Server mode ("chaincode as a service"): the chaincode listens for `protos.Chaincode/Connect` and
 * the peer dials it (docs/protocol.md §2.1, §3.4). Each Connect stream is an independent connection: it
 * gets its own ChaincodeConnection and sends REGISTER at once (Go ChaincodeServer.Connect, fabric-shim
 * ChaincodeServer.connect).
 *
 * Options as fabric-shim's ChaincodeServerOpts ({ccid, address, tlsProps, 'grpc.*'}), with the
 * environment as a fallback (config.ts) and Go's error texts for what is missing.
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import { listenChaincodeServer, type FlowLimits, type FrameListenerHandle } from '../transport/index.js';
import { parseListenAddress, serverTlsFromEnv, type ChaincodeServerTlsProps } from './config.js';
import { connectStream, validateChaincode, type ChaincodeSession, type RuntimeOptions } from './runtime.js';
import type { ChaincodeInterface } from './types.js';

export interface ChaincodeServerOpts extends RuntimeOptions {
  /** The package ID the peer knows the chaincode by. Default: CORE_CHAINCODE_ID, then CHAINCODE_ID. */
  ccid?: string;
  /** `host:port` to listen on. Default: CHAINCODE_SERVER_ADDRESS, then CORE_CHAINCODE_ADDRESS. */
  address?: string;
  /** TLS key and certificate; `clientCACerts` requires client certificates (mutual TLS). Default:
   * CORE_CHAINCODE_TLS_* variables, else plaintext. */
  tlsProps?: ChaincodeServerTlsProps | undefined;
  /** Backpressure bounds of each Connect stream (defaults as for start(); docs/chaincode.md). */
  flow?: FlowLimits;
  /** grpc-js server options (fabric-shim passes every `grpc.*` key of the options to grpc.Server). */
  [grpcOption: `grpc.${string}`]: unknown;
}

export class ChaincodeServer {
  readonly ccid: string;
  /** The configured listen address. */
  readonly address: string;
  readonly #chaincode: ChaincodeInterface;
  readonly #options: ChaincodeServerOpts;
  readonly #tls: ChaincodeServerTlsProps | undefined;
  readonly #sessions = new Set<ChaincodeSession>();
  #listener: FrameListenerHandle | undefined;

  /** Validates the options (throws, as fabric-shim's constructor does); start() listens. */
  constructor(chaincode: ChaincodeInterface, options: ChaincodeServerOpts = {}) {
    // fabric-chaincode-go shim/chaincodeserver.go Start: "chaincode must be specified".
    if (typeof chaincode !== 'object' || chaincode === null) throw new Error('chaincode must be specified');
    validateChaincode(chaincode);
    if (typeof options !== 'object' || options === null) throw new Error('Missing required argument: serverOpts');
    const env = options.env ?? process.env;
    const ccid = options.ccid ?? env.CORE_CHAINCODE_ID ?? env.CHAINCODE_ID ?? '';
    if (typeof ccid !== 'string' || ccid === '') throw new Error('ccid must be specified (CORE_CHAINCODE_ID or CHAINCODE_ID)');
    const address = options.address ?? env.CHAINCODE_SERVER_ADDRESS ?? env.CORE_CHAINCODE_ADDRESS ?? '';
    if (typeof address !== 'string' || address === '') throw new Error('address must be specified (CHAINCODE_SERVER_ADDRESS or CORE_CHAINCODE_ADDRESS)');
    parseListenAddress(address);
    const tls = options.tlsProps ?? serverTlsFromEnv(env);
    if (tls !== undefined) {
      // fabric-shim lib/server.js texts; Go LoadTLSConfig: "key not provided" / "cert not provided".
      if (!tls.key) throw new Error('Missing required property in serverOpts.tlsProps: key');
      if (!tls.cert) throw new Error('Missing required property in serverOpts.tlsProps: cert');
    }
    this.ccid = ccid;
    this.address = address;
    this.#chaincode = chaincode;
    this.#options = { ...options, env };
    this.#tls = tls;
  }

  /** The bound `host:port` once started (the real port when 0 was asked for). */
  get boundAddress(): string | undefined {
    return this.#listener?.address;
  }

  get port(): number | undefined {
    return this.#listener?.port;
  }

  /** Connect streams currently open. */
  get activeConnections(): number {
    return this.#sessions.size;
  }

  /** Binds and serves; resolves once listening. */
  async start(): Promise<void> {
    if (this.#listener) throw new Error('chaincode server already started');
    const { host, port } = parseListenAddress(this.address);
    const grpcOptions: ChannelOptions = Object.fromEntries(Object.entries(this.#options).filter(([k]) => k.startsWith('grpc.'))) as ChannelOptions;
    const tls = this.#tls;
    this.#listener = await listenChaincodeServer(
      {
        host,
        port,
        healthService: false,
        grpcOptions,
        ...this.#options.flow,
        ...(tls
          ? {
              tls: {
                keyPem: tls.key,
                certPem: tls.cert,
                ...(tls.clientCACerts ? { clientCaPem: tls.clientCACerts, requireClientCert: true } : {}),
              },
            }
          : {}),
      },
      (stream) => {
        const session = connectStream(stream, this.#chaincode, this.ccid, this.#options);
        this.#sessions.add(session);
        void session.closed.then(() => this.#sessions.delete(session));
      },
    );
  }

  /** Stops listening and ends every open stream. */
  async close(): Promise<void> {
    for (const s of this.#sessions) s.close('chaincode server closed');
    this.#sessions.clear();
    await this.#listener?.close();
  }
}

/** fabric-shim `server(chaincode, opts)`: a ChaincodeServer, not yet started. */
export function server(chaincode: ChaincodeInterface, options: ChaincodeServerOpts = {}): ChaincodeServer {
  return new ChaincodeServer(chaincode, options);
}
