/**
 * Evaluating signature and implicit-meta policies against a set of signers, as Fabric does.
 *
 * Signature policies follow common/cauthdsl/cauthdsl.go `compile`: the gates are tried in order,
 * each signer may satisfy one leaf only (the `used` marks), and a gate's sub-rule that fails leaves
 * the marks as they were. It is greedy, not a search: Fabric accepts or rejects exactly the same
 * sets, and so must we (a policy that a cleverer search could satisfy but Fabric's cannot is
 * rejected by both).
 *
 * Signers are deduplicated by the caller (Fabric's policy evaluation drops duplicate identities:
 * common/policies/policy.go SignatureSetToValidIdentities).
 */
import type { EndorsementPolicy, ImplicitRule, PolicyIdentity, Role, SignaturePolicy, SignaturePolicyEnvelope } from './types.js';

export function evaluateSignaturePolicy(envelope: SignaturePolicyEnvelope, signers: readonly PolicyIdentity[]): boolean {
  const used = signers.map(() => false);
  return gate(envelope.rule, envelope, signers, used);
}

function gate(rule: SignaturePolicy, env: SignaturePolicyEnvelope, signers: readonly PolicyIdentity[], used: boolean[]): boolean {
  if ('signedBy' in rule) {
    const principal = env.identities[rule.signedBy];
    if (principal === undefined) return false;
    for (let i = 0; i < signers.length; i++) {
      if (used[i]) continue;
      if ((signers[i] as PolicyIdentity).satisfies(principal)) {
        used[i] = true;
        return true;
      }
    }
    return false;
  }
  let verified = 0;
  const trial = used.slice();
  for (const sub of rule.nOutOf.rules) {
    for (let i = 0; i < used.length; i++) trial[i] = used[i] as boolean;
    if (gate(sub, env, signers, trial)) {
      verified++;
      for (let i = 0; i < used.length; i++) used[i] = trial[i] as boolean;
    }
  }
  return verified >= rule.nOutOf.n;
}

/** common/policies/implicitmeta.go: how many of `count` sub-policies must be satisfied. */
export function implicitThreshold(rule: ImplicitRule, count: number): number {
  switch (rule) {
    case 'ANY':
      return 1;
    case 'ALL':
      return count;
    case 'MAJORITY':
      return Math.floor(count / 2) + 1;
  }
}

/**
 * The policies each organisation of a dev channel has, as the roles that satisfy them: each is
 * `OR('<org>.<role>', …)` over these (src/orderer/genesis.ts orgGroup, the test network's
 * configtx.yaml). An implicit meta policy over another name finds no such policy in any
 * organisation, which Fabric counts as not satisfied (common/policies/policy.go GetPolicy returns
 * its reject policy).
 */
export const ORG_POLICY_ROLES: Readonly<Record<string, readonly Role[]>> = {
  Readers: ['admin', 'peer', 'client'],
  Writers: ['admin', 'client'],
  Admins: ['admin'],
  Endorsement: ['peer'],
};

/**
 * The Application group's own policies on a dev channel: implicit meta over the organisations'
 * policies of the same name (src/orderer/genesis.ts writes them; the test network's configtx.yaml
 * Application.Policies).
 */
export const APPLICATION_POLICIES: Readonly<Record<string, { readonly rule: ImplicitRule; readonly subPolicy: string }>> = {
  Readers: { rule: 'ANY', subPolicy: 'Readers' },
  Writers: { rule: 'ANY', subPolicy: 'Writers' },
  Admins: { rule: 'MAJORITY', subPolicy: 'Admins' },
  Endorsement: { rule: 'MAJORITY', subPolicy: 'Endorsement' },
  LifecycleEndorsement: { rule: 'MAJORITY', subPolicy: 'Endorsement' },
};

/**
 * Evaluates an endorsement policy for a channel whose application organisations are `orgs`. An
 * implicit meta policy is satisfied when enough organisations each have their policy of that
 * name (ORG_POLICY_ROLES) satisfied by one of the signers: for Endorsement, a peer of the
 * organisation.
 */
export function evaluateEndorsementPolicy(policy: EndorsementPolicy, orgs: readonly string[], signers: readonly PolicyIdentity[]): boolean {
  if (policy.kind === 'signature') return evaluateSignaturePolicy(policy.envelope, signers);
  const roles = Object.hasOwn(ORG_POLICY_ROLES, policy.subPolicy) ? (ORG_POLICY_ROLES[policy.subPolicy] as readonly Role[]) : [];
  const satisfied = orgs.filter((org) => signers.some((s) => roles.some((role) => s.satisfies({ mspId: org, role })))).length;
  return satisfied >= implicitThreshold(policy.rule, orgs.length);
}

/**
 * The organisations whose peers are needed to satisfy `policy`, when endorsers of `available`
 * organisations (one peer each, role peer) may be chosen: the smallest set found trying sets in
 * size order, preferring `preferred` first. Undefined when no combination satisfies it — the
 * Gateway's "no combination of peers can be derived which satisfy the endorsement policy"
 * (internal/pkg/gateway/registry.go endorsementPlan with discovery's layouts).
 */
export function planOrganisations(
  policies: readonly EndorsementPolicy[],
  channelOrgs: readonly string[],
  available: readonly string[],
  preferred?: string,
): string[] | undefined {
  const ordered = preferred !== undefined && available.includes(preferred) ? [preferred, ...available.filter((o) => o !== preferred)] : [...available];
  const asPeers = (orgs: readonly string[]): PolicyIdentity[] => orgs.map((mspId) => ({ mspId, satisfies: (p) => p.mspId === mspId && (p.role === 'peer' || p.role === 'member') }));
  for (let size = 1; size <= ordered.length; size++) {
    for (const combo of combinations(ordered, size)) {
      const signers = asPeers(combo);
      if (policies.every((p) => evaluateEndorsementPolicy(p, channelOrgs, signers))) return combo;
    }
  }
  return undefined;
}

function* combinations<T>(items: readonly T[], size: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === size) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= items.length - (size - prefix.length); i++) {
    prefix.push(items[i] as T);
    yield* combinations(items, size, i + 1, prefix);
    prefix.pop();
  }
}
