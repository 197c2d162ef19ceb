/**
 * Drives the chaincode core for one stream to a peer: the serial drive loop around
 * `stepChaincode`, and promises for what the core answers by id: each stub request (`settleRequest`;
 * the core holds a transaction's calls behind its outstanding request, chaincodeTx.machine.ts) and
 * the start (`ready`, `handshakeFailed`, `startRefused`). Promises returned by `request` resolve
 * with an outcome value and never reject.
 */
import type { ChaincodeEffect } from '../protocol/effects.js';
import type { ChaincodeCoreInput, RequestMessage } from '../protocol/inputs.js';
import type {
  Bytes,
  ChaincodeAdditionalParams,
  ChaincodeEvent,
  ChaincodeInput,
  Message,
  Response,
  SignedProposal,
} from '../protocol/messages.js';
import type { Violation } from '../protocol/violations.js';
import { createChaincodeState, type ChaincodeCoreState } from '../core/chaincode/state.js';
import { stepChaincode } from '../core/chaincode/step.js';
import { txGet } from '../core/txTable.js';
import { realClock, type Clock } from './clock.js';
import { DriveLoop } from './driveLoop.js';

export type RequestOutcome = { ok: true; payload: Bytes } | { ok: false; message: string };

/** One running transaction, as handed to the chaincode runtime. */
export interface TransactionHandle {
  readonly channelId: string;
  readonly txid: string;
  readonly txType: 'INIT' | 'TRANSACTION';
  readonly input: ChaincodeInput;
  readonly proposal: SignedProposal | undefined;
  /** Send a request for this transaction; held by the core behind any request still in flight. */
  request(message: Omit<RequestMessage, 'txid' | 'channelId'>): Promise<RequestOutcome>;
  /** Answer with COMPLETED. */
  complete(response: Response, event?: ChaincodeEvent): void;
  /** Answer with ERROR. */
  fail(message: string, event?: ChaincodeEvent): void;
}

export interface ChaincodeConnectionHooks {
  send(message: Message): void;
  close(reason: string): void;
  /** A transaction started: run Init/Invoke and finish with `complete` or `fail`. */
  onTransaction(tx: TransactionHandle): void;
  onViolation?(violation: Violation): void;
  onStep?(input: ChaincodeCoreInput, effects: readonly ChaincodeEffect[], from: string, to: string): void;
}

/**
 * A stub request of transaction (channelId, txid), built field by field in the decoder's order
 * (src/wire/decode.ts): one object shape for every message keeps the core and the encoder
 * monomorphic. An object spread here made each request several microseconds slower (bench:core).
 */
export function requestMessage(partial: Omit<RequestMessage, 'txid' | 'channelId'>, txid: string, channelId: string): RequestMessage {
  return {
    type: partial.type,
    txid,
    channelId,
    timestamp: partial.timestamp,
    proposal: partial.proposal,
    chaincodeEvent: partial.chaincodeEvent,
    payload: partial.payload,
  } as RequestMessage;
}

export class ChaincodeConnection extends DriveLoop<ChaincodeCoreInput> {
  readonly core: ChaincodeCoreState;
  private readonly requests = new Map<number, (o: RequestOutcome) => void>();
  private nextRequestId = 1;
  private readonly starts = new Map<number, { resolve: (p: ChaincodeAdditionalParams) => void; reject: (e: Error) => void }>();
  private nextStartId = 1;

  constructor(
    private readonly hooks: ChaincodeConnectionHooks,
    options: { clock?: Clock; finishedMemory?: number } = {},
  ) {
    super(options.clock ?? realClock);
    this.core = createChaincodeState({ finishedMemory: options.finishedMemory });
  }

  get handlerState(): string {
    return this.core.handler.value;
  }
  /** Whether the core runs transaction (channelId, txid). */
  isRunning(channelId: string, txid: string): boolean {
    return txGet(this.core.txs, channelId, txid) !== undefined;
  }

  /** What the peer advertised in READY. */
  get params(): ChaincodeAdditionalParams {
    return this.core.handler.context.params;
  }

  /**
   * Send REGISTER; resolves with the READY capabilities, rejects if the stream ends first, or at
   * once when start() was already called (the core refuses a second start).
   */
  start(chaincodeName: string): Promise<ChaincodeAdditionalParams> {
    const startId = this.nextStartId++;
    const ready = new Promise<ChaincodeAdditionalParams>((resolve, reject) => this.starts.set(startId, { resolve, reject }));
    this.feed({ kind: 'appStart', chaincodeName, startId, now: this.clock.now() });
    return ready;
  }

  /** Send a stub request of a running transaction (the core holds it behind one in flight). */
  request(message: RequestMessage): Promise<RequestOutcome> {
    const requestId = this.nextRequestId++;
    const p = new Promise<RequestOutcome>((resolve) => this.requests.set(requestId, resolve));
    this.feed({ kind: 'appRequest', requestId, message, now: this.clock.now() });
    return p;
  }

  private handle(channelId: string, txid: string, txType: 'INIT' | 'TRANSACTION', input: ChaincodeInput, proposal: SignedProposal | undefined): TransactionHandle {
    return {
      channelId,
      txid,
      txType,
      input,
      proposal,
      request: (partial) => this.request(requestMessage(partial, txid, channelId)),
      complete: (response, event) => this.feed({ kind: 'appResult', channelId, txid, response, event, now: this.clock.now() }),
      fail: (message, event) => this.feed({ kind: 'appFailed', channelId, txid, message, event, now: this.clock.now() }),
    };
  }

  private settleStart(startId: number, outcome: { params: ChaincodeAdditionalParams } | { error: Error }): void {
    const waiter = this.starts.get(startId);
    this.starts.delete(startId);
    if (waiter === undefined) return;
    if ('params' in outcome) waiter.resolve(outcome.params);
    else waiter.reject(outcome.error);
  }

  protected step(input: ChaincodeCoreInput): void {
    const from = this.core.handler.value;
    const { effects } = stepChaincode(this.core, input);
    this.hooks.onStep?.(input, effects, from, this.core.handler.value);
    for (const e of effects) this.run(e);
  }

  private run(e: ChaincodeEffect): void {
    switch (e.kind) {
      case 'send':
        try {
          this.hooks.send(e.message);
        } catch (err) {
          const reason = `error sending: ${err instanceof Error ? err.message : String(err)}`;
          this.hooks.close(reason);
          this.transportClosed(reason);
        }
        return;
      case 'closeStream':
        this.hooks.close(e.reason);
        return;
      case 'startTimer':
      case 'cancelTimer':
        // The chaincode core arms no timers today; the cases exist for totality.
        return;
      case 'violation':
        this.hooks.onViolation?.(e.violation);
        return;
      case 'ready':
        this.settleStart(e.startId, { params: e.params });
        return;
      case 'handshakeFailed':
        this.settleStart(e.startId, { error: new Error(`stream to the peer ended before READY: ${e.reason}`) });
        return;
      case 'startRefused':
        this.settleStart(e.startId, { error: new Error(e.reason) });
        return;
      case 'runChaincode':
        this.hooks.onTransaction(this.handle(e.channelId, e.txid, e.txType, e.input, e.proposal));
        return;
      case 'settleRequest': {
        const resolve = this.requests.get(e.requestId);
        this.requests.delete(e.requestId);
        resolve?.(e.outcome);
        return;
      }
      case 'txEnded':
        // Every request of the transaction was settled by the core before this effect.
        return;
    }
  }
}
