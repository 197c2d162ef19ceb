/**
 * A SignedProposal taken apart the way the endorser does before anything runs
 * (core/endorser/msgvalidation.go UnpackProposal), with its errors as values, and the proposal hash the
 * proposal response payload commits to (src/committer/hashes.ts).
 */
import { proposalHash } from '../committer/hashes.js';
import type { ChaincodeInput, SignedProposal } from '../protocol/messages.js';
import {
  decodeChaincodeHeaderExtension,
  decodeChaincodeInvocationSpec,
  decodeChaincodeProposalPayload,
  decodeChannelHeader,
  decodeHeader,
  decodeProposal,
  decodeSignatureHeader,
  type ChaincodeProposalPayload,
  type ChannelHeader,
  type Header,
  type SignatureHeader,
} from '../wire/index.js';

export interface UnpackedProposal {
  signedProposal: SignedProposal;
  header: Header;
  channelHeader: ChannelHeader;
  signatureHeader: SignatureHeader;
  channel: string;
  txId: string;
  chaincode: string;
  payload: ChaincodeProposalPayload;
  input: ChaincodeInput;
  proposalHash: Uint8Array;
}

export type Unpacked = { ok: true; value: UnpackedProposal } | { ok: false; error: string };

export function unpackProposal(signedProposal: SignedProposal): Unpacked {
  const err = (error: string): Unpacked => ({ ok: false, error });
  const proposal = decodeProposal(signedProposal.proposalBytes);
  if (!proposal.ok) return err(`error unmarshalling Proposal: ${proposal.reason}`);
  const header = decodeHeader(proposal.value.header);
  if (!header.ok) return err(`error unmarshalling Header: ${header.reason}`);
  const channelHeader = decodeChannelHeader(header.value.channelHeader);
  if (!channelHeader.ok) return err(`error unmarshalling ChannelHeader: ${channelHeader.reason}`);
  const signatureHeader = decodeSignatureHeader(header.value.signatureHeader);
  if (!signatureHeader.ok) return err(`error unmarshalling SignatureHeader: ${signatureHeader.reason}`);
  const ext = decodeChaincodeHeaderExtension(channelHeader.value.extension);
  if (!ext.ok) return err(`error unmarshalling ChaincodeHeaderExtension: ${ext.reason}`);
  if (!ext.value.chaincodeId) return err('ChaincodeHeaderExtension.ChaincodeId is nil');
  if (ext.value.chaincodeId.name === '') return err('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
  const payload = decodeChaincodeProposalPayload(proposal.value.payload);
  if (!payload.ok) return err(`error unmarshalling ChaincodeProposalPayload: ${payload.reason}`);
  const cis = decodeChaincodeInvocationSpec(payload.value.input);
  if (!cis.ok) return err(`error unmarshalling ChaincodeInvocationSpec: ${cis.reason}`);
  if (!cis.value.chaincodeSpec) return err('chaincode invocation spec did not contain chaincode spec');
  if (!cis.value.chaincodeSpec.input) return err('chaincode input did not contain any input');
  return {
    ok: true,
    value: {
      signedProposal,
      header: header.value,
      channelHeader: channelHeader.value,
      signatureHeader: signatureHeader.value,
      channel: channelHeader.value.channelId,
      txId: channelHeader.value.txId,
      chaincode: ext.value.chaincodeId.name,
      payload: payload.value,
      input: cis.value.chaincodeSpec.input,
      proposalHash: proposalHash(header.value.channelHeader, header.value.signatureHeader, payload.value.input),
    },
  };
}
