/**
 * Peer side, one transaction (one (channel, txid) context; fabric core/chaincode/handler.go
 * Execute + HandleTransaction, transaction_contexts.go).
 *
 *   created --tx.start--> awaitingChaincode <--serve.result-- servingRequest
 *                              |        --recv.<request>-->
 *                              +--> completed | failed | timedOut | terminated
 *
 * On start the INIT/TRANSACTION is sent and the execute timer armed. Each shim request is served
 * (ledger or chaincode-to-chaincode) while the transaction waits in `servingRequest`; only one
 * request may be outstanding (fabric handler.go registerTxid). A second one is answered with an
 * ERROR instead of being dropped (docs/deviations.md). COMPLETED/ERROR settle the execute, also
 * while a request is being served (Fabric routes the final reply regardless). The execute timeout
 * and the end of the stream settle it with Fabric's texts.
 */
import { setup } from 'xstate';
import type { ChartEvent } from './events.js';

export const peerTxGuards = {
  /** The serve.result carries a RESPONSE payload (not an error cause). */
  serveSucceeded: (_ctx: object, event: ChartEvent): boolean => event.accepted === true,
  /** The malformed message was the chaincode's final reply (COMPLETED), not a request. */
  isFinalReply: (_ctx: object, event: ChartEvent): boolean => event.malformed?.type === 'COMPLETED' || event.malformed?.type === 'ERROR',
};

const noop = () => {};

export const peerTxMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as ChartEvent,
  },
  guards: {
    serveSucceeded: ({ context, event }) => peerTxGuards.serveSucceeded(context, event),
    isFinalReply: ({ context, event }) => peerTxGuards.isFinalReply(context, event),
  },
  actions: {
    sendInvocation: noop,
    startExecuteTimer: noop,
    cancelExecuteTimer: noop,
    serveRequest: noop,
    sendResponse: noop,
    sendRequestError: noop,
    rejectConcurrentRequest: noop,
    rejectMalformedRequest: noop,
    settleCompleted: noop,
    settleChaincodeError: noop,
    settleMalformedReply: noop,
    settleTimedOut: noop,
    settleStreamTerminated: noop,
    endTransaction: noop,
  },
}).createMachine({
  id: 'peerTx',
  initial: 'created',
  context: {},
  states: {
    created: {
      description: 'The context exists; the invocation has not been sent yet.',
      on: { 'tx.start': { target: 'awaitingChaincode', actions: ['sendInvocation', 'startExecuteTimer'] } },
    },
    awaitingChaincode: {
      description: 'INIT/TRANSACTION sent; waiting for a shim request or the final COMPLETED/ERROR.',
      on: {
        'recv.GET_STATE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.PUT_STATE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.DEL_STATE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.INVOKE_CHAINCODE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_STATE_BY_RANGE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_QUERY_RESULT': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.QUERY_STATE_NEXT': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.QUERY_STATE_CLOSE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_HISTORY_FOR_KEY': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_STATE_METADATA': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.PUT_STATE_METADATA': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_PRIVATE_DATA_HASH': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.PURGE_PRIVATE_DATA': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.WRITE_BATCH_STATE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.GET_STATE_MULTIPLE': { target: 'servingRequest', actions: 'serveRequest' },
        'recv.COMPLETED': { target: 'completed', actions: ['cancelExecuteTimer', 'settleCompleted'] },
        'recv.ERROR': { target: 'failed', actions: ['cancelExecuteTimer', 'settleChaincodeError'] },
        'timer.executeTimeout': { target: 'timedOut', actions: 'settleTimedOut' },
        'handler.closed': { target: 'terminated', actions: ['cancelExecuteTimer', 'settleStreamTerminated'] },
        'wire.malformedPayload': [
          { guard: 'isFinalReply', target: 'failed', actions: ['cancelExecuteTimer', 'settleMalformedReply'] },
          { actions: 'rejectMalformedRequest' },
        ],
        // No serve.result here: the core delivers one only for the request being served (it
        // matches the serveId), and in this state none is.
      },
    },
    servingRequest: {
      description: 'A shim request is being served; its RESPONSE/ERROR goes out when serve.result arrives.',
      on: {
        'serve.result': [
          { guard: 'serveSucceeded', target: 'awaitingChaincode', actions: 'sendResponse' },
          { target: 'awaitingChaincode', actions: 'sendRequestError' },
        ],
        'recv.GET_STATE': { actions: 'rejectConcurrentRequest' },
        'recv.PUT_STATE': { actions: 'rejectConcurrentRequest' },
        'recv.DEL_STATE': { actions: 'rejectConcurrentRequest' },
        'recv.INVOKE_CHAINCODE': { actions: 'rejectConcurrentRequest' },
        'recv.GET_STATE_BY_RANGE': { actions: 'rejectConcurrentRequest' },
        'recv.GET_QUERY_RESULT': { actions: 'rejectConcurrentRequest' },
        'recv.QUERY_STATE_NEXT': { actions: 'rejectConcurrentRequest' },
        'recv.QUERY_STATE_CLOSE': { actions: 'rejectConcurrentRequest' },
        'recv.GET_HISTORY_FOR_KEY': { actions: 'rejectConcurrentRequest' },
        'recv.GET_STATE_METADATA': { actions: 'rejectConcurrentRequest' },
        'recv.PUT_STATE_METADATA': { actions: 'rejectConcurrentRequest' },
        'recv.GET_PRIVATE_DATA_HASH': { actions: 'rejectConcurrentRequest' },
        'recv.PURGE_PRIVATE_DATA': { actions: 'rejectConcurrentRequest' },
        'recv.WRITE_BATCH_STATE': { actions: 'rejectConcurrentRequest' },
        'recv.GET_STATE_MULTIPLE': { actions: 'rejectConcurrentRequest' },
        'recv.COMPLETED': { target: 'completed', actions: ['cancelExecuteTimer', 'settleCompleted'] },
        'recv.ERROR': { target: 'failed', actions: ['cancelExecuteTimer', 'settleChaincodeError'] },
        'timer.executeTimeout': { target: 'timedOut', actions: 'settleTimedOut' },
        'handler.closed': { target: 'terminated', actions: ['cancelExecuteTimer', 'settleStreamTerminated'] },
        'wire.malformedPayload': [
          { guard: 'isFinalReply', target: 'failed', actions: ['cancelExecuteTimer', 'settleMalformedReply'] },
          { actions: 'rejectConcurrentRequest' },
        ],
      },
    },
    completed: { type: 'final', entry: 'endTransaction', description: 'COMPLETED received; the execute returned its Response.' },
    failed: { type: 'final', entry: 'endTransaction', description: 'ERROR (or an unparsable final reply) received.' },
    timedOut: { type: 'final', entry: 'endTransaction', description: '`timeout expired while executing transaction`' },
    terminated: { type: 'final', entry: 'endTransaction', description: '`chaincode stream terminated`' },
  },
});
