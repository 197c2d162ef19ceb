/**
 * Domain `Message` -> bytes: the exact inverse of decodeMessage.
 *
 * Like protobuf-go and google-protobuf, proto3 defaults are not written (type 0, empty strings,
 * empty bytes) and absent sub-messages (timestamp, proposal, chaincodeEvent) are not written; a
 * sub-message that is present but all-default is written as an empty field, as they do too.
 * The result is a Node Buffer (a Uint8Array), which @grpc/grpc-js can send without copying.
 */
import type { Bytes, Message } from '../protocol/messages.js';
import { MessageType } from '../protocol/messageType.js';
import { chaincodeEventCodec, timestampCodec } from './chaincodeCodecs.js';
import { protos } from './generated/protos.js';
import { PAYLOAD_CODECS } from './payloadOfType.js';
import { signedProposalCodec } from './proposalCodecs.js';
import { bin, num, str, WellFormedWriter, type Codec } from './runtime.js';

/** The payload bytes of a message, encoding the domain payload where the type calls for it. */
export function encodePayload(message: Message): Bytes {
  if (message.type === 'UNKNOWN') return message.payload;
  // PAYLOAD_CODECS pairs each type with the codec of its PayloadByType entry. All-zero READY
  // params encode to nothing: the same bytes as a Fabric <= 3.0 READY.
  const codec = PAYLOAD_CODECS[message.type] as Codec<unknown> | null;
  return codec === null ? (message.payload as Bytes) : codec.encode(message.payload);
}

/** Encodes one ChaincodeMessage (a stream frame, or the nested reply to INVOKE_CHAINCODE). */
export function encodeMessage(message: Message): Uint8Array {
  const code = message.type === 'UNKNOWN' ? message.code : MessageType[message.type];
  return protos.ChaincodeMessage.encode(
    {
      type: num(code),
      timestamp: message.timestamp && timestampCodec.toWire(message.timestamp),
      payload: bin(encodePayload(message)),
      txid: str(message.txid),
      proposal: message.proposal && signedProposalCodec.toWire(message.proposal),
      chaincodeEvent: message.chaincodeEvent && chaincodeEventCodec.toWire(message.chaincodeEvent),
      channelId: str(message.channelId),
    },
    new WellFormedWriter(),
  ).finish();
}
