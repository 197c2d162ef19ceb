/**
 * The policies of one channel as its committer and its Gateway read them: the network's
 * chaincode-level policies (src/peer/network.ts) and the collections' endorsement policies.
 *
 * A collection's policy follows core/chaincode/lifecycle/deployedcc_infoprovider.go
 * CollectionValidationInfo: the collection config's `endorsementPolicy` (a signature policy, or a
 * reference to a channel policy), else the chaincode's policy; for an implicit collection
 * (`_implicit_org_<MSPID>`) the organisation's `/Channel/Application/<org>/Endorsement` policy
 * (ImplicitCollectionEndorsementPolicyAsBytes); for a collection the chaincode does not define,
 * the validation error `no such collection '<name>'`.
 *
 * Channel policy references are resolved as common/policies/policy.go ManagerImpl.GetPolicy does
 * on the channel's root group (`/Channel/…` or relative to it), over the dev channel's
 * configuration (src/orderer/genesis.ts channelConfigGroup): the Application group's policies and
 * its organisations' policies. The channel-level and Orderer policies would depend on orderer
 * organisations, which the dev channel does not have (docs/deviations.md P11, P26).
 */
import type { ChaincodePolicies, PolicySource } from '../committer/endorsementCheck.js';
import { IMPLICIT_COLLECTION_PREFIX, type CollectionDefinition } from '../ledger/index.js';
import { APPLICATION_POLICIES, ORG_POLICY_ROLES, parsePolicy, type EndorsementPolicy, type Role } from '../policy/index.js';

/** An organisation's policy: `OR('<org>.<role>', …)`, as genesis.ts writes it. */
function orgPolicy(mspId: string, roles: readonly Role[]): EndorsementPolicy {
  return {
    kind: 'signature',
    envelope: { version: 0, rule: { nOutOf: { n: 1, rules: roles.map((_, i) => ({ signedBy: i })) } }, identities: roles.map((role) => ({ mspId, role })) },
  };
}

export type ChannelPolicyRef =
  | { ok: true; policy: EndorsementPolicy }
  /** `unsupported`: a policy the dev channel has, but which depends on orderer organisations. */
  | { ok: false; reason: string; unsupported?: true };

const ORDERER_DEPENDENT = 'it depends on orderer organisations, which the dev channel does not have; use a /Channel/Application/… policy';

/**
 * Resolves a channel policy reference (`ApplicationPolicy.channel_config_policy_reference`, the
 * collection config's `endorsementPolicy.channelConfigPolicy`) on a dev channel whose
 * application organisations are `orgs` (organisation groups are named by MSP id).
 */
export function resolveChannelPolicy(reference: string, orgs: readonly string[]): ChannelPolicyRef {
  // Fabric's failure text (core/policy/application.go evaluateChannelConfigPolicyReference).
  const missing: ChannelPolicyRef = { ok: false, reason: `could not create evaluator for channel reference policy: failed to retrieve policy for reference ${reference}` };
  let relative = reference;
  if (reference.startsWith('/')) {
    if (!reference.startsWith('/Channel/')) return missing;
    relative = reference.slice('/Channel/'.length);
  }
  const parts = relative.split('/');
  if (parts[0] !== 'Application') {
    if (/^(Readers|Writers|Admins)$|^Orderer\//.test(relative)) {
      return { ok: false, unsupported: true, reason: `channel policy ${reference} is not supported by the dev peer: ${ORDERER_DEPENDENT}` };
    }
    return missing;
  }
  if (parts.length === 2) {
    const p = Object.hasOwn(APPLICATION_POLICIES, parts[1]!) ? APPLICATION_POLICIES[parts[1]!] : undefined;
    return p ? { ok: true, policy: { kind: 'implicitMeta', ...p } } : missing;
  }
  if (parts.length === 3) {
    const [, org, name] = parts as [string, string, string];
    if (orgs.includes(org) && Object.hasOwn(ORG_POLICY_ROLES, name)) return { ok: true, policy: orgPolicy(org, ORG_POLICY_ROLES[name]!) };
  }
  return missing;
}

/**
 * Why `reference` names no policy the dev channel has, for checking a collection config before the
 * peer starts (`--collections`); undefined when it names one. The organisation of an
 * organisation-level policy is not checked here (the organisations are known at commit).
 */
export function channelPolicyProblem(reference: string): string | undefined {
  const org = /^(?:\/Channel\/)?Application\/([^/]+)\/[^/]+$/.exec(reference)?.[1];
  const r = resolveChannelPolicy(reference, org === undefined ? [] : [org]);
  if (r.ok) return undefined;
  if (r.unsupported) return `${JSON.stringify(reference)} is not supported by the dev peer: ${ORDERER_DEPENDENT}`;
  return `${JSON.stringify(reference)} names no policy of the dev channel (use /Channel/Application/Endorsement, /Channel/Application/Readers, …/Writers, …/Admins, …/LifecycleEndorsement, or /Channel/Application/<MSPID>/Endorsement, …/Readers, …/Writers, …/Admins)`;
}

/**
 * The PolicySource of one channel: `network`'s chaincode policies, and the collection
 * definitions `collections(chaincode)` gives (explicit ones; WorldState.collections).
 */
export function channelPolicySource(network: ChaincodePolicies, collections: (chaincode: string) => readonly CollectionDefinition[]): PolicySource {
  /** The collection's own policy (or why it has none to evaluate), per definition; definitions are replaced, never changed. */
  const own = new WeakMap<CollectionDefinition, { policy: EndorsementPolicy } | { reason: string } | undefined>();
  const ownPolicy = (def: CollectionDefinition): { policy: EndorsementPolicy } | { reason: string } | undefined => {
    if (own.has(def)) return own.get(def);
    const ep = def.endorsementPolicy;
    let r: { policy: EndorsementPolicy } | { reason: string } | undefined;
    // internal/peer/chaincode/common.go getApplicationPolicy: an empty endorsementPolicy is none.
    if (ep?.signaturePolicy) {
      const p = parsePolicy(ep.signaturePolicy);
      r = p.ok ? { policy: { kind: 'signature', envelope: p.envelope } } : { reason: `invalid signature policy: ${ep.signaturePolicy}` };
    } else if (ep?.channelConfigPolicy) {
      const p = resolveChannelPolicy(ep.channelConfigPolicy, network.channelOrgs);
      r = p.ok ? { policy: p.policy } : { reason: p.reason };
    }
    own.set(def, r);
    return r;
  };
  return {
    get channelOrgs() {
      return network.channelOrgs;
    },
    policyOf: (chaincode) => network.policyOf(chaincode),
    collectionPolicyOf(chaincode, collection) {
      if (collection.startsWith(IMPLICIT_COLLECTION_PREFIX)) {
        const msp = collection.slice(IMPLICIT_COLLECTION_PREFIX.length);
        if (!network.channelOrgs.includes(msp)) return { invalid: `no org found in channel with MSPID '${msp}'` };
        return { policy: orgPolicy(msp, ORG_POLICY_ROLES['Endorsement']!) };
      }
      const def = collections(chaincode).find((c) => c.name === collection);
      if (!def) return { invalid: `no such collection '${collection}'` };
      const p = ownPolicy(def);
      if (p === undefined) return { policy: network.policyOf(chaincode) };
      return 'policy' in p ? p : { invalid: `validation of endorsement policy for collection ${collection} chaincode ${chaincode} failed: ${p.reason}` };
    },
  };
}
