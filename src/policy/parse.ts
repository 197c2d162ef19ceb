/**
 * The policy language of `peer lifecycle chaincode approveformyorg --signature-policy` and
 * `statebased`-style tools (common/policydsl/policyparser.go FromString):
 *
 *   AND(P, …) | OR(P, …) | OutOf(n, P, …)      gates (also And/and, Or/or, OUTOF/outof)
 *   'MSPID.role'                               a principal; role is admin, member, client, peer or orderer
 *
 * AND is OutOf(all), OR is OutOf(1). Every principal occurrence gets its own identity index, in
 * the order written, as FromString numbers them. Errors are values.
 */
import { ROLES, type Principal, type Role, type SignaturePolicy, type SignaturePolicyEnvelope } from './types.js';

const GATES: Readonly<Record<string, 'and' | 'or' | 'outof'>> = {
  AND: 'and', And: 'and', and: 'and',
  OR: 'or', Or: 'or', or: 'or',
  OUTOF: 'outof', OutOf: 'outof', outof: 'outof',
};
/** policyparser.go's principal pattern: [[:alnum:].-]+ '.' role. */
const PRINCIPAL = new RegExp(`^([A-Za-z0-9.-]+)\\.(${ROLES.join('|')})$`);

type Tok = { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'p'; v: string };

function tokenize(text: string): Tok[] | string {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === ',') toks.push({ t: 'p', v: c }), i++;
    else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `unterminated string in policy string at offset ${i}`;
      toks.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(text.slice(i)) as RegExpExecArray;
      toks.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      toks.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else return `unexpected character '${c}' in policy string at offset ${i}`;
  }
  return toks;
}

export type ParseResult = { ok: true; envelope: SignaturePolicyEnvelope } | { ok: false; error: string };

export function parsePolicy(text: string): ParseResult {
  const toks = tokenize(text);
  if (typeof toks === 'string') return { ok: false, error: toks };
  const identities: Principal[] = [];
  let at = 0;
  const peek = (): Tok | undefined => toks[at];
  const expectP = (v: string): string | undefined => {
    const t = toks[at];
    if (t?.t === 'p' && t.v === v) {
      at++;
      return undefined;
    }
    return `expected '${v}' in policy string${t ? ` before ${describe(t)}` : ' at its end'}`;
  };
  const rule = (): SignaturePolicy | string => {
    const t = toks[at++];
    if (t === undefined) return 'policy string ends where a principal or a gate was expected';
    if (t.t === 'str') {
      const m = PRINCIPAL.exec(t.v);
      if (!m) return `invalid principal '${t.v}' in policy string: expected 'MSPID.role' with role one of ${ROLES.join(', ')}`;
      identities.push({ mspId: m[1] as string, role: m[2] as Role });
      return { signedBy: identities.length - 1 };
    }
    if (t.t !== 'id' || GATES[t.v] === undefined) return `unrecognized token ${describe(t)} in policy string`;
    const gate = GATES[t.v] as 'and' | 'or' | 'outof';
    const open = expectP('(');
    if (open) return open;
    let n: number | undefined;
    if (gate === 'outof') {
      const nt = toks[at++];
      if (nt?.t === 'num') n = nt.v;
      else if (nt?.t === 'str' && /^[0-9]+$/.test(nt.v)) n = Number(nt.v);
      else return `OutOf needs a number as its first argument${nt ? `, got ${describe(nt)}` : ''}`;
      const comma = expectP(',');
      if (comma) return comma;
    }
    const rules: SignaturePolicy[] = [];
    for (;;) {
      const r = rule();
      if (typeof r === 'string') return r;
      rules.push(r);
      const next = peek();
      if (next?.t === 'p' && next.v === ',') {
        at++;
        continue;
      }
      const close = expectP(')');
      if (close) return close;
      break;
    }
    const count = gate === 'and' ? rules.length : gate === 'or' ? 1 : (n as number);
    if (gate === 'outof' && count > rules.length) return `OutOf(${count}, …) has only ${rules.length} rules`;
    return { nOutOf: { n: count, rules } };
  };
  const top = rule();
  if (typeof top === 'string') return { ok: false, error: top };
  const rest = peek();
  if (rest) return { ok: false, error: `unexpected ${describe(rest)} after the end of the policy` };
  if ('signedBy' in top) return { ok: false, error: `invalid policy string '${text}': a policy is a gate (AND, OR, OutOf), not a lone principal` };
  return { ok: true, envelope: { version: 0, rule: top, identities } };
}

function describe(t: Tok): string {
  return t.t === 'str' ? `'${t.v}'` : t.t === 'num' ? String(t.v) : `'${t.v}'`;
}

/** The policy as text, in the language parsePolicy reads (for logs and errors). */
export function policyToString(env: SignaturePolicyEnvelope): string {
  const show = (r: SignaturePolicy): string => {
    if ('signedBy' in r) {
      const p = env.identities[r.signedBy];
      return p ? `'${p.mspId}.${p.role}'` : `?${r.signedBy}`;
    }
    const inner = r.nOutOf.rules.map(show).join(', ');
    if (r.nOutOf.n === r.nOutOf.rules.length && r.nOutOf.n > 1) return `AND(${inner})`;
    if (r.nOutOf.n === 1) return `OR(${inner})`;
    return `OutOf(${r.nOutOf.n}, ${inner})`;
  };
  return show(env.rule);
}
