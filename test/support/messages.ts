/** Valid domain messages of every type, for tests that need "a message of type T". */
import type { Message, MessageOf } from '../../src/protocol/messages.js';
import { EMPTY_BYTES, utf8Bytes } from '../../src/protocol/messages.js';
import type { MessageTypeName, KnownMessageTypeName } from '../../src/protocol/messageType.js';
import type { RequestMessage } from '../../src/protocol/inputs.js';

const b = (s: string) => utf8Bytes(s);

export function payloadFor(type: KnownMessageTypeName): MessageOf<typeof type>['payload'] {
  switch (type) {
    case 'REGISTER':
      return { name: 'mycc:1.0', path: '', version: '' };
    case 'INIT':
    case 'TRANSACTION':
      return { args: [b('fn'), b('a')], decorations: {}, isInit: type === 'INIT' };
    case 'READY':
      return { useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 };
    case 'COMPLETED':
      return { status: 200, message: '', payload: b('ok') };
    case 'ERROR':
      return b('boom');
    case 'GET_STATE':
    case 'GET_STATE_METADATA':
    case 'GET_PRIVATE_DATA_HASH':
      return { key: 'k', collection: type === 'GET_PRIVATE_DATA_HASH' ? 'c' : '' };
    case 'PUT_STATE':
      return { key: 'k', value: b('v'), collection: '' };
    case 'DEL_STATE':
    case 'PURGE_PRIVATE_DATA':
      return { key: 'k', collection: type === 'PURGE_PRIVATE_DATA' ? 'c' : '' };
    case 'INVOKE_CHAINCODE':
      return { type: 0, chaincodeId: { name: 'other', path: '', version: '' }, input: { args: [b('get')], decorations: {}, isInit: false }, timeout: 0 };
    case 'GET_STATE_BY_RANGE':
      return { startKey: 'a', endKey: 'z', collection: '', metadata: EMPTY_BYTES };
    case 'GET_QUERY_RESULT':
      return { query: '{"selector":{}}', collection: '', metadata: EMPTY_BYTES };
    case 'QUERY_STATE_NEXT':
    case 'QUERY_STATE_CLOSE':
      return { id: 'it-1' };
    case 'GET_HISTORY_FOR_KEY':
      return { key: 'k' };
    case 'PUT_STATE_METADATA':
      return { key: 'k', collection: '', metadata: { metakey: 'VALIDATION_PARAMETER', value: b('ep') } };
    case 'WRITE_BATCH_STATE':
      return { records: [{ key: 'k', value: b('v'), collection: '', metadata: undefined, type: 9 }] };
    case 'GET_STATE_MULTIPLE':
      return { keys: ['a', 'b'], collection: '' };
    default:
      return EMPTY_BYTES;
  }
}

export function sampleMessage(type: MessageTypeName, channelId = 'ch', txid = 'tx1'): Message {
  const handshake = type === 'REGISTER' || type === 'REGISTERED' || type === 'READY' || type === 'KEEPALIVE';
  const env = { txid: handshake ? '' : txid, channelId: handshake ? '' : channelId };
  if (type === 'UNKNOWN') return { type, code: 99, payload: EMPTY_BYTES, ...env };
  const m = { type, payload: payloadFor(type), ...env } as Message;
  if (type === 'INIT' || type === 'TRANSACTION') (m as MessageOf<'TRANSACTION'>).proposal = { proposalBytes: b('p'), signature: b('s') };
  return m;
}

export function sampleRequest(type: RequestMessage['type'], channelId = 'ch', txid = 'tx1'): RequestMessage {
  return sampleMessage(type, channelId, txid) as RequestMessage;
}
