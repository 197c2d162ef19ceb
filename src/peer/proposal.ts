/**
 * Builds the SignedProposal a Fabric client would send, so that chaincode sees a real one on every
 * INIT/TRANSACTION (creator certificate, transient map, timestamp, binding): fabric-contract-api
 * parses the creator on every transaction (ClientIdentity), and stubs derive txid-independent data
 * from it (docs/protocol.md §7.3). The txid follows the client convention: hex SHA-256 of nonce ‖ creator
 * (fabric protoutil ComputeTxID).
 */
import { randomBytes } from 'node:crypto';
import { computeTxId } from '../committer/hashes.js';
import type { SignedProposal, Timestamp } from '../protocol/messages.js';
import { systemNanoClock, timestampFromNanos } from './txClock.js';
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
  sign(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export interface BuiltProposal {
  txId: string;
  signedProposal: SignedProposal;
  timestamp: Timestamp;
  creator: Uint8Array;
}

/** The serialized creator, once per identity: it is the same bytes on every proposal. */
const creators = new WeakMap<ProposalIdentity, Uint8Array>();
function creatorBytes(identity: ProposalIdentity): Uint8Array {
  let bytes = creators.get(identity);
  if (!bytes) {
    bytes = encodeSerializedIdentity({ mspid: identity.mspId, idBytes: Buffer.from(identity.certPem) });
    creators.set(identity, bytes);
  }
  return bytes;
}

/** 24-byte nonces cut from a pooled random buffer (one randomBytes call per 256 proposals). */
const NONCE = 24;
let pool = Buffer.alloc(0);
let poolAt = 0;
function nextNonce(): Buffer {
  if (poolAt + NONCE > pool.length) {
    pool = randomBytes(NONCE * 256);
    poolAt = 0;
  }
  const nonce = pool.subarray(poolAt, poolAt + NONCE);
  poolAt += NONCE;
  return nonce;
}

export async function buildSignedProposal(o: {
  identity: ProposalIdentity;
  channel: string;
  chaincode: string;
  args: Uint8Array[];
  isInit: boolean;
  transient: Record<string, Uint8Array>;
  /** ChannelHeader.timestamp, at full precision (what getTxTimestamp returns to the chaincode). */
  timestamp?: Timestamp | undefined;
  /** Milliseconds since the epoch: a timestamp with millisecond precision, when `timestamp` is not
   *  given. Without either, the system clock at nanosecond resolution (src/peer/txClock.ts). */
  nowMs?: number | undefined;
  txId?: string | undefined;
}): Promise<BuiltProposal> {
  const creator = creatorBytes(o.identity);
  const nonce = nextNonce();
  const txId = o.txId ?? computeTxId(nonce, creator);
  const timestamp: Timestamp =
    o.timestamp !== undefined
      ? { seconds: o.timestamp.seconds, nanos: o.timestamp.nanos }
      : o.nowMs !== undefined
        ? { seconds: Math.floor(o.nowMs / 1000), nanos: (((o.nowMs % 1000) + 1000) % 1000) * 1_000_000 }
        : timestampFromNanos(systemNanoClock());
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
  return { txId, timestamp, creator, signedProposal: { proposalBytes, signature: await o.identity.sign(proposalBytes) } };
}
