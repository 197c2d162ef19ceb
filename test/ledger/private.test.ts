/**
 * Private data: collection config parsing, signature policies, member-only permissions with
 * Fabric's texts, unknown collections, implicit collections, the Init restriction, hashes, purge,
 * private metadata, hashed-read MVCC and blockToLive expiry.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ledger/bytes.js';
import {
  implicitCollectionName,
  isSatisfiedByMsp,
  LedgerError,
  parseCollectionConfig,
  parseSignaturePolicy,
  permissionFor,
} from '../../src/ledger/index.js';
import { dec, enc, memWs, sim } from './helpers.js';

const CONFIG = JSON.stringify([
  {
    name: 'shared',
    policy: "OR('Org1MSP.member', 'Org2MSP.member')",
    requiredPeerCount: 0,
    maxPeerCount: 3,
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
  },
  { name: 'readonly1', policy: "OR('Org1MSP.member')", memberOnlyRead: true, memberOnlyWrite: false },
  { name: 'open', policy: "OR('Org1MSP.member')" },
  { name: 'ttl', policy: "OR('Org1MSP.member')", blockToLive: 2 },
]);

describe('collection config parsing', () => {
  it('parses Fabric collection JSON with its defaults', () => {
    const [shared, ro] = parseCollectionConfig(CONFIG);
    expect(shared).toMatchObject({
      name: 'shared',
      requiredPeerCount: 0,
      maximumPeerCount: 3,
      memberOnlyRead: true,
      memberOnlyWrite: true,
      implicit: false,
    });
    expect(ro).toMatchObject({ requiredPeerCount: 0, maximumPeerCount: 1, blockToLive: 0 });
    const [withEp] = parseCollectionConfig([
      { name: 'c', policy: "OR('A.member')", endorsementPolicy: { signaturePolicy: "AND('A.peer','B.peer')" } },
    ]);
    expect(withEp?.endorsementPolicy).toEqual({ signaturePolicy: "AND('A.peer','B.peer')" });
  });

  it('matches field names case-insensitively like Go encoding/json', () => {
    const [c] = parseCollectionConfig('[{"Name":"c","Policy":"OR(\'A.member\')","MemberOnlyRead":true}]');
    expect(c).toMatchObject({ name: 'c', memberOnlyRead: true });
  });

  it.each([
    ['[{"name":"_x","policy":"OR(\'A.member\')"}]', /invalid collection name '_x'/],
    ['[{"name":"a","policy":"OR(\'A.member\')"},{"name":"a","policy":"OR(\'A.member\')"}]', /found duplicate/],
    ['[{"name":"a","policy":"OR(\'A.member\')","requiredPeerCount":2,"maxPeerCount":1}]', /maximum peer count \(1\) cannot be less than the required peer count \(2\)/],
    ['[{"name":"a","policy":"OR(A.member)"}]', /invalid policy/],
    ['[{"name":"a","policy":"OR(\'A.member\')","blockToLive":"1"}]', /cannot unmarshal string/],
    ['{"name":"a"}', /cannot unmarshal object/],
    ['not json', /could not parse the collection configuration/],
  ])('rejects %s', (text, re) => {
    expect(() => parseCollectionConfig(text)).toThrow(re);
    try {
      parseCollectionConfig(text);
    } catch (e) {
      expect((e as LedgerError).code).toBe('INVALID_COLLECTION_CONFIG');
    }
  });
});

describe('signature policies for one signer (cauthdsl)', () => {
  it.each([
    ["OR('A.member', 'B.member')", 'A', true],
    ["OR('A.member', 'B.member')", 'C', false],
    ["AND('A.member', 'B.member')", 'A', false],
    ["AND('A.member', 'A.admin')", 'A', false],
    ["OutOf(1, 'A.member', 'B.member')", 'B', true],
    ["OutOf(2, 'A.member', 'B.member')", 'B', false],
    ["or('A.peer', AND('B.member', 'C.member'))", 'A', true],
    ["OR('Org.1-x.MSP.client')", 'Org.1-x.MSP', true],
  ])('%s satisfied by %s: %s', (policy, msp, expected) => {
    expect(isSatisfiedByMsp(parseSignaturePolicy(policy), msp)).toBe(expected);
  });

  it.each(["OR('A.member'", "XOR('A.member')", "OR('A.boss')", "OutOf(x, 'A.member')", "OR('A.member') trailing"])('rejects %s', (p) => {
    expect(() => parseSignaturePolicy(p)).toThrow(LedgerError);
  });

  it('permission rule of RetrieveReadWritePermission', () => {
    const [shared, ro, open] = parseCollectionConfig(CONFIG) as [never, never, never];
    expect(permissionFor(shared, 'Org3MSP')).toEqual({ read: false, write: false });
    expect(permissionFor(shared, 'Org2MSP')).toEqual({ read: true, write: true });
    expect(permissionFor(ro, 'Org3MSP')).toEqual({ read: false, write: true });
    expect(permissionFor(open, 'Org3MSP')).toEqual({ read: true, write: true });
  });
});

describe('private data requests', () => {
  it('refuses non-members with Fabric texts and lets members in', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const outsider = sim(ws, { creatorMspId: 'Org3MSP' });
    await expect(outsider.getPrivateData('shared', 'k')).rejects.toMatchObject({
      code: 'READ_ACCESS_DENIED',
      message: 'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: shared',
    });
    await expect(outsider.putPrivateData('shared', 'k', enc('v'))).rejects.toMatchObject({
      code: 'WRITE_ACCESS_DENIED',
      message: 'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: shared',
    });
    await expect(outsider.getStateByRange('', '', 'readonly1')).rejects.toMatchObject({ code: 'READ_ACCESS_DENIED' });
    await expect(outsider.getStateMetadata('k', 'readonly1')).rejects.toMatchObject({ code: 'READ_ACCESS_DENIED' });
    await expect(outsider.purgePrivateData('shared', 'k')).rejects.toMatchObject({ code: 'WRITE_ACCESS_DENIED' });
    await outsider.putPrivateData('readonly1', 'k', enc('v'));
    const member = sim(ws, { creatorMspId: 'Org2MSP' });
    await member.putPrivateData('shared', 'k', enc('v'));
    await ws.commit(member);
    expect(dec(await sim(ws, { creatorMspId: 'Org1MSP' }).getPrivateData('shared', 'k'))).toBe('v');
    await ws.close();
  });

  it('GET_PRIVATE_DATA_HASH needs no membership and returns SHA-256 of the value', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const w = sim(ws);
    await w.putPrivateData('shared', 'k', enc('secret'));
    await ws.commit(w);
    const outsider = sim(ws, { creatorMspId: 'Org9MSP' });
    expect(await outsider.getPrivateDataHash('shared', 'k')).toEqual(sha256(enc('secret')));
    expect(await outsider.getPrivateDataHash('shared', 'none')).toEqual(new Uint8Array());
    await ws.close();
  });

  it('names an unknown collection as the handler (request paths) or the ledger (hash) would', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const s = sim(ws);
    await expect(s.getPrivateData('nope', 'k')).rejects.toMatchObject({
      code: 'UNKNOWN_COLLECTION',
      message: 'collection ch1/cc/nope could not be found',
    });
    await expect(s.putState('k', enc('v'), 'nope')).rejects.toMatchObject({ message: 'collection ch1/cc/nope could not be found' });
    await expect(s.getPrivateDataHash('nope', 'k')).rejects.toMatchObject({
      code: 'UNKNOWN_COLLECTION',
      message: 'collection [nope] not defined in the collection config for chaincode [cc]',
    });
    await expect(sim(ws, { namespace: 'nocolls' }).getPrivateData('shared', 'k')).rejects.toMatchObject({
      message: 'collection ch1/nocolls/shared could not be found',
    });
    await ws.close();
  });

  it('implicit org collections exist for every MSP and are open to everyone', async () => {
    const ws = await memWs();
    const s = sim(ws, { creatorMspId: 'Org1MSP' });
    await s.putPrivateData(implicitCollectionName('Org2MSP'), 'k', enc('v'));
    await ws.commit(s);
    expect(dec(await sim(ws).getPrivateData('_implicit_org_Org2MSP', 'k'))).toBe('v');
    await ws.close();
  });

  it('with channelMspIds, implicit collections of other MSPs fail at the ledger', async () => {
    const ws = await memWs({ channelMspIds: ['Org1MSP'] });
    const s = sim(ws);
    await s.putPrivateData('_implicit_org_Org1MSP', 'k', enc('v'));
    await expect(s.putPrivateData('_implicit_org_OrgXMSP', 'k', enc('v'))).rejects.toMatchObject({
      message: 'collection [_implicit_org_OrgXMSP] not defined in the collection config for chaincode [cc]',
    });
    await ws.close();
  });

  it('refuses every private data API in Init, including hash and purge', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const s = sim(ws, { isInit: true });
    const msg = { code: 'PRIVATE_DATA_IN_INIT', message: 'private data APIs are not allowed in chaincode Init()' };
    await expect(s.getState('k', 'open')).rejects.toMatchObject(msg);
    await expect(s.getStateMultiple(['k'], 'open')).rejects.toMatchObject(msg);
    await expect(s.putState('k', enc('v'), 'open')).rejects.toMatchObject(msg);
    await expect(s.delState('k', 'open')).rejects.toMatchObject(msg);
    await expect(s.getPrivateDataHash('open', 'k')).rejects.toMatchObject(msg);
    await expect(s.purgePrivateData('open', 'k')).rejects.toMatchObject(msg);
    await expect(s.getStateMetadata('k', 'open')).rejects.toMatchObject(msg);
    await expect(s.putStateMetadata('k', { metakey: 'm', value: enc('v') }, 'open')).rejects.toMatchObject(msg);
    await expect(s.getStateByRange('', '', 'open')).rejects.toMatchObject(msg);
    await expect(s.getQueryResult('{"selector":{}}', 'open')).rejects.toMatchObject(msg);
    // Public data is fine in Init.
    await s.putState('k', enc('v'));
    await ws.close();
  });

  it('purge needs a collection and removes the value and its hash', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const s = sim(ws);
    await expect(s.purgePrivateData('', 'k')).rejects.toMatchObject({ code: 'COLLECTION_REQUIRED', message: 'only applicable for private data' });
    await s.putPrivateData('open', 'k', enc('v'));
    await s.putPrivateData('open', 'keep', enc('w'));
    await ws.commit(s);
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'open', 'k')).toMatchObject({ value: enc('v'), valueHash: sha256(enc('v')) });
    const p = sim(ws);
    await p.purgePrivateData('open', 'k');
    const rw = await p.result();
    expect(rw.publicRwSet[0]?.collHashedRwSets[0]?.hashedWrites).toEqual([
      { keyHash: sha256('k'), isDelete: true, isPurge: true, valueHash: new Uint8Array() },
    ]);
    await ws.commit(rw);
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'open', 'k')).toBeUndefined();
    const r = sim(ws);
    expect(await r.getPrivateDataHash('open', 'k')).toEqual(new Uint8Array());
    expect(await r.getPrivateData('open', 'k')).toEqual(new Uint8Array());
    expect((await r.getStateByRange('', '', 'open')).results.map((x) => x.key)).toEqual(['keep']);
    await ws.close();
  });

  it('private range and rich queries see the collection only; a page size caps the first response', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const s = sim(ws);
    for (let i = 0; i < 150; i++) await s.putPrivateData('open', `p${String(i).padStart(3, '0')}`, enc(JSON.stringify({ i })));
    await s.putState('public', enc('{"i":1}'));
    await ws.commit(s);
    const q = sim(ws);
    const r = await q.getQueryResult('{"selector":{"i":{"$lt":3}}}', 'open');
    expect(r.results.map((x) => [x.namespace, x.key])).toEqual([
      ['cc', 'p000'],
      ['cc', 'p001'],
      ['cc', 'p002'],
    ]);
    const capped = await q.getStateByRange('', '', 'open', { pageSize: 30, bookmark: '' });
    expect(capped.results).toHaveLength(30);
    expect(capped.hasMore).toBe(false);
    expect(capped.metadata).toBeUndefined();
    // Private queries record no read set entries.
    expect((await q.result()).publicRwSet[0]?.reads ?? []).toEqual([]);
    await ws.close();
  });

  it('private metadata lives with the hash and needs an existing key', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const s = sim(ws);
    await s.putPrivateData('open', 'k', enc('v'));
    await ws.commit(s);
    const m = sim(ws);
    await m.putStateMetadata('k', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') }, 'open');
    await m.putStateMetadata('ghost', { metakey: 'VALIDATION_PARAMETER', value: enc('ep') }, 'open');
    await ws.commit(m);
    const r = sim(ws);
    expect(await r.getStateMetadata('k', 'open')).toEqual([{ metakey: 'VALIDATION_PARAMETER', value: enc('ep') }]);
    expect(await r.getStateMetadata('ghost', 'open')).toEqual([]);
    expect((await ws.getCommittedPrivate('ch1', 'cc', 'open', 'k'))?.version).toEqual({ blockNum: 2, txNum: 0 });
    await ws.close();
  });

  it('validates hashed reads at commit', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const r = sim(ws);
    await r.getPrivateDataHash('open', 'k');
    await r.putState('x', enc('1'));
    const w = sim(ws);
    await w.putPrivateData('open', 'k', enc('v'));
    await ws.commit(w);
    await expect(ws.commit(r)).rejects.toMatchObject({ code: 'MVCC_READ_CONFLICT' });
    await ws.close();
  });

  it('blockToLive: data written at block b is purged when block b + btl + 1 commits', async () => {
    const ws = await memWs({ collections: { cc: CONFIG } });
    const w = sim(ws);
    await w.putPrivateData('ttl', 'k', enc('v'));
    await w.putPrivateData('ttl', 'renewed', enc('v1'));
    await ws.commit(w); // block 1, expires at block 4
    let tick = 0;
    const bump = async () => {
      const s = sim(ws);
      await s.putState('tick', enc(String(++tick)));
      await ws.commit(s);
    };
    await bump(); // 2
    const renew = sim(ws);
    await renew.putPrivateData('ttl', 'renewed', enc('v2'));
    await ws.commit(renew); // 3: renewed now expires at 6
    expect(dec(await sim(ws).getPrivateData('ttl', 'k'))).toBe('v');
    await bump(); // 4
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'ttl', 'k')).toBeUndefined();
    expect(dec(await sim(ws).getPrivateData('ttl', 'renewed'))).toBe('v2');
    await bump(); // 5
    await bump(); // 6
    expect(await ws.getCommittedPrivate('ch1', 'cc', 'ttl', 'renewed')).toBeUndefined();
    await ws.close();
  });
});
