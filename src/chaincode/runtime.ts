/**
 * Runs a chaincode on a connection: for each INIT/TRANSACTION the connection announces, build a stub,
 * call Init or Invoke, and answer exactly once with COMPLETED or ERROR (docs/protocol.md §7.5).
 *
 * Rules (and where they come from):
 * - The response of Init/Invoke goes out as COMPLETED whatever its status, Init included (fabric-shim
 *   lib/handler.js handleMessage; the Go shim answers ERROR for an Init status >= 500). A missing
 *   response or status becomes status 500 `<prefix> Calling chaincode Invoke() has not called success
 *   or error.` (fabric-shim's text).
 * - A chaincode that throws (or rejects) gets an ERROR with the thrown message. fabric-shim awaits
 *   Init/Invoke without a catch (an unhandled rejection, no reply: the peer waits for its timeout);
 *   the Go shim crashes; the Java shim answers ERROR with a stack trace. ERROR is the defined answer.
 * - Before COMPLETED, the runtime waits for stub calls the chaincode started but did not await, then
 *   flushes an active write batch (the Go shim calls FinishWriteBatch after Init/Invoke, even for an
 *   error status). A failing flush turns the answer into ERROR `failed send batch: ...` (Go handler.go).
 * - The event set with setEvent travels with COMPLETED only (fabric-shim).
 * - A SignedProposal that does not decode fails the transaction before Init/Invoke with
 *   `failed to create new ChaincodeStub: <reason>` (Go's prefix, fabric-shim's reasons).
 */
import { ChaincodeConnection, type TransactionHandle } from '../drive/chaincodeConnection.js';
import type { ChaincodeAdditionalParams, Message, Response } from '../protocol/messages.js';
import { isOwnInitiative } from '../protocol/messageType.js';
import type { Violation } from '../protocol/violations.js';
import type { CloseReason, FrameStream } from '../transport/index.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';
import { newLogger, type Logger } from './logger.js';
import { RESPONSE_CODE } from './response.js';
import { ChaincodeStub } from './stub.js';
import { TransactionContext, type ConnectionView, type Env } from './txContext.js';
import type { ChaincodeInterface, ChaincodeResponse } from './types.js';

export interface RuntimeOptions {
  /** Environment the stub reads (CORE_PEER_LOCALMSPID). Default: process.env. */
  env?: Env;
  /** Default: newLogger('shim'). */
  logger?: Logger;
  /**
   * Told about every message in and out and every handler state change. Default: when the
   * environment has CCPROTO_TRACE=1, one `ccproto-trace <json>` line per event on stdout (what the
   * `npm start` demo reads from the chaincode process it launches).
   */
  trace?: (event: ChaincodeTraceEvent) => void;
}

/** One thing the chaincode side of a stream did. Messages are summarised (no payload bytes). */
export type ChaincodeTraceEvent =
  | { kind: 'message'; direction: 'in' | 'out'; type: string; txid: string; channelId: string }
  | { kind: 'state'; machine: 'chaincodeHandler'; from: string; to: string };

/** The CCPROTO_TRACE=1 default: JSON lines on stdout. */
export function traceFromEnv(env: Env): ((e: ChaincodeTraceEvent) => void) | undefined {
  if (env['CCPROTO_TRACE'] !== '1') return undefined;
  return (e) => void process.stdout.write(`ccproto-trace ${JSON.stringify(e)}\n`);
}

/** Throws unless `chaincode` has Init and Invoke functions (fabric-shim's texts). */
export function validateChaincode(chaincode: unknown): asserts chaincode is ChaincodeInterface {
  if (typeof chaincode !== 'object' || chaincode === null) throw new Error('Missing required argument: chaincode');
  const cc = chaincode as Partial<Record<'Init' | 'Invoke', unknown>>;
  if (typeof cc.Init !== 'function') throw new Error('The "chaincode" argument must implement the "Init()" method');
  if (typeof cc.Invoke !== 'function') throw new Error('The "chaincode" argument must implement the "Invoke()" method');
}

const EMPTY = new Uint8Array(0);

/** The ERROR text for a thrown value: its message, or a description of what was thrown. */
export function describeThrown(err: unknown, method: string): string {
  try {
    if (err instanceof Error) return err.message !== '' ? err.message : `${method}() threw ${err.name} without a message`;
    if (typeof err === 'string' && err !== '') return err;
    const shown = typeof err === 'object' && err !== null ? (JSON.stringify(err) ?? String(err)) : String(err);
    return `${method}() threw ${shown}`;
  } catch {
    return `${method}() threw a value that cannot be shown`;
  }
}

/** The protos.Response for what Init/Invoke returned (fabric-shim handleMessage's rules). */
export function toResponse(resp: ChaincodeResponse | null | undefined, prefix: string, method: string): Response {
  if (!resp || !resp.status) {
    return { status: RESPONSE_CODE.ERROR, message: `${prefix} Calling chaincode ${method}() has not called success or error.`, payload: EMPTY };
  }
  if (typeof resp.status !== 'number' || !Number.isInteger(resp.status) || resp.status < -(2 ** 31) || resp.status >= 2 ** 31) {
    return { status: RESPONSE_CODE.ERROR, message: `${prefix} Calling chaincode ${method}() returned an invalid status ${String(resp.status)}.`, payload: EMPTY };
  }
  const raw: unknown = resp.payload;
  if (raw !== undefined && raw !== null && typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    return { status: RESPONSE_CODE.ERROR, message: `${prefix} Calling chaincode ${method}() returned a payload that is neither bytes nor a string.`, payload: EMPTY };
  }
  const payload = raw === undefined || raw === null ? EMPTY : typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const message = resp.message === undefined || resp.message === null ? '' : String(resp.message);
  return { status: resp.status, message, payload };
}

/**
 * Runs one transaction to its answer. Never throws and never leaves a rejection behind; settles the
 * handle exactly once. `connection` is the ChaincodeConnection that announced the transaction (its
 * READY capabilities set the write-batch and multi-get limits).
 */
export async function runTransaction(
  tx: TransactionHandle,
  chaincode: ChaincodeInterface,
  connection: ConnectionView,
  options: RuntimeOptions = {},
): Promise<void> {
  const logger = options.logger ?? defaultLogger();
  const ctx = new TransactionContext(tx, connection, options.env ?? process.env, logger);
  const method = tx.txType === 'INIT' ? 'Init' : 'Invoke';
  const fail = (message: string): void => {
    ctx.end();
    tx.fail(message);
  };

  let stub: ChaincodeStub;
  try {
    stub = new ChaincodeStub(ctx);
  } catch (err) {
    const message = `failed to create new ChaincodeStub: ${err instanceof Error ? err.message : String(err)}`;
    logger.error('%s %s', ctx.prefix, message);
    return fail(message);
  }

  let result: ChaincodeResponse | null | undefined;
  try {
    result = await (tx.txType === 'INIT' ? chaincode.Init(stub) : chaincode.Invoke(stub));
  } catch (err) {
    logger.error('%s Calling chaincode %s() threw: %s', ctx.prefix, method, err instanceof Error ? (err.stack ?? err.message) : String(err));
    return fail(describeThrown(err, method));
  }

  let response: Response;
  try {
    response = toResponse(result, ctx.prefix, method);
    if (ctx.runningCalls > 0) await ctx.drain();
    if (ctx.batch) await stub.finishWriteBatch();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.error('%s %s', ctx.prefix, message);
    return fail(message);
  }
  if (response.status >= RESPONSE_CODE.ERROR) logger.error('%s Calling chaincode %s() returned error response [%s]', ctx.prefix, method, response.message);
  const event = ctx.event;
  ctx.end();
  tx.complete(response, event);
}

let sharedLogger: Logger | undefined;
function defaultLogger(): Logger {
  return (sharedLogger ??= newLogger('shim'));
}

/** A chaincode running on one stream (one REGISTER/READY handshake). */
export interface ChaincodeSession {
  readonly connection: ChaincodeConnection;
  /** Resolves with the READY capabilities; rejects if the stream ends first. */
  readonly ready: Promise<ChaincodeAdditionalParams>;
  /** Resolves (never rejects) with the reason once the stream has ended. */
  readonly closed: Promise<string>;
  /** Ends the stream. */
  close(reason?: string): void;
}

/** The Go shim's texts for the end of the stream (shim/shim.go chatWithPeer). */
export function describeClose(reason: CloseReason): string {
  switch (reason.kind) {
    case 'eof':
      return 'received EOF, ending chaincode stream';
    case 'error':
      return `receive failed: ${reason.codeName}: ${reason.message}`;
    case 'local':
      return reason.reason ?? 'stream closed';
  }
}

/**
 * Runs `chaincode` on a frame stream: decodes frames into the connection, encodes what it sends,
 * registers as `chaincodeName` (REGISTER is the chaincode's first message in both connection modes),
 * and answers every transaction with runTransaction.
 */
export function connectStream(
  stream: FrameStream,
  chaincode: ChaincodeInterface,
  chaincodeName: string,
  options: RuntimeOptions & { onViolation?: (v: Violation) => void } = {},
): ChaincodeSession {
  const logger = options.logger ?? defaultLogger();
  const trace = options.trace ?? traceFromEnv(options.env ?? (process.env as Env));
  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (resolveClosed = resolve));
  const connection: ChaincodeConnection = new ChaincodeConnection({
    send: (message) => {
      const origin = isOwnInitiative('chaincode', message.type) ? 'own' : 'reply';
      if (!stream.send(encodeMessage(message), origin)) throw new Error('the stream to the peer is closed');
    },
    close: (reason) => stream.close(reason),
    onTransaction: (tx) => {
      // Outside the drive loop. runTransaction settles the handle itself and does not reject; the
      // catch is a last line of defence against a bug turning into an unhandled rejection.
      Promise.resolve()
        .then(() => runTransaction(tx, chaincode, connection, options))
        .catch((err: unknown) => {
          logger.error('internal error running transaction %s: %s', tx.txid, err instanceof Error ? (err.stack ?? err.message) : String(err));
          tx.fail(`internal error: ${err instanceof Error ? err.message : String(err)}`);
        });
    },
    onViolation: (v) => {
      logger.warn('protocol violation %s (%s) in state %s: got %s, expected %s%s', v.code, v.blame, v.state, v.got, v.expected, v.cause ? `: ${v.cause}` : '');
      options.onViolation?.(v);
    },
    ...(trace
      ? {
          onStep: (input, effects, from, to) => {
            const brief = (direction: 'in' | 'out', m: Message) => trace({ kind: 'message', direction, type: m.type, txid: m.txid, channelId: m.channelId });
            if (input.kind === 'recv') brief('in', input.message);
            for (const e of effects) if (e.kind === 'send') brief('out', e.message);
            if (from !== to) trace({ kind: 'state', machine: 'chaincodeHandler', from, to });
          },
        }
      : {}),
  });
  stream.onFrame((frame) => {
    const r = decodeMessage(frame);
    if (r.ok) connection.receive(r.message);
    else connection.receiveMalformed(r.malformed);
  });
  stream.onClose((reason) => {
    const text = describeClose(reason);
    connection.transportClosed(text);
    resolveClosed(text);
  });
  const ready = connection.start(chaincodeName);
  ready.catch(() => {}); // observed by callers that care; never an unhandled rejection
  return { connection, ready, closed, close: (reason) => stream.close(reason) };
}
