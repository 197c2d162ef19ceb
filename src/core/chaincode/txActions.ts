/** Effects of the chaincodeTx chart's named actions (machines/chaincodeTx.machine.ts). */
import { inputOf } from '../event.js';
import type { ChaincodeTxAction } from '../../../machines/index.js';
import { errorText, utf8Bytes, type MessageOf } from '../../protocol/messages.js';
import type { SettleRequestEffect } from '../../protocol/effects.js';
import type { RequestMessage } from '../../protocol/inputs.js';
import { rememberFinished } from '../finished.js';
import { txDelete } from '../txTable.js';
import { emitViolation } from '../violation.js';
import { chaincodeViolation, type ChaincodeStep } from './context.js';
import type { ChaincodeTxRecord } from './state.js';

type TxAction = (step: ChaincodeStep, rec: ChaincodeTxRecord) => void;

function settlePending(step: ChaincodeStep, rec: ChaincodeTxRecord, outcome: SettleRequestEffect['outcome']): void {
  if (rec.pendingId === null) return;
  step.effects.push({ kind: 'settleRequest', channelId: rec.channelId, txid: rec.txid, requestId: rec.pendingId, outcome });
  rec.pendingId = null;
  rec.pendingType = null;
}

/** Settle the held stub calls, which never went out, with an error each. */
function settleHeld(step: ChaincodeStep, rec: ChaincodeTxRecord, message: (type: string) => string): void {
  for (const { requestId, message: request } of rec.held.splice(0)) {
    step.effects.push({ kind: 'settleRequest', channelId: rec.channelId, txid: rec.txid, requestId, outcome: { ok: false, message: message(request.type) } });
  }
}

function send(step: ChaincodeStep, rec: ChaincodeTxRecord, requestId: number, message: RequestMessage): void {
  rec.pendingId = requestId;
  rec.pendingType = message.type;
  step.effects.push({ kind: 'send', message });
}

/** One implementation per effect action of machines/chaincodeTx.machine.ts (checked by type here and at load in step.ts). */
export const chaincodeTxActions: Readonly<Record<ChaincodeTxAction, TxAction>> = {
  runChaincode(step, rec) {
    const m = step.event.input.kind === 'recv' ? step.event.input.message : undefined;
    if (m?.type !== 'INIT' && m?.type !== 'TRANSACTION') return;
    step.effects.push({
      kind: 'runChaincode',
      channelId: rec.channelId,
      txid: rec.txid,
      txType: rec.txType,
      input: (m as MessageOf<'INIT'>).payload,
      proposal: m.proposal,
    });
  },
  sendRequest(step, rec) {
    const input = inputOf(step.input, 'appRequest');
    send(step, rec, input.requestId, input.message);
  },
  holdRequest(step, rec) {
    const input = inputOf(step.input, 'appRequest');
    rec.held.push({ requestId: input.requestId, message: input.message });
  },
  sendHeldRequest(step, rec) {
    // The chart sends this only when a call is held (guard hasHeldRequest), after the reply before
    // it was settled.
    const next = rec.held.shift()!;
    send(step, rec, next.requestId, next.message);
  },
  settleRequestWithResponse(step, rec) {
    const m = step.event.message;
    if (m?.type !== 'RESPONSE') return;
    settlePending(step, rec, { ok: true, payload: m.payload });
  },
  settleRequestWithError(step, rec) {
    const m = step.event.message;
    // The peer's text verbatim, as the Go and Node shims surface it.
    settlePending(step, rec, { ok: false, message: m?.type === 'ERROR' ? errorText(m.payload) : 'error' });
  },
  settleRequestTxEnded(step, rec) {
    settlePending(step, rec, { ok: false, message: `transaction ${rec.txid} finished before the reply to ${rec.pendingType ?? 'the request'} arrived` });
    settleHeld(step, rec, (type) => `transaction ${rec.txid} finished before ${type} was sent`);
  },
  settleRequestStreamClosed(step, rec) {
    settlePending(step, rec, { ok: false, message: 'chaincode stream terminated' });
    settleHeld(step, rec, () => 'chaincode stream terminated');
  },
  reportUnexpectedResponse(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'UNEXPECTED_RESPONSE', blame: 'remote', expected: 'no reply: nothing is outstanding' }));
  },
  sendCompleted(step, rec) {
    const input = inputOf(step.input, 'appResult');
    step.effects.push({
      kind: 'send',
      message: { type: 'COMPLETED', txid: rec.txid, channelId: rec.channelId, payload: input.response, chaincodeEvent: input.event },
    });
  },
  sendFailure(step, rec) {
    const input = inputOf(step.input, 'appFailed');
    step.effects.push({
      kind: 'send',
      message: { type: 'ERROR', txid: rec.txid, channelId: rec.channelId, payload: utf8Bytes(input.message), chaincodeEvent: input.event },
    });
  },
  endTransaction(step, rec) {
    txDelete(step.state.txs, rec.channelId, rec.txid);
    rememberFinished(step.state.finished, rec.channelId, rec.txid);
    const how = rec.value === 'completed' ? 'completed' : rec.value === 'failed' ? 'failed' : 'aborted';
    step.effects.push({ kind: 'txEnded', channelId: rec.channelId, txid: rec.txid, how });
  },
};
