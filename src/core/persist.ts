/**
 * Persisting core state. The state is plain data that structuredClone copies, but its tables are
 * Maps (txTable.ts, the peer's timers), which JSON does not write: `persistState` writes each Map as
 * an object (a transaction table as `{ channel: { txid: record } }`) and `restoreState` reads them
 * back. The only bytes in the state are the messages of stub calls a chaincode-side transaction
 * holds (chaincodeTx.machine.ts), written as `{ "$bytes": base64 }`. A snapshot taken with other
 * charts or another state layout (another MACHINE_VERSION) is refused instead of being misread.
 */
import { MACHINE_VERSION } from '../../machines/index.js';
import { bytesReplacer, bytesReviver } from '../protocol/jsonBytes.js';
import type { ChaincodeCoreState } from './chaincode/state.js';
import type { PeerCoreState } from './peer/state.js';
import type { TxTable } from './txTable.js';

/** JSON.stringify replacer: Maps as objects (their keys are strings), bytes as `{ "$bytes": … }`.
 *  For writing a state, or a changed copy of one, as JSON text. */
export function stateReplacer(this: unknown, key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  return bytesReplacer.call(this, key, value);
}

export function persistState(state: PeerCoreState | ChaincodeCoreState): string {
  return JSON.stringify(state, stateReplacer);
}

export function restoreState(json: string): { ok: true; state: PeerCoreState | ChaincodeCoreState } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json, bytesReviver);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  const s = parsed as { format?: unknown; version?: unknown } | null;
  if (!s || (s.format !== 'ccproto.peer' && s.format !== 'ccproto.chaincode')) return { ok: false, reason: 'not a ccproto core state' };
  if (s.version !== MACHINE_VERSION) return { ok: false, reason: `state version ${String(s.version)} != ${MACHINE_VERSION}` };
  const state = s as PeerCoreState | ChaincodeCoreState;
  try {
    state.txs = tableOf(state.txs) as never;
    state.finished.set = tableOf(state.finished.set);
    if (state.format === 'ccproto.peer') state.timers = new Map(Object.entries(objectOf(state.timers) as Record<string, string>));
  } catch (e) {
    return { ok: false, reason: `not a ccproto core state: ${(e as Error).message}` };
  }
  return { ok: true, state };
}

function tableOf<R>(written: unknown): TxTable<R> {
  return new Map(Object.entries(objectOf(written)).map(([channelId, byTxid]) => [channelId, new Map(Object.entries(objectOf(byTxid) as Record<string, R>))]));
}

function objectOf(x: unknown): Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error('a table is not an object');
  return x as Record<string, unknown>;
}
