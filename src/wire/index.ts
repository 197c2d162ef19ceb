/**
 * The wire codec: protobuf bytes <-> domain messages (src/protocol/messages.ts) for the
 * ChaincodeMessage stream and every payload and proposal-side message the runtimes handle, and
 * for the Fabric messages around it (Gateway service, blocks, deliver, read/write sets, policies,
 * channel configuration, gRPC error details: fabric.ts, shapes.ts).
 *
 * Decoders never throw: `decodeMessage` returns a `DecodeResult`, payload decoders a
 * `DecodeOutcome`. Encoders write canonical proto3 (defaults omitted) and return a Node Buffer.
 * The generated protobufjs module (./generated/) is an implementation detail and not exported.
 */
export { decodeMessage } from './decode.js';
export { encodeMessage, encodePayload } from './encode.js';
export * from './payloads.js';
export * from './proposalTypes.js';
export * from './fabric.js';
export type { Empty, OneOf } from './shapes.js';
export * from './gatewayTypes.js';
export * from './blockTypes.js';
export * from './deliverTypes.js';
export * from './rwsetTypes.js';
export * from './policyTypes.js';
export * from './configTypes.js';
export * from './rpcTypes.js';
