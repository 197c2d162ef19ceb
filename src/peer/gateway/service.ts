/**
 * The Fabric Gateway's logic, over the dev peer's organisations (internal/pkg/gateway: evaluate.go,
 * endorse.go, submit.go, commitstatus.go), with the real peer's error shapes. The gRPC endpoint
 * (src/gateway) only decodes requests and encodes these results; `ccproto invoke` and the HTTP API
 * submit through the same code.
 *
 * Endorsement planning follows Fabric's Gateway: the first endorsement comes from the gateway's own
 * organisation; the chaincode's policy (unless every written public key has its own), the
 * key-level policies and the policies of the collections written without one (or read) that the
 * endorser reports then decide which further organisations must endorse (planFromFirstEndorser +
 * discovery; discovery/support/chaincode/support.go PoliciesByChaincode takes a collection's
 * endorsement policy, or the chaincode's when it has none). A client that names
 * `endorsing_organizations` gets exactly those (planForOrgs), and policies are left to the
 * committer.
 */
import type { ChannelLedger } from '../../committer/channel.js';
import type { PolicySource } from '../../committer/endorsementCheck.js';
import { signedBy } from '../../committer/creator.js';
import { planOrganisations, policyToString, type EndorsementPolicy } from '../../policy/index.js';
import type { Response, SignedProposal } from '../../protocol/messages.js';
import {
  decodeChaincodeAction,
  decodeCommitStatusRequest,
  decodeProposalResponsePayload,
  decodeSerializedIdentity,
  encodeChaincodeActionPayload,
  encodeChaincodeProposalPayload,
  encodeCommonPayload,
  encodeEnvelope,
  encodeTransaction,
  statusName,
  type Endorsement,
  type Envelope,
  type ErrorDetail,
  type SignedCommitStatusRequest,
} from '../../wire/index.js';
import type { Endorsed, Endorser } from '../endorser.js';
import type { Network, OrgPeer } from '../network.js';
import { unpackProposal, type UnpackedProposal } from '../unpackProposal.js';
import { Code, failure, type GatewayFailure, type GatewayResult } from './result.js';

export interface GatewayDeps {
  network: Network;
  endorser: Endorser;
  channel(name: string): Promise<ChannelLedger | undefined>;
  /** The policies of an existing channel (collection-level ones included). */
  policies(channel: string): PolicySource;
  /** The endpoint address an organisation's peer is reported under in ErrorDetails. */
  addressOf(org: OrgPeer): string;
}

/** A prepared (endorsed, unsigned) transaction. */
export interface Prepared {
  txId: string;
  channel: string;
  envelope: Envelope;
  /** The chaincode's response (with its payload), as the client reads the result. */
  response: Response;
}

type Collected = { org: OrgPeer; r: Extract<Endorsed, { kind: 'response' }> };

const ENDORSE_FAILED = 'failed to endorse transaction, see attached details for more info';
const COLLECT_FAILED = 'failed to collect enough transaction endorsements, see attached details for more info';

export class GatewayService {
  constructor(private readonly d: GatewayDeps) {}

  private detail(org: OrgPeer, message: string): ErrorDetail {
    return { address: this.d.addressOf(org), mspId: org.mspId, message };
  }

  /** apiutils.go responseStatus: how an endorser's answer reads to the Gateway. */
  private status(r: Endorsed): { code: number; message: string; retry: boolean } | undefined {
    if (r.kind === 'rejected') return r.rpcError ? { code: Code.FAILED_PRECONDITION, message: r.message, retry: false } : { code: Code.ABORTED, message: r.message, retry: true };
    const { status, message } = r.response;
    if (status >= 200 && status < 400) return undefined;
    if (r.proposalResponse.payload.length === 0 && status === 500) return { code: Code.ABORTED, message, retry: true };
    return { code: Code.UNKNOWN, message: `chaincode response ${status}, ${message}`, retry: false };
  }

  private endorsers(): OrgPeer[] {
    return this.d.network.orgs.filter((o) => o.signer !== undefined);
  }

  private async unpack(sp: SignedProposal | undefined, what: string): Promise<GatewayResult<{ u: UnpackedProposal; ledger: ChannelLedger }>> {
    if (!sp || sp.proposalBytes.length === 0) return failure(Code.INVALID_ARGUMENT, what);
    const up = unpackProposal(sp);
    if (!up.ok) return failure(Code.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${up.error}`);
    if (up.value.channel === '') return failure(Code.INVALID_ARGUMENT, 'failed to unpack transaction proposal: no channel id provided');
    const ledger = await this.d.channel(up.value.channel);
    if (!ledger) return failure(Code.UNAVAILABLE, `failed to get config for channel [${up.value.channel}]: channel ${up.value.channel} not found`);
    return { ok: true, u: up.value, ledger };
  }

  /** evaluate.go Evaluate: one endorser of the target (or the gateway's own) organisation. */
  async evaluate(sp: SignedProposal | undefined, targetOrganizations: readonly string[]): Promise<GatewayResult<{ result: Response }>> {
    const un = await this.unpack(sp, 'failed to unpack transaction proposal: a signed proposal is required');
    if (!un.ok) return un;
    const candidates = this.endorsers().filter((o) => (targetOrganizations.length > 0 ? targetOrganizations.includes(o.mspId) : true));
    const org = candidates.find((o) => o.mspId === this.d.network.local.mspId) ?? candidates[0];
    if (!org) return failure(Code.FAILED_PRECONDITION, `no peers available to evaluate chaincode ${un.u.chaincode} in channel ${un.u.channel}`);
    const r = await this.d.endorser.processProposal(sp!, org.signer!);
    const st = this.status(r);
    if (st) {
      const details = [this.detail(org, st.message)];
      return st.retry ? failure(st.code, 'failed to evaluate transaction, see attached details for more info', details) : failure(st.code, `evaluate call to endorser returned error: ${st.message}`, details);
    }
    const ok = r as Extract<Endorsed, { kind: 'response' }>;
    return { ok: true, result: { ...ok.response, payload: resultOf(ok.proposalResponse.payload) ?? ok.response.payload } };
  }

  /** endorse.go Endorse: endorsements enough for the policies, assembled into a transaction. */
  async endorse(sp: SignedProposal | undefined, endorsingOrganizations: readonly string[]): Promise<GatewayResult<{ prepared: Prepared }>> {
    const un = await this.unpack(sp, 'the proposed transaction must contain a signed proposal');
    if (!un.ok) return un;
    const { u, ledger } = un;
    if (endorsingOrganizations.length > 0) {
      const missing = endorsingOrganizations.filter((id) => !this.endorsers().some((o) => o.mspId === id));
      if (missing.length > 0) return failure(Code.UNAVAILABLE, `failed to find any endorsing peers for org(s): ${missing.join(', ')}`);
      const got = await this.collect(sp!, this.endorsers().filter((o) => endorsingOrganizations.includes(o.mspId)), COLLECT_FAILED);
      return got.ok ? this.assemble(u, ledger, got.collected) : got;
    }
    const first = this.firstEndorser(Object.keys(u.payload.transientMap).length > 0);
    if (!first.ok) return first;
    const r = await this.d.endorser.processProposal(sp!, first.org.signer!);
    return this.endorseAfterFirst(sp!, u, ledger, first.org, r);
  }

  /** The gateway's own organisation endorses first (endorse.go planFromFirstEndorser). */
  firstEndorser(hasTransient: boolean): GatewayResult<{ org: OrgPeer }> {
    const local = this.d.network.local;
    const org = local.signer ? local : hasTransient ? undefined : this.endorsers()[0];
    if (!org) return failure(Code.FAILED_PRECONDITION, "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data");
    return { ok: true, org };
  }

  /**
   * Given the first endorser's answer: plan the further organisations the chaincode's and the
   * written keys' policies need, collect their endorsements, assemble the transaction.
   */
  async endorseAfterFirst(sp: SignedProposal, u: UnpackedProposal, ledger: ChannelLedger, org: OrgPeer, r: Endorsed): Promise<GatewayResult<{ prepared: Prepared }>> {
    const st = this.status(r);
    if (st) return failure(Code.ABORTED, ENDORSE_FAILED, [this.detail(org, st.message)]);
    const firstResult = r as Extract<Endorsed, { kind: 'response' }>;
    const interest = firstResult.interest;
    const policies: EndorsementPolicy[] = interest.keyPolicies.map((envelope) => ({ kind: 'signature', envelope }));
    if (!interest.disregardChaincodePolicy) policies.push(this.d.network.policyOf(u.chaincode));
    const noPlan = 'no combination of peers can be derived which satisfy the endorsement policy';
    if (interest.collections.length > 0) {
      const source = this.d.policies(u.channel);
      for (const { namespace, collection } of interest.collections) {
        const c = source.collectionPolicyOf(namespace, collection);
        if ('invalid' in c) return failure(Code.FAILED_PRECONDITION, `${noPlan}: ${c.invalid}`);
        policies.push(c.policy);
      }
    }
    const available = this.endorsers().map((o) => o.mspId);
    const plan = planOrganisations(policies, this.d.network.channelOrgs, available, org.mspId);
    if (!plan) {
      const described = [...new Set(policies.map((p) => (p.kind === 'signature' ? policyToString(p.envelope) : `${p.rule} ${p.subPolicy}`)))].join(' and ');
      return failure(Code.FAILED_PRECONDITION, `${noPlan}: ${described} (chaincode ${u.chaincode}; endorsing organisations: ${available.join(', ')})`);
    }
    const more = await this.collect(sp, this.endorsers().filter((o) => plan.includes(o.mspId) && o.mspId !== org.mspId), COLLECT_FAILED);
    if (!more.ok) return more;
    return this.assemble(u, ledger, [{ org, r: firstResult }, ...more.collected]);
  }

  private async collect(sp: SignedProposal, orgs: OrgPeer[], message: string): Promise<GatewayResult<{ collected: Collected[] }>> {
    // One after another: the dev peer's organisations share one chaincode process, and a chaincode
    // stream runs a txid once at a time (a real network has a container per peer).
    const results: { org: OrgPeer; r: Endorsed }[] = [];
    for (const org of orgs) results.push({ org, r: await this.d.endorser.processProposal(sp, org.signer!) });
    const details: ErrorDetail[] = [];
    const collected: Collected[] = [];
    for (const { org, r } of results) {
      const st = this.status(r);
      if (st) details.push(this.detail(org, st.message));
      else collected.push({ org, r: r as Extract<Endorsed, { kind: 'response' }> });
    }
    return details.length > 0 ? failure(Code.ABORTED, message, details) : { ok: true, collected };
  }

  private assemble(u: UnpackedProposal, ledger: ChannelLedger, collected: Collected[]): GatewayResult<{ prepared: Prepared }> {
    // endorsement.go processEndorsement: every endorser must have computed the same payload.
    const reference = collected[0]!.r.proposalResponse.payload;
    const mismatch = collected.filter(({ r }) => Buffer.compare(r.proposalResponse.payload, reference) !== 0);
    if (mismatch.length > 0) return failure(Code.ABORTED, COLLECT_FAILED, mismatch.map(({ org }) => this.detail(org, 'ProposalResponsePayloads do not match')));
    const pvt = collected[0]!.r.privateData;
    if (pvt) ledger.keepPrivateData(u.txId, pvt);
    const envelope = prepareTransaction(u, reference, collected.map(({ r }) => r.proposalResponse.endorsement!));
    return { ok: true, prepared: { txId: u.txId, channel: u.channel, envelope, response: collected[0]!.r.response } };
  }

  /** submit.go Submit: hand the signed transaction to the ordering service. */
  async submit(channel: string, envelope: Envelope | undefined): Promise<GatewayResult<object>> {
    if (!envelope) return failure(Code.INVALID_ARGUMENT, 'a prepared transaction is required');
    if (envelope.signature.length === 0) return failure(Code.INVALID_ARGUMENT, 'prepared transaction must be signed');
    const ledger = await this.d.channel(channel);
    if (!ledger) return failure(Code.FAILED_PRECONDITION, `failed to get config for channel [${channel}]: channel ${channel} not found`);
    const r = ledger.broadcast(encodeEnvelope(envelope));
    if (r.ok) return { ok: true };
    const info = `received unsuccessful response from orderer: status=${statusName(r.status) ?? r.statusName}, info=${r.info}`;
    if (r.status >= 400 && r.status < 500) return failure(Code.ABORTED, info);
    return failure(Code.UNAVAILABLE, 'no orderers could successfully process transaction', [{ address: 'orderer (in process)', mspId: this.d.network.local.mspId, message: info }]);
  }

  /**
   * commitstatus.go CommitStatus: the signer must be a reader of the channel (a member of one of
   * its organisations); the answer waits for the transaction's block.
   */
  async commitStatus(signed: SignedCommitStatusRequest, onWait?: (cancel: () => void) => void): Promise<GatewayResult<{ result: number; blockNumber: number }>> {
    if (signed.request.length === 0) return failure(Code.INVALID_ARGUMENT, 'a commit status request is required');
    const req = decodeCommitStatusRequest(signed.request);
    if (!req.ok) return failure(Code.INVALID_ARGUMENT, `invalid status request: ${req.reason}`);
    if (req.value.identity.length === 0) return failure(Code.INVALID_ARGUMENT, 'no identity provided');
    if (req.value.channelId === '') return failure(Code.INVALID_ARGUMENT, 'no channel ID provided');
    if (req.value.transactionId === '') return failure(Code.INVALID_ARGUMENT, 'transaction ID should not be empty');
    const denied = this.checkReader(req.value.channelId, req.value.identity, signed.request, signed.signature);
    if (denied) return failure(Code.PERMISSION_DENIED, denied);
    const ledger = await this.d.channel(req.value.channelId);
    if (!ledger) return failure(Code.NOT_FOUND, `channel ${req.value.channelId} not found`);
    const status = await ledger.commitStatus(req.value.transactionId, onWait);
    if (!status) return failure(Code.CANCELLED, 'the commit status wait was cancelled');
    return { ok: true, result: status.code, blockNumber: status.blockNumber };
  }

  /**
   * The ACL check of signed Gateway requests (CommitStatus, ChaincodeEvents → the channel's
   * Readers): the identity must validate under a channel MSP and its signature verify.
   */
  checkReader(channel: string, identity: Uint8Array, data: Uint8Array, signature: Uint8Array): string | undefined {
    if (signedBy(this.d.network.msps, identity, data, signature)) return undefined;
    const serialized = decodeSerializedIdentity(identity);
    const mspId = serialized.ok ? serialized.value.mspid : 'unknown';
    return `failed evaluating policy on signed data during check policy [/Channel/Application/Readers]: [access denied: channel [${channel}] creator org [${mspId}]]`;
  }
}

/** The chaincode's result payload from a ProposalResponsePayload (evaluate.go getResultFromProposalResponse). */
function resultOf(prp: Uint8Array): Uint8Array | undefined {
  if (prp.length === 0) return undefined;
  const p = decodeProposalResponsePayload(prp);
  if (!p.ok) return undefined;
  const a = decodeChaincodeAction(p.value.extension);
  return a.ok ? a.value.response?.payload : undefined;
}

/** submit.go prepareTransaction: the endorsed transaction in an unsigned envelope. */
export function prepareTransaction(u: UnpackedProposal, prp: Uint8Array, endorsements: Endorsement[]): Envelope {
  const cpp = encodeChaincodeProposalPayload({ input: u.payload.input, transientMap: {} });
  const cap = encodeChaincodeActionPayload({ chaincodeProposalPayload: cpp, action: { proposalResponsePayload: prp, endorsements } });
  const tx = encodeTransaction({ actions: [{ header: u.header.signatureHeader, payload: cap }] });
  const payload = encodeCommonPayload({ header: u.header, data: tx });
  return { payload, signature: new Uint8Array(0) };
}
