/**
 * The allStub fixture drives every ChaincodeStub method by command; this runs each command once on
 * the in-memory peer and checks that together they reach every public stub method.
 */
import { describe, expect, it } from 'vitest';
import { FABRIC_31_READY_PARAMS } from '../../src/protocol/messages.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { ChaincodeStub } from '../../src/chaincode/index.js';
import { allStub } from './fixtures/allStub.js';
import { devUser } from '../../src/identity/index.js';
import { Harness, makeProposal, richServe, utf8 } from './helpers.js';

const user = devUser('Org1MSP', 'allstub-user', { level: '3' });
const J = JSON.stringify;

/** [command, params, expected result (JSON) or a matcher]. */
const COMMANDS: Array<[string, string[], unknown]> = [
  ['putState', ['k1', 'v1'], null],
  ['putState', ['k2', 'v2'], null],
  ['getState', ['k1'], 'v1'],
  ['getArgs', ['x'], ['getArgs', 'x']],
  ['getStringArgs', [], ['getStringArgs']],
  ['getBufferArgs', ['b'], ['getBufferArgs', 'b']],
  ['getFunctionAndParameters', ['p'], { fcn: 'getFunctionAndParameters', params: ['p'] }],
  ['getArgsSlice', ['z'], 'getArgsSlicez'],
  ['getDecorations', [], {}],
  ['getTxID', [], expect.stringMatching(/^tx\d+$/)],
  ['getChannelID', [], 'mychannel'],
  ['getCreator', [], { mspid: 'Org1MSP', idBytes: user.certPem }],
  ['getMspID', [], 'PeerMSP'],
  ['getTransient', [], { t: 'secret' }],
  ['getSignedProposal', [], { channelId: 'mychannel', txId: 'proposal-tx', mspid: 'Org1MSP' }],
  ['getTxTimestamp', [], { seconds: '1700000000', nanos: 123456789 }],
  ['getDateTimestamp', [], new Date(1_700_000_000_123).toISOString()],
  ['getBinding', [], expect.stringMatching(/^[0-9a-f]{64}$/)],
  ['deleteState', ['k2'], null],
  ['setStateValidationParameter', ['k1', J(['Org1MSP', 'Org2MSP'])], null],
  ['getStateValidationParameter', ['k1'], ['Org1MSP', 'Org2MSP']],
  ['getStateValidationParameter', ['k9'], null],
  ['getMultipleStates', [J(['k1', 'k2'])], ['v1', '']],
  ['getStateByRange', ['', ''], [{ key: 'k1', value: 'v1' }]],
  ['getStateByRangeWithPagination', ['', '', '5', ''], { records: [{ key: 'k1', value: 'v1' }], metadata: { fetchedRecordsCount: 1, bookmark: '' } }],
  ['putState', ['\u0000color\u0000blue\u00001\u0000', 'x'], null],
  ['getStateByPartialCompositeKey', ['color', J(['blue'])], [{ key: '\u0000color\u0000blue\u00001\u0000', value: 'x' }]],
  ['getStateByPartialCompositeKeyWithPagination', ['color', J([]), '5', ''], { records: [{ key: '\u0000color\u0000blue\u00001\u0000', value: 'x' }], metadata: { fetchedRecordsCount: 1 } }],
  ['getAllStatesCompositeKeyWithPagination', ['5', ''], { records: [{ key: '\u0000color\u0000blue\u00001\u0000', value: 'x' }] }],
  ['putState', ['doc', J({ type: 'doc', n: 1 })], null],
  ['getQueryResult', [J({ selector: { type: 'doc' } })], [{ key: 'doc', value: J({ type: 'doc', n: 1 }) }]],
  ['getQueryResultWithPagination', [J({ selector: { type: 'doc' } }), '5', ''], { records: [{ key: 'doc' }] }],
  ['getHistoryForKey', ['k1'], [{ value: 'v1', isDelete: false }]],
  ['invokeChaincode', ['other', J(['fn', 'a']), 'ch2'], { status: 200, message: 'other/ch2', payload: 'fn,a' }],
  ['setEvent', ['ev', 'data'], null],
  ['createCompositeKey', ['t', J(['a', 'b'])], '\u0000t\u0000a\u0000b\u0000'],
  ['splitCompositeKey', ['t', J(['a', 'b'])], { objectType: 't', attributes: ['a', 'b'] }],
  ['putPrivateData', ['c1', 'pk', 'pv'], null],
  ['putPrivateDataFromTransient', ['c1', 'pk2', 't'], null],
  ['getPrivateData', ['c1', 'pk2'], 'secret'],
  ['getPrivateDataHash', ['c1', 'pk'], expect.stringMatching(/^[0-9a-f]{64}$/)],
  ['getMultiplePrivateData', ['c1', J(['pk', 'nope'])], ['pv', '']],
  ['setPrivateDataValidationParameter', ['c1', 'pk', J(['Org3MSP'])], null],
  ['getPrivateDataValidationParameter', ['c1', 'pk'], ['Org3MSP']],
  ['getPrivateDataByRange', ['c1', '', ''], [{ key: 'pk', value: 'pv' }, { key: 'pk2', value: 'secret' }]],
  ['getPrivateDataByPartialCompositeKey', ['c1', 'T', J([])], []],
  ['getPrivateDataQueryResult', ['c1', J({ selector: {} })], []],
  ['deletePrivateData', ['c1', 'pk'], null],
  ['purgePrivateData', ['c1', 'pk2'], null],
  ['batchPut', [J([['w1', '1'], ['w2', '2']]), 'finish'], null],
  ['batchPut', [J([['w3', '3']])], null],
  ['getMultipleStates', [J(['w1', 'w2', 'w3'])], ['1', '2', '3']],
  ['clientIdentity', ['level', 'client'], { mspid: 'Org1MSP', attr: '3', ou: true, id: expect.stringContaining('CN=allstub-user') }],
];

describe('allStub fixture [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('every command works on the in-memory peer', async () => {
    const ledger = new StandInLedger();
    const h = await Harness.start({ chaincode: allStub, serve: richServe(ledger), readyParams: FABRIC_31_READY_PARAMS, env: { CORE_PEER_LOCALMSPID: 'PeerMSP' } });
    const proposal = makeProposal({ mspid: 'Org1MSP', certPem: user.certPem, txId: 'proposal-tx', transient: { t: new TextEncoder().encode('secret') } });
    for (const [cmd, params, expected] of COMMANDS) {
      const r = await h.invoke([cmd, ...params], { proposal });
      expect(r.ok ? r.response.status : r.message, cmd).toBe(200);
      const got = r.ok ? JSON.parse(utf8(r.response.payload)) : undefined;
      if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && !('asymmetricMatch' in expected)) expect(got, cmd).toMatchObject(expected);
      else if (Array.isArray(expected)) expect(got, cmd).toMatchObject(expected);
      else expect(got, cmd).toEqual(expected);
    }
    expect(h.sent().some((m) => m.type === 'WRITE_BATCH_STATE')).toBe(true);
  });

  it('init, errors, missing responses and statuses on command', async () => {
    const h = await Harness.start({ chaincode: allStub });
    expect(await h.invoke([], { init: true })).toMatchObject({ ok: true, response: { status: 200 } });
    expect(await h.invoke(['throw', 'on purpose'])).toMatchObject({ ok: false, message: 'transaction returned with failure: on purpose' });
    expect(await h.invoke(['noResponse'])).toMatchObject({ ok: true, response: { status: 500 } });
    expect(await h.invoke(['status', '404', 'not here'])).toMatchObject({ ok: true, response: { status: 404, message: 'not here' } });
    expect(await h.invoke(['status', '201', 'made'])).toMatchObject({ ok: true, response: { status: 201, message: 'made' } });
    expect(await h.invoke(['whatever'])).toMatchObject({ ok: false, message: 'transaction returned with failure: unknown command whatever' });
  });

  it('the commands reach every public ChaincodeStub method', () => {
    const methods = Object.getOwnPropertyNames(ChaincodeStub.prototype).filter((n) => n !== 'constructor');
    const via: Record<string, string> = { startWriteBatch: 'batchPut', finishWriteBatch: 'batchPut' };
    const commands = new Set(COMMANDS.map(([c]) => c));
    expect(methods.filter((m) => !commands.has(via[m] ?? m))).toEqual([]);
    expect(methods.length).toBeGreaterThanOrEqual(45);
  });
});
