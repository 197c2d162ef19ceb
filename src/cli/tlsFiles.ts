/**
 * TLS material named on the command line, read from files: a client's side of TLS (the CA to trust,
 * an optional client certificate and key, an optional server name) as `ccproto proxy` (towards
 * its upstream), `conform peer` and `fuzz peer` take it. Every mistake is a UsageError naming the
 * option.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClientTlsOptions } from '../transport/index.js';
import { UsageError } from './args.js';
import { errorText } from './io.js';

/** A PEM file's text; an unreadable file is a UsageError naming `option`. */
export function readPemFile(file: string, option: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`${option}: cannot read ${file}: ${errorText(err)}`);
  }
}

export interface ClientTlsFlags {
  rootCert?: string | undefined;
  clientCert?: string | undefined;
  clientKey?: string | undefined;
  serverName?: string | undefined;
}

/**
 * Client TLS options from files, or undefined when no flag is given. `options` names the flags (for
 * the messages) and `to` what TLS is towards (`--upstream`, `the peer`).
 */
export function clientTlsFromFlags(
  flags: ClientTlsFlags,
  options: { rootCert: string; clientCert: string; clientKey: string; serverName: string },
  to: string,
  cwd: string,
): ClientTlsOptions | undefined {
  const { rootCert, clientCert, clientKey, serverName } = flags;
  if (!rootCert && !clientCert && !clientKey && !serverName) return undefined;
  if (!rootCert) throw new UsageError(`TLS to ${to} needs ${options.rootCert}`);
  if (Boolean(clientCert) !== Boolean(clientKey)) throw new UsageError(`mutual TLS to ${to} needs both ${options.clientCert} and ${options.clientKey}`);
  return {
    rootCaPem: readPemFile(rootCert, options.rootCert, cwd),
    ...(clientCert && clientKey ? { clientCertPem: readPemFile(clientCert, options.clientCert, cwd), clientKeyPem: readPemFile(clientKey, options.clientKey, cwd) } : {}),
    ...(serverName ? { serverNameOverride: serverName } : {}),
  };
}

/** The flag names `conform peer` and `fuzz peer` use. */
export const PEER_TLS_FLAGS = { rootCert: '--tls-root-cert', clientCert: '--tls-client-cert', clientKey: '--tls-client-key', serverName: '--tls-server-name' };
