/**
 * Every stub API fabric-shim 2.5.8 offers, end to end: a real fabric-shim chaincode process
 * (test/peer/fixtures/shimBasic.cjs) launched by the peer, requests served from the world state.
 * One peer for the whole file with two launched chaincodes (cc1, cc2) for chaincode-to-chaincode.
 */
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  basicCommand,
  cleanup,
  closePeer,
  COLLECTION,
  collectionsFor,
  evaluate,
  getValue,
  ok,
  read,
  startPeer,
  submit,
  type TestPeer,
} from './helpers.js';

let t: TestPeer;
const CH = 'mychannel';

beforeAll(async () => {
  t = await startPeer({
    chaincodes: { cc1: { kind: 'process', command: basicCommand() }, cc2: { kind: 'process', command: basicCommand() } },
    collections: collectionsFor('cc1', 'cc2'),
  });
  // Seed data once: 250 plain keys (crosses two QUERY_STATE_NEXT batches of 100), 120 JSON documents.
  await ok(t.peer, 'cc1', ['putMany', 'r', '250']);
  await ok(t.peer, 'cc1', ['putDocs', 'doc', '120']);
}, 30_000);

afterAll(async () => {
  await closePeer(t);
  await cleanup();
});

interface KV {
  key: string;
  value: string;
}
interface Page {
  results: KV[];
  metadata: { fetchedRecordsCount: number; bookmark: string };
}
const rKeys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${String(from + i).padStart(4, '0')}`);

describe('public state', () => {
  it('put, get, delete', async () => {
    const put = await ok(t.peer, 'cc1', ['put', 'k1', 'v1']);
    expect(put.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(await getValue(t.peer, 'cc1', 'k1')).toBe('v1');
    // each chaincode is its own namespace
    expect(await getValue(t.peer, 'cc2', 'k1')).toBe('');
    await ok(t.peer, 'cc1', ['del', 'k1']);
    expect(await getValue(t.peer, 'cc1', 'k1')).toBe('');
  });

  it('evaluate does not commit; a failed submit commits nothing', async () => {
    const q = await evaluate(t.peer, 'cc1', ['put', 'k2', 'x']);
    expect(q.status).toBe(200);
    expect(q.committed).toBe(false);
    const f = await submit(t.peer, 'cc1', ['putThenFail', 'k2', 'y']);
    expect(f.status).toBe(500);
    expect(f.message).toBe('failed after writing');
    expect(f.committed).toBe(false);
    expect(await getValue(t.peer, 'cc1', 'k2')).toBe('');
  });

  it('reads never see the transaction’s own writes (Fabric simulation)', async () => {
    await ok(t.peer, 'cc1', ['put', 'k-ryw', 'old']);
    const r = await ok(t.peer, 'cc1', ['putThenGet', 'k-ryw', 'new']);
    expect(r.text).toBe('old');
    expect(await getValue(t.peer, 'cc1', 'k-ryw')).toBe('new');
  });
});

describe('range queries', () => {
  it('async iteration over 250 keys crosses QUERY_STATE_NEXT batches, in key order', async () => {
    const r = (await read(t.peer, 'cc1', ['range', 'r', 's'])).json<KV[]>();
    expect(r.map((kv) => kv.key)).toEqual(rKeys(0, 250));
    expect(r[7]!.value).toBe('7');
  });

  it('explicit next() and close(), complete and stopped early', async () => {
    const all = (await read(t.peer, 'cc1', ['rangeExplicit', 'r0100', 'r0205'])).json<{ results: KV[]; closedHasMore: boolean }>();
    expect(all.results.map((kv) => kv.key)).toEqual(rKeys(100, 205));
    expect(all.closedHasMore).toBe(false);
    const early = (await read(t.peer, 'cc1', ['rangeExplicit', 'r', 's', '5'])).json<{ results: KV[]; closedHasMore: boolean }>();
    expect(early.results.map((kv) => kv.key)).toEqual(rKeys(0, 5));
    // the peer answers QUERY_STATE_CLOSE with has_more=false
    expect(early.closedHasMore).toBe(false);
  });

  it('empty range', async () => {
    expect((await read(t.peer, 'cc1', ['range', 'zz0', 'zz9'])).json()).toEqual([]);
  });

  it('WithPagination: pages concatenate to the full result; fetchedRecordsCount and bookmark', async () => {
    const pages: Page[] = [];
    let bookmark = '';
    for (let i = 0; i < 10; i++) {
      const p = (await read(t.peer, 'cc1', ['rangePage', 'r', 's', '70', bookmark])).json<Page>();
      pages.push(p);
      bookmark = p.metadata.bookmark;
      if (!bookmark) break;
    }
    expect(pages.map((p) => p.results.length)).toEqual([70, 70, 70, 40]);
    expect(pages.map((p) => p.metadata.fetchedRecordsCount)).toEqual([70, 70, 70, 40]);
    expect(pages[0]!.metadata.bookmark).toBe('r0070');
    expect(pages.flatMap((p) => p.results.map((kv) => kv.key))).toEqual(rKeys(0, 250));
  });

  it('a paginated query after a write is refused (read-only rule) and nothing commits', async () => {
    const r = await submit(t.peer, 'cc1', ['putThenRangePage', 'k-ro', 'x', 'r', 's']);
    expect(r.status).toBe(500);
    expect(r.message).toMatch(/^GET_STATE_BY_RANGE failed: transaction ID: [0-9a-f]{64}: txid \[[0-9a-f]{64}\]: unsuppored transaction\. Paginated queries are supported only in a read-only transaction/);
    expect(r.committed).toBe(false);
    expect(await getValue(t.peer, 'cc1', 'k-ro')).toBe('');
    // without a write, a submitted transaction may paginate
    const p = await submit(t.peer, 'cc1', ['rangePage', 'r', 's', '3', '']);
    expect(p.status).toBe(200);
    expect(p.json<Page>().results).toHaveLength(3);
  });
});

describe('composite keys', () => {
  beforeAll(async () => {
    for (const [color, name, v] of [
      ['blue', 'a', '1'],
      ['blue', 'b', '2'],
      ['blue', 'c', '3'],
      ['red', 'a', '4'],
      ['bluegreen', 'z', '5'],
    ]) {
      await ok(t.peer, 'cc1', ['putComposite', 'color~name', JSON.stringify([color, name]), v!]);
    }
  });

  it('getStateByPartialCompositeKey matches whole attributes only', async () => {
    const r = (await read(t.peer, 'cc1', ['partial', 'color~name', '["blue"]'])).json<{ key: { objectType: string; attributes: string[] }; value: string }[]>();
    expect(r.map((x) => [x.key.objectType, ...x.key.attributes, x.value])).toEqual([
      ['color~name', 'blue', 'a', '1'],
      ['color~name', 'blue', 'b', '2'],
      ['color~name', 'blue', 'c', '3'],
    ]);
    const all = (await read(t.peer, 'cc1', ['partial', 'color~name', '[]'])).json<unknown[]>();
    expect(all).toHaveLength(5);
  });

  it('composite keys are not in plain range queries over the whole namespace', async () => {
    const r = (await read(t.peer, 'cc1', ['range', '', ''])).json<KV[]>();
    expect(r.some((kv) => kv.key.startsWith('\u0000'))).toBe(false);
    expect(r.length).toBeGreaterThanOrEqual(250 + 120);
  });

  it('WithPagination', async () => {
    const p1 = (await read(t.peer, 'cc1', ['partialPage', 'color~name', '["blue"]', '2', ''])).json<Page>();
    expect(p1.results.map((kv) => kv.value)).toEqual(['1', '2']);
    expect(p1.metadata.fetchedRecordsCount).toBe(2);
    expect(p1.metadata.bookmark).not.toBe('');
    const p2 = (await read(t.peer, 'cc1', ['partialPage', 'color~name', '["blue"]', '2', p1.metadata.bookmark])).json<Page>();
    expect(p2.results.map((kv) => kv.value)).toEqual(['3']);
    expect(p2.metadata.fetchedRecordsCount).toBe(1);
    expect(p2.metadata.bookmark).toBe('');
  });
});

describe('rich queries (CouchDB Mango)', () => {
  const sel = (s: unknown) => JSON.stringify({ selector: s });

  it('a selector over 120 documents crosses a batch; async and explicit iteration agree', async () => {
    const all = (await read(t.peer, 'cc1', ['query', sel({ docType: 'doc' })])).json<KV[]>();
    expect(all).toHaveLength(120);
    expect(all.map((kv) => (JSON.parse(kv.value) as { n: number }).n)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    const explicit = (await read(t.peer, 'cc1', ['queryExplicit', sel({ docType: 'doc' })])).json<KV[]>();
    expect(explicit).toEqual(all);
  });

  it('operators', async () => {
    const r = (await read(t.peer, 'cc1', ['query', sel({ docType: 'doc', n: { $gte: 10, $lt: 20 }, even: true })])).json<KV[]>();
    expect(r.map((kv) => kv.key)).toEqual(['doc0010', 'doc0012', 'doc0014', 'doc0016', 'doc0018']);
    const s = (await read(t.peer, 'cc1', ['query', JSON.stringify({ selector: { owner: 'alice', n: { $lt: 10 } }, sort: [{ n: 'desc' }], fields: ['n'] })])).json<KV[]>();
    expect(s.map((kv) => JSON.parse(kv.value))).toEqual([{ n: 9 }, { n: 6 }, { n: 3 }, { n: 0 }]);
  });

  it('WithPagination: pages concatenate to the full result', async () => {
    const q = sel({ docType: 'doc', owner: 'bob' });
    const full = (await read(t.peer, 'cc1', ['query', q])).json<KV[]>();
    expect(full).toHaveLength(80);
    const got: KV[] = [];
    const counts: number[] = [];
    let bookmark = '';
    for (let i = 0; i < 10; i++) {
      const p = (await read(t.peer, 'cc1', ['queryPage', q, '25', bookmark])).json<Page>();
      counts.push(p.metadata.fetchedRecordsCount);
      got.push(...p.results);
      bookmark = p.metadata.bookmark;
      if (p.results.length < 25) break;
    }
    expect(counts).toEqual([25, 25, 25, 5]);
    expect(got).toEqual(full);
  });

  it('an invalid query is an error with CouchDB’s wording, and nothing else breaks', async () => {
    const r = await evaluate(t.peer, 'cc1', ['query', '{"selector":{"n":{"$nosuch":1}}}']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('GET_QUERY_RESULT failed: transaction ID: ');
    expect(r.message).toContain('Status Code:400');
    expect(await getValue(t.peer, 'cc1', 'r0001')).toBe('1');
  });
});

describe('history', () => {
  it('getHistoryForKey: txId, timestamp, isDelete, newest first, across committed transactions', async () => {
    const start = Date.now();
    const tx1 = await ok(t.peer, 'cc1', ['put', 'h', 'v1']);
    const tx2 = await ok(t.peer, 'cc1', ['put', 'h', 'v2']);
    const tx3 = await ok(t.peer, 'cc1', ['del', 'h']);
    const tx4 = await ok(t.peer, 'cc1', ['put', 'h', 'v3']);
    // a failed and an evaluated transaction leave no history
    await submit(t.peer, 'cc1', ['putThenFail', 'h', 'nope']);
    await evaluate(t.peer, 'cc1', ['put', 'h', 'nope']);
    const end = Date.now();
    type H = { txId: string; value: string; isDelete: boolean; seconds: number; nanos: number };
    const h = (await read(t.peer, 'cc1', ['history', 'h'])).json<H[]>();
    expect(h.map((m) => [m.txId, m.value, m.isDelete])).toEqual([
      [tx4.txId, 'v3', false],
      [tx3.txId, '', true],
      [tx2.txId, 'v2', false],
      [tx1.txId, 'v1', false],
    ]);
    const ms = h.map((m) => m.seconds * 1000 + m.nanos / 1e6);
    for (const x of ms) {
      expect(x).toBeGreaterThanOrEqual(start - 1000);
      expect(x).toBeLessThanOrEqual(end + 1000);
    }
    expect([...ms].sort((a, b) => b - a)).toEqual(ms);
    // async iteration gives the same
    expect((await read(t.peer, 'cc1', ['historyAsync', 'h'])).json()).toEqual(h);
    // a key that was never written
    expect((await read(t.peer, 'cc1', ['history', 'never'])).json()).toEqual([]);
  });
});

describe('private data', () => {
  const IMPLICIT = '_implicit_org_Org1MSP';

  it('put, get, hash, delete, purge', async () => {
    await ok(t.peer, 'cc1', ['pput', COLLECTION, 'p1', 'secret-1']);
    expect((await read(t.peer, 'cc1', ['pget', COLLECTION, 'p1'])).text).toBe('secret-1');
    expect((await read(t.peer, 'cc1', ['phash', COLLECTION, 'p1'])).text).toBe(createHash('sha256').update('secret-1').digest('hex'));
    // private data is not public state
    expect(await getValue(t.peer, 'cc1', 'p1')).toBe('');
    await ok(t.peer, 'cc1', ['pdel', COLLECTION, 'p1']);
    expect((await read(t.peer, 'cc1', ['pget', COLLECTION, 'p1'])).text).toBe('');
    expect((await read(t.peer, 'cc1', ['phash', COLLECTION, 'p1'])).text).toBe('');

    await ok(t.peer, 'cc1', ['pput', COLLECTION, 'p2', 'secret-2']);
    await ok(t.peer, 'cc1', ['ppurge', COLLECTION, 'p2']);
    expect((await read(t.peer, 'cc1', ['pget', COLLECTION, 'p2'])).text).toBe('');
    expect((await read(t.peer, 'cc1', ['phash', COLLECTION, 'p2'])).text).toBe('');
  });

  it('transient data reaches stub.getTransient() and can be stored privately', async () => {
    const transient = { value: new TextEncoder().encode('from-transient'), other: new TextEncoder().encode('x') };
    expect((await read(t.peer, 'cc1', ['transient'], { transient })).json()).toEqual({ value: 'from-transient', other: 'x' });
    await ok(t.peer, 'cc1', ['pputTransient', COLLECTION, 'pt'], { transient });
    expect((await read(t.peer, 'cc1', ['pget', COLLECTION, 'pt'])).text).toBe('from-transient');
    expect((await read(t.peer, 'cc1', ['transient'])).json()).toEqual({});
  });

  it('a member of another MSP is refused with Fabric’s text (read and write)', async () => {
    await ok(t.peer, 'cc1', ['pput', COLLECTION, 'p3', 'org1-only']);
    const r = await evaluate(t.peer, 'cc1', ['pget', COLLECTION, 'p3'], { mspId: 'Org2MSP' });
    expect(r.status).toBe(500);
    expect(r.message).toMatch(/^GET_STATE failed: transaction ID: [0-9a-f]{64}: tx creator does not have read access permission on privatedata in chaincodeName:cc1 collectionName: secret$/);
    const w = await submit(t.peer, 'cc1', ['pput', COLLECTION, 'p3', 'overwritten'], { mspId: 'Org2MSP' });
    expect(w.status).toBe(500);
    expect(w.message).toMatch(/^PUT_STATE failed: transaction ID: [0-9a-f]{64}: tx creator does not have write access permission on privatedata in chaincodeName:cc1 collectionName: secret$/);
    expect(w.committed).toBe(false);
    // the hash is readable without membership (Fabric: no check on GET_PRIVATE_DATA_HASH)
    expect((await read(t.peer, 'cc1', ['phash', COLLECTION, 'p3'], { mspId: 'Org2MSP' })).text).toBe(createHash('sha256').update('org1-only').digest('hex'));
    expect((await read(t.peer, 'cc1', ['pget', COLLECTION, 'p3'])).text).toBe('org1-only');
  });

  it('an undefined collection is an error', async () => {
    const r = await evaluate(t.peer, 'cc1', ['pget', 'nosuch', 'k']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('nosuch');
  });

  it('implicit org collection', async () => {
    await ok(t.peer, 'cc1', ['pput', IMPLICIT, 'imp', 'implicit-value']);
    expect((await read(t.peer, 'cc1', ['pget', IMPLICIT, 'imp'])).text).toBe('implicit-value');
    expect((await read(t.peer, 'cc1', ['phash', IMPLICIT, 'imp'])).text).toBe(createHash('sha256').update('implicit-value').digest('hex'));
  });

  it('private range, partial composite and rich queries', async () => {
    for (let i = 0; i < 5; i++) await ok(t.peer, 'cc2', ['pput', COLLECTION, `pk${i}`, JSON.stringify({ n: i, kind: i % 2 ? 'odd' : 'even' })]);
    await ok(t.peer, 'cc2', ['pputComposite', COLLECTION, 'owner~id', '["alice","1"]', 'A1']);
    await ok(t.peer, 'cc2', ['pputComposite', COLLECTION, 'owner~id', '["alice","2"]', 'A2']);
    await ok(t.peer, 'cc2', ['pputComposite', COLLECTION, 'owner~id', '["bob","1"]', 'B1']);

    const range = (await read(t.peer, 'cc2', ['prange', COLLECTION, 'pk1', 'pk4'])).json<KV[]>();
    expect(range.map((kv) => kv.key)).toEqual(['pk1', 'pk2', 'pk3']);
    const rich = (await read(t.peer, 'cc2', ['pquery', COLLECTION, JSON.stringify({ selector: { kind: 'odd' } })])).json<KV[]>();
    expect(rich.map((kv) => kv.key)).toEqual(['pk1', 'pk3']);
    const partial = (await read(t.peer, 'cc2', ['ppartial', COLLECTION, 'owner~id', '["alice"]'])).json<{ value: string }[]>();
    expect(partial.map((x) => x.value)).toEqual(['A1', 'A2']);
    // other members are refused for queries too
    const refused = await evaluate(t.peer, 'cc2', ['prange', COLLECTION, '', ''], { mspId: 'Org2MSP' });
    expect(refused.status).toBe(500);
    expect(refused.message).toContain('tx creator does not have read access permission on privatedata in chaincodeName:cc2 collectionName: secret');
  });

  it('Init may not use private data; a plain Init commits', async () => {
    const p = await submit(t.peer, 'cc2', ['initPrivate', COLLECTION, 'ik', 'iv'], { init: true });
    expect(p.status).toBe(500);
    expect(p.message).toMatch(/^PUT_STATE failed: transaction ID: [0-9a-f]{64}: private data APIs are not allowed in chaincode Init\(\)$/);
    const r = await submit(t.peer, 'cc2', ['init', 'from-init'], { init: true });
    expect(r.status).toBe(200);
    expect(r.text).toBe('init done');
    expect(await getValue(t.peer, 'cc2', 'init')).toBe('from-init');
  });
});

describe('key-level endorsement (validation parameters)', () => {
  it('setStateValidationParameter / getStateValidationParameter with KeyEndorsementPolicy', async () => {
    await ok(t.peer, 'cc1', ['put', 'ep', 'x']);
    expect((await read(t.peer, 'cc1', ['getEP', 'ep'])).json()).toBeNull();
    await ok(t.peer, 'cc1', ['setEP', 'ep', '["Org2MSP","Org1MSP"]']);
    expect((await read(t.peer, 'cc1', ['getEP', 'ep'])).json()).toEqual(['Org1MSP', 'Org2MSP']);
    // a value-only write keeps the metadata
    await ok(t.peer, 'cc1', ['put', 'ep', 'y']);
    expect((await read(t.peer, 'cc1', ['getEP', 'ep'])).json()).toEqual(['Org1MSP', 'Org2MSP']);
  });

  it('private variants', async () => {
    await ok(t.peer, 'cc1', ['pput', COLLECTION, 'pep', 'x']);
    expect((await read(t.peer, 'cc1', ['pgetEP', COLLECTION, 'pep'])).json()).toBeNull();
    await ok(t.peer, 'cc1', ['psetEP', COLLECTION, 'pep', '["Org3MSP"]']);
    expect((await read(t.peer, 'cc1', ['pgetEP', COLLECTION, 'pep'])).json()).toEqual(['Org3MSP']);
  });
});

describe('events', () => {
  it('setEvent reaches InvokeResult.events', async () => {
    const r = await ok(t.peer, 'cc1', ['event', 'Transfer', 'payload-1']);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.name).toBe('Transfer');
    expect(Buffer.from(r.events[0]!.payload).toString()).toBe('payload-1');
    // evaluate also returns it (not committed)
    const q = await evaluate(t.peer, 'cc1', ['event', 'E2', '']);
    expect(q.events.map((e) => e.name)).toEqual(['E2']);
  });

  it('the event is dropped for status >= 400', async () => {
    const r = await submit(t.peer, 'cc1', ['eventThenFail', 'Lost', 'x']);
    expect(r.status).toBe(500);
    expect(r.events).toEqual([]);
    const s = await submit(t.peer, 'cc1', ['status', '400', 'bad request']);
    expect(s.status).toBe(400);
    expect(s.message).toBe('bad request');
    expect(s.committed).toBe(false);
    const s3 = await submit(t.peer, 'cc1', ['status', '302', 'redirect', 'body']);
    expect(s3.status).toBe(302);
    expect(s3.text).toBe('body');
    expect(s3.committed).toBe(true);
  });
});

describe('chaincode-to-chaincode', () => {
  it('same channel: the callee’s writes join the caller’s transaction and commit together', async () => {
    const r = await ok(t.peer, 'cc1', ['putAndCall', 'caller-k', 'caller-v', 'cc2', '', 'put', 'callee-k', 'callee-v']);
    expect(r.json()).toEqual({ status: 200, payload: '' });
    expect(await getValue(t.peer, 'cc1', 'caller-k')).toBe('caller-v');
    expect(await getValue(t.peer, 'cc2', 'callee-k')).toBe('callee-v');
    // one transaction: the callee's history entry carries the caller's txid
    const h = (await read(t.peer, 'cc2', ['history', 'callee-k'])).json<{ txId: string }[]>();
    expect(h.map((m) => m.txId)).toEqual([r.txId]);
    // the callee reads committed state of its own namespace
    const g = (await read(t.peer, 'cc1', ['call', 'cc2', '', 'get', 'callee-k'])).json();
    expect(g).toEqual({ status: 200, message: '', payload: 'callee-v' });
  });

  it('same channel: when the caller fails, the callee’s writes are not committed either', async () => {
    const r = await submit(t.peer, 'cc1', ['callThenFail', 'cc2', '', 'put', 'lost-k', 'lost-v']);
    expect(r.status).toBe(500);
    expect(r.message).toBe('caller fails after callee status 200');
    expect(await getValue(t.peer, 'cc2', 'lost-k')).toBe('');
  });

  it('another channel: read-only, the callee’s writes are not committed', async () => {
    await ok(t.peer, 'cc2', ['put', 'other-k', 'on-other'], { channel: 'otherchannel' });
    const g = (await read(t.peer, 'cc1', ['call', 'cc2', 'otherchannel', 'get', 'other-k'])).json();
    expect(g).toEqual({ status: 200, message: '', payload: 'on-other' });
    const w = await ok(t.peer, 'cc1', ['call', 'cc2', 'otherchannel', 'put', 'xch-k', 'xch-v']);
    expect(w.json()).toEqual({ status: 200, message: '', payload: '' });
    expect(await getValue(t.peer, 'cc2', 'xch-k', { channel: 'otherchannel' })).toBe('');
    expect(await getValue(t.peer, 'cc2', 'xch-k')).toBe('');
    expect(t.peer.listChannels()).toEqual(['mychannel', 'otherchannel']);
  });

  it('the callee’s error surfaces to the caller', async () => {
    const r = (await read(t.peer, 'cc1', ['call', 'cc2', '', 'fail', 'callee says no'])).json();
    expect(r).toEqual({ status: 500, message: 'callee says no', payload: '' });
    const w = await submit(t.peer, 'cc1', ['putAndCall', 'k-x', 'v-x', 'cc2', '', 'fail', 'refused']);
    expect(w.status).toBe(500);
    expect(w.message).toBe('callee said 500: refused');
    expect(await getValue(t.peer, 'cc1', 'k-x')).toBe('');
  });

  it('an unknown callee: INVOKE_CHAINCODE fails with execute failed', async () => {
    const r = await evaluate(t.peer, 'cc1', ['call', 'nosuchcc', '', 'get', 'x']);
    expect(r.status).toBe(500);
    // fabric core/chaincode/handler.go HandleTransaction + HandleInvokeChaincode around chaincode_support.go
    // Invoke / CheckInvocation and lscc.go ChaincodeEndorsementInfo.
    expect(r.message).toBe(
      `call failed: INVOKE_CHAINCODE failed: transaction ID: ${r.txId}: execute failed: invalid invocation: [channel mychannel] failed to get chaincode container info for nosuchcc: chaincode nosuchcc not found`,
    );
  });

  it('calling itself on the same channel is refused; on another channel it works', async () => {
    const r = await evaluate(t.peer, 'cc1', ['call', 'cc1', '', 'get', 'x']);
    expect(r.status).toBe(500);
    // transaction_contexts.go Create's text, wrapped by chaincode_support.go execute and handler.go.
    expect(r.message).toBe(`call failed: INVOKE_CHAINCODE failed: transaction ID: ${r.txId}: execute failed: error sending: txid: ${r.txId}(${CH}) exists`);
    const o = await evaluate(t.peer, 'cc1', ['call', 'cc1', 'otherchannel', 'get', 'x']);
    expect(o.status).toBe(200);
  });
});

describe('identity and transaction context', () => {
  type Id = {
    mspid: string;
    id: string;
    enrollmentId: string;
    type: string;
    affiliation: string | null;
    attrs: Record<string, string>;
    missing: string | null;
    creatorMspid: string;
    creatorPem: string;
    channel: string;
    txId: string;
    mspIdEnv: string;
    seconds: number;
    nanos: number;
    date: string;
    binding: string;
    args: string[];
  };

  it('ClientIdentity, creator, channel, txid, timestamps', async () => {
    const before = Date.now();
    const r = await read(t.peer, 'cc1', ['identity', 'arg1']);
    const after = Date.now();
    const id = r.json<Id>();
    expect(id.mspid).toBe('Org1MSP');
    expect(id.id).toMatch(/^x509::\/C=US\/.*\/CN=user1::\/C=US\/.*\/CN=ca\.org1\.example\.com$/);
    expect(id.enrollmentId).toBe('user1');
    expect(id.type).toBe('client');
    // the certificate carries hf.Affiliation "" (root); fabric-shim reports an empty value as null
    expect(id.affiliation).toBeNull();
    expect(id.attrs).toEqual({ 'hf.Affiliation': '', 'hf.EnrollmentID': 'user1', 'hf.Type': 'client' });
    expect(id.missing).toBeNull();
    expect(id.creatorMspid).toBe('Org1MSP');
    expect(id.creatorPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(id.channel).toBe(CH);
    expect(id.txId).toBe(r.txId);
    expect(id.mspIdEnv).toBe('Org1MSP');
    const ms = id.seconds * 1000 + id.nanos / 1e6;
    expect(ms).toBeGreaterThanOrEqual(before - 1000);
    expect(ms).toBeLessThanOrEqual(after + 1000);
    expect(Math.abs(new Date(id.date).getTime() - ms)).toBeLessThan(1);
    expect(id.binding).toMatch(/^[0-9a-f]{64}$/);
    expect(id.args).toEqual(['identity', 'arg1']);
  });

  it('different users get different ids, the same user the same id; other MSPs', async () => {
    const who = async (o: { user?: string; mspId?: string }) => (await read(t.peer, 'cc1', ['identity'], o)).json<Id>();
    const u1a = await who({});
    const u1b = await who({ user: 'user1' });
    const alice = await who({ user: 'alice' });
    const alice2 = await who({ user: 'alice' });
    expect(u1a.id).toBe(u1b.id);
    expect(alice.id).toBe(alice2.id);
    expect(alice.id).not.toBe(u1a.id);
    expect(alice.id).toContain('CN=alice::');
    expect(alice.enrollmentId).toBe('alice');
    const org2 = await who({ mspId: 'Org2MSP', user: 'alice' });
    expect(org2.mspid).toBe('Org2MSP');
    expect(org2.creatorMspid).toBe('Org2MSP');
    expect(org2.id).toMatch(/CN=alice::.*CN=ca\.org2\.example\.com$/);
  });

  it('a caller-chosen txId is used', async () => {
    const txId = 'a'.repeat(64);
    const r = await read(t.peer, 'cc1', ['identity'], { txId });
    expect(r.txId).toBe(txId);
    expect(r.json<Id>().txId).toBe(txId);
  });
});
