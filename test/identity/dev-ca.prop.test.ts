import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DevCa, domainForMspId, parseCertificate, resetInMemoryDevCas } from '../../src/identity/index.js';
import { assertProp } from '../support/props.js';
import { peculiar, shimClientIdentity } from './helpers.js';

const tmpRoots: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccproto-identity-'));
  tmpRoots.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => resetInMemoryDevCas());

const ORG1_CA_DN = '/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com';

describe('DevCa with fabric-shim ClientIdentity as oracle', () => {
  it('gives getMSPID, getID and fabric-ca default attributes', () => {
    const ca = DevCa.open('Org1MSP');
    const user = ca.getUser('user1', { role: 'auditor' });
    const cid = shimClientIdentity(user.mspId, user.certPem);

    expect(cid.getMSPID()).toBe('Org1MSP');
    expect(cid.getID()).toBe(
      `x509::/C=US/ST=California/L=San Francisco/O=org1.example.com/OU=client/CN=user1::${ORG1_CA_DN}`,
    );
    expect(Buffer.from(cid.getIDBytes()).toString()).toBe(user.certPem);
    expect(cid.getAttributeValue('role')).toBe('auditor');
    expect(cid.getAttributeValue('hf.EnrollmentID')).toBe('user1');
    expect(cid.getAttributeValue('hf.Type')).toBe('client');
    // fabric-ca puts hf.Affiliation="" for root-affiliated identities; the shim maps falsy values to null.
    expect(cid.getAttributeValue('hf.Affiliation')).toBeNull();
    expect(cid.getAttributeValue('missing')).toBeNull();
    expect(cid.assertAttributeValue('role', 'auditor')).toBe(true);
    expect(cid.assertAttributeValue('role', 'admin')).toBe(false);
    expect(cid.assertAttributeValue('missing', 'x')).toBe(false);
    expect(user.attrs).toEqual({
      'hf.Affiliation': '',
      'hf.EnrollmentID': 'user1',
      'hf.Type': 'client',
      role: 'auditor',
    });
  });

  it('puts type and affiliation into OUs like fabric-ca setRequestOUs', () => {
    const ca = DevCa.open('Org1MSP');
    const admin = ca.getUser('org1admin', { dept: 'ops' }, { type: 'admin', affiliation: 'org1.department1' });
    const cid = shimClientIdentity(admin.mspId, admin.certPem);
    expect(cid.getID()).toBe(
      `x509::/C=US/ST=California/L=San Francisco/O=org1.example.com/OU=admin/OU=org1/OU=department1/CN=org1admin::${ORG1_CA_DN}`,
    );
    expect(cid.getAttributeValue('hf.Type')).toBe('admin');
    expect(cid.getAttributeValue('hf.Affiliation')).toBe('org1.department1');
    expect(cid.getAttributeValue('dept')).toBe('ops');
  });

  it('handles names needing UTF8String and certificates without attributes', () => {
    const ca = DevCa.open('Org2MSP');
    const u = ca.getUser('zoë@org2.example.com', {}, { defaultAttrs: false });
    const cid = shimClientIdentity(u.mspId, u.certPem);
    expect(cid.getID()).toContain('/CN=zoë@org2.example.com::');
    expect(cid.getID()).toContain('/CN=ca.org2.example.com');
    expect(parseCertificate(u.certPem).fabricAttrs).toBeUndefined();
    expect(cid.getAttributeValue('hf.EnrollmentID')).toBeNull();
  });

  it('prop: any attribute map round-trips through the certificate into ClientIdentity', () => {
    const ca = DevCa.open('Org1MSP');
    // Names that shadow Object.prototype members are excluded: the shim reads this.attrs[name] on a plain
    // object, so e.g. getAttributeValue('constructor') returns a function regardless of the certificate.
    const attrName = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in Object.prototype) && k !== '__proto__');
    assertProp(
      fc.property(fc.dictionary(attrName, fc.string({ maxLength: 20 }), { maxKeys: 5 }), (attrs) => {
        const user = ca.getUser('prop-user', attrs);
        const cid = shimClientIdentity(user.mspId, user.certPem);
        for (const [k, v] of Object.entries(attrs)) {
          expect(cid.getAttributeValue(k)).toBe(v === '' ? null : v);
          if (v !== '') expect(cid.assertAttributeValue(k, v)).toBe(true);
        }
        expect(cid.getAttributeValue('hf.EnrollmentID')).toBe(attrs['hf.EnrollmentID'] ?? 'prop-user');
      }),
      { runs: 25 },
    );
  });

  it('writes the attribute JSON like Go json.Marshal (sorted keys, HTML escaping)', () => {
    const u = DevCa.open('Org1MSP').getUser('json', { b: '<&>', a: '1' });
    const ext = parseCertificate(u.certPem).extensions.find((e) => e.oid === '1.2.3.4.5.6.7.8.1');
    expect(ext?.critical).toBe(false);
    expect(Buffer.from(ext?.value ?? []).toString()).toBe(
      '{"attrs":{"a":"1","b":"\\u003c\\u0026\\u003e","hf.Affiliation":"","hf.EnrollmentID":"json","hf.Type":"client"}}',
    );
  });
});

describe('certificate contents', () => {
  it('CA and user certificates look like cryptogen / fabric-ca ones', async () => {
    const x509 = await peculiar();
    const ca = DevCa.open('Org1MSP');
    const user = ca.getUser('user1');

    const caCert = new x509.X509Certificate(ca.caCertPem);
    expect(caCert.subject).toBe('C=US, ST=California, L=San Francisco, O=org1.example.com, CN=ca.org1.example.com');
    expect(caCert.issuer).toBe(caCert.subject);
    const caBc = caCert.getExtension(x509.BasicConstraintsExtension);
    expect(caBc?.ca).toBe(true);
    expect(caBc?.critical).toBe(true);
    const caKu = caCert.getExtension(x509.KeyUsagesExtension);
    expect(caKu?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature |
        x509.KeyUsageFlags.keyEncipherment |
        x509.KeyUsageFlags.keyCertSign |
        x509.KeyUsageFlags.cRLSign,
    );
    const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    expect(caSki).toMatch(/^[0-9a-f]{64}$/);
    expect(await caCert.verify({ signatureOnly: true })).toBe(true);

    const cert = new x509.X509Certificate(user.certPem);
    expect(cert.subject).toBe('C=US, ST=California, L=San Francisco, O=org1.example.com, OU=client, CN=user1');
    expect(cert.issuer).toBe(caCert.subject);
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(ku?.critical).toBe(true);
    const bc = cert.getExtension(x509.BasicConstraintsExtension);
    expect(bc?.ca).toBe(false);
    expect(bc?.critical).toBe(true);
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caSki);
    expect(await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true })).toBe(true);
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(365 * 24 * 3600 * 1000);

    // node:crypto (OpenSSL) agrees on the chain.
    const n = new X509Certificate(user.certPem);
    const nca = new X509Certificate(ca.caCertPem);
    expect(n.checkIssued(nca)).toBe(true);
    expect(n.verify(nca.publicKey)).toBe(true);
    expect(n.ca).toBe(false);
    expect(nca.ca).toBe(true);
    expect(ca.isIssuedBy(user.certPem)).toBe(true);
    expect(DevCa.open('Org2MSP').isIssuedBy(user.certPem)).toBe(false);
  });

  it('derives the domain from the MSP id', () => {
    expect(domainForMspId('Org1MSP')).toBe('org1.example.com');
    expect(domainForMspId('SampleOrg')).toBe('sampleorg.example.com');
    expect(domainForMspId('MSP')).toBe('org.example.com');
    expect(DevCa.open('Org3MSP', { domain: 'acme.test' }).getUser('u').certPem).toBeTruthy();
    const cid = shimClientIdentity('Org3MSP', DevCa.open('Org3MSP', { domain: 'acme.test' }).getUser('u').certPem);
    expect(cid.getID()).toContain('::/C=US/ST=California/L=San Francisco/O=acme.test/CN=ca.acme.test');
  });
});

describe('stable identities', () => {
  it('in memory: the same MSP and user give the same CA and certificate for the process lifetime', () => {
    const a = DevCa.open('Org1MSP');
    const b = DevCa.open('Org1MSP');
    expect(b).toBe(a);
    const u1 = a.getUser('alice');
    expect(b.getUser('alice').certPem).toBe(u1.certPem);
    expect(b.getUser('alice').keyPem).toBe(u1.keyPem);
    expect(a.getUser('bob').certPem).not.toBe(u1.certPem);
    expect(DevCa.open('Org2MSP').caCertPem).not.toBe(a.caCertPem);
  });

  it('persisted: a second DevCa on the same directory returns the same CA and user certificates', () => {
    const dataDir = tmp();
    const first = DevCa.open('Org1MSP', { dataDir });
    const alice = first.getUser('alice', { role: 'admin' });
    const bob = first.getUser('bob');

    const dir = join(dataDir, 'msp', 'Org1MSP');
    expect(first.dir).toBe(dir);
    expect(readFileSync(join(dir, 'ca-cert.pem'), 'utf8')).toBe(first.caCertPem);
    expect(readFileSync(join(dir, 'ca-key.pem'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(readFileSync(join(dir, 'users', 'alice', 'cert.pem'), 'utf8')).toBe(alice.certPem);
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'users', 'alice', 'key.pem')).mode & 0o777).toBe(0o600);
    }

    const second = DevCa.open('Org1MSP', { dataDir });
    expect(second).not.toBe(first);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.caKeyPem).toBe(first.caKeyPem);
    const alice2 = second.getUser('alice');
    expect(alice2.certPem).toBe(alice.certPem);
    expect(alice2.keyPem).toBe(alice.keyPem);
    expect(alice2.attrs['role']).toBe('admin');
    // Asking again with the same attributes does not re-issue.
    expect(second.getUser('alice', { role: 'admin' }).certPem).toBe(alice.certPem);
    expect(second.getUser('bob').certPem).toBe(bob.certPem);
    expect(bob.certPem).not.toBe(alice.certPem);
    expect(bob.keyPem).not.toBe(alice.keyPem);
    expect(shimClientIdentity('Org1MSP', alice2.certPem).getID()).toBe(shimClientIdentity('Org1MSP', alice.certPem).getID());

    // Another MSP in the same data directory has its own CA.
    const org2 = DevCa.open('Org2MSP', { dataDir });
    expect(org2.caCertPem).not.toBe(first.caCertPem);
    expect(org2.getUser('alice').certPem).not.toBe(alice.certPem);
  });

  it('persisted: names that are not simple file names stay distinct', () => {
    const dataDir = tmp();
    const ca = DevCa.open('Org1MSP', { dataDir });
    const names = ['Alice', 'alice', '../evil', 'a/b', 'ü ber', '.', '..', 'x'.repeat(300)];
    const certs = names.map((n) => ca.getUser(n).certPem);
    expect(new Set(certs).size).toBe(names.length);
    const again = DevCa.open('Org1MSP', { dataDir });
    names.forEach((n, i) => expect(again.getUser(n).certPem).toBe(certs[i]));
    expect(existsSync(join(dataDir, 'msp', 'evil'))).toBe(false);
    expect(existsSync(join(dataDir, 'msp', 'Org1MSP', 'evil'))).toBe(false);
  });

  it('re-issues with the same key when attributes change, and persists the new certificate', () => {
    const dataDir = tmp();
    const ca = DevCa.open('Org1MSP', { dataDir });
    const v1 = ca.getUser('carol', { role: 'reader' });
    const v2 = ca.getUser('carol', { role: 'writer' });
    expect(v2.certPem).not.toBe(v1.certPem);
    expect(v2.keyPem).toBe(v1.keyPem);
    expect(shimClientIdentity('Org1MSP', v2.certPem).getID()).toBe(shimClientIdentity('Org1MSP', v1.certPem).getID());
    expect(shimClientIdentity('Org1MSP', v2.certPem).getAttributeValue('role')).toBe('writer');
    expect(DevCa.open('Org1MSP', { dataDir }).getUser('carol').certPem).toBe(v2.certPem);
  });

  it('renews certificates that are about to expire, keeping key and attributes', () => {
    const dataDir = tmp();
    let now = new Date('2030-01-01T00:00:00Z');
    const ca = DevCa.open('Org1MSP', { dataDir, userValidityDays: 10, now: () => now });
    const u1 = ca.getUser('dave', { team: 'blue' });
    now = new Date('2030-01-05T00:00:00Z');
    expect(DevCa.open('Org1MSP', { dataDir, userValidityDays: 10, now: () => now }).getUser('dave').certPem).toBe(u1.certPem);
    now = new Date('2030-01-10T12:00:00Z');
    const u2 = DevCa.open('Org1MSP', { dataDir, userValidityDays: 10, now: () => now }).getUser('dave');
    expect(u2.certPem).not.toBe(u1.certPem);
    expect(u2.keyPem).toBe(u1.keyPem);
    expect(u2.attrs['team']).toBe('blue');
    expect(parseCertificate(u2.certPem).notAfter.getTime()).toBeGreaterThan(now.getTime() + 9 * 24 * 3600 * 1000);
  });

  it('replaces a stored user certificate not issued by this CA', () => {
    const dataDir = tmp();
    const ca = DevCa.open('Org1MSP', { dataDir });
    const stranger = DevCa.open('OtherMSP').getUser('eve');
    const eveCert = join(dataDir, 'msp', 'Org1MSP', 'users', 'eve', 'cert.pem');
    ca.getUser('eve');
    writeFileSync(eveCert, stranger.certPem);
    const eve = DevCa.open('Org1MSP', { dataDir }).getUser('eve');
    expect(eve.certPem).not.toBe(stranger.certPem);
    expect(ca.isIssuedBy(eve.certPem)).toBe(true);
  });

  it('uses a CA certificate and key placed in the directory (e.g. from cryptogen) and rejects mismatches', () => {
    const src = DevCa.open('Org1MSP', { dataDir: tmp() });
    const dataDir = tmp();
    const dir = join(dataDir, 'msp', 'Org9MSP');
    DevCa.open('Org9MSP', { dataDir }); // creates the directory
    copyFileSync(join(src.dir as string, 'ca-cert.pem'), join(dir, 'ca-cert.pem'));
    copyFileSync(join(src.dir as string, 'ca-key.pem'), join(dir, 'ca-key.pem'));
    const ca = DevCa.open('Org9MSP', { dataDir });
    expect(ca.caCertPem).toBe(src.caCertPem);
    const u = ca.getUser('frank');
    expect(src.isIssuedBy(u.certPem)).toBe(true);
    expect(shimClientIdentity('Org9MSP', u.certPem).getID()).toContain(`::${ORG1_CA_DN}`);

    writeFileSync(join(dir, 'ca-cert.pem'), DevCa.open('Org2MSP').caCertPem);
    expect(() => DevCa.open('Org9MSP', { dataDir })).toThrow(/does not match/);
  });

  it('rejects empty names and MSP ids', () => {
    expect(() => DevCa.open('')).toThrow();
    expect(() => DevCa.open('Org1MSP').getUser('')).toThrow();
  });
});
