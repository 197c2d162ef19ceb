/**
 * Collection-level endorsement policies (a collection config's `endorsementPolicy`) through the
 * real client, @hyperledger/fabric-gateway, with two organisations: writes (puts, purges, key-level
 * policy changes) to a collection need the collection's policy instead of the chaincode's
 * (core/common/validation/statebased/v20.go CheckCCEPIfNotChecked); a collection without one falls
 * back to the chaincode's; a key-level policy still wins; the Gateway plans for the collection's
 * policy when the client names no organisations.
 *
 * `anyorg` (any one organisation's peer) makes the collection policy visible: Org1 alone satisfies
 * the chaincode, not the collection. `ledgercc` keeps the default (a majority of two).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, type Contract } from '@hyperledger/fabric-gateway';
import { connectClient, ledgerCcLaunch, removeTempDirs, startNetwork, utf8, type Client, type TestNetwork } from './helpers.js';
import { waitReady } from '../peer/e2e/helpers.js';
import type { CollectionConfigJson } from '../../src/ledger/index.js';

const members = "OR('Org1MSP.member','Org2MSP.member')";
const COLLECTIONS: CollectionConfigJson[] = [
  { name: 'org2ep', policy: members, endorsementPolicy: { signaturePolicy: "OR('Org2MSP.member')" } },
  { name: 'plain', policy: members },
  { name: 'org2ref', policy: members, endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Org2MSP/Endorsement' } },
  { name: 'majority', policy: members, endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' } },
  { name: 'emptyep', policy: members, endorsementPolicy: {} },
];

let net: TestNetwork;
/** The peer's log: why transactions were invalidated. */
const reasons: string[] = [];
let org1: Client;
let anyorg: Contract;
let ledgercc: Contract;

beforeAll(async () => {
  net = await startNetwork({
    batch: { batchTimeoutMs: 20 },
    extraChaincodes: { anyorg: ledgerCcLaunch },
    policies: { anyorg: "OR('Org1MSP.peer','Org2MSP.peer')" },
    peer: {
      collections: { anyorg: COLLECTIONS, ledgercc: COLLECTIONS },
      log: (r) => {
        if (r.msg === 'transaction invalidated') reasons.push(String(r['reason']));
      },
    },
  });
  await waitReady(net.peer, 'ledgercc', 60_000);
  await waitReady(net.peer, 'anyorg', 60_000);
  org1 = connectClient(net);
  anyorg = org1.gateway.getNetwork('mychannel').getContract('anyorg');
  ledgercc = org1.gateway.getNetwork('mychannel').getContract('ledgercc');
}, 90_000);

afterAll(async () => {
  org1?.close();
  await net?.close();
  removeTempDirs();
});

/** Endorsed by exactly `orgs` (undefined: as the Gateway plans), submitted; the commit status code. */
async function status(contract: Contract, fcn: string, args: string[], orgs?: string[], value = 'v'): Promise<number> {
  const proposal = contract.newProposal(fcn, { arguments: args, transientData: { value }, ...(orgs ? { endorsingOrganizations: orgs } : {}) });
  const commit = await (await proposal.endorse()).submit();
  return (await commit.getStatus()).code;
}
const put = (contract: Contract, coll: string, key: string, orgs?: string[], value?: string) => status(contract, 'putPrivate', [coll, key, 'value'], orgs, value);
const VALID = 0;
const ENDORSEMENT_POLICY_FAILURE = 10;

describe('collection endorsement policies at commit', () => {
  it("a signature policy OR('Org2MSP.member'): Org1 alone fails with ENDORSEMENT_POLICY_FAILURE, Org2 is VALID", async () => {
    expect(await put(anyorg, 'org2ep', 'k1', ['Org1MSP'], 'one')).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(reasons.at(-1)).toBe("validation of endorsement policy for collection org2ep chaincode anyorg failed (OR('Org2MSP.member'))");
    expect(utf8(await anyorg.evaluateTransaction('getPrivate', 'org2ep', 'k1'))).toBe('');
    expect(await put(anyorg, 'org2ep', 'k1', ['Org2MSP'], 'two')).toBe(VALID);
    expect(utf8(await anyorg.evaluateTransaction('getPrivate', 'org2ep', 'k1'))).toBe('two');
  });

  it('the client sees a CommitError with status code 10', async () => {
    const e = (await anyorg.submit('putPrivate', { arguments: ['org2ep', 'k2', 'value'], transientData: { value: 'x' }, endorsingOrganizations: ['Org1MSP'] }).catch((x: unknown) => x)) as Error;
    expect(e.name).toBe('CommitError');
    expect(e.message).toMatch(/failed to commit with status code 10 \(ENDORSEMENT_POLICY_FAILURE\)/);
  });

  it('the collection policy replaces the chaincode policy: ledgercc (a majority of two) is VALID with Org2 alone', async () => {
    expect(await put(ledgercc, 'org2ep', 'k3', ['Org2MSP'])).toBe(VALID);
    expect(await put(ledgercc, 'org2ep', 'k3', ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
  });

  it('a purge needs the collection policy too', async () => {
    expect(await put(anyorg, 'org2ep', 'p1', ['Org2MSP'], 'gone soon')).toBe(VALID);
    expect(await status(anyorg, 'purgePrivate', ['org2ep', 'p1'], ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(utf8(await anyorg.evaluateTransaction('getPrivate', 'org2ep', 'p1'))).toBe('gone soon');
    expect(await status(anyorg, 'purgePrivate', ['org2ep', 'p1'], ['Org2MSP'])).toBe(VALID);
    expect(utf8(await anyorg.evaluateTransaction('getPrivate', 'org2ep', 'p1'))).toBe('');
  });

  it('a collection without an endorsement policy (or an empty one) uses the chaincode policy', async () => {
    expect(await put(anyorg, 'plain', 'k1', ['Org1MSP'])).toBe(VALID);
    expect(await put(anyorg, 'emptyep', 'k1', ['Org1MSP'])).toBe(VALID);
    expect(await put(ledgercc, 'plain', 'k1', ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    // Fabric evaluates the chaincode's policy in the collection's name (CollectionValidationInfo).
    expect(reasons.at(-1)).toBe('validation of endorsement policy for collection plain chaincode ledgercc failed (MAJORITY Endorsement)');
    expect(await put(ledgercc, 'plain', 'k1', ['Org1MSP', 'Org2MSP'])).toBe(VALID);
  });

  it('a key-level policy on a private key overrides the collection policy', async () => {
    expect(await put(anyorg, 'org2ep', 'sbe', ['Org2MSP'], 'w')).toBe(VALID);
    // Setting the key's policy is a metadata write: the collection policy (Org2) applies to it.
    expect(await status(anyorg, 'setPrivatePolicy', ['org2ep', 'sbe', JSON.stringify(['Org1MSP'])], ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(await status(anyorg, 'setPrivatePolicy', ['org2ep', 'sbe', JSON.stringify(['Org1MSP'])], ['Org2MSP'])).toBe(VALID);
    // From now on the key needs Org1's peer, whatever the collection says.
    expect(await put(anyorg, 'org2ep', 'sbe', ['Org1MSP'], 'by org1')).toBe(VALID);
    expect(await put(anyorg, 'org2ep', 'sbe', ['Org2MSP'], 'by org2')).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(utf8(await anyorg.evaluateTransaction('getPrivate', 'org2ep', 'sbe'))).toBe('by org1');
  });

  it('a channelConfigPolicy naming an organisation policy: /Channel/Application/Org2MSP/Endorsement', async () => {
    expect(await put(anyorg, 'org2ref', 'k1', ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(reasons.at(-1)).toBe("validation of endorsement policy for collection org2ref chaincode anyorg failed (OR('Org2MSP.peer'))");
    expect(await put(anyorg, 'org2ref', 'k1', ['Org2MSP'])).toBe(VALID);
  });

  it('a channelConfigPolicy naming /Channel/Application/Endorsement: a majority of the organisations', async () => {
    expect(await put(anyorg, 'majority', 'k1', ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(await put(anyorg, 'majority', 'k1', ['Org2MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(await put(anyorg, 'majority', 'k1', ['Org1MSP', 'Org2MSP'])).toBe(VALID);
  });

  it("an implicit collection needs its organisation's peer", async () => {
    expect(await put(anyorg, '_implicit_org_Org2MSP', 'k1', ['Org1MSP'])).toBe(ENDORSEMENT_POLICY_FAILURE);
    expect(await put(anyorg, '_implicit_org_Org2MSP', 'k1', ['Org2MSP'])).toBe(VALID);
    expect(await put(anyorg, '_implicit_org_Org1MSP', 'k1', ['Org1MSP'])).toBe(VALID);
  });
});

describe('Gateway planning with collection policies', () => {
  it('without endorsing organisations, the Gateway adds the organisations the collection policy needs', async () => {
    // Org1 (the gateway's organisation) endorses first and satisfies anyorg; org2ep needs Org2.
    expect(await put(anyorg, 'org2ep', 'planned')).toBe(VALID);
    expect(await put(anyorg, 'org2ref', 'planned')).toBe(VALID);
    expect(await put(anyorg, 'majority', 'planned')).toBe(VALID);
    expect(await put(anyorg, '_implicit_org_Org2MSP', 'planned')).toBe(VALID);
    expect(await put(ledgercc, 'org2ep', 'planned')).toBe(VALID);
  });

  it('a private key with a key-level policy is planned for that policy, not the collection policy', async () => {
    expect(await put(anyorg, 'org2ep', 'sbe-planned', ['Org2MSP'])).toBe(VALID);
    expect(await status(anyorg, 'setPrivatePolicy', ['org2ep', 'sbe-planned', JSON.stringify(['Org1MSP'])])).toBe(VALID);
    expect(await put(anyorg, 'org2ep', 'sbe-planned')).toBe(VALID);
  });

  it('a collection policy no declared organisation satisfies: FAILED_PRECONDITION from Endorse', async () => {
    // A majority of the organisations' Writers (admins or clients): peers never satisfy it.
    const peer = net.peer;
    peer.worldState.defineCollections('anyorg', [...COLLECTIONS, { name: 'writers', policy: members, endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Writers' } }]);
    const e = (await anyorg.submit('putPrivate', { arguments: ['writers', 'k', 'value'], transientData: { value: 'x' } }).catch((x: unknown) => x)) as GatewayError;
    expect(e, String(e)).toBeInstanceOf(GatewayError);
    expect(e.code).toBe(9);
    expect(e.message).toMatch(/^9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: ANY Writers/);
  });
});
