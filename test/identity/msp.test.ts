import { verify as nodeVerify, type KeyObject } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integer, sequence } from '../../src/identity/der.js';
import { cryptogenNotBefore, issueCryptogenLeaf, makeCryptogenCa, nodeOusConfigYaml } from '../../src/identity/cryptogenCerts.js';
import {
  createMsp,
  ensureCryptoDir,
  generateP256KeyPair,
  loadMspFromDir,
  mspFromOrg,
  MspManager,
  parseEcdsaSignature,
  type CryptoMaterial,
  type Msp,
  type MspIdentity,
  type MspRole,
  type OrgCrypto,
} from '../../src/identity/index.js';
import {
  authorityKeyIdentifierExt,
  basicConstraintsExt,
  buildCertificate,
  EkuOid,
  extKeyUsageExt,
  keyUsageExt,
  parseCertificate,
  pemEncode,
  skiSha256,
  subjectKeyIdentifierExt,
  type DistinguishedName,
} from '../../src/identity/x509.js';

const NOW = new Date('2030-06-01T12:00:00Z');
const clock = (): Date => NOW;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const tmpRoots: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccproto-msp-'));
  tmpRoots.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

let material: CryptoMaterial;
let org1: OrgCrypto;
let org2: OrgCrypto;
let msp1: Msp;
beforeAll(() => {
  material = ensureCryptoDir(tmp(), ['Org1MSP', 'Org2MSP'], { now: clock });
  org1 = material.get('Org1MSP')!;
  org2 = material.get('Org2MSP')!;
  msp1 = loadMspFromDir('Org1MSP', org1.paths.msp, { now: clock });
});

function ok(msp: Msp, cert: string | Uint8Array, at?: Date): MspIdentity {
  const r = msp.validateIdentity(cert, at ? { at } : {});
  if (!r.ok) throw new Error(`expected valid: ${r.reason}`);
  return r.identity;
}

function reason(msp: Msp, cert: string | Uint8Array, at?: Date): string {
  const r = msp.validateIdentity(cert, at ? { at } : {});
  if (r.ok) throw new Error('expected a validation failure');
  return r.reason;
}

const org1Ca = (): { certPem: string; privateKey: KeyObject } => ({ certPem: org1.caCertPem, privateKey: org1.caPrivateKey });

/** A leaf from org1's CA with the given OUs (and optional extKeyUsage / validity). */
function org1Leaf(cn: string, ous: string[], extra: { eku?: string[]; now?: Date } = {}): string {
  return issueCryptogenLeaf(org1Ca(), {
    commonName: cn,
    ous,
    keyUsage: ['digitalSignature'],
    ...(extra.eku ? { extKeyUsage: extra.eku } : {}),
    publicKey: generateP256KeyPair().privateKey,
    now: extra.now ?? NOW,
  });
}

function highS(signature: Buffer): Buffer {
  const { r, s } = parseEcdsaSignature(signature);
  return sequence(integer(r), integer(P256_N - s));
}

describe('Msp loaded from a generated org folder (loadMspFromDir)', () => {
  it('validates the org’s peer0, User1 and Admin with their NodeOU roles', () => {
    const peer = ok(msp1, org1.peer.certPem);
    const user = ok(msp1, Buffer.from(org1.users.User1.certPem));
    const admin = ok(msp1, org1.users.Admin.certPem);
    expect([peer.nodeRole, user.nodeRole, admin.nodeRole]).toEqual(['peer', 'client', 'admin']);
    expect(user.mspId).toBe('Org1MSP');
    expect(user.subject).toBe('CN=User1@org1.example.com,OU=client,L=San Francisco,ST=California,C=US');
    expect(user.issuer).toBe('CN=ca.org1.example.com,O=org1.example.com,L=San Francisco,ST=California,C=US');
    expect(user.ous).toEqual(['client']);
    expect(user.id).toMatch(/^[0-9a-f]{64}$/);
    expect(user.certPem).toBe(org1.users.User1.certPem);
    expect(msp1.nodeOusEnabled).toBe(true);
    expect(msp1.tlsRootCerts).toEqual([org1.tlsCaCertPem]);
    expect(msp1.signingIdentity).toBeUndefined();
  });

  it('accepts DER as well as PEM, and answers from its cache the second time', () => {
    const der = parseCertificate(org1.users.User1.certPem).der;
    expect(ok(msp1, der).id).toBe(ok(msp1, org1.users.User1.certPem).id);
    expect(ok(msp1, der)).toBe(ok(msp1, der));
  });

  it('rejects another org’s user', () => {
    const r = msp1.validateIdentity(org2.users.User1.certPem);
    expect(r).toEqual({
      ok: false,
      code: 'invalid',
      reason:
        'could not obtain certification chain: failed getting validation chain: ' +
        'the supplied identity is not valid: x509: certificate signed by unknown authority',
    });
  });

  it('rejects a self-signed certificate, and a CA certificate used as an identity', () => {
    const { privateKey } = generateP256KeyPair();
    const subject: DistinguishedName = [
      ['O', 'org1.example.com'],
      ['OU', 'client'],
      ['CN', 'mallory'],
    ];
    const selfSigned = pemEncode(
      'CERTIFICATE',
      buildCertificate(
        {
          subject,
          notBefore: NOW,
          notAfter: new Date(NOW.getTime() + 86400_000),
          publicKey: privateKey,
          extensions: [basicConstraintsExt(false)],
        },
        privateKey,
      ),
    );
    expect(reason(msp1, selfSigned, NOW)).toMatch(/certificate signed by unknown authority$/);
    expect(reason(msp1, org1.caCertPem)).toBe(
      'could not obtain certification chain: ' +
        'An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
    );
  });

  it('rejects a certificate naming org1’s CA as issuer but signed by another key', () => {
    const forgerKey = generateP256KeyPair().privateKey;
    const forger = { certPem: makeCryptogenCa(forgerKey, 'ca.org1.example.com', 'org1.example.com', NOW), privateKey: forgerKey };
    const forged = issueCryptogenLeaf(forger, {
      commonName: 'User1@org1.example.com',
      ous: ['client'],
      keyUsage: ['digitalSignature'],
      publicKey: generateP256KeyPair().privateKey,
      now: NOW,
    });
    expect(parseCertificate(forged).issuerNameDer.equals(parseCertificate(org1.caCertPem).subjectNameDer)).toBe(true);
    expect(reason(msp1, forged)).toMatch(
      /certificate signed by unknown authority \(possibly because of ".*verification failure" while trying to verify candidate authority certificate "ca\.org1\.example\.com"\)$/,
    );
  });

  it('rejects an expired identity and one not yet valid, at a fixed time', () => {
    const user = org1.users.User1.certPem;
    const { notBefore, notAfter } = parseCertificate(user);
    const afterExpiry = new Date(notAfter.getTime() + 1000);
    const r = msp1.validateIdentity(user, { at: afterExpiry });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('expired');
    expect(!r.ok && r.reason).toBe(
      'the identity is not valid at this time: x509: certificate has expired or is not yet valid: ' +
        `current time ${afterExpiry.toISOString().replace('.000', '')} is after ${notAfter.toISOString().replace('.000', '')}`,
    );
    expect(reason(msp1, user, new Date(notBefore.getTime() - 1000))).toMatch(/ is before /);
    expect(ok(msp1, user, new Date(notAfter.getTime() - 1000)).nodeRole).toBe('client');
    // An identity issued later than its CA (a CA not yet valid at the identity's NotBefore would not do,
    // the chain is checked then) that has expired by 2045.
    const old = org1Leaf('old@org1.example.com', ['client'], { now: new Date(NOW.getTime() + 86400_000) });
    expect(ok(msp1, old, new Date(NOW.getTime() + 2 * 86400_000)).nodeRole).toBe('client');
    expect(msp1.validateIdentity(old, { at: new Date('2045-01-01T00:00:00Z') })).toMatchObject({ ok: false, code: 'expired' });
    // The MSP's clock is the default time.
    const late = loadMspFromDir('Org1MSP', org1.paths.msp, { now: () => new Date('2045-01-01T00:00:00Z') });
    expect(late.validateIdentity(user)).toMatchObject({ ok: false, code: 'expired' });
  });

  it('rejects identities without exactly one NodeOU, as validateIdentityOUsV142', () => {
    expect(reason(msp1, org1Leaf('nobody', []))).toMatch(
      /^could not validate identity's OUs: the identity does not have an OU that resolves to client, peer, orderer, or admin role\. OUs: \[\], MSP/,
    );
    expect(reason(msp1, org1Leaf('both', ['client', 'peer']))).toMatch(
      /^could not validate identity's OUs: the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination/,
    );
    expect(reason(msp1, org1Leaf('both', ['client', 'peer']))).toMatch(
      /not a combination of them\. OUs: \[client\([0-9A-F]{16}\) peer\([0-9A-F]{16}\)\], MSP: \[Org1MSP\]$/,
    );
    expect(ok(msp1, org1Leaf('dept', ['department1', 'orderer'])).nodeRole).toBe('orderer');
  });

  it('rejects a chain whose extKeyUsage excludes serverAuth (Go’s default usage)', () => {
    const clientOnly = org1Leaf('c', ['client'], { eku: [EkuOid.clientAuth] });
    expect(reason(msp1, clientOnly)).toMatch(/x509: certificate specifies an incompatible key usage$/);
    expect(ok(msp1, org1Leaf('s', ['client'], { eku: [EkuOid.serverAuth, EkuOid.clientAuth] })).nodeRole).toBe('client');
  });

  it('answers unparsable input with a malformed failure', () => {
    expect(msp1.validateIdentity('not a certificate')).toMatchObject({ ok: false, code: 'malformed' });
    expect(msp1.validateIdentity(new Uint8Array([0x30, 0x03, 0x02, 0x01]))).toMatchObject({ ok: false, code: 'malformed' });
  });
});

describe('Msp.verify', () => {
  const message = Buffer.from('signed proposal bytes');

  it('accepts a low-S ECDSA-SHA256 signature and rejects its high-S twin, a wrong message and garbage', () => {
    const user = ok(msp1, org1.users.User1.certPem);
    const sig = org1.users.User1.sign(message);
    expect(msp1.verify(user, message, sig)).toBe(true);
    const high = highS(sig);
    // The high-S form is mathematically valid (OpenSSL accepts it); Fabric's verifyECDSA refuses it.
    expect(nodeVerify('sha256', message, { key: user.publicKey, dsaEncoding: 'der' }, high)).toBe(true);
    expect(msp1.verify(user, message, high)).toBe(false);
    expect(msp1.verify(user, Buffer.from('another message'), sig)).toBe(false);
    expect(msp1.verify(user, message, Buffer.from('garbage'))).toBe(false);
    expect(msp1.verify(user, message, Buffer.concat([sig, Buffer.from([0])]))).toBe(false);
    expect(msp1.verify(ok(msp1, org1.users.Admin.certPem), message, sig)).toBe(false);
  });

  it('does not verify for an identity of another MSP', () => {
    const msp2 = mspFromOrg(org2, { now: clock });
    const user2 = ok(msp2, org2.users.User1.certPem);
    expect(msp2.verify(user2, message, org2.users.User1.sign(message))).toBe(true);
    expect(msp1.verify(user2, message, org2.users.User1.sign(message))).toBe(false);
  });

  it('uses the signing identity of a node’s local MSP folder', () => {
    const local = loadMspFromDir('Org1MSP', org1.peer.paths.msp, { now: clock });
    const signer = local.signingIdentity!;
    expect(signer.certPem).toBe(org1.peer.certPem);
    expect(signer.nodeRole).toBe('peer');
    expect(local.verify(signer, message, signer.sign(message))).toBe(true);
    expect(msp1.verify(ok(msp1, org1.peer.certPem), message, signer.sign(message))).toBe(true);
  });
});

describe('Msp.satisfiesPrincipal (ROLE principals)', () => {
  const roles: MspRole[] = ['member', 'admin', 'client', 'peer', 'orderer'];
  const matrix = (msp: Msp, cert: string): Record<string, boolean> =>
    Object.fromEntries(roles.map((role) => [role, msp.satisfiesPrincipal(ok(msp, cert), { kind: 'role', role, mspId: msp.mspId }).ok]));

  it('with NodeOUs: member is any valid identity, the other roles follow the OU', () => {
    expect(matrix(msp1, org1.users.User1.certPem)).toEqual({ member: true, admin: false, client: true, peer: false, orderer: false });
    expect(matrix(msp1, org1.users.Admin.certPem)).toEqual({ member: true, admin: true, client: false, peer: false, orderer: false });
    expect(matrix(msp1, org1.peer.certPem)).toEqual({ member: true, admin: false, client: false, peer: true, orderer: false });
  });

  it('explains failures like Fabric', () => {
    const user = ok(msp1, org1.users.User1.certPem);
    expect(msp1.satisfiesPrincipal(user, { kind: 'role', role: 'admin', mspId: 'Org1MSP' })).toEqual({
      ok: false,
      reason: 'The identity is not an admin under this MSP [Org1MSP]: The identity does not contain OU [ADMIN], MSP: [Org1MSP]',
    });
    expect(msp1.satisfiesPrincipal(user, { kind: 'role', role: 'peer', mspId: 'Org1MSP' })).toEqual({
      ok: false,
      reason: 'The identity is not a [PEER] under this MSP [Org1MSP]: The identity does not contain OU [PEER], MSP: [Org1MSP]',
    });
    // src/policy's Principal ({ mspId, role }) is accepted as it is.
    expect(msp1.satisfiesPrincipal(user, { mspId: 'Org1MSP', role: 'client' })).toEqual({ ok: true });
    expect(msp1.satisfiesPrincipal(user, { mspId: 'Org1MSP', role: 'auditor' as MspRole })).toEqual({
      ok: false,
      reason: 'invalid MSP role type auditor',
    });
    expect(msp1.satisfiesPrincipal(user, { kind: 'role', role: 'member', mspId: 'Org2MSP' })).toEqual({
      ok: false,
      reason: 'the identity is a member of a different MSP (expected Org2MSP, got Org1MSP)',
    });
    const at = new Date('2045-01-01T00:00:00Z');
    const expired = msp1.satisfiesPrincipal(user, { kind: 'role', role: 'client', mspId: 'Org1MSP' }, { at });
    expect(expired.ok).toBe(false);
    expect(!expired.ok && expired.reason).toMatch(/^The identity is not valid under this MSP \[Org1MSP\]: the identity is not valid at this time/);
  });

  it('admincerts make admins whatever their OU; without NodeOUs, roles other than member and admin cannot be told apart', () => {
    const withAdmins = createMsp({ mspId: 'Org1MSP', rootCerts: [org1.caCertPem], admins: [org1.users.User1.certPem] }, { now: clock });
    expect(withAdmins.nodeOusEnabled).toBe(false);
    const user = ok(withAdmins, org1.users.User1.certPem);
    expect(user.nodeRole).toBeUndefined();
    expect(withAdmins.satisfiesPrincipal(user, { kind: 'role', role: 'admin', mspId: 'Org1MSP' })).toEqual({ ok: true });
    const peer = ok(withAdmins, org1.peer.certPem);
    const asAdmin = withAdmins.satisfiesPrincipal(peer, { kind: 'role', role: 'admin', mspId: 'Org1MSP' });
    expect(asAdmin).toEqual({ ok: false, reason: 'This identity is not an admin' });
    expect(withAdmins.satisfiesPrincipal(peer, { kind: 'role', role: 'member', mspId: 'Org1MSP' })).toEqual({ ok: true });
    expect(withAdmins.satisfiesPrincipal(peer, { kind: 'role', role: 'peer', mspId: 'Org1MSP' })).toEqual({
      ok: false,
      reason: 'The identity is not a [PEER] under this MSP [Org1MSP]: NodeOUs not activated. Cannot tell apart identities.',
    });
    const asOrderer = withAdmins.satisfiesPrincipal(peer, { kind: 'role', role: 'orderer', mspId: 'Org1MSP' });
    expect(asOrderer).toEqual({ ok: false, reason: 'invalid MSP role type 4' });

    // With NodeOUs, an admincerts entry is an admin even with the client OU.
    const both = createMsp(
      {
        mspId: 'Org1MSP',
        rootCerts: [org1.caCertPem],
        admins: [org1.users.User1.certPem],
        nodeOus: { enable: true, client: { ou: 'client' }, peer: { ou: 'peer' }, admin: { ou: 'admin' } },
      },
      { now: clock },
    );
    expect(matrix(both, org1.users.User1.certPem)).toMatchObject({ admin: true, client: true });
  });

  it('refuses MSP set-ups Fabric refuses', () => {
    expect(() => createMsp({ mspId: 'Org1MSP', rootCerts: [org1.caCertPem] })).toThrow(
      'MSP Org1MSP: administrators must be declared when no admin ou classification is set',
    );
    expect(() => createMsp({ mspId: 'Org1MSP', rootCerts: [] })).toThrow('expected at least one CA certificate');
    const user1 = org1.users.User1.certPem;
    expect(() => createMsp({ mspId: 'Org1MSP', rootCerts: [user1], admins: [user1] })).toThrow(/CA Certificate did not have the CA attr/);
    expect(() => createMsp({ mspId: 'Org1MSP', rootCerts: [org1.caCertPem], admins: [org2.users.User1.certPem] }, { now: clock })).toThrow(
      /admin 0 is invalid: .*unknown authority/,
    );
    expect(() =>
      createMsp({
        mspId: 'Org1MSP',
        rootCerts: [org1.caCertPem],
        admins: [org1.peer.certPem],
        nodeOus: { enable: true, client: { ou: 'client' }, admin: { ou: 'admin' } },
      }),
    ).toThrow(/admin 0 is invalid \[The identity does not contain OU \[CLIENT\]/);
  });
});

describe('intermediate CAs', () => {
  const now = NOW;
  const root = generateP256KeyPair().privateKey;
  const rootPem = makeCryptogenCa(root, 'root.example.com', 'example.com', now);
  const inter = generateP256KeyPair().privateKey;
  const interPem = pemEncode(
    'CERTIFICATE',
    buildCertificate(
      {
        subject: [
          ['O', 'example.com'],
          ['CN', 'intermediate.example.com'],
        ],
        issuerNameDer: parseCertificate(rootPem).subjectNameDer,
        notBefore: cryptogenNotBefore(now), // the root's: leaves are backdated the same way
        notAfter: new Date(now.getTime() + 365 * 86400_000),
        publicKey: inter,
        extensions: [
          keyUsageExt(['digitalSignature', 'keyCertSign', 'cRLSign']),
          extKeyUsageExt([EkuOid.clientAuth, EkuOid.serverAuth]),
          basicConstraintsExt(true, 0),
          subjectKeyIdentifierExt(skiSha256(inter)),
          authorityKeyIdentifierExt(parseCertificate(rootPem).subjectKeyId!),
        ],
      },
      root,
    ),
  );
  const leaf = (ca: { certPem: string; privateKey: KeyObject }, ous: string[]): string =>
    issueCryptogenLeaf(ca, { commonName: 'u', ous, keyUsage: ['digitalSignature'], publicKey: generateP256KeyPair().privateKey, now });
  const nodeOus = { enable: true, client: { ou: 'client', certificate: interPem }, peer: { ou: 'peer' }, admin: { ou: 'admin' } };

  it('validates through an intermediate and refuses identities issued directly by a root that has intermediates', () => {
    const msp = createMsp({ mspId: 'ExMSP', rootCerts: [rootPem], intermediateCerts: [interPem], nodeOus }, { now: clock });
    expect(ok(msp, leaf({ certPem: interPem, privateKey: inter }, ['client'])).nodeRole).toBe('client');
    expect(reason(msp, leaf({ certPem: rootPem, privateKey: root }, ['peer']))).toBe(
      'could not obtain certification chain: failed getting validation chain: ' +
        'invalid validation chain. Parent certificate should be a leaf of the certification tree',
    );
    const simpleOus = { enable: true, client: { ou: 'client' }, admin: { ou: 'admin' } };
    const withoutIntermediate = createMsp({ mspId: 'ExMSP', rootCerts: [rootPem], nodeOus: simpleOus }, { now: clock });
    const viaIntermediate = leaf({ certPem: interPem, privateKey: inter }, ['client']);
    expect(reason(withoutIntermediate, viaIntermediate)).toMatch(/certificate signed by unknown authority$/);
  });

  it('enforces the certifiers identifier of a NodeOU bound to a CA certificate', () => {
    const otherRoot = generateP256KeyPair().privateKey;
    const otherRootPem = makeCryptogenCa(otherRoot, 'other.example.com', 'example.com', now);
    const msp = createMsp({ mspId: 'ExMSP', rootCerts: [rootPem, otherRootPem], intermediateCerts: [interPem], nodeOus }, { now: clock });
    expect(reason(msp, leaf({ certPem: otherRootPem, privateKey: otherRoot }, ['client']))).toMatch(
      /^could not validate identity's OUs: certifiersIdentifier does not match: \[client\([0-9A-F]{16}\)\], MSP: \[ExMSP\]$/,
    );
    expect(ok(msp, leaf({ certPem: otherRootPem, privateKey: otherRoot }, ['peer'])).nodeRole).toBe('peer');
    expect(() => createMsp({ mspId: 'ExMSP', rootCerts: [rootPem], nodeOus })).toThrow(
      /Failed adding OU\. Certificate .* not in root or intermediate certs\./,
    );
  });
});

describe('loadMspFromDir: MSP folders not written by us', () => {
  function folder(configYaml: string | undefined, extra: (dir: string) => void = () => {}): string {
    const dir = join(tmp(), 'msp');
    cpSync(org1.paths.msp, dir, { recursive: true });
    if (configYaml === undefined) rmSync(join(dir, 'config.yaml'));
    else writeFileSync(join(dir, 'config.yaml'), configYaml);
    extra(dir);
    return dir;
  }

  it('reads a Fabric 3 cryptogen config.yaml (four-space indentation) and the test network’s hand-written one', () => {
    const fabric3 = nodeOusConfigYaml('ca.org1.example.com-cert.pem').replace(/^( +)/gm, (m) => m + m);
    const testNetwork = [
      '# written by registerEnroll.sh',
      'NodeOUs:',
      '  Enable: true',
      '  ClientOUIdentifier:',
      '    Certificate: "cacerts/ca.org1.example.com-cert.pem"   # quoted',
      "    OrganizationalUnitIdentifier: 'client'",
      '  PeerOUIdentifier:',
      '    Certificate: cacerts/ca.org1.example.com-cert.pem',
      '    OrganizationalUnitIdentifier: peer',
      '  AdminOUIdentifier:',
      '    Certificate: cacerts/ca.org1.example.com-cert.pem',
      '    OrganizationalUnitIdentifier: admin',
      '',
    ].join('\n');
    for (const text of [fabric3, testNetwork]) {
      const msp = loadMspFromDir('Org1MSP', folder(text), { now: clock });
      expect(msp.nodeOusEnabled).toBe(true);
      expect(ok(msp, org1.users.Admin.certPem).nodeRole).toBe('admin');
    }
  });

  it('without config.yaml needs admincerts, and then does not classify', () => {
    expect(() => loadMspFromDir('Org1MSP', folder(undefined))).toThrow(/administrators must be declared/);
    const dir = folder(undefined, (d) => writeFileSync(join(d, 'admincerts', 'admin.pem'), org1.users.Admin.certPem));
    const msp = loadMspFromDir('Org1MSP', dir, { now: clock });
    expect(msp.nodeOusEnabled).toBe(false);
    const admin = ok(msp, org1.users.Admin.certPem);
    expect(msp.satisfiesPrincipal(admin, { kind: 'role', role: 'admin', mspId: 'Org1MSP' }).ok).toBe(true);
  });

  it('applies OrganizationalUnitIdentifiers', () => {
    const yaml = [
      'OrganizationalUnitIdentifiers:',
      '  - Certificate: cacerts/ca.org1.example.com-cert.pem',
      '    OrganizationalUnitIdentifier: peer',
      '',
    ].join('\n');
    const dir = folder(yaml, (d) => writeFileSync(join(d, 'admincerts', 'admin.pem'), org1.peer.certPem));
    const msp = loadMspFromDir('Org1MSP', dir, { now: clock });
    expect(ok(msp, org1.peer.certPem).ous).toEqual(['peer']);
    expect(reason(msp, org1.users.User1.certPem)).toMatch(
      /^could not validate identity's OUs: none of the identity's organizational units \[client\([0-9A-F]{16}\)\] are in MSP Org1MSP$/,
    );
  });

  it('skips files that hold no PEM and refuses folders Fabric cannot use', () => {
    const config = readFileSync(join(org1.paths.msp, 'config.yaml'), 'utf8');
    const dir = folder(config, (d) => writeFileSync(join(d, 'cacerts', 'README'), 'not a certificate'));
    expect(loadMspFromDir('Org1MSP', dir).rootCerts).toEqual([org1.caCertPem]);
    const empty = join(tmp(), 'empty');
    mkdirSync(join(empty, 'cacerts'), { recursive: true });
    expect(() => loadMspFromDir('X', empty)).toThrow(`no ca certificate found in directory ${join(empty, 'cacerts')}`);
    expect(() => loadMspFromDir('X', join(tmp(), 'missing'))).toThrow(/could not load a valid ca certificate/);
    const withCrl = folder(undefined, (d) => {
      mkdirSync(join(d, 'crls'));
      writeFileSync(join(d, 'crls', 'crl.pem'), '-----BEGIN X509 CRL-----\nAA==\n-----END X509 CRL-----\n');
    });
    expect(() => loadMspFromDir('Org1MSP', withCrl)).toThrow(/does not support/);
    const anchored = folder('NodeOUs:\n  Enable: &anchor true\n');
    expect(() => loadMspFromDir('Org1MSP', anchored)).toThrow(/failed unmarshalling configuration file/);
  });
});

describe('MspManager', () => {
  let manager: MspManager;
  beforeAll(() => {
    manager = MspManager.fromCrypto(material, { now: clock });
  });

  it('deserializes and validates {mspid, idBytes} with the named MSP', () => {
    expect(manager.ids).toEqual(['Org1MSP', 'Org2MSP']);
    const r = manager.deserializeIdentity({ mspid: 'Org2MSP', idBytes: Buffer.from(org2.users.Admin.certPem) });
    expect(r.ok && r.identity.nodeRole).toBe('admin');
    expect(r.ok && r.msp).toBe(manager.get('Org2MSP'));
  });

  it('names the MSP in every failure', () => {
    expect(manager.deserializeIdentity({ mspid: 'Org9MSP', idBytes: org1.users.User1.certPem })).toEqual({
      ok: false,
      mspId: 'Org9MSP',
      code: 'unknown-msp',
      reason: 'MSP Org9MSP is not defined on channel',
    });
    expect(manager.deserializeIdentity({ mspid: 'Org1MSP', idBytes: parseCertificate(org1.users.User1.certPem).der })).toEqual({
      ok: false,
      mspId: 'Org1MSP',
      code: 'malformed',
      reason: 'could not deserialize identity of MSP Org1MSP: could not decode the PEM structure',
    });
    const garbledPem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const garbled = manager.deserializeIdentity({ mspid: 'Org1MSP', idBytes: garbledPem });
    expect(garbled).toMatchObject({ ok: false, mspId: 'Org1MSP', code: 'malformed' });
    expect(!garbled.ok && garbled.reason).toMatch(/^could not deserialize identity of MSP Org1MSP: parseCertificate failed: /);
    const foreign = manager.deserializeIdentity({ mspid: 'Org1MSP', idBytes: org2.users.User1.certPem });
    expect(foreign).toMatchObject({ ok: false, mspId: 'Org1MSP', code: 'invalid' });
    expect(!foreign.ok && foreign.reason).toMatch(
      /^identity of MSP Org1MSP is not valid: could not obtain certification chain: .*unknown authority$/,
    );
  });

  it('verifies and evaluates principals with the identity’s MSP', () => {
    const msg = Buffer.from('proposal');
    const r = manager.deserializeIdentity({ mspid: 'Org1MSP', idBytes: org1.peer.certPem });
    if (!r.ok) throw new Error(r.reason);
    expect(manager.verify(r.identity, msg, org1.peer.sign(msg))).toBe(true);
    expect(manager.verify(r.identity, msg, highS(org1.peer.sign(msg)))).toBe(false);
    expect(manager.satisfiesPrincipal(r.identity, { kind: 'role', role: 'peer', mspId: 'Org1MSP' })).toEqual({ ok: true });
    expect(manager.satisfiesPrincipal(r.identity, { kind: 'role', role: 'member', mspId: 'Org2MSP' }).ok).toBe(false);
    expect(() => new MspManager([msp1, msp1])).toThrow(/defined twice/);
  });

  it('answers a triple it verified or signed from memory, and verifies anything changed', () => {
    const m = MspManager.fromCrypto(material, { now: clock });
    const r = m.deserializeIdentity({ mspid: 'Org1MSP', idBytes: org1.peer.certPem });
    const other = m.deserializeIdentity({ mspid: 'Org1MSP', idBytes: org1.users.User1.certPem });
    if (!r.ok || !other.ok) throw new Error('identities');
    const msg = Buffer.from('endorsement bytes');
    const sig = org1.peer.sign(msg);
    expect(m.verify(r.identity, msg, sig)).toBe(true);
    expect(m.verify(r.identity, msg, sig)).toBe(true); // remembered
    const flipped = Buffer.from(msg);
    flipped[0]! ^= 1;
    expect(m.verify(r.identity, flipped, sig)).toBe(false);
    expect(m.verify(other.identity, msg, sig)).toBe(false); // same bytes, another certificate
    expect(m.verify(r.identity, msg, highS(sig))).toBe(false);
    // A signature the peer made itself is known valid; a forged one "signed here" for another
    // message does not make that message pass.
    const own = Buffer.from('own endorsement');
    const ownSig = org1.peer.sign(own);
    m.signedHere(r.identity.certDer, own, ownSig);
    expect(m.verify(r.identity, own, ownSig)).toBe(true);
    expect(m.verify(r.identity, Buffer.from('own endorsemenT'), ownSig)).toBe(false);
  });

  it('validates a known creator and verifies its signature in well under a millisecond', () => {
    const creator = { mspid: 'Org1MSP', idBytes: Buffer.from(org1.users.User1.certPem) };
    const msg = Buffer.alloc(2048, 7);
    const sig = org1.users.User1.sign(msg);
    const once = (): void => {
      const r = manager.deserializeIdentity(creator);
      if (!r.ok || !manager.verify(r.identity, msg, sig)) throw new Error('expected a valid creator and signature');
    };
    once(); // the first time validates the chain
    for (let i = 0; i < 20; i++) once(); // warm-up
    const runs = 200;
    const start = performance.now();
    for (let i = 0; i < runs; i++) once();
    const perCall = (performance.now() - start) / runs;
    expect(perCall).toBeLessThan(1);
  });
});
