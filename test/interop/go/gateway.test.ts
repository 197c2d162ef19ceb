/**
 * The Go Fabric Gateway client (github.com/hyperledger/fabric-gateway v1.10.1, cmd/gwclient)
 * against the dev peer's client endpoint with TLS, as a test-network application connects: submit,
 * evaluate, an error with its details, submitAsync + commit status, chaincode events, block events
 * from block 0 (the Go client seeks up to math.MaxUint64) and filtered blocks, on a network of two
 * organisations (every submit needs both endorsements; one limited to Org1 fails at commit).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, startNetwork, type TestNetwork } from '../../gateway/helpers.js';
import { waitReady } from '../../peer/e2e/helpers.js';
import { GO } from './toolchain.js';

describe.skipIf(GO.skip)('the Go Fabric Gateway client against the dev peer', { timeout: 120_000 }, () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await startNetwork({ orgs: ['Org1MSP', 'Org2MSP'] });
    await waitReady(net.peer, 'ledgercc', 60_000);
  }, 90_000);
  afterAll(async () => {
    await net?.close();
    removeTempDirs();
  });

  it('runs a whole application', async () => {
    const org = join(net.cryptoDir, 'peerOrganizations/org1.example.com');
    const user = join(org, 'users/User1@org1.example.com/msp');
    const { readdirSync } = await import('node:fs');
    const args = [
      net.server.address,
      join(org, 'peers/peer0.org1.example.com/tls/ca.crt'),
      'peer0.org1.example.com',
      'Org1MSP',
      join(user, 'signcerts', readdirSync(join(user, 'signcerts'))[0]!),
      join(user, 'keystore', readdirSync(join(user, 'keystore'))[0]!),
    ];
    const out = await new Promise<string>((resolve, reject) =>
      execFile(GO.gwclient, args, { timeout: 90_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}\n${stdout}`)) : resolve(stdout))),
    );
    type Step = { step: string; block: number; txId: string; expectedTxId: string } & Record<string, unknown>;
    const steps: Record<string, Step> = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Step)
        .map((s) => [s.step, s]),
    );
    expect(steps.submit).toMatchObject({ result: 'go-value' });
    expect(steps.evaluate).toMatchObject({ result: 'go-value' });
    expect(steps.evaluateError).toMatchObject({
      code: 2,
      message: 'evaluate call to endorser returned error: chaincode response 500, boom',
      details: [{ address: `peer0.org1.example.com:${net.server.port}`, mspId: 'Org1MSP', message: 'chaincode response 500, boom' }],
    });
    expect(steps.status).toMatchObject({ code: 0, successful: true });
    const block = steps.status!.block;
    expect(steps.chaincodeEvent).toMatchObject({ name: 'go-event', payload: 'go-payload', block });
    expect(steps.chaincodeEvent!.txId).toBe(steps.chaincodeEvent!.expectedTxId);
    expect(steps.blockEvents).toEqual({ step: 'blockEvents', numbers: [0, 1] });
    expect(steps.filteredBlock).toMatchObject({ number: block, txs: [{ txId: steps.chaincodeEvent!.txId, code: 0 }] });
    // ENDORSEMENT_POLICY_FAILURE (10): Org1's endorsement alone does not satisfy MAJORITY of two.
    expect(steps.endorsingOrganizations).toEqual({ step: 'endorsingOrganizations', code: 10, successful: false });
  });
});
