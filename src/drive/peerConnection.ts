/**
 * Drives the peer core for one chaincode stream: the serial drive loop (one input, then every
 * effect in order, then the next input) around `stepPeer`. Transport-agnostic: the gRPC adapter and
 * the in-memory pair both use it. Promises returned to callers never reject; they resolve with an
 * outcome value.
 */
import type { ExecuteFailure, PeerEffect } from '../protocol/effects.js';
import type { PeerCoreInput, RequestMessage } from '../protocol/inputs.js';
import type { ChaincodeEvent, ChaincodeInput, Message, Response, SignedProposal, Bytes } from '../protocol/messages.js';
import type { Violation } from '../protocol/violations.js';
import { DEFAULT_EXECUTE_TIMEOUT_MS } from '../protocol/timers.js';
import { createPeerState, type PeerCoreOptions, type PeerCoreState } from '../core/peer/state.js';
import { stepPeer } from '../core/peer/step.js';
import { realClock, type Clock } from './clock.js';
import { DriveLoop } from './driveLoop.js';

export type RegistryVerdict = { accepted: true } | { accepted: false; reason: string };
export type ServeResult = { ok: true; payload: Bytes } | { ok: false; cause: string };
export type ExecuteResult =
  | { ok: true; response: Response; event: ChaincodeEvent | undefined }
  | { ok: false; failure: ExecuteFailure; message: string; errorPayload?: Bytes; cause?: string };

export interface PeerConnectionHooks {
  /** Put a message on the stream (in order). */
  send(message: Message): void;
  /** End the stream; the transport reports the end back through `transportClosed`. */
  close(reason: string): void;
  /** Accept or refuse a REGISTER (registry: duplicates, unsolicited names). */
  register(chaincodeName: string): RegistryVerdict | Promise<RegistryVerdict>;
  /** Serve one shim request from the ledger (or a chaincode-to-chaincode call). */
  serve(request: RequestMessage): ServeResult | Promise<ServeResult>;
  /** READY has been sent. */
  onReady?(chaincodeName: string): void;
  onViolation?(violation: Violation): void;
  /** Every step, for transcripts and tracing. */
  onStep?(input: PeerCoreInput, effects: readonly PeerEffect[], from: string, to: string): void;
}

export interface ExecuteRequest {
  channelId: string;
  txid: string;
  txType: 'INIT' | 'TRANSACTION';
  input: ChaincodeInput;
  proposal: SignedProposal | undefined;
  timeoutMs?: number;
}

/** Default bound on transactions in flight on one stream: Fabric's endorser concurrency limit
 *  (sample core.yaml `peer.limits.concurrency.endorserService`: 2500). */
export const DEFAULT_MAX_TRANSACTIONS_PER_STREAM = 2500;

export interface PeerConnectionOptions {
  clock?: Clock;
  core?: Partial<PeerCoreOptions>;
  executeTimeoutMs?: number;
  /** Executes in flight at once; one more is refused at once with an error naming this limit.
   *  Default 2500. */
  maxTransactionsPerStream?: number;
}

export class PeerConnection extends DriveLoop<PeerCoreInput> {
  readonly core: PeerCoreState;
  private readonly timers = new Map<string, unknown>();
  private readonly executes = new Map<number, (r: ExecuteResult) => void>();
  private nextExecuteId = 1;
  private readonly executeTimeoutMs: number;
  private readonly maxTransactions: number;

  constructor(
    private readonly hooks: PeerConnectionHooks,
    options: PeerConnectionOptions = {},
  ) {
    super(options.clock ?? realClock);
    this.core = createPeerState(options.core);
    this.executeTimeoutMs = options.executeTimeoutMs ?? DEFAULT_EXECUTE_TIMEOUT_MS;
    this.maxTransactions = options.maxTransactionsPerStream ?? DEFAULT_MAX_TRANSACTIONS_PER_STREAM;
  }


  get handlerState(): string {
    return this.core.handler.value;
  }
  get chaincodeName(): string {
    return this.core.handler.context.chaincodeName;
  }

  execute(req: ExecuteRequest): Promise<ExecuteResult> {
    if (this.executes.size >= this.maxTransactions) {
      // Admission, not protocol: the stream never sees this transaction (as Fabric's endorser
      // refuses a proposal past its concurrency limit before any chaincode runs).
      const message =
        `too many transactions in flight on the stream of chaincode ${this.chaincodeName || '(unregistered)'} ` +
        `(limit ${this.maxTransactions}, option maxTransactionsPerStream / --max-tx-per-stream)`;
      return Promise.resolve({ ok: false, failure: 'overloaded', message });
    }
    const executeId = this.nextExecuteId++;
    const result = new Promise<ExecuteResult>((resolve) => this.executes.set(executeId, resolve));
    this.feed({
      kind: 'appExecute',
      executeId,
      channelId: req.channelId,
      txid: req.txid,
      txType: req.txType,
      input: req.input,
      proposal: req.proposal,
      timeoutMs: req.timeoutMs ?? this.executeTimeoutMs,
      now: this.clock.now(),
    });
    return result;
  }
  protected step(input: PeerCoreInput): void {
    const from = this.core.handler.value;
    const { effects } = stepPeer(this.core, input);
    this.hooks.onStep?.(input, effects, from, this.core.handler.value);
    for (const e of effects) this.run(e);
  }

  private run(e: PeerEffect): void {
    switch (e.kind) {
      case 'send':
        try {
          this.hooks.send(e.message);
        } catch (err) {
          // fabric handler.go: a failed send ends the stream; pending executes then fail.
          this.hooks.close(`received error while sending message, ending chaincode support stream: ${errorString(err)}`);
          this.transportClosed(`send failed: ${errorString(err)}`);
        }
        return;
      case 'closeStream':
        this.hooks.close(e.reason);
        return;
      case 'startTimer':
        this.timers.set(
          e.timerId,
          this.clock.setTimer(e.deadline, () => {
            this.timers.delete(e.timerId);
            this.feed({ kind: 'timerFired', timerId: e.timerId, now: this.clock.now() });
          }),
        );
        return;
      case 'cancelTimer': {
        const h = this.timers.get(e.timerId);
        if (h !== undefined) this.clock.clearTimer(h);
        this.timers.delete(e.timerId);
        return;
      }
      case 'violation':
        this.hooks.onViolation?.(e.violation);
        return;
      case 'register':
        settleLater(
          () => this.hooks.register(e.chaincodeName),
          (v) => this.feed({ kind: 'registryVerdict', accepted: v.accepted, reason: v.accepted ? undefined : v.reason, now: this.clock.now() } as PeerCoreInput),
          (err) => this.feed({ kind: 'registryVerdict', accepted: false, reason: `registry failed: ${err}`, now: this.clock.now() }),
        );
        return;
      case 'handlerReady':
        this.hooks.onReady?.(e.chaincodeName);
        return;
      case 'serveRequest':
        this.serve(e.serveId, e.request);
        return;
      case 'settleExecute': {
        const resolve = this.executes.get(e.executeId);
        this.executes.delete(e.executeId);
        resolve?.(e.outcome);
        return;
      }
    }
  }
  /** Serve one request and feed its result: at once when the hook answers synchronously (the
   *  in-memory ledger), else when its promise settles. Never throws, never leaves a rejection. */
  private serve(serveId: number, request: RequestMessage): void {
    let result: ServeResult | Promise<ServeResult>;
    try {
      result = this.hooks.serve(request);
    } catch (err) {
      result = { ok: false, cause: errorString(err) };
    }
    if (result instanceof Promise) {
      result.then(
        (r) => this.served(serveId, request, r),
        (err: unknown) => this.served(serveId, request, { ok: false, cause: errorString(err) }),
      );
    } else this.served(serveId, request, result);
  }

  private served(serveId: number, request: RequestMessage, result: ServeResult): void {
    this.feed({ kind: 'serveResult', serveId, channelId: request.channelId, txid: request.txid, result, now: this.clock.now() });
  }
}

/** Call `f`; deliver its (sync or async) value or failure. Never throws, never leaves a rejection. */
function settleLater<T>(f: () => T | Promise<T>, ok: (v: T) => void, fail: (message: string) => void): void {
  let v: T | Promise<T>;
  try {
    v = f();
  } catch (err) {
    fail(errorString(err));
    return;
  }
  if (v instanceof Promise) v.then(ok, (err: unknown) => fail(errorString(err)));
  else ok(v);
}

function errorString(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
