/**
 * Persisting core state. State is plain data; the only bytes in it are the messages of stub calls
 * a chaincode-side transaction holds (chaincodeTx.machine.ts), written as `{ "$bytes": base64 }`
 * and read back as Uint8Array. A snapshot taken with other charts (another MACHINE_VERSION) is
 * refused instead of being misread.
 */
import { MACHINE_VERSION } from '../../machines/index.js';
import type { ChaincodeCoreState } from './chaincode/state.js';
import type { PeerCoreState } from './peer/state.js';

const BYTES = '$bytes';

// btoa/atob rather than Buffer: the core runs wherever JavaScript does, not only on Node.
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function encodeBytes(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // The holder's own value: a Buffer has already been through its toJSON by now.
  const raw = this[key];
  return raw instanceof Uint8Array ? { [BYTES]: toBase64(raw) } : value;
}

function decodeBytes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const b64 = (value as Record<string, unknown>)[BYTES];
    if (typeof b64 === 'string' && Object.keys(value).length === 1) return fromBase64(b64);
  }
  return value;
}

export function persistState(state: PeerCoreState | ChaincodeCoreState): string {
  return JSON.stringify(state, encodeBytes);
}

export function restoreState(json: string): { ok: true; state: PeerCoreState | ChaincodeCoreState } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json, decodeBytes);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  const s = parsed as { format?: unknown; version?: unknown } | null;
  if (!s || (s.format !== 'ccproto.peer' && s.format !== 'ccproto.chaincode')) return { ok: false, reason: 'not a ccproto core state' };
  if (s.version !== MACHINE_VERSION) return { ok: false, reason: `state version ${String(s.version)} != ${MACHINE_VERSION}` };
  return { ok: true, state: s as PeerCoreState | ChaincodeCoreState };
}
