/**
 * Effects of the peerHandler chart's named actions (machines/peerHandler.machine.ts), including
 * routing to transaction charts by (channel, txid).
 */
import { EMPTY_BYTES } from '../../protocol/messages.js';
import type { PeerHandlerAction } from '../../../machines/index.js';
import { boundRun, stepChart } from '../chartCompiler.js';
import { peerTxChart } from '../compiledCharts.js';
import { coreEvent, inputOf, type CoreEvent } from '../event.js';
import { txPut, txRecords } from '../txTable.js';
import { emitViolation, unhandledEvent } from '../violation.js';
import { peerViolation, type PeerStep } from './context.js';
import type { PeerTxRecord } from './state.js';
import { peerTxActions, sendServeReply } from './txActions.js';

/** The peerTx chart has no context (machines/peerTx.machine.ts). */
const NO_CONTEXT: Readonly<Record<string, never>> = Object.freeze({});

/** Step one transaction chart and run its actions. */
export function runTx(step: PeerStep, rec: PeerTxRecord, event: CoreEvent): void {
  const next = stepChart(peerTxChart, rec.value, NO_CONTEXT, event, step.onTaken);
  if (!next) {
    // Nothing is dropped unnamed: an event the transaction chart does not handle is a violation.
    emitViolation(step.effects, { ...unhandledEvent('peer', `${step.from}/${rec.value}`, event.type), channelId: rec.channelId, txid: rec.txid });
    return;
  }
  rec.value = next.value;
  for (const fn of boundRun<(step: PeerStep, rec: PeerTxRecord) => void>(next)) fn(step, rec);
}

/** Refuse the execute of this step's `appExecute` input: a local violation, settled as a failure. */
function refuseExecute(step: PeerStep, code: 'NOT_READY' | 'STREAM_CLOSED' | 'DUPLICATE_TX', expected: string): void {
  const input = inputOf(step.input, 'appExecute');
  const v = peerViolation(step, { code, blame: 'local', expected, channelId: input.channelId, txid: input.txid });
  emitViolation(step.effects, v, (text) =>
    step.effects.push({
      kind: 'settleExecute',
      executeId: input.executeId,
      channelId: input.channelId,
      txid: input.txid,
      outcome: { ok: false, failure: code === 'STREAM_CLOSED' ? 'streamTerminated' : 'refused', message: text },
    }),
  );
}

function refuseRegistrationCause(step: PeerStep): string {
  const { event, input } = step;
  if (event.malformed) return `error in handling register chaincode, failed to unmarshal ChaincodeID: ${event.malformed.reason}`;
  if (input.kind === 'registryVerdict') return input.reason ?? 'registration refused';
  // fabric core/chaincode/handler.go HandleRegister
  return 'error in handling register chaincode, chaincodeID name is empty';
}

/** One implementation per effect action of machines/peerHandler.machine.ts (checked by type here and at load in step.ts). */
export const peerHandlerActions: Readonly<Record<PeerHandlerAction, (step: PeerStep) => void>> = {
  requestRegistration(step) {
    step.effects.push({ kind: 'register', chaincodeName: step.state.handler.context.chaincodeName });
  },
  refuseRegistration(step) {
    emitViolation(
      step.effects,
      peerViolation(step, { code: 'REGISTER_REFUSED', blame: 'remote', expected: 'a REGISTER the registry accepts', cause: refuseRegistrationCause(step) }),
    );
  },
  sendRegistered(step) {
    step.effects.push({ kind: 'send', message: { type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES } });
  },
  sendReady(step) {
    step.effects.push({ kind: 'send', message: { type: 'READY', txid: '', channelId: '', payload: { ...step.state.options.readyParams } } });
  },
  notifyHandlerReady(step) {
    step.effects.push({ kind: 'handlerReady', chaincodeName: step.state.handler.context.chaincodeName });
  },
  startKeepalive(step) {
    const ms = step.state.options.keepaliveMs;
    if (ms <= 0) return;
    const id = `t${step.state.nextTimer++}`;
    step.state.timers.set(id, 'keepalive');
    step.state.keepaliveTimer = id;
    step.effects.push({ kind: 'startTimer', timerId: id, timer: 'keepalive', deadline: step.now + ms });
  },
  sendKeepalive(step) {
    // fabric core/chaincode/handler.go: a bare KEEPALIVE every `chaincode.keepalive`; the fired timer
    // is gone, so arm the next one.
    const fired = step.state.keepaliveTimer;
    if (fired) step.state.timers.delete(fired);
    step.state.keepaliveTimer = null;
    step.effects.push({ kind: 'send', message: { type: 'KEEPALIVE', txid: '', channelId: '', payload: EMPTY_BYTES } });
    peerHandlerActions.startKeepalive(step);
  },
  cancelKeepalive(step) {
    const id = step.state.keepaliveTimer;
    if (!id) return;
    step.state.timers.delete(id);
    step.state.keepaliveTimer = null;
    step.effects.push({ kind: 'cancelTimer', timerId: id });
  },
  ignoreKeepalive() {
    // fabric handler.go handleMessage ignores KEEPALIVE in every state, before any state check.
  },
  routeToTransaction(step) {
    // The chart routes here only events whose transaction is running (guard isForRunningTx).
    const rec = step.event.running as PeerTxRecord | undefined;
    if (rec) return runTx(step, rec, step.event);
    emitViolation(step.effects, unhandledEvent('peer', step.from, step.event.type));
  },
  rejectMessageForFinishedTx(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'TX_FINISHED', blame: 'remote', expected: 'a message for a running transaction' }));
  },
  rejectMessageForUnknownTx(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'UNKNOWN_TX', blame: 'remote', expected: 'a message for a running transaction' }));
  },
  startTransaction(step) {
    const input = inputOf(step.input, 'appExecute');
    const rec: PeerTxRecord = {
      value: peerTxChart.initial,
      channelId: input.channelId,
      txid: input.txid,
      txType: input.txType,
      executeId: input.executeId,
      timerId: '',
      pending: null,
      serveId: 0,
    };
    txPut(step.state.txs, input.channelId, input.txid, rec);
    runTx(step, rec, coreEvent('tx.start', input));
  },
  refuseDuplicateExecute(step) {
    refuseExecute(step, 'DUPLICATE_TX', 'a (channel, txid) that is not running');
  },
  refuseExecuteNotReady(step) {
    refuseExecute(step, 'NOT_READY', 'app.execute only in state ready');
  },
  refuseExecuteStreamClosed(step) {
    refuseExecute(step, 'STREAM_CLOSED', 'app.execute only in state ready');
  },
  rejectUnexpectedMessage(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'UNEXPECTED_MESSAGE', blame: 'remote', expected: expectedIn(step.from) }));
  },
  rejectMalformedEnvelope(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'MALFORMED_ENVELOPE', blame: 'remote', expected: 'a ChaincodeMessage' }));
  },
  closeStreamForShutdown(step) {
    step.effects.push({ kind: 'closeStream', reason: inputOf(step.input, 'appShutdown').reason });
  },
  failAllTransactions(step) {
    const event = coreEvent('handler.closed', step.input);
    for (const rec of txRecords(step.state.txs)) runTx(step, rec, event);
  },
  reportStaleVerdict(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'INVALID_COMMAND', blame: 'local', expected: 'registry.verdict only while registering' }));
  },
  reportMessageAfterClose(step) {
    emitViolation(step.effects, peerViolation(step, { code: 'STREAM_CLOSED', blame: 'remote', expected: 'nothing: the stream has ended' }));
  },
  ignoreStaleInput() {
    // A verdict or close notification that arrives after the thing it was for ended.
  },
  answerOrphanedRequest(step) {
    // The execute timed out (or a COMPLETED did not wait) while this request was served: Fabric's
    // HandleTransaction still sends the answer (handler.go serialSendAsync after the delegate), and
    // a shim blocked in the stub call goes on. Its COMPLETED then meets a finished transaction.
    const input = inputOf(step.input, 'serveResult');
    const orphan = step.state.orphans[input.serveId]!;
    delete step.state.orphans[input.serveId];
    sendServeReply(step, orphan, orphan.type);
  },
  ignoreStaleResult(step) {
    // The answer to a request nobody waits for any more: the stream ended while it was served, or
    // the drive answered twice. A race with the server, not a protocol event: nothing to report.
    if (step.input.kind === 'serveResult') delete step.state.orphans[step.input.serveId];
  },
  ignoreStaleTimer() {
    // A timer that fired after it was cancelled (its transaction ended, the stream closed): the
    // drive's cancel and the fire raced.
  },
};

function expectedIn(state: string): string {
  switch (state) {
    case 'created':
      return 'REGISTER (or KEEPALIVE)';
    case 'ready':
      return 'COMPLETED, ERROR, a shim request, or KEEPALIVE';
    default:
      return 'nothing but KEEPALIVE until READY is sent';
  }
}

