/**
 * Address parsing for dial targets.
 *
 * Accepted forms (as the shims accept them, fabric-chaincode-node lib/chaincode.js `parsePeerUrl`
 * and lib/handler.js `Endpoint`): `host:port`, `grpc://host:port`, `grpcs://host:port`; `http://`
 * and `https://` are rejected. IPv6 hosts must be bracketed (`[::1]:7052`).
 */

export type AddressScheme = 'grpc' | 'grpcs';

export interface ParsedAddress {
  /** Scheme prefix if one was given. `grpcs` means TLS is required, `grpc` means plaintext. */
  readonly scheme: AddressScheme | undefined;
  /** Host without brackets. */
  readonly host: string;
  readonly port: number;
  /** `host:port` (IPv6 bracketed) — the grpc-js target. */
  readonly target: string;
}

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

export function parseAddress(address: string): ParsedAddress {
  const raw = address.trim();
  if (raw === '') throw new AddressError('address must be set to <host>:<port>');
  let scheme: AddressScheme | undefined;
  let rest = raw;
  const lower = raw.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    throw new AddressError(`address "${address}" can not be an http(s) URL, use grpc(s):// or omit the scheme`);
  }
  if (lower.startsWith('grpcs://')) {
    scheme = 'grpcs';
    rest = raw.slice('grpcs://'.length);
  } else if (lower.startsWith('grpc://')) {
    scheme = 'grpc';
    rest = raw.slice('grpc://'.length);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new AddressError(`address "${address}" has an unsupported scheme, use grpc:// or grpcs://`);
  }
  // A trailing slash is what URL-ish configuration sometimes carries; nothing else may follow.
  if (rest.endsWith('/')) rest = rest.slice(0, -1);

  let host: string;
  let portText: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') {
      throw new AddressError(`address "${address}" is not [ipv6]:port`);
    }
    host = rest.slice(1, close);
    portText = rest.slice(close + 2);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon <= 0 || rest.indexOf(':') !== colon) {
      throw new AddressError(`address "${address}" is not <host>:<port>`);
    }
    host = rest.slice(0, colon);
    portText = rest.slice(colon + 1);
  }
  if (host === '' || /[\s/]/.test(host)) throw new AddressError(`address "${address}" has an invalid host`);
  if (!/^\d{1,5}$/.test(portText)) throw new AddressError(`address "${address}" has an invalid port`);
  const port = Number(portText);
  if (port < 1 || port > 65_535) throw new AddressError(`address "${address}" has a port outside 1..65535`);
  return { scheme, host, port, target: formatHostPort(host, port) };
}

/** `host:port`, bracketing IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}
