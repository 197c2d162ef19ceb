/**
 * Endorsement policy validation of one transaction at commit, as Fabric's default validation
 * plugin with state-based endorsement does (core/common/validation/statebased
 * validator_keylevel.go baseEvaluator.Evaluate, v20.go policyCheckerV20), for every namespace the
 * transaction writes and for the chaincode it invoked:
 *
 *   - each written key (public write, public metadata write, hashed private write or purge,
 *     hashed metadata write) with a key-level policy (VALIDATION_PARAMETER metadata) must have
 *     that policy satisfied by the endorsers; a key whose policy an earlier transaction of the
 *     same block changed fails outright (vpmanagerimpl.go: ValidationParameterUpdatedError);
 *   - a written public key without one needs the chaincode's policy (checked once);
 *   - a written private key without one needs its collection's policy (checked once per
 *     collection, v20.go CheckCCEPIfNotChecked): the collection config's `endorsementPolicy`, or the
 *     chaincode's policy when the collection has none (core/chaincode/lifecycle
 *     deployedcc_infoprovider.go CollectionValidationInfo); an implicit collection's is its
 *     organisation's Endorsement policy (ImplicitCollectionEndorsementPolicyAsBytes); a collection
 *     the chaincode does not define fails (`no such collection`);
 *   - a transaction that checked no policy at all (it writes nothing) needs the chaincode's policy.
 *
 * Every failure is ENDORSEMENT_POLICY_FAILURE, with a reason for the log.
 */
import type { MspIdentity, MspManager } from '../identity/index.js';
import type { BlockMetadataView, TxSimulationResults } from '../ledger/index.js';
import { evaluateEndorsementPolicy, evaluateSignaturePolicy, policyToString, type EndorsementPolicy, type PolicyIdentity } from '../policy/index.js';
import type { StateMetadata } from '../protocol/messages.js';
import { TxValidationCode } from '../wire/index.js';
import { policyFromWire } from './policyWire.js';

export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** The chaincode-level policies of a network (src/peer/network.ts). */
export interface ChaincodePolicies {
  /** The channel's application organisations (for implicit meta policies). */
  readonly channelOrgs: readonly string[];
  /** The chaincode-level endorsement policy of `chaincode`. */
  policyOf(chaincode: string): EndorsementPolicy;
}

/**
 * The policy writes to a collection need (lifecycle CollectionValidationInfo): the collection's
 * own endorsement policy, or the chaincode's when it has none; or, when there is none to evaluate,
 * the reason the write fails (ENDORSEMENT_POLICY_FAILURE), e.g. `no such collection 'x'`.
 */
export type CollectionPolicy = { readonly policy: EndorsementPolicy } | { readonly invalid: string };

/** The policies of one channel, as its committer reads them. */
export interface PolicySource extends ChaincodePolicies {
  /** The policy writes to `collection` of `chaincode` need on this channel. */
  collectionPolicyOf(chaincode: string, collection: string): CollectionPolicy;
}

export function asPolicyIdentities(msps: MspManager, ids: readonly MspIdentity[]): PolicyIdentity[] {
  return ids.map((id) => ({ mspId: id.mspId, satisfies: (p) => msps.satisfiesPrincipal(id, { mspId: p.mspId, role: p.role }).ok }));
}

function validationParameter(entries: readonly StateMetadata[] | undefined): Uint8Array | undefined {
  const e = entries?.find((m) => m.metakey === VALIDATION_PARAMETER);
  return e && e.value.length > 0 ? e.value : undefined;
}

export type PolicyOutcome = { code: number; reason?: string };

export async function checkEndorsementPolicies(
  o: { chaincode: string; results: TxSimulationResults; signers: readonly PolicyIdentity[]; policies: PolicySource },
  meta: BlockMetadataView,
): Promise<PolicyOutcome> {
  const failure = (reason: string): PolicyOutcome => ({ code: TxValidationCode.ENDORSEMENT_POLICY_FAILURE, reason });
  const written = o.results.publicRwSet.filter((ns) => ns.writes.length > 0 || ns.metadataWrites.length > 0 || ns.collHashedRwSets.some((c) => c.hashedWrites.length > 0 || c.metadataWrites.length > 0));
  const namespaces = written.map((ns) => ns.namespace);
  if (!namespaces.includes(o.chaincode)) namespaces.push(o.chaincode);
  for (const name of namespaces) {
    const ns = written.find((n) => n.namespace === name);
    let someChecked = false;
    let ccChecked = false;
    const ccPolicy = (): string | undefined => {
      if (ccChecked) return undefined;
      const policy = o.policies.policyOf(name);
      if (!evaluateEndorsementPolicy(policy, o.policies.channelOrgs, o.signers)) {
        return `validation of endorsement policy for chaincode ${name} failed (${describe(policy)})`;
      }
      ccChecked = someChecked = true;
      return undefined;
    };
    /** Collections whose policy was satisfied (v20.go nsEPChecked, by collection name). */
    const collChecked = new Set<string>();
    const collPolicy = (coll: string): string | undefined => {
      if (collChecked.has(coll)) return undefined;
      const c = o.policies.collectionPolicyOf(name, coll);
      if ('invalid' in c) return c.invalid;
      if (!evaluateEndorsementPolicy(c.policy, o.policies.channelOrgs, o.signers)) {
        return `validation of endorsement policy for collection ${coll} chaincode ${name} failed (${describe(c.policy)})`;
      }
      collChecked.add(coll);
      someChecked = true;
      return undefined;
    };
    const keyPolicy = (vp: Uint8Array | undefined, what: string, otherwise: () => string | undefined): string | undefined => {
      if (vp === undefined) return otherwise();
      const p = policyFromWire(vp);
      if (!p.ok || !evaluateSignaturePolicy(p.envelope, o.signers)) return `validation of key ${what} failed${p.ok ? ` (${policyToString(p.envelope)})` : `: ${p.reason}`}`;
      someChecked = true;
      return undefined;
    };
    if (ns) {
      for (const key of [...ns.writes.map((w) => w.key), ...ns.metadataWrites.map((m) => m.key)]) {
        if (meta.publicMetadataUpdatedInBlock(name, key)) return failure(`the validation parameter of key ${key} (ns '${name}') was updated earlier in the block`);
        const err = keyPolicy(validationParameter(await meta.publicMetadata(name, key)), `${key} (ns '${name}')`, ccPolicy);
        if (err) return failure(err);
      }
      for (const coll of ns.collHashedRwSets) {
        for (const keyHash of [...coll.hashedWrites.map((w) => w.keyHash), ...coll.metadataWrites.map((m) => m.keyHash)]) {
          const what = `${Buffer.from(keyHash).toString('hex')} (coll '${coll.collectionName}':ns '${name}')`;
          if (meta.privateMetadataUpdatedInBlock(name, coll.collectionName, keyHash)) return failure(`the validation parameter of key ${what} was updated earlier in the block`);
          const err = keyPolicy(validationParameter(await meta.privateMetadata(name, coll.collectionName, keyHash)), what, () => collPolicy(coll.collectionName));
          if (err) return failure(err);
        }
      }
    }
    if (!someChecked) {
      const err = ccPolicy();
      if (err) return failure(err);
    }
  }
  return { code: TxValidationCode.VALID };
}

function describe(p: EndorsementPolicy): string {
  return p.kind === 'signature' ? policyToString(p.envelope) : `${p.rule} ${p.subPolicy}`;
}
