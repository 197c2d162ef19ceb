/**
 * Transaction timestamps at nanosecond resolution. A Fabric client stamps its proposal's
 * ChannelHeader.timestamp with the full precision of its clock (Go's time.Now(): nanoseconds on
 * Linux; fabric protoutil CreateUtcTimestamp / the Gateway's timestamppb.Now()), and chaincode sees
 * that value through getTxTimestamp. `Date.now()` has only milliseconds, so the peer's clock is
 * `process.hrtime.bigint()` anchored to `Date.now()`: wall-clock time, nanosecond steps.
 */
import type { Timestamp } from '../protocol/messages.js';

/** Nanoseconds since the Unix epoch. */
export type NanoClock = () => bigint;

export interface NanoClockSources {
  /** Wall clock in milliseconds since the epoch (default `Date.now`). */
  wallMs?: () => number;
  /** Monotonic nanoseconds from an arbitrary origin (default `process.hrtime.bigint`). */
  monotonicNs?: () => bigint;
  /** Re-anchor when the two drift apart by more than this (wall clock set, suspend). Default 100 ms. */
  maxDriftMs?: number;
}

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/**
 * A clock reading `wallMs` once as its anchor and advancing by `monotonicNs` from then on, so
 * successive readings differ by the real elapsed nanoseconds. When the wall clock moves away from
 * it by more than `maxDriftMs` (someone set the time, the machine slept), it takes a new anchor.
 */
export function createNanoClock(sources: NanoClockSources = {}): NanoClock {
  const wallMs = sources.wallMs ?? Date.now;
  const monotonicNs = sources.monotonicNs ?? process.hrtime.bigint;
  const maxDriftNs = BigInt(Math.round((sources.maxDriftMs ?? 100) * 1e6));
  let anchorWallNs = BigInt(Math.trunc(wallMs())) * NS_PER_MS;
  let anchorMonoNs = monotonicNs();
  return () => {
    const mono = monotonicNs();
    let now = anchorWallNs + (mono - anchorMonoNs);
    const wallNs = BigInt(Math.trunc(wallMs())) * NS_PER_MS;
    const drift = now - wallNs;
    // Date.now() truncates to the millisecond: a reading up to 1 ms ahead of it is no drift.
    if (drift > maxDriftNs + NS_PER_MS || drift < -maxDriftNs) {
      anchorWallNs = wallNs;
      anchorMonoNs = mono;
      now = wallNs;
    }
    return now;
  };
}

/** The process-wide system clock (what the peer uses unless PeerOptions.nowNanos is given). */
export const systemNanoClock: NanoClock = createNanoClock();

/** A google.protobuf.Timestamp for nanoseconds since the epoch (`nanos` in 0..999 999 999). */
export function timestampFromNanos(ns: bigint): Timestamp {
  let seconds = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += NS_PER_S;
  }
  return { seconds: Number(seconds), nanos: Number(nanos) };
}
