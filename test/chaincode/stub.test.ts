/**
 * Every ChaincodeStub method against the in-memory peer (src/pair): the request it puts on the wire
 * (type and payload, from the pair's transcript) and how it decodes the reply. The ledger here is
 * the pair's stand-in (src/pair/standInLedger.ts: writes apply at once, no MVCC, a read sees earlier
 * writes), so these tests check the protocol exchange, not Fabric's ledger semantics; the same
 * methods against the real world state, with Fabric's semantics, are test/chaincode/devpeer/.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import type { Message, MessageOf } from '../../src/protocol/messages.js';
import {
  decodeQueryMetadata,
  encodeKeyModification,
  encodeKV,
  encodeMessage,
  encodeProposal,
  encodeQueryResponse,
  encodeSerializedIdentity,
  encodeQueryResponseMetadata,
  encodeResponse,
  encodeStateMetadataResult,
} from '../../src/wire/index.js';
import { computeBinding, KeyEndorsementPolicy, type ChaincodeStub } from '../../src/chaincode/index.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { bytes, dynamicHarness, fail, makeProposal, norm, ok, utf8, within } from './helpers.js';

const EMPTY = new Uint8Array(0);

/** The requests (not the final reply) the chaincode sent. */
function requests(sent: Message[]): RequestMessage[] {
  return norm(sent.filter((m) => m.type !== 'COMPLETED' && m.type !== 'ERROR')) as RequestMessage[];
}
function only<T extends RequestMessage['type']>(sent: Message[], type: T): MessageOf<T> {
  const reqs = requests(sent);
  expect(reqs.map((r) => r.type)).toEqual([type]);
  return reqs[0] as MessageOf<T>;
}
const qr = (results: Uint8Array[], extra: Partial<{ hasMore: boolean; id: string; metadata: Uint8Array }> = {}) =>
  encodeQueryResponse({ results, hasMore: extra.hasMore ?? false, id: extra.id ?? 'it-1', metadata: extra.metadata ?? EMPTY });
const kv = (key: string, value: string) => encodeKV({ namespace: 'mycc', key, value: bytes(value) });

describe('invocation data (local) [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('args, txid, channel', async () => {
    const { h, dyn } = await dynamicHarness();
    const got = await within(
      h,
      dyn,
      (stub) => ({
        args: stub.getArgs(),
        strings: stub.getStringArgs(),
        buffers: stub.getBufferArgs().map((b) => [Buffer.isBuffer(b), b.toString()]),
        fp: stub.getFunctionAndParameters(),
        slice: stub.getArgsSlice().toString(),
        txid: stub.getTxID(),
        channel: stub.getChannelID(),
      }),
      { args: ['move', 'a', 'b'], txid: 'abcdef0123', channelId: 'ch2' },
    );
    expect(got).toEqual({
      args: ['move', 'a', 'b'],
      strings: ['move', 'a', 'b'],
      buffers: [[true, 'move'], [true, 'a'], [true, 'b']],
      fp: { fcn: 'move', params: ['a', 'b'] },
      slice: 'moveab',
      txid: 'abcdef0123',
      channel: 'ch2',
    });
    expect(await within(h, dyn, (stub) => stub.getFunctionAndParameters(), { args: [] })).toEqual({ fcn: '', params: [] });
    expect(h.sentTypes()).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('decorations', async () => {
    const { h, dyn } = await dynamicHarness();
    let seen: Record<string, string> = {};
    dyn.fn = (stub) => (seen = Object.fromEntries([...stub.getDecorations()].map(([k, v]) => [k, utf8(v)])));
    await h.pair.execute({ channelId: 'c', txid: 't', txType: 'TRANSACTION', input: { args: [], decorations: { d: bytes('v') }, isInit: false }, proposal: undefined });
    expect(seen).toEqual({ d: 'v' });
  });

  it('creator, transient, signed proposal, timestamps, binding', async () => {
    const { h, dyn } = await dynamicHarness();
    const nonce = bytes('some-nonce');
    const proposal = makeProposal({ mspid: 'Org2MSP', certPem: 'PEM-TEXT', nonce, epoch: 7, transient: { secret: bytes('s3') }, timestamp: { seconds: 1_700_000_123, nanos: 987_654_321 } });
    const got = await within(h, dyn, (stub) => {
      const creator = stub.getCreator()!;
      const ts = stub.getTxTimestamp();
      const sp = stub.getSignedProposal()!;
      return {
        creator: { mspid: creator.mspid, idBytes: utf8(creator.idBytes) },
        transient: [...stub.getTransient()].map(([k, v]) => [k, utf8(v)]),
        seconds: ts.seconds.toString(),
        unsigned: ts.seconds.unsigned,
        nanos: ts.nanos,
        date: stub.getDateTimestamp().toISOString(),
        binding: stub.getBinding(),
        sp: {
          signature: utf8(sp.signature),
          channel: sp.proposal.header.channelHeader.channelId,
          type: sp.proposal.header.channelHeader.type,
          epoch: sp.proposal.header.channelHeader.epoch,
          nonce: utf8(sp.proposal.header.signatureHeader.nonce),
          mspid: sp.proposal.header.signatureHeader.creator.mspid,
          transient: utf8(sp.proposal.payload.transientMap.get('secret')),
        },
      };
    }, { proposal });
    const creatorBytes = Buffer.from(encodeSerializedIdentity({ mspid: 'Org2MSP', idBytes: bytes('PEM-TEXT') }));
    const epoch = Buffer.alloc(8);
    epoch.writeBigUInt64LE(7n);
    const expectedBinding = createHash('sha256').update(Buffer.concat([nonce, creatorBytes, epoch])).digest('hex');
    expect(got).toEqual({
      creator: { mspid: 'Org2MSP', idBytes: 'PEM-TEXT' },
      transient: [['secret', 's3']],
      seconds: '1700000123',
      unsigned: true,
      nanos: 987_654_321,
      date: new Date(1_700_000_123_987).toISOString(),
      binding: expectedBinding,
      sp: { signature: 'sig', channel: 'mychannel', type: 3, epoch: 7, nonce: 'some-nonce', mspid: 'Org2MSP', transient: 's3' },
    });
    expect(computeBinding(nonce, creatorBytes, 7)).toBe(expectedBinding);
  });

  it('without a proposal: no creator, empty transient and binding, timestamps throw', async () => {
    const { h, dyn } = await dynamicHarness();
    const got = await within(h, dyn, (stub) => {
      let tsError = '';
      try {
        stub.getTxTimestamp();
      } catch (e) {
        tsError = (e as Error).message;
      }
      return { creator: stub.getCreator(), transient: stub.getTransient().size, binding: stub.getBinding(), sp: stub.getSignedProposal(), tsError };
    }, { proposal: null });
    expect(got).toMatchObject({ creator: undefined, transient: 0, binding: '', sp: undefined });
    expect(got.tsError).toMatch(/no timestamp/);
  });

  it('getMspID reads CORE_PEER_LOCALMSPID (fabric-shim text when unset)', async () => {
    const withEnv = await dynamicHarness({ env: { CORE_PEER_LOCALMSPID: 'PeerMSP' } });
    expect(await within(withEnv.h, withEnv.dyn, (stub) => stub.getMspID())).toBe('PeerMSP');
    const without = await dynamicHarness({ env: {} });
    await expect(within(without.h, without.dyn, (stub) => stub.getMspID())).rejects.toThrow('CORE_PEER_LOCALMSPID is unset in chaincode process');
  });

  it('a proposal that does not decode fails the transaction before Invoke runs', async () => {
    const { h, dyn } = await dynamicHarness();
    let ran = false;
    dyn.fn = () => (ran = true);
    const empty = encodeProposal({ header: EMPTY, payload: bytes('p'), extension: EMPTY });
    const r = await h.invoke(['x'], { proposal: { proposalBytes: empty, signature: EMPTY } });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('failed to create new ChaincodeStub: Proposal header is empty') });
    const r2 = await h.invoke(['x'], { proposal: { proposalBytes: bytes('\xff\xff\xff'), signature: EMPTY } });
    expect(r2).toMatchObject({ ok: false, message: expect.stringContaining('failed to create new ChaincodeStub: Failed extracting proposal from signedProposal.') });
    expect(ran).toBe(false);
  });
});

describe('public state [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('getState / putState / deleteState on the wire', async () => {
    const { h, dyn } = await dynamicHarness();
    await within(h, dyn, async (stub) => {
      await stub.putState('k1', 'v1');
      await stub.putState('k2', new Uint8Array([0, 1, 2]));
    });
    const puts = requests(h.sent());
    expect(puts).toMatchObject([
      { type: 'PUT_STATE', txid: 'tx1', channelId: 'mychannel', payload: { key: 'k1', value: bytes('v1'), collection: '' } },
      { type: 'PUT_STATE', payload: { key: 'k2', value: new Uint8Array([0, 1, 2]), collection: '' } },
    ]);
    h.clear();
    const got = await within(h, dyn, async (stub) => {
      const v = await stub.getState('k1');
      const missing = await stub.getState('nope');
      await stub.deleteState('k1');
      return { v: v.toString(), isBuffer: Buffer.isBuffer(v), missing: missing.length };
    });
    expect(got).toEqual({ v: 'v1', isBuffer: true, missing: 0 });
    expect(requests(h.sent())).toMatchObject([
      { type: 'GET_STATE', payload: { key: 'k1', collection: '' } },
      { type: 'GET_STATE', payload: { key: 'nope', collection: '' } },
      { type: 'DEL_STATE', payload: { key: 'k1', collection: '' } },
    ]);
  });

  it('a peer ERROR is thrown with the peer text', async () => {
    const { h, dyn } = await dynamicHarness({ serve: () => fail('boom from the ledger') });
    await expect(within(h, dyn, (stub) => stub.getState('k'))).rejects.toThrow('GET_STATE failed: transaction ID: tx1: boom from the ledger');
    await expect(within(h, dyn, (stub) => stub.putState('k', 'v'))).rejects.toThrow('boom from the ledger');
  });

  it('validation parameters: PUT_STATE_METADATA / GET_STATE_METADATA', async () => {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('MEMBER', 'Org1MSP');
    const ep = policy.getPolicy();
    let reply = encodeStateMetadataResult({ entries: [{ metakey: 'OTHER', value: bytes('x') }, { metakey: 'VALIDATION_PARAMETER', value: ep }] });
    const { h, dyn } = await dynamicHarness({ serve: (r) => (r.type === 'GET_STATE_METADATA' ? ok(reply) : ok()) });
    await within(h, dyn, (stub) => stub.setStateValidationParameter('k', ep));
    expect(only(h.sent(), 'PUT_STATE_METADATA').payload).toEqual({ key: 'k', collection: '', metadata: { metakey: 'VALIDATION_PARAMETER', value: new Uint8Array(ep) } });
    h.clear();
    const got = await within(h, dyn, (stub) => stub.getStateValidationParameter('k'));
    expect(Buffer.from(got!)).toEqual(Buffer.from(ep));
    expect(new KeyEndorsementPolicy(got).listOrgs()).toEqual(['Org1MSP']);
    expect(only(h.sent(), 'GET_STATE_METADATA').payload).toEqual({ key: 'k', collection: '' });
    reply = encodeStateMetadataResult({ entries: [] });
    expect(await within(h, dyn, (stub) => stub.getStateValidationParameter('k'))).toBeUndefined();
    reply = bytes('\x0a\x05ab');
    await expect(within(h, dyn, (stub) => stub.getStateValidationParameter('k'))).rejects.toThrow(/could not unmarshal metadata response/);
  });
});

describe('queries [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('range: empty start key becomes \\x01; keys starting with U+0000 are refused locally', async () => {
    const { h, dyn } = await dynamicHarness({ serve: () => ok(qr([kv('a', '1'), kv('b', '2')])) });
    const got = await within(h, dyn, async (stub) => {
      const out: Array<[string, string, string]> = [];
      for await (const r of stub.getStateByRange('', 'z')) out.push([r.namespace, r.key, r.value.toString()]);
      return out;
    });
    expect(got).toEqual([['mycc', 'a', '1'], ['mycc', 'b', '2']]);
    expect(requests(h.sent())[0]).toMatchObject({ type: 'GET_STATE_BY_RANGE', payload: { startKey: '\x01', endKey: 'z', collection: '', metadata: EMPTY } });
    h.clear();
    await expect(within(h, dyn, (stub) => stub.getStateByRange('\x00a', 'z'))).rejects.toThrow('first character of the key [\x00a] contains a null character which is not allowed');
    await expect(within(h, dyn, (stub) => stub.getStateByRangeWithPagination('a', '\x00z', 5))).rejects.toThrow('contains a null character');
    expect(requests(h.sent())).toEqual([]);
  });

  it('pagination: QueryMetadata out, QueryResponseMetadata back', async () => {
    const meta = encodeQueryResponseMetadata({ fetchedRecordsCount: 2, bookmark: 'c' });
    const { h, dyn } = await dynamicHarness({ serve: () => ok(qr([kv('a', '1'), kv('b', '2')], { metadata: meta })) });
    const got = await within(h, dyn, async (stub) => {
      const { iterator, metadata } = await stub.getStateByRangeWithPagination('a', '', 2, 'bm');
      const keys: string[] = [];
      for await (const r of iterator) keys.push(r.key);
      return { keys, metadata };
    });
    expect(got).toEqual({ keys: ['a', 'b'], metadata: { fetchedRecordsCount: 2, bookmark: 'c' } });
    const req = requests(h.sent())[0] as MessageOf<'GET_STATE_BY_RANGE'>;
    expect(req.payload).toMatchObject({ startKey: 'a', endKey: '', collection: '' });
    expect(decodeQueryMetadata(req.payload.metadata)).toEqual({ ok: true, value: { pageSize: 2, bookmark: 'bm' } });
  });

  it('partial composite keys: [ck, ck + U+10FFFF); all composite keys: [\\x00, \\x00 + U+10FFFF)', async () => {
    const { h, dyn } = await dynamicHarness({ serve: () => ok(qr([])) });
    await within(h, dyn, async (stub) => {
      await (await stub.getStateByPartialCompositeKey('color', ['blue'])).close();
      await (await stub.getStateByPartialCompositeKeyWithPagination('color', [], 10)).iterator.close();
      await (await stub.getAllStatesCompositeKeyWithPagination(3, 'x')).iterator.close();
    });
    const ranges = requests(h.sent()).filter((r) => r.type === 'GET_STATE_BY_RANGE') as Array<MessageOf<'GET_STATE_BY_RANGE'>>;
    expect(ranges.map((r) => [r.payload.startKey, r.payload.endKey])).toEqual([
      ['\x00color\x00blue\x00', '\x00color\x00blue\x00\u{10ffff}'],
      ['\x00color\x00', '\x00color\x00\u{10ffff}'],
      ['\x00', '\x00\u{10ffff}'],
    ]);
    expect(ranges[0]!.payload.metadata).toEqual(EMPTY);
    expect(decodeQueryMetadata(ranges[1]!.payload.metadata)).toEqual({ ok: true, value: { pageSize: 10, bookmark: '' } });
    expect(decodeQueryMetadata(ranges[2]!.payload.metadata)).toEqual({ ok: true, value: { pageSize: 3, bookmark: 'x' } });
    await expect(within(h, dyn, (stub) => stub.getStateByPartialCompositeKey('', []))).rejects.toThrow('object type or attribute not a non-zero length string');
  });

  it('rich queries, with and without pagination', async () => {
    const meta = encodeQueryResponseMetadata({ fetchedRecordsCount: 1, bookmark: 'next' });
    const { h, dyn } = await dynamicHarness({ serve: (r) => ok(qr([kv('a', '{"x":1}')], r.type === 'GET_QUERY_RESULT' && r.payload.metadata.length ? { metadata: meta } : {})) });
    const got = await within(h, dyn, async (stub) => {
      const it = await stub.getQueryResult('{"selector":{}}');
      const first = await it.next();
      await it.close();
      const page = await stub.getQueryResultWithPagination('{"selector":{}}', 1);
      return { first: first.done ? null : first.value.key, meta: page.metadata };
    });
    expect(got).toEqual({ first: 'a', meta: { fetchedRecordsCount: 1, bookmark: 'next' } });
    const rich = requests(h.sent()).filter((r) => r.type === 'GET_QUERY_RESULT') as Array<MessageOf<'GET_QUERY_RESULT'>>;
    expect(rich.map((r) => [r.payload.query, r.payload.collection, r.payload.metadata.length > 0])).toEqual([
      ['{"selector":{}}', '', false],
      ['{"selector":{}}', '', true],
    ]);
  });

  it('history: KeyModification records', async () => {
    const rec = encodeKeyModification({ txId: 'tx9', value: bytes('v9'), isDelete: false, timestamp: { seconds: 42, nanos: 7 } });
    const del = encodeKeyModification({ txId: 'tx10', value: EMPTY, isDelete: true, timestamp: undefined });
    const { h, dyn } = await dynamicHarness({ serve: () => ok(qr([rec, del])) });
    const got = await within(h, dyn, async (stub) => {
      const out = [];
      for await (const m of stub.getHistoryForKey('k')) out.push({ ...m, value: m.value.toString() });
      return out;
    });
    expect(got).toEqual([
      { txId: 'tx9', value: 'v9', isDelete: false, timestamp: { seconds: 42, nanos: 7 } },
      { txId: 'tx10', value: '', isDelete: true, timestamp: { seconds: 0, nanos: 0 } },
    ]);
    expect(requests(h.sent())[0]).toMatchObject({ type: 'GET_HISTORY_FOR_KEY', payload: { key: 'k' } });
  });

  it('replies that do not decode are thrown as clear errors', async () => {
    const garbage = new Uint8Array([0x0a, 0xff, 0x01]);
    const { h, dyn } = await dynamicHarness({ serve: () => ok(garbage) });
    await expect(within(h, dyn, (stub) => stub.getStateByRange('a', 'b'))).rejects.toThrow(/could not unmarshal the QueryResponse answering GET_STATE_BY_RANGE/);
    await expect(within(h, dyn, (stub) => stub.getHistoryForKey('a'))).rejects.toThrow(/could not unmarshal the QueryResponse answering GET_HISTORY_FOR_KEY/);
    const bad = await dynamicHarness({ serve: () => ok(qr([garbage])) });
    await expect(within(bad.h, bad.dyn, async (stub) => (await stub.getStateByRange('a', 'b')).next())).rejects.toThrow(/could not unmarshal a query result/);
  });
});

describe('private data [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('each API sends its request with the collection', async () => {
    const ledger = new StandInLedger();
    const { h, dyn } = await dynamicHarness({ serve: (r) => (r.type === 'GET_QUERY_RESULT' ? ok(qr([])) : ledger.serve(r)) });
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('PEER', 'Org3MSP');
    const got = await within(h, dyn, async (stub: ChaincodeStub) => {
      await stub.putPrivateData('c1', 'k', 'secret');
      const v = (await stub.getPrivateData('c1', 'k')).toString();
      const hash = (await stub.getPrivateDataHash('c1', 'k')).toString('hex');
      await stub.setPrivateDataValidationParameter('c1', 'k', ep.getPolicy());
      const vp = new KeyEndorsementPolicy(await stub.getPrivateDataValidationParameter('c1', 'k')).listOrgs();
      const range: string[] = [];
      for await (const r of stub.getPrivateDataByRange('c1', '', '')) range.push(r.key);
      await (await stub.getPrivateDataByPartialCompositeKey('c1', 'T', ['a'])).close();
      await (await stub.getPrivateDataQueryResult('c1', '{}')).close();
      await stub.deletePrivateData('c1', 'k');
      await stub.purgePrivateData('c1', 'k');
      return { v, hash, vp, range };
    });
    expect(got).toEqual({ v: 'secret', hash: createHash('sha256').update('secret').digest('hex'), vp: ['Org3MSP'], range: ['k'] });
    const reqs = requests(h.sent()).filter((r) => r.type !== 'QUERY_STATE_CLOSE');
    expect(reqs.map((r) => [r.type, (r.payload as { collection?: string }).collection])).toEqual([
      ['PUT_STATE', 'c1'],
      ['GET_STATE', 'c1'],
      ['GET_PRIVATE_DATA_HASH', 'c1'],
      ['PUT_STATE_METADATA', 'c1'],
      ['GET_STATE_METADATA', 'c1'],
      ['GET_STATE_BY_RANGE', 'c1'],
      ['GET_STATE_BY_RANGE', 'c1'],
      ['GET_QUERY_RESULT', 'c1'],
      ['DEL_STATE', 'c1'],
      ['PURGE_PRIVATE_DATA', 'c1'],
    ]);
    expect((reqs[5] as MessageOf<'GET_STATE_BY_RANGE'>).payload.startKey).toBe('\x01');
    expect((reqs[6] as MessageOf<'GET_STATE_BY_RANGE'>).payload).toMatchObject({ startKey: '\x00T\x00a\x00', endKey: '\x00T\x00a\x00\u{10ffff}' });
  });

  it('local checks with fabric-shim texts, nothing sent', async () => {
    const { h, dyn } = await dynamicHarness();
    const cases: Array<[string, (s: ChaincodeStub) => Promise<unknown>]> = [
      ['collection must be a valid string', (s) => s.getPrivateData('', 'k')],
      ['key must be a valid string', (s) => s.getPrivateData('c', '')],
      ['collection must be a valid string', (s) => s.getPrivateDataHash('', 'k')],
      ['key must be a valid string', (s) => s.putPrivateData('c', '', 'v')],
      ['value must be valid', (s) => s.putPrivateData('c', 'k', '')],
      ['collection must be a valid string', (s) => s.deletePrivateData('', 'k')],
      ['key must be a valid string', (s) => s.purgePrivateData('c', '')],
      ['collection must be a valid string', (s) => s.setPrivateDataValidationParameter('', 'k', EMPTY)],
      ['collection must be a valid string', (s) => s.getPrivateDataValidationParameter('', 'k')],
      ['collection must be a valid string', (s) => s.getPrivateDataByRange('', 'a', 'b')],
      ['collection must be a valid string', (s) => s.getPrivateDataByPartialCompositeKey('', 'T', [])],
      ['collection must be a valid string', (s) => s.getPrivateDataQueryResult('', '{}')],
      ['collection must be a valid string', (s) => s.getMultiplePrivateData('', ['a'])],
      ['keys must be an array of strings', (s) => s.getMultipleStates('a' as unknown as string[])],
    ];
    for (const [text, call] of cases) await expect(within(h, dyn, call), text).rejects.toThrow(text);
    expect(requests(h.sent())).toEqual([]);
    // Empty bytes are a valid private value (fabric-shim's `!value` check lets them through).
    await within(h, dyn, (s) => s.putPrivateData('c', 'k', new Uint8Array(0)));
    expect(requests(h.sent()).map((r) => r.type)).toEqual(['PUT_STATE']);
  });
});

describe('invokeChaincode [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  const nested = (m: Message) => ok(encodeMessage(m));
  it('name/channel, args, nested COMPLETED returned, nested ERROR thrown', async () => {
    let reply = nested({ type: 'COMPLETED', txid: 'tx', channelId: 'other', payload: { status: 201, message: 'made', payload: bytes('out') } });
    const { h, dyn } = await dynamicHarness({ serve: () => reply });
    const r = await within(h, dyn, (stub) => stub.invokeChaincode('cc2', ['fn', 'x'], 'other'));
    expect({ ...r, payload: r.payload.toString() }).toEqual({ status: 201, message: 'made', payload: 'out' });
    const req = only(h.sent(), 'INVOKE_CHAINCODE');
    expect(req.payload.chaincodeId?.name).toBe('cc2/other');
    expect(req.payload.input?.args.map(utf8)).toEqual(['fn', 'x']);
    h.clear();
    await within(h, dyn, (stub) => stub.invokeChaincode('cc2', [], ''));
    expect(only(h.sent(), 'INVOKE_CHAINCODE').payload.chaincodeId?.name).toBe('cc2');

    reply = nested({ type: 'ERROR', txid: 'tx', channelId: 'mychannel', payload: bytes('callee says no') });
    await expect(within(h, dyn, (stub) => stub.invokeChaincode('cc2', [], ''))).rejects.toThrow(/^callee says no$/);
    reply = fail('execute failed: could not launch');
    await expect(within(h, dyn, (stub) => stub.invokeChaincode('cc2', [], ''))).rejects.toThrow('INVOKE_CHAINCODE failed: transaction ID: tx4: execute failed: could not launch');
    reply = ok(bytes('\xff\xff'));
    await expect(within(h, dyn, (stub) => stub.invokeChaincode('cc2', [], ''))).rejects.toThrow(/could not unmarshal the reply of chaincode cc2/);
    reply = nested({ type: 'RESPONSE', txid: 'tx', channelId: 'c', payload: encodeResponse({ status: 200, message: '', payload: EMPTY }) });
    await expect(within(h, dyn, (stub) => stub.invokeChaincode('cc2', [], ''))).rejects.toThrow(/answered with a RESPONSE message/);
  });
});

describe('events [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('setEvent: the last event travels with COMPLETED', async () => {
    const { h, dyn } = await dynamicHarness();
    await within(h, dyn, (stub) => {
      stub.setEvent('first', 'one');
      stub.setEvent('second', bytes('two'));
    });
    const completed = h.sent().find((m) => m.type === 'COMPLETED')!;
    expect(completed.chaincodeEvent).toMatchObject({ eventName: 'second', payload: bytes('two') });
    await expect(within(h, dyn, (stub) => stub.setEvent('', 'x'))).rejects.toThrow('Event name must be a non-empty string');
  });
});

describe('composite keys [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('create and split', async () => {
    const { h, dyn } = await dynamicHarness();
    const got = await within(h, dyn, (stub) => {
      const ck = stub.createCompositeKey('owner~asset', ['alice', 'a1']);
      return { ck, split: stub.splitCompositeKey(ck), simple: stub.splitCompositeKey('plain') };
    });
    expect(got).toEqual({
      ck: '\x00owner~asset\x00alice\x00a1\x00',
      split: { objectType: 'owner~asset', attributes: ['alice', 'a1'] },
      simple: { objectType: null, attributes: [] },
    });
    await expect(within(h, dyn, (stub) => stub.createCompositeKey('t', ['a', '']))).rejects.toThrow('object type or attribute not a non-zero length string');
    await expect(within(h, dyn, (stub) => stub.createCompositeKey('t', 'a' as unknown as string[]))).rejects.toThrow('attributes must be an array');
  });
});
