/**
 * Chaincode side, one connection to a peer (fabric-chaincode-go shim/handler.go; fabric-shim
 * lib/handler.js).
 *
 *   idle --app.start / send REGISTER--> created --recv.REGISTERED--> established --recv.READY--> ready
 *
 * The chaincode speaks first in both connection modes. READY's ChaincodeAdditionalParams (Fabric
 * >= 3.1; empty before) are stored: they decide whether write batches and multi-key reads may be
 * used. KEEPALIVE is echoed in every state (as the Go shim does). In `ready`, INIT/TRANSACTION
 * start a transaction chart (chaincodeTx.machine.ts) unless one with the same (channel, txid) is
 * running; RESPONSE/ERROR and the runtime's commands are routed to theirs when it is running, and
 * otherwise rejected as for a finished or an unknown transaction (the core looks the key up and
 * sets the event's `route`; the guards below read it). Anything else gets an ERROR and ends the
 * stream, as in the Go shim.
 *
 * The chart is a literal XState v5 config, the one source of truth (the allowed-message table in
 * docs/protocol-table.md is read from it).
 */
import { assign, setup } from 'xstate';
import type { ChartEvent } from './events.js';
import { NO_ADDITIONAL_PARAMS, type ChaincodeAdditionalParams } from '../src/protocol/messages.js';

export interface ChaincodeHandlerContext {
  chaincodeName: string;
  /** What the peer advertised in READY. */
  params: ChaincodeAdditionalParams;
}

export const chaincodeHandlerGuards = {
  /** The event names a running transaction (the core looks its (channel, txid) up; ChartEvent.route). */
  isForRunningTx: (_ctx: ChaincodeHandlerContext, event: ChartEvent): boolean => event.route === 'running',
  /** The event names a transaction that finished recently. */
  isForFinishedTx: (_ctx: ChaincodeHandlerContext, event: ChartEvent): boolean => event.route === 'finished',
  /** A malformed INIT/TRANSACTION: it gets an ERROR reply, the connection survives. */
  isMalformedInvocation: (_ctx: ChaincodeHandlerContext, event: ChartEvent): boolean =>
    event.malformed?.type === 'INIT' || event.malformed?.type === 'TRANSACTION',
};

export const chaincodeHandlerAssigners = {
  storeChaincodeName: (ctx: ChaincodeHandlerContext, event: ChartEvent): ChaincodeHandlerContext => ({
    ...ctx,
    chaincodeName: event.chaincodeName ?? '',
  }),
  storeCapabilities: (ctx: ChaincodeHandlerContext, event: ChartEvent): ChaincodeHandlerContext =>
    event.message?.type === 'READY' ? { ...ctx, params: { ...event.message.payload } } : ctx,
};

const noop = () => {};

export const chaincodeHandlerMachine = setup({
  types: {
    context: {} as ChaincodeHandlerContext,
    events: {} as ChartEvent,
  },
  guards: {
    isMalformedInvocation: ({ context, event }) => chaincodeHandlerGuards.isMalformedInvocation(context, event),
    isForRunningTx: ({ context, event }) => chaincodeHandlerGuards.isForRunningTx(context, event),
    isForFinishedTx: ({ context, event }) => chaincodeHandlerGuards.isForFinishedTx(context, event),
  },
  actions: {
    storeChaincodeName: assign(({ context, event }) => chaincodeHandlerAssigners.storeChaincodeName(context, event)),
    storeCapabilities: assign(({ context, event }) => chaincodeHandlerAssigners.storeCapabilities(context, event)),
    sendRegister: noop,
    notifyReady: noop,
    echoKeepalive: noop,
    startTransaction: noop,
    rejectDuplicateTransaction: noop,
    routeToTransaction: noop,
    rejectReplyForFinishedTx: noop,
    rejectReplyForUnknownTx: noop,
    refuseCommandForFinishedTx: noop,
    refuseCommandForUnknownTx: noop,
    rejectUnexpectedMessage: noop,
    failHandshake: noop,
    rejectMalformedEnvelope: noop,
    rejectMalformedInvocation: noop,
    refuseCommandNotReady: noop,
    refuseCommandStreamClosed: noop,
    refuseSecondStart: noop,
    reportMessageNotStarted: noop,
    reportMessageAfterClose: noop,
    closeStreamForShutdown: noop,
    abortAllTransactions: noop,
    ignoreStaleInput: noop,
  },
}).createMachine({
  id: 'chaincodeHandler',
  initial: 'idle',
  context: { chaincodeName: '', params: NO_ADDITIONAL_PARAMS },
  states: {
    idle: {
      description: 'No stream yet; app.start sends REGISTER.',
      on: {
        'app.start': { target: 'created', actions: ['storeChaincodeName', 'sendRegister'] },
        'recv.*': { actions: 'reportMessageNotStarted' },
        'wire.malformedEnvelope': { actions: 'reportMessageNotStarted' },
        'wire.malformedPayload': { actions: 'reportMessageNotStarted' },
        'app.request': { actions: 'refuseCommandNotReady' },
        'app.result': { actions: 'refuseCommandNotReady' },
        'app.failed': { actions: 'refuseCommandNotReady' },
        'app.shutdown': { target: 'closed' },
        'transport.closed': { target: 'closed' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
    created: {
      description: 'REGISTER sent; waiting for REGISTERED.',
      on: {
        'recv.KEEPALIVE': { actions: 'echoKeepalive' },
        'recv.REGISTERED': { target: 'established' },
        'recv.*': { target: 'failed', actions: ['rejectUnexpectedMessage', 'failHandshake'] },
        'wire.malformedEnvelope': { target: 'failed', actions: ['rejectMalformedEnvelope', 'failHandshake'] },
        'wire.malformedPayload': { target: 'failed', actions: ['rejectUnexpectedMessage', 'failHandshake'] },
        'app.start': { actions: 'refuseSecondStart' },
        'app.request': { actions: 'refuseCommandNotReady' },
        'app.result': { actions: 'refuseCommandNotReady' },
        'app.failed': { actions: 'refuseCommandNotReady' },
        'app.shutdown': { target: 'closed', actions: ['closeStreamForShutdown', 'failHandshake'] },
        'transport.closed': { target: 'closed', actions: 'failHandshake' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
    established: {
      description: 'REGISTERED received; waiting for READY (and its capabilities).',
      on: {
        'recv.KEEPALIVE': { actions: 'echoKeepalive' },
        'recv.READY': { target: 'ready', actions: ['storeCapabilities', 'notifyReady'] },
        'recv.*': { target: 'failed', actions: ['rejectUnexpectedMessage', 'failHandshake'] },
        'wire.malformedEnvelope': { target: 'failed', actions: ['rejectMalformedEnvelope', 'failHandshake'] },
        'wire.malformedPayload': { target: 'failed', actions: ['rejectUnexpectedMessage', 'failHandshake'] },
        'app.start': { actions: 'refuseSecondStart' },
        'app.request': { actions: 'refuseCommandNotReady' },
        'app.result': { actions: 'refuseCommandNotReady' },
        'app.failed': { actions: 'refuseCommandNotReady' },
        'app.shutdown': { target: 'closed', actions: ['closeStreamForShutdown', 'failHandshake'] },
        'transport.closed': { target: 'closed', actions: 'failHandshake' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
    ready: {
      description: 'Serving transactions: INIT/TRANSACTION start one; RESPONSE/ERROR are routed by (channel, txid).',
      on: {
        'recv.INIT': [
          { guard: 'isForRunningTx', actions: 'rejectDuplicateTransaction' },
          { actions: 'startTransaction' },
        ],
        'recv.TRANSACTION': [
          { guard: 'isForRunningTx', actions: 'rejectDuplicateTransaction' },
          { actions: 'startTransaction' },
        ],
        'recv.RESPONSE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectReplyForFinishedTx' },
          { actions: 'rejectReplyForUnknownTx' },
        ],
        'recv.ERROR': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectReplyForFinishedTx' },
          { actions: 'rejectReplyForUnknownTx' },
        ],
        'recv.KEEPALIVE': { actions: 'echoKeepalive' },
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
        'wire.malformedPayload': [
          { guard: 'isMalformedInvocation', actions: 'rejectMalformedInvocation' },
          { target: 'failed', actions: 'rejectUnexpectedMessage' },
        ],
        'app.start': { actions: 'refuseSecondStart' },
        'app.request': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'refuseCommandForFinishedTx' },
          { actions: 'refuseCommandForUnknownTx' },
        ],
        'app.result': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'refuseCommandForFinishedTx' },
          { actions: 'refuseCommandForUnknownTx' },
        ],
        'app.failed': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'refuseCommandForFinishedTx' },
          { actions: 'refuseCommandForUnknownTx' },
        ],
        'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
        'transport.closed': { target: 'closed' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
    closed: {
      description: 'The stream ended; pending stub calls failed, running transactions were abandoned.',
      entry: 'abortAllTransactions',
      on: {
        'recv.*': { actions: 'reportMessageAfterClose' },
        'wire.malformedEnvelope': { actions: 'reportMessageAfterClose' },
        'wire.malformedPayload': { actions: 'reportMessageAfterClose' },
        'app.start': { actions: 'refuseSecondStart' },
        'app.request': { actions: 'refuseCommandStreamClosed' },
        'app.result': { actions: 'refuseCommandStreamClosed' },
        'app.failed': { actions: 'refuseCommandStreamClosed' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
    failed: {
      description: 'The stream was ended because of a protocol violation.',
      entry: 'abortAllTransactions',
      on: {
        'recv.*': { actions: 'reportMessageAfterClose' },
        'wire.malformedEnvelope': { actions: 'reportMessageAfterClose' },
        'wire.malformedPayload': { actions: 'reportMessageAfterClose' },
        'app.start': { actions: 'refuseSecondStart' },
        'app.request': { actions: 'refuseCommandStreamClosed' },
        'app.result': { actions: 'refuseCommandStreamClosed' },
        'app.failed': { actions: 'refuseCommandStreamClosed' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'timer.*': { actions: 'ignoreStaleInput' },
      },
    },
  },
});
