/**
 * One channel of the dev peer end to end after endorsement: the in-process ordering service
 * (broadcast checks, block cutting, numbering, hashing and signing) and the committer
 * (validation, policies, ledger commit, notifications), strictly one block after another.
 *
 *   broadcast(envelope) ─ checks (orderer/common/msgprocessor: size, Writers signature) ─▶ cutter
 *   cutter batch ─▶ orderBlock (number, previous hash, data hash, signature)
 *     ─▶ validateEnvelope per tx ─▶ WorldState.commitBlock (duplicates, policies via `check`, MVCC,
 *        one batch) ─▶ waiters (CommitStatus), block listeners (Deliver, ChaincodeEvents)
 *
 * Private read/write sets wait here by txid between endorsement and commit (Fabric's transient
 * store, core/transientstore), bounded in count; a transaction whose private data is gone commits
 * its hashes only, as on a peer that lacks the data.
 */
import type { MspManager } from '../identity/index.js';
import type { WorldState } from '../ledger/index.js';
import { BlockCutter, type BatchConfig } from '../orderer/cutter.js';
import { blockHeaderHash, encodeCommittedBlock, orderBlock, type OrderedBlock } from '../orderer/blocks.js';
import type { Signer } from '../orderer/signer.js';
import type { ChaincodeEvent } from '../protocol/messages.js';
import { decodeBlock, decodeChannelHeader, decodeCommonPayload, decodeEnvelope, decodeSignatureHeader, TxValidationCode, txValidationCodeName } from '../wire/index.js';
import { isWriter, signedBy } from './creator.js';
import { asPolicyIdentities, checkEndorsementPolicies, type PolicySource } from './endorsementCheck.js';
import { validateEnvelope, type CheckedTx } from './validateTx.js';

export interface ChannelLog {
  (record: { level: 'info' | 'warn' | 'error' | 'debug'; msg: string; [field: string]: unknown }): void;
}

export interface ChannelOptions {
  channel: string;
  world: WorldState;
  msps: MspManager;
  policies: PolicySource;
  batch: Readonly<BatchConfig>;
  signer: Signer;
  /** Block 0, written when the channel has no block yet. */
  genesis(): OrderedBlock;
  log?: ChannelLog;
  /** Private data sets kept for transactions not yet committed (default 10,000). */
  maxPrivateDataEntries?: number;
}

/** common.Status values a broadcast can answer with. */
export const BroadcastStatus = { SUCCESS: 200, BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404, SERVICE_UNAVAILABLE: 503 } as const;
export type BroadcastResult = { ok: true } | { ok: false; status: number; statusName: string; info: string };

export interface TxCommitStatus {
  code: number;
  blockNumber: number;
}

/** What listeners learn of each committed block. */
export interface CommittedBlockInfo {
  number: number;
  bytes: Uint8Array;
  txs: { txId: string; code: number; chaincode: string; event?: ChaincodeEvent }[];
}

export class ChannelLedger {
  private readonly cutter: BlockCutter<{ size: number; bytes: Uint8Array }>;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private lastHeaderHash: Uint8Array;
  private nextNumber: number;
  private closed = false;
  private readonly waiters = new Map<string, Set<(s: TxCommitStatus | undefined) => void>>();
  private readonly listeners = new Set<(b: CommittedBlockInfo) => void>();
  private readonly privateData = new Map<string, Uint8Array>();

  private constructor(
    private readonly o: ChannelOptions,
    next: number,
    lastHash: Uint8Array,
  ) {
    this.cutter = new BlockCutter(o.batch);
    this.nextNumber = next;
    this.lastHeaderHash = lastHash;
  }

  static async open(o: ChannelOptions): Promise<ChannelLedger> {
    let height = await o.world.blockHeight(o.channel);
    if (height === 0) {
      const genesis = o.genesis();
      await o.world.commitBlock({ channel: o.channel, number: 0, txs: [{ txId: '' }], encode: (codes) => encodeCommittedBlock(genesis, codes) });
      height = 1;
    }
    // The previous hash chains to the newest stored block; a ledger written before blocks were
    // stored (legacy one-transaction commits) has none, and the chain starts over (logged).
    const last = await o.world.getBlock(o.channel, height - 1);
    const decoded = last ? decodeBlock(last) : undefined;
    const header = decoded?.ok ? decoded.value.header : undefined;
    if (!header) o.log?.({ level: 'warn', msg: 'channel ledger has no stored block to chain to', channel: o.channel, height });
    return new ChannelLedger(o, height, header ? blockHeaderHash(header) : new Uint8Array(0));
  }

  get channel(): string {
    return this.o.channel;
  }

  /** The number of the next block (Fabric's BlockchainInfo.height). */
  get height(): number {
    return this.nextNumber;
  }

  /** Keeps a transaction's private read/write set until its block commits (the transient store). */
  keepPrivateData(txId: string, pvt: Uint8Array): void {
    const max = this.o.maxPrivateDataEntries ?? 10_000;
    this.privateData.delete(txId);
    this.privateData.set(txId, pvt);
    while (this.privateData.size > max) this.privateData.delete(this.privateData.keys().next().value as string);
  }

  privateDataOf(txId: string): Uint8Array | undefined {
    return this.privateData.get(txId);
  }

  /**
   * The ordering service's Broadcast for one envelope (orderer/common/broadcast, msgprocessor
   * standardchannel.go ProcessNormalMsg): it must decode, be for this channel, fit
   * AbsoluteMaxBytes and be signed by a member of some organisation's Writers (admin or client).
   * Accepted means ordered: the envelope is in a batch that will become a block.
   */
  broadcast(envelope: Uint8Array): BroadcastResult {
    const refuse = (status: keyof typeof BroadcastStatus, info: string): BroadcastResult => ({ ok: false, status: BroadcastStatus[status], statusName: status, info });
    if (this.closed) return refuse('SERVICE_UNAVAILABLE', 'the ordering service is shutting down');
    const env = decodeEnvelope(envelope);
    if (!env.ok) return refuse('BAD_REQUEST', `bad envelope: ${env.reason}`);
    const payload = decodeCommonPayload(env.value.payload);
    const ch = payload.ok && payload.value.header ? decodeChannelHeader(payload.value.header.channelHeader) : undefined;
    if (!payload.ok || !ch?.ok) return refuse('BAD_REQUEST', 'bad payload or channel header');
    if (ch.value.channelId !== this.o.channel) return refuse('NOT_FOUND', `channel ${ch.value.channelId} does not exist`);
    const size = env.value.payload.length + env.value.signature.length;
    const tooLarge = this.cutter.tooLarge({ size, bytes: envelope });
    if (tooLarge) return refuse('BAD_REQUEST', tooLarge);
    const sh = decodeSignatureHeader(payload.value.header!.signatureHeader);
    const signer = sh.ok ? signedBy(this.o.msps, sh.value.creator, env.value.payload, env.value.signature) : undefined;
    if (!signer || !isWriter(this.o.msps, signer)) {
      return refuse('FORBIDDEN', "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied");
    }
    const { batches, pending } = this.cutter.ordered({ size, bytes: envelope });
    for (const batch of batches) this.enqueue(batch.map((m) => m.bytes));
    if (!pending) this.stopTimer();
    else if (!this.timer) this.timer = setTimeout(() => this.timeout(), this.o.batch.batchTimeoutMs);
    return { ok: true };
  }

  private timeout(): void {
    this.timer = undefined;
    const batch = this.cutter.cut();
    if (batch.length > 0) this.enqueue(batch.map((m) => m.bytes));
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue(data: Uint8Array[]): void {
    this.queue = this.queue.then(() => this.commitNext(data)).catch((err: unknown) => {
      this.o.log?.({ level: 'error', msg: 'block commit failed; its transactions are lost', channel: this.o.channel, error: String((err as Error)?.message ?? err) });
    });
  }

  private async commitNext(data: Uint8Array[]): Promise<void> {
    const number = this.nextNumber;
    const ordered = orderBlock({ number, previousHash: this.lastHeaderHash, data, lastConfig: 0, signer: this.o.signer });
    const checked: CheckedTx[] = data.map((bytes) => validateEnvelope(bytes, { channel: this.o.channel, msps: this.o.msps, privateData: (txId) => this.privateData.get(txId) }));
    const reasons = new Map<number, string>();
    let stored: Uint8Array = new Uint8Array(0);
    const result = await this.o.world.commitBlock({
      channel: this.o.channel,
      number,
      txs: checked.map((tx, i) => ({
        txId: tx.txId,
        ...(tx.results ? { results: tx.results } : {}),
        // Kept with the block, valid or not (blockPrivateData.ts): DeliverWithPrivateData serves them.
        privateWriteSets: tx.privateWriteSets ?? [],
        code: tx.code,
        ...(tx.code === TxValidationCode.VALID && tx.results
          ? {
              check: async (meta) => {
                const r = await checkEndorsementPolicies({ chaincode: tx.chaincode, results: tx.results!, signers: asPolicyIdentities(this.o.msps, tx.endorsers), policies: this.o.policies }, meta);
                if (r.reason) reasons.set(i, r.reason);
                return r.code;
              },
            }
          : {}),
      })),
      encode: (codes) => (stored = encodeCommittedBlock(ordered, codes)),
    });
    this.nextNumber = number + 1;
    this.lastHeaderHash = blockHeaderHash(ordered.header);
    const info: CommittedBlockInfo = { number, bytes: stored, txs: [] };
    result.codes.forEach((code, i) => {
      const tx = checked[i]!;
      this.privateData.delete(tx.txId);
      info.txs.push({ txId: tx.txId, code, chaincode: tx.chaincode, ...(tx.event && code === TxValidationCode.VALID ? { event: tx.event } : {}) });
      if (code !== TxValidationCode.VALID) {
        this.o.log?.({ level: 'warn', msg: 'transaction invalidated', channel: this.o.channel, block: number, txId: tx.txId.slice(0, 8), code: txValidationCodeName(code), reason: tx.reason ?? reasons.get(i) });
      }
      const waiting = this.waiters.get(tx.txId);
      if (waiting) {
        this.waiters.delete(tx.txId);
        for (const w of waiting) w({ code, blockNumber: number });
      }
    });
    this.o.log?.({ level: 'debug', msg: 'block committed', channel: this.o.channel, block: number, txs: data.length });
    for (const l of this.listeners) l(info);
  }

  /**
   * The commit status of a transaction: at once when it is in the ledger, else when its block
   * commits (the Gateway's CommitStatus waits, internal/pkg/gateway/commit). `cancel` removes the
   * wait (a cancelled call).
   */
  async commitStatus(txId: string, onWait?: (cancel: () => void) => void): Promise<TxCommitStatus | undefined> {
    let resolve!: (s: TxCommitStatus | undefined) => void;
    const p = new Promise<TxCommitStatus | undefined>((r) => (resolve = r));
    const set = this.waiters.get(txId) ?? new Set();
    const waiter = (s: TxCommitStatus | undefined): void => resolve(s);
    set.add(waiter);
    this.waiters.set(txId, set);
    const remove = (): void => {
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(txId) === set) this.waiters.delete(txId);
    };
    onWait?.(() => {
      remove();
      resolve(undefined);
    });
    const known = await this.o.world.txStatus(this.o.channel, txId);
    if (known) {
      remove();
      return { code: known.code, blockNumber: known.blockNumber };
    }
    return p;
  }

  /** The committed status of a transaction, without waiting. */
  async txStatus(txId: string): Promise<TxCommitStatus | undefined> {
    const s = await this.o.world.txStatus(this.o.channel, txId);
    return s ? { code: s.code, blockNumber: s.blockNumber } : undefined;
  }

  /** Called after every block commits, in order. */
  onBlock(listener: (b: CommittedBlockInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  block(number: number): Promise<Uint8Array | undefined> {
    return this.o.world.getBlock(this.o.channel, number);
  }

  /**
   * Block `number`, waiting for it to be committed when it is not yet (Fabric's deliver with
   * BLOCK_UNTIL_READY); undefined when `cancel` is called or the channel closes first.
   */
  async waitForBlock(number: number, onWait?: (cancel: () => void) => void): Promise<Uint8Array | undefined> {
    if (number < this.nextNumber) return this.block(number);
    if (this.closed) return undefined;
    const committed = await new Promise<boolean>((resolve) => {
      const done = (v: boolean): void => {
        off();
        this.closers.delete(closer);
        resolve(v);
      };
      const closer = (): void => done(false);
      const off = this.onBlock((b) => {
        if (b.number >= number) done(true);
      });
      this.closers.add(closer);
      onWait?.(() => done(false));
    });
    return committed ? this.block(number) : undefined;
  }

  /** Waits ended by close(). */
  private readonly closers = new Set<() => void>();

  /** Orders what is pending, waits for every block in the pipeline, and refuses new broadcasts. */
  async close(): Promise<void> {
    if (this.closed) return this.queue;
    this.closed = true;
    this.stopTimer();
    const rest = this.cutter.cut();
    if (rest.length > 0) this.enqueue(rest.map((m) => m.bytes));
    await this.queue;
    // Transactions never ordered have no status: their waiters learn it now.
    for (const [, set] of this.waiters) for (const w of set) w(undefined);
    this.waiters.clear();
    this.listeners.clear();
    for (const c of this.closers) c();
    this.closers.clear();
  }
}
