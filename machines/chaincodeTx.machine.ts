/**
 * Chaincode side, one transaction (fabric-chaincode-go shim/handler.go handleTransaction and the
 * request helpers; fabric-shim lib/handler.js).
 *
 *   created --tx.start--> running <--recv.RESPONSE|ERROR-- awaitingResponse
 *                            |      --app.request-->
 *                            +--> completed | failed | aborted
 *
 * `running` means the chaincode's Init/Invoke is executing with nothing outstanding. A stub call
 * sends its request and waits in `awaitingResponse`. Only one request is in flight per transaction:
 * the calls made meanwhile are held, in order, and each goes out when the reply before it has
 * settled (as fabric-shim's MsgQueueHandler does; the Go shim refuses a concurrent call instead,
 * which a chaincode written for Node would not survive). The context counts the held calls (the
 * core keeps the calls themselves in the transaction's record). The result goes out as COMPLETED
 * (any status) or ERROR; if the chaincode returns while a request is outstanding or held, each is
 * settled with an error, so that every stub call settles exactly once.
 */
import { assign, setup } from 'xstate';
import type { ChartEvent } from './events.js';

export interface ChaincodeTxContext {
  /** Stub calls held behind the outstanding request. */
  held: number;
}

export const chaincodeTxGuards = {
  /** A stub call is held behind the request whose reply this is. */
  hasHeldRequest: (ctx: ChaincodeTxContext): boolean => ctx.held > 0,
};

export const chaincodeTxAssigners = {
  countHeldRequest: (ctx: ChaincodeTxContext): ChaincodeTxContext => ({ held: ctx.held + 1 }),
  uncountHeldRequest: (ctx: ChaincodeTxContext): ChaincodeTxContext => ({ held: ctx.held - 1 }),
};

const noop = () => {};

export const chaincodeTxMachine = setup({
  types: {
    context: {} as ChaincodeTxContext,
    events: {} as ChartEvent,
  },
  guards: {
    hasHeldRequest: ({ context }) => chaincodeTxGuards.hasHeldRequest(context),
  },
  actions: {
    countHeldRequest: assign(({ context }) => chaincodeTxAssigners.countHeldRequest(context)),
    uncountHeldRequest: assign(({ context }) => chaincodeTxAssigners.uncountHeldRequest(context)),
    runChaincode: noop,
    sendRequest: noop,
    holdRequest: noop,
    sendHeldRequest: noop,
    settleRequestWithResponse: noop,
    settleRequestWithError: noop,
    settleRequestTxEnded: noop,
    settleRequestStreamClosed: noop,
    reportUnexpectedResponse: noop,
    sendCompleted: noop,
    sendFailure: noop,
    endTransaction: noop,
  },
}).createMachine({
  id: 'chaincodeTx',
  initial: 'created',
  context: { held: 0 },
  states: {
    created: {
      description: 'INIT/TRANSACTION accepted; the chaincode has not been started yet.',
      on: { 'tx.start': { target: 'running', actions: 'runChaincode' } },
    },
    running: {
      description: 'Init/Invoke is executing; no request is outstanding.',
      on: {
        'app.request': { target: 'awaitingResponse', actions: 'sendRequest' },
        'app.result': { target: 'completed', actions: 'sendCompleted' },
        'app.failed': { target: 'failed', actions: 'sendFailure' },
        'recv.RESPONSE': { actions: 'reportUnexpectedResponse' },
        'recv.ERROR': { actions: 'reportUnexpectedResponse' },
        'handler.closed': { target: 'aborted' },
      },
    },
    awaitingResponse: {
      description: 'A request was sent; waiting for its RESPONSE or ERROR. Stub calls made meanwhile are held.',
      on: {
        'recv.RESPONSE': [
          { guard: 'hasHeldRequest', actions: ['settleRequestWithResponse', 'sendHeldRequest', 'uncountHeldRequest'] },
          { target: 'running', actions: 'settleRequestWithResponse' },
        ],
        'recv.ERROR': [
          { guard: 'hasHeldRequest', actions: ['settleRequestWithError', 'sendHeldRequest', 'uncountHeldRequest'] },
          { target: 'running', actions: 'settleRequestWithError' },
        ],
        'app.request': { actions: ['holdRequest', 'countHeldRequest'] },
        'app.result': { target: 'completed', actions: ['settleRequestTxEnded', 'sendCompleted'] },
        'app.failed': { target: 'failed', actions: ['settleRequestTxEnded', 'sendFailure'] },
        'handler.closed': { target: 'aborted', actions: 'settleRequestStreamClosed' },
      },
    },
    completed: { type: 'final', entry: 'endTransaction', description: 'COMPLETED sent.' },
    failed: { type: 'final', entry: 'endTransaction', description: 'ERROR sent.' },
    aborted: { type: 'final', entry: 'endTransaction', description: 'The stream ended before the chaincode answered.' },
  },
});
