/** The peer runtime: embed a Fabric-compatible peer that launches and serves real chaincode. */
export { Peer } from './peer.js';
export type * from './types.js';
export { ChaincodeSupport, invocationName } from './chaincodeSupport.js';
export { buildSignedProposal } from './proposal.js';
export { createRequestServer } from './serve/index.js';
