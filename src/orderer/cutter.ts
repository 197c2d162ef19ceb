/**
 * Block cutting by Fabric's rules (orderer/common/blockcutter/blockcutter.go `Ordered` and `Cut`,
 * and the BatchTimeout timer of the solo/etcdraft chains): pure, with no clock. The caller owns the
 * timer: it starts one of `batchTimeoutMs` when `ordered` answers `pending: true` and none runs,
 * stops it when `pending` is false, and calls `cut()` when it fires.
 *
 *   - a message larger than PreferredMaxBytes is isolated: the pending batch (if any) is cut, then
 *     the message alone becomes a batch;
 *   - a message that would push the pending batch past PreferredMaxBytes cuts the pending batch
 *     first;
 *   - a batch is cut as soon as it holds MaxMessageCount messages.
 *
 * AbsoluteMaxBytes is not a cutting rule: the broadcast size filter refuses such messages before
 * they are ordered (orderer/common/msgprocessor/sizefilter.go), see `tooLarge`.
 */

/** orderer.BatchSize (orderer/configuration.proto) plus orderer.BatchTimeout. */
export interface BatchConfig {
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
  batchTimeoutMs: number;
}

/**
 * The dev peer's defaults: Fabric's sample configtx.yaml sizes (AbsoluteMaxBytes 99 MB,
 * PreferredMaxBytes 512 KB) with a larger message count and a short timeout, so that a lone
 * submit commits within milliseconds and a burst of submits shares a block (docs/gateway.md).
 */
export const DEV_BATCH_CONFIG: Readonly<BatchConfig> = Object.freeze({
  maxMessageCount: 500,
  absoluteMaxBytes: 99 * 1024 * 1024,
  preferredMaxBytes: 512 * 1024,
  batchTimeoutMs: 10,
});

/** What blockcutter.go's messageSizeBytes counts: the payload and the signature of the envelope. */
export interface Sized {
  readonly size: number;
}

export class BlockCutter<M extends Sized> {
  private pending: M[] = [];
  private pendingBytes = 0;

  constructor(private readonly config: Readonly<BatchConfig>) {
    checkBatchConfig(config);
  }

  /** sizefilter.go: a message over AbsoluteMaxBytes is refused at broadcast, never ordered. */
  tooLarge(message: M): string | undefined {
    if (message.size <= this.config.absoluteMaxBytes) return undefined;
    return `message payload is ${message.size} bytes and exceeds maximum allowed ${this.config.absoluteMaxBytes} bytes`;
  }

  /** blockcutter.go Ordered: the batches to cut now, and whether messages remain pending. */
  ordered(message: M): { batches: M[][]; pending: boolean } {
    const batches: M[][] = [];
    if (message.size > this.config.preferredMaxBytes) {
      if (this.pending.length > 0) batches.push(this.cut());
      batches.push([message]);
      return { batches, pending: this.pending.length > 0 };
    }
    if (this.pendingBytes + message.size > this.config.preferredMaxBytes) batches.push(this.cut());
    this.pending.push(message);
    this.pendingBytes += message.size;
    if (this.pending.length >= this.config.maxMessageCount) batches.push(this.cut());
    return { batches, pending: this.pending.length > 0 };
  }

  /** blockcutter.go Cut: the pending batch (possibly empty), which is then cleared. */
  cut(): M[] {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return batch;
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}

/** The checks of orderer/common/channelconfig/orderer.go validateBatchSize / validateBatchTimeout. */
export function checkBatchConfig(c: Readonly<BatchConfig>): void {
  const positive = (name: string, v: number): void => {
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer (got ${String(v)})`);
  };
  positive('maxMessageCount', c.maxMessageCount);
  positive('absoluteMaxBytes', c.absoluteMaxBytes);
  positive('preferredMaxBytes', c.preferredMaxBytes);
  if (c.preferredMaxBytes > c.absoluteMaxBytes) {
    throw new RangeError(`preferredMaxBytes (${c.preferredMaxBytes}) must not exceed absoluteMaxBytes (${c.absoluteMaxBytes})`);
  }
  if (!Number.isFinite(c.batchTimeoutMs) || c.batchTimeoutMs < 0) throw new RangeError(`batchTimeoutMs must be a non-negative number (got ${String(c.batchTimeoutMs)})`);
}
