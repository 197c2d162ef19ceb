/**
 * The JSON forms of the peer's HTTP API (docs/api.md): request bodies of `POST /invoke` and
 * `POST /query` turned into an `InvokeRequest`, and an `InvokeResult` turned into the response object
 * (which `ccproto invoke` / `ccproto query` print unchanged). Pure functions, no I/O.
 */
import type { InvokeRequest, InvokeResult } from '../types.js';

/** Channel used when a request names none. */
export const DEFAULT_CHANNEL = 'mychannel';

/** Body of `POST /invoke` and `POST /query`. */
export interface ApiInvokeBody {
  channel?: string;
  chaincode: string;
  /** Function and arguments as UTF-8 text. */
  args?: string[];
  /** Function and arguments as standard base64; when present, replaces `args`. */
  argsBase64?: string[];
  /** Transient map, values as UTF-8 text. */
  transient?: Record<string, string>;
  /** Transient map, values as standard base64 (merged with `transient`; a key may not be in both). */
  transientBase64?: Record<string, string>;
  init?: boolean;
  mspId?: string;
  user?: string;
  txId?: string;
}

/** One chaincode event in a response. */
export interface ApiEvent {
  name: string;
  /** The payload decoded as UTF-8 (invalid sequences become U+FFFD). */
  payload: string;
  /** The exact payload bytes, standard base64. */
  payloadBase64: string;
}

/** Response of `POST /invoke` and `POST /query`; also what the CLI prints. */
export interface ApiInvokeResult {
  txId: string;
  status: number;
  message: string;
  /** The payload decoded as UTF-8 (invalid sequences become U+FFFD). */
  payload: string;
  /** The exact payload bytes, standard base64. */
  payloadBase64: string;
  events: ApiEvent[];
  committed: boolean;
  /** A submitted transaction that was ordered: its block and validation code (TxValidationCode name). */
  blockNumber?: number;
  validationCode?: string;
}

/** A request the API refuses, with the HTTP status to answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Standard base64, padding optional; no whitespace, no base64url, no stray bits. */
export function decodeBase64Strict(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const unpadded = s.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  if (s.length !== unpadded.length && s.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(unpadded, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw bad(`"${key}" must be a non-empty string`);
  return v;
}

function stringArray(v: unknown, key: string): string[] {
  if (!Array.isArray(v)) throw bad(`"${key}" must be an array of strings`);
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw bad(`"${key}[${i}]" must be a string`);
  });
  return v as string[];
}

function stringRecord(v: unknown, key: string): Record<string, string> {
  if (!isPlainObject(v)) throw bad(`"${key}" must be an object whose values are strings`);
  for (const [k, item] of Object.entries(v)) {
    if (typeof item !== 'string') throw bad(`"${key}.${k}" must be a string`);
  }
  return v as Record<string, string>;
}

/**
 * Validate a parsed request body and turn it into an `InvokeRequest`.
 * @throws HttpError(400) naming the offending field.
 */
export function parseInvokeBody(body: unknown, submit: boolean): InvokeRequest {
  if (!isPlainObject(body)) throw bad('the request body must be a JSON object');

  const chaincode = optionalString(body, 'chaincode');
  if (chaincode === undefined) throw bad('"chaincode" is required (the chaincode name)');
  const channel = optionalString(body, 'channel') ?? DEFAULT_CHANNEL;

  let args: (string | Uint8Array)[];
  const hasArgs = body['args'] !== undefined && body['args'] !== null;
  const hasArgsBase64 = body['argsBase64'] !== undefined && body['argsBase64'] !== null;
  if (hasArgsBase64) {
    const encoded = stringArray(body['argsBase64'], 'argsBase64');
    if (hasArgs && stringArray(body['args'], 'args').length > 0) {
      throw bad('give "args" or "argsBase64", not both');
    }
    args = encoded.map((s, i) => {
      const bytes = decodeBase64Strict(s);
      if (!bytes) throw bad(`"argsBase64[${i}]" is not valid base64`);
      return bytes;
    });
  } else if (hasArgs) {
    args = [...stringArray(body['args'], 'args')];
  } else {
    throw bad('"args" is required (function name and arguments)');
  }

  let transient: Record<string, Uint8Array> | undefined;
  if (body['transient'] !== undefined && body['transient'] !== null) {
    transient = {};
    for (const [k, v] of Object.entries(stringRecord(body['transient'], 'transient'))) {
      transient[k] = new TextEncoder().encode(v);
    }
  }
  if (body['transientBase64'] !== undefined && body['transientBase64'] !== null) {
    transient ??= {};
    for (const [k, v] of Object.entries(stringRecord(body['transientBase64'], 'transientBase64'))) {
      if (Object.prototype.hasOwnProperty.call(transient, k)) {
        throw bad(`transient key "${k}" is in both "transient" and "transientBase64"`);
      }
      const bytes = decodeBase64Strict(v);
      if (!bytes) throw bad(`"transientBase64.${k}" is not valid base64`);
      transient[k] = bytes;
    }
  }

  const init = body['init'];
  if (init !== undefined && init !== null && typeof init !== 'boolean') throw bad('"init" must be a boolean');

  const req: InvokeRequest = { channel, chaincode, args, submit };
  if (transient) req.transient = transient;
  if (init === true) req.init = true;
  const mspId = optionalString(body, 'mspId');
  if (mspId !== undefined) req.mspId = mspId;
  const user = optionalString(body, 'user');
  if (user !== undefined) req.user = user;
  const txId = optionalString(body, 'txId');
  if (txId !== undefined) req.txId = txId;
  return req;
}

/** The response object for an `InvokeResult`. */
export function resultToJson(result: InvokeResult): ApiInvokeResult {
  return {
    txId: result.txId,
    status: result.status,
    message: result.message,
    payload: decodeUtf8(result.payload),
    payloadBase64: encodeBase64(result.payload),
    events: result.events.map((e) => ({
      name: e.name,
      payload: decodeUtf8(e.payload),
      payloadBase64: encodeBase64(e.payload),
    })),
    committed: result.committed,
    ...(result.blockNumber !== undefined ? { blockNumber: result.blockNumber, validationCode: result.validationCode ?? '' } : {}),
  };
}
