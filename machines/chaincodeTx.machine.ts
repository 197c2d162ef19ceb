/**
 * Chaincode side, one transaction (fabric-chaincode-go shim/handler.go handleTransaction and the
 * request helpers; fabric-shim lib/handler.js).
 *
 *   created --tx.start--> running <--recv.RESPONSE|ERROR-- awaitingResponse
 *                            |      --app.request-->
 *                            +--> completed | failed | aborted
 *
 * `running` means the chaincode's Init/Invoke is executing with nothing outstanding. A stub call
 * sends its request and waits in `awaitingResponse`; only one request is in flight per transaction
 * (the runtime queues the others, as fabric-shim's MsgQueueHandler does; a second one reaching the
 * core is refused locally, as the Go shim does). The result goes out as COMPLETED (any status) or
 * ERROR; if the chaincode returns while a request is still outstanding, that request is settled
 * with an error so that every stub call settles exactly once.
 */
import { setup } from 'xstate';
import type { ChartEvent } from './events.js';

const noop = () => {};

export const chaincodeTxMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as ChartEvent,
  },
  actions: {
    runChaincode: noop,
    sendRequest: noop,
    settleRequestWithResponse: noop,
    settleRequestWithError: noop,
    settleRequestTxEnded: noop,
    settleRequestStreamClosed: noop,
    rejectConcurrentRequest: noop,
    reportUnexpectedResponse: noop,
    sendCompleted: noop,
    sendFailure: noop,
    endTransaction: noop,
  },
}).createMachine({
  id: 'chaincodeTx',
  initial: 'created',
  context: {},
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
      description: 'A request was sent; waiting for its RESPONSE or ERROR.',
      on: {
        'recv.RESPONSE': { target: 'running', actions: 'settleRequestWithResponse' },
        'recv.ERROR': { target: 'running', actions: 'settleRequestWithError' },
        'app.request': { actions: 'rejectConcurrentRequest' },
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
