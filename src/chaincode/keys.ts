/**
 * Key rules applied locally before anything is sent (docs/protocol.md §13).
 *
 * Composite keys use the encoding all shims share: U+0000, objectType, U+0000, then each attribute
 * followed by U+0000 (fabric-shim lib/stub.js createCompositeKey; fabric-chaincode-go shim/stub.go
 * CreateCompositeKey). Validation is fabric-shim's: every part must be a non-empty string (its error
 * text). The Go and Java shims also refuse U+0000 and U+10FFFF inside a part (and Go allows empty
 * parts); we keep fabric-shim's rule so that ported chaincode builds exactly the same keys, and
 * document the difference (docs/chaincode.md).
 */

/** The composite-key namespace prefix and separator (U+0000). */
export const COMPOSITEKEY_NS = '\x00';
export const MIN_UNICODE_RUNE_VALUE = '\u0000';
/** The end of a partial-composite-key range (U+10FFFF, UTF-8 F4 8F BF BF). */
export const MAX_UNICODE_RUNE_VALUE = '\u{10ffff}';
/** What an empty start key of a simple-key range query becomes (so composite keys are excluded). */
export const EMPTY_KEY_SUBSTITUTE = '\x01';

function validateCompositeKeyAttribute(attr: unknown): asserts attr is string {
  // fabric-shim lib/stub.js validateCompositeKeyAttribute: text kept for compatibility.
  if (!attr || typeof attr !== 'string' || attr.length === 0) {
    throw new Error('object type or attribute not a non-zero length string');
  }
}

export function createCompositeKey(objectType: string, attributes: readonly string[]): string {
  validateCompositeKeyAttribute(objectType);
  if (!Array.isArray(attributes)) {
    throw new Error('attributes must be an array');
  }
  let key = COMPOSITEKEY_NS + objectType + MIN_UNICODE_RUNE_VALUE;
  for (const attribute of attributes) {
    validateCompositeKeyAttribute(attribute);
    key += attribute + MIN_UNICODE_RUNE_VALUE;
  }
  return key;
}

/**
 * fabric-shim lib/stub.js splitCompositeKey: anything that does not start with U+0000 (or is too
 * short) yields `{objectType: null, attributes: []}`; otherwise the text after the prefix is split
 * on U+0000 and the trailing empty element dropped.
 */
export function splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
  const result: { objectType: string | null; attributes: string[] } = { objectType: null, attributes: [] };
  if (compositeKey && compositeKey.length > 1 && compositeKey.charAt(0) === COMPOSITEKEY_NS) {
    const parts = compositeKey.substring(1).split(MIN_UNICODE_RUNE_VALUE);
    result.objectType = parts[0] ?? null;
    parts.pop();
    if (parts.length > 1) {
      parts.shift();
      result.attributes = parts;
    }
  }
  return result;
}

/**
 * Simple keys of range queries must not start with U+0000, or they would reach into the composite
 * key namespace (fabric-shim and fabric-chaincode-go validateSimpleKeys; same text).
 */
export function validateSimpleKeys(...keys: readonly unknown[]): void {
  for (const key of keys) {
    if (key && typeof key === 'string' && key.charAt(0) === COMPOSITEKEY_NS) {
      throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
    }
  }
}
