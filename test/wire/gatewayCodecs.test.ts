/**
 * The Gateway service messages (gateway/gateway.proto) and the gRPC error details it sends
 * (google.rpc.Status, google.protobuf.Any) against @hyperledger/fabric-protos, plus the
 * request/signature layering the service relies on and the grpc-status-details-bin trailer as
 * @hyperledger/fabric-gateway reads it.
 */
import { createRequire } from 'node:module';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import pkg from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import {
  decodeAny,
  decodeChaincodeEventsRequest,
  decodeCommitStatusRequest,
  decodeEndorseResponse,
  decodeErrorDetail,
  decodeRpcStatus,
  decodeSignedChaincodeEventsRequest,
  decodeSignedCommitStatusRequest,
  encodeChaincodeEventsRequest,
  encodeCommitStatusRequest,
  encodeCommitStatusResponse,
  encodeEndorseResponse,
  encodeErrorDetail,
  encodeRpcStatus,
  encodeAny,
  encodeSignedChaincodeEventsRequest,
  encodeSignedCommitStatusRequest,
  TxValidationCode,
  type ChaincodeEventsRequest,
  type ErrorDetail,
  type RpcStatus,
} from '../../src/wire/index.js';
import { checkMessages } from './fabricOracle.js';
import { expectSame, hex } from './oracle.js';

checkMessages('gateway', [
  'gateway.EndorseRequest',
  'gateway.EndorseResponse',
  'gateway.SubmitRequest',
  'gateway.SubmitResponse',
  'gateway.SignedCommitStatusRequest',
  'gateway.CommitStatusRequest',
  'gateway.CommitStatusResponse',
  'gateway.EvaluateRequest',
  'gateway.EvaluateResponse',
  'gateway.SignedChaincodeEventsRequest',
  'gateway.ChaincodeEventsRequest',
  'gateway.ChaincodeEventsResponse',
  'gateway.ErrorDetail',
  'gateway.ProposedTransaction',
  'gateway.PreparedTransaction',
]);

checkMessages('gRPC error details', [
  'google.rpc.Status',
  'google.protobuf.Any',
]);

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('gateway requests, one level at a time', () => {
  it('a signed commit-status request carries the request bytes as signed', () => {
    const request = { transactionId: 'tx1', channelId: 'mychannel', identity: bytes(1, 2) };
    const requestBytes = encodeCommitStatusRequest(request);
    const signed = decodeSignedCommitStatusRequest(encodeSignedCommitStatusRequest({ request: requestBytes, signature: bytes(9) }));
    if (!signed.ok) throw new Error(signed.reason);
    expect(hex(signed.value.request)).toBe(hex(requestBytes));
    expectSame(decodeCommitStatusRequest(signed.value.request), { ok: true, value: request });
  });

  it('chaincode events: start position absent, and each seek variant', () => {
    const base: ChaincodeEventsRequest = {
      channelId: 'ch',
      chaincodeId: 'basic',
      identity: bytes(7),
      startPosition: undefined,
      afterTransactionId: '',
    };
    const positions: ChaincodeEventsRequest['startPosition'][] = [
      undefined,
      { type: undefined },
      { type: { case: 'newest', value: {} } },
      { type: { case: 'oldest', value: {} } },
      { type: { case: 'nextCommit', value: {} } },
      { type: { case: 'specified', value: { number: 0 } } },
      { type: { case: 'specified', value: { number: 12345 } } },
    ];
    for (const startPosition of positions) {
      const value = { ...base, startPosition };
      const signed = encodeSignedChaincodeEventsRequest({ request: encodeChaincodeEventsRequest(value), signature: bytes() });
      const outer = decodeSignedChaincodeEventsRequest(signed);
      if (!outer.ok) throw new Error(outer.reason);
      expectSame(decodeChaincodeEventsRequest(outer.value.request), { ok: true, value });
    }
  });

  it('a oneof member set to an empty message is written (SeekPosition.oldest = {} is field 2, length 0)', () => {
    const wire = encodeChaincodeEventsRequest({
      channelId: '',
      chaincodeId: '',
      identity: bytes(),
      startPosition: { type: { case: 'oldest', value: {} } },
      afterTransactionId: '',
    });
    expect(hex(wire)).toBe('22021200');
  });

  it('commit status: the validation code is the plain enum number', () => {
    expect(hex(encodeCommitStatusResponse({ result: TxValidationCode.MVCC_READ_CONFLICT, blockNumber: 5 }))).toBe('080b1005');
  });

  it('an endorse response with an unsigned envelope keeps the empty signature absent', () => {
    const r = decodeEndorseResponse(encodeEndorseResponse({ preparedTransaction: { payload: bytes(1), signature: bytes() } }));
    expectSame(r, { ok: true, value: { preparedTransaction: { payload: bytes(1), signature: bytes() } } });
  });
});

describe('gRPC error details (grpc-status-details-bin)', () => {
  const ERROR_DETAIL_URL = 'type.googleapis.com/gateway.ErrorDetail';
  const details: ErrorDetail[] = [
    { address: 'peer0.org1.example.com:7051', mspId: 'Org1MSP', message: 'chaincode response 500, asset not found' },
    { address: 'peer0.org2.example.com:9051', mspId: 'Org2MSP', message: 'timeout expired' },
  ];
  const status: RpcStatus = {
    code: GrpcStatus.ABORTED,
    message: 'failed to endorse transaction, see attached details for more info',
    details: details.map((d) => ({ typeUrl: ERROR_DETAIL_URL, value: encodeErrorDetail(d) })),
  };

  it('Any: type URL is field 1, value field 2 (the generated class names the first type_url)', () => {
    expect(hex(encodeAny({ typeUrl: 'a', value: bytes(7) }))).toBe('0a01611201' + '07');
    expectSame(decodeAny(bytes(0x0a, 0x01, 0x61, 0x12, 0x01, 0x07)), { ok: true, value: { typeUrl: 'a', value: bytes(7) } });
  });

  it('fabric-protos reads our Status with ErrorDetail details, and we read its bytes back', () => {
    const wire = encodeRpcStatus(status);
    const theirs = pkg.google.rpc.Status.deserializeBinary(wire);
    expect(theirs.getCode()).toBe(GrpcStatus.ABORTED);
    expect(theirs.getMessage()).toBe(status.message);
    const read = theirs.getDetailsList().map((any) => {
      expect(any.getTypeUrl()).toBe(ERROR_DETAIL_URL);
      expect(any.getTypeName()).toBe('gateway.ErrorDetail');
      const e = pkg.gateway.ErrorDetail.deserializeBinary(any.getValue_asU8());
      return { address: e.getAddress(), mspId: e.getMspId(), message: e.getMessage() };
    });
    expect(read).toEqual(details);
    expect(hex(theirs.serializeBinary())).toBe(hex(wire));

    const ours = decodeRpcStatus(theirs.serializeBinary());
    expectSame(ours, { ok: true, value: status });
    if (!ours.ok) return;
    expect(ours.value.details.map((d) => decodeErrorDetail(d.value))).toEqual(details.map((value) => ({ ok: true, value })));
  });

  it('@hyperledger/fabric-gateway turns the trailer into GatewayError.details', () => {
    const { newGatewayError } = createRequire(import.meta.url)('@hyperledger/fabric-gateway/dist/gatewayerror.js') as {
      newGatewayError(err: { code: number; message: string; metadata: Metadata }): { code: number; details: ErrorDetail[] };
    };
    const metadata = new Metadata();
    metadata.add('grpc-status-details-bin', Buffer.from(encodeRpcStatus(status)));
    const err = newGatewayError({ code: status.code, message: `10 ABORTED: ${status.message}`, metadata });
    expect(err.code).toBe(GrpcStatus.ABORTED);
    expect(err.details).toEqual(details);
  });
});
