/**
 * Identities for the dev peer: per-MSP development CAs issuing fabric-ca-like user certificates (what
 * fabric-shim's ClientIdentity parses from the proposal creator), the per-peer-start TLS CA for the
 * peer <-> chaincode connection, organisation material in cryptogen's folder layout, and MSPs that
 * validate identities and verify signatures as Fabric's MSP does.
 */
export {
  DevCa,
  devUser,
  certificatePublicKey,
  domainForMspId,
  resetInMemoryDevCas,
  HF_AFFILIATION,
  HF_ENROLLMENT_ID,
  HF_TYPE,
  type DevCaOptions,
  type UserIdentity,
  type UserOptions,
} from './dev-ca.js';
export {
  certHash,
  createTlsCa,
  issueClientCert,
  issueServerCert,
  type CertKeyPair,
  type TlsCa,
  type TlsCertOptions,
} from './tls.js';
export {
  generateP256KeyPair,
  isLowS,
  parseEcdsaSignature,
  privateKeyFromPem,
  privateKeyToPem,
  signLowS,
  toLowS,
  verifyLowS,
} from './ecdsa.js';
export {
  ExtOid,
  parseCertificate,
  pemDecode,
  pemEncode,
  type CertificateInfo,
  type DistinguishedName,
} from './x509.js';
export {
  domainForMsp,
  ensureCryptoDir,
  type CryptoDirOptions,
  type CryptoMaterial,
  type CryptoNode,
  type CryptoNodeRole,
  type NodePaths,
  type OrgCrypto,
  type OrgPaths,
} from './cryptoDir.js';
export {
  Msp,
  createMsp,
  type AtOptions,
  type MspConfig,
  type MspIdentity,
  type MspOptions,
  type MspPrincipal,
  type MspRole,
  type MspRolePrincipal,
  type MspSigningIdentity,
  type NodeOuIdentifier,
  type NodeOusConfig,
  type NodeRole,
  type PrincipalResult,
  type ValidationFailure,
  type ValidationResult,
} from './msp.js';
export { loadMspFromDir, mspFromOrg } from './mspDir.js';
export {
  MspManager,
  type DeserializeFailure,
  type DeserializeResult,
  type SerializedIdentityFields,
} from './mspManager.js';
