/**
 * Loading an MSP from an MSP folder, as msp/configbuilder.go getMspConfig and GetLocalMspConfig read one:
 *
 *   cacerts/               root CA certificates (required, at least one)
 *   intermediatecerts/     optional
 *   admincerts/            optional
 *   tlscacerts/            optional; tlsintermediatecerts/ is read only when tlscacerts/ has certificates
 *   config.yaml            optional: OrganizationalUnitIdentifiers and NodeOUs (paths relative to the folder)
 *   signcerts/ + keystore/ optional: the signing identity (the first certificate of signcerts/ and the
 *                          keystore key that matches it; Fabric finds the key by SKI in its BCCSP keystore)
 *   crls/                  not supported: a folder with CRLs is refused instead of silently ignored
 *
 * Like getPemMaterialFromDir, each regular file of a folder (in name order) that holds a PEM block counts
 * once (its first block); other files are skipped.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgCrypto } from './cryptoDir.js';
import { privateKeyFromPem, spkiDer } from './ecdsa.js';
import { Msp, type MspConfig, type MspOptions, type NodeOuIdentifier, type NodeOusConfig, type NodeRole } from './msp.js';
import { parseSimpleYaml, yamlBool, type YamlValue } from './simpleYaml.js';
import { certificateDer, parseCertificate } from './x509.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/** The first PEM block of each file in `dir`, in name order; undefined when the folder does not exist. */
function pemFiles(dir: string): { name: string; pem: string }[] | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`could not read directory ${dir}: ${(err as Error).message}`);
  }
  const out: { name: string; pem: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      const block = PEM_BLOCK.exec(readFileSync(path, 'utf8'));
      if (block) out.push({ name, pem: block[0] + '\n' });
    } catch {
      // getPemMaterialFromDir: unreadable files are skipped with a warning
    }
  }
  return out;
}

const pems = (dir: string): string[] => (pemFiles(dir) ?? []).map((f) => f.pem);

function field(v: YamlValue | undefined, key: string): YamlValue | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

function text(v: YamlValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

const NODE_OU_KEYS: Record<NodeRole, string> = {
  client: 'ClientOUIdentifier',
  peer: 'PeerOUIdentifier',
  admin: 'AdminOUIdentifier',
  orderer: 'OrdererOUIdentifier',
};

/** config.yaml of an MSP folder, as getMspConfig turns it into FabricOUIdentifiers and FabricNodeOUs. */
function readConfigYaml(dir: string): Pick<MspConfig, 'organizationalUnitIdentifiers' | 'nodeOus'> {
  const file = join(dir, 'config.yaml');
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`failed loading configuration file at [${file}]: ${(err as Error).message}`);
  }
  let doc: YamlValue;
  try {
    doc = parseSimpleYaml(raw);
  } catch (err) {
    throw new Error(`failed unmarshalling configuration file at [${file}]: ${(err as Error).message}`);
  }
  const ouList = field(doc, 'OrganizationalUnitIdentifiers');
  const organizationalUnitIdentifiers = (Array.isArray(ouList) ? ouList : []).map((item) => {
    const path = join(dir, text(field(item, 'Certificate')));
    let certificate: string;
    try {
      certificate = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`failed loading OrganizationalUnit certificate at [${path}]: ${(err as Error).message}`);
    }
    return { ou: text(field(item, 'OrganizationalUnitIdentifier')), certificate };
  });
  const nodeOusDoc = field(doc, 'NodeOUs');
  let nodeOus: NodeOusConfig | undefined;
  if (yamlBool(field(nodeOusDoc, 'Enable'))) {
    const idents: Partial<Record<NodeRole, NodeOuIdentifier>> = {};
    for (const [role, key] of Object.entries(NODE_OU_KEYS) as Array<[NodeRole, string]>) {
      const ident = field(nodeOusDoc, key);
      const ou = text(field(ident, 'OrganizationalUnitIdentifier'));
      if (ou === '') continue;
      const certPath = text(field(ident, 'Certificate'));
      let certificate: string | undefined;
      if (certPath !== '') {
        try {
          certificate = readFileSync(join(dir, certPath), 'utf8');
        } catch {
          // configbuilder.go loadCertificateAt: a missing file only logs a warning
        }
      }
      idents[role] = certificate === undefined ? { ou } : { ou, certificate };
    }
    nodeOus = { enable: true, ...idents };
  }
  return { organizationalUnitIdentifiers, ...(nodeOus ? { nodeOus } : {}) };
}

/** The signcerts/ certificate and the keystore/ key that belongs to it, when both are there. */
function readSigner(dir: string): MspConfig['signingIdentity'] {
  const cert = pems(join(dir, 'signcerts'))[0];
  if (cert === undefined) return undefined;
  const keystore = join(dir, 'keystore');
  const keys = (pemFiles(keystore) ?? []).filter((f) => f.pem.includes('PRIVATE KEY'));
  if (keys.length === 0) return undefined; // a public copy of a local MSP: verifying only
  const spki = parseCertificate(certificateDer(cert)).spkiDer;
  for (const { pem } of keys) {
    try {
      const privateKey = privateKeyFromPem(pem);
      if (spkiDer(privateKey).equals(spki)) return { cert, privateKey };
    } catch {
      // not an EC key we can use: look further
    }
  }
  throw new Error(`no private key in ${keystore} matches the signing certificate in ${join(dir, 'signcerts')}`);
}

/** Reads the MSP folder `dir` (see the top of this file) and sets up the MSP `mspId` from it. */
export function loadMspFromDir(mspId: string, dir: string, options?: MspOptions): Msp {
  const cacertDir = join(dir, 'cacerts');
  const rootCerts = pemFiles(cacertDir);
  if (rootCerts === undefined) throw new Error(`could not load a valid ca certificate from directory ${cacertDir}: no such directory`);
  if (rootCerts.length === 0) throw new Error(`no ca certificate found in directory ${cacertDir}`);
  const crls = pemFiles(join(dir, 'crls')) ?? [];
  if (crls.length > 0) throw new Error(`MSP ${mspId}: ${join(dir, 'crls')} holds CRLs, which this MSP implementation does not support`);
  const tlsRootCerts = pems(join(dir, 'tlscacerts'));
  const signingIdentity = readSigner(dir);
  return new Msp(
    {
      mspId,
      rootCerts: rootCerts.map((f) => f.pem),
      intermediateCerts: pems(join(dir, 'intermediatecerts')),
      admins: pems(join(dir, 'admincerts')),
      tlsRootCerts,
      tlsIntermediateCerts: tlsRootCerts.length > 0 ? pems(join(dir, 'tlsintermediatecerts')) : [],
      ...readConfigYaml(dir),
      ...(signingIdentity ? { signingIdentity } : {}),
    },
    options,
  );
}

/** The org MSP of generated material (peerOrganizations/<domain>/msp), as a channel would define it. */
export function mspFromOrg(org: OrgCrypto, options?: MspOptions): Msp {
  return loadMspFromDir(org.mspId, org.paths.msp, options);
}
