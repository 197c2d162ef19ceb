/**
 * @grpc/grpc-js service definitions of the peer's client endpoint, with the message bodies left as
 * bytes: each handler decodes with our codecs (src/wire), so a malformed request gets Fabric's
 * INVALID_ARGUMENT answer instead of a grpc-js deserialization failure.
 *
 *   gateway.Gateway   Endorse, Submit, CommitStatus, Evaluate (unary), ChaincodeEvents (server stream)
 *                     (fabric-protos gateway/gateway.proto)
 *   protos.Deliver    Deliver, DeliverFiltered, DeliverWithPrivateData (bidirectional streams)
 *                     (fabric-protos peer/events.proto)
 *   protos.Endorser   ProcessProposal (unary) (fabric-protos peer/peer.proto)
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
const passThrough = (bytes: Buffer): Buffer => bytes;

function method(path: string, requestStream: boolean, responseStream: boolean): MethodDefinition<Uint8Array, Uint8Array> {
  return {
    path,
    requestStream,
    responseStream,
    requestSerialize: asBuffer,
    requestDeserialize: passThrough,
    responseSerialize: asBuffer,
    responseDeserialize: passThrough,
    originalName: path.slice(path.lastIndexOf('/') + 1).replace(/^./, (c) => c.toLowerCase()),
  };
}

export const GatewayService = {
  Endorse: method('/gateway.Gateway/Endorse', false, false),
  Submit: method('/gateway.Gateway/Submit', false, false),
  CommitStatus: method('/gateway.Gateway/CommitStatus', false, false),
  Evaluate: method('/gateway.Gateway/Evaluate', false, false),
  ChaincodeEvents: method('/gateway.Gateway/ChaincodeEvents', false, true),
} satisfies ServiceDefinition;

export const DeliverService = {
  Deliver: method('/protos.Deliver/Deliver', true, true),
  DeliverFiltered: method('/protos.Deliver/DeliverFiltered', true, true),
  DeliverWithPrivateData: method('/protos.Deliver/DeliverWithPrivateData', true, true),
} satisfies ServiceDefinition;

export const EndorserService = {
  ProcessProposal: method('/protos.Endorser/ProcessProposal', false, false),
} satisfies ServiceDefinition;
