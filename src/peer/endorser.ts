/**
 * The endorser of one organisation's peer (core/endorser/endorser.go ProcessProposal): validate
 * the proposal, run the chaincode in a fresh simulation, and answer with a ProposalResponse whose
 * payload commits to the read/write set, the event and the response — signed by the peer when
 * the chaincode succeeded (status < 400).
 *
 * Outcomes, in Fabric's words:
 *   unreadable proposal                 Response{500, <unpack error>} and a gRPC error
 *   unknown channel                     Response{500, "channel '<ch>' not found"}
 *   validation (msgvalidation.go)       Response{500, "error validating proposal: …"} and a gRPC error
 *   duplicate txid                      Response{500, "duplicate transaction found [<txid>]. Creator [<hex>]"} and a gRPC error
 *   creator not a Writer (ACL)          Response{500, "access denied for [propose][<ch>]: …"} and a gRPC error
 *   chaincode not defined / run failed  Response{500, "make sure the chaincode … / error in simulation: …"}
 *   chaincode status ≥ 500              Response + payload (no endorsement)
 *   chaincode status 400–499            Response only
 *   otherwise                           Response + payload + endorsement
 */
import type { MspManager } from '../identity/index.js';
import type { Signer } from '../orderer/signer.js';
import { identityOf, isWriter } from '../committer/creator.js';
import { computeTxId } from '../committer/hashes.js';
import { encodeRwSets } from '../committer/rwsetWire.js';
import { policyFromWire } from '../committer/policyWire.js';
import { VALIDATION_PARAMETER } from '../committer/endorsementCheck.js';
import type { SignaturePolicyEnvelope } from '../policy/index.js';
import type { ChaincodeEvent, Response } from '../protocol/messages.js';
import {
  decodeSerializedIdentity,
  encodeChaincodeAction,
  encodeChaincodeEvent,
  encodeProposalResponsePayload,
  HeaderType,
  type ProposalResponse,
} from '../wire/index.js';
import type { TxSimulationResults } from '../ledger/index.js';
import type { ExecuteOutcome, ExecuteRequest } from './types.js';
import { unpackProposal, type UnpackedProposal } from './unpackProposal.js';

/** The definition version the dev peer reports for every chaincode (it has no lifecycle). */
export const DEV_CHAINCODE_VERSION = '1.0';

export interface EndorserDeps {
  msps: MspManager;
  channelExists(channel: string): boolean;
  isDefined(chaincode: string): boolean;
  txExists(channel: string, txId: string): Promise<boolean>;
  execute(req: ExecuteRequest): Promise<ExecuteOutcome>;
  /** The committed metadata of a public key, if any. */
  committedMetadata(channel: string, ns: string, key: string): Promise<{ metakey: string; value: Uint8Array }[] | undefined>;
  /** The committed metadata of a private key, if any. */
  committedPrivateMetadata(channel: string, ns: string, collection: string, key: string): Promise<{ metakey: string; value: Uint8Array }[] | undefined>;
}

/**
 * What the Gateway learns besides the response (core/endorser/endorser.go buildChaincodeInterest),
 * gathered over every namespace the transaction touches.
 */
export interface EndorsementInterest {
  /** Key-level policies of the keys (public and private) the transaction writes. */
  keyPolicies: SignaturePolicyEnvelope[];
  /**
   * The transaction writes, and every public key it writes has a key-level policy: the chaincode's
   * own policy is not needed (private keys without one need their collection's policy instead).
   */
  disregardChaincodePolicy: boolean;
  /** Collections whose policy is needed: a key written without a key-level policy, or a private read. */
  collections: { namespace: string; collection: string }[];
}

export type Endorsed =
  /** ProcessProposal answered Response{500, message}; `rpcError` when it also returned an error. */
  | { kind: 'rejected'; message: string; rpcError: boolean; unpacked?: UnpackedProposal }
  | {
      kind: 'response';
      unpacked: UnpackedProposal;
      proposalResponse: ProposalResponse;
      response: Response;
      /** Private writes to keep until commit (transient store). */
      privateData: Uint8Array | undefined;
      interest: EndorsementInterest;
      event: ChaincodeEvent | undefined;
    };

export class Endorser {
  constructor(private readonly deps: EndorserDeps) {}

  async processProposal(signedProposal: ExecuteRequest['signedProposal'], as: Signer): Promise<Endorsed> {
    const up = unpackProposal(signedProposal);
    if (!up.ok) return { kind: 'rejected', message: up.error, rpcError: true };
    const u = up.value;
    if (!this.deps.channelExists(u.channel)) return { kind: 'rejected', message: `channel '${u.channel}' not found`, rpcError: false, unpacked: u };
    const invalid = this.validate(u);
    if (invalid) return { kind: 'rejected', message: `error validating proposal: ${invalid}`, rpcError: true, unpacked: u };
    if (await this.deps.txExists(u.channel, u.txId)) {
      return { kind: 'rejected', message: `duplicate transaction found [${u.txId}]. Creator [${Buffer.from(u.signatureHeader.creator).toString('hex')}]`, rpcError: true, unpacked: u };
    }
    const acl = this.checkAcl(u);
    if (acl) return { kind: 'rejected', message: acl, rpcError: true, unpacked: u };
    if (!this.deps.isDefined(u.chaincode)) {
      const message = `make sure the chaincode ${u.chaincode} has been successfully defined on channel ${u.channel} and try again: chaincode ${u.chaincode} not found`;
      return { kind: 'rejected', message, rpcError: false, unpacked: u };
    }
    const outcome = await this.deps.execute({
      channel: u.channel,
      txId: u.txId,
      chaincode: u.chaincode,
      txType: u.input.isInit ? 'INIT' : 'TRANSACTION',
      input: u.input,
      signedProposal,
    });
    if (!outcome.ok) return { kind: 'rejected', message: `error in simulation: ${outcome.message}`, rpcError: false, unpacked: u };
    const { results, pvt } = encodeRwSets(outcome.rwset);
    const prpBytes = encodeProposalResponsePayload({
      proposalHash: u.proposalHash,
      extension: encodeChaincodeAction({
        results,
        events: outcome.event ? encodeChaincodeEvent(outcome.event) : new Uint8Array(0),
        response: outcome.response,
        chaincodeId: { name: u.chaincode, path: '', version: DEV_CHAINCODE_VERSION },
      }),
    });
    const interest = await this.interest(u.channel, outcome.rwset);
    const status = outcome.response.status;
    const base = { version: 0, timestamp: undefined, response: outcome.response, payload: new Uint8Array(0), endorsement: undefined, interest: undefined };
    let proposalResponse: ProposalResponse;
    // endorser.go ProcessProposalSuccessfullyOrError: ≥ 500 keeps the payload, 400–499 does not,
    // below 400 the peer signs the payload with the endorser's identity appended.
    if (status >= 500) proposalResponse = { ...base, payload: prpBytes };
    else if (status >= 400) proposalResponse = base;
    else {
      const signature = as.sign(Buffer.concat([prpBytes, as.creator]));
      proposalResponse = { ...base, version: 1, payload: prpBytes, endorsement: { endorser: as.creator, signature } };
    }
    return { kind: 'response', unpacked: u, proposalResponse, response: outcome.response, privateData: status < 400 ? pvt : undefined, interest, event: outcome.event };
  }

  /** msgvalidation.go UnpackedProposal.Validate, then the propose ACL (/Channel/Application/Writers). */
  private validate(u: UnpackedProposal): string | undefined {
    const type = u.channelHeader.type;
    if (type !== HeaderType.ENDORSER_TRANSACTION && type !== HeaderType.CONFIG) return `invalid header type ${type}`;
    if (u.channelHeader.epoch !== 0) return 'epoch is non-zero';
    if (u.signatureHeader.nonce.length === 0) return 'nonce is empty';
    if (u.signatureHeader.creator.length === 0) return 'creator is empty';
    const expected = computeTxId(u.signatureHeader.nonce, u.signatureHeader.creator);
    if (u.txId !== expected) return `incorrectly computed txid '${u.txId}' -- expected '${expected}'`;
    if (u.signedProposal.signature.length === 0) return 'empty signature bytes';
    const serialized = decodeSerializedIdentity(u.signatureHeader.creator);
    const id = serialized.ok ? this.deps.msps.deserializeIdentity({ mspid: serialized.value.mspid, idBytes: serialized.value.idBytes }) : undefined;
    if (!serialized.ok || !id || (!id.ok && id.code === 'unknown-msp') || (!id.ok && id.code === 'malformed')) {
      return `access denied: channel [${u.channel}] creator org unknown, creator is malformed`;
    }
    const denied = `access denied: channel [${u.channel}] creator org [${serialized.value.mspid}]`;
    if (!id.ok) return denied;
    if (!this.deps.msps.verify(id.identity, u.signedProposal.proposalBytes, u.signedProposal.signature)) return denied;
    return undefined;
  }

  /**
   * endorser.go preProcess CheckACL: the default ACL for peer/Propose is
   * /Channel/Application/Writers, an admin or a client of a channel organisation (the test
   * network's configtx.yaml Writers policies).
   */
  private checkAcl(u: UnpackedProposal): string | undefined {
    const id = identityOf(this.deps.msps, u.signatureHeader.creator);
    return id && isWriter(this.deps.msps, id) ? undefined : `access denied for [propose][${u.channel}]: the creator does not satisfy /Channel/Application/Writers (an admin or client of a channel organisation)`;
  }

  /**
   * endorser.go buildChaincodeInterest with parseWritesetMetadata: a written key with a key-level
   * policy contributes that policy; one without needs the chaincode's policy (public) or its
   * collection's (private); a private read needs its collection's policy too (the hashed reads
   * stand for Fabric's PrivateReads); a transaction that writes nothing needs the chaincode's.
   */
  private async interest(channel: string, rwset: TxSimulationResults): Promise<EndorsementInterest> {
    const keyPolicies: SignaturePolicyEnvelope[] = [];
    const collections: EndorsementInterest['collections'] = [];
    let writes = false;
    let chaincodePolicy = false;
    const keyPolicy = (metadata: { metakey: string; value: Uint8Array }[] | undefined): SignaturePolicyEnvelope | undefined => {
      const vp = metadata?.find((m) => m.metakey === VALIDATION_PARAMETER);
      const p = vp && vp.value.length > 0 ? policyFromWire(vp.value) : undefined;
      return p?.ok ? p.envelope : undefined;
    };
    for (const ns of rwset.publicRwSet) {
      for (const key of new Set([...ns.writes.map((w) => w.key), ...ns.metadataWrites.map((m) => m.key)])) {
        writes = true;
        const p = keyPolicy(await this.deps.committedMetadata(channel, ns.namespace, key));
        if (p) keyPolicies.push(p);
        else chaincodePolicy = true;
      }
      const pvt = rwset.privateRwSet.find((p) => p.namespace === ns.namespace);
      for (const coll of ns.collHashedRwSets) {
        let needed = coll.hashedReads.length > 0;
        if (coll.hashedWrites.length > 0 || coll.metadataWrites.length > 0) {
          writes = true;
          const plain = pvt?.collectionPvtRwSets.find((c) => c.collectionName === coll.collectionName);
          if (!plain) needed = true;
          else {
            for (const key of new Set([...plain.writes.map((w) => w.key), ...plain.metadataWrites.map((m) => m.key)])) {
              const p = keyPolicy(await this.deps.committedPrivateMetadata(channel, ns.namespace, coll.collectionName, key));
              if (p) keyPolicies.push(p);
              else needed = true;
            }
          }
        }
        if (needed) collections.push({ namespace: ns.namespace, collection: coll.collectionName });
      }
    }
    return { keyPolicies, disregardChaincodePolicy: writes && !chaincodePolicy, collections };
  }
}
