/**
 * Response helpers. fabric-shim exposes the status codes only as `ChaincodeStub.RESPONSE_CODE`
 * (lib/stub.js); its .d.ts also declares a top-level `RESPONSE_CODE` enum that is `undefined` at run
 * time. Here the top-level constant exists and is the same object as `ChaincodeStub.RESPONSE_CODE`.
 */
import type { ErrorResponse, SuccessResponse } from './types.js';

/**
 * Status conventions shared by all shims (fabric-chaincode-go shim/response.go, fabric-shim
 * lib/stub.js): below 400 the endorser endorses; 400 and above is an error.
 */
export const RESPONSE_CODE = Object.freeze({
  /** Init/Invoke succeeded. */
  OK: 200,
  /** Status codes at or above this are errors and are not endorsed. */
  ERRORTHRESHOLD: 400,
  /** The default error status. */
  ERROR: 500,
} as const);

/** `{status: 200, payload}` (fabric-shim Shim.success: an absent payload becomes an empty Buffer). */
export function success(payload?: Uint8Array | string): SuccessResponse {
  const bytes = payload === undefined ? Buffer.alloc(0) : typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return { status: RESPONSE_CODE.OK, payload: bytes };
}

/** `{status: 500, message}` (fabric-shim Shim.error). */
export function error(msg: string): ErrorResponse {
  return { status: RESPONSE_CODE.ERROR, message: msg };
}
