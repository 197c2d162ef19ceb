/**
 * Byte strings in JSON: `{ "$bytes": base64 }` — how persisted core states (src/core/persist.ts),
 * traces (src/trace/format.ts) and the explorer's counterexamples write a Uint8Array, and read it
 * back. btoa/atob rather than Buffer: this layer runs wherever JavaScript does.
 */
const BYTES = '$bytes';

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** JSON.stringify replacer: each Uint8Array (Buffers too, before their own toJSON) as `{ "$bytes": … }`. */
export function bytesReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Uint8Array ? { [BYTES]: toBase64(raw) } : value;
}

/** JSON.parse reviver: `{ "$bytes": … }` (and nothing else in the object) back to a Uint8Array. */
export function bytesReviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const b64 = (value as Record<string, unknown>)[BYTES];
    if (typeof b64 === 'string' && Object.keys(value).length === 1) return fromBase64(b64);
  }
  return value;
}
