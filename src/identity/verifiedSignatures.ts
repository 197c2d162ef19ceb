/**
 * Signatures already known to be valid: (certificate, message, signature) triples this process
 * verified, or produced itself with the certificate's key.
 *
 * A transaction's bytes meet the peer's verifier more than once: the envelope signature is checked
 * when the transaction is broadcast and again when its block is validated
 * (core/common/validation/msgvalidation.go ValidateTransaction), and the endorsement the peer
 * signed at endorsement is checked by the validation plugin (core/handlers/validation/builtin).
 * ECDSA verification is deterministic, so a byte-identical triple gets the same answer: looking it
 * up here instead of verifying again changes no outcome, only the cost (about 0.15 ms a
 * verification with node:crypto). A changed byte anywhere — certificate, message or signature —
 * misses and is verified. Only successes are remembered.
 *
 * Bounded by count and by the bytes of the remembered messages; the oldest go first. Entries are
 * copies, so a caller reusing its buffers cannot change what was remembered.
 */
export interface VerifiedSignaturesOptions {
  /** Most triples remembered (default 4096). */
  readonly maxEntries?: number;
  /** Most message bytes remembered (default 16 MiB); a larger message is never remembered. */
  readonly maxBytes?: number;
}

interface Entry {
  readonly cert: Buffer;
  readonly message: Buffer;
}

const view = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export class VerifiedSignatures {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  /** Keyed by the signature bytes (latin1): ECDSA signatures are randomised, so they rarely repeat. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(o: VerifiedSignaturesOptions = {}) {
    this.#maxEntries = o.maxEntries ?? 4096;
    this.#maxBytes = o.maxBytes ?? 16 * 1024 * 1024;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** True when exactly this triple was remembered. */
  has(certDer: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const e = this.#entries.get(view(signature).toString('latin1'));
    return e !== undefined && e.cert.equals(certDer) && e.message.equals(message);
  }

  /** Remembers a triple that verified (or that this process signed). */
  add(certDer: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
    if (message.byteLength > this.#maxBytes || this.#maxEntries <= 0) return;
    const key = view(signature).toString('latin1');
    this.#drop(key);
    // Copies: a caller's buffer may be reused for other bytes later.
    this.#entries.set(key, { cert: Buffer.from(certDer), message: Buffer.from(message) });
    this.#bytes += message.byteLength;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      this.#drop(this.#entries.keys().next().value as string);
    }
  }

  #drop(key: string): void {
    const e = this.#entries.get(key);
    if (e === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= e.message.byteLength;
  }
}
