/**
 * Domain types for the gRPC rich error model: google.rpc.Status (google/rpc/status.proto) and the
 * google.protobuf.Any it carries its details in (google/protobuf/any.proto). A server sends a
 * serialized Status in the `grpc-status-details-bin` trailer; the Fabric Gateway puts one
 * `Any { typeUrl: 'type.googleapis.com/gateway.ErrorDetail', value: <ErrorDetail bytes> }` per
 * failed endpoint in `details` (encode the ErrorDetail with `encodeErrorDetail`).
 * Conventions: proposalTypes.ts and shapes.ts.
 */
import type { Bytes } from '../protocol/messages.js';

/** google.protobuf.Any: one serialized message and the URL naming its type. */
export interface Any {
  /** "type.googleapis.com/<full proto name>", e.g. "type.googleapis.com/gateway.ErrorDetail". */
  typeUrl: string;
  /** The serialized message; decode it with the codec `typeUrl` names. */
  value: Bytes;
}

/**
 * google.rpc.Status (exported as RpcStatus: `Status` is Fabric's common.Status enum). The value of
 * the `grpc-status-details-bin` trailer of a failed gRPC call.
 */
export interface RpcStatus {
  /** The gRPC status code (0 OK, 2 UNKNOWN, 4 DEADLINE_EXCEEDED, 10 ABORTED, 14 UNAVAILABLE, ...). */
  code: number;
  message: string;
  details: Any[];
}
