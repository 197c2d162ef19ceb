/**
 * `ccproto peer`'s chaincode-as-a-service options: `--ccaas NAME=HOST:PORT`, Fabric's
 * `connection.json` (`--ccaas-connection NAME=FILE`) and the TLS flags
 * (`--ccaas-tls-root-cert`, `--ccaas-tls-client-cert`, `--ccaas-tls-client-key`,
 * `--ccaas-tls-server-name`, each `NAME=VALUE`), checked and turned into the `ccaas` entries of
 * `PeerOptions.chaincodes`. Every mistake is a UsageError (exit 2) naming the option and the file.
 *
 * connection.json is what Fabric's external builders hand the peer for a chaincode server (fabric
 * core/container/externalbuilder/instance.go ChaincodeServerUserData): `address`, `dial_timeout`,
 * `tls_required`, `client_auth_required`, `client_key`, `client_cert`, `root_cert` (PEM text), and
 * since Fabric 3.0 `domain` (the name to verify the server certificate against).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { ChaincodeLaunch } from '../peer/types.js';
import { UsageError, formatHostPort, parseAssignment, parseHostPort } from './args.js';
import { errorText } from './io.js';

type CcaasLaunch = Extract<ChaincodeLaunch, { kind: 'ccaas' }>;
type CcaasTls = NonNullable<CcaasLaunch['tls']>;

/** The command-line values of the CCaaS options (each repeatable, `NAME=VALUE`). */
export interface CcaasCliOptions {
  ccaas?: string[];
  ccaasConnection?: string[];
  ccaasTlsRootCert?: string[];
  ccaasTlsClientCert?: string[];
  ccaasTlsClientKey?: string[];
  ccaasTlsServerName?: string[];
}

/** The fields of connection.json and their JSON types (instance.go ChaincodeServerUserData). */
const CONNECTION_FIELDS: Record<string, 'string' | 'boolean' | 'duration'> = {
  address: 'string',
  domain: 'string',
  dial_timeout: 'duration',
  tls_required: 'boolean',
  client_auth_required: 'boolean',
  client_key: 'string',
  client_cert: 'string',
  root_cert: 'string',
};

/** What a connection.json says, checked (PEM texts still unchecked). */
interface Connection {
  address?: string;
  dialTimeoutMs?: number;
  tls?: { rootCertPem: string; clientCertPem?: string; clientKeyPem?: string; serverNameOverride?: string };
}

const GO_UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * A Go duration (time.ParseDuration: `10s`, `1m30s`, `500ms`, `1.5h`) in milliseconds, as
 * instance.go Duration.UnmarshalJSON reads a string; undefined when it does not parse.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let ns = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    ns += Number(m[1]) * GO_UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (s === '' || pos !== s.length) return undefined;
  return ns / 1e6;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${what}: cannot read ${file}: ${errorText(err)}`);
  }
}

function checkCertificatePem(pem: string, what: string): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw new UsageError(`${what} is not a valid PEM certificate: ${errorText(err)}`);
  }
}

function checkKeyPem(pem: string, what: string): void {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new UsageError(`${what} holds no PEM private key (-----BEGIN … PRIVATE KEY-----)`);
  try {
    createPrivateKey(pem);
  } catch (err) {
    throw new UsageError(`${what} is not a valid PEM private key: ${errorText(err)}`);
  }
}

/**
 * connection.json as the peer reads it (instance.go ChaincodeServerInfo), with Fabric's texts for
 * what it refuses (`chaincode tls key not provided`, …). Unknown fields are refused with the field
 * meant (Go ignores them; a misspelt `root_certs` would silently turn TLS off).
 */
export function parseConnectionJson(parsed: unknown, where: string): Connection {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${where} must hold a JSON object (Fabric's connection.json)`);
  const o = parsed as Record<string, unknown>;
  const fields = Object.keys(CONNECTION_FIELDS);
  const value: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    // Go's encoding/json matches field names case-insensitively.
    const field = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined) {
      const guess = fields.find((f) => f.replace(/_/g, '') === key.toLowerCase().replace(/[_-]/g, '').replace(/s$/, ''));
      throw new UsageError(`${where}: unknown field ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ` (known: ${fields.join(', ')})`}`);
    }
    if (v === null) continue; // Go leaves the field at its zero value
    const want = CONNECTION_FIELDS[field]!;
    if (want === 'boolean' && typeof v !== 'boolean') {
      throw new UsageError(`${where}: ${JSON.stringify(key)} must be true or false (a JSON boolean${typeof v === 'string' ? `, not the string ${JSON.stringify(v)}: Fabric refuses that too` : ''})`);
    }
    if (want === 'string' && typeof v !== 'string') throw new UsageError(`${where}: ${JSON.stringify(key)} must be a string`);
    if (want === 'duration' && typeof v !== 'string' && typeof v !== 'number') {
      throw new UsageError(`${where}: ${JSON.stringify(key)} must be a duration such as "10s" (or a number of nanoseconds)`);
    }
    value[field] = v;
  }
  const conn: Connection = {};
  const address = value['address'] as string | undefined;
  if (address !== undefined && address !== '') conn.address = address;
  const dial = value['dial_timeout'] as string | number | undefined;
  if (dial !== undefined) {
    // instance.go Duration.UnmarshalJSON: a number is nanoseconds, a string time.ParseDuration.
    const ms = typeof dial === 'number' ? dial / 1e6 : parseGoDuration(dial);
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw new UsageError(`${where}: "dial_timeout" ${JSON.stringify(dial)} is not a duration (e.g. "10s", "500ms")`);
    // 0 means the default (3 s), as in ChaincodeServerInfo.
    if (ms > 0) conn.dialTimeoutMs = Math.max(1, Math.round(ms));
  }
  if (value['tls_required'] !== true) return conn;
  const clientAuth = value['client_auth_required'] === true;
  const key = (value['client_key'] as string | undefined) ?? '';
  const cert = (value['client_cert'] as string | undefined) ?? '';
  const root = (value['root_cert'] as string | undefined) ?? '';
  // instance.go ChaincodeServerInfo, in its order and words.
  if (clientAuth && key === '') throw new UsageError(`${where}: chaincode tls key not provided ("client_key", needed with "client_auth_required")`);
  if (clientAuth && cert === '') throw new UsageError(`${where}: chaincode tls cert not provided ("client_cert", needed with "client_auth_required")`);
  if (root === '') throw new UsageError(`${where}: chaincode tls root cert not provided ("root_cert", needed with "tls_required")`);
  checkCertificatePem(root, `${where}: "root_cert"`);
  const tls: CcaasTls = { rootCertPem: root };
  if (clientAuth) {
    checkCertificatePem(cert, `${where}: "client_cert"`);
    checkKeyPem(key, `${where}: "client_key"`);
    checkKeyMatches(cert, key, `${where}: "client_key" does not belong to "client_cert"`);
    Object.assign(tls, { clientCertPem: cert, clientKeyPem: key });
  }
  const domain = value['domain'] as string | undefined;
  if (domain !== undefined && domain !== '') Object.assign(tls, { serverNameOverride: domain });
  conn.tls = tls;
  return conn;
}

function checkKeyMatches(certPem: string, keyPem: string, message: string): void {
  let matches = true;
  try {
    matches = new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    // Both parsed already; a key type the check cannot compare is left to the TLS handshake.
  }
  if (!matches) throw new UsageError(message);
}

/** `NAME=VALUE` entries of one option, by NAME; a NAME given twice is refused. */
function byName(values: readonly string[] | undefined, option: string, valueName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of values ?? []) {
    const { name, value } = parseAssignment(spec, option, valueName);
    if (out.has(name)) throw new UsageError(`${option} given twice for ${JSON.stringify(name)}`);
    out.set(name, value);
  }
  return out;
}

/**
 * The CCaaS chaincodes of a command line, by name. `--ccaas NAME=HOST:PORT` gives the address;
 * `--ccaas-connection NAME=FILE` reads a Fabric connection.json (its address is used unless
 * `--ccaas` gives one; its TLS settings unless a `--ccaas-tls-*` flag gives that one). The TLS
 * flags turn TLS on; `--ccaas-tls-client-cert` and `--ccaas-tls-client-key` (mutual TLS) go
 * together; every TLS setting needs a root certificate. `otherChaincodes` are the names of
 * `--chaincode` (for a clearer message when a CCaaS option names one of them).
 * @throws UsageError
 */
export async function ccaasFromCli(opts: CcaasCliOptions, cwd: string, otherChaincodes: ReadonlySet<string>): Promise<Map<string, CcaasLaunch>> {
  const addresses = byName(opts.ccaas, '--ccaas', 'HOST:PORT');
  const connections = byName(opts.ccaasConnection, '--ccaas-connection', 'FILE');
  const roots = byName(opts.ccaasTlsRootCert, '--ccaas-tls-root-cert', 'FILE');
  const certs = byName(opts.ccaasTlsClientCert, '--ccaas-tls-client-cert', 'FILE');
  const keys = byName(opts.ccaasTlsClientKey, '--ccaas-tls-client-key', 'FILE');
  const serverNames = byName(opts.ccaasTlsServerName, '--ccaas-tls-server-name', 'HOST');

  const names = new Set([...addresses.keys(), ...connections.keys()]);
  for (const [option, map] of [
    ['--ccaas-tls-root-cert', roots],
    ['--ccaas-tls-client-cert', certs],
    ['--ccaas-tls-client-key', keys],
    ['--ccaas-tls-server-name', serverNames],
  ] as const) {
    for (const name of map.keys()) {
      if (names.has(name)) continue;
      const why = otherChaincodes.has(name) ? ` (it is launched with --chaincode: TLS options are for chaincode servers the peer dials)` : '';
      throw new UsageError(`${option} ${name}: ${JSON.stringify(name)} is not a chaincode given with --ccaas or --ccaas-connection${why}`);
    }
  }

  const out = new Map<string, CcaasLaunch>();
  for (const name of names) {
    let conn: Connection = {};
    const connectionFile = connections.get(name);
    if (connectionFile !== undefined) {
      const file = resolve(cwd, connectionFile);
      const where = `--ccaas-connection ${name}: ${file}`;
      const text = await readText(file, `--ccaas-connection ${name}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`${where} is not valid JSON: ${errorText(err)}`);
      }
      conn = parseConnectionJson(parsed, where);
    }

    const addressText = addresses.get(name) ?? conn.address;
    // instance.go ChaincodeServerInfo: `chaincode address not provided`.
    if (addressText === undefined) throw new UsageError(`--ccaas-connection ${name}: chaincode address not provided ("address" in the file, or --ccaas ${name}=HOST:PORT)`);
    const what = addresses.has(name) ? `--ccaas ${name}` : `--ccaas-connection ${name}: "address"`;
    const target = parseHostPort(addressText, what);
    if (target.port === 0) throw new UsageError(`${what}: port 0 cannot be dialed`);

    // The flags, each replacing what connection.json says for it.
    const tls: { rootCertPem?: string; clientCertPem?: string; clientKeyPem?: string; serverNameOverride?: string } = { ...conn.tls };
    const rootFile = roots.get(name);
    if (rootFile !== undefined) {
      const file = resolve(cwd, rootFile);
      const pem = await readText(file, `--ccaas-tls-root-cert ${name}`);
      checkCertificatePem(pem, `--ccaas-tls-root-cert ${name}: ${file}`);
      tls.rootCertPem = pem;
    }
    const certFile = certs.get(name);
    const keyFile = keys.get(name);
    if ((certFile === undefined) !== (keyFile === undefined)) {
      const [given, missing] = certFile === undefined ? ['--ccaas-tls-client-key', '--ccaas-tls-client-cert'] : ['--ccaas-tls-client-cert', '--ccaas-tls-client-key'];
      throw new UsageError(`${given} ${name} needs ${missing} ${name} too (mutual TLS presents the client certificate with its key)`);
    }
    if (certFile !== undefined && keyFile !== undefined) {
      const cert = resolve(cwd, certFile);
      const key = resolve(cwd, keyFile);
      const certPem = await readText(cert, `--ccaas-tls-client-cert ${name}`);
      const keyPem = await readText(key, `--ccaas-tls-client-key ${name}`);
      checkCertificatePem(certPem, `--ccaas-tls-client-cert ${name}: ${cert}`);
      checkKeyPem(keyPem, `--ccaas-tls-client-key ${name}: ${key}`);
      checkKeyMatches(certPem, keyPem, `--ccaas-tls-client-key ${name}: ${key} is not the key of the certificate in ${cert}`);
      tls.clientCertPem = certPem;
      tls.clientKeyPem = keyPem;
    }
    const serverName = serverNames.get(name);
    if (serverName !== undefined) {
      const host = serverName.trim();
      if (!/^[A-Za-z0-9.*:[\]-]+$/.test(host)) throw new UsageError(`invalid --ccaas-tls-server-name ${name}=${JSON.stringify(serverName)} (a host name, e.g. ${name}.example.com)`);
      tls.serverNameOverride = host;
    }

    const launch: CcaasLaunch = { kind: 'ccaas', address: formatHostPort(target) };
    if (conn.dialTimeoutMs !== undefined) launch.dialTimeoutMs = conn.dialTimeoutMs;
    if (Object.keys(tls).length > 0) {
      if (tls.rootCertPem === undefined) {
        const first = certFile !== undefined ? '--ccaas-tls-client-cert' : '--ccaas-tls-server-name';
        throw new UsageError(`${first} ${name} needs --ccaas-tls-root-cert ${name}=FILE (the CA that signed the chaincode server's certificate)`);
      }
      launch.tls = {
        rootCertPem: tls.rootCertPem,
        ...(tls.clientCertPem !== undefined ? { clientCertPem: tls.clientCertPem } : {}),
        ...(tls.clientKeyPem !== undefined ? { clientKeyPem: tls.clientKeyPem } : {}),
        ...(tls.serverNameOverride !== undefined ? { serverNameOverride: tls.serverNameOverride } : {}),
      };
    }
    out.set(name, launch);
  }
  return out;
}
