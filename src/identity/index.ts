/**
 * Identities for the dev peer: per-MSP development CAs issuing fabric-ca-like user certificates (what
 * fabric-shim's ClientIdentity parses from the proposal creator) and the per-peer-start TLS CA for the
 * peer <-> chaincode connection.
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
