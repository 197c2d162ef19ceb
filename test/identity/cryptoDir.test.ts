import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainForMsp, ensureCryptoDir, loadMspFromDir, parseCertificate, type CryptoMaterial } from '../../src/identity/index.js';
import { basicConstraintsOf, EkuOid, extKeyUsageOf, keyUsageOf, subjectAltNamesOf } from '../../src/identity/x509.js';
import { shimClientIdentity } from './helpers.js';

const NOW = new Date('2030-06-01T12:00:00Z');
const clock = (): Date => NOW;

const tmpRoots: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccproto-cryptodir-'));
  tmpRoots.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** Every file and directory under `dir`, relative, sorted; directories end with "/". */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.push(relative(dir, p) + '/');
        walk(p);
      } else {
        out.push(relative(dir, p));
      }
    }
  };
  walk(dir);
  return out.sort();
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(tree(dir).filter((p) => !p.endsWith('/')).map((p) => [p, readFileSync(join(dir, p))]));
}

/** What cryptogen (EnableNodeOUs: true, Template.Count 1, Users.Count 1) writes for one peer org. */
function expectedOrgTree(d: string): string[] {
  const o = `peerOrganizations/${d}`;
  const localMsp = (base: string, cn: string): string[] => [
    `${base}/`,
    `${base}/msp/`,
    `${base}/msp/admincerts/`,
    `${base}/msp/cacerts/`,
    `${base}/msp/cacerts/ca.${d}-cert.pem`,
    `${base}/msp/config.yaml`,
    `${base}/msp/keystore/`,
    `${base}/msp/keystore/priv_sk`,
    `${base}/msp/signcerts/`,
    `${base}/msp/signcerts/${cn}-cert.pem`,
    `${base}/msp/tlscacerts/`,
    `${base}/msp/tlscacerts/tlsca.${d}-cert.pem`,
    `${base}/tls/`,
    `${base}/tls/ca.crt`,
  ];
  const tlsPair = (base: string, prefix: string): string[] => [`${base}/tls/${prefix}.crt`, `${base}/tls/${prefix}.key`];
  return [
    `${o}/`,
    `${o}/ca/`,
    `${o}/ca/ca.${d}-cert.pem`,
    `${o}/ca/priv_sk`,
    `${o}/msp/`,
    `${o}/msp/admincerts/`,
    `${o}/msp/cacerts/`,
    `${o}/msp/cacerts/ca.${d}-cert.pem`,
    `${o}/msp/config.yaml`,
    `${o}/msp/tlscacerts/`,
    `${o}/msp/tlscacerts/tlsca.${d}-cert.pem`,
    `${o}/peers/`,
    ...localMsp(`${o}/peers/peer0.${d}`, `peer0.${d}`),
    ...tlsPair(`${o}/peers/peer0.${d}`, 'server'),
    `${o}/tlsca/`,
    `${o}/tlsca/priv_sk`,
    `${o}/tlsca/tlsca.${d}-cert.pem`,
    `${o}/users/`,
    ...localMsp(`${o}/users/Admin@${d}`, `Admin@${d}`),
    ...tlsPair(`${o}/users/Admin@${d}`, 'client'),
    ...localMsp(`${o}/users/User1@${d}`, `User1@${d}`),
    ...tlsPair(`${o}/users/User1@${d}`, 'client'),
  ];
}

const subjectOf = (pem: string): string[] => parseCertificate(pem).subject.map(([oid, v]) => `${oid}=${v}`);
const LOCATION = ['2.5.4.6=US', '2.5.4.8=California', '2.5.4.7=San Francisco'];

describe('domainForMsp', () => {
  it('maps OrgNMSP to orgN.example.com and other ids to their lower-cased name without MSP', () => {
    expect(domainForMsp('Org1MSP')).toBe('org1.example.com');
    expect(domainForMsp('Org12MSP')).toBe('org12.example.com');
    expect(domainForMsp('OrdererMSP')).toBe('orderer.example.com');
    expect(domainForMsp('Acme')).toBe('acme.example.com');
    expect(domainForMsp('acmemsp')).toBe('acme.example.com');
  });

  it('refuses two MSP ids that would share a folder', () => {
    expect(() => ensureCryptoDir(tmp(), ['Org1MSP', 'org1msp'], { now: clock })).toThrow(/both map to the domain org1\.example\.com/);
  });
});

describe('ensureCryptoDir: a fresh folder', () => {
  let dir: string;
  let material: CryptoMaterial;
  beforeAll(() => {
    dir = join(tmp(), 'crypto'); // does not exist yet
    material = ensureCryptoDir(dir, ['Org1MSP', 'Org2MSP'], { now: clock, peerSans: ['peer.internal', '10.0.0.7'] });
  });

  it('writes exactly cryptogen’s layout and file names, nothing else', () => {
    const expected = ['peerOrganizations/', ...expectedOrgTree('org1.example.com'), ...expectedOrgTree('org2.example.com')];
    expect(tree(dir)).toEqual(expected.sort());
    expect(material.orgs.map((o) => [o.mspId, o.domain])).toEqual([
      ['Org1MSP', 'org1.example.com'],
      ['Org2MSP', 'org2.example.com'],
    ]);
  });

  it('returns the paths and the material that is on disk', () => {
    const org = material.get('Org1MSP')!;
    const base = join(dir, 'peerOrganizations', 'org1.example.com');
    expect(org.paths).toEqual({
      org: base,
      caCert: join(base, 'ca', 'ca.org1.example.com-cert.pem'),
      caKey: join(base, 'ca', 'priv_sk'),
      tlsCaCert: join(base, 'tlsca', 'tlsca.org1.example.com-cert.pem'),
      tlsCaKey: join(base, 'tlsca', 'priv_sk'),
      msp: join(base, 'msp'),
    });
    expect(readFileSync(org.paths.caCert, 'utf8')).toBe(org.caCertPem);
    expect(readFileSync(org.paths.tlsCaCert, 'utf8')).toBe(org.tlsCaCertPem);
    const user = org.users.User1;
    expect(user.name).toBe('User1@org1.example.com');
    expect(user.paths.signCert).toBe(join(base, 'users', 'User1@org1.example.com', 'msp', 'signcerts', 'User1@org1.example.com-cert.pem'));
    expect(readFileSync(user.paths.signCert, 'utf8')).toBe(user.certPem);
    expect(readFileSync(user.paths.key, 'utf8')).toBe(user.keyPem);
    expect(readFileSync(user.paths.tlsCert, 'utf8')).toBe(user.tls.certPem);
    expect(readFileSync(org.peer.paths.tlsKey, 'utf8')).toBe(org.peerTls.keyPem);
    expect(org.peer.paths.tlsCert.endsWith(join('tls', 'server.crt'))).toBe(true);
    expect(readFileSync(org.peer.paths.tlsCaCert, 'utf8')).toBe(org.tlsCaCertPem);
  });

  it('writes PKCS#8 P-256 keys readable only by the owner', () => {
    const keys = tree(dir).filter((p) => /(priv_sk|\.key)$/.test(p));
    expect(keys).toHaveLength(2 * 8);
    for (const p of keys) {
      const pem = readFileSync(join(dir, p), 'utf8');
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n'), p).toBe(true);
      const key = createPrivateKey({ key: pem, format: 'pem' });
      expect(key.asymmetricKeyType).toBe('ec');
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      if (process.platform !== 'win32') expect(statSync(join(dir, p)).mode & 0o777, p).toBe(0o600);
    }
  });

  it('makes CA certificates like cryptogen’s NewCA', () => {
    const org = material.get('Org1MSP')!;
    for (const [pem, cn] of [
      [org.caCertPem, 'ca.org1.example.com'],
      [org.tlsCaCertPem, 'tlsca.org1.example.com'],
    ] as const) {
      const info = parseCertificate(pem);
      expect(subjectOf(pem)).toEqual([...LOCATION, '2.5.4.10=org1.example.com', `2.5.4.3=${cn}`]);
      expect(info.issuerNameDer.equals(info.subjectNameDer)).toBe(true);
      expect(basicConstraintsOf(info)).toEqual({ isCA: true });
      expect([...keyUsageOf(info)!].sort()).toEqual(['cRLSign', 'digitalSignature', 'keyCertSign', 'keyEncipherment']);
      expect(extKeyUsageOf(info)).toEqual([EkuOid.clientAuth, EkuOid.serverAuth]);
      expect(info.subjectKeyId).toHaveLength(32);
      expect(info.notBefore).toEqual(new Date('2030-06-01T11:55:00Z'));
      expect(info.notAfter.getTime() - info.notBefore.getTime()).toBe(3650 * 24 * 3600 * 1000);
      expect(new X509Certificate(pem).verify(new X509Certificate(pem).publicKey)).toBe(true);
    }
  });

  it('issues signing certificates with the NodeOU and TLS certificates from the TLS CA', () => {
    const org = material.get('Org1MSP')!;
    const caSki = parseCertificate(org.caCertPem).subjectKeyId;
    const tlsCaSki = parseCertificate(org.tlsCaCertPem).subjectKeyId;
    for (const [node, ou] of [
      [org.peer, 'peer'],
      [org.users.User1, 'client'],
      [org.users.Admin, 'admin'],
    ] as const) {
      const info = parseCertificate(node.certPem);
      expect(node.role).toBe(ou);
      expect(subjectOf(node.certPem)).toEqual([...LOCATION, `2.5.4.11=${ou}`, `2.5.4.3=${node.name}`]);
      expect(info.issuerNameDer.equals(parseCertificate(org.caCertPem).subjectNameDer)).toBe(true);
      expect(info.authorityKeyId).toEqual(caSki);
      expect(info.subjectKeyId).toBeUndefined();
      expect(basicConstraintsOf(info)).toEqual({ isCA: false });
      expect([...keyUsageOf(info)!]).toEqual(['digitalSignature']);
      expect(extKeyUsageOf(info)).toBeUndefined();
      expect(new X509Certificate(node.certPem).verify(new X509Certificate(org.caCertPem).publicKey)).toBe(true);

      const t = parseCertificate(node.tls.certPem);
      expect(subjectOf(node.tls.certPem)).toEqual([...LOCATION, `2.5.4.3=${node.name}`]);
      expect(t.authorityKeyId).toEqual(tlsCaSki);
      expect([...keyUsageOf(t)!].sort()).toEqual(['digitalSignature', 'keyEncipherment']);
      expect(extKeyUsageOf(t)).toEqual([EkuOid.serverAuth, EkuOid.clientAuth]);
      expect(new X509Certificate(node.tls.certPem).verify(new X509Certificate(org.tlsCaCertPem).publicKey)).toBe(true);
    }
  });

  it('gives chaincode (fabric-shim ClientIdentity) the IDs a cryptogen network gives', () => {
    const org = material.get('Org1MSP')!;
    const issuer = '/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com';
    const cid = shimClientIdentity('Org1MSP', org.users.User1.certPem);
    expect(cid.getID()).toBe(`x509::/C=US/ST=California/L=San Francisco/OU=client/CN=User1@org1.example.com::${issuer}`);
    expect(cid.getMSPID()).toBe('Org1MSP');
    expect(cid.getAttributeValue('hf.EnrollmentID')).toBeNull();
    const admin = shimClientIdentity('Org1MSP', org.users.Admin.certPem);
    expect(admin.getID()).toBe(`x509::/C=US/ST=California/L=San Francisco/OU=admin/CN=Admin@org1.example.com::${issuer}`);
  });

  it('puts localhost, 127.0.0.1, peer0.<domain>, peer0 and the extra SANs in the peer’s server certificate', () => {
    const org = material.get('Org2MSP')!;
    expect(subjectAltNamesOf(parseCertificate(org.peerTls.certPem))).toEqual({
      dns: ['peer0.org2.example.com', 'peer0', 'localhost', 'peer.internal'],
      ips: ['127.0.0.1', '10.0.0.7'],
    });
    expect(subjectAltNamesOf(parseCertificate(org.users.User1.tls.certPem))).toEqual({ dns: [], ips: [] });
  });

  it('writes config.yaml with NodeOUs pointing at the CA certificate, as cryptogen does', () => {
    const expected = [
      'NodeOUs:',
      '  Enable: true',
      ...['ClientOUIdentifier:client', 'PeerOUIdentifier:peer', 'AdminOUIdentifier:admin', 'OrdererOUIdentifier:orderer'].flatMap((s) => {
        const [key, ou] = s.split(':');
        return [`  ${key}:`, '    Certificate: cacerts/ca.org1.example.com-cert.pem', `    OrganizationalUnitIdentifier: ${ou}`];
      }),
      '',
    ].join('\n');
    const base = join(dir, 'peerOrganizations', 'org1.example.com');
    for (const p of ['msp', 'peers/peer0.org1.example.com/msp', 'users/User1@org1.example.com/msp', 'users/Admin@org1.example.com/msp']) {
      expect(readFileSync(join(base, p, 'config.yaml'), 'utf8')).toBe(expected);
    }
  });

  it('serves TLS as peer0 (by host name override or localhost) to users trusting tls/ca.crt, with their client.crt', async () => {
    // Real TLS checks validity against the real clock: material made now.
    const org = ensureCryptoDir(tmp(), ['Org1MSP']).get('Org1MSP')!;
    const server = tls.createServer({
      cert: readFileSync(org.peer.paths.tlsCert),
      key: readFileSync(org.peer.paths.tlsKey),
      ca: [readFileSync(org.paths.tlsCaCert)],
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on('secureConnection', (s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const talk = (servername: string, user: 'User1' | 'Admin'): Promise<string> =>
      new Promise((resolve, reject) => {
        const u = org.users[user];
        const files = { ca: [readFileSync(u.paths.tlsCaCert)], cert: readFileSync(u.paths.tlsCert), key: readFileSync(u.paths.tlsKey) };
        const s = tls.connect({ host: '127.0.0.1', port, servername, ...files });
        let data = '';
        s.setEncoding('utf8');
        s.on('data', (d: string) => (data += d));
        s.on('end', () => resolve(data));
        s.on('error', reject);
      });
    try {
      expect(await talk('peer0.org1.example.com', 'User1')).toBe('ok');
      expect(await talk('localhost', 'Admin')).toBe('ok');
      await expect(talk('peer0.org2.example.com', 'User1')).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it.skipIf(!hasOpenssl())('passes openssl verify (signing chain, TLS server and client purposes)', () => {
    const org = material.get('Org1MSP')!;
    const verify = (ca: string, cert: string, purpose?: string): string =>
      execFileSync('openssl', [
        'verify',
        '-attime',
        String(NOW.getTime() / 1000),
        ...(purpose ? ['-purpose', purpose] : []),
        '-CAfile',
        ca,
        cert,
      ], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    for (const node of [org.peer, org.users.User1, org.users.Admin]) expect(verify(org.paths.caCert, node.paths.signCert)).toMatch(/: OK/);
    expect(verify(org.paths.tlsCaCert, org.peer.paths.tlsCert, 'sslserver')).toMatch(/: OK/);
    expect(verify(org.paths.tlsCaCert, org.users.User1.paths.tlsCert, 'sslclient')).toMatch(/: OK/);
    expect(() => verify(material.get('Org2MSP')!.paths.caCert, org.users.User1.paths.signCert)).toThrow();
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ensureCryptoDir: reuse and completion', () => {
  it('reuses existing material byte for byte (certificates survive restarts)', () => {
    const dir = tmp();
    const first = ensureCryptoDir(dir, ['Org1MSP'], { now: clock });
    const before = snapshot(dir);
    const later = new Date('2031-01-01T00:00:00Z');
    const second = ensureCryptoDir(dir, ['Org1MSP'], { now: () => later });
    expect(snapshot(dir)).toEqual(before);
    const [a, b] = [first.get('Org1MSP')!, second.get('Org1MSP')!];
    expect(b.caCertPem).toBe(a.caCertPem);
    expect(b.peer.certPem).toBe(a.peer.certPem);
    expect(b.peerTls).toEqual(a.peerTls);
    expect(b.users.User1.keyPem).toBe(a.users.User1.keyPem);
    expect(b.users.Admin.certPem).toBe(a.users.Admin.certPem);
  });

  it('adds an MSP declared later and leaves the existing org untouched', () => {
    const dir = tmp();
    ensureCryptoDir(dir, ['Org1MSP'], { now: clock });
    const org1 = snapshot(join(dir, 'peerOrganizations', 'org1.example.com'));
    const both = ensureCryptoDir(dir, ['Org1MSP', 'Org2MSP'], { now: clock });
    expect(snapshot(join(dir, 'peerOrganizations', 'org1.example.com'))).toEqual(org1);
    expect(tree(join(dir, 'peerOrganizations'))).toEqual(
      [...expectedOrgTree('org1.example.com'), ...expectedOrgTree('org2.example.com')]
        .map((p) => p.replace(/^peerOrganizations\//, ''))
        .sort(),
    );
    expect(both.get('Org2MSP')!.users.User1.name).toBe('User1@org2.example.com');
  });

  it('completes a half-written org: missing pieces are made, pieces that fit are kept, stale temporaries go', () => {
    const dir = tmp();
    const first = ensureCryptoDir(dir, ['Org1MSP'], { now: clock }).get('Org1MSP')!;
    const base = first.paths.org;
    const keep = snapshot(base);
    // What a run killed midway can leave: files missing, a folder missing, a temporary of a dead process.
    unlinkSync(first.users.User1.paths.key);
    unlinkSync(first.peer.paths.tlsCert);
    unlinkSync(join(base, 'msp', 'config.yaml'));
    rmSync(first.users.Admin.paths.dir, { recursive: true });
    rmSync(join(base, 'tlsca', 'tlsca.org1.example.com-cert.pem'));
    mkdirSync(join(dir, '.ccproto-tmp'));
    writeFileSync(join(dir, '.ccproto-tmp', '999999999-abcdef'), 'partial');

    const again = ensureCryptoDir(dir, ['Org1MSP'], { now: clock }).get('Org1MSP')!;
    expect(tree(dir)).toEqual(['peerOrganizations/', ...expectedOrgTree('org1.example.com')].sort());
    const now = snapshot(base);
    // The signing CA and everything issued by it for untouched keys is kept …
    const peerCert = 'peers/peer0.org1.example.com/msp/signcerts/peer0.org1.example.com-cert.pem';
    const kept = ['ca/ca.org1.example.com-cert.pem', 'ca/priv_sk', peerCert];
    for (const p of [...kept, 'tlsca/priv_sk']) {
      expect(now.get(p), p).toEqual(keep.get(p));
    }
    // … the TLS CA certificate is re-made for the same key, so the TLS certificates it signed still fit …
    expect(again.tlsCaCertPem).not.toBe(first.tlsCaCertPem);
    expect(now.get('users/User1@org1.example.com/tls/client.crt')).toEqual(keep.get('users/User1@org1.example.com/tls/client.crt'));
    // … and what was lost is new and consistent.
    expect(again.users.User1.keyPem).not.toBe(first.users.User1.keyPem);
    expect(again.users.User1.certPem).not.toBe(first.users.User1.certPem);
    expect(again.users.Admin.certPem).not.toBe(first.users.Admin.certPem);
    const msp = loadMspFromDir('Org1MSP', join(base, 'msp'), { now: clock });
    for (const node of [again.peer, again.users.User1, again.users.Admin]) {
      expect(msp.validateIdentity(node.certPem).ok, node.name).toBe(true);
    }
    expect(new X509Certificate(again.peerTls.certPem).verify(new X509Certificate(again.tlsCaCertPem).publicKey)).toBe(true);
    expect(existsSync(join(dir, '.ccproto-tmp'))).toBe(false);
  });

  it('replaces a node certificate that no longer fits its CA (a new CA key) and keeps keys that parse', () => {
    const dir = tmp();
    const first = ensureCryptoDir(dir, ['Org1MSP'], { now: clock }).get('Org1MSP')!;
    rmSync(join(first.paths.org, 'ca'), { recursive: true }); // the signing CA is gone: a new one is made
    const again = ensureCryptoDir(dir, ['Org1MSP'], { now: clock }).get('Org1MSP')!;
    expect(again.caCertPem).not.toBe(first.caCertPem);
    expect(again.users.User1.keyPem).toBe(first.users.User1.keyPem);
    expect(again.users.User1.certPem).not.toBe(first.users.User1.certPem);
    expect(readFileSync(join(first.paths.org, 'msp', 'cacerts', 'ca.org1.example.com-cert.pem'), 'utf8')).toBe(again.caCertPem);
    const msp = loadMspFromDir('Org1MSP', again.paths.msp, { now: clock });
    expect(msp.validateIdentity(again.users.User1.certPem).ok).toBe(true);
    expect(msp.validateIdentity(first.users.User1.certPem).ok).toBe(false);
  });

  it('takes an empty existing folder', () => {
    const dir = tmp();
    const m = ensureCryptoDir(dir, ['Org1MSP'], { now: clock });
    expect(m.dir).toBe(dir);
    expect(m.get('Org1MSP')?.domain).toBe('org1.example.com');
    expect(m.get('Org9MSP')).toBeUndefined();
  });
});
