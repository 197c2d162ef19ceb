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
 * Which messages each state accepts comes from src/protocol/table.ts; every other `recv.*` falls
 * into the state's catch-all, so nothing is dropped unnamed. Action names are effects the core
 * produces (src/core/peer/handlerActions.ts); guards and assigners are the pure functions below.
 */
import { assign, setup } from 'xstate';
import type { ChartEvent } from './events.js';
import { allowedIn, type PeerHandlerState } from '../src/protocol/table.js';

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

/** `recv.<TYPE>` transitions of one state, built from the allowed-message table. */
function recvFromTable(state: PeerHandlerState, byDisposition: { route?: string; ignore?: string }) {
  const on: Record<string, { actions: string }> = {};
  for (const [type, disposition] of allowedIn('peer', state)) {
    const action = disposition === 'route' ? byDisposition.route : disposition === 'ignore' ? byDisposition.ignore : undefined;
    if (action) on[`recv.${type}`] = { actions: action };
  }
  return on;
}

/**
 * What every open (not yet ended) state does with commands and stale inputs it has no use for.
 * Timer events reach the chart only for timers the core armed, and it arms them only in `ready`
 * (keepalive, execute timers of transactions); a fire for any other timer id is stale and is
 * dropped by the core before the chart (src/core/peer/step.ts), so no other state lists timers.
 */
const openStateCommon = {
  'wire.malformedEnvelope': { target: 'failed', actions: 'rejectMalformedEnvelope' },
  'app.shutdown': { target: 'closed', actions: 'closeStreamForShutdown' },
  'transport.closed': { target: 'closed' },
  'serve.result': { actions: 'ignoreStaleInput' },
} as const;

const endedStateCommon = {
  'recv.*': { actions: 'reportMessageAfterClose' },
  'wire.malformedEnvelope': { actions: 'reportMessageAfterClose' },
  'wire.malformedPayload': { actions: 'reportMessageAfterClose' },
  'app.execute': { actions: 'refuseExecuteStreamClosed' },
  'registry.verdict': { actions: 'ignoreStaleInput' },
  'serve.result': { actions: 'ignoreStaleInput' },
  'transport.closed': { actions: 'ignoreStaleInput' },
  'app.shutdown': { actions: 'ignoreStaleInput' },
} as const;

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
        ...recvFromTable('created', { ignore: 'ignoreKeepalive' }),
        'recv.REGISTER': [
          { guard: 'hasChaincodeName', target: 'registering', actions: ['storeChaincodeName', 'requestRegistration'] },
          { target: 'failed', actions: 'refuseRegistration' },
        ],
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': [
          { guard: 'isMalformedRegister', target: 'failed', actions: 'refuseRegistration' },
          { target: 'failed', actions: 'rejectUnexpectedMessage' },
        ],
        'app.execute': { actions: 'refuseExecuteNotReady' },
        'registry.verdict': { actions: 'reportStaleVerdict' },
        ...openStateCommon,
      },
    },
    registering: {
      description: 'Waiting for the registry to accept the name (duplicates and unexpected chaincodes are refused).',
      on: {
        ...recvFromTable('registering', { ignore: 'ignoreKeepalive' }),
        'registry.verdict': [
          { guard: 'registrationAccepted', target: 'established', actions: 'sendRegistered' },
          { target: 'failed', actions: 'refuseRegistration' },
        ],
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'app.execute': { actions: 'refuseExecuteNotReady' },
        ...openStateCommon,
      },
    },
    established: {
      description: 'REGISTERED sent; READY follows at once (fabric handler.go HandleRegister).',
      // Never at rest: the eventless transition fires in the same step, so no input ever meets
      // this state (XState does not consult an `on` here either).
      always: { target: 'ready', actions: ['sendReady', 'notifyHandlerReady', 'startKeepalive'] },
    },
    ready: {
      description: 'Executing transactions: COMPLETED, ERROR and shim requests are routed by (channel, txid).',
      on: {
        ...recvFromTable('ready', { route: 'routeToTransaction', ignore: 'ignoreKeepalive' }),
        'recv.*': { target: 'failed', actions: 'rejectUnexpectedMessage' },
        'wire.malformedPayload': { actions: 'routeToTransaction' },
        'app.execute': { actions: 'startTransaction' },
        'registry.verdict': { actions: 'reportStaleVerdict' },
        ...openStateCommon,
        'serve.result': { actions: 'routeToTransaction' },
        'timer.executeTimeout': { actions: 'routeToTransaction' },
        'timer.keepalive': { actions: 'sendKeepalive' },
      },
    },
    closed: {
      description: 'The stream ended; every pending execute failed with `chaincode stream terminated`.',
      entry: ['cancelKeepalive', 'failAllTransactions'],
      on: endedStateCommon,
    },
    failed: {
      description: 'The stream was ended because of a protocol violation; pending executes failed.',
      entry: ['cancelKeepalive', 'failAllTransactions'],
      on: endedStateCommon,
    },
  },
});
