/**
 * What the peer needs from a caller's SignedProposal to simulate it (fabric core/endorser
 * UnpackProposal): the creator's MSP id (collection membership), the transient map and the
 * channel-header timestamp (history). Never throws.
 */
import type { SignedProposal, Timestamp } from '../protocol/messages.js';
import {
  decodeChaincodeProposalPayload,
  decodeChannelHeader,
  decodeHeader,
  decodeProposal,
  decodeSerializedIdentity,
  decodeSignatureHeader,
} from '../wire/index.js';

export type ProposalInfo =
  | { ok: true; mspId: string; transient: Record<string, Uint8Array>; timestamp: Timestamp | undefined }
  | { ok: false; reason: string };

export function proposalInfo(sp: SignedProposal): ProposalInfo {
  const proposal = decodeProposal(sp.proposalBytes);
  if (!proposal.ok) return { ok: false, reason: `proposal: ${proposal.reason}` };
  const header = decodeHeader(proposal.value.header);
  if (!header.ok) return { ok: false, reason: `header: ${header.reason}` };
  const signature = decodeSignatureHeader(header.value.signatureHeader);
  if (!signature.ok) return { ok: false, reason: `signature header: ${signature.reason}` };
  const creator = decodeSerializedIdentity(signature.value.creator);
  if (!creator.ok) return { ok: false, reason: `creator: ${creator.reason}` };
  const channel = decodeChannelHeader(header.value.channelHeader);
  if (!channel.ok) return { ok: false, reason: `channel header: ${channel.reason}` };
  const payload = decodeChaincodeProposalPayload(proposal.value.payload);
  if (!payload.ok) return { ok: false, reason: `payload: ${payload.reason}` };
  return { ok: true, mspId: creator.value.mspid, transient: payload.value.transientMap, timestamp: channel.value.timestamp };
}
