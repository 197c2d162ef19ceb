/**
 * Parsing of the CLI's option values: durations, HOST:PORT, NAME=VALUE pairs, API URLs, transient
 * JSON. Pure; every function throws `UsageError` with a message meant for the user.
 */

/** A bad command line: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration in milliseconds: `500ms`, `30s`, `2m`, `1h`, compounds such as `1m30s`, or a plain
 * number of seconds (`30`, `0.5`).
 */
export function parseDuration(text: string, what = 'duration'): number {
  const s = text.trim();
  const fail = (): never => {
    throw new UsageError(`invalid ${what} ${JSON.stringify(text)} (use e.g. 30s, 500ms, 2m or a number of seconds)`);
  };
  if (s === '') fail();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length) fail();
  return Math.round(total);
}

export interface HostPort {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[IPv6]:PORT`, `:PORT` or `PORT` (host defaults to `defaultHost`). Port 0 = any free port. */
export function parseHostPort(text: string, what = 'address', defaultHost = '127.0.0.1'): HostPort {
  const s = text.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const fail = (why: string): never => {
    throw new UsageError(`invalid ${what} ${JSON.stringify(text)}: ${why} (expected HOST:PORT, e.g. 127.0.0.1:7052)`);
  };
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (/^\d+$/.test(s)) {
    host = defaultHost;
    portText = s;
  } else {
    const i = s.lastIndexOf(':');
    if (i < 0) return fail('no port');
    host = s.slice(0, i) || defaultHost;
    portText = s.slice(i + 1);
    if (host.includes(':')) fail('put an IPv6 address in brackets, e.g. [::1]:7052');
  }
  if (!/^\d+$/.test(portText)) fail('invalid port');
  const port = Number(portText);
  if (port > 65535) fail('port outside 0..65535');
  return { host, port };
}

/** `host:port` with IPv6 hosts bracketed. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `NAME=VALUE` split at the first `=`; both parts non-empty. */
export function parseAssignment(text: string, option: string, valueName = 'VALUE'): { name: string; value: string } {
  const i = text.indexOf('=');
  const name = i < 0 ? '' : text.slice(0, i).trim();
  const value = i < 0 ? '' : text.slice(i + 1);
  if (i < 0 || name === '' || value.trim() === '') {
    throw new UsageError(`invalid ${option} ${JSON.stringify(text)} (expected NAME=${valueName})`);
  }
  return { name, value };
}

/** Commander `argParser` that collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The API base URL from `--api`: `http://HOST:PORT` (a path prefix is kept), or a bare `HOST:PORT`.
 * Only http: the API is plain HTTP on loopback.
 */
export function parseApiUrl(text: string): string {
  const s = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`invalid --api ${JSON.stringify(text)} (expected a URL such as http://127.0.0.1:7080)`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`invalid --api ${JSON.stringify(text)}: only http:// is supported`);
  if (url.search || url.hash) throw new UsageError(`invalid --api ${JSON.stringify(text)}: no query or fragment expected`);
  return url.href.replace(/\/+$/, '');
}

/** `--transient '{"key":"value"}'`: a JSON object whose values are strings. */
export function parseTransientJson(text: string, option = '--transient'): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${option} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${option} must be a JSON object, e.g. '{"asset_properties":"..."}'`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UsageError(`${option}: the value of ${JSON.stringify(k)} must be a string`);
  }
  return value as Record<string, string>;
}

/**
 * `-c/--ctor` in the style of Fabric's peer CLI: `{"Args":["fn","a"]}` or
 * `{"function":"fn","Args":["a"]}` → `["fn","a"]`.
 */
export function parseCtorJson(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--ctor is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const shape = `--ctor must look like '{"Args":["fn","arg1"]}' or '{"function":"fn","Args":["arg1"]}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(shape);
  const rec = value as Record<string, unknown>;
  const args = rec['Args'] ?? rec['args'] ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new UsageError(shape);
  const fn = rec['function'] ?? rec['Function'];
  if (fn !== undefined && typeof fn !== 'string') throw new UsageError(shape);
  const all = fn === undefined ? [...(args as string[])] : [fn, ...(args as string[])];
  if (all.length === 0) throw new UsageError(`${shape}; it names no function`);
  return all;
}

/** A positive whole number (a limit). */
export function parseCount(text: string, option: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`invalid ${option} ${JSON.stringify(text)} (a whole number > 0)`);
  return n;
}

/** A size in bytes, or with a KiB/MiB suffix (`104857600`, `100MiB`, `512KiB`). */
export function parseByteSize(text: string, option: string): number {
  const m = /^(\d+)\s*(|b|kib|mib)$/i.exec(text.trim());
  const n = m ? Number(m[1]) * ({ '': 1, b: 1, kib: 1024, mib: 1024 * 1024 } as Record<string, number>)[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`invalid ${option} ${JSON.stringify(text)} (bytes, or e.g. 100MiB)`);
  return n;
}
