/**
 * The checks a committing peer applies to one transaction envelope before the ledger sees it
 * (core/common/validation/msgvalidation.go ValidateTransaction, then the endorsement signature
 * part of the default validation plugin). Each failure is a TxValidationCode, never an exception:
 *
 *   envelope / payload / headers unreadable            BAD_PAYLOAD, BAD_COMMON_HEADER, BAD_CHANNEL_HEADER
 *   header type other than ENDORSER_TRANSACTION/CONFIG UNKNOWN_TX_TYPE; epoch ≠ 0 BAD_COMMON_HEADER
 *   another channel                                    TARGET_CHAIN_NOT_FOUND
 *   creator unknown/invalid or signature wrong         BAD_CREATOR_SIGNATURE (checkSignatureFromCreator)
 *   txid ≠ SHA-256(nonce ‖ creator)                    BAD_PROPOSAL_TXID
 *   not exactly one action, unreadable action parts    INVALID_ENDORSER_TRANSACTION / BAD_RESPONSE_PAYLOAD
 *   proposal hash in the response ≠ this proposal      INVALID_ENDORSER_TRANSACTION
 *   read/write set unreadable                          BAD_RWSET
 *
 * Endorsements whose endorser does not validate or whose signature (over the proposal response
 * payload ‖ endorser) does not verify are dropped, as the policy evaluation drops them
 * (common/policies/policy.go SignatureSetToValidIdentities); the policies then decide.
 */
import type { ChaincodeEvent } from '../protocol/messages.js';
import type { MspIdentity, MspManager } from '../identity/index.js';
import type { PrivateWriteSet, TxSimulationResults } from '../ledger/index.js';
import {
  decodeChaincodeAction,
  decodeChaincodeActionPayload,
  decodeChaincodeEvent,
  decodeChaincodeHeaderExtension,
  decodeChaincodeProposalPayload,
  decodeChannelHeader,
  decodeCommonPayload,
  decodeEnvelope,
  decodeProposalResponsePayload,
  decodeSignatureHeader,
  decodeTransaction,
  HeaderType,
  TxValidationCode as Code,
} from '../wire/index.js';
import { identityOf, signedBy } from './creator.js';
import { computeTxId, proposalHash } from './hashes.js';
import { decodeRwSets } from './rwsetWire.js';

export interface CheckedTx {
  txId: string;
  /** VALID when every check here passed (policies and MVCC are still to come). */
  code: number;
  /** Why the code is not VALID (for logs). */
  reason?: string;
  isConfig: boolean;
  creator?: MspIdentity;
  /** The invoked chaincode (ChaincodeHeaderExtension). */
  chaincode: string;
  results?: TxSimulationResults;
  /** The private write sets to keep with the block (rwsetWire.ts decodeRwSets). */
  privateWriteSets?: PrivateWriteSet[];
  /** Endorsers whose signatures verified, deduplicated by certificate. */
  endorsers: MspIdentity[];
  event?: ChaincodeEvent;
}

export interface ValidateContext {
  channel: string;
  msps: MspManager;
  /** The private read/write set kept since endorsement (the transient store), if any. */
  privateData(txId: string): Uint8Array | undefined;
}

export function validateEnvelope(bytes: Uint8Array, ctx: ValidateContext): CheckedTx {
  const fail = (code: number, reason: string, part: Partial<CheckedTx> = {}): CheckedTx => ({ txId: '', isConfig: false, chaincode: '', endorsers: [], ...part, code, reason });
  const env = decodeEnvelope(bytes);
  if (!env.ok) return fail(Code.BAD_PAYLOAD, env.reason);
  const payload = decodeCommonPayload(env.value.payload);
  if (!payload.ok) return fail(Code.BAD_PAYLOAD, payload.reason);
  const header = payload.value.header;
  if (!header) return fail(Code.BAD_COMMON_HEADER, 'missing header');
  const ch = decodeChannelHeader(header.channelHeader);
  if (!ch.ok) return fail(Code.BAD_CHANNEL_HEADER, ch.reason);
  const txId = ch.value.txId;
  const sh = decodeSignatureHeader(header.signatureHeader);
  if (!sh.ok) return fail(Code.BAD_COMMON_HEADER, sh.reason, { txId });
  const isConfig = ch.value.type === HeaderType.CONFIG;
  if (ch.value.type !== HeaderType.ENDORSER_TRANSACTION && !isConfig) return fail(Code.UNKNOWN_TX_TYPE, `header type ${ch.value.type}`, { txId });
  if (ch.value.epoch !== 0) return fail(Code.BAD_COMMON_HEADER, 'epoch is non-zero', { txId });
  if (sh.value.nonce.length === 0 || sh.value.creator.length === 0) return fail(Code.BAD_COMMON_HEADER, 'nonce or creator is empty', { txId });
  if (ch.value.channelId !== ctx.channel) return fail(Code.TARGET_CHAIN_NOT_FOUND, `channel ${ch.value.channelId}`, { txId });
  const creator = signedBy(ctx.msps, sh.value.creator, env.value.payload, env.value.signature);
  if (!creator) {
    return fail(Code.BAD_CREATOR_SIGNATURE, 'the creator is not valid or its signature does not verify', { txId });
  }
  if (isConfig) return { txId, code: Code.INVALID_CONFIG_TRANSACTION, reason: 'config updates are not accepted by the dev peer', isConfig, creator, chaincode: '', endorsers: [] };
  const expected = computeTxId(sh.value.nonce, sh.value.creator);
  if (txId !== expected) return fail(Code.BAD_PROPOSAL_TXID, `incorrectly computed txid '${txId}' -- expected '${expected}'`, { txId, creator });
  const ext = decodeChaincodeHeaderExtension(ch.value.extension);
  const chaincode = ext.ok ? (ext.value.chaincodeId?.name ?? '') : '';
  if (!chaincode) return fail(Code.BAD_HEADER_EXTENSION, 'no chaincode name in the header extension', { txId, creator });
  const part = { txId, creator, chaincode };

  const tx = decodeTransaction(payload.value.data);
  if (!tx.ok) return fail(Code.BAD_PAYLOAD, tx.reason, part);
  if (tx.value.actions.length !== 1) return fail(Code.INVALID_ENDORSER_TRANSACTION, `only one action per transaction is supported, found ${tx.value.actions.length}`, part);
  const action = tx.value.actions[0]!;
  const cap = decodeChaincodeActionPayload(action.payload);
  if (!cap.ok || !cap.value.action) return fail(Code.INVALID_ENDORSER_TRANSACTION, cap.ok ? 'no endorsed action' : cap.reason, part);
  const prpBytes = cap.value.action.proposalResponsePayload;
  const prp = decodeProposalResponsePayload(prpBytes);
  if (!prp.ok) return fail(Code.BAD_RESPONSE_PAYLOAD, prp.reason, part);
  // The response must be for this proposal: hash(channel header ‖ signature header ‖ payload
  // without transient data), core/endorser/msgvalidation.go UnpackProposal's ProposalHash.
  const cpp = decodeChaincodeProposalPayload(cap.value.chaincodeProposalPayload);
  if (!cpp.ok) return fail(Code.BAD_PAYLOAD, cpp.reason, part);
  if (Buffer.compare(proposalHash(header.channelHeader, header.signatureHeader, cpp.value.input), prp.value.proposalHash) !== 0) return fail(Code.INVALID_ENDORSER_TRANSACTION, 'proposal hash does not match the proposal', part);
  const cca = decodeChaincodeAction(prp.value.extension);
  if (!cca.ok) return fail(Code.BAD_RESPONSE_PAYLOAD, cca.reason, part);
  const rw = decodeRwSets({ channel: ctx.channel, txId, timestamp: ch.value.timestamp, results: cca.value.results, pvt: ctx.privateData(txId) });
  if (!rw.ok) return fail(Code.BAD_RWSET, rw.reason, part);
  let event: ChaincodeEvent | undefined;
  if (cca.value.events.length > 0) {
    const e = decodeChaincodeEvent(cca.value.events);
    if (e.ok) event = e.value;
  }
  const endorsers: MspIdentity[] = [];
  for (const e of cap.value.action.endorsements) {
    const id = identityOf(ctx.msps, e.endorser);
    if (!id || endorsers.some((x) => x.id === id.id)) continue;
    const signed = Buffer.concat([prpBytes, e.endorser]);
    if (ctx.msps.verify(id, signed, e.signature)) endorsers.push(id);
  }
  return { ...part, code: Code.VALID, isConfig: false, results: rw.results, privateWriteSets: rw.privateWriteSets, endorsers, ...(event ? { event } : {}) };
}
