/**
 * Start-up configuration from command-line flags and environment, as the shims read it
 * (docs/protocol.md §3.3, §4).
 *
 * Client mode (the chaincode dials the peer's ChaincodeSupport/Register):
 * - peer address: `--peer.address` / `-peer.address` (Go's flag package and fabric-shim's yargs),
 *   `--peerAddress` (Java), a `--CORE_PEER_ADDRESS` argument (fabric-shim lets it override
 *   --peer.address), then env CORE_PEER_ADDRESS; `host:port`, `grpc://` or `grpcs://` (http(s) is
 *   refused, fabric-shim parsePeerUrl). Each flag takes `--flag value` or `--flag=value`.
 * - name: `--chaincode-id-name`, then env CORE_CHAINCODE_ID_NAME.
 * - TLS: env CORE_PEER_TLS_ENABLED (Go's strconv.ParseBool spellings; unset or empty means false, as
 *   in fabric-shim; anything else is refused with Go's text). A `grpcs://` / `grpc://` scheme decides
 *   by itself (fabric-shim). Root CA: CORE_PEER_TLS_ROOTCERT_FILE (PEM). Client key/cert:
 *   CORE_TLS_CLIENT_KEY_FILE / CORE_TLS_CLIENT_CERT_FILE (PEM), preferred as in the Go shim, else
 *   CORE_TLS_CLIENT_KEY_PATH / CORE_TLS_CLIENT_CERT_PATH (files holding base64 of the PEM, what
 *   fabric-shim reads). `--ssl-target-name-override` sets the TLS server name (fabric-shim).
 *
 * Server mode (the peer dials the chaincode's Chaincode/Connect): ccid from CORE_CHAINCODE_ID, then
 * CHAINCODE_ID; address from CHAINCODE_SERVER_ADDRESS, then CORE_CHAINCODE_ADDRESS (fabric-shim's
 * `server` command reads the CORE_ names, fabric-samples use CHAINCODE_ID / CHAINCODE_SERVER_ADDRESS).
 * TLS from CORE_CHAINCODE_TLS_{KEY,CERT,CLIENT_CACERT}_FILE (PEM) or _PATH (base64), fabric-shim's
 * server options; client CA certificates turn on mutual TLS.
 */
import { readFileSync } from 'node:fs';
import { parseAddress, type ClientTlsOptions } from '../transport/index.js';
import type { Env } from './txContext.js';

/** The flag values we recognise, last occurrence winning. Unknown flags are ignored. */
export interface ParsedFlags {
  peerAddress?: string;
  corePeerAddress?: string;
  chaincodeIdName?: string;
  sslTargetNameOverride?: string;
}

const FLAG_NAMES: Readonly<Record<string, keyof ParsedFlags>> = {
  'peer.address': 'peerAddress',
  peerAddress: 'peerAddress',
  'peer-address': 'peerAddress',
  CORE_PEER_ADDRESS: 'corePeerAddress',
  'chaincode-id-name': 'chaincodeIdName',
  chaincodeIdName: 'chaincodeIdName',
  'ssl-target-name-override': 'sslTargetNameOverride',
  sslTargetNameOverride: 'sslTargetNameOverride',
};

export function parseFlags(argv: readonly string[]): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    const m = /^--?([^=]+)(?:=([\s\S]*))?$/.exec(token);
    if (!m) continue;
    const key = FLAG_NAMES[m[1]!];
    if (key === undefined) continue;
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new Error(`flag '${m[1]}' needs a value`);
      value = next;
      i++;
    }
    out[key] = value;
  }
  return out;
}

/** Go's strconv.ParseBool, with unset/empty meaning false (fabric-shim's default). */
export function parseTlsEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error("'CORE_PEER_TLS_ENABLED' must be set to 'true' or 'false'");
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`failed to read ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** A file holding base64 of a PEM block (the peer's CORE_TLS_CLIENT_*_PATH files). */
function readBase64Pem(path: string, what: string): string {
  const text = readText(path, what).trim();
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  if (!/^[A-Za-z0-9+/=\s]*$/.test(text) || !decoded.includes('-----BEGIN')) {
    throw new Error(`failed to decode ${what}: ${path} does not hold base64 of a PEM block`);
  }
  return decoded;
}

function pemFromEnv(env: Env, fileVar: string, pathVar: string, what: string): string | undefined {
  const file = env[fileVar];
  if (file) return readText(file, what);
  const path = env[pathVar];
  if (path) return readBase64Pem(path, what);
  return undefined;
}

export interface ClientConfig {
  chaincodeName: string;
  /** The dial target, scheme included if one was given. */
  peerAddress: string;
  tls: ClientTlsOptions | undefined;
}

export interface ClientConfigOverrides {
  peerAddress?: string | undefined;
  chaincodeName?: string | undefined;
  /** Complete TLS options (skips the environment), or false for plaintext. */
  tls?: ClientTlsOptions | false | undefined;
}

export function resolveClientConfig(argv: readonly string[], env: Env, overrides: ClientConfigOverrides = {}): ClientConfig {
  const flags = parseFlags(argv);
  const chaincodeName = overrides.chaincodeName ?? flags.chaincodeIdName ?? env.CORE_CHAINCODE_ID_NAME ?? '';
  // fabric-chaincode-go shim/shim.go Start: "'CORE_CHAINCODE_ID_NAME' must be set".
  if (chaincodeName === '') throw new Error("'CORE_CHAINCODE_ID_NAME' must be set (or pass --chaincode-id-name)");
  const address = overrides.peerAddress ?? flags.corePeerAddress ?? flags.peerAddress ?? env.CORE_PEER_ADDRESS ?? '';
  // Go: "flag 'peer.address' ... must be set"; fabric-shim: "... must be set to a legitimate value of <host>:<port>".
  if (address === '') throw new Error("flag 'peer.address' must be set to <host>:<port> (or CORE_PEER_ADDRESS)");
  const lower = address.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    throw new Error('The "peer.address" program argument can not be set to an "http(s)" url, use grpc(s) or omit the protocol');
  }
  const parsed = parseAddress(address);

  let tls: ClientTlsOptions | undefined;
  if (overrides.tls !== undefined) {
    tls = overrides.tls === false ? undefined : overrides.tls;
  } else {
    const enabled = parsed.scheme === 'grpcs' ? true : parsed.scheme === 'grpc' ? false : parseTlsEnabled(env.CORE_PEER_TLS_ENABLED);
    if (enabled) tls = tlsFromEnv(env, flags.sslTargetNameOverride);
  }
  if (parsed.scheme === 'grpcs' && tls === undefined) throw new Error(`peer address ${address} asks for TLS but TLS was turned off`);
  if (parsed.scheme === 'grpc' && tls !== undefined) throw new Error(`peer address ${address} asks for plaintext but TLS options were given`);
  return { chaincodeName, peerAddress: address, tls };
}

function tlsFromEnv(env: Env, serverNameOverride: string | undefined): ClientTlsOptions {
  const root = env.CORE_PEER_TLS_ROOTCERT_FILE;
  if (!root) throw new Error('failed to read root cert file: CORE_PEER_TLS_ROOTCERT_FILE is not set');
  const rootCaPem = readText(root, 'root cert file');
  const clientKeyPem = pemFromEnv(env, 'CORE_TLS_CLIENT_KEY_FILE', 'CORE_TLS_CLIENT_KEY_PATH', 'private key file');
  const clientCertPem = pemFromEnv(env, 'CORE_TLS_CLIENT_CERT_FILE', 'CORE_TLS_CLIENT_CERT_PATH', 'public key file');
  if (clientKeyPem === undefined || clientCertPem === undefined) {
    // fabric-shim lib/chaincode.js: the peer enforces mutual TLS on its chaincode listener.
    throw new Error(
      'The client key and cert are needed when TLS is enabled, but environment variables specifying the paths to these files are missing ' +
        '(CORE_TLS_CLIENT_KEY_FILE/CORE_TLS_CLIENT_CERT_FILE or CORE_TLS_CLIENT_KEY_PATH/CORE_TLS_CLIENT_CERT_PATH)',
    );
  }
  return { rootCaPem, clientKeyPem, clientCertPem, ...(serverNameOverride ? { serverNameOverride } : {}) };
}

/** TLS material of a chaincode server (fabric-shim ChaincodeServerTLSProperties; Go TLSProperties). */
export interface ChaincodeServerTlsProps {
  key: Uint8Array | string;
  cert: Uint8Array | string;
  /** CA certificates peers' client certificates must chain to; turns on mutual TLS. */
  clientCACerts?: Uint8Array | string | undefined;
}

export function serverTlsFromEnv(env: Env): ChaincodeServerTlsProps | undefined {
  const key = pemFromEnv(env, 'CORE_CHAINCODE_TLS_KEY_FILE', 'CORE_CHAINCODE_TLS_KEY_PATH', 'chaincode TLS key file');
  const cert = pemFromEnv(env, 'CORE_CHAINCODE_TLS_CERT_FILE', 'CORE_CHAINCODE_TLS_CERT_PATH', 'chaincode TLS cert file');
  const clientCACerts = pemFromEnv(env, 'CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE', 'CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH', 'chaincode TLS client CA file');
  if (key === undefined && cert === undefined && clientCACerts === undefined) return undefined;
  // fabric-shim server command: "A TLS option is set but no key/cert is specified".
  if (key === undefined) throw new Error('A TLS option is set but no key is specified');
  if (cert === undefined) throw new Error('A TLS option is set but no cert is specified');
  return { key, cert, clientCACerts };
}

/** `host:port` to listen on; an empty host (`:9999`, as Go's net.Listen allows) means all interfaces. */
export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d{1,5})$/.exec(address.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65_535) throw new Error(`chaincode server address "${address}" is not <host>:<port>`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}
