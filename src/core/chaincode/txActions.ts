/** Effects of the chaincodeTx chart's named actions (machines/chaincodeTx.machine.ts). */
import { inputOf } from '../event.js';
import type { ChaincodeTxAction } from '../../../machines/index.js';
import { errorText, utf8Bytes, type MessageOf } from '../../protocol/messages.js';
import type { SettleRequestEffect } from '../../protocol/effects.js';
import { txKey } from '../../protocol/txKey.js';
import { rememberFinished } from '../finished.js';
import { emitViolation } from '../violation.js';
import { chaincodeViolation, failRequestInput, type ChaincodeStep } from './context.js';
import type { ChaincodeTxRecord } from './state.js';

type TxAction = (step: ChaincodeStep, rec: ChaincodeTxRecord) => void;

function settlePending(step: ChaincodeStep, rec: ChaincodeTxRecord, outcome: SettleRequestEffect['outcome']): void {
  if (rec.pendingId === null) return;
  step.effects.push({ kind: 'settleRequest', channelId: rec.channelId, txid: rec.txid, requestId: rec.pendingId, outcome });
  rec.pendingId = null;
  rec.pendingType = null;
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
    rec.pendingId = input.requestId;
    rec.pendingType = input.message.type;
    step.effects.push({ kind: 'send', message: input.message });
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
  },
  settleRequestStreamClosed(step, rec) {
    settlePending(step, rec, { ok: false, message: 'chaincode stream terminated' });
  },
  rejectConcurrentRequest(step) {
    const v = chaincodeViolation(step, { code: 'CONCURRENT_REQUEST', blame: 'local', expected: 'one request in flight per transaction' });
    emitViolation(step.effects, v, (text) => failRequestInput(step, text));
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
    const key = txKey(rec.channelId, rec.txid);
    delete step.state.txs[key];
    rememberFinished(step.state.finished, key);
    const how = rec.value === 'completed' ? 'completed' : rec.value === 'failed' ? 'failed' : 'aborted';
    step.effects.push({ kind: 'txEnded', channelId: rec.channelId, txid: rec.txid, how });
  },
};
