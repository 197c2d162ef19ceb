/** What the CLI needs from its surroundings, injectable so that tests run it in-process. */
import type { PeerApi, PeerOptions } from '../peer/types.js';

export interface TextSink {
  write(chunk: string): unknown;
}

/** Information `ccproto peer` reports once both listeners are up. */
export interface PeerReadyInfo {
  /** host:port of the chaincode listener. */
  chaincodeAddress: string;
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:7080`. */
  apiUrl: string;
  peer: PeerApi;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Starts the peer. Default: `Peer.start` from src/peer/peer.ts, loaded on first use. */
  startPeer?: (options: PeerOptions) => Promise<PeerApi>;
  /** Resolves (with a reason such as `SIGINT`) when `ccproto peer` (or `proxy`) should shut down. Default: the first SIGINT or SIGTERM. */
  waitForShutdown?: () => Promise<string>;
  /** Called once `ccproto peer` listens on both addresses. */
  onReady?: (info: PeerReadyInfo) => void;
  /** Called once `ccproto proxy` listens, with its `host:port`. */
  onProxyReady?: (address: string) => void;
  /** Directory that relative paths (collection files, `tls --out`) are resolved against. Default `process.cwd()`. */
  cwd?: string;
  /** Clock for log lines. */
  now?: () => Date;
  /** Resolves when `ccproto invoke`/`query` should give up waiting (default: the first SIGINT or SIGTERM). */
  interrupted?: () => Promise<string>;
}

/** Exit codes. */
export const EXIT_OK = 0;
/** The transaction ran and returned a status >= 400 (or the peer failed to start / stop). */
export const EXIT_FAILED = 1;
/** Bad command line or option value. */
export const EXIT_USAGE = 2;
/** The API could not be reached or answered with an error / something unexpected. */
export const EXIT_API = 3;
/** Interrupted (Ctrl-C) while waiting for the answer: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** The first SIGINT or SIGTERM from now on. `dispose` stops listening (done by itself once one came). */
export function firstSignal(): { signal: Promise<NodeJS.Signals>; dispose: () => void } {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (received) => {
      dispose();
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { signal, dispose };
}
