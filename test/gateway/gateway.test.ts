/**
 * The real client, @hyperledger/fabric-gateway 1.11, against the dev peer's client endpoint with
 * two organisations (the default chaincode policy, a majority of two, needs both to endorse):
 * evaluate, submit, submitAsync + commit status, offline signing, the error classes with their
 * details, two conflicting transactions in one block, key-level policies, private data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, signers, type Contract } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { connectClient, ledgerCcLaunch, removeTempDirs, startNetwork, userMaterial, utf8, type Client, type TestNetwork } from './helpers.js';
import { waitReady } from '../peer/e2e/helpers.js';

let net: TestNetwork;
let org1: Client;
let contract: Contract;
let anyorg: Contract;

beforeAll(async () => {
  // ledgercc has the default policy (a majority of two: both organisations endorse); anyorg, the
  // same chaincode, needs any one organisation, so that key-level policies decide alone.
  net = await startNetwork({ batch: { batchTimeoutMs: 50 }, extraChaincodes: { anyorg: ledgerCcLaunch }, policies: { anyorg: "OR('Org1MSP.peer','Org2MSP.peer')" } });
  await waitReady(net.peer, 'ledgercc', 60_000);
  await waitReady(net.peer, 'anyorg', 60_000);
  org1 = connectClient(net);
  contract = org1.gateway.getNetwork('mychannel').getContract('ledgercc');
  anyorg = org1.gateway.getNetwork('mychannel').getContract('anyorg');
}, 90_000);

afterAll(async () => {
  org1?.close();
  await net?.close();
  removeTempDirs();
});

describe('fabric-gateway against the dev peer', () => {
  it('submits and evaluates', async () => {
    expect(utf8(await contract.submitTransaction('put', 'k1', 'v1'))).toBe('v1');
    expect(utf8(await contract.evaluateTransaction('get', 'k1'))).toBe('v1');
  });

  it('submitAsync returns the result at once and the commit status later, with its block', async () => {
    const commit = await contract.submitAsync('incr', { arguments: ['counter'] });
    expect(utf8(commit.getResult())).toBe('1');
    const status = await commit.getStatus();
    expect(status.successful).toBe(true);
    expect(status.code).toBe(0);
    expect(status.blockNumber).toBeGreaterThan(0n);
    expect(status.transactionId).toBe(commit.getTransactionId());
  });

  it('signs offline: proposal, transaction and commit status signed outside the client', async () => {
    const m = userMaterial(net.cryptoDir, 'org1.example.com');
    // The signing happens outside the client, which has no signer of its own.
    const sign = signers.newPrivateKeySigner(createPrivateKey(m.keyPem));
    const offline = connectClient(net, { noSigner: true });
    try {
      const c = offline.gateway.getNetwork('mychannel').getContract('ledgercc');
      const unsigned = c.newProposal('put', { arguments: ['offline', 'yes'] });
      await expect(unsigned.evaluate()).rejects.toThrow();
      const proposal = offline.gateway.newSignedProposal(unsigned.getBytes(), await sign(unsigned.getDigest()));
      const tx = await proposal.endorse();
      const signedTx = offline.gateway.newSignedTransaction(tx.getBytes(), await sign(tx.getDigest()));
      const commit = await signedTx.submit();
      const signedCommit = offline.gateway.newSignedCommit(commit.getBytes(), await sign(commit.getDigest()));
      expect((await signedCommit.getStatus()).successful).toBe(true);
      expect(utf8(await contract.evaluateTransaction('get', 'offline'))).toBe('yes');
    } finally {
      offline.close();
    }
  });

  it('a chaincode error on evaluate: UNKNOWN with the endorser as detail', async () => {
    const err = await contract.evaluateTransaction('status', '500', 'boom').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    const g = err as GatewayError;
    expect(g.code).toBe(2);
    expect(g.message).toBe('2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, boom');
    expect(g.details).toEqual([{ address: `peer0.org1.example.com:${net.server.port}`, mspId: 'Org1MSP', message: 'chaincode response 500, boom' }]);
  });

  it('a chaincode error on submit: EndorseError, ABORTED, the same detail', async () => {
    const err = await contract.submitTransaction('status', '500', 'boom').catch((e: unknown) => e);
    const g = err as GatewayError & { transactionId?: string };
    expect(g.name).toBe('EndorseError');
    expect(g.code).toBe(10);
    expect(g.message).toBe('10 ABORTED: failed to endorse transaction, see attached details for more info');
    expect(g.details).toEqual([{ address: `peer0.org1.example.com:${net.server.port}`, mspId: 'Org1MSP', message: 'chaincode response 500, boom' }]);
  });

  it('a signature that does not match the certificate: FAILED_PRECONDITION on evaluate, ABORTED on endorse, PERMISSION_DENIED for events', async () => {
    const other = userMaterial(net.cryptoDir, 'org2.example.com');
    const bad = connectClient(net, { signWith: other.keyPem });
    try {
      const c = bad.gateway.getNetwork('mychannel').getContract('ledgercc');
      const detail = { address: `peer0.org1.example.com:${net.server.port}`, mspId: 'Org1MSP', message: 'error validating proposal: access denied: channel [mychannel] creator org [Org1MSP]' };
      const e1 = (await c.evaluateTransaction('get', 'k1').catch((e: unknown) => e)) as GatewayError;
      expect(e1.code).toBe(9);
      expect(e1.details).toEqual([detail]);
      const e2 = (await c.submitTransaction('put', 'k1', 'x').catch((e: unknown) => e)) as GatewayError;
      expect(e2.code).toBe(10);
      expect(e2.details).toEqual([detail]);
      const events = await bad.gateway.getNetwork('mychannel').getChaincodeEvents('ledgercc');
      const e3 = (await events[Symbol.asyncIterator]()
        .next()
        .catch((e: unknown) => e)) as GatewayError;
      expect(e3.code).toBe(7);
      events.close();
    } finally {
      bad.close();
    }
  });

  it('two conflicting transactions in one block: the first VALID, the second MVCC_READ_CONFLICT', async () => {
    await contract.submitTransaction('put', 'race', '0');
    const a = await contract.newProposal('incr', { arguments: ['race'] }).endorse();
    const b = await contract.newProposal('incr', { arguments: ['race'] }).endorse();
    const [ca, cb] = await Promise.all([a.submit(), b.submit()]);
    const [sa, sb] = await Promise.all([ca.getStatus(), cb.getStatus()]);
    expect(sa.blockNumber).toBe(sb.blockNumber);
    expect(sa.code).toBe(0);
    expect(sb.code).toBe(11);
    expect(sb.successful).toBe(false);
    expect(utf8(await contract.evaluateTransaction('get', 'race'))).toBe('1');
  });

  it('endorsing_organizations that miss the chaincode policy: CommitError ENDORSEMENT_POLICY_FAILURE', async () => {
    const commit = await (await contract.newProposal('put', { arguments: ['k2', 'y'], endorsingOrganizations: ['Org1MSP'] }).endorse()).submit();
    expect((await commit.getStatus()).code).toBe(10);
    const e = (await contract.submit('put', { arguments: ['k2', 'z'], endorsingOrganizations: ['Org1MSP'] }).catch((x: unknown) => x)) as Error;
    expect(e.name).toBe('CommitError');
    expect(e.message).toMatch(/failed to commit with status code 10 \(ENDORSEMENT_POLICY_FAILURE\)/);
    expect(utf8(await contract.evaluateTransaction('get', 'k2'))).toBe('');
  });

  it('a key-level policy: planned endorsements satisfy it, a client naming too few organisations gets ENDORSEMENT_POLICY_FAILURE', async () => {
    await anyorg.submitTransaction('put', 'guarded', 'w');
    await anyorg.submitTransaction('setPolicy', 'guarded', JSON.stringify(['Org2MSP']));
    // Org1 endorses first; the key's policy needs Org2's peer, which the Gateway adds.
    expect(utf8(await anyorg.submitTransaction('put', 'guarded', 'x'))).toBe('x');
    const only1 = await (await anyorg.newProposal('put', { arguments: ['guarded', 'y'], endorsingOrganizations: ['Org1MSP'] }).endorse()).submit();
    expect((await only1.getStatus()).code).toBe(10);
    const only2 = await (await anyorg.newProposal('put', { arguments: ['guarded', 'y2'], endorsingOrganizations: ['Org2MSP'] }).endorse()).submit();
    expect((await only2.getStatus()).code).toBe(0);
    expect(utf8(await anyorg.evaluateTransaction('get', 'guarded'))).toBe('y2');
  });

  it('a key-level policy no declared organisation can satisfy: FAILED_PRECONDITION from Endorse', async () => {
    await anyorg.submitTransaction('put', 'nobody', 'w');
    await anyorg.submitTransaction('setPolicy', 'nobody', JSON.stringify(['Org3MSP']));
    const e = (await anyorg.submitTransaction('put', 'nobody', 'x').catch((x: unknown) => x)) as GatewayError;
    expect(e, String(e)).toBeInstanceOf(GatewayError);
    expect(e.code).toBe(9);
    expect(e.message).toMatch(/^9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: /);
  });

  it('private data from the transient map', async () => {
    await contract.submit('putPrivate', { arguments: ['coll1', 'secret', 'value'], transientData: { value: 'hidden' } });
    expect(utf8(await contract.evaluateTransaction('getPrivate', 'coll1', 'secret'))).toBe('hidden');
  });
});

