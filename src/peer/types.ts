/**
 * The peer runtime's public contract: what `Peer` (src/peer/peer.ts) offers to embedders, the CLI
 * and the HTTP API. Plain data in and out.
 */
import type { ChaincodeAdditionalParams } from '../protocol/messages.js';
import type { FlowLimits } from '../transport/index.js';

/** How the peer gets a chaincode running. */
export type ChaincodeLaunch =
  /** A local process: `command` split into program and arguments, run without a shell, with
   * `--peer.address=HOST:PORT` appended and Fabric's launcher environment. */
  | { kind: 'process'; command: string; cwd?: string; env?: Record<string, string> }
  /** Chaincode-as-a-service: the peer dials `Chaincode.Connect` at `address`. */
  | { kind: 'ccaas'; address: string; tls?: { rootCertPem: string; clientCertPem?: string; clientKeyPem?: string; serverNameOverride?: string }; dialTimeoutMs?: number }
  /** User-run (dev mode): the chaincode dials in by itself; nothing to launch. */
  | { kind: 'external' };

export interface PeerOptions {
  /** The peer's MSP id (also CORE_PEER_LOCALMSPID of launched chaincode). Default `Org1MSP`. */
  mspId?: string;
  /** With a data directory, world state, history, private data and the dev CAs persist. */
  dataDir?: string;
  /** Chaincode listener (`ChaincodeSupport.Register`). Default 127.0.0.1:7052. */
  listenHost?: string;
  listenPort?: number;
  /** TLS on the chaincode listener (fresh CA per start, client certificates required, as Fabric). */
  tls?: boolean;
  /** `chaincode.executetimeout`, default 30 s. */
  executeTimeoutMs?: number;
  /** `chaincode.startuptimeout`: how long a launch may take to reach READY. Default 60 s. */
  startupTimeoutMs?: number;
  /** `chaincode.keepalive`: KEEPALIVE interval; 0 = off (default: fabric-shim <= 2.5.8 exits on one). */
  keepaliveMs?: number;
  /** gRPC message limits, default 100 MiB each (Fabric's peer.maxRecvMsgSize / maxSendMsgSize). */
  maxReceiveMessageLength?: number;
  maxSendMessageLength?: number;
  /** READY capabilities; default Fabric 3.1's sample core.yaml (both on, limits 1000). */
  readyParams?: ChaincodeAdditionalParams;
  /** Chaincodes to launch and supervise, by name (the name invocations use). */
  chaincodes?: Record<string, ChaincodeLaunch>;
  /** Collection configuration (Fabric JSON) per chaincode name. */
  collections?: Record<string, string | unknown[]>;
  /**
   * Chaincodes whose definition requires initialization (Fabric lifecycle `InitRequired`,
   * `peer lifecycle chaincode approveformyorg --init-required`): on each channel the first
   * invocation must be an Init (`InvokeRequest.init`), and only one Init is accepted. The flag is
   * kept in the channel's world state as Fabric keeps it (so it persists with `dataDir`).
   */
  initRequired?: string[];
  /**
   * The clock of the proposals the peer builds (ChannelHeader.timestamp, what chaincode reads with
   * getTxTimestamp): nanoseconds since the Unix epoch. Default: the system clock at nanosecond
   * resolution (`process.hrtime.bigint()` anchored to `Date.now()`).
   */
  nowNanos?: () => bigint;
  /** Accept chaincode that dials in without being launched (dev mode). Default true. */
  devMode?: boolean;
  /** Receives one structured log record per event (registration, transaction, launch, …). */
  log?: (record: LogRecord) => void;
  /** Receives every protocol message and every handler state change (for transcripts, tracing). */
  trace?: (event: TraceEvent) => void;
  /** Backpressure bounds of every chaincode stream (docs/peer.md "Limits"). */
  flow?: FlowLimits;
  /** Bounds on what callers and chaincode can make the peer hold (docs/peer.md "Limits"). */
  limits?: PeerLimits;
  /**
   * Play organisations, order and commit in blocks (the Fabric Gateway's world, docs/gateway.md):
   * invocations are endorsed by the organisations' peers, ordered into blocks and validated
   * (signatures, endorsement policies, MVCC) before they commit. Without it, each submitted
   * invocation commits alone, as one transaction in its own block, without a stored block.
   */
  network?: PeerNetworkOptions;
}

export interface PeerNetworkOptions {
  /** Declared organisations (MSP ids); the first is the peer's own. Default: [mspId]. */
  orgs?: string[];
  /** Crypto material in cryptogen's layout: created when missing or empty, reused otherwise.
   *  Default: a fresh temporary folder (logged at start), removed when the peer closes. */
  cryptoDir?: string;
  /** Organisations declared from an existing MSP folder instead (`--msp MSPID=DIR`). */
  mspDirs?: Record<string, string>;
  /** Chaincode-level endorsement policies in the policy language, by chaincode name. */
  policies?: Record<string, string>;
  /** Block cutting (src/orderer/cutter.ts DEV_BATCH_CONFIG by default). */
  batch?: Partial<import('../orderer/cutter.js').BatchConfig>;
  /** Channels that exist from the start (default ['mychannel']); others are created on first use by invoke. */
  channels?: string[];
  /** The client endpoint's host:port, as ErrorDetails report each organisation's peer. */
  endpoint?: () => string;
}

/** Each refusal names its limit and option. Defaults in parentheses. */
export interface PeerLimits {
  /** Transactions in flight per chaincode name, including invocations waiting for its launch (2500,
   *  Fabric's `peer.limits.concurrency.endorserService`). */
  maxTransactionsPerChaincode?: number;
  /** Transactions in flight on one chaincode stream (2500). */
  maxTransactionsPerStream?: number;
  /** Chaincode streams open at once on the chaincode listener, registered or not (1000). */
  maxChaincodeStreams?: number;
  /** Iterators a chaincode may hold open in one transaction (1000). */
  maxOpenIteratorsPerTransaction?: number;
}

/**
 * What the peer side of one chaincode stream did: a message in or out, or a handler state change.
 * `chaincode` is the ChaincodeID.name the chaincode registered with (`NAME:VERSION`, or a CCaaS
 * package id `LABEL:HASH`), not the invocation name; before REGISTER it is `(unregistered)`.
 */
export type TraceEvent =
  | { kind: 'message'; chaincode: string; direction: 'in' | 'out'; message: import('../protocol/messages.js').Message }
  | { kind: 'state'; chaincode: string; machine: 'peerHandler'; from: string; to: string }
  | { kind: 'violation'; chaincode: string; violation: import('../protocol/violations.js').Violation };

export interface LogRecord {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  [field: string]: unknown;
}

export interface InvokeRequest {
  channel?: string;
  /** Chaincode name as invoked (`NAME` for a chaincode registered as `NAME:VERSION` or `LABEL:HASH`). */
  chaincode: string;
  /** Function and arguments, as UTF-8 strings or raw bytes. */
  args: (string | Uint8Array)[];
  transient?: Record<string, Uint8Array>;
  /** Sent as INIT (`is_init`): required as the first invocation of an init-required chaincode on
   *  a channel, and refused after it (`PeerOptions.initRequired`). */
  init?: boolean;
  /** Identity: MSP id (default the peer's) and user name (default `user1`). */
  mspId?: string;
  user?: string;
  /** true: commit the writes when the transaction succeeds (invoke); false: evaluate (query). */
  submit: boolean;
  txId?: string;
  /** Called once with the transaction id as soon as the proposal is built, before anything runs
   *  (the HTTP API uses it to name the transaction of a call it must answer early). If it throws,
   *  the invocation stops there and rejects: nothing runs (the API's drain relies on this). */
  onTxId?: (txId: string) => void;
}

export interface InvokeResult {
  txId: string;
  status: number;
  message: string;
  payload: Uint8Array;
  events: { name: string; payload: Uint8Array }[];
  committed: boolean;
  /** With PeerOptions.network: the block the transaction was ordered into, and its validation code. */
  blockNumber?: number;
  validationCode?: string;
}

/** What an embedding runtime hands the peer: its own transaction and SignedProposal. */
export interface ExecuteRequest {
  channel: string;
  txId: string;
  chaincode: string;
  txType: 'INIT' | 'TRANSACTION';
  input: import('../protocol/messages.js').ChaincodeInput;
  /** Forwarded to the chaincode untouched; creator MSP, transient map and timestamp are read from it. */
  signedProposal: import('../protocol/messages.js').SignedProposal;
}

/** The chaincode's answer and the transaction's read/write set (to commit with `worldState.commit`). */
export type ExecuteOutcome =
  | {
      ok: true;
      response: import('../protocol/messages.js').Response;
      event: import('../protocol/messages.js').ChaincodeEvent | undefined;
      rwset: import('../ledger/index.js').TxSimulationResults;
    }
  /** ChaincodeSupport.Execute's error (fabric chaincode_support.go processChaincodeExecutionResult):
   *  `transaction returned with failure: …` for an ERROR, `failed to execute transaction <txid>: …`
   *  when it could not run (src/peer/fabricTexts.ts). */
  | { ok: false; message: string };

export interface ChaincodeInfo {
  /** Name invocations use. */
  name: string;
  /** ChaincodeID.name it registered with (`NAME:VERSION` or `LABEL:HASH`), if connected. */
  registeredAs?: string;
  launch: ChaincodeLaunch['kind'];
  state: 'idle' | 'launching' | 'ready';
  /** Present (true) for a chaincode that requires initialization (`PeerOptions.initRequired`). */
  initRequired?: true;
}

/** What a running peer offers (implemented by `Peer` in src/peer/peer.ts). */
export interface PeerApi {
  /** host:port of the chaincode listener (`ChaincodeSupport.Register`). */
  readonly chaincodeAddress: string;
  /** PEM of the chaincode listener's TLS CA when TLS is on (what a user-run chaincode must trust). */
  readonly tlsRootCertPem: string | undefined;
  invoke(req: InvokeRequest): Promise<InvokeResult>;
  listChaincodes(): ChaincodeInfo[];
  listChannels(): string[];
  /** Whether transaction `txId` was committed on `channel` (GET /transactions/TXID). */
  isCommitted?(channel: string, txId: string): Promise<boolean>;
  /** Mint TLS client material for a chaincode name (user-run chaincode with TLS on). */
  clientTlsFor?(chaincodeName: string): { certPem: string; keyPem: string } | undefined;
  /**
   * Refuse new invocations, let those in flight finish (at most `graceMs`, default 0), then end the
   * chaincode streams (what is still running fails), stop chaincode processes and close the ledger.
   */
  close(graceMs?: number): Promise<void>;
}
