/**
 * The Gateway service messages (gateway/gateway.proto) against @hyperledger/fabric-protos, plus
 * the request/signature layering the service relies on.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeChaincodeEventsRequest,
  decodeCommitStatusRequest,
  decodeEndorseResponse,
  decodeSignedChaincodeEventsRequest,
  decodeSignedCommitStatusRequest,
  encodeChaincodeEventsRequest,
  encodeCommitStatusRequest,
  encodeCommitStatusResponse,
  encodeEndorseResponse,
  encodeSignedChaincodeEventsRequest,
  encodeSignedCommitStatusRequest,
  TxValidationCode,
  type ChaincodeEventsRequest,
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
