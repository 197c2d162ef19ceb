/**
 * Signature policies between the wire (common.SignaturePolicyEnvelope with msp.MSPPrincipal
 * bytes) and src/policy's values. Only ROLE principals are understood (what `peer lifecycle`,
 * the shims' KeyEndorsementPolicy / statebased.NewStateEP and configtxgen write); a principal of
 * another classification becomes one no signer satisfies, so a policy needing it fails closed.
 */
import { ROLES, type Principal, type SignaturePolicy, type SignaturePolicyEnvelope } from '../policy/index.js';
import {
  decodeMSPRole,
  decodeSignaturePolicyEnvelope,
  encodeMSPRole,
  encodeSignaturePolicyEnvelope,
  MSPPrincipalClassification,
  type SignaturePolicy as WireRule,
} from '../wire/index.js';

/** A principal no identity satisfies (an MSP id no MSP can have). */
const UNSATISFIABLE: Principal = { mspId: '\u0000unsupported principal', role: 'member' };

export function policyFromWire(bytes: Uint8Array): { ok: true; envelope: SignaturePolicyEnvelope } | { ok: false; reason: string } {
  const d = decodeSignaturePolicyEnvelope(bytes);
  if (!d.ok) return { ok: false, reason: d.reason };
  if (!d.value.rule) return { ok: false, reason: 'SignaturePolicyEnvelope has no rule' };
  const identities = d.value.identities.map((p): Principal => {
    if (p.principalClassification !== MSPPrincipalClassification.ROLE) return UNSATISFIABLE;
    const role = decodeMSPRole(p.principal);
    if (!role.ok) return UNSATISFIABLE;
    const name = ROLES[role.value.role];
    return name === undefined ? UNSATISFIABLE : { mspId: role.value.mspIdentifier, role: name };
  });
  const rule = (r: WireRule): SignaturePolicy | undefined => {
    if (r.type?.case === 'signedBy') return { signedBy: r.type.value };
    if (r.type?.case === 'nOutOf') {
      const rules: SignaturePolicy[] = [];
      for (const sub of r.type.value.rules) {
        const s = rule(sub);
        if (!s) return undefined;
        rules.push(s);
      }
      return { nOutOf: { n: r.type.value.n, rules } };
    }
    return undefined;
  };
  const top = rule(d.value.rule);
  if (!top) return { ok: false, reason: 'SignaturePolicy without a type' };
  return { ok: true, envelope: { version: d.value.version, rule: top, identities } };
}

export function policyToWire(envelope: SignaturePolicyEnvelope): Uint8Array {
  const rule = (r: SignaturePolicy): WireRule =>
    'signedBy' in r ? { type: { case: 'signedBy', value: r.signedBy } } : { type: { case: 'nOutOf', value: { n: r.nOutOf.n, rules: r.nOutOf.rules.map(rule) } } };
  return encodeSignaturePolicyEnvelope({
    version: envelope.version,
    rule: rule(envelope.rule),
    identities: envelope.identities.map((p) => ({
      principalClassification: MSPPrincipalClassification.ROLE,
      principal: encodeMSPRole({ mspIdentifier: p.mspId, role: ROLES.indexOf(p.role) }),
    })),
  });
}
