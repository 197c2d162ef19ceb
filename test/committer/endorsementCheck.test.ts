/**
 * The commit-time endorsement rule for writes to private data collections, directly
 * (src/committer/endorsementCheck.ts with the dev peer's per-channel policies,
 * src/peer/channelPolicies.ts): key-level policy, else the collection's endorsement policy, else
 * the chaincode's (core/common/validation/statebased/v20.go, validator_keylevel.go;
 * core/chaincode/lifecycle/deployedcc_infoprovider.go CollectionValidationInfo).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyEndorsementPolicy } from '../../src/chaincode/index.js';
import { checkEndorsementPolicies, VALIDATION_PARAMETER, type ChaincodePolicies } from '../../src/committer/endorsementCheck.js';
import { checkCollectionsJson } from '../../src/cli/collections.js';
import { parseCollectionConfig, type BlockMetadataView, type CollectionConfigJson, type TxSimulationResults } from '../../src/ledger/index.js';
import { channelPolicySource, resolveChannelPolicy } from '../../src/peer/channelPolicies.js';
import { evaluateEndorsementPolicy, parsePolicy, type PolicyIdentity, type Principal, type Role } from '../../src/policy/index.js';

const ORGS = ['Org1MSP', 'Org2MSP'];
const OK = 0;
const FAIL = 10;

/** A signer of `mspId` holding `roles` (member too, as with NodeOUs). */
function signer(mspId: string, ...roles: Role[]): PolicyIdentity {
  const all = new Set<Role>(['member', ...roles]);
  return { mspId, satisfies: (p: Principal) => p.mspId === mspId && all.has(p.role) };
}
const peer = (mspId: string) => signer(mspId, 'peer');

const keyHash = (key: string): Uint8Array => createHash('sha256').update(key).digest();

/** A transaction writing public keys and private keys `coll/key` (a purge when the key ends in '!'). */
function tx(o: { publicKeys?: string[]; privateKeys?: string[]; privateMetadataKeys?: string[] }): TxSimulationResults {
  const colls = new Map<string, { hashed: string[]; meta: string[] }>();
  const entry = (c: string) => colls.get(c) ?? (colls.set(c, { hashed: [], meta: [] }).get(c) as { hashed: string[]; meta: string[] });
  for (const k of o.privateKeys ?? []) entry(k.split('/')[0]!).hashed.push(k.split('/')[1]!);
  for (const k of o.privateMetadataKeys ?? []) entry(k.split('/')[0]!).meta.push(k.split('/')[1]!);
  return {
    channel: 'ch',
    txId: 't',
    timestamp: undefined,
    publicRwSet: [
      {
        namespace: 'cc',
        reads: [],
        rangeQueriesInfo: [],
        writes: (o.publicKeys ?? []).map((key) => ({ key, isDelete: false, value: new Uint8Array([1]) })),
        metadataWrites: [],
        collHashedRwSets: [...colls].map(([collectionName, { hashed, meta }]) => ({
          collectionName,
          hashedReads: [],
          hashedWrites: hashed.map((k) => ({ keyHash: keyHash(k.replace(/!$/, '')), isDelete: false, isPurge: k.endsWith('!'), valueHash: new Uint8Array(0) })),
          metadataWrites: meta.map((k) => ({ keyHash: keyHash(k), entries: [] })),
        })),
      },
    ],
    privateRwSet: [],
  };
}

/** Committed state: private keys `coll/key` with a key-level policy naming the peers of `orgs`. */
function view(keyPolicies: Record<string, string[]> = {}): BlockMetadataView {
  const vp = (orgs: string[]) => {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('PEER', ...orgs);
    return [{ metakey: VALIDATION_PARAMETER, value: ep.getPolicy() }];
  };
  const byHash = new Map(Object.entries(keyPolicies).map(([k, orgs]) => [`${k.split('/')[0]}/${Buffer.from(keyHash(k.split('/')[1]!)).toString('hex')}`, vp(orgs)]));
  return {
    publicMetadata: async () => undefined,
    privateMetadata: async (_ns, coll, hash) => byHash.get(`${coll}/${Buffer.from(hash).toString('hex')}`),
    publicMetadataUpdatedInBlock: () => false,
    privateMetadataUpdatedInBlock: () => false,
  };
}

const members = "OR('Org1MSP.member','Org2MSP.member')";
const COLLECTIONS: CollectionConfigJson[] = [
  { name: 'org2ep', policy: members, endorsementPolicy: { signaturePolicy: "OR('Org2MSP.member')" } },
  { name: 'plain', policy: members },
  { name: 'empty', policy: members, endorsementPolicy: {} },
  { name: 'org1ref', policy: members, endorsementPolicy: { channelConfigPolicy: 'Application/Org1MSP/Endorsement' } },
  { name: 'majority', policy: members, endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' } },
  { name: 'nosuch', policy: members, endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Org3MSP/Endorsement' } },
];

/** The chaincode `cc` needs any one organisation's peer, so that collection policies show. */
function source(ccPolicy = "OR('Org1MSP.peer','Org2MSP.peer')") {
  const p = parsePolicy(ccPolicy);
  if (!p.ok) throw new Error(p.error);
  const network: ChaincodePolicies = { channelOrgs: ORGS, policyOf: () => ({ kind: 'signature', envelope: p.envelope }) };
  const defs = parseCollectionConfig(COLLECTIONS);
  return channelPolicySource(network, (cc) => (cc === 'cc' ? defs : []));
}

async function check(results: TxSimulationResults, signers: PolicyIdentity[], o: { keyPolicies?: Record<string, string[]>; ccPolicy?: string } = {}) {
  return checkEndorsementPolicies({ chaincode: 'cc', results, signers, policies: source(o.ccPolicy) }, view(o.keyPolicies));
}

describe('checkEndorsementPolicies: private writes', () => {
  it("a collection's signature policy replaces the chaincode's for its writes", async () => {
    const r = await check(tx({ privateKeys: ['org2ep/k'] }), [peer('Org1MSP')]);
    expect(r).toEqual({ code: FAIL, reason: "validation of endorsement policy for collection org2ep chaincode cc failed (OR('Org2MSP.member'))" });
    expect((await check(tx({ privateKeys: ['org2ep/k'] }), [peer('Org2MSP')])).code).toBe(OK);
    // Org2 alone satisfies the collection, even where the chaincode would need both.
    expect((await check(tx({ privateKeys: ['org2ep/k'] }), [peer('Org2MSP')], { ccPolicy: "AND('Org1MSP.peer','Org2MSP.peer')" })).code).toBe(OK);
  });

  it('purges and private metadata writes need it too', async () => {
    expect((await check(tx({ privateKeys: ['org2ep/k!'] }), [peer('Org1MSP')])).code).toBe(FAIL);
    expect((await check(tx({ privateMetadataKeys: ['org2ep/k'] }), [peer('Org1MSP')])).code).toBe(FAIL);
    expect((await check(tx({ privateMetadataKeys: ['org2ep/k'] }), [peer('Org2MSP')])).code).toBe(OK);
  });

  it("a public write in the same transaction still needs the chaincode's policy", async () => {
    const both = tx({ publicKeys: ['pub'], privateKeys: ['org2ep/k'] });
    const r = await check(both, [peer('Org2MSP')], { ccPolicy: "OR('Org1MSP.peer')" });
    expect(r).toEqual({ code: FAIL, reason: "validation of endorsement policy for chaincode cc failed (OR('Org1MSP.peer'))" });
    expect((await check(both, [peer('Org1MSP'), peer('Org2MSP')], { ccPolicy: "OR('Org1MSP.peer')" })).code).toBe(OK);
  });

  it("a collection without a policy, or with an empty one, uses the chaincode's (in the collection's name, as Fabric)", async () => {
    const r = await check(tx({ privateKeys: ['plain/k'] }), [peer('Org1MSP')], { ccPolicy: "OR('Org2MSP.peer')" });
    expect(r).toEqual({ code: FAIL, reason: "validation of endorsement policy for collection plain chaincode cc failed (OR('Org2MSP.peer'))" });
    expect((await check(tx({ privateKeys: ['plain/k', 'empty/k'] }), [peer('Org1MSP')])).code).toBe(OK);
  });

  it('a key-level policy wins over the collection policy', async () => {
    const keyPolicies = { 'org2ep/guarded': ['Org1MSP'] };
    expect((await check(tx({ privateKeys: ['org2ep/guarded'] }), [peer('Org1MSP')], { keyPolicies })).code).toBe(OK);
    const r = await check(tx({ privateKeys: ['org2ep/guarded'] }), [peer('Org2MSP')], { keyPolicies });
    expect(r.code).toBe(FAIL);
    expect(r.reason).toMatch(/^validation of key [0-9a-f]{64} \(coll 'org2ep':ns 'cc'\) failed/);
    // Another key of the collection, without one, still needs the collection policy.
    expect((await check(tx({ privateKeys: ['org2ep/guarded', 'org2ep/other'] }), [peer('Org1MSP')], { keyPolicies })).code).toBe(FAIL);
  });

  it('channel policy references: an organisation policy, the Application majority, a missing organisation', async () => {
    expect((await check(tx({ privateKeys: ['org1ref/k'] }), [peer('Org2MSP')])).code).toBe(FAIL);
    expect((await check(tx({ privateKeys: ['org1ref/k'] }), [peer('Org1MSP')])).code).toBe(OK);
    expect((await check(tx({ privateKeys: ['majority/k'] }), [peer('Org1MSP')])).code).toBe(FAIL);
    expect((await check(tx({ privateKeys: ['majority/k'] }), [peer('Org1MSP'), peer('Org2MSP')])).code).toBe(OK);
    expect(await check(tx({ privateKeys: ['nosuch/k'] }), [peer('Org1MSP'), peer('Org2MSP')])).toEqual({
      code: FAIL,
      reason:
        'validation of endorsement policy for collection nosuch chaincode cc failed: could not create evaluator for channel reference policy: failed to retrieve policy for reference /Channel/Application/Org3MSP/Endorsement',
    });
  });

  it("implicit collections need their organisation's peer; unknown collections and organisations fail", async () => {
    expect((await check(tx({ privateKeys: ['_implicit_org_Org2MSP/k'] }), [peer('Org1MSP')])).code).toBe(FAIL);
    expect((await check(tx({ privateKeys: ['_implicit_org_Org2MSP/k'] }), [peer('Org2MSP')])).code).toBe(OK);
    expect((await check(tx({ privateKeys: ['_implicit_org_Org2MSP/k'] }), [signer('Org2MSP', 'client')])).code).toBe(FAIL);
    expect(await check(tx({ privateKeys: ['_implicit_org_Org3MSP/k'] }), [peer('Org1MSP')])).toEqual({ code: FAIL, reason: "no org found in channel with MSPID 'Org3MSP'" });
    expect(await check(tx({ privateKeys: ['undefined/k'] }), [peer('Org1MSP')])).toEqual({ code: FAIL, reason: "no such collection 'undefined'" });
  });
});

describe('channel policy references (the dev channel: src/orderer/genesis.ts)', () => {
  const evalRef = (ref: string, signers: PolicyIdentity[]) => {
    const r = resolveChannelPolicy(ref, ORGS);
    if (!r.ok) throw new Error(r.reason);
    return evaluateEndorsementPolicy(r.policy, ORGS, signers);
  };

  it('Application policies over the organisations, by their roles', () => {
    expect(evalRef('/Channel/Application/Writers', [peer('Org1MSP'), peer('Org2MSP')])).toBe(false);
    expect(evalRef('/Channel/Application/Writers', [signer('Org2MSP', 'client')])).toBe(true);
    expect(evalRef('Application/Readers', [peer('Org1MSP')])).toBe(true);
    expect(evalRef('/Channel/Application/Admins', [signer('Org1MSP', 'admin')])).toBe(false);
    expect(evalRef('/Channel/Application/Admins', [signer('Org1MSP', 'admin'), signer('Org2MSP', 'admin')])).toBe(true);
    expect(evalRef('/Channel/Application/LifecycleEndorsement', [peer('Org1MSP'), peer('Org2MSP')])).toBe(true);
    expect(evalRef('/Channel/Application/Org2MSP/Readers', [signer('Org2MSP', 'client')])).toBe(true);
    expect(evalRef('/Channel/Application/Org2MSP/Admins', [peer('Org2MSP')])).toBe(false);
  });

  it('names the channel does not have, and channel-level or Orderer policies', () => {
    for (const ref of ['Endorsement', '/Application/Endorsement', '/Channel/Application/Nope', '/Channel/Application/Org9MSP/Endorsement', '/Channel/Application/Org1MSP/Nope']) {
      expect(resolveChannelPolicy(ref, ORGS)).toEqual({ ok: false, reason: `could not create evaluator for channel reference policy: failed to retrieve policy for reference ${ref}` });
    }
    for (const ref of ['/Channel/Writers', 'Readers', '/Channel/Orderer/BlockValidation']) {
      expect(resolveChannelPolicy(ref, ORGS)).toMatchObject({ ok: false, reason: expect.stringMatching(/is not supported by the dev peer: it depends on orderer organisations/) });
    }
  });
});

describe('--collections: channelConfigPolicy names are checked before the peer starts', () => {
  const check = (ref: string) => checkCollectionsJson('cc', 'c.json', [{ name: 'c1', policy: members, endorsementPolicy: { channelConfigPolicy: ref } }]);

  it('accepts Application policies, refuses the others', async () => {
    await expect(check('/Channel/Application/Endorsement')).resolves.toBeUndefined();
    await expect(check('/Channel/Application/AnyOrgMSP/Endorsement')).resolves.toBeUndefined();
    await expect(check('Endorsement')).rejects.toThrow(/collection 1 \("c1"\): endorsementPolicy\.channelConfigPolicy "Endorsement" names no policy of the dev channel \(use \/Channel\/Application\/Endorsement/);
    await expect(check('/Channel/Writers')).rejects.toThrow(/endorsementPolicy\.channelConfigPolicy "\/Channel\/Writers" is not supported by the dev peer: it depends on orderer organisations/);
  });
});
