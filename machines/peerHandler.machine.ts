/**
 * Peer side, one chaincode connection (fabric core/chaincode/handler.go `Handler`).
 *
 *   created --recv.REGISTER--> registering --registry.verdict(accepted)--> established --(always)--> ready
 *
 * `created` accepts only REGISTER; the registry (duplicate names, unsolicited registrations) is
 * asked through an effect and answers with `registry.verdict`; REGISTERED is sent on entering
 * `established` and READY on entering `ready`, in that order, before the next input is read
 * (fabric handler.go HandleRegister). In `ready` COMPLETED, ERROR and the 15 request types are
 * routed to their transaction chart (peerTx.machine.ts) by the core. Any other message ends the
 * stream (`failed`); the stream ending by itself leads to `closed`. In both, every pending execute
 * fails with `chaincode stream terminated` (fabric handler.go ProcessStream / Notify).
 *
 * The chart is a literal XState v5 config, the one source of truth: every message a state accepts
 * is its own `recv.<TYPE>` transition, every other one falls into the state's `recv.*` catch-all, so
 * nothing is dropped unnamed (the allowed-message table in docs/protocol-table.md is read from it).
 * Timer events reach the chart only for timers the core armed, and it arms them only in `ready`; a
 * fire for any other timer id is stale and dropped by the core before the chart
 * (src/core/peer/step.ts). Action names are effects the core produces
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
    startTransaction: noop,
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
        'serve.result': { actions: 'ignoreStaleInput' },
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
        'serve.result': { actions: 'ignoreStaleInput' },
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
        'recv.GET_STATE': { actions: 'routeToTransaction' },
        'recv.PUT_STATE': { actions: 'routeToTransaction' },
        'recv.DEL_STATE': { actions: 'routeToTransaction' },
        'recv.INVOKE_CHAINCODE': { actions: 'routeToTransaction' },
        'recv.GET_STATE_BY_RANGE': { actions: 'routeToTransaction' },
        'recv.GET_QUERY_RESULT': { actions: 'routeToTransaction' },
        'recv.QUERY_STATE_NEXT': { actions: 'routeToTransaction' },
        'recv.QUERY_STATE_CLOSE': { actions: 'routeToTransaction' },
        'recv.GET_HISTORY_FOR_KEY': { actions: 'routeToTransaction' },
        'recv.GET_STATE_METADATA': { actions: 'routeToTransaction' },
        'recv.PUT_STATE_METADATA': { actions: 'routeToTransaction' },
        'recv.GET_PRIVATE_DATA_HASH': { actions: 'routeToTransaction' },
        'recv.PURGE_PRIVATE_DATA': { actions: 'routeToTransaction' },
        'recv.WRITE_BATCH_STATE': { actions: 'routeToTransaction' },
        'recv.GET_STATE_MULTIPLE': { actions: 'routeToTransaction' },
        'recv.COMPLETED': { actions: 'routeToTransaction' },
        'recv.ERROR': { actions: 'routeToTransaction' },
        'recv.KEEPALIVE': { actions: 'ignoreKeepalive' },
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': { actions: 'routeToTransaction' },
        'app.execute': { actions: 'startTransaction' },
        'registry.verdict': { actions: 'reportStaleVerdict' },
        'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
        'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
        'transport.closed': { target: 'closed' },
        'serve.result': { actions: 'routeToTransaction' },
        'timer.executeTimeout': { actions: 'routeToTransaction' },
        'timer.keepalive': { actions: 'sendKeepalive' },
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
        'serve.result': { actions: 'ignoreStaleInput' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
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
        'serve.result': { actions: 'ignoreStaleInput' },
        'transport.closed': { actions: 'ignoreStaleInput' },
        'app.shutdown': { actions: 'ignoreStaleInput' },
      },
    },
  },
});
