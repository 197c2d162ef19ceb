/**
 * Per-transaction plumbing behind a ChaincodeStub: sends requests through the connection, whose
 * core holds them behind the one in flight (machines/chaincodeTx.machine.ts, as fabric-shim's
 * MsgQueueHandler), turns failed outcomes into thrown Errors (the peer's text verbatim, as the Go and
 * Node shims do; a lost stream reads `chaincode stream terminated`), keeps the event, the write batch
 * and the set of stub calls still running.
 *
 * Every promise handed to chaincode code goes through `track`: it is counted until it settles (so the
 * runtime can wait for calls the chaincode forgot to await before it answers COMPLETED), and the
 * rejection handler that uncounts it also means an un-awaited call that fails can never become an
 * unhandled rejection that kills the process. Awaiting it still throws as usual.
 */
import type { ChaincodeConnection, RequestOutcome, TransactionHandle } from '../drive/chaincodeConnection.js';
import type { RequestMessage } from '../protocol/inputs.js';
import type { ChaincodeAdditionalParams, ChaincodeEvent, ChaincodeInput, SignedProposal } from '../protocol/messages.js';
import type { Logger } from './logger.js';
import type { WriteBatch } from './writeBatch.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a transaction needs from its connection (a ChaincodeConnection). */
export type ConnectionView = Pick<ChaincodeConnection, 'params' | 'isRunning' | 'handlerState'>;

/** What a stub request carries (txid and channel are added from the transaction). */
export type StubRequest = Omit<RequestMessage, 'txid' | 'channelId'>;

const payloadOf = (outcome: RequestOutcome): Uint8Array => {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.payload;
};

export class TransactionContext {
  readonly channelId: string;
  readonly txid: string;
  readonly txType: 'INIT' | 'TRANSACTION';
  readonly input: ChaincodeInput;
  readonly proposal: SignedProposal | undefined;
  /** The event set with setEvent (only the last one is sent, as in every shim). */
  event: ChaincodeEvent | undefined;
  /** The active write batch, if StartWriteBatch was called and the peer supports batches. */
  batch: WriteBatch | undefined;
  private ended = false;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly tx: TransactionHandle,
    private readonly connection: ConnectionView,
    readonly env: Env,
    readonly logger: Logger,
  ) {
    this.channelId = tx.channelId;
    this.txid = tx.txid;
    this.txType = tx.txType;
    this.input = tx.input;
    this.proposal = tx.proposal;
  }

  /** What the peer advertised in READY. */
  get params(): ChaincodeAdditionalParams {
    return this.connection.params;
  }

  /** `[<channel>-<txid first 8>]`, fabric-shim's log and message prefix (lib/utils/utils.js). */
  get prefix(): string {
    return `[${this.channelId}-${this.txid.substring(0, 8)}]`;
  }

  /** Answered by us, or abandoned by the connection (the stream ended). */
  get isEnded(): boolean {
    return this.ended || !this.connection.isRunning(this.channelId, this.txid);
  }

  /** Stub calls that have not settled yet. */
  get runningCalls(): number {
    return this.running.size;
  }

  /** Sends one request; resolves with the RESPONSE payload, rejects with the ERROR text. */
  request(message: StubRequest): Promise<Uint8Array> {
    // Checked here rather than left to the connection: a request for a transaction the connection
    // no longer runs is refused by the core anyway, but the connection's per-transaction FIFO would
    // keep an entry for it.
    if (this.isEnded) {
      const closed = this.connection.handlerState === 'closed' || this.connection.handlerState === 'failed';
      return Promise.reject(
        new Error(
          closed ? `${this.prefix} ${message.type} cannot be sent: chaincode stream terminated` : `${this.prefix} ${message.type} cannot be sent: the transaction has already finished`,
        ),
      );
    }
    // No trial encoding here: the stub checks every argument's type (needString/needBytes), and
    // the encoder accepts any string (lone surrogates become U+FFFD), so encoding a request cannot
    // fail; encoding it twice cost ~5% of a transaction.
    return this.tx.request(message).then(payloadOf);
  }

  /** Registers a promise handed to chaincode code (see the module comment). */
  track<P extends Promise<unknown>>(p: P): P {
    this.running.add(p);
    const done = (): void => {
      this.running.delete(p);
    };
    // The rejection handler also marks `p` handled: an un-awaited failing call is no unhandled rejection.
    p.then(done, done);
    return p;
  }

  /** Waits until no tracked call is running (calls started while waiting are waited for too). */
  async drain(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
    }
  }

  /** From now on requests are refused locally. */
  end(): void {
    this.ended = true;
    this.batch = undefined;
  }
}
