/**
 * INVOKE_CHAINCODE through the request server with a fake runtime: handler.go ParseName
 * (`name[:version][/channel]`), same-channel vs other-channel calls, the callee's final
 * ChaincodeMessage (COMPLETED or ERROR) marshalled as the RESPONSE payload, and
 * `execute failed: ...` for calls that did not reach a final message.
 */
import { describe, expect, it } from 'vitest';
import { parseChaincodeName, type InvokeCall, type InvokeOutcome } from '../../../src/peer/serve/index.js';
import type { ChaincodeSpec, Message } from '../../../src/protocol/messages.js';
import { decodeMessage, encodeMessage } from '../../../src/wire/index.js';
import { enc, expectCause, fakeInvoke, newSim, okPayload, openWs, req, serverFor } from './helpers.js';

const spec = (name: string, args: string[] = ['fn', 'a'], isInit = false): ChaincodeSpec => ({
  type: 0,
  chaincodeId: { name, path: '', version: '' },
  input: { args: args.map(enc), decorations: {}, isInit },
  timeout: 0,
});

const completed: Message = {
  type: 'COMPLETED',
  payload: { status: 200, message: 'fine', payload: enc('result') },
  txid: 'tx',
  channelId: 'ch1',
  chaincodeEvent: { chaincodeId: 'other', txId: 'tx', eventName: 'ev', payload: enc('e') },
};
const calleeError: Message = { type: 'ERROR', payload: enc('callee failed: boom'), txid: 'tx', channelId: 'ch1' };

describe('parseChaincodeName (handler.go ParseName)', () => {
  it.each([
    ['mycc', 'mycc', '', ''],
    ['mycc:1.0', 'mycc', '1.0', ''],
    ['mycc/ch2', 'mycc', '', 'ch2'],
    ['mycc:1.0/ch2', 'mycc', '1.0', 'ch2'],
    ['mycc:1.0:extra/ch2/more', 'mycc', '1.0:extra', 'ch2/more'],
    ['mycc/ch:2', 'mycc', '', 'ch:2'],
    ['mycc/', 'mycc', '', ''],
    [':v/ch', '', 'v', 'ch'],
    ['', '', '', ''],
  ])('%j -> name %j version %j channel %j', (input, chaincodeName, chaincodeVersion, channelId) => {
    expect(parseChaincodeName(input)).toEqual({ chaincodeName, chaincodeVersion, channelId });
  });
});

describe('INVOKE_CHAINCODE', () => {
  async function serveWith(answer: (call: InvokeCall) => InvokeOutcome | Promise<InvokeOutcome>) {
    const ws = await openWs();
    const invoke = fakeInvoke(answer);
    return { ws, invoke, serve: serverFor(newSim(ws), invoke) };
  }

  it('same channel: calls the runtime with the bare name and the caller\'s channel; payload = marshalled COMPLETED', async () => {
    const { ws, invoke, serve } = await serveWith(() => ({ ok: true, message: completed }));
    const r = await serve(req('INVOKE_CHAINCODE', spec('other')));
    expect(invoke.calls).toEqual([{ chaincode: 'other', channel: 'ch1', sameChannel: true, args: [enc('fn'), enc('a')], isInit: false }]);
    const payload = okPayload(r);
    expect(payload).toEqual(Uint8Array.from(encodeMessage(completed)));
    const nested = decodeMessage(payload);
    expect(nested.ok && nested.message).toEqual(completed);
    await ws.close();
  });

  it('a version suffix is dropped; an explicit channel equal to the caller\'s is the same channel', async () => {
    const { ws, invoke, serve } = await serveWith(() => ({ ok: true, message: completed }));
    await serve(req('INVOKE_CHAINCODE', spec('other:2.1')));
    await serve(req('INVOKE_CHAINCODE', spec('other:2.1/ch1')));
    await serve(req('INVOKE_CHAINCODE', spec('other/')));
    expect(invoke.calls.map((c) => [c.chaincode, c.channel, c.sameChannel])).toEqual([
      ['other', 'ch1', true],
      ['other', 'ch1', true],
      ['other', 'ch1', true],
    ]);
    await ws.close();
  });

  it('other channel: sameChannel=false with the target channel', async () => {
    const { ws, invoke, serve } = await serveWith(() => ({ ok: true, message: { ...completed, channelId: 'ch2' } }));
    const r = await serve(req('INVOKE_CHAINCODE', spec('other:1.0/ch2', ['q'])));
    expect(invoke.calls).toEqual([{ chaincode: 'other', channel: 'ch2', sameChannel: false, args: [enc('q')], isInit: false }]);
    const nested = decodeMessage(okPayload(r));
    expect(nested.ok && nested.message.channelId).toBe('ch2');
    await ws.close();
  });

  it('forwards ChaincodeInput.is_init', async () => {
    const { ws, invoke, serve } = await serveWith(() => ({ ok: true, message: completed }));
    await serve(req('INVOKE_CHAINCODE', spec('other', ['init'], true)));
    expect(invoke.calls[0]?.isInit).toBe(true);
    await ws.close();
  });

  it('a callee ERROR is a RESPONSE too, carrying the nested ERROR message bytes', async () => {
    const { ws, serve } = await serveWith(() => ({ ok: true, message: calleeError }));
    const r = await serve(req('INVOKE_CHAINCODE', spec('other')));
    const payload = okPayload(r);
    expect(payload).toEqual(Uint8Array.from(encodeMessage(calleeError)));
    const nested = decodeMessage(payload);
    expect(nested.ok && nested.message).toEqual(calleeError);
    await ws.close();
  });

  it('a failed call answers `execute failed: <cause>`', async () => {
    const { ws, serve } = await serveWith(() => ({ ok: false, cause: 'timeout expired while executing transaction' }));
    expectCause(await serve(req('INVOKE_CHAINCODE', spec('other'))), 'execute failed: timeout expired while executing transaction');
    await ws.close();
  });

  it('a throwing runtime counts as a failed call (its message is the cause)', async () => {
    const { ws, serve } = await serveWith(() => {
      throw new Error('could not launch chaincode other');
    });
    expectCause(await serve(req('INVOKE_CHAINCODE', spec('other'))), 'execute failed: could not launch chaincode other');
    const rejecting = serverFor(newSim(ws), () => Promise.reject(new Error('gone')));
    expectCause(await rejecting(req('INVOKE_CHAINCODE', spec('other'))), 'execute failed: gone');
    await ws.close();
  });

  it('failures Fabric reports before the Invoker (ACL, unknown ledger) stay unwrapped when the runtime says so', async () => {
    const { ws, serve } = await serveWith((c) => ({ ok: false, cause: `failed to find ledger for channel: ${c.channel}`, unwrapped: true }));
    expectCause(await serve(req('INVOKE_CHAINCODE', spec('other/nochannel'))), 'failed to find ledger for channel: nochannel');
    await ws.close();
  });

  it('a ChaincodeSpec without chaincode_id or input is a recovered panic; the runtime is not called', async () => {
    const { ws, invoke, serve } = await serveWith(() => ({ ok: true, message: completed }));
    expectCause(await serve(req('INVOKE_CHAINCODE', { ...spec('other'), chaincodeId: undefined })), 'panic during execution');
    expectCause(await serve(req('INVOKE_CHAINCODE', { ...spec('other'), input: undefined })), 'panic during execution');
    expect(invoke.calls).toEqual([]);
    await ws.close();
  });
});
