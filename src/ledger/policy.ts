/**
 * Fabric's signature policy language ("OR('Org1MSP.member', AND('Org2MSP.peer', 'Org3MSP.admin'))")
 * and its evaluation for a single signer, which is what collection membership asks: "does the
 * proposal creator satisfy the collection's member-orgs policy" (core/common/privdata/store.go
 * isCreatorOfProposalAMember -> SimpleCollection.AccessFilter).
 *
 * Grammar (common/policydsl/policyparser.go): gates AND(...), OR(...), OutOf(n, ...) in any case
 * Fabric accepts ("AND", "And", "and", ...), principals 'MSPID.role' with role one of admin,
 * member, client, peer, orderer (regex ^([[:alnum:].-]+)([.])(admin|member|client|peer|orderer)$).
 *
 * Evaluation follows common/cauthdsl/cauthdsl.go: a principal consumes the identity that satisfies
 * it, so with one identity AND('A.member','A.member') is false and OutOf(2, 'A.member', 'B.member')
 * needs two signers. What we cannot know is the creator's role (we only get its MSP id): a
 * principal is satisfied by any identity of its MSP, whatever the role (documented deviation).
 */
import { LedgerError } from './errors.js';

export type Role = 'admin' | 'member' | 'client' | 'peer' | 'orderer';

export type SignaturePolicy =
  | { type: 'signedBy'; mspId: string; role: Role }
  | { type: 'outOf'; n: number; rules: SignaturePolicy[] };

const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

const bad = (text: string, why: string): LedgerError =>
  new LedgerError('INVALID_POLICY', `invalid policy ${text}: ${why}`);

/** Parses a policy expression; throws LedgerError('INVALID_POLICY') on bad input. */
export function parseSignaturePolicy(text: string): SignaturePolicy {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const parseExpr = (): SignaturePolicy => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw bad(text, 'unterminated principal');
      const principal = text.slice(i + 1, end);
      i = end + 1;
      const m = PRINCIPAL.exec(principal);
      if (m === null) throw bad(text, `unrecognized principal '${principal}'`);
      return { type: 'signedBy', mspId: m[1] as string, role: m[2] as Role };
    }
    const word = /^[A-Za-z]+/.exec(text.slice(i));
    if (word === null) throw bad(text, `unexpected input at offset ${i}`);
    const gate = word[0].toLowerCase();
    if (gate !== 'and' && gate !== 'or' && gate !== 'outof') throw bad(text, `unknown gate ${word[0]}`);
    i += word[0].length;
    ws();
    if (text[i] !== '(') throw bad(text, `expected ( after ${word[0]}`);
    i++;
    let n: number | undefined;
    if (gate === 'outof') {
      ws();
      const num = /^['"]?(\d+)['"]?/.exec(text.slice(i));
      if (num === null) throw bad(text, 'OutOf needs a number first');
      n = Number(num[1]);
      i += num[0].length;
      ws();
      if (text[i] !== ',') throw bad(text, 'expected , after the OutOf count');
      i++;
    }
    const rules: SignaturePolicy[] = [];
    for (;;) {
      rules.push(parseExpr());
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ')') {
        i++;
        break;
      }
      throw bad(text, `expected , or ) at offset ${i}`);
    }
    if (gate === 'outof' && rules.length < 1) throw bad(text, 'OutOf needs at least one policy');
    return { type: 'outOf', n: gate === 'and' ? rules.length : gate === 'or' ? 1 : (n as number), rules };
  };
  const p = parseExpr();
  ws();
  if (i !== text.length) throw bad(text, `trailing input at offset ${i}`);
  return p;
}

/** True when a single identity of MSP `mspId` satisfies the policy (cauthdsl semantics). */
export function isSatisfiedByMsp(policy: SignaturePolicy, mspId: string): boolean {
  const evalRule = (p: SignaturePolicy, used: boolean[]): boolean => {
    if (p.type === 'signedBy') {
      if (used[0] !== true && p.mspId === mspId) {
        used[0] = true;
        return true;
      }
      return false;
    }
    let verified = 0;
    const scratch = [false];
    for (const r of p.rules) {
      scratch[0] = used[0] === true;
      if (evalRule(r, scratch)) {
        verified++;
        used[0] = scratch[0] === true;
      }
    }
    return verified >= p.n;
  };
  return evalRule(policy, [false]);
}

/** Every MSP id named by the policy (used to list members of a collection). */
export function mspIdsOf(policy: SignaturePolicy): string[] {
  const out = new Set<string>();
  const walk = (p: SignaturePolicy): void => {
    if (p.type === 'signedBy') out.add(p.mspId);
    else p.rules.forEach(walk);
  };
  walk(policy);
  return [...out];
}
