/**
 * Persisting core state. State is plain data; the only bytes in it are the messages of stub calls
 * a chaincode-side transaction holds (chaincodeTx.machine.ts), written as `{ "$bytes": base64 }`
 * and read back as Uint8Array. A snapshot taken with other charts (another MACHINE_VERSION) is
 * refused instead of being misread.
 */
import { MACHINE_VERSION } from '../../machines/index.js';
import { bytesReplacer, bytesReviver } from '../protocol/jsonBytes.js';
import type { ChaincodeCoreState } from './chaincode/state.js';
import type { PeerCoreState } from './peer/state.js';

export function persistState(state: PeerCoreState | ChaincodeCoreState): string {
  return JSON.stringify(state, bytesReplacer);
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
  return { ok: true, state: s as PeerCoreState | ChaincodeCoreState };
}
