/**
 * Client mode: the chaincode dials the peer's `protos.ChaincodeSupport/Register` and registers
 * (docs/protocol.md §2.1, §4). Settings come from flags and environment (config.ts) unless given.
 *
 * fabric-shim's `start()` returns its client synchronously and reports connection problems only in
 * logs; ours returns a promise that resolves once the peer has answered READY and rejects with a
 * clear error on bad settings, an unreachable peer, or a stream that ends before READY.
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import type { ChaincodeAdditionalParams } from '../protocol/messages.js';
import { clientFromEnv, dialChaincodeSupport, type ClientTlsOptions, type FlowLimits } from '../transport/index.js';
import { resolveClientConfig } from './config.js';
import { connectStream, validateChaincode, type ChaincodeSession, type RuntimeOptions } from './runtime.js';
import type { ChaincodeInterface } from './types.js';

export interface StartOptions extends RuntimeOptions {
  /** Command-line arguments to read flags from. Default: process.argv.slice(2). */
  argv?: readonly string[];
  /** Overrides --peer.address / CORE_PEER_ADDRESS. */
  peerAddress?: string;
  /** Overrides --chaincode-id-name / CORE_CHAINCODE_ID_NAME. */
  chaincodeName?: string;
  /** Complete TLS settings (skips the CORE_* TLS variables), or false for plaintext. */
  tls?: ClientTlsOptions | false;
  /** Give up dialling after this long. Default 10 s (fabric-chaincode-go shim/internal/client.go). */
  dialTimeoutMs?: number;
  /** Keep retrying while nothing listens at the peer address, until the dial timeout (true), or fail
   *  at once with the address (false, the default: a peer that is not running is the usual cause,
   *  and saying so beats a 10 s wait). */
  waitForPeer?: boolean;
  /** Which gRPC client dials the peer: ours over node:http2 (default) or grpc-js'. See the
   *  transport's DialOptions.client (CCPROTO_GRPC_CLIENT=grpc-js also selects grpc-js). */
  client?: 'http2' | 'grpc-js';
  /** Extra grpc-js channel options; giving any selects grpc-js' client. */
  grpcOptions?: ChannelOptions;
  /** Backpressure bounds of the stream to the peer (defaults: stop reading at 4 MiB of unsent
   *  replies, close at 64 MiB unsent or after 60 s stalled; docs/chaincode.md). */
  flow?: FlowLimits;
}

/** A registered chaincode (what start() resolves to). */
export interface ChaincodeSupportClient {
  readonly chaincodeName: string;
  readonly peerAddress: string;
  /** What the peer advertised in READY. */
  readonly params: ChaincodeAdditionalParams;
  /** Resolves (never rejects) with the reason when the stream to the peer has ended. */
  readonly closed: Promise<string>;
  readonly session: ChaincodeSession;
  /** Ends the stream (fabric-shim's client.close()). */
  close(): void;
}

export async function start(chaincode: ChaincodeInterface, options: StartOptions = {}): Promise<ChaincodeSupportClient> {
  validateChaincode(chaincode);
  const env = options.env ?? process.env;
  const config = resolveClientConfig(options.argv ?? process.argv.slice(2), env, {
    peerAddress: options.peerAddress,
    chaincodeName: options.chaincodeName,
    tls: options.tls,
  });
  const stream = await dialChaincodeSupport({
    address: config.peerAddress,
    retryRefused: options.waitForPeer ?? false,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(options.dialTimeoutMs !== undefined ? { dialTimeoutMs: options.dialTimeoutMs } : {}),
    // The environment the configuration was read from also chooses the client (start's `env`).
    ...(options.client ? { client: options.client } : clientFromEnv(env) === 'grpc-js' ? { client: 'grpc-js' as const } : {}),
    ...(options.grpcOptions ? { grpcOptions: options.grpcOptions } : {}),
    ...options.flow,
  }).catch((err: unknown) => {
    throw new Error(
      `chaincode ${config.chaincodeName} cannot reach the peer at ${config.peerAddress}: ${err instanceof Error ? err.message : String(err)} ` +
        '(is the peer running, and is --peer.address / CORE_PEER_ADDRESS its chaincode listener?)',
      { cause: err },
    );
  });
  const session = connectStream(stream, chaincode, config.chaincodeName, { ...options, env });
  let params: ChaincodeAdditionalParams;
  try {
    params = await session.ready;
  } catch (err) {
    session.close();
    throw new Error(`chaincode ${config.chaincodeName} could not register with the peer at ${config.peerAddress}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  return {
    chaincodeName: config.chaincodeName,
    peerAddress: config.peerAddress,
    params,
    closed: session.closed,
    session,
    close: () => session.close(),
  };
}
