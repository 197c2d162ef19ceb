/**
 * Organisation crypto material in the folder layout of Fabric's `cryptogen generate` with
 * `EnableNodeOUs: true` (cmd/cryptogen/main.go generatePeerOrg, internal/cryptogen/msp/msp.go), the layout
 * fabric-samples' test network and applications written for it (fabric-gateway samples) read.
 *
 * For each MSP id, with <domain> = domainForMsp(mspId) ("Org1MSP" → "org1.example.com"):
 *
 *   <dir>/peerOrganizations/<domain>/
 *     ca/ca.<domain>-cert.pem, ca/priv_sk               the org's signing CA (self-signed) and its key
 *     tlsca/tlsca.<domain>-cert.pem, tlsca/priv_sk      the org's TLS CA and its key
 *     msp/                                              the org ("verifying") MSP, as in channel config
 *       admincerts/ (empty), cacerts/ca.<domain>-cert.pem, tlscacerts/tlsca.<domain>-cert.pem, config.yaml
 *     peers/peer0.<domain>/
 *       msp/admincerts/ (empty), cacerts/ca.<domain>-cert.pem, tlscacerts/tlsca.<domain>-cert.pem,
 *           keystore/priv_sk, signcerts/peer0.<domain>-cert.pem (OU=peer), config.yaml
 *       tls/ca.crt (the TLS CA), server.crt, server.key
 *           SANs: peer0.<domain>, peer0 (cryptogen's implicit ones), localhost, 127.0.0.1, then peerSans
 *     users/User1@<domain>/                             OU=client
 *     users/Admin@<domain>/                             OU=admin
 *       msp/ (as for the peer, signcerts/<User1|Admin>@<domain>-cert.pem), tls/ca.crt, client.crt, client.key
 *
 * config.yaml enables NodeOUs with client/peer/admin/orderer identifiers pointing at
 * cacerts/ca.<domain>-cert.pem (msp.go exportConfig). Private keys are PKCS#8 PEM ("PRIVATE KEY") with mode
 * 0600 (csp.go GeneratePrivateKey), certificates PEM with mode 0644. Certificate contents: cryptogenCerts.ts.
 *
 * Reuse and crash safety: every file is written under a temporary name (in <dir>/.ccproto-tmp/, removed
 * again when empty) and linked or renamed into place, so no file is ever seen half-written. On every call
 * each org is checked piece by piece: a CA is kept when its certificate is a CA certificate for its key;
 * a node's key/certificate pair when the certificate was issued by the current CA for that key; cacerts/,
 * tlscacerts/, ca.crt when they equal the CA certificates; config.yaml when present. Whatever is missing
 * or does not fit (an org folder left half-written by a killed run, an MSP declared later) is generated;
 * everything that fits is reused byte for byte, so certificates survive restarts. First creation is
 * "first writer wins" per file, so processes starting together end up with one set of material.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readIfExists, readOrCreate, removeStaleTemps, writeExclusive, writeReplace } from './atomicFiles.js';
import { issueNodeTlsCert, issueSigningCert, makeCryptogenCa, nodeOusConfigYaml, type IssuingCa } from './cryptogenCerts.js';
import { domainForMspId, type UserIdentity } from './dev-ca.js';
import { generateP256KeyPair, privateKeyFromPem, privateKeyToPem, signLowS, spkiDer } from './ecdsa.js';
import { basicConstraintsOf, parseCertificate } from './x509.js';

/**
 * The organisation domain of an MSP id: "Org1MSP" → "org1.example.com"; other ids lower-cased without a
 * trailing "MSP" ("Orderer" and "OrdererMSP" → "orderer.example.com"). The same function the dev CA uses.
 */
export const domainForMsp: (mspId: string) => string = domainForMspId;

export interface CryptoDirOptions {
  /** Clock for new certificates (tests). */
  readonly now?: () => Date;
  /** Domains for some MSP ids instead of domainForMsp. */
  readonly domains?: Readonly<Record<string, string>>;
  /** Extra SANs for the peer's TLS server certificate (host names or IP literals). */
  readonly peerSans?: readonly string[];
}

export type CryptoNodeRole = 'peer' | 'client' | 'admin';

export interface NodePaths {
  /** peers/peer0.<domain> or users/<User1|Admin>@<domain>. */
  readonly dir: string;
  /** The node's local MSP folder (for loadMspFromDir or CORE_PEER_MSPCONFIGPATH). */
  readonly msp: string;
  readonly signCert: string;
  readonly key: string;
  readonly tls: string;
  /** tls/ca.crt. */
  readonly tlsCaCert: string;
  /** tls/server.crt (peer) or tls/client.crt (users). */
  readonly tlsCert: string;
  /** tls/server.key or tls/client.key. */
  readonly tlsKey: string;
}

/** A signing identity of the org plus its TLS certificate; `name` is the certificate's CN. */
export interface CryptoNode extends UserIdentity {
  readonly role: CryptoNodeRole;
  readonly paths: NodePaths;
  readonly tls: { readonly certPem: string; readonly keyPem: string; readonly privateKey: KeyObject; readonly caCertPem: string };
}

export interface OrgPaths {
  /** peerOrganizations/<domain>. */
  readonly org: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly tlsCaCert: string;
  readonly tlsCaKey: string;
  /** The org MSP folder (cacerts, tlscacerts, config.yaml). */
  readonly msp: string;
}

export interface OrgCrypto {
  readonly mspId: string;
  readonly domain: string;
  readonly paths: OrgPaths;
  readonly caCertPem: string;
  readonly caPrivateKey: KeyObject;
  readonly tlsCaCertPem: string;
  readonly tlsCaPrivateKey: KeyObject;
  /** peer0.<domain>: its signing identity (OU=peer) and, in `tls`, its TLS server certificate. */
  readonly peer: CryptoNode;
  /** Shorthand for peer.tls: the TLS server certificate and key of peer0. */
  readonly peerTls: { readonly certPem: string; readonly keyPem: string };
  readonly users: { readonly User1: CryptoNode; readonly Admin: CryptoNode };
}

export interface CryptoMaterial {
  /** Absolute path of the crypto folder. */
  readonly dir: string;
  readonly orgs: readonly OrgCrypto[];
  get(mspId: string): OrgCrypto | undefined;
}

const KEY_MODE = 0o600;
const CERT_MODE = 0o644;

function tryKey(pem: string | undefined): KeyObject | undefined {
  if (pem === undefined) return undefined;
  try {
    return privateKeyFromPem(pem);
  } catch {
    return undefined;
  }
}

function holds(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

const newKeyPem = (): string => privateKeyToPem(generateP256KeyPair().privateKey);

/** True when `certPem` is for `key` and, if `issuer` is given, signed by it under its subject name. */
function certFits(certPem: string, key: KeyObject, issuer?: IssuingCa): boolean {
  return holds(() => {
    const info = parseCertificate(certPem);
    if (!info.spkiDer.equals(spkiDer(key))) return false;
    if (!issuer) return basicConstraintsOf(info)?.isCA === true;
    const issuerInfo = parseCertificate(issuer.certPem);
    if (!info.issuerNameDer.equals(issuerInfo.subjectNameDer)) return false;
    return new X509Certificate(certPem).verify(new X509Certificate(issuer.certPem).publicKey);
  });
}

interface Pair {
  readonly keyPem: string;
  readonly privateKey: KeyObject;
  readonly certPem: string;
}

/** Reuses or makes a private key and its certificate (see the header: first writer wins, misfits replaced). */
function ensurePair(keyFile: string, certFile: string, issuer: IssuingCa | undefined, make: (key: KeyObject) => string, tmp: string): Pair {
  let keyPem = readIfExists(keyFile);
  let privateKey = tryKey(keyPem);
  if (keyPem === undefined) {
    keyPem = readOrCreate(keyFile, newKeyPem, KEY_MODE, tmp);
    privateKey = privateKeyFromPem(keyPem);
  } else if (privateKey === undefined) {
    keyPem = newKeyPem();
    writeReplace(keyFile, keyPem, KEY_MODE, tmp);
    privateKey = privateKeyFromPem(keyPem);
  }
  const key = privateKey as KeyObject;
  const stored = readIfExists(certFile);
  if (stored !== undefined && certFits(stored, key, issuer)) return { keyPem, privateKey: key, certPem: stored };
  let certPem = make(key);
  if (stored !== undefined || !writeExclusive(certFile, certPem, CERT_MODE, tmp)) {
    const theirs = stored === undefined ? readIfExists(certFile) : undefined; // a concurrent first writer
    if (theirs !== undefined && certFits(theirs, key, issuer)) certPem = theirs;
    else writeReplace(certFile, certPem, CERT_MODE, tmp);
  }
  return { keyPem, privateKey: key, certPem };
}

/** Makes `path` hold `content`; with `keepExisting`, any existing file is left as it is (config.yaml). */
function ensureFile(path: string, content: string, tmp: string, keepExisting = false): void {
  const stored = readIfExists(path);
  if (stored === content || (stored !== undefined && keepExisting)) return;
  if (stored === undefined && writeExclusive(path, content, CERT_MODE, tmp)) return;
  if (keepExisting) return;
  if (readIfExists(path) !== content) writeReplace(path, content, CERT_MODE, tmp);
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** cryptogen's key file, or an older cryptogen's "<ski>_sk" (csp.go LoadPrivateKey takes any "*_sk"). */
function keystoreFile(dir: string): string {
  const names = listFiles(dir);
  return join(dir, names.includes('priv_sk') ? 'priv_sk' : (names.find((n) => n.endsWith('_sk')) ?? 'priv_sk'));
}

interface Ca extends IssuingCa {
  readonly keyFile: string;
  readonly certFile: string;
}

function ensureCa(dir: string, name: string, domain: string, now: () => Date, tmp: string): Ca {
  mkdirSync(dir, { recursive: true });
  const keyFile = keystoreFile(dir);
  const certFile = join(dir, `${name}-cert.pem`);
  const pair = ensurePair(keyFile, certFile, undefined, (key) => makeCryptogenCa(key, name, domain, now()), tmp);
  return { certPem: pair.certPem, privateKey: pair.privateKey, keyFile, certFile };
}

interface OrgContext {
  readonly mspId: string;
  readonly domain: string;
  readonly ca: Ca;
  readonly tlsCa: Ca;
  readonly now: () => Date;
  readonly tmp: string;
}

/** The cacerts/tlscacerts/admincerts/config.yaml part common to the org MSP and the nodes' local MSPs. */
function ensureMspBase(mspDir: string, org: OrgContext): void {
  for (const sub of ['admincerts', 'cacerts', 'tlscacerts']) mkdirSync(join(mspDir, sub), { recursive: true });
  const caFile = `ca.${org.domain}-cert.pem`;
  ensureFile(join(mspDir, 'cacerts', caFile), org.ca.certPem, org.tmp);
  ensureFile(join(mspDir, 'tlscacerts', `tlsca.${org.domain}-cert.pem`), org.tlsCa.certPem, org.tmp);
  ensureFile(join(mspDir, 'config.yaml'), nodeOusConfigYaml(caFile), org.tmp, true);
}

function ensureNode(dir: string, commonName: string, role: CryptoNodeRole, sans: readonly string[], org: OrgContext): CryptoNode {
  const msp = join(dir, 'msp');
  const tls = join(dir, 'tls');
  ensureMspBase(msp, org);
  for (const sub of ['keystore', 'signcerts']) mkdirSync(join(msp, sub), { recursive: true });
  mkdirSync(tls, { recursive: true });
  const key = keystoreFile(join(msp, 'keystore'));
  const signCert = join(msp, 'signcerts', `${commonName}-cert.pem`);
  const signing = ensurePair(key, signCert, org.ca, (k) => issueSigningCert(org.ca, commonName, role, k, org.now()), org.tmp);

  const tlsCaCert = join(tls, 'ca.crt');
  ensureFile(tlsCaCert, org.tlsCa.certPem, org.tmp);
  const prefix = role === 'peer' ? 'server' : 'client'; // msp.go GenerateLocalMSP: clients and admins get client.*
  const tlsCert = join(tls, `${prefix}.crt`);
  const tlsKey = join(tls, `${prefix}.key`);
  const tlsPair = ensurePair(tlsKey, tlsCert, org.tlsCa, (k) => issueNodeTlsCert(org.tlsCa, commonName, sans, k, org.now()), org.tmp);

  const { privateKey } = signing;
  return Object.freeze({
    name: commonName,
    mspId: org.mspId,
    role,
    certPem: signing.certPem,
    keyPem: signing.keyPem,
    privateKey,
    attrs: Object.freeze({}),
    sign: (message: Uint8Array): Buffer => signLowS(privateKey, message),
    paths: Object.freeze({ dir, msp, signCert, key, tls, tlsCaCert, tlsCert, tlsKey }),
    tls: Object.freeze({ certPem: tlsPair.certPem, keyPem: tlsPair.keyPem, privateKey: tlsPair.privateKey, caCertPem: org.tlsCa.certPem }),
  });
}

function ensureOrg(root: string, mspId: string, domain: string, opts: CryptoDirOptions, now: () => Date, tmp: string): OrgCrypto {
  const orgDir = join(root, 'peerOrganizations', domain);
  const ca = ensureCa(join(orgDir, 'ca'), `ca.${domain}`, domain, now, tmp);
  const tlsCa = ensureCa(join(orgDir, 'tlsca'), `tlsca.${domain}`, domain, now, tmp);
  const org: OrgContext = { mspId, domain, ca, tlsCa, now, tmp };
  const msp = join(orgDir, 'msp');
  ensureMspBase(msp, org);

  const peerName = `peer0.${domain}`;
  // main.go renderNodeSpec: the CN and the bare hostname are implicit SANs; we add the loopback names.
  const sans = [...new Set([peerName, 'peer0', 'localhost', '127.0.0.1', ...(opts.peerSans ?? [])])];
  const peer = ensureNode(join(orgDir, 'peers', peerName), peerName, 'peer', sans, org);
  // main.go generatePeerOrg: users are CLIENT nodes (Admin gets the ADMIN OU with NodeOUs) without SANs.
  const user1 = ensureNode(join(orgDir, 'users', `User1@${domain}`), `User1@${domain}`, 'client', [], org);
  const admin = ensureNode(join(orgDir, 'users', `Admin@${domain}`), `Admin@${domain}`, 'admin', [], org);
  return Object.freeze({
    mspId,
    domain,
    paths: Object.freeze({ org: orgDir, caCert: ca.certFile, caKey: ca.keyFile, tlsCaCert: tlsCa.certFile, tlsCaKey: tlsCa.keyFile, msp }),
    caCertPem: ca.certPem,
    caPrivateKey: ca.privateKey,
    tlsCaCertPem: tlsCa.certPem,
    tlsCaPrivateKey: tlsCa.privateKey,
    peer,
    peerTls: Object.freeze({ certPem: peer.tls.certPem, keyPem: peer.tls.keyPem }),
    users: Object.freeze({ User1: user1, Admin: admin }),
  });
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Creates or completes cryptogen-layout material for `mspIds` under `dir` (see the top of this file) and
 * returns it. Existing material that fits is reused as is; missing pieces are generated.
 */
export function ensureCryptoDir(dir: string, mspIds: readonly string[], opts: CryptoDirOptions = {}): CryptoMaterial {
  const root = resolve(dir);
  const now = opts.now ?? ((): Date => new Date());
  const byDomain = new Map<string, string>();
  for (const mspId of mspIds) {
    if (typeof mspId !== 'string' || mspId === '') throw new Error('ensureCryptoDir: MSP ids must be non-empty strings');
    const domain = opts.domains?.[mspId] ?? domainForMsp(mspId);
    if (!DOMAIN.test(domain)) throw new Error(`ensureCryptoDir: ${JSON.stringify(domain)} (MSP ${mspId}) is not a usable domain name`);
    const other = byDomain.get(domain);
    if (other !== undefined && other !== mspId) {
      throw new Error(`ensureCryptoDir: MSP ids ${other} and ${mspId} both map to the domain ${domain}`);
    }
    byDomain.set(domain, mspId);
  }
  const tmp = join(root, '.ccproto-tmp');
  mkdirSync(root, { recursive: true });
  removeStaleTemps(tmp);
  const orgs = [...byDomain].map(([domain, mspId]) => ensureOrg(root, mspId, domain, opts, now, tmp));
  removeStaleTemps(tmp);
  const index = new Map(orgs.map((o) => [o.mspId, o]));
  return Object.freeze({ dir: root, orgs: Object.freeze(orgs), get: (mspId: string) => index.get(mspId) });
}
