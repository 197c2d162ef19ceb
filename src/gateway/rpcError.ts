/** gRPC errors in the Gateway's shape (internal/pkg/gateway/apiutils.go newRpcError / errorDetail). */
import { Metadata } from '@grpc/grpc-js';
import type { GatewayFailure } from '../peer/gateway/result.js';
import { encodeErrorDetail, encodeRpcStatus } from '../wire/index.js';

/** A gRPC error with the Gateway's ErrorDetails (internal/pkg/gateway/apiutils.go newRpcError). */
export function rpcError(f: Omit<GatewayFailure, 'ok'>): { code: number; details: string; metadata: Metadata } {
  const metadata = new Metadata();
  if (f.details.length > 0) {
    const status = encodeRpcStatus({
      code: f.code,
      message: f.message,
      details: f.details.map((d) => ({ typeUrl: 'type.googleapis.com/gateway.ErrorDetail', value: encodeErrorDetail(d) })),
    });
    metadata.set('grpc-status-details-bin', Buffer.from(status));
  }
  return { code: f.code, details: f.message, metadata };
}

