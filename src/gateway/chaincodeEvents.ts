/**
 * gateway.Gateway/ChaincodeEvents (internal/pkg/gateway/chaincodeevents.go): the signer must be a
 * reader of the channel; events of valid transactions of one chaincode, one response per block
 * that has any, from the start position (next commit by default, or a block number) — or from the
 * block of `after_transaction_id`, skipping events up to and including that transaction's, which
 * is how the SDKs' checkpointers resume with no event twice and none missed. Waits for new blocks
 * until the client cancels.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import { viewBlock } from '../committer/blockEvents.js';
import type { Peer } from '../peer/peer.js';
import { Code } from '../peer/gateway/result.js';
import type { ChaincodeEvent } from '../protocol/messages.js';
import { decodeChaincodeEventsRequest, decodeSignedChaincodeEventsRequest, encodeChaincodeEventsResponse, TxValidationCode } from '../wire/index.js';
import { StreamControl } from './streams.js';

export async function serveChaincodeEvents(call: ServerWritableStream<Buffer, Buffer>, peer: Peer): Promise<void> {
  const s = new StreamControl(call);
  const fail = (code: number, message: string): void => s.fail({ code, message, details: [] });
  const signed = decodeSignedChaincodeEventsRequest(call.request);
  if (!signed.ok || signed.value.request.length === 0) return fail(Code.INVALID_ARGUMENT, signed.ok ? 'a chaincode events request is required' : `invalid chaincode events request: ${signed.reason}`);
  const req = decodeChaincodeEventsRequest(signed.value.request);
  if (!req.ok) return fail(Code.INVALID_ARGUMENT, `invalid chaincode events request: ${req.reason}`);
  const { channelId, chaincodeId, afterTransactionId, startPosition } = req.value;
  const denied = peer.gateway!.checkReader(channelId, req.value.identity, signed.value.request, signed.value.signature);
  if (denied) return fail(Code.PERMISSION_DENIED, denied);
  const ledger = await peer.existingChannel(channelId);
  if (!ledger) return fail(Code.NOT_FOUND, `channel ${channelId} not found`);

  let start: number | undefined;
  if (afterTransactionId !== '') start = (await ledger.txStatus(afterTransactionId))?.blockNumber;
  if (start === undefined) {
    const type = startPosition?.type;
    if (type === undefined || type.case === 'nextCommit') start = ledger.height;
    else if (type.case === 'specified') start = type.value.number;
    else return fail(Code.INVALID_ARGUMENT, `invalid start position type: ${type.case}`);
  }

  let passed = afterTransactionId === '';
  const matches = (e: ChaincodeEvent): boolean => {
    if (!passed) {
      if (e.txId === afterTransactionId) passed = true;
      return false;
    }
    return e.chaincodeId === chaincodeId;
  };
  for (let n = start; !s.cancelled; n++) {
    const bytes = await ledger.waitForBlock(n, s.onWait);
    if (!bytes) break;
    const view = viewBlock(bytes);
    if (!view) return fail(Code.ABORTED, `block ${n} of channel ${channelId} cannot be read`);
    const events = view.txs.filter((tx) => tx.code === TxValidationCode.VALID && tx.event).map((tx) => tx.event as ChaincodeEvent).filter(matches);
    if (events.length > 0) await s.write(encodeChaincodeEventsResponse({ events, blockNumber: n }));
  }
  if (!s.cancelled) fail(Code.UNAVAILABLE, 'the peer is shutting down');
}
