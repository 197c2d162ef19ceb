/**
 * Effects of the peerTx chart's named actions (machines/peerTx.machine.ts), for one transaction
 * record. Texts are Fabric's (fabric core/chaincode/handler.go Execute, HandleTransaction).
 */
import { inputOf } from '../event.js';
import type { PeerTxAction } from '../../../machines/index.js';
import { errorText, EMPTY_BYTES } from '../../protocol/messages.js';
import { errorMessage, requestFailedText } from '../../protocol/wireError.js';
import type { RequestMessage } from '../../protocol/inputs.js';
import type { RequestTypeName } from '../../protocol/messageType.js';
import type { SettleExecuteEffect } from '../../protocol/effects.js';
import { txKey } from '../../protocol/txKey.js';
import { rememberFinished } from '../finished.js';
import { txDelete } from '../txTable.js';
import { emitViolation } from '../violation.js';
import { peerViolation, type PeerStep } from './context.js';
import type { PeerTxRecord } from './state.js';

type TxAction = (step: PeerStep, rec: PeerTxRecord) => void;

/**
 * The reply to a served request: RESPONSE with the result, or ERROR with Fabric's text
 * (handler.go HandleTransaction: `<TYPE> failed: transaction ID: <txid>: <cause>`).
 */
export function sendServeReply(step: PeerStep, to: { channelId: string; txid: string }, type: RequestTypeName | 'UNDEFINED'): void {
  const input = inputOf(step.input, 'serveResult');
  const message = input.result.ok
    ? { type: 'RESPONSE' as const, txid: to.txid, channelId: to.channelId, payload: input.result.payload }
    : errorMessage(to.channelId, to.txid, requestFailedText(type, to.txid, input.result.cause));
  step.effects.push({ kind: 'send', message });
}

/** The reply to the request `rec` is being served with; the transaction waits for none now. */
function answerServedRequest(step: PeerStep, rec: PeerTxRecord): void {
  sendServeReply(step, rec, rec.pending ?? 'UNDEFINED');
  rec.pending = null;
  rec.serveId = 0;
}

function settle(step: PeerStep, rec: PeerTxRecord, outcome: SettleExecuteEffect['outcome']): void {
  step.effects.push({ kind: 'settleExecute', executeId: rec.executeId, channelId: rec.channelId, txid: rec.txid, outcome });
}

function clearTimer(step: PeerStep, rec: PeerTxRecord): void {
  if (rec.timerId) {
    step.state.timers.delete(rec.timerId);
    rec.timerId = '';
  }
}

/** One implementation per effect action of machines/peerTx.machine.ts (checked by type here and at load in step.ts). */
export const peerTxActions: Readonly<Record<PeerTxAction, TxAction>> = {
  sendInvocation(step, rec) {
    const input = inputOf(step.input, 'appExecute');
    step.effects.push({
      kind: 'send',
      message: { type: rec.txType, txid: rec.txid, channelId: rec.channelId, payload: input.input, proposal: input.proposal },
    });
  },
  startExecuteTimer(step, rec) {
    const input = inputOf(step.input, 'appExecute');
    const id = `t${step.state.nextTimer++}`;
    step.state.timers.set(id, txKey(rec.channelId, rec.txid));
    rec.timerId = id;
    step.effects.push({ kind: 'startTimer', timerId: id, timer: 'executeTimeout', deadline: step.now + input.timeoutMs });
  },
  cancelExecuteTimer(step, rec) {
    if (!rec.timerId) return;
    step.effects.push({ kind: 'cancelTimer', timerId: rec.timerId });
    clearTimer(step, rec);
  },
  serveRequest(step, rec) {
    const request = step.event.message as RequestMessage;
    rec.pending = request.type;
    rec.serveId = step.state.nextServe++;
    step.effects.push({ kind: 'serveRequest', serveId: rec.serveId, request });
  },
  // The chart names the two outcomes (serveSucceeded); the serve result itself says which reply.
  sendResponse: answerServedRequest,
  sendRequestError: answerServedRequest,
  rejectConcurrentRequest(step) {
    emitViolation(
      step.effects,
      peerViolation(step, { code: 'CONCURRENT_REQUEST', blame: 'remote', expected: 'the reply to the outstanding request first' }),
    );
  },
  rejectMalformedRequest(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'MALFORMED_PAYLOAD', blame: 'remote', expected: 'a parsable request payload' }));
  },
  settleCompleted(step, rec) {
    const m = step.event.message;
    if (m?.type !== 'COMPLETED') return;
    settle(step, rec, { ok: true, response: m.payload, event: m.chaincodeEvent });
  },
  settleChaincodeError(step, rec) {
    const m = step.event.message;
    const payload = m?.type === 'ERROR' ? m.payload : EMPTY_BYTES;
    // fabric core/chaincode/chaincode_support.go processChaincodeExecutionResult.
    settle(step, rec, { ok: false, failure: 'chaincodeError', message: `transaction returned with failure: ${errorText(payload)}`, errorPayload: payload });
  },
  settleMalformedReply(step, rec) {
    const reason = step.event.malformed?.reason ?? '';
    emitViolation(step.effects, peerViolation(step, { code: 'MALFORMED_PAYLOAD', blame: 'remote', expected: 'a parsable COMPLETED payload' }));
    settle(step, rec, { ok: false, failure: 'malformedReply', message: `failed to unmarshal chaincode response: ${reason}`, cause: reason });
  },
  settleTimedOut(step, rec) {
    clearTimer(step, rec);
    settle(step, rec, { ok: false, failure: 'timeout', message: 'timeout expired while executing transaction' });
  },
  settleStreamTerminated(step, rec) {
    settle(step, rec, { ok: false, failure: 'streamTerminated', message: 'chaincode stream terminated' });
  },
  endTransaction(step, rec) {
    txDelete(step.state.txs, rec.channelId, rec.txid);
    rememberFinished(step.state.finished, rec.channelId, rec.txid);
    // A request still being served outlives its transaction: Fabric's HandleTransaction sends its
    // answer whenever it comes (handlerActions answerOrphanedRequest).
    if (rec.pending !== null) step.state.orphans[rec.serveId] = { channelId: rec.channelId, txid: rec.txid, type: rec.pending };
  },
};
