/**
 * What the stub derives from the SignedProposal of an INIT/TRANSACTION (docs/protocol.md §7.3), decoded
 * in fabric-shim's order with fabric-shim's error texts (lib/stub.js ChaincodeStub constructor):
 * Proposal -> header must be non-empty -> payload must be non-empty -> Header -> SignatureHeader ->
 * SerializedIdentity (the creator) -> ChannelHeader (the timestamp) -> ChaincodeProposalPayload (the
 * transient map) -> binding. Like fabric-shim (and unlike the Go shim) the channel header type is
 * not checked. A failure here fails the transaction before Init/Invoke runs.
 */
import { createHash } from 'node:crypto';
import Long from 'long';
import type { SignedProposal } from '../protocol/messages.js';
import {
  decodeChaincodeProposalPayload,
  decodeChannelHeader,
  decodeHeader,
  decodeProposal,
  decodeSerializedIdentity,
  decodeSignatureHeader,
  type DecodeOutcome,
} from '../wire/index.js';
import type { ChaincodeProposal, SerializedIdentity, Timestamp } from './types.js';

export interface ProposalInfo {
  readonly creator: SerializedIdentity;
  /** The raw SignatureHeader.creator bytes (a marshalled SerializedIdentity). */
  creatorBytes: Buffer;
  transient: Map<string, Buffer>;
  /** ChannelHeader.timestamp, if the client set one. */
  timestamp: { seconds: number; nanos: number } | undefined;
  /** Hex SHA-256 over nonce ‖ creator ‖ epoch (8 bytes little-endian). */
  readonly binding: string;
  readonly signedProposal: ChaincodeProposal.SignedProposal;
}

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function must<T>(outcome: DecodeOutcome<T>, describe: (reason: string) => string): T {
  if (!outcome.ok) throw new Error(describe(outcome.reason));
  return outcome.value;
}

export function toLongTimestamp(ts: { seconds: number; nanos: number }): Timestamp {
  // fabric-shim getTxTimestamp: Long.fromNumber(seconds, true) (unsigned).
  return { seconds: Long.fromNumber(ts.seconds, true), nanos: ts.nanos };
}

/**
 * The binding of a proposal: SHA-256(nonce ‖ creator ‖ epoch as 8 little-endian bytes), hex
 * (fabric-shim computeProposalBinding; fabric protoutil computeProposalBindingInternal).
 */
export function computeBinding(nonce: Uint8Array, creator: Uint8Array, epoch: number): string {
  const epochLe = Buffer.alloc(8);
  epochLe.writeBigUInt64LE(BigInt.asUintN(64, BigInt(Math.trunc(epoch))));
  return createHash('sha256').update(nonce).update(creator).update(epochLe).digest('hex');
}

/**
 * Decodes a SignedProposal; throws `Error` with fabric-shim's text on the first failing step. Every
 * decode runs here, so a bad proposal fails the transaction before Init/Invoke as in fabric-shim; the
 * binding hash and the fabric-shim-shaped `signedProposal` object are derived on first use (most
 * chaincode reads neither; they were ~5% of a small transaction's cost).
 */
export function decodeProposalInfo(sp: SignedProposal): ProposalInfo {
  const proposal = must(decodeProposal(sp.proposalBytes), (r) => `Failed extracting proposal from signedProposal. [${r}]`);
  if (proposal.header.length === 0) throw new Error('Proposal header is empty');
  if (proposal.payload.length === 0) throw new Error('Proposal payload is empty');
  const header = must(decodeHeader(proposal.header), (r) => `Could not extract the header from the proposal: ${r}`);
  const signatureHeader = must(decodeSignatureHeader(header.signatureHeader), (r) => `Decoding SignatureHeader failed: ${r}`);
  const identity = must(decodeSerializedIdentity(signatureHeader.creator), (r) => `Decoding SerializedIdentity failed: ${r}`);
  const channelHeader = must(decodeChannelHeader(header.channelHeader), (r) => `Decoding ChannelHeader failed: ${r}`);
  const ccpp = must(decodeChaincodeProposalPayload(proposal.payload), (r) => `Decoding ChaincodeProposalPayload failed: ${r}`);

  const creator: SerializedIdentity = { mspid: identity.mspid, idBytes: buf(identity.idBytes) };
  // Keys in sorted order: fabric-shim iterates google-protobuf's map, which sorts its keys.
  const transient = new Map<string, Buffer>();
  const names = Object.keys(ccpp.transientMap);
  if (names.length > 1) names.sort();
  for (const k of names) transient.set(k, buf(ccpp.transientMap[k]!));
  let binding: string | undefined;
  let signedProposal: ChaincodeProposal.SignedProposal | undefined;
  return {
    creator,
    creatorBytes: buf(signatureHeader.creator),
    transient,
    timestamp: channelHeader.timestamp,
    get binding() {
      return (binding ??= computeBinding(signatureHeader.nonce, signatureHeader.creator, channelHeader.epoch));
    },
    get signedProposal() {
      return (signedProposal ??= {
        signature: buf(sp.signature),
        proposal: {
          header: {
            channelHeader: {
              type: channelHeader.type,
              version: channelHeader.version,
              timestamp: channelHeader.timestamp && toLongTimestamp(channelHeader.timestamp),
              channelId: channelHeader.channelId,
              txId: channelHeader.txId,
              epoch: channelHeader.epoch,
              extension: buf(channelHeader.extension),
              tlsCertHash: buf(channelHeader.tlsCertHash),
            },
            signatureHeader: { creator, nonce: buf(signatureHeader.nonce) },
          },
          payload: { input: buf(ccpp.input), transientMap: transient },
        },
      });
    },
  };
}
