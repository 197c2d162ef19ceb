/** The named bounds the explorer runs at (test/verify/explorer.test.ts pins their state counts). */
import type { Bounds } from './model.js';

export interface NamedBounds {
  name: string;
  bounds: Bounds;
}

/** Every environment move on: ledger failures, app failures, one execute timeout, one shutdown, one transport failure. */
const full = (maxTxs: number, script: Bounds['script']): Bounds => ({
  maxTxs,
  script,
  maxChannel: 4,
  maxTimerFires: 1,
  maxShutdowns: 1,
  maxDrops: 1,
  maxServeFailures: 1,
  appFailures: true,
});

/** CI bounds (the test): a few seconds in all. */
export const CI_BOUNDS: NamedBounds[] = [
  { name: 'tx1-get-put', bounds: full(1, ['GET_STATE', 'PUT_STATE']) },
  { name: 'tx2-get-put', bounds: full(2, ['GET_STATE', 'PUT_STATE']) },
  { name: 'tx3-get', bounds: full(3, ['GET_STATE']) },
];

/** Faulty-party bounds: one duplicated message (delivered again, late) on top of every honest move. */
export const FAULT_BOUNDS: NamedBounds[] = [
  { name: 'fault-tx1-get-put', bounds: { ...full(1, ['GET_STATE', 'PUT_STATE']), maxFaults: 1 } },
  { name: 'fault-tx2-get', bounds: { ...full(2, ['GET_STATE']), maxFaults: 1 } },
];

/**
 * Channels, txids and keepalive: the same txid on two channels and executed again once it
 * finished (three executes of `tx` over `ch` and `ch2`), and the peer's KEEPALIVE on (two timer
 * fires, each an execute timeout or a keepalive; the chaincode echoes it).
 */
export const MORE_BOUNDS: NamedBounds[] = [
  { name: 'tx3-2ch-same-txid', bounds: { ...full(3, ['GET_STATE']), channels: 2, sameTxid: true } },
  { name: 'tx2-keepalive', bounds: { ...full(2, ['GET_STATE']), keepaliveMs: 1000, maxTimerFires: 2 } },
];

/** `npm run verify`: the CI bounds, the fault bounds, channels and keepalive, then three concurrent transactions of two stub calls each. */
export const VERIFY_BOUNDS: NamedBounds[] = [...CI_BOUNDS, ...FAULT_BOUNDS, ...MORE_BOUNDS, { name: 'tx3-get-put', bounds: full(3, ['GET_STATE', 'PUT_STATE']) }];

/**
 * `npm run verify -- --bench`: adds the two largest bounds, three and four stub calls per
 * transaction; the last (read, write, delete, read again) is the million-state target.
 */
export const BENCH_BOUNDS: NamedBounds[] = [
  ...VERIFY_BOUNDS,
  { name: 'tx3-get-put-del', bounds: full(3, ['GET_STATE', 'PUT_STATE', 'DEL_STATE']) },
  { name: 'tx3-get-put-del-get', bounds: full(3, ['GET_STATE', 'PUT_STATE', 'DEL_STATE', 'GET_STATE']) },
];

