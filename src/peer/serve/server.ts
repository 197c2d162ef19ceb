/**
 * The request server of one running transaction: routes each shim request to its handler
 * (core/chaincode/handler.go handleMessageReadyState's table) and turns whatever happens into a
 * ServeResult. It never rejects: LedgerErrors become their message as the cause, anything else
 * thrown is a bug and is answered like Fabric's recovered panic (HandleTransaction's recover(),
 * Fabric >= 2.5.16 / 3.1.5).
 *
 * Not here, because the core does it before the server is called: one outstanding request per
 * transaction (registerTxid), the transaction-context lookup (`no ledger context`,
 * `could not get valid transaction`), payload unmarshalling and the
 * `<TYPE> failed: transaction ID: <txid>: ` prefix.
 */
import type { RequestMessage } from '../../protocol/inputs.js';
import { isLedgerError } from '../../ledger/index.js';
import { causeOf, fail, type ServeResult } from './outcome.js';
import { invokeChaincode } from './invoke.js';
import { getHistoryForKey, getQueryResult, getStateByRange, queryStateClose, queryStateNext } from './queries.js';
import {
  delState,
  getPrivateDataHash,
  getState,
  getStateMetadata,
  getStateMultiple,
  purgePrivateData,
  putState,
  putStateMetadata,
  writeBatchState,
} from './state.js';
import type { TxServeContext } from './types.js';

export interface RequestServerOptions {
  /** Told about every non-LedgerError caught while serving (what Fabric logs as
   * `Recovered from panic handling <TYPE>`). Errors thrown by the hook are ignored. */
  onPanic?(error: unknown, request: RequestMessage): void;
}

function dispatch(ctx: TxServeContext, r: RequestMessage): Promise<ServeResult> {
  const sim = ctx.simulation;
  switch (r.type) {
    case 'GET_STATE':
      return getState(sim, r.payload);
    case 'PUT_STATE':
      return putState(sim, r.payload);
    case 'DEL_STATE':
      return delState(sim, r.payload);
    case 'INVOKE_CHAINCODE':
      return invokeChaincode(ctx, r.payload);
    case 'GET_STATE_BY_RANGE':
      return getStateByRange(sim, r.payload);
    case 'GET_QUERY_RESULT':
      return getQueryResult(sim, r.payload);
    case 'QUERY_STATE_NEXT':
      return queryStateNext(sim, r.payload);
    case 'QUERY_STATE_CLOSE':
      return queryStateClose(sim, r.payload);
    case 'GET_HISTORY_FOR_KEY':
      return getHistoryForKey(sim, r.payload);
    case 'GET_STATE_METADATA':
      return getStateMetadata(sim, r.payload);
    case 'PUT_STATE_METADATA':
      return putStateMetadata(sim, r.payload);
    case 'GET_PRIVATE_DATA_HASH':
      return getPrivateDataHash(sim, r.payload);
    case 'PURGE_PRIVATE_DATA':
      return purgePrivateData(sim, r.payload);
    case 'WRITE_BATCH_STATE':
      return writeBatchState(sim, r.payload);
    case 'GET_STATE_MULTIPLE':
      return getStateMultiple(sim, r.payload);
    default: {
      // Unreachable for a well-typed caller; the core only routes request types here.
      const never: never = r;
      throw new TypeError(`not a request type: ${String((never as { type?: unknown }).type)}`);
    }
  }
}

/**
 * The server for one transaction. The context must describe its simulation (same namespace,
 * channel and Init flag): the simulation applies the handler's private-data checks with its own
 * flags, so a mismatch would be a runtime bug and is refused here, at creation.
 */
export function createRequestServer(
  ctx: TxServeContext,
  options: RequestServerOptions = {},
): (request: RequestMessage) => Promise<ServeResult> {
  const sim = ctx.simulation;
  if (sim.namespace !== ctx.namespace || sim.channel !== ctx.channel || sim.isInit !== ctx.isInit) {
    throw new TypeError(
      `TxServeContext does not match its simulation: namespace ${ctx.namespace}/${sim.namespace}, ` +
        `channel ${ctx.channel}/${sim.channel}, isInit ${ctx.isInit}/${sim.isInit}`,
    );
  }
  return async (request) => {
    try {
      return await dispatch(ctx, request);
    } catch (e) {
      if (!isLedgerError(e) && options.onPanic !== undefined) {
        try {
          options.onPanic(e, request);
        } catch {
          // A logging hook must not change the answer.
        }
      }
      return fail(causeOf(e));
    }
  };
}
