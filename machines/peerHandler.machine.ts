/**
 * Peer side, one chaincode connection (fabric core/chaincode/handler.go `Handler`).
 *
 *   created --recv.REGISTER--> registering --registry.verdict(accepted)--> established --(always)--> ready
 *
 * `created` accepts only REGISTER; the registry (duplicate names, unsolicited registrations) is
 * asked through an effect and answers with `registry.verdict`; REGISTERED is sent on entering
 * `established` and READY on entering `ready`, in that order, before the next input is read
 * (fabric handler.go HandleRegister). In `ready` COMPLETED, ERROR and the 15 request types are
 * routed by (channel, txid): to their transaction chart (peerTx.machine.ts) when one is running,
 * else rejected as for a finished or an unknown transaction (the core looks the key up and sets the
 * event's `route`; the guards below read it). An execute for a (channel, txid) that is running is
 * refused as a duplicate. The result of a request that outlived its transaction (the execute timed
 * out while it was served) is still sent to the chaincode, as Fabric's HandleTransaction does; any
 * other serve result its transaction no longer waits for, and a timer the core no longer owns, are
 * ignored by name. Any other message ends the stream (`failed`); the stream
 * ending by itself leads to `closed`. In both, every pending execute fails with `chaincode stream
 * terminated` (fabric handler.go ProcessStream / Notify).
 *
 * The chart is a literal XState v5 config, the one source of truth: every message a state accepts
 * is its own `recv.<TYPE>` transition, every other one falls into the state's `recv.*` catch-all, so
 * nothing is dropped unnamed (the allowed-message table in docs/protocol-table.md is read from it).
 * The core arms timers only in `ready`; a fire for a timer it no longer owns arrives as
 * `timer.stale` (src/core/peer/step.ts). Action names are effects the core produces
 * (src/core/peer/handlerActions.ts); guards and assigners are the pure functions below.
 */
import { assign, setup } from 'xstate';
import type { ChartEvent } from './events.js';

export interface PeerHandlerContext {
  /** ChaincodeID.name from REGISTER, e.g. `mycc:1.0` or `label:hash`. */
  chaincodeName: string;
}

export const peerHandlerGuards = {
  /** REGISTER carries a non-empty ChaincodeID.name (fabric handler.go HandleRegister). */
  hasChaincodeName: (_ctx: PeerHandlerContext, event: ChartEvent): boolean =>
    event.message?.type === 'REGISTER' && event.message.payload.name !== '',
  /** The registry accepted the registration. */
  registrationAccepted: (_ctx: PeerHandlerContext, event: ChartEvent): boolean => event.accepted === true,
  /** The event names a running transaction (for serve.result: answers the request it waits for). */
  isForRunningTx: (_ctx: PeerHandlerContext, event: ChartEvent): boolean => event.route === 'running',
  /** The event names a transaction that finished recently. */
  isForFinishedTx: (_ctx: PeerHandlerContext, event: ChartEvent): boolean => event.route === 'finished',
  /** A malformed payload on a REGISTER (its ChaincodeID did not parse). */
  isMalformedRegister: (_ctx: PeerHandlerContext, event: ChartEvent): boolean => event.malformed?.type === 'REGISTER',
};

export const peerHandlerAssigners = {
  storeChaincodeName: (ctx: PeerHandlerContext, event: ChartEvent): PeerHandlerContext =>
    event.message?.type === 'REGISTER' ? { ...ctx, chaincodeName: event.message.payload.name } : ctx,
};

const noop = () => {};

export const peerHandlerMachine = setup({
  types: {
    context: {} as PeerHandlerContext,
    events: {} as ChartEvent,
  },
  guards: {
    hasChaincodeName: ({ context, event }) => peerHandlerGuards.hasChaincodeName(context, event),
    registrationAccepted: ({ context, event }) => peerHandlerGuards.registrationAccepted(context, event),
    isMalformedRegister: ({ context, event }) => peerHandlerGuards.isMalformedRegister(context, event),
    isForRunningTx: ({ context, event }) => peerHandlerGuards.isForRunningTx(context, event),
    isForFinishedTx: ({ context, event }) => peerHandlerGuards.isForFinishedTx(context, event),
  },
  actions: {
    storeChaincodeName: assign(({ context, event }) => peerHandlerAssigners.storeChaincodeName(context, event)),
    requestRegistration: noop,
    refuseRegistration: noop,
    sendRegistered: noop,
    sendReady: noop,
    notifyHandlerReady: noop,
    startKeepalive: noop,
    sendKeepalive: noop,
    ignoreKeepalive: noop,
    routeToTransaction: noop,
    rejectMessageForFinishedTx: noop,
    rejectMessageForUnknownTx: noop,
    startTransaction: noop,
    refuseDuplicateExecute: noop,
    refuseExecuteNotReady: noop,
    refuseExecuteStreamClosed: noop,
    rejectUnexpectedMessage: noop,
    rejectMalformedEnvelope: noop,
    closeStreamForShutdown: noop,
    failAllTransactions: noop,
    cancelKeepalive: noop,
    reportStaleVerdict: noop,
    reportMessageAfterClose: noop,
    ignoreStaleInput: noop,
    answerOrphanedRequest: noop,
    ignoreStaleResult: noop,
    ignoreStaleTimer: noop,
  },
}).createMachine({
  id: 'peerHandler',
  initial: 'created',
  context: { chaincodeName: '' },
  states: {
    created: {
      description: 'Waiting for REGISTER, the first message a chaincode must send.',
      on: {
        'recv.KEEPALIVE': { actions: 'ignoreKeepalive' },
        'recv.REGISTER': [
          {
            guard: 'hasChaincodeName',
            target: 'registering',
            actions: ['storeChaincodeName', 'requestRegistration'],
          },
          { target: 'failed', actions: 'refuseRegistration' },
        ],
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': [
          { guard: 'isMalformedRegister', target: 'failed', actions: 'refuseRegistration' },
          { target: 'failed', actions: 'rejectUnexpectedMessage' },
        ],
        'app.execute': { actions: 'refuseExecuteNotReady' },
        'registry.verdict': { actions: 'reportStaleVerdict' },
        'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
        'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
        'transport.closed': { target: 'closed' },
        'serve.result': { actions: 'ignoreStaleResult' },
        'timer.stale': { actions: 'ignoreStaleTimer' },
      },
    },
    registering: {
      description: 'Waiting for the registry to accept the name (duplicates and unexpected chaincodes are refused).',
      on: {
        'recv.KEEPALIVE': { actions: 'ignoreKeepalive' },
        'registry.verdict': [
          { guard: 'registrationAccepted', target: 'established', actions: 'sendRegistered' },
          { target: 'failed', actions: 'refuseRegistration' },
        ],
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'app.execute': { actions: 'refuseExecuteNotReady' },
        'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
        'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
        'transport.closed': { target: 'closed' },
        'serve.result': { actions: 'ignoreStaleResult' },
        'timer.stale': { actions: 'ignoreStaleTimer' },
      },
    },
    established: {
      // Never at rest: the eventless transition fires in the same step, so no input ever meets
      // this state (XState does not consult an `on` here either).
      description: 'REGISTERED sent; READY follows at once (fabric handler.go HandleRegister).',
      always: { target: 'ready', actions: ['sendReady', 'notifyHandlerReady', 'startKeepalive'] },
    },
    ready: {
      description: 'Executing transactions: COMPLETED, ERROR and shim requests are routed by (channel, txid).',
      on: {
        'recv.GET_STATE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.PUT_STATE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.DEL_STATE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.INVOKE_CHAINCODE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_STATE_BY_RANGE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_QUERY_RESULT': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.QUERY_STATE_NEXT': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.QUERY_STATE_CLOSE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_HISTORY_FOR_KEY': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_STATE_METADATA': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.PUT_STATE_METADATA': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_PRIVATE_DATA_HASH': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.PURGE_PRIVATE_DATA': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.WRITE_BATCH_STATE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.GET_STATE_MULTIPLE': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.COMPLETED': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.ERROR': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'recv.KEEPALIVE': { actions: 'ignoreKeepalive' },
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'rejectMessageForFinishedTx' },
          { actions: 'rejectMessageForUnknownTx' },
        ],
        'app.execute': [
          { guard: 'isForRunningTx', actions: 'refuseDuplicateExecute' },
          { actions: 'startTransaction' },
        ],
        'registry.verdict': { actions: 'reportStaleVerdict' },
        'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
        'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
        'transport.closed': { target: 'closed' },
        'serve.result': [
          { guard: 'isForRunningTx', actions: 'routeToTransaction' },
          { guard: 'isForFinishedTx', actions: 'answerOrphanedRequest' },
          { actions: 'ignoreStaleResult' },
        ],
        'timer.executeTimeout': { actions: 'routeToTransaction' },
        'timer.keepalive': { actions: 'sendKeepalive' },
        'timer.stale': { actions: 'ignoreStaleTimer' },
      },
    },
    closed: {
      description: 'The stream ended; every pending execute failed with `chaincode stream terminated`.',
      entry: ['cancelKeepalive', 'failAllTransactions'],
      on: {
        'recv.*': { actions: 'reportMessageAfterClose' },
        'wire.malformedEnvelope': { actions: 'reportMessageAfterClose' },
        'wire.malformedPayload': { actions: 'reportMessageAfterClose' },
        'app.execute': { actions: 'refuseExecuteStreamClosed' },
        'registry.verdict': { actions: 'ignoreStaleInput' },
        'serve.result': { actions: 'ignoreStaleResult' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
        'timer.stale': { actions: 'ignoreStaleTimer' },
      },
    },
    failed: {
      description: 'The stream was ended because of a protocol violation; pending executes failed.',
      entry: ['cancelKeepalive', 'failAllTransactions'],
      on: {
        'recv.*': { actions: 'reportMessageAfterClose' },
        'wire.malformedEnvelope': { actions: 'reportMessageAfterClose' },
        'wire.malformedPayload': { actions: 'reportMessageAfterClose' },
        'app.execute': { actions: 'refuseExecuteStreamClosed' },
        'registry.verdict': { actions: 'ignoreStaleInput' },
        'serve.result': { actions: 'ignoreStaleResult' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
        'timer.stale': { actions: 'ignoreStaleTimer' },
      },
    },
  },
});
