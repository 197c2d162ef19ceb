/**
 * The organisations the dev peer plays: one peer per declared MSP (`peer0.<domain>`, with its
 * own signing identity, as a multi-org test network has), their MSPs, the chaincode endorsement
 * policies and the channel ledgers (ordering + commit, src/committer).
 *
 * Organisations come from a crypto folder in cryptogen's layout (created or reused,
 * src/identity/cryptoDir.ts) or, for `--msp MSPID=DIR`, from the user's own MSP folder; such an
 * organisation endorses only when its folder has a signing identity (signcerts + keystore).
 */
import { X509Certificate } from 'node:crypto';
import { DevCa, ensureCryptoDir, loadMspFromDir, mspFromOrg, MspManager, type CryptoMaterial, type Msp, type OrgCrypto } from '../identity/index.js';
import { parsePolicy, type EndorsementPolicy } from '../policy/index.js';
import type { ChaincodePolicies } from '../committer/endorsementCheck.js';
import type { Signer } from '../orderer/signer.js';
import { encodeSerializedIdentity } from '../wire/index.js';
import { privateKeyToPem } from '../identity/index.js';

export interface OrgPeer {
  mspId: string;
  domain: string;
  /** The endorsing peer's identity; undefined for an organisation that cannot endorse here. */
  signer: Signer | undefined;
  /** From the crypto folder (undefined for `--msp` organisations). */
  crypto: OrgCrypto | undefined;
  msp: Msp;
}

export interface NetworkOptions {
  /** Declared organisations, first = the gateway's own (Fabric's local MSP). */
  orgs: readonly string[];
  cryptoDir: string;
  /** `--msp MSPID=DIR`: organisations declared from an existing MSP folder. */
  mspDirs?: Readonly<Record<string, string>>;
  /** Chaincode-level endorsement policies in the policy language (default: MAJORITY Endorsement). */
  policies?: Readonly<Record<string, string>>;
  /** Where development users' certificates are kept (`--data-dir`). */
  dataDir?: string;
}

export const DEFAULT_ENDORSEMENT_POLICY: EndorsementPolicy = { kind: 'implicitMeta', rule: 'MAJORITY', subPolicy: 'Endorsement' };

/** A peer's signer; each signature it makes is recorded with `signed` (MspManager.signedHere). */
function signerOf(mspId: string, certPem: string, sign: (m: Uint8Array) => Uint8Array, signed: (certDer: Buffer, m: Uint8Array, s: Uint8Array) => void): Signer {
  const certDer = new X509Certificate(certPem).raw;
  return {
    mspId,
    creator: encodeSerializedIdentity({ mspid: mspId, idBytes: Buffer.from(certPem) }),
    sign: (m) => {
      const s = sign(m);
      signed(certDer, m, s);
      return s;
    },
  };
}

export class Network implements ChaincodePolicies {
  readonly orgs: OrgPeer[];
  readonly msps: MspManager;
  readonly material: CryptoMaterial;
  private readonly policies = new Map<string, EndorsementPolicy>();

  constructor(o: NetworkOptions) {
    if (o.orgs.length === 0) throw new RangeError('at least one organisation must be declared');
    const seen = new Set<string>();
    for (const id of o.orgs) {
      if (seen.has(id)) throw new RangeError(`organisation ${id} is declared twice`);
      seen.add(id);
    }
    const fromDirs = o.mspDirs ?? {};
    for (const id of Object.keys(fromDirs)) if (!seen.has(id)) throw new RangeError(`--msp ${id}=…: ${id} is not a declared organisation (--org ${id})`);
    // The peers' own endorsements and block signatures are known valid: validation looks them up.
    const signed = (certDer: Buffer, m: Uint8Array, sig: Uint8Array): void => this.msps.signedHere(certDer, m, sig);
    this.material = ensureCryptoDir(o.cryptoDir, o.orgs.filter((id) => fromDirs[id] === undefined));
    this.orgs = o.orgs.map((mspId): OrgPeer => {
      const dir = fromDirs[mspId];
      if (dir !== undefined) {
        const msp = loadMspFromDir(mspId, dir);
        const si = msp.signingIdentity;
        return { mspId, domain: '', crypto: undefined, msp, signer: si ? signerOf(mspId, si.certPem, (m) => si.sign(m), signed) : undefined };
      }
      const crypto = this.material.get(mspId) as OrgCrypto;
      const peer = crypto.peer;
      return { mspId, domain: crypto.domain, crypto, msp: mspFromOrg(crypto), signer: signerOf(mspId, peer.certPem, (m) => peer.sign(m), signed) };
    });
    this.msps = new MspManager(this.orgs.map((org) => org.msp));
    for (const [chaincode, text] of Object.entries(o.policies ?? {})) {
      const p = parsePolicy(text);
      if (!p.ok) throw new RangeError(`endorsement policy of ${chaincode}: ${p.error}`);
      this.policies.set(chaincode, { kind: 'signature', envelope: p.envelope });
    }
    this.devCaDataDir = o.dataDir;
  }

  private readonly devCaDataDir: string | undefined;

  /** The gateway's own organisation (Fabric's local MSP). */
  get local(): OrgPeer {
    return this.orgs[0] as OrgPeer;
  }

  get orgIds(): string[] {
    return this.orgs.map((o) => o.mspId);
  }

  /** ChaincodePolicies: the channel's application organisations. */
  get channelOrgs(): readonly string[] {
    return this.orgIds;
  }

  policyOf(chaincode: string): EndorsementPolicy {
    return this.policies.get(chaincode) ?? DEFAULT_ENDORSEMENT_POLICY;
  }

  org(mspId: string): OrgPeer | undefined {
    return this.orgs.find((o) => o.mspId === mspId);
  }

  /**
   * The development CA of an organisation: the crypto folder's CA, so that its users validate
   * under the organisation's MSP (`ccproto invoke --user`, the HTTP API).
   */
  devCa(mspId: string): DevCa | undefined {
    const crypto = this.org(mspId)?.crypto;
    if (!crypto) return undefined;
    return DevCa.open(mspId, {
      domain: crypto.domain,
      ca: { certPem: crypto.caCertPem, keyPem: privateKeyToPem(crypto.caPrivateKey) },
      ...(this.devCaDataDir ? { dataDir: this.devCaDataDir } : {}),
    });
  }
}
