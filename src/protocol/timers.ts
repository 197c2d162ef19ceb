/**
 * The closed set of timers the cores ask for. Time is an input: the core never reads a clock; it
 * emits `startTimer` (with an absolute deadline computed from the input's `now`) and `cancelTimer`,
 * and the adapter feeds `timerFired` back. Every started timer is either fired or cancelled.
 */
export type TimerKind =
  /** Peer: `chaincode.executetimeout` for one transaction (fabric core/chaincode/handler.go Execute). */
  | 'executeTimeout'
  /** Peer: `chaincode.keepalive` interval; 0 disables it (fabric core/chaincode/handler.go ProcessStream). */
  | 'keepalive';

/** Fabric's default execute timeout (core.yaml `chaincode.executetimeout: 30s`). */
export const DEFAULT_EXECUTE_TIMEOUT_MS = 30_000;
