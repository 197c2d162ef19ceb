/**
 * The Gateway's answers as values: a result, or a gRPC status code, message and ErrorDetails
 * (address, MSP id, message per endpoint), the shape @hyperledger/fabric-gateway surfaces as a
 * GatewayError (internal/pkg/gateway/apiutils.go newRpcError / errorDetail).
 */
import type { ErrorDetail } from '../../wire/index.js';

/** The gRPC status codes the Gateway answers with (google.golang.org/grpc/codes). */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

export interface GatewayFailure {
  ok: false;
  code: number;
  message: string;
  details: ErrorDetail[];
}

export type GatewayResult<T> = ({ ok: true } & T) | GatewayFailure;

export function failure(code: number, message: string, details: ErrorDetail[] = []): GatewayFailure {
  return { ok: false, code, message, details };
}
