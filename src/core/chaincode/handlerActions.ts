/** Effects of the chaincodeHandler chart's named actions (machines/chaincodeHandler.machine.ts). */
import { errorText } from '../../protocol/messages.js';
import { txPut, txRecords } from '../txTable.js';
import type { Violation } from '../../protocol/violations.js';
import type { ChaincodeHandlerAction } from '../../../machines/index.js';
import { boundRun, stepChart } from '../chartCompiler.js';
import { chaincodeTxChart } from '../compiledCharts.js';
import { coreEvent, inputOf, type CoreEvent } from '../event.js';
import { emitViolation, unhandledEvent } from '../violation.js';
import { chaincodeViolation, failRequestInput, type ChaincodeStep } from './context.js';
import type { ChaincodeTxRecord } from './state.js';
import { chaincodeTxActions } from './txActions.js';

export function runTx(step: ChaincodeStep, rec: ChaincodeTxRecord, event: CoreEvent): void {
  const next = stepChart(chaincodeTxChart, rec.value, rec.context, event, step.onTaken);
  if (!next) {
    // Nothing is dropped unnamed: an event the transaction chart does not handle is a violation.
    emitViolation(step.effects, { ...unhandledEvent('chaincode', `${step.from}/${rec.value}`, event.type), channelId: rec.channelId, txid: rec.txid });
    return;
  }
  rec.value = next.value;
  rec.context = next.context;
  for (const fn of boundRun<(step: ChaincodeStep, rec: ChaincodeTxRecord) => void>(next)) fn(step, rec);
}

/** A local command the core refuses: reported, and the stub call behind it (if any) fails with the text. */
function refuseCommand(step: ChaincodeStep, code: Violation['code'], expected: string): void {
  emitViolation(step.effects, chaincodeViolation(step, { code, blame: 'local', expected }), (text) => failRequestInput(step, text));
}

/** One implementation per effect action of machines/chaincodeHandler.machine.ts (checked by type here and at load in step.ts). */
export const chaincodeHandlerActions: Readonly<Record<ChaincodeHandlerAction, (step: ChaincodeStep) => void>> = {
  sendRegister(step) {
    // The chaincode's first message in both connection modes; only ChaincodeID.name is set
    // (docs/protocol.md §6.1). This start is the one READY (or the handshake's end) answers.
    step.state.startId = inputOf(step.input, 'appStart').startId;
    const name = step.state.handler.context.chaincodeName;
    step.effects.push({ kind: 'send', message: { type: 'REGISTER', txid: '', channelId: '', payload: { name, path: '', version: '' } } });
  },
  notifyReady(step) {
    step.effects.push({ kind: 'ready', startId: step.state.startId, params: { ...step.state.handler.context.params } });
  },
  failHandshake(step) {
    step.effects.push({ kind: 'handshakeFailed', startId: step.state.startId, reason: handshakeFailure(step) });
  },
  echoKeepalive(step) {
    // The Go shim echoes the same message in every state (shim/handler.go handleMessage).
    const m = step.event.message;
    if (m) step.effects.push({ kind: 'send', message: m });
  },
  startTransaction(step) {
    const m = step.event.message;
    if (m?.type !== 'INIT' && m?.type !== 'TRANSACTION') return;
    const rec: ChaincodeTxRecord = {
      value: chaincodeTxChart.initial,
      channelId: m.channelId,
      txid: m.txid,
      txType: m.type,
      context: { ...chaincodeTxChart.initialContext },
      pendingId: null,
      pendingType: null,
      held: [],
    };
    txPut(step.state.txs, m.channelId, m.txid, rec);
    runTx(step, rec, coreEvent('tx.start', step.input));
  },
  rejectDuplicateTransaction(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'DUPLICATE_TX', blame: 'remote', expected: 'a (channel, txid) that is not running' }));
  },
  routeToTransaction(step) {
    // The chart routes here only events whose transaction is running (guard isForRunningTx).
    const rec = step.event.running as ChaincodeTxRecord | undefined;
    if (rec) return runTx(step, rec, step.event);
    emitViolation(step.effects, unhandledEvent('chaincode', step.from, step.event.type), (text) => failRequestInput(step, text));
  },
  rejectReplyForFinishedTx(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'TX_FINISHED', blame: 'remote', expected: 'a reply for a running transaction' }));
  },
  rejectReplyForUnknownTx(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'UNKNOWN_TX', blame: 'remote', expected: 'a reply for a running transaction' }));
  },
  refuseCommandForFinishedTx(step) {
    refuseCommand(step, 'TX_FINISHED', 'a command for a running transaction');
  },
  refuseCommandForUnknownTx(step) {
    refuseCommand(step, 'UNKNOWN_TX', 'a command for a running transaction');
  },
  rejectUnexpectedMessage(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'UNEXPECTED_MESSAGE', blame: 'remote', expected: expectedIn(step.from) }));
  },
  rejectMalformedEnvelope(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'MALFORMED_ENVELOPE', blame: 'remote', expected: 'a ChaincodeMessage' }));
  },
  rejectMalformedInvocation(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'MALFORMED_PAYLOAD', blame: 'remote', expected: 'a parsable ChaincodeInput' }));
  },
  refuseCommandNotReady(step) {
    refuseCommand(step, 'NOT_READY', 'commands only once READY arrived');
  },
  refuseCommandStreamClosed(step) {
    refuseCommand(step, 'STREAM_CLOSED', 'nothing: the stream has ended');
  },
  refuseSecondStart(step) {
    // Its caller must not wait for a READY that has come and gone, or for one the first start is
    // already waiting for.
    const { startId } = inputOf(step.input, 'appStart');
    emitViolation(step.effects, chaincodeViolation(step, { code: 'INVALID_COMMAND', blame: 'local', expected: 'app.start only once' }));
    step.effects.push({ kind: 'startRefused', startId, reason: `start() was already called (the handler is ${step.from})` });
  },
  reportMessageNotStarted(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'NOT_READY', blame: 'remote', expected: 'nothing before app.start' }));
  },
  reportMessageAfterClose(step) {
    emitViolation(step.effects, chaincodeViolation(step, { code: 'STREAM_CLOSED', blame: 'remote', expected: 'nothing: the stream has ended' }));
  },
  closeStreamForShutdown(step) {
    step.effects.push({ kind: 'closeStream', reason: inputOf(step.input, 'appShutdown').reason });
  },
  abortAllTransactions(step) {
    const event = coreEvent('handler.closed', step.input);
    for (const rec of txRecords(step.state.txs)) runTx(step, rec, event);
  },
  ignoreStaleInput() {
    // A timer or close notification with nothing left to act on.
  },
};

/**
 * Why the handshake ended. The peer answers a REGISTER it refuses with ERROR and the reason (fabric
 * handler.go HandleRegister sends nothing; our peer does, docs/deviations.md P2): that text is what
 * the chaincode's author needs, not "protocol violation".
 */
function handshakeFailure(step: ChaincodeStep): string {
  const { input, from } = step;
  switch (input.kind) {
    case 'transportClosed':
    case 'appShutdown':
      return input.reason;
    case 'recv':
      return input.message.type === 'ERROR'
        ? `the peer refused the registration: ${errorText(input.message.payload)}`
        : `protocol violation: ${input.message.type} in state ${from}`;
    case 'recvMalformed':
      return `protocol violation: a malformed message in state ${from}: ${input.malformed.reason}`;
    default:
      return `the handshake ended in state ${from}`;
  }
}

function expectedIn(state: string): string {
  switch (state) {
    case 'created':
      return 'REGISTERED (or KEEPALIVE)';
    case 'established':
      return 'READY (or KEEPALIVE)';
    default:
      return 'INIT, TRANSACTION, RESPONSE, ERROR or KEEPALIVE';
  }
}
