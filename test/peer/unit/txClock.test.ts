/**
 * Proposal timestamps at nanosecond resolution (src/peer/txClock.ts, buildSignedProposal): the
 * clock is `process.hrtime.bigint()` anchored to `Date.now()`, and what the proposal's
 * ChannelHeader.timestamp carries is that clock's full value.
 */
import { describe, expect, it } from 'vitest';

import { DevCa } from '../../../src/identity/index.js';
import { buildSignedProposal } from '../../../src/peer/proposal.js';
import { proposalInfo } from '../../../src/peer/proposalInfo.js';
import { createNanoClock, systemNanoClock, timestampFromNanos } from '../../../src/peer/txClock.js';
import type { Timestamp } from '../../../src/protocol/messages.js';

const user = DevCa.open('Org1MSP').getUser('user1');
const identity = { mspId: 'Org1MSP', certPem: user.certPem, sign: (b: Uint8Array) => user.sign(b) };

async function stampOf(o: { timestamp?: Timestamp; nowMs?: number }): Promise<Timestamp> {
  const built = await buildSignedProposal({ identity, channel: 'mychannel', chaincode: 'cc', args: [], isInit: false, transient: {}, ...o });
  const info = proposalInfo(built.signedProposal);
  if (!info.ok || info.timestamp === undefined) throw new Error('no timestamp in the proposal');
  expect(built.timestamp).toEqual(info.timestamp);
  return info.timestamp;
}

describe('the nanosecond clock', () => {
  it('advances by the monotonic clock from a wall-clock anchor (deterministic sources)', () => {
    const mono = [5_000_000_000n, 5_000_000_000n, 5_000_000_417n, 5_000_250_001n];
    const clock = createNanoClock({ wallMs: () => 1_767_323_045_123, monotonicNs: () => mono.shift()! });
    expect(clock()).toBe(1_767_323_045_123_000_000n);
    expect(clock()).toBe(1_767_323_045_123_000_417n);
    expect(clock()).toBe(1_767_323_045_123_250_001n);
  });

  it('takes a new anchor when the wall clock moves away (time set, machine suspended)', () => {
    let wall = 1_000_000;
    let mono = 0n;
    const clock = createNanoClock({ wallMs: () => wall, monotonicNs: () => mono });
    mono = 500n;
    expect(clock()).toBe(1_000_000_000_500n);
    wall += 60_000; // the wall clock jumped a minute ahead; the monotonic clock barely moved
    mono = 900n;
    expect(clock()).toBe(1_060_000_000_000n);
    mono = 1_900n;
    expect(clock()).toBe(1_060_000_001_000n);
  });

  it('Timestamp from nanoseconds', () => {
    expect(timestampFromNanos(1_767_323_045_123_456_789n)).toEqual({ seconds: 1_767_323_045, nanos: 123_456_789 });
    expect(timestampFromNanos(0n)).toEqual({ seconds: 0, nanos: 0 });
    expect(timestampFromNanos(-1n)).toEqual({ seconds: -1, nanos: 999_999_999 });
  });

  it('the system clock is wall-clock time with sub-millisecond steps', () => {
    const a = systemNanoClock();
    const b = systemNanoClock();
    expect(b).toBeGreaterThan(a);
    expect(Math.abs(Number(a / 1_000_000n) - Date.now())).toBeLessThan(1000);
    // A nanosecond reading is a multiple of 1 ms once in a million: both at once, never.
    expect(a % 1_000_000n !== 0n || b % 1_000_000n !== 0n).toBe(true);
  });
});

describe('buildSignedProposal timestamps', () => {
  it('carries the given timestamp with its nanoseconds', async () => {
    expect(await stampOf({ timestamp: { seconds: 1_767_323_045, nanos: 123_456_789 } })).toEqual({ seconds: 1_767_323_045, nanos: 123_456_789 });
  });

  it('two proposals built in a row (system clock) differ below the millisecond', async () => {
    const a = await stampOf({});
    const b = await stampOf({});
    const ns = (t: Timestamp): bigint => BigInt(t.seconds) * 1_000_000_000n + BigInt(t.nanos);
    expect(ns(b)).toBeGreaterThan(ns(a));
    expect(a.nanos % 1_000_000 !== 0 || b.nanos % 1_000_000 !== 0).toBe(true);
  });

  it('nowMs still gives a millisecond timestamp (callers that have only Date.now())', async () => {
    expect(await stampOf({ nowMs: Date.parse('2026-01-02T03:04:05.678Z') })).toEqual({ seconds: Date.parse('2026-01-02T03:04:05Z') / 1000, nanos: 678_000_000 });
  });
});
