/**
 * protos.Deliver (common/deliver/deliver.go Handle/deliverBlocks, core/peer/deliverevents.go):
 * each request on the stream is a signed Envelope carrying a SeekInfo; the answer is the blocks
 * from start to stop (full, filtered, or with private data) and then a SUCCESS status, or one
 * status for a request that cannot be served:
 *
 *   unreadable envelope, payload or SeekInfo; stop before start   BAD_REQUEST
 *   unknown channel                                               NOT_FOUND
 *   signer not a reader of the channel                            FORBIDDEN
 *   a block beyond the ledger with FAIL_IF_NOT_READY              NOT_FOUND
 *
 * With BLOCK_UNTIL_READY (the default) a block not yet committed is waited for, as Fabric does.
 * Requests on one stream are served one after another.
 *
 * DeliverWithPrivateData answers each block with the private write sets kept with it that the
 * requester may read (core/peer/deliverevents.go getPrivateData; src/committer/blockPrivateData.ts).
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { filteredBlock, viewBlock } from '../committer/blockEvents.js';
import { blockPrivateDataMap, collectionReader } from '../committer/blockPrivateData.js';
import { signedBy } from '../committer/creator.js';
import type { Peer } from '../peer/peer.js';
import {
  encodeDeliverBlockAndPrivateDataBytes,
  encodeDeliverBlockBytes,
  decodeChannelHeader,
  decodeCommonPayload,
  decodeEnvelope,
  decodeSeekInfo,
  decodeSignatureHeader,
  encodeDeliverResponse,
  SeekBehavior,
  Status,
  type SeekPosition,
  type TxPvtReadWriteSet,
} from '../wire/index.js';
import { StreamControl } from './streams.js';

export type DeliverKind = 'block' | 'filtered' | 'private';

export function serveDeliver(call: ServerDuplexStream<Buffer, Buffer>, peer: Peer, kind: DeliverKind): void {
  const s = new StreamControl(call);
  let queue = Promise.resolve();
  call.on('data', (bytes: Buffer) => {
    queue = queue.then(() => serveOne(s, peer, kind, bytes)).catch(() => s.fail({ code: 13, message: 'internal error while delivering blocks', details: [] }));
  });
  call.on('end', () => {
    void queue.then(() => s.end());
  });
}

async function status(s: StreamControl, code: number): Promise<void> {
  await s.write(encodeDeliverResponse({ type: { case: 'status', value: code } }));
}

async function serveOne(s: StreamControl, peer: Peer, kind: DeliverKind, bytes: Buffer): Promise<void> {
  const env = decodeEnvelope(bytes);
  const payload = env.ok ? decodeCommonPayload(env.value.payload) : undefined;
  if (!env.ok || !payload?.ok || !payload.value.header) return status(s, Status.BAD_REQUEST);
  const ch = decodeChannelHeader(payload.value.header.channelHeader);
  const sh = decodeSignatureHeader(payload.value.header.signatureHeader);
  if (!ch.ok || !sh.ok) return status(s, Status.BAD_REQUEST);
  const ledger = await peer.existingChannel(ch.value.channelId);
  if (!ledger) return status(s, Status.NOT_FOUND);
  if (peer.gateway!.checkReader(ch.value.channelId, sh.value.creator, env.value.payload, env.value.signature)) return status(s, Status.FORBIDDEN);
  const seek = decodeSeekInfo(payload.value.data);
  if (!seek.ok || !seek.value.start || !seek.value.stop) return status(s, Status.BAD_REQUEST);
  const failIfNotReady = seek.value.behavior === SeekBehavior.FAIL_IF_NOT_READY;
  const height = ledger.height;
  const start = position(seek.value.start, height);
  if (start === undefined) return status(s, Status.BAD_REQUEST);
  if (failIfNotReady && start >= height) return status(s, Status.NOT_FOUND);
  // deliver.go: a stop at the newest block is the newest block now, except when start is newest too.
  const sameNewest = seek.value.start.type?.case === 'newest' && seek.value.stop.type?.case === 'newest';
  const stop = sameNewest ? start : position(seek.value.stop, height);
  if (stop === undefined || stop < start) return status(s, Status.BAD_REQUEST);
  // deliverevents.go CheckCollectionPolicy evaluates the request's signed data (creator, payload, signature).
  const msps = peer.network!.msps;
  const canRead = kind === 'private' ? collectionReader(msps, signedBy(msps, sh.value.creator, env.value.payload, env.value.signature)) : undefined;
  for (let n = start; n <= stop && !s.cancelled; n++) {
    if (failIfNotReady && n >= ledger.height) return status(s, Status.NOT_FOUND);
    const block = await ledger.waitForBlock(n, s.onWait);
    if (!block) return status(s, Status.SERVICE_UNAVAILABLE);
    const privateData = canRead ? await blockPrivateDataMap({ world: peer.worldState, channel: ledger.channel, number: n, canRead }) : undefined;
    await s.write(encodeBlockResponse(kind, block, privateData));
  }
  if (!s.cancelled) await status(s, Status.SUCCESS);
}

/** The block number a seek position names, given the ledger height; undefined when it names none. */
function position(p: SeekPosition, height: number): number | undefined {
  switch (p.type?.case) {
    case 'oldest':
      return 0;
    case 'newest':
      return height - 1;
    case 'specified':
      return p.type.value.number;
    case 'nextCommit':
      return height;
    default:
      return undefined;
  }
}

function encodeBlockResponse(kind: DeliverKind, bytes: Uint8Array, privateDataMap: Map<number, TxPvtReadWriteSet> | undefined): Uint8Array {
  if (kind === 'filtered') {
    const view = viewBlock(bytes);
    if (view) return encodeDeliverResponse({ type: { case: 'filteredBlock', value: filteredBlock(view) } });
  }
  // The stored bytes are the block as our codec wrote it: sent as they are.
  return kind === 'private' ? encodeDeliverBlockAndPrivateDataBytes(bytes, privateDataMap ?? new Map()) : encodeDeliverBlockBytes(bytes);
}
