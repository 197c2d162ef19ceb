/**
 * The state one transaction shares across every chaincode it reaches on its channel: the ledger
 * context, the database snapshot all its reads come from, its read/write set (rwset.ts), the
 * simulator's restrictions (validation.ts TxRestrictions), and the queue that runs its operations
 * one at a time.
 *
 * Reads come from one database snapshot taken when the simulation starts. Fabric gets the same
 * consistency differently (a simulation holds the commit lock for reading, txmgr
 * lockbased_txmgr.go), so every read of a simulation sees one committed state and never the
 * simulation's own writes. Ending the transaction (tx_simulator.go GetTxSimulationResults / Done)
 * closes the iterators of every chaincode view, computes the read/write set once and releases the
 * snapshot.
 */
import type { Timestamp } from '../protocol/messages.js';
import type { CollectionRegistry } from './collections.js';
import { asLedgerError } from './errors.js';
import { RwSetBuilder } from './rwset.js';
import type { Db, Snapshot } from './store.js';
import type { TxSimulationResults } from './types.js';
import { TxRestrictions } from './validation.js';

/** What a simulation needs from its WorldState. */
export interface LedgerContext {
  readonly db: Db;
  readonly registry: CollectionRegistry;
  readonly totalQueryLimit: number;
  readonly maxOpenIterators: number;
  readonly internalQueryLimit: number;
  readonly stateDatabase: 'CouchDB' | 'goleveldb';
  readonly historyEnabled: boolean;
  newIteratorId(): string;
  assertOpen(): void;
  /** Called once when a transaction finishes (result/done/commit). */
  released(tx: TxState): void;
}

function rethrowAsLedgerError(e: unknown): never {
  throw asLedgerError(e);
}

/** State shared by all namespaces of one transaction (chaincode-to-chaincode calls on one channel). */
export class TxState extends TxRestrictions {
  readonly builder = new RwSetBuilder();
  /** The chaincode views (Simulation) of this transaction; each owns its iterators. */
  readonly facades = new Set<{ closeIteratorsNow(): Promise<void> }>();
  private queue: Promise<unknown> = Promise.resolve();
  private results: TxSimulationResults | undefined;

  constructor(
    readonly ctx: LedgerContext,
    readonly channel: string,
    readonly txId: string,
    readonly timestamp: Timestamp | undefined,
    readonly snapshot: Snapshot,
  ) {
    super();
  }

  /**
   * Runs operations of one transaction one at a time, as the peer does (one request per txid). With
   * nothing queued (the peer's case: the core lets one request per transaction through) the
   * operation starts at once instead of a turn later.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const start = (): Promise<T> => {
      try {
        this.ctx.assertOpen();
        return fn().catch(rethrowAsLedgerError);
      } catch (e) {
        return Promise.reject(asLedgerError(e));
      }
    };
    const p = this.running === 0 ? start() : this.queue.then(start);
    this.running++;
    this.queue = p.then(this.finished, this.finished);
    return p;
  }
  private running = 0;
  private readonly finished = (): void => {
    this.running--;
  };

  /** Ends the simulation: closes every iterator and the snapshot; computes the rwset once. */
  async finish(): Promise<TxSimulationResults> {
    if (this.results !== undefined) return this.results;
    this.done = true;
    for (const f of this.facades) await f.closeIteratorsNow();
    this.results = this.builder.build(this.channel, this.txId, this.timestamp);
    await this.snapshot.close();
    this.ctx.released(this);
    return this.results;
  }

  /** Closes without waiting for queued operations (used by WorldState.close). */
  async abandon(): Promise<void> {
    this.done = true;
    for (const f of this.facades) await f.closeIteratorsNow();
    await this.snapshot.close().catch(() => undefined);
  }
}

/** @internal */
export function newTx(
  ctx: LedgerContext,
  snapshot: Snapshot,
  options: { channel: string; txId: string; timestamp: Timestamp | undefined },
): TxState {
  return new TxState(ctx, options.channel, options.txId, options.timestamp, snapshot);
}
