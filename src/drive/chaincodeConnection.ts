/**
 * Drives the chaincode core for one stream to a peer: the serial drive loop around
 * `stepChaincode`, plus what a shim runtime needs on top of it: a per-transaction FIFO so that
 * only one request per transaction reaches the core at a time (fabric-shim's MsgQueueHandler does
 * the same), and promise-based settlement of stub requests. Promises returned by `request` resolve
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
import { txKey } from '../protocol/txKey.js';
import { createChaincodeState, type ChaincodeCoreState } from '../core/chaincode/state.js';
import { stepChaincode } from '../core/chaincode/step.js';
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
  /** Send a request for this transaction; queued behind any request still in flight. */
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

export class ChaincodeConnection extends DriveLoop<ChaincodeCoreInput> {
  readonly core: ChaincodeCoreState;
  private readonly requests = new Map<number, (o: RequestOutcome) => void>();
  /**
   * Each transaction's request FIFO: present while one of its requests is in flight, holding the
   * sends queued behind it. The next one goes out when the reply to the current one is settled,
   * from the drive loop (as fabric-shim's MsgQueueHandler sends the next queued message on a reply).
   */
  private readonly waiting = new Map<string, Array<() => void>>();
  private nextRequestId = 1;
  private readyWaiters: Array<{ resolve: (p: ChaincodeAdditionalParams) => void; reject: (e: Error) => void }> = [];

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
  /** What the peer advertised in READY. */
  get params(): ChaincodeAdditionalParams {
    return this.core.handler.context.params;
  }

  /** Send REGISTER; resolves with the READY capabilities, rejects if the stream ends first. */
  start(chaincodeName: string): Promise<ChaincodeAdditionalParams> {
    if (this.core.handler.value !== 'idle') {
      // The core reports the second start (INVALID_COMMAND); its caller must not wait for a READY
      // that has come and gone, or for one the first start() is already waiting for.
      const state = this.core.handler.value;
      this.feed({ kind: 'appStart', chaincodeName, now: this.clock.now() });
      return Promise.reject(new Error(`start() was already called (the handler is ${state})`));
    }
    const ready = new Promise<ChaincodeAdditionalParams>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    this.feed({ kind: 'appStart', chaincodeName, now: this.clock.now() });
    return ready;
  }

  /** Send one request now (no queueing): the core refuses a second concurrent one. */
  requestNow(message: RequestMessage): Promise<RequestOutcome> {
    const requestId = this.nextRequestId++;
    const p = new Promise<RequestOutcome>((resolve) => this.requests.set(requestId, resolve));
    this.feed({ kind: 'appRequest', requestId, message, now: this.clock.now() });
    return p;
  }

  private handle(channelId: string, txid: string, txType: 'INIT' | 'TRANSACTION', input: ChaincodeInput, proposal: SignedProposal | undefined): TransactionHandle {
    const key = txKey(channelId, txid);
    return {
      channelId,
      txid,
      txType,
      input,
      proposal,
      request: (partial) => {
        const message = { ...partial, txid, channelId } as RequestMessage;
        const waiting = this.waiting.get(key);
        if (waiting === undefined) {
          // Nothing in flight for this transaction: send now, and open its FIFO.
          this.waiting.set(key, []);
          return this.requestNow(message);
        }
        return new Promise<RequestOutcome>((resolve) => waiting.push(() => this.requestNow(message).then(resolve)));
      },
      complete: (response, event) => this.feed({ kind: 'appResult', channelId, txid, response, event, now: this.clock.now() }),
      fail: (message, event) => this.feed({ kind: 'appFailed', channelId, txid, message, event, now: this.clock.now() }),
    };
  }

  /** The reply to `key`'s request is settled: send the next queued one, or close the FIFO. */
  private sendNextWaiting(key: string): void {
    const waiting = this.waiting.get(key);
    if (waiting === undefined) return;
    const next = waiting.shift();
    if (next) next();
    else this.waiting.delete(key);
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
        for (const w of this.readyWaiters.splice(0)) w.resolve(e.params);
        return;
      case 'handshakeFailed':
        for (const w of this.readyWaiters.splice(0)) w.reject(new Error(`stream to the peer ended before READY: ${e.reason}`));
        return;
      case 'runChaincode':
        this.hooks.onTransaction(this.handle(e.channelId, e.txid, e.txType, e.input, e.proposal));
        return;
      case 'settleRequest': {
        const resolve = this.requests.get(e.requestId);
        this.requests.delete(e.requestId);
        resolve?.(e.outcome);
        this.sendNextWaiting(txKey(e.channelId, e.txid));
        return;
      }
      case 'txEnded': {
        // Requests still queued go to the core, which refuses them (the transaction is finished):
        // each is settled with an error, none is left hanging.
        const key = txKey(e.channelId, e.txid);
        const waiting = this.waiting.get(key);
        this.waiting.delete(key);
        if (waiting) for (const send of waiting) send();
        return;
      }
    }
  }
}
