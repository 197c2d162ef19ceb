/**
 * The identity that signs what the in-process orderer produces (block metadata signatures, the
 * genesis config transaction): a serialized identity (msp.SerializedIdentity bytes, the
 * `creator` of signature headers) and an ECDSA signing function (low-S DER, as Fabric's bccsp).
 */
import { randomBytes } from 'node:crypto';
import { encodeSignatureHeader } from '../wire/index.js';

export interface Signer {
  readonly mspId: string;
  /** msp.SerializedIdentity bytes. */
  readonly creator: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** protoutil.NewSignatureHeader: the creator and a fresh 24-byte nonce. */
export function newSignatureHeader(signer: Signer): Uint8Array {
  return encodeSignatureHeader({ creator: signer.creator, nonce: randomBytes(24) });
}
