/**
 * Parity with a real Fabric v2.5 peer (issue 9, item 6), with our runtime's allStub chaincode
 * launched by the dev peer:
 * - a failed transaction says what the endorser says: `error in simulation: transaction returned
 *   with failure: <message>` for an ERROR (core/endorser/endorser.go ProcessProposalSuccessfullyOrError
 *   around core/chaincode/chaincode_support.go processChaincodeExecutionResult); a COMPLETED with a
 *   status >= 400 is returned unchanged;
 * - a chaincode-to-chaincode call to a chaincode that does not exist: the caller's INVOKE_CHAINCODE
 *   gets `INVOKE_CHAINCODE failed: transaction ID: <txid>: execute failed: invalid invocation:
 *   [channel <ch>] failed to get chaincode container info for <name>: chaincode <name> not found`
 *   (core/chaincode/handler.go HandleTransaction, HandleInvokeChaincode; chaincode_support.go Invoke,
 *   CheckInvocation; core/scc/lscc/lscc.go ChaincodeEndorsementInfo);
 * - init-required chaincode (lifecycle InitRequired, chaincode_support.go CheckInvocation): per
 *   channel, the first invocation must be an Init, one Init only; the flag lives in the world state
 *   (and survives a restart on LevelDB);
 * - proposals carry nanosecond timestamps (what getTxTimestamp returns).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { INITIALIZED_KEY } from '../../../src/peer/fabricTexts.js';
import { ALLSTUB, traceRecorder, tsxCommand } from '../../chaincode/devpeer/helpers.js';
import { REPO, cleanup, closePeer, evaluate, executeFailed, startPeer, submit, tempDir, waitReady, type TestPeer } from './helpers.js';

const J = JSON.stringify;
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));
const allstub = { kind: 'process' as const, command: tsxCommand(ALLSTUB), cwd: REPO };

let t: TestPeer | undefined;
afterEach(async () => {
  await closePeer(t);
  t = undefined;
});
afterAll(cleanup);

describe('a failed transaction has the endorser\'s text', () => {
  it('ERROR → status 500 `error in simulation: transaction returned with failure: …`; status >= 400 unchanged', async () => {
    t = await startPeer({ chaincodes: { cc: allstub } });
    await waitReady(t.peer, 'cc', 30_000);
    const thrown = await submit(t.peer, 'cc', ['throw', 'out of stock']);
    expect(thrown).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: out of stock', committed: false, events: [] });
    const queried = await evaluate(t.peer, 'cc', ['throw', 'out of stock']);
    expect(queried.message).toBe('error in simulation: transaction returned with failure: out of stock');
    // A COMPLETED with status >= 400 is the chaincode's own answer: not an error of the endorser's.
    expect(await submit(t.peer, 'cc', ['status', '500', 'asset9 does not exist'])).toMatchObject({ status: 500, message: 'asset9 does not exist', committed: false });
    expect(await evaluate(t.peer, 'cc', ['status', '404', 'not here'])).toMatchObject({ status: 404, message: 'not here' });
  }, 60_000);

  it('an undefined chaincode: the endorser\'s lookup fails before anything runs', async () => {
    t = await startPeer({ devMode: false });
    const r = await evaluate(t.peer, 'ghost', ['x'], { channel: 'ch7' });
    expect(r).toMatchObject({ status: 500, message: 'make sure the chaincode ghost has been successfully defined on channel ch7 and try again: chaincode ghost not found' });
    // In dev mode (the default) the answer adds how to start a user-run chaincode.
    await closePeer(t);
    t = await startPeer();
    const dev = await evaluate(t.peer, 'ghost', ['x']);
    expect(dev.message).toBe(
      `make sure the chaincode ghost has been successfully defined on channel mychannel and try again: chaincode ghost not found (dev mode: start it with CORE_CHAINCODE_ID_NAME=ghost:1.0 and --peer.address=${t.peer.chaincodeAddress})`,
    );
  });
});

describe('chaincode-to-chaincode call to a chaincode that does not exist', () => {
  it('the caller gets Invoke\'s error from its INVOKE_CHAINCODE; the client sees what the caller made of it', async () => {
    t = await startPeer({ chaincodes: { cc: allstub } });
    await waitReady(t.peer, 'cc', 30_000);
    // allStub's invokeChaincode lets the rejection through: the transaction answers ERROR with it.
    const r = await evaluate(t.peer, 'cc', ['invokeChaincode', 'nosuch', J(['getState', 'k']), '']);
    const received = `INVOKE_CHAINCODE failed: transaction ID: ${r.txId}: execute failed: invalid invocation: [channel mychannel] failed to get chaincode container info for nosuch: chaincode nosuch not found`;
    expect(r).toMatchObject({ status: 500, message: `error in simulation: transaction returned with failure: ${received}` });
    // The target's channel is in the text (name/channel form of the target).
    const other = await evaluate(t.peer, 'cc', ['invokeChaincode', 'nosuch', J(['getState', 'k']), 'ch2']);
    expect(other.message).toBe(
      `error in simulation: transaction returned with failure: INVOKE_CHAINCODE failed: transaction ID: ${other.txId}: execute failed: invalid invocation: [channel ch2] failed to get chaincode container info for nosuch: chaincode nosuch not found`,
    );
  }, 60_000);
});

describe('init-required chaincode (lifecycle InitRequired)', () => {
  const notInitialized = (r: { txId: string }, name = 'cc'): string =>
    executeFailed(r, `invalid invocation: chaincode '${name}' has not been initialized for this version, must call as init first`);
  const alreadyInitialized = (r: { txId: string }, name = 'cc'): string => executeFailed(r, `invalid invocation: chaincode '${name}' is already initialized but called as init`);

  it('per channel: an invoke before the Init is refused without running, one Init only, then invokes run', async () => {
    const rec = traceRecorder();
    t = await startPeer({ chaincodes: { cc: allstub, caller: allstub }, initRequired: ['cc'], trace: rec.trace });
    await waitReady(t.peer, 'cc', 30_000);
    await waitReady(t.peer, 'caller', 30_000);
    expect(t.peer.listChaincodes().find((c) => c.name === 'cc')).toMatchObject({ name: 'cc', initRequired: true, state: 'ready' });
    expect(t.peer.listChaincodes().find((c) => c.name === 'caller')).not.toHaveProperty('initRequired');

    const early = await submit(t.peer, 'cc', ['putState', 'k', 'v']);
    expect(early).toMatchObject({ status: 500, message: notInitialized(early), committed: false });
    expect(rec.of(early.txId)).toEqual([]); // refused before anything was sent to the chaincode
    const earlyQuery = await evaluate(t.peer, 'cc', ['getState', 'k']);
    expect(earlyQuery.message).toBe(notInitialized(earlyQuery));

    // An evaluated Init runs, but commits nothing: still not initialized.
    const dryInit = await evaluate(t.peer, 'cc', ['putState', 'k', 'dry'], { init: true });
    expect(dryInit.status).toBe(200);
    expect(rec.of(dryInit.txId, 'cc').map((m) => `${m.direction} ${m.type}`)).toEqual(['out INIT', 'in PUT_STATE', 'out RESPONSE', 'in COMPLETED']);
    expect((await submit(t.peer, 'cc', ['putState', 'k', 'v'])).status).toBe(500);
    // A failing Init is not committed either.
    const badInit = await submit(t.peer, 'cc', ['throw', 'init failed'], { init: true });
    expect(badInit).toMatchObject({ status: 500, message: 'error in simulation: transaction returned with failure: init failed', committed: false });

    const init = await submit(t.peer, 'cc', ['putState', 'k', 'from init'], { init: true });
    expect(init).toMatchObject({ status: 200, committed: true });
    // Fabric's record of it: the definition's version under the reserved key of the chaincode's namespace.
    expect(dec((await t.peer.worldState.getCommitted('mychannel', 'cc', INITIALIZED_KEY))?.value)).toBe('1.0');
    expect(INITIALIZED_KEY).toBe('\u0000\u{10FFFF}initialized');

    const again = await submit(t.peer, 'cc', ['putState', 'k', 'twice'], { init: true });
    expect(again).toMatchObject({ status: 500, message: alreadyInitialized(again), committed: false });
    expect(rec.of(again.txId)).toEqual([]);
    expect((await evaluate(t.peer, 'cc', ['getState', 'k'])).json()).toBe('from init');
    expect((await submit(t.peer, 'cc', ['putState', 'k', 'v2'])).status).toBe(200);

    // Another channel has its own ledger: not initialized there.
    const elsewhere = await submit(t.peer, 'cc', ['putState', 'k', 'v'], { channel: 'ch2' });
    expect(elsewhere.message).toBe(notInitialized(elsewhere));
    // A chaincode calling it there gets Invoke's error.
    const nested = await evaluate(t.peer, 'caller', ['invokeChaincode', 'cc', J(['getState', 'k']), ''], { channel: 'ch2' });
    expect(nested.message).toBe(
      `error in simulation: transaction returned with failure: INVOKE_CHAINCODE failed: transaction ID: ${nested.txId}: execute failed: invalid invocation: chaincode 'cc' has not been initialized for this version, must call as init first`,
    );
    expect((await submit(t.peer, 'cc', [], { channel: 'ch2', init: true })).status).toBe(200);
    expect((await evaluate(t.peer, 'caller', ['invokeChaincode', 'cc', J(['getState', 'k']), ''], { channel: 'ch2' })).json()).toEqual({ status: 200, message: '', payload: J('') });

    // A chaincode that does not require initialization: Init is still sent (docs/deviations.md).
    expect((await submit(t.peer, 'caller', ['putState', 'c', '1'], { init: true })).status).toBe(200);
  }, 90_000);

  it('the flag is in the world state: on LevelDB it survives a restart', async () => {
    const dataDir = tempDir('ccproto-initreq-');
    t = await startPeer({ dataDir, chaincodes: { cc: allstub }, initRequired: ['cc'] });
    await waitReady(t.peer, 'cc', 30_000);
    expect((await submit(t.peer, 'cc', ['putState', 'k', 'v'], { init: true })).status).toBe(200);
    await closePeer(t);
    t = await startPeer({ dataDir, chaincodes: { cc: allstub }, initRequired: ['cc'] });
    await waitReady(t.peer, 'cc', 30_000);
    expect((await submit(t.peer, 'cc', ['putState', 'k', 'after restart'])).status).toBe(200);
    const again = await submit(t.peer, 'cc', [], { init: true });
    expect(again.message).toBe(alreadyInitialized(again));
  }, 90_000);

  it('an init-required chaincode nobody runs yet counts as defined: the launch is what fails', async () => {
    t = await startPeer({ devMode: false, initRequired: ['later'] });
    expect(t.peer.listChaincodes()).toEqual([{ name: 'later', launch: 'external', state: 'idle', initRequired: true }]);
    const r = await evaluate(t.peer, 'later', ['x']);
    expect(r.message).toBe(notInitialized(r, 'later'));
    const init = await evaluate(t.peer, 'later', ['x'], { init: true });
    expect(init.message).toBe(executeFailed(init, 'could not launch chaincode later: chaincode is not running'));
  });
});

describe('proposal timestamps have nanoseconds', () => {
  it('getTxTimestamp sees exactly the peer clock\'s nanoseconds', async () => {
    let now = 1_767_323_045_123_456_789n;
    t = await startPeer({ chaincodes: { cc: allstub }, nowNanos: () => now++ });
    await waitReady(t.peer, 'cc', 30_000);
    expect((await evaluate(t.peer, 'cc', ['getTxTimestamp'])).json()).toEqual({ seconds: '1767323045', nanos: 123_456_789 });
    expect((await evaluate(t.peer, 'cc', ['getTxTimestamp'])).json()).toEqual({ seconds: '1767323045', nanos: 123_456_790 });
  }, 60_000);

  it('with the system clock: two transactions in a row differ below the millisecond', async () => {
    t = await startPeer({ chaincodes: { cc: allstub } });
    await waitReady(t.peer, 'cc', 30_000);
    const a = (await evaluate(t.peer, 'cc', ['getTxTimestamp'])).json<{ seconds: string; nanos: number }>();
    const b = (await evaluate(t.peer, 'cc', ['getTxTimestamp'])).json<{ seconds: string; nanos: number }>();
    const ns = (x: { seconds: string; nanos: number }): bigint => BigInt(x.seconds) * 1_000_000_000n + BigInt(x.nanos);
    expect(ns(b)).toBeGreaterThan(ns(a));
    // A nanosecond clock gives a multiple of 1 ms once in a million readings; both: never.
    expect(a.nanos % 1_000_000 !== 0 || b.nanos % 1_000_000 !== 0).toBe(true);
    expect(Math.abs(Number(ns(a) / 1_000_000n) - Date.now())).toBeLessThan(60_000);
  }, 60_000);
});
