/**
 * The two hashes that bind a transaction to its proposal, computed the same way by the client
 * (src/peer/proposal.ts), the endorser and the committer:
 *   - the txid: hex SHA-256 of nonce ‖ creator (protoutil ComputeTxID);
 *   - the proposal hash a proposal response commits to: SHA-256 of channel header ‖ signature
 *     header ‖ the ChaincodeProposalPayload without its transient map
 *     (core/endorser/msgvalidation.go UnpackProposal).
 */
import { createHash } from 'node:crypto';
import { encodeChaincodeProposalPayload } from '../wire/index.js';

export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

export function proposalHash(channelHeader: Uint8Array, signatureHeader: Uint8Array, input: Uint8Array): Buffer {
  return createHash('sha256')
    .update(channelHeader)
    .update(signatureHeader)
    .update(encodeChaincodeProposalPayload({ input, transientMap: {} }))
    .digest();
}
