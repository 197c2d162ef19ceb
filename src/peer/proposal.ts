/**
 * Builds the SignedProposal a Fabric client would send, so that chaincode sees a real one on every
 * INIT/TRANSACTION (creator certificate, transient map, timestamp, binding): fabric-contract-api
 * parses the creator on every transaction (ClientIdentity), and stubs derive txid-independent data
 * from it (PROTOCOL.md §4.3). The txid follows the client convention: hex SHA-256 of nonce ‖ creator
 * (fabric protoutil ComputeTxID).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SignedProposal, Timestamp } from '../protocol/messages.js';
import {
  ChaincodeSpecType,
  HeaderType,
  encodeChaincodeHeaderExtension,
  encodeChaincodeInvocationSpec,
  encodeChaincodeProposalPayload,
  encodeChannelHeader,
  encodeHeader,
  encodeProposal,
  encodeSerializedIdentity,
  encodeSignatureHeader,
} from '../wire/index.js';

export interface ProposalIdentity {
  mspId: string;
  certPem: string;
  sign(bytes: Uint8Array): Uint8Array;
}

export interface BuiltProposal {
  txId: string;
  signedProposal: SignedProposal;
  timestamp: Timestamp;
  creator: Uint8Array;
}

export function buildSignedProposal(o: {
  identity: ProposalIdentity;
  channel: string;
  chaincode: string;
  args: Uint8Array[];
  isInit: boolean;
  transient: Record<string, Uint8Array>;
  /** Milliseconds since the epoch. */
  nowMs: number;
  txId?: string | undefined;
}): BuiltProposal {
  const creator = encodeSerializedIdentity({ mspid: o.identity.mspId, idBytes: Buffer.from(o.identity.certPem) });
  const nonce = randomBytes(24);
  const txId = o.txId ?? createHash('sha256').update(nonce).update(creator).digest('hex');
  const timestamp: Timestamp = { seconds: Math.floor(o.nowMs / 1000), nanos: (o.nowMs % 1000) * 1_000_000 };
  const chaincodeId = { name: o.chaincode, path: '', version: '' };
  const channelHeader = encodeChannelHeader({
    type: HeaderType.ENDORSER_TRANSACTION,
    version: 0,
    timestamp,
    channelId: o.channel,
    txId,
    epoch: 0,
    extension: encodeChaincodeHeaderExtension({ chaincodeId }),
    tlsCertHash: new Uint8Array(0),
  });
  const header = encodeHeader({ channelHeader, signatureHeader: encodeSignatureHeader({ creator, nonce }) });
  const input = encodeChaincodeInvocationSpec({
    chaincodeSpec: {
      type: ChaincodeSpecType.NODE,
      chaincodeId,
      input: { args: o.args, decorations: {}, isInit: o.isInit },
      timeout: 0,
    },
  });
  const payload = encodeChaincodeProposalPayload({ input, transientMap: o.transient });
  const proposalBytes = encodeProposal({ header, payload, extension: new Uint8Array(0) });
  return { txId, timestamp, creator, signedProposal: { proposalBytes, signature: o.identity.sign(proposalBytes) } };
}
