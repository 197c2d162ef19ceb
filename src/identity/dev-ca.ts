/**
 * Development certificate authority, one per MSP, issuing fabric-ca-like enrollment certificates.
 *
 * Why this exists: contract-API chaincode builds a fabric-shim ClientIdentity from the creator of every
 * proposal (SerializedIdentity{mspid, id_bytes = PEM certificate}); it parses the PEM with @fidm/x509 and
 * needs a well-formed X.509 certificate with subject and issuer DNs (getID) and, for attribute-based access
 * control, the fabric-ca attribute extension (getAttributeValue / assertAttributeValue). A dev peer therefore
 * needs real certificates, stable per user name, so that getID() does not change between runs.
 *
 * Layout when persisted (`dataDir` given):
 *   <dataDir>/msp/<MSPID>/ca-cert.pem     self-signed CA certificate
 *   <dataDir>/msp/<MSPID>/ca-key.pem      its PKCS#8 private key (0600)
 *   <dataDir>/msp/<MSPID>/users/<name>/cert.pem, key.pem
 * A CA certificate/key made elsewhere (e.g. cryptogen's ca.<domain>-cert.pem and priv_sk) may be copied to
 * ca-cert.pem / ca-key.pem; it is used as is.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readIfExists, readOrCreate, writeExclusive, writeReplace } from './atomicFiles.js';
import { generateP256KeyPair, privateKeyFromPem, privateKeyToPem, signLowS, spkiDer } from './ecdsa.js';
import {
  authorityKeyIdentifierExt,
  basicConstraintsExt,
  buildCertificate,
  EkuOid,
  extKeyUsageExt,
  fabricAttrsExt,
  keyUsageExt,
  parseCertificate,
  pemEncode,
  skiSha1,
  skiSha256,
  subjectKeyIdentifierExt,
  type CertificateInfo,
  type DistinguishedName,
  type Extension,
} from './x509.js';

/** fabric-ca attribute names added to every registered identity with ecert=true (lib/serverregister.go). */
export const HF_ENROLLMENT_ID = 'hf.EnrollmentID';
export const HF_TYPE = 'hf.Type';
export const HF_AFFILIATION = 'hf.Affiliation';

export interface DevCaOptions {
  /** Root data directory; the CA lives in `<dataDir>/msp/<MSPID>/`. In memory (per process) when absent. */
  readonly dataDir?: string;
  /** Organisation domain used in subjects; default derived from the MSP id ("Org1MSP" → "org1.example.com"). */
  readonly domain?: string;
  /** Lifetime of user certificates; default 365 days (fabric-ca default signing profile expiry 8760h). */
  readonly userValidityDays?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
  /**
   * Issue with this CA (e.g. an organisation's `ca/` of a cryptogen-layout crypto folder) instead
   * of the development CA's own; its users still live under `<dataDir>/msp/<MSPID>/users/`.
   */
  readonly ca?: { readonly certPem: string; readonly keyPem: string };
}

export interface UserOptions {
  /** fabric-ca identity type: first OU of the subject and `hf.Type`. Default "client". */
  readonly type?: string;
  /** fabric-ca affiliation ("org1.department1"): further OUs and `hf.Affiliation`. Default "" (root). */
  readonly affiliation?: string;
  /** Include hf.EnrollmentID / hf.Type / hf.Affiliation like fabric-ca does by default. Default true. */
  readonly defaultAttrs?: boolean;
}

/** A signing identity: what a client needs to build SerializedIdentity and sign proposals. */
export interface UserIdentity {
  readonly name: string;
  readonly mspId: string;
  /** PEM certificate; SerializedIdentity.id_bytes is exactly these bytes. */
  readonly certPem: string;
  /** PKCS#8 PEM private key. */
  readonly keyPem: string;
  readonly privateKey: KeyObject;
  /** Attributes carried in the certificate (OID 1.2.3.4.5.6.7.8.1). */
  readonly attrs: Readonly<Record<string, string>>;
  /** ECDSA-SHA256 signature of `message`, DER encoded, low-S (what Fabric verifies). */
  sign(message: Uint8Array): Buffer;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Re-issue stored user certificates that expire within this window. */
const RENEW_BEFORE_MS = DAY_MS;
/** cryptogen's CA lifetime (internal/cryptogen/ca x509Template: "around 10 years"). */
const CA_VALIDITY_MS = 3650 * DAY_MS;

/** cryptogen / cfssl backdating: round to the minute and subtract 5 minutes to tolerate clock skew. */
function backdated(now: Date): Date {
  const t = Math.round(now.getTime() / 60_000) * 60_000;
  return new Date(t - 5 * 60_000);
}

/** "Org1MSP" → "org1.example.com", the naming of fabric-samples' test-network and cryptogen's samples. */
export function domainForMspId(mspId: string): string {
  const base =
    mspId
      .replace(/msp$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'org';
  return `${base}.example.com`;
}

/** A file-system-safe directory name; lower-case simple names are kept, others get a hash suffix. */
function userDirName(name: string): string {
  if (/^[a-z0-9][a-z0-9._@-]{0,99}$/.test(name)) return name;
  // '~' never occurs in the simple form, so the two forms cannot collide, even on case-insensitive file
  // systems ("Alice" and "alice" stay distinct).
  const readable = name.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 60);
  return `${readable}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 16)}`;
}

function mspDirName(mspId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(mspId) ? mspId : userDirName(mspId);
}

function sameAttrs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && Object.hasOwn(b, k) && a[k] === b[k]);
}

const memoryCas = new Map<string, DevCa>();

/** Forgets the in-memory CAs of this process (tests). Persisted CAs are unaffected. */
export function resetInMemoryDevCas(): void {
  memoryCas.clear();
}

export class DevCa {
  readonly mspId: string;
  readonly domain: string;
  /** `<dataDir>/msp/<MSPID>` when persisted. */
  readonly dir: string | undefined;
  readonly caCertPem: string;
  readonly caKeyPem: string;
  readonly caPrivateKey: KeyObject;

  readonly #caInfo: CertificateInfo;
  readonly #caX509: X509Certificate;
  readonly #userValidityMs: number;
  readonly #now: () => Date;
  readonly #users = new Map<string, UserIdentity>();

  /**
   * Opens the development CA of `mspId`: loaded from `<dataDir>/msp/<MSPID>/` (created there on first use)
   * or, without dataDir, the process-wide in-memory CA of that MSP (created on first use). In-memory CAs
   * are shared per (mspId, domain); the other options of later calls are ignored for an existing one.
   */
  static open(mspId: string, options: DevCaOptions = {}): DevCa {
    if (!mspId) throw new Error('DevCa: mspId must be a non-empty string');
    const domain = options.domain ?? domainForMspId(mspId);
    if (options.dataDir === undefined) {
      const key = `${mspId}\u0000${domain}\u0000${options.ca?.certPem ?? ''}`;
      let ca = memoryCas.get(key);
      if (!ca) {
        ca = new DevCa(mspId, domain, undefined, options);
        memoryCas.set(key, ca);
      }
      return ca;
    }
    const dir = join(resolve(options.dataDir), 'msp', mspDirName(mspId));
    return new DevCa(mspId, domain, dir, options);
  }

  private constructor(mspId: string, domain: string, dir: string | undefined, options: DevCaOptions) {
    this.mspId = mspId;
    this.domain = domain;
    this.dir = dir;
    this.#userValidityMs = (options.userValidityDays ?? 365) * DAY_MS;
    this.#now = options.now ?? (() => new Date());

    let keyPem: string;
    let certPem: string;
    if (options.ca) {
      keyPem = options.ca.keyPem;
      certPem = options.ca.certPem;
      if (dir) mkdirSync(dir, { recursive: true });
    } else if (dir) {
      mkdirSync(dir, { recursive: true });
      keyPem = readOrCreate(join(dir, 'ca-key.pem'), () => privateKeyToPem(generateP256KeyPair().privateKey), 0o600);
      const key = privateKeyFromPem(keyPem);
      // If another process created the key but not yet the certificate, we make one for the same key; the
      // first certificate written wins and everybody reads that one.
      certPem = readOrCreate(join(dir, 'ca-cert.pem'), () => this.#makeCaCert(key), 0o644);
    } else {
      const key = generateP256KeyPair().privateKey;
      keyPem = privateKeyToPem(key);
      certPem = this.#makeCaCert(key);
    }
    this.caKeyPem = keyPem;
    this.caPrivateKey = privateKeyFromPem(keyPem);
    this.caCertPem = certPem;
    this.#caInfo = parseCertificate(certPem);
    this.#caX509 = new X509Certificate(certPem);
    if (!this.#caInfo.spkiDer.equals(spkiDer(this.caPrivateKey))) {
      throw new Error(`DevCa ${mspId}: ca-cert.pem does not match ca-key.pem in ${dir ?? '(memory)'}`);
    }
  }

  /** Subject shared by CA and users: cryptogen's default location (internal/cryptogen/ca subjectTemplate). */
  #baseName(): DistinguishedName {
    return [
      ['C', 'US'],
      ['ST', 'California'],
      ['L', 'San Francisco'],
      ['O', this.domain],
    ];
  }

  /**
   * Self-signed CA certificate modelled on cryptogen's NewCA: CN=ca.<domain>, O=<domain>; keyUsage
   * digitalSignature|keyEncipherment|keyCertSign|cRLSign; extKeyUsage clientAuth+serverAuth; CA:TRUE;
   * SKI = SHA-256 of the EC point; about 10 years.
   */
  #makeCaCert(key: KeyObject): string {
    const notBefore = backdated(this.#now());
    const der = buildCertificate(
      {
        subject: [...this.#baseName(), ['CN', `ca.${this.domain}`]],
        notBefore,
        notAfter: new Date(notBefore.getTime() + CA_VALIDITY_MS),
        publicKey: key,
        extensions: [
          keyUsageExt(['digitalSignature', 'keyEncipherment', 'keyCertSign', 'cRLSign']),
          extKeyUsageExt([EkuOid.clientAuth, EkuOid.serverAuth]),
          basicConstraintsExt(true),
          subjectKeyIdentifierExt(skiSha256(key)),
        ],
      },
      key,
    );
    return pemEncode('CERTIFICATE', der);
  }

  /** The attributes fabric-ca would put in an enrollment certificate for this request. */
  #effectiveAttrs(name: string, attrs: Readonly<Record<string, string>> | undefined, opts: UserOptions): Record<string, string> {
    // A Map then Object.fromEntries: plain assignment of a key such as "__proto__" would not create an own
    // property.
    const out = new Map<string, string>();
    if (opts.defaultAttrs ?? true) {
      out.set(HF_AFFILIATION, opts.affiliation ?? '');
      out.set(HF_ENROLLMENT_ID, name);
      out.set(HF_TYPE, opts.type ?? 'client');
    }
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (typeof v !== 'string') throw new TypeError(`DevCa: attribute ${k} must be a string`);
      out.set(k, v);
    }
    return Object.fromEntries(out);
  }

  /**
   * Enrollment certificate modelled on fabric-ca (cfssl signer + lib/serverenroll.go):
   * subject C/ST/L/O, then OU=<type> and one OU per affiliation level (setRequestOUs), CN=<name>;
   * keyUsage digitalSignature (critical), CA:FALSE (critical), SKI (SHA-1 of the point, as cfssl computes
   * it), AKI = the CA's SKI, and the attribute extension when there are attributes.
   */
  #issueUserCert(name: string, key: KeyObject, attrs: Record<string, string>, opts: UserOptions): string {
    const own = (k: string): string | undefined => (Object.hasOwn(attrs, k) ? attrs[k] : undefined);
    const type = opts.type ?? own(HF_TYPE) ?? 'client';
    const affiliation = opts.affiliation ?? own(HF_AFFILIATION) ?? '';
    const ous = [type, ...affiliation.split('.').filter((a) => a !== '')];
    const notBefore = backdated(this.#now());
    const extensions: Extension[] = [
      keyUsageExt(['digitalSignature']),
      basicConstraintsExt(false),
      subjectKeyIdentifierExt(skiSha1(key)),
    ];
    if (this.#caInfo.subjectKeyId) extensions.push(authorityKeyIdentifierExt(this.#caInfo.subjectKeyId));
    if (Object.keys(attrs).length > 0) extensions.push(fabricAttrsExt(attrs));
    const der = buildCertificate(
      {
        subject: [...this.#baseName(), ...ous.map((ou) => ['OU', ou] as const), ['CN', name]],
        issuerNameDer: this.#caInfo.subjectNameDer,
        notBefore,
        notAfter: new Date(notBefore.getTime() + this.#userValidityMs),
        publicKey: key,
        extensions,
      },
      this.caPrivateKey,
    );
    return pemEncode('CERTIFICATE', der);
  }

  /** True when `certPem` was signed by this CA (signature and issuer name). */
  isIssuedBy(certPem: string | Uint8Array): boolean {
    try {
      const cert = new X509Certificate(typeof certPem === 'string' ? certPem : Buffer.from(certPem));
      return cert.checkIssued(this.#caX509) && cert.verify(this.#caX509.publicKey);
    } catch {
      return false;
    }
  }

  /** Stored certificate still fits: our CA signed it, it is for `key`, not (nearly) expired, same attributes. */
  #usable(certPem: string, key: KeyObject, wanted: Record<string, string> | undefined): boolean {
    if (!this.isIssuedBy(certPem)) return false;
    let info: CertificateInfo;
    try {
      info = parseCertificate(certPem);
    } catch {
      return false;
    }
    if (!info.spkiDer.equals(spkiDer(key))) return false;
    if (info.notAfter.getTime() - this.#now().getTime() < RENEW_BEFORE_MS) return false;
    return wanted === undefined || sameAttrs(info.fabricAttrs ?? {}, wanted);
  }

  #identity(name: string, certPem: string, keyPem: string): UserIdentity {
    const privateKey = privateKeyFromPem(keyPem);
    const attrs = Object.freeze({ ...(parseCertificate(certPem).fabricAttrs ?? {}) });
    return Object.freeze({
      name,
      mspId: this.mspId,
      certPem,
      keyPem,
      privateKey,
      attrs,
      sign: (message: Uint8Array): Buffer => signLowS(privateKey, message),
    });
  }

  /**
   * The identity `name` of this MSP. The same name gets the same key and certificate every time (persisted
   * in the data directory, else kept for the process lifetime). Without `attrs`/`options` an existing
   * identity is returned as it is; with them, the certificate is re-issued (same key, so the same getID())
   * when its attributes differ — like modifying a fabric-ca identity and re-enrolling. Certificates that
   * expire within a day are renewed the same way.
   */
  getUser(name: string, attrs?: Readonly<Record<string, string>>, options?: UserOptions): UserIdentity {
    if (typeof name !== 'string' || name === '') throw new Error('DevCa.getUser: name must be a non-empty string');
    const explicit = attrs !== undefined || options !== undefined;
    const opts = options ?? {};
    const wanted = explicit ? this.#effectiveAttrs(name, attrs, opts) : undefined;

    const cached = this.#users.get(name);
    if (cached && this.#usable(cached.certPem, cached.privateKey, wanted)) return cached;

    let keyPem: string;
    let storedCert: string | undefined;
    let certPath: string | undefined;
    if (this.dir) {
      const userDir = join(this.dir, 'users', userDirName(name));
      mkdirSync(userDir, { recursive: true });
      keyPem = readOrCreate(join(userDir, 'key.pem'), () => privateKeyToPem(generateP256KeyPair().privateKey), 0o600);
      certPath = join(userDir, 'cert.pem');
      storedCert = readIfExists(certPath);
    } else {
      keyPem = cached?.keyPem ?? privateKeyToPem(generateP256KeyPair().privateKey);
      storedCert = cached?.certPem;
    }
    const key = privateKeyFromPem(keyPem);

    let certPem: string;
    if (storedCert !== undefined && this.#usable(storedCert, key, wanted)) {
      certPem = storedCert;
    } else {
      // Keep the previous attributes when renewing without an explicit request.
      let issueAttrs = wanted;
      if (issueAttrs === undefined) {
        let previous: Record<string, string> | undefined;
        try {
          previous = storedCert === undefined ? undefined : (parseCertificate(storedCert).fabricAttrs ?? {});
        } catch {
          previous = undefined;
        }
        issueAttrs = previous ?? this.#effectiveAttrs(name, undefined, opts);
      }
      certPem = this.#issueUserCert(name, key, issueAttrs, opts);
      if (certPath) {
        if (storedCert === undefined) {
          if (!writeExclusive(certPath, certPem, 0o644)) {
            // Another process issued it concurrently: use theirs if it fits, else replace it.
            const theirs = readFileSync(certPath, 'utf8');
            if (this.#usable(theirs, key, wanted)) certPem = theirs;
            else writeReplace(certPath, certPem, 0o644);
          }
        } else {
          writeReplace(certPath, certPem, 0o644);
        }
      }
    }
    const identity = this.#identity(name, certPem, keyPem);
    this.#users.set(name, identity);
    return identity;
  }
}

/** Shorthand for DevCa.open(mspId, options).getUser(name, attrs). */
export function devUser(mspId: string, name: string, attrs?: Readonly<Record<string, string>>, options?: DevCaOptions): UserIdentity {
  return DevCa.open(mspId, options).getUser(name, attrs);
}

/** The public key of an identity's certificate (for verifying its signatures). */
export function certificatePublicKey(certPem: string | Uint8Array): KeyObject {
  return new X509Certificate(typeof certPem === 'string' ? certPem : Buffer.from(certPem)).publicKey;
}
