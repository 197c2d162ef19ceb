/**
 * Hand-written @grpc/grpc-js service definitions for the two Fabric chaincode services
 * (fabric-protos peer/chaincode_shim.proto, proto package `protos`):
 *
 *   service ChaincodeSupport { rpc Register(stream ChaincodeMessage) returns (stream ChaincodeMessage); }
 *   service Chaincode        { rpc Connect (stream ChaincodeMessage) returns (stream ChaincodeMessage); }
 *
 * No .proto is loaded: this layer moves opaque frames (the marshalled `protos.ChaincodeMessage`
 * bytes), so every (de)serializer is the identity on Buffers. The codec lives elsewhere.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** Full method path of the peer's chaincode listener RPC (chaincode dials the peer). */
export const REGISTER_METHOD_PATH = '/protos.ChaincodeSupport/Register';
/** Full method path of the chaincode-as-a-service RPC (peer dials the chaincode). */
export const CONNECT_METHOD_PATH = '/protos.Chaincode/Connect';

/** Fully-qualified service names, as the gRPC health service reports them. */
export const CHAINCODE_SUPPORT_SERVICE_NAME = 'protos.ChaincodeSupport';
export const CHAINCODE_SERVICE_NAME = 'protos.Chaincode';

/**
 * View any Uint8Array as a Buffer without copying (grpc-js calls `Buffer#copy` on what the
 * serializer returns, so it needs a real Buffer).
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Deserializer: grpc-js hands us the message body as a Buffer (a view into its read buffer). */
const passThrough = (bytes: Buffer): Buffer => bytes;

/** Bidirectional-streaming, frame-level method definition. */
function bidiFrameMethod(path: string, originalName: string): MethodDefinition<Uint8Array, Uint8Array> {
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: asBuffer,
    requestDeserialize: passThrough,
    responseSerialize: asBuffer,
    responseDeserialize: passThrough,
    originalName,
  };
}

/** `protos.ChaincodeSupport` — served by the peer (default port 7052), method `Register`. */
export const ChaincodeSupportService = {
  Register: bidiFrameMethod(REGISTER_METHOD_PATH, 'register'),
} satisfies ServiceDefinition;

/** `protos.Chaincode` — served by a CCaaS chaincode, method `Connect`. */
export const ChaincodeService = {
  Connect: bidiFrameMethod(CONNECT_METHOD_PATH, 'connect'),
} satisfies ServiceDefinition;
