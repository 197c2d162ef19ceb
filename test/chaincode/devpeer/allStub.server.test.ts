/**
 * The allStub test chaincode (our runtime) in server mode — chaincode as a service — against the
 * real dev peer: the test starts `node --import tsx allStub.ts` with CHAINCODE_SERVER_ADDRESS
 * (127.0.0.1, a free port) and CHAINCODE_ID, and the peer dials its Chaincode/Connect
 * (`{ kind: 'ccaas', address }`), without TLS and with mutual TLS (server certificate from
 * src/identity given as CORE_CHAINCODE_TLS_*_FILE, the peer presenting a client certificate).
 * A representative subset: write and read back, a range query with pagination, an event, private
 * data from the transient map, a write batch.
 */
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dialChaincodeServer } from '../../../src/transport/index.js';
import { cleanup, closePeer, evaluate, startPeer, submit, waitReady, type CallOptions, type Child, type Result, type TestPeer } from '../../peer/e2e/helpers.js';
import { ALLSTUB, memberOnlyCollection, serverTls, startServerOnFreePort, traceRecorder } from './helpers.js';

const CCID = 'allstub_1.0:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const COLL = 'coll1';
const J = JSON.stringify;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

afterAll(cleanup);

for (const tls of [false, true]) {
  describe(`allStub in server mode (CCaaS), the dev peer dials it, ${tls ? 'with mutual TLS' : 'without TLS'}`, () => {
    let t: TestPeer;
    let server: Child;
    let address: string;
    const rec = traceRecorder();

    beforeAll(async () => {
      const material = tls ? serverTls() : undefined;
      const started = await startServerOnFreePort(ALLSTUB, { CHAINCODE_ID: CCID, CORE_PEER_LOCALMSPID: 'Org1MSP', ...material?.env });
      server = started.child;
      address = started.address;
      t = await startPeer({
        chaincodes: { allstub: { kind: 'ccaas', address, ...(material ? { tls: material.peerTls } : {}) } },
        collections: { allstub: [memberOnlyCollection(COLL)] },
        trace: rec.trace,
      });
      await waitReady(t.peer, 'allstub');
    });
    afterAll(async () => {
      await closePeer(t);
      await server?.kill();
    });

    const why = (r: Result): string => `${r.status} ${r.message}\nserver stderr:\n${server.stderr()}`;
    const put = async (args: string[], o?: CallOptions): Promise<Result> => {
      const r = await submit(t.peer, 'allstub', args, o);
      expect(r.status, why(r)).toBe(200);
      expect(r.committed).toBe(true);
      return r;
    };
    const get = async <T = unknown>(args: string[], o?: CallOptions): Promise<T> => {
      const r = await evaluate(t.peer, 'allstub', args, o);
      expect(r.status, why(r)).toBe(200);
      return r.json<T>();
    };

    it('registers with its package id over the stream the peer dialled; READY advertises batches', async () => {
      expect(t.peer.listChaincodes()).toEqual([{ name: 'allstub', registeredAs: CCID, launch: 'ccaas', state: 'ready' }]);
      expect(rec.messages.filter((m) => m.type === 'REGISTER' || m.type === 'READY').map((m) => `${m.direction} ${m.type} ${m.chaincode}`)).toEqual([
        `in REGISTER ${CCID}`,
        `out READY ${CCID}`,
      ]);
      expect(rec.messages.find((m) => m.type === 'READY')?.ready).toEqual({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });
      expect(await get(['getMspID'])).toBe('Org1MSP');
      const r = await evaluate(t.peer, 'allstub', ['getTxID'], { channel: 'ch2' });
      expect(r.json()).toBe(r.txId);
      expect(await get(['getChannelID'], { channel: 'ch2' })).toBe('ch2');
    });

    if (tls) {
      it('the server speaks TLS only: a plaintext dial does not connect', async () => {
        await expect(dialChaincodeServer({ address, dialTimeoutMs: 500 })).rejects.toThrow(/could not connect/);
      });
    }

    it('a write is read back in a later transaction; history', async () => {
      const r1 = await put(['putState', 'k1', 'v1']);
      expect(await get(['getState', 'k1'])).toBe('v1');
      expect(dec((await t.peer.worldState.getCommitted('mychannel', 'allstub', 'k1'))!.value)).toBe('v1');
      const r2 = await put(['deleteState', 'k1']);
      expect(await get(['getState', 'k1'])).toBe('');
      expect(await get(['getHistoryForKey', 'k1'])).toEqual([
        { txId: r2.txId, value: '', isDelete: true },
        { txId: r1.txId, value: 'v1', isDelete: false },
      ]);
    });

    it('a write batch (WRITE_BATCH_STATE on the wire), then a range query paged with bookmarks and a multi-key read', async () => {
      const pairs = Array.from({ length: 7 }, (_, i) => [`r${i}`, `v${i}`]);
      const batch = await put(['batchPut', J(pairs), 'finish']);
      expect(rec.of(batch.txId, CCID).filter((m) => m.direction === 'in').map((m) => `${m.type}${m.size === undefined ? '' : ` ${m.size}`}`)).toEqual([
        'WRITE_BATCH_STATE 7',
        'COMPLETED',
      ]);
      expect(await get(['getStateByRange', 'r2', 'r5'])).toEqual([
        { key: 'r2', value: 'v2' },
        { key: 'r3', value: 'v3' },
        { key: 'r4', value: 'v4' },
      ]);
      const p1 = await get(['getStateByRangeWithPagination', 'r', 's', '4', '']);
      expect(p1).toEqual({ records: pairs.slice(0, 4).map(([key, value]) => ({ key, value })), metadata: { fetchedRecordsCount: 4, bookmark: 'r4' } });
      const p2 = await get(['getStateByRangeWithPagination', 'r', 's', '4', 'r4']);
      expect(p2).toEqual({ records: pairs.slice(4).map(([key, value]) => ({ key, value })), metadata: { fetchedRecordsCount: 3, bookmark: '' } });
      expect(await get(['getMultipleStates', J(['r6', 'nope', 'r0'])])).toEqual(['v6', '', 'v0']);
    });

    it('an event travels with the committed transaction', async () => {
      const r = await put(['setEvent', 'Created', J({ id: 1 })]);
      expect(r.events.map((e) => [e.name, dec(e.payload)])).toEqual([['Created', J({ id: 1 })]]);
    });

    it('private data from the transient map: committed, read back, hashed; member-only', async () => {
      const secret = 'appraised at 1000';
      await put(['putPrivateDataFromTransient', COLL, 'p1', 'details'], { transient: { details: enc(secret) } });
      expect(await get(['getPrivateData', COLL, 'p1'])).toBe(secret);
      expect(await get(['getPrivateDataHash', COLL, 'p1'])).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(await get(['getState', 'p1'])).toBe('');
      expect(dec((await t.peer.worldState.getCommittedPrivate('mychannel', 'allstub', COLL, 'p1'))!.value)).toBe(secret);
      const outsider = await evaluate(t.peer, 'allstub', ['getPrivateData', COLL, 'p1'], { mspId: 'Org2MSP' });
      expect(outsider.status).toBe(500);
      expect(outsider.message).toContain('does not have read access permission');
    });

    it('a failing transaction: status 500 with the message, nothing committed', async () => {
      const r = await submit(t.peer, 'allstub', ['throw', 'server-side failure']);
      expect(r).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: server-side failure', committed: false });
    });
  });
}
