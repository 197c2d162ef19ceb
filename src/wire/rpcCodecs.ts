/**
 * Codecs for google.rpc.Status and google.protobuf.Any (protos/google/rpc/status.proto,
 * protos/google/protobuf/any.proto), the gRPC error details Fabric's Gateway sends in the
 * `grpc-status-details-bin` trailer.
 *
 * pbjs generates google.protobuf.Any from its own bundled copy of any.proto (a JSON descriptor,
 * not our file; see scripts/gen-proto.mjs), and field names of a JSON descriptor are not
 * camel-cased: the generated class has `type_url`, not `typeUrl`. The wire layout is the same;
 * only the mapping below has to use that name.
 */
import { google } from './generated/protos.js';
import type { Any, RpcStatus } from './rpcTypes.js';
import { bin, bytesOf, messageCodec, num, str } from './runtime.js';
import { listOf, wireList } from './shapes.js';

export const anyCodec = messageCodec(
  'google.protobuf.Any',
  google.protobuf.Any,
  (v: Any): google.protobuf.IAny => ({ type_url: str(v.typeUrl), value: bin(v.value) }),
  (m: google.protobuf.IAny): Any => ({ typeUrl: m.type_url ?? '', value: bytesOf(m.value) }),
);

export const rpcStatusCodec = messageCodec(
  'google.rpc.Status',
  google.rpc.Status,
  (v: RpcStatus): google.rpc.IStatus => ({
    code: num(v.code),
    message: str(v.message),
    details: wireList(v.details, anyCodec.toWire),
  }),
  (m: google.rpc.IStatus): RpcStatus => ({
    code: m.code ?? 0,
    message: m.message ?? '',
    details: listOf(m.details, anyCodec.fromWire),
  }),
);
