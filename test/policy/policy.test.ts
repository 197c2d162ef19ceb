import { describe, expect, it } from 'vitest';
import { evaluateEndorsementPolicy, evaluateSignaturePolicy, parsePolicy, planOrganisations, policyToString, type PolicyIdentity, type Principal, type Role } from '../../src/policy/index.js';

/** A signer of `mspId` holding `roles` (a peer is also a member, as with NodeOUs). */
function signer(mspId: string, ...roles: Role[]): PolicyIdentity {
  const all = new Set<Role>(['member', ...roles]);
  return { mspId, satisfies: (p: Principal) => p.mspId === mspId && all.has(p.role) };
}

function parse(text: string) {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(r.error);
  return r.envelope;
}

describe('policy language (common/policydsl FromString)', () => {
  it('numbers principals in the order written and turns AND/OR into OutOf', () => {
    const env = parse("AND('Org1MSP.peer', OR('Org2MSP.member', 'Org3MSP.admin'))");
    expect(env.identities).toEqual([
      { mspId: 'Org1MSP', role: 'peer' },
      { mspId: 'Org2MSP', role: 'member' },
      { mspId: 'Org3MSP', role: 'admin' },
    ]);
    expect(env.rule).toEqual({ nOutOf: { n: 2, rules: [{ signedBy: 0 }, { nOutOf: { n: 1, rules: [{ signedBy: 1 }, { signedBy: 2 }] } }] } });
    expect(parse('outof(2, "A.peer", "B.peer", "C.peer")').rule).toMatchObject({ nOutOf: { n: 2 } });
    expect(policyToString(parse("OutOf(2, 'A.peer', 'B.peer', 'C.peer')"))).toBe("OutOf(2, 'A.peer', 'B.peer', 'C.peer')");
  });

  it.each([
    ["AND('Org1MSP.peer'", "expected ')'"],
    ["XOR('Org1MSP.peer')", "unrecognized token 'XOR'"],
    ["AND('Org1MSP.boss')", "invalid principal 'Org1MSP.boss'"],
    ["OutOf(3, 'A.peer', 'B.peer')", 'has only 2 rules'],
    ["OutOf('A.peer')", 'OutOf needs a number'],
    ["'A.peer'", 'not a lone principal'],
    ["AND('A.peer') x", "unexpected 'x'"],
  ])('refuses %s', (text, error) => {
    const r = parsePolicy(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain(error);
  });
});

describe('signature policy evaluation (common/cauthdsl compile)', () => {
  it('needs one distinct signer per leaf', () => {
    const env = parse("AND('Org1MSP.member', 'Org1MSP.member')");
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'peer')])).toBe(false);
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'peer'), signer('Org1MSP', 'client')])).toBe(true);
  });

  it('matches roles', () => {
    const env = parse("OR('Org1MSP.admin', 'Org2MSP.peer')");
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'peer')])).toBe(false);
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'admin')])).toBe(true);
    expect(evaluateSignaturePolicy(env, [signer('Org2MSP', 'peer')])).toBe(true);
  });

  it('is greedy in rule order, as Fabric is: a signer used by an earlier leaf is not reassigned', () => {
    // The member leaf takes the peer signer first; the peer leaf then finds no unused peer.
    const env = parse("AND('Org1MSP.member', 'Org1MSP.peer')");
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'peer'), signer('Org1MSP', 'client')])).toBe(false);
    expect(evaluateSignaturePolicy(env, [signer('Org1MSP', 'client'), signer('Org1MSP', 'peer')])).toBe(true);
  });

  it('a failed sub-gate releases the signers it marked', () => {
    const env = parse("OR(AND('A.peer', 'B.peer'), 'A.peer')");
    expect(evaluateSignaturePolicy(env, [signer('A', 'peer')])).toBe(true);
  });
});

describe('implicit meta policies and planning', () => {
  const orgs = ['Org1MSP', 'Org2MSP', 'Org3MSP'];
  const majority = { kind: 'implicitMeta', rule: 'MAJORITY', subPolicy: 'Endorsement' } as const;

  it('MAJORITY of three organisations needs two peers of different organisations', () => {
    expect(evaluateEndorsementPolicy(majority, orgs, [signer('Org1MSP', 'peer')])).toBe(false);
    expect(evaluateEndorsementPolicy(majority, orgs, [signer('Org1MSP', 'peer'), signer('Org1MSP', 'peer')])).toBe(false);
    expect(evaluateEndorsementPolicy(majority, orgs, [signer('Org1MSP', 'peer'), signer('Org3MSP', 'peer')])).toBe(true);
    expect(evaluateEndorsementPolicy({ ...majority, rule: 'ANY' }, orgs, [signer('Org2MSP', 'peer')])).toBe(true);
    expect(evaluateEndorsementPolicy({ ...majority, rule: 'ALL' }, orgs, [signer('Org1MSP', 'peer'), signer('Org2MSP', 'peer')])).toBe(false);
  });

  it('plans the smallest set of organisations, the preferred one first', () => {
    expect(planOrganisations([majority], orgs, orgs, 'Org2MSP')).toEqual(['Org2MSP', 'Org1MSP']);
    const key = { kind: 'signature', envelope: parse("AND('Org3MSP.peer')") } as const;
    expect(planOrganisations([majority, key], orgs, orgs, 'Org1MSP')).toEqual(['Org1MSP', 'Org3MSP']);
    expect(planOrganisations([key], orgs, ['Org1MSP', 'Org2MSP'])).toBeUndefined();
  });
});
