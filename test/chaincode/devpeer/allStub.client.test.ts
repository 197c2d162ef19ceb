/**
 * The allStub test chaincode (test/chaincode/fixtures/allStub.ts, our runtime) in client mode
 * against the real dev peer (`Peer`): the peer launches it as a process
 * (`node --import tsx allStub.ts --peer.address=…`, Fabric's launcher environment) and it dials the
 * peer's ChaincodeSupport listener over gRPC, without TLS and with TLS (the peer's fresh CA, client
 * certificates required). A second instance, `other`, is the target of invokeChaincode.
 *
 * Every command of the fixture is driven (the list is read from the fixture's source; the last test
 * fails if one was left out), and results are checked against what the dev peer committed: writes
 * are read back in later transactions (and in the peer's world state), queries page through real
 * data, history carries the txids of the writes, and the protocol trace shows the write batches and
 * multi-key reads the peer advertised in READY.
 *
 * The checks are shared with the Go shim's command chaincode (commandSuite.ts); what is particular
 * to our runtime is passed to them here.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { dialChaincodeSupport } from '../../../src/transport/index.js';
import { REPO, cleanup } from '../../peer/e2e/helpers.js';
import { commandSuite, compositeKeys, enc, events, invokeChaincode, privateData, publicState, rangeQueries, registeredReadyAndInit, responses, richQueries, transactionContext, transactionFailed, validationParameters, writeBatches } from './commandSuite.js';
import { ALLSTUB, allStubCommands, tsxCommand } from './helpers.js';

const COMMANDS = allStubCommands();

afterAll(cleanup);

for (const tls of [false, true]) {
  describe(`allStub in client mode, launched by the dev peer, ${tls ? 'with TLS' : 'without TLS'}`, () => {
    // Our runtime answers a failed command with ERROR, which the peer reports in Fabric's words.
    const s = commandSuite({ launch: { kind: 'process', command: tsxCommand(ALLSTUB), cwd: REPO }, tls, failure: transactionFailed });

    it('registers over the peer listener, READY advertises write batches and multi-key reads (limit 1000), Init runs', async () => {
      if (tls) expect(s.t.peer.tlsRootCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      else expect(s.t.peer.tlsRootCertPem).toBeUndefined();
      expect(s.t.logged('peer started')[0]).toMatchObject({ tls });
      await registeredReadyAndInit(s, ['allstub', 'other']);
    });

    if (tls) {
      it('the peer listener speaks TLS only: a plaintext dial does not connect', async () => {
        await expect(dialChaincodeSupport({ address: s.t.peer.chaincodeAddress, dialTimeoutMs: 500 })).rejects.toThrow(/could not connect/);
      });
    }

    it('the transaction context: arguments, txid, channel, creator, MSP id, transient map, proposal, timestamps, binding, client identity', () =>
      transactionContext(s, {
        // the fixture builds the object from the transient map (Object.fromEntries)
        transient: async () => expect(await s.get(['getTransient'], { transient: { u: enc('two'), t: enc('secret') } })).toEqual({ t: 'secret', u: 'two' }),
        // fabric-shim's ClientIdentity: x509::/C=…/CN=subject::/C=…/CN=issuer
        clientId: { attruser: /^x509::\/C=US\/ST=California\/L=San Francisco\/O=org1\.example\.com\/OU=client\/CN=attruser::/, user1: '/CN=user1::' },
      }));

    it('public state: a write is read back in a later transaction, a delete removes it, an evaluation commits nothing, history has the txids', () => publicState(s));

    it('key-level validation parameters are committed and read back', () => validationParameters(s));

    it('range queries: a bounded range, and every key once through pages of 10 with bookmarks', () => rangeQueries(s));

    it('composite keys: partial-key queries with and without pagination, all composite keys; plain ranges skip them', () => compositeKeys(s));

    it('rich queries (Mango selectors on JSON values) with and without pagination', () => richQueries(s));

    it('private data: written directly and from the transient map, read back, hashed, queried, member-only, validation parameter, deleted, purged', () => privateData(s));

    it('events: setEvent travels with the transaction result', () => events(s));

    it('invokeChaincode: same channel joins the transaction (writes commit with it), another channel is a read-only query; status and errors come back', () =>
      invokeChaincode(s, {
        // the callee's ERROR fails the caller's invokeChaincode, and so the whole transaction
        calleeFailed: (thrown) => {
          expect(thrown.status).toBe(500);
          expect(thrown.message).toContain('callee failed');
          expect(thrown.committed).toBe(false);
        },
      }));

    it('write batches: WRITE_BATCH_STATE on the wire in chunks of the advertised 1000, committed; getMultipleStates: GET_STATE_MULTIPLE likewise', () => writeBatches(s));

    it('responses: thrown error, no response, error status, non-200 success, unknown command; concurrent transactions', () =>
      responses(s, {
        // an Invoke that returned no response is an error (fabric-shim's rule and text, kept by our runtime)
        noResponse: (none) => {
          expect(none.status).toBe(500);
          expect(none.message).toMatch(/^\[mychannel-[0-9a-f]{8}\] Calling chaincode Invoke\(\) has not called success or error\.$/);
          expect(none.committed).toBe(false);
        },
      }));

    // Needs the tests above to have run (it fails under a -t filter that leaves some out).
    it('every command of the fixture was driven against the dev peer', () => {
      expect(COMMANDS.length).toBeGreaterThanOrEqual(45);
      expect(COMMANDS).toEqual(expect.arrayContaining(['getState', 'putState', 'batchPut', 'purgePrivateData', 'invokeChaincode', 'getAllStatesCompositeKeyWithPagination']));
      expect(COMMANDS.filter((c) => !s.driven.has(c))).toEqual([]);
      expect([...s.driven].filter((c) => !COMMANDS.includes(c))).toEqual([]);
    });
  });
}
