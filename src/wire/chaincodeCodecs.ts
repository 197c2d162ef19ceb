/**
 * Codecs for the chaincode-level messages: identity, input, invocation spec, READY parameters,
 * result, event and the timestamp they share (fabric-protos peer/chaincode.proto,
 * peer/chaincode_event.proto, peer/proposal_response.proto Response, google/protobuf/timestamp.proto).
 */
import type {
  Bytes,
  ChaincodeAdditionalParams,
  ChaincodeEvent,
  ChaincodeId,
  ChaincodeInput,
  ChaincodeSpec,
  Response,
  Timestamp,
} from '../protocol/messages.js';
import { EMPTY_BYTES } from '../protocol/messages.js';
import { google, protos } from './generated/protos.js';
import { bin, bytesOf, flag, int64Of, list, messageCodec, num, str } from './runtime.js';

export const timestampCodec = messageCodec(
  'google.protobuf.Timestamp',
  google.protobuf.Timestamp,
  (v: Timestamp): google.protobuf.ITimestamp => ({ seconds: num(v.seconds), nanos: num(v.nanos) }),
  (m: google.protobuf.ITimestamp): Timestamp => ({ seconds: int64Of(m.seconds), nanos: m.nanos ?? 0 }),
);

export const chaincodeIdCodec = messageCodec(
  'protos.ChaincodeID',
  protos.ChaincodeID,
  (v: ChaincodeId): protos.IChaincodeID => ({ path: str(v.path), name: str(v.name), version: str(v.version) }),
  (m: protos.IChaincodeID): ChaincodeId => ({ path: m.path ?? '', name: m.name ?? '', version: m.version ?? '' }),
);

export const chaincodeInputCodec = messageCodec(
  'protos.ChaincodeInput',
  protos.ChaincodeInput,
  (v: ChaincodeInput): protos.IChaincodeInput => ({
    args: list(v.args),
    decorations: v.decorations,
    isInit: flag(v.isInit),
  }),
  (m: protos.IChaincodeInput): ChaincodeInput => ({
    args: m.args ?? [],
    decorations: bytesMap(m.decorations),
    isInit: m.isInit ?? false,
  }),
);

export const chaincodeSpecCodec = messageCodec(
  'protos.ChaincodeSpec',
  protos.ChaincodeSpec,
  (v: ChaincodeSpec): protos.IChaincodeSpec => ({
    type: num(v.type),
    chaincodeId: v.chaincodeId && chaincodeIdCodec.toWire(v.chaincodeId),
    input: v.input && chaincodeInputCodec.toWire(v.input),
    timeout: num(v.timeout),
  }),
  (m: protos.IChaincodeSpec): ChaincodeSpec => ({
    type: m.type ?? 0,
    chaincodeId: m.chaincodeId ? chaincodeIdCodec.fromWire(m.chaincodeId) : undefined,
    input: m.input ? chaincodeInputCodec.fromWire(m.input) : undefined,
    timeout: m.timeout ?? 0,
  }),
);

export const chaincodeAdditionalParamsCodec = messageCodec(
  'protos.ChaincodeAdditionalParams',
  protos.ChaincodeAdditionalParams,
  (v: ChaincodeAdditionalParams): protos.IChaincodeAdditionalParams => ({
    useWriteBatch: flag(v.useWriteBatch),
    maxSizeWriteBatch: num(v.maxSizeWriteBatch),
    useGetMultipleKeys: flag(v.useGetMultipleKeys),
    maxSizeGetMultipleKeys: num(v.maxSizeGetMultipleKeys),
  }),
  (m: protos.IChaincodeAdditionalParams): ChaincodeAdditionalParams => ({
    useWriteBatch: m.useWriteBatch ?? false,
    maxSizeWriteBatch: m.maxSizeWriteBatch ?? 0,
    useGetMultipleKeys: m.useGetMultipleKeys ?? false,
    maxSizeGetMultipleKeys: m.maxSizeGetMultipleKeys ?? 0,
  }),
);

export const responseCodec = messageCodec(
  'protos.Response',
  protos.Response,
  (v: Response): protos.IResponse => ({ status: num(v.status), message: str(v.message), payload: bin(v.payload) }),
  (m: protos.IResponse): Response => ({ status: m.status ?? 0, message: m.message ?? '', payload: bytesOf(m.payload) }),
);

export const chaincodeEventCodec = messageCodec(
  'protos.ChaincodeEvent',
  protos.ChaincodeEvent,
  (v: ChaincodeEvent): protos.IChaincodeEvent => ({
    chaincodeId: str(v.chaincodeId),
    txId: str(v.txId),
    eventName: str(v.eventName),
    payload: bin(v.payload),
  }),
  (m: protos.IChaincodeEvent): ChaincodeEvent => ({
    chaincodeId: m.chaincodeId ?? '',
    txId: m.txId ?? '',
    eventName: m.eventName ?? '',
    payload: bytesOf(m.payload),
  }),
);

/**
 * A decoded map<string, bytes>. The generated decoder already stores a `__proto__` key as an own
 * property (no prototype pollution); an entry without a value field comes out as `[]`, which
 * becomes empty bytes here.
 */
export function bytesMap(decoded: { [k: string]: Uint8Array } | null | undefined): Record<string, Bytes> {
  if (!decoded) return {};
  for (const key of Object.keys(decoded)) {
    const value = decoded[key];
    if (!(value instanceof Uint8Array) || value.length === 0) decoded[key] = EMPTY_BYTES;
  }
  return decoded;
}
