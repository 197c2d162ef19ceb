/**
 * Key-level endorsement policies (state-based endorsement), as fabric-shim's KeyEndorsementPolicy
 * (libraries/fabric-shim/lib/utils/statebased.js) and fabric-chaincode-go's
 * pkg/statebased KeyEndorsementPolicy build them: a validation parameter is a marshalled
 * common.SignaturePolicyEnvelope requiring one signature from each listed organisation's role.
 *
 * The messages are not in our generated protos, so they are encoded and decoded by hand here
 * (fabric-protos common/policies.proto, msp/msp_principal.proto):
 *
 *   SignaturePolicyEnvelope { int32 version = 1; SignaturePolicy rule = 2; repeated MSPPrincipal identities = 3; }
 *   SignaturePolicy         { oneof Type { int32 signed_by = 1; NOutOf n_out_of = 2; } }
 *   SignaturePolicy.NOutOf  { int32 n = 1; repeated SignaturePolicy rules = 2; }
 *   MSPPrincipal            { Classification principal_classification = 1; bytes principal = 2; }   ROLE = 0
 *   MSPRole                 { string msp_identifier = 1; MSPRoleType role = 2; }   MEMBER 0, ADMIN 1, CLIENT 2, PEER 3, ORDERER 4
 *
 * The bytes are those google-protobuf (fabric-shim's codec) writes: fields in number order, proto3
 * defaults omitted, except that `signed_by` is a oneof member and is therefore written even when it
 * is 0. Tests compare against fabric-shim's own KeyEndorsementPolicy.
 */
import { ProtoWriter, fieldText, readFields } from './protowire.js';

/** msp.MSPRole.MSPRoleType */
export const MSPRoleType = Object.freeze({ MEMBER: 0, ADMIN: 1, CLIENT: 2, PEER: 3, ORDERER: 4 } as const);

/** msp.MSPPrincipal.Classification */
const CLASSIFICATION_ROLE = 0;

/**
 * The role names addOrgs accepts. fabric-shim's .d.ts declares a top-level `ENDORSER_ROLES` enum
 * that does not exist at run time; this one does.
 */
export const ENDORSER_ROLES = Object.freeze({ MEMBER: 'MEMBER', PEER: 'PEER' } as const);
export type EndorserRole = keyof typeof ENDORSER_ROLES;

export class KeyEndorsementPolicy {
  /**
   * MSP id -> MSPRoleType. A prototype-less record rather than a Map on purpose: fabric-shim keeps a
   * plain object, and `listOrgs()` (and so the order of principals in the policy bytes) follows
   * object key order, where integer-like keys come first. We reproduce that order exactly.
   */
  private readonly orgs: Record<string, number> = Object.create(null) as Record<string, number>;

  /** Parses `policy` (a validation parameter as read from the ledger) when given. */
  constructor(policy?: Uint8Array | null) {
    if (policy !== undefined && policy !== null) {
      for (const [mspId, role] of decodeRolePrincipals(policy)) this.orgs[mspId] = role;
    }
  }

  /** The policy as validation-parameter bytes. */
  getPolicy(): Buffer {
    return Buffer.from(encodeSignaturePolicyEnvelope(this.listOrgs().map((mspId) => ({ mspId, role: this.orgs[mspId]! }))));
  }

  /** Requires an endorsement from `role` (MEMBER or PEER) of each of `newOrgs`. */
  addOrgs(role: EndorserRole | string, ...newOrgs: string[]): void {
    let mspRole: number;
    switch (role) {
      case ENDORSER_ROLES.MEMBER:
        mspRole = MSPRoleType.MEMBER;
        break;
      case ENDORSER_ROLES.PEER:
        mspRole = MSPRoleType.PEER;
        break;
      default:
        // fabric-shim's text.
        throw new Error(`role type ${role} does not exist`);
    }
    for (const org of newOrgs) this.orgs[org] = mspRole;
  }

  /** Removes organisations from the policy. */
  delOrgs(...delOrgs: string[]): void {
    for (const org of delOrgs) delete this.orgs[org];
  }

  /** The organisations whose endorsement is required. */
  listOrgs(): string[] {
    return Object.keys(this.orgs);
  }
}

export interface RolePrincipal {
  mspId: string;
  role: number;
}

/**
 * An envelope requiring one signature from each principal: rule = NOutOf(n = count, signed_by 0..n-1)
 * (fabric-shim _getPolicyFromMspId; Go statebased policyFromMSPIDs does the same with sorted ids).
 */
export function encodeSignaturePolicyEnvelope(principals: readonly RolePrincipal[]): Uint8Array {
  const nOutOf = new ProtoWriter();
  if (principals.length !== 0) nOutOf.varint(1, principals.length);
  principals.forEach((_, i) => nOutOf.bytes(2, new ProtoWriter().varint(1, i).finish()));
  const rule = new ProtoWriter().bytes(2, nOutOf.finish()).finish();

  const envelope = new ProtoWriter();
  // version = 0: the proto3 default, not written.
  envelope.bytes(2, rule);
  for (const p of principals) {
    const role = new ProtoWriter();
    if (p.mspId !== '') role.string(1, p.mspId);
    if (p.role !== 0) role.varint(2, p.role);
    const roleBytes = role.finish();
    const principal = new ProtoWriter();
    // principal_classification = ROLE (0): the default, not written.
    if (roleBytes.length !== 0) principal.bytes(2, roleBytes);
    envelope.bytes(3, principal.finish());
  }
  return envelope.finish();
}

/**
 * The ROLE principals of a SignaturePolicyEnvelope, in order (later duplicates of an MSP id win, as
 * in fabric-shim's object assignment). Other principal classifications are skipped, as fabric-shim
 * does. Throws `Error` on bytes that are not a SignaturePolicyEnvelope.
 */
export function decodeRolePrincipals(policy: Uint8Array): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  try {
    for (const f of readFields(policy)) {
      if (f.field === 2) {
        expectWireType(f.wireType, 2, 'SignaturePolicyEnvelope.rule');
        checkSignaturePolicy(f.bytes, 0);
      } else if (f.field === 3) {
        expectWireType(f.wireType, 2, 'SignaturePolicyEnvelope.identities');
        let classification = 0;
        let principal: Uint8Array = new Uint8Array(0);
        for (const pf of readFields(f.bytes)) {
          if (pf.field === 1) {
            expectWireType(pf.wireType, 0, 'MSPPrincipal.principal_classification');
            classification = pf.varint;
          } else if (pf.field === 2) {
            expectWireType(pf.wireType, 2, 'MSPPrincipal.principal');
            principal = pf.bytes;
          }
        }
        if (classification !== CLASSIFICATION_ROLE) continue;
        let mspId = '';
        let role = 0;
        for (const rf of readFields(principal)) {
          if (rf.field === 1) {
            expectWireType(rf.wireType, 2, 'MSPRole.msp_identifier');
            mspId = fieldText(rf.bytes);
          } else if (rf.field === 2) {
            expectWireType(rf.wireType, 0, 'MSPRole.role');
            role = rf.varint;
          }
        }
        out.push([mspId, role]);
      } else if (f.field === 1) {
        expectWireType(f.wireType, 0, 'SignaturePolicyEnvelope.version');
      }
    }
  } catch (err) {
    throw new Error(`invalid endorsement policy (not a SignaturePolicyEnvelope): ${err instanceof Error ? err.message : String(err)}`);
  }
  return out;
}

function expectWireType(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what} has wire type ${got}, expected ${want}`);
}

/** Walks a SignaturePolicy so that a corrupt rule is refused like any protobuf decoder would. */
function checkSignaturePolicy(bytes: Uint8Array, depth: number): void {
  if (depth > 64) throw new Error('SignaturePolicy nested too deeply');
  for (const f of readFields(bytes)) {
    if (f.field === 1) expectWireType(f.wireType, 0, 'SignaturePolicy.signed_by');
    else if (f.field === 2) {
      expectWireType(f.wireType, 2, 'SignaturePolicy.n_out_of');
      for (const nf of readFields(f.bytes)) {
        if (nf.field === 1) expectWireType(nf.wireType, 0, 'NOutOf.n');
        else if (nf.field === 2) {
          expectWireType(nf.wireType, 2, 'NOutOf.rules');
          checkSignaturePolicy(nf.bytes, depth + 1);
        }
      }
    }
  }
}
