/**
 * A set of MSPs by id, like a channel's MSP manager (msp/mspmgrimpl.go): it finds the MSP named in a
 * SerializedIdentity, deserializes the certificate and validates it.
 *
 * The SerializedIdentity protobuf itself is decoded by the caller (src/identity may not import src/wire,
 * see test/architecture/imports.test.ts): pass `{ mspid, idBytes }` as src/wire decodes it.
 */
import type { CryptoMaterial, OrgCrypto } from './cryptoDir.js';
import {
  PARSE_FAILED,
  type AtOptions,
  type Msp,
  type MspIdentity,
  type MspOptions,
  type MspPrincipal,
  type PrincipalResult,
  type ValidationFailure,
} from './msp.js';
import { mspFromOrg } from './mspDir.js';
import { VerifiedSignatures, type VerifiedSignaturesOptions } from './verifiedSignatures.js';

const PEM_BEGIN = '-----BEGIN ';

/** The fields of a SerializedIdentity: the MSP id and the PEM certificate. */
export interface SerializedIdentityFields {
  readonly mspid: string;
  readonly idBytes: Uint8Array | string;
}

export type DeserializeFailure = 'unknown-msp' | ValidationFailure;

export type DeserializeResult =
  | { readonly ok: true; readonly identity: MspIdentity; readonly msp: Msp }
  | { readonly ok: false; readonly mspId: string; readonly code: DeserializeFailure; readonly reason: string };

export class MspManager {
  readonly #msps = new Map<string, Msp>();
  readonly #verified: VerifiedSignatures;

  constructor(msps: Iterable<Msp>, options: { verifiedSignatures?: VerifiedSignaturesOptions } = {}) {
    this.#verified = new VerifiedSignatures(options.verifiedSignatures);
    for (const msp of msps) {
      if (this.#msps.has(msp.mspId)) throw new Error(`MspManager: MSP ${msp.mspId} is defined twice`);
      this.#msps.set(msp.mspId, msp);
    }
  }

  /** The org MSPs of generated crypto material. */
  static fromCrypto(material: CryptoMaterial | readonly OrgCrypto[], options?: MspOptions): MspManager {
    const orgs = Array.isArray(material) ? (material as readonly OrgCrypto[]) : (material as CryptoMaterial).orgs;
    return new MspManager(orgs.map((org) => mspFromOrg(org, options)));
  }

  get(mspId: string): Msp | undefined {
    return this.#msps.get(mspId);
  }

  get ids(): readonly string[] {
    return [...this.#msps.keys()];
  }

  [Symbol.iterator](): IterableIterator<Msp> {
    return this.#msps.values();
  }

  /**
   * mspmgrimpl.go DeserializeIdentity followed by the identity's Validate, as the endorser does with a
   * proposal's creator (core/endorser/msgvalidation.go). Failures name the MSP; validated certificates
   * are cached by their MSP, so the same creator costs a map lookup after the first time.
   */
  deserializeIdentity(serialized: SerializedIdentityFields, opts: AtOptions = {}): DeserializeResult {
    const mspId = serialized.mspid;
    const msp = this.#msps.get(mspId);
    if (msp === undefined) return { ok: false, mspId, code: 'unknown-msp', reason: `MSP ${mspId} is not defined on channel` };
    const bytes = serialized.idBytes;
    // mspimpl.go deserializeIdentityInternal: id_bytes must be PEM (pem.Decode), DER is not accepted.
    const raw = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const isPem = raw.includes(PEM_BEGIN);
    const undecodable = `could not deserialize identity of MSP ${mspId}: `;
    if (!isPem) return { ok: false, mspId, code: 'malformed', reason: `${undecodable}could not decode the PEM structure` };
    const r = msp.validateIdentity(bytes, opts);
    if (r.ok) return { ok: true, identity: r.identity, msp };
    if (r.code === 'malformed') {
      return { ok: false, mspId, code: r.code, reason: `${undecodable}parseCertificate failed: ${r.reason.slice(PARSE_FAILED.length)}` };
    }
    return { ok: false, mspId, code: r.code, reason: `identity of MSP ${mspId} is not valid: ${r.reason}` };
  }

  /**
   * The identity's MSP verifies (ECDSA-SHA256, low-S); false for an identity of no MSP here. A triple
   * verified before, or signed here (`signedHere`), is answered from memory (verifiedSignatures.ts).
   */
  verify(identity: MspIdentity, message: Uint8Array, signature: Uint8Array): boolean {
    const msp = this.#msps.get(identity.mspId);
    if (msp === undefined) return false;
    if (this.#verified.has(identity.certDer, message, signature)) return true;
    const ok = msp.verify(identity, message, signature);
    if (ok) this.#verified.add(identity.certDer, message, signature);
    return ok;
  }

  /**
   * Records a signature this process made with the key of `certDer` (a peer's endorsement, a block
   * signature), so that verifying it later costs a lookup. Sign low-S, as Fabric's signers do: a
   * high-S signature recorded here would be accepted where the MSP refuses it.
   */
  signedHere(certDer: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
    this.#verified.add(certDer, message, signature);
  }

  /** Evaluated by the identity's MSP, as identities.go SatisfiesPrincipal delegates to its MSP. */
  satisfiesPrincipal(identity: MspIdentity, principal: MspPrincipal, opts?: AtOptions): PrincipalResult {
    const msp = this.#msps.get(identity.mspId);
    if (msp === undefined) return { ok: false, reason: `MSP ${identity.mspId} is not defined on channel` };
    return msp.satisfiesPrincipal(identity, principal, opts);
  }
}
