/**
 * ccproto: the Hyperledger Fabric peer <-> chaincode protocol as state machines.
 * Subpath exports keep imports narrow: `ccproto/core` and `ccproto/machines` carry no gRPC.
 */
export * as protocol from './protocol/index.js';
export * as core from './core/index.js';
export { MemoryPair, wireCodec } from './pair/memoryPair.js';
export { PeerConnection } from './drive/peerConnection.js';
export { ChaincodeConnection } from './drive/chaincodeConnection.js';
export { SimulatedClock, realClock, type Clock } from './drive/clock.js';
