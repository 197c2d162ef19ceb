/**
 * Wires a peer connection and a chaincode connection together in one process, without gRPC. Each
 * message crosses as bytes through the real codec by default (so sessions prove byte
 * compatibility too), in order, through a FIFO per direction that is drained in a flat loop (no
 * recursion, deterministic). A small in-memory ledger (standInLedger.ts) answers shim requests.
 */
import type { Message } from '../protocol/messages.js';
import type { DecodeResult } from '../protocol/messages.js';
import type { Violation } from '../protocol/violations.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';
import { realClock, type Clock } from '../drive/clock.js';
import { ChaincodeConnection, type TransactionHandle } from '../drive/chaincodeConnection.js';
import { PeerConnection, type ExecuteRequest, type ExecuteResult, type PeerConnectionHooks } from '../drive/peerConnection.js';
import type { PeerCoreOptions } from '../core/peer/state.js';
import { StandInLedger } from './standInLedger.js';

export interface Codec {
  encode(message: Message): Uint8Array;
  decode(bytes: Uint8Array): DecodeResult;
}

export const wireCodec: Codec = { encode: encodeMessage, decode: decodeMessage };

export interface TranscriptEntry {
  from: 'peer' | 'chaincode';
  message: Message;
}

export interface MemoryPairOptions {
  /** Name the chaincode registers with. */
  chaincodeName?: string;
  /** The chaincode: called for every INIT/TRANSACTION; must finish with tx.complete or tx.fail. */
  chaincode(tx: TransactionHandle): void | Promise<void>;
  /** Bytes codec; `null` passes domain objects through untouched (fastest, no byte check). */
  codec?: Codec | null;
  clock?: Clock;
  ledger?: StandInLedger;
  /** Replaces the ledger: serve requests yourself. */
  serve?: PeerConnectionHooks['serve'];
  peerCore?: Partial<PeerCoreOptions>;
  executeTimeoutMs?: number;
  /** Executes in flight at once (PeerConnection's bound, default 2500): the pair delivers every
   *  message as it is sent, so this is what bounds what it holds. */
  maxTransactionsPerStream?: number;
  /** Record every message in `transcript`. */
  record?: boolean;
}

export class MemoryPair {
  readonly peer: PeerConnection;
  readonly chaincode: ChaincodeConnection;
  readonly ledger: StandInLedger;
  readonly transcript: TranscriptEntry[] = [];
  readonly violations: Violation[] = [];
  private readonly toChaincode: Uint8Array[] | Message[] = [];
  private readonly toPeer: Uint8Array[] | Message[] = [];
  private pumping = false;
  private open = true;
  private readonly name: string;
  private readonly codec: Codec | null;

  constructor(private readonly options: MemoryPairOptions) {
    const codec = (this.codec = options.codec === undefined ? wireCodec : options.codec);
    const clock = options.clock ?? realClock;
    this.name = options.chaincodeName ?? 'mycc:1.0';
    this.ledger = options.ledger ?? new StandInLedger();
    const record = options.record ?? false;
    const ship = (queue: unknown[], from: 'peer' | 'chaincode') => (message: Message) => {
      if (!this.open) return;
      if (record) this.transcript.push({ from, message });
      queue.push(codec ? codec.encode(message) : message);
      this.pump();
    };
    this.peer = new PeerConnection(
      {
        send: ship(this.toChaincode, 'peer'),
        close: (reason) => this.closeBoth(reason),
        register: () => ({ accepted: true }),
        serve: options.serve ?? ((request) => this.ledger.serve(request)),
        onViolation: (v) => this.violations.push(v),
      },
      { clock, core: options.peerCore, executeTimeoutMs: options.executeTimeoutMs, maxTransactionsPerStream: options.maxTransactionsPerStream },
    );
    this.chaincode = new ChaincodeConnection(
      {
        send: ship(this.toPeer, 'chaincode'),
        close: (reason) => this.closeBoth(reason),
        onTransaction: (tx) => {
          // Run the chaincode outside the drive loop; a throw becomes an ERROR, never a crash.
          Promise.resolve()
            .then(() => options.chaincode(tx))
            .catch((err: unknown) => tx.fail(err instanceof Error ? err.message : String(err)));
        },
        onViolation: (v) => this.violations.push(v),
      },
      { clock },
    );
  }

  /** Handshake: REGISTER, REGISTERED, READY. */
  async start(): Promise<void> {
    await this.chaincode.start(this.name);
  }

  execute(req: Omit<ExecuteRequest, 'txType' | 'proposal'> & Partial<Pick<ExecuteRequest, 'txType' | 'proposal'>>): Promise<ExecuteResult> {
    // Field by field rather than a spread: one object shape, and no generic copy per execute.
    return this.peer.execute({
      channelId: req.channelId,
      txid: req.txid,
      txType: req.txType ?? 'TRANSACTION',
      input: req.input,
      proposal: req.proposal,
      timeoutMs: req.timeoutMs,
    });
  }

  /** Simulate the stream dying (both sides see the transport close). */
  drop(reason = 'stream dropped'): void {
    this.closeBoth(reason);
  }

  private closeBoth(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.toChaincode.length = 0;
    this.toPeer.length = 0;
    this.peer.transportClosed(reason);
    this.chaincode.transportClosed(reason);
  }

  private deliver(item: Uint8Array | Message, to: PeerConnection | ChaincodeConnection): void {
    if (!this.codec) return to.receive(item as Message);
    const r = this.codec.decode(item as Uint8Array);
    if (r.ok) to.receive(r.message);
    else to.receiveMalformed(r.malformed);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.open && (this.toChaincode.length || this.toPeer.length)) {
        const c = (this.toChaincode as unknown[]).shift() as Uint8Array | Message | undefined;
        if (c !== undefined) this.deliver(c, this.chaincode);
        const p = (this.toPeer as unknown[]).shift() as Uint8Array | Message | undefined;
        if (p !== undefined) this.deliver(p, this.peer);
      }
    } finally {
      this.pumping = false;
    }
  }
}
