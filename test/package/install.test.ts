/**
 * The package as its users get it. A copy of the repository without dist/ (a clean clone) is packed
 * with `npm pack`, so the `prepare` script has to build dist/ (as it does on an install from git
 * and before a publish); the tarball is installed into a fresh project; an ESM chaincode there
 * imports `ccproto/chaincode`, and the installed `ccproto peer` (node_modules/.bin) launches it.
 * Then put and get over the HTTP API, and SIGTERM must stop the peer with exit code 0.
 *
 * Time (2 cores): ~30 s for the build inside `npm pack`, ~10 s for the install. The install is
 * offline: the fresh project gets a lock file made of the runtime entries of our package-lock.json,
 * so `npm ci --offline` takes every tarball from the npm cache that `npm ci` filled (a plain
 * `npm install <tarball>` would want full registry metadata, which that cache does not hold). If
 * that fails (no cache, a lock file behind package.json), a normal `npm install` follows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
/** Not part of a clean clone (or not ours to copy): never copied into the packed copy. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', '.ccproto-data', '.scratch']);

const children = new Set<ChildProcess>();
let tmp = '';
let app = '';
let peer: ChildProcess | undefined;
let peerOutput = '';

/**
 * The environment for npm and the installed package. What an enclosing `npm test` exports about
 * this repository (npm_package_*, npm_lifecycle_*, npm_config_local_prefix …) must not steer npm in
 * the other directories; the user's cache, registry and npmrc files stay.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('npm_') && !/^npm_config_(cache|registry|userconfig|globalconfig)$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** Kills a child started with `detached: true` together with everything it started. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

interface Ran {
  code: number | null;
  out: string;
  seconds: number;
}

/** Runs a command to completion, killed (with its children) after `timeoutMs`. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      out += `\n[killed after ${timeoutMs} ms]`;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      children.delete(child);
      fail(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      done({ code, out, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

/**
 * The fresh project's package.json and lock file: ccproto from the tarball, and every runtime
 * (non-dev) entry of the packed repository's own lock file, whose layout is what npm would pick.
 */
function writeProject(dir: string, repo: string, tarball: string): void {
  const spec = `file:${tarball}`;
  const manifest = readJson<{ version: string; license: string; dependencies: object; bin: object; engines: object }>(join(repo, 'package.json'));
  const ours = readJson<{ packages: Record<string, LockEntry> }>(join(repo, 'package-lock.json'));
  const packages: Record<string, unknown> = {
    '': { name: 'ccproto-install-test', dependencies: { ccproto: spec } },
    'node_modules/ccproto': {
      version: manifest.version,
      resolved: spec,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional) packages[path] = entry;
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'ccproto-install-test', private: true, type: 'module', dependencies: { ccproto: spec } }, null, 2),
  );
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'ccproto-install-test', lockfileVersion: 3, requires: true, packages }, null, 2));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ccproto-install-'));
  const repo = join(tmp, 'repo');
  const packs = join(tmp, 'packs');
  app = join(tmp, 'app');
  mkdirSync(packs);
  mkdirSync(app);

  // A clean clone: no dist/, so the tarball has only what `prepare` builds. The dependencies are
  // ours (a symlink), as `npm ci` would install them; the build writes into the copy only.
  cpSync(REPO, repo, {
    recursive: true,
    filter: (src) => {
      const parts = relative(REPO, src).split(/[\\/]/);
      return !NOT_COPIED.has(parts[0]!) && !parts.includes('node_modules');
    },
  });
  symlinkSync(join(REPO, 'node_modules'), join(repo, 'node_modules'), 'dir');

  const pack = await run('npm', ['pack', '--pack-destination', packs], repo, 150_000);
  expect(pack.code, `npm pack failed:\n${pack.out}`).toBe(0);
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  expect(tarballs, pack.out).toHaveLength(1);

  writeProject(app, repo, join(packs, tarballs[0]!));
  copyFileSync(join(FIXTURES, 'chaincode.mjs'), join(app, 'chaincode.mjs'));
  copyFileSync(join(FIXTURES, 'exports.mjs'), join(app, 'exports.mjs'));

  let how = 'npm ci --offline';
  let install = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app, 60_000);
  if (install.code !== 0) {
    how = `npm install (offline failed: ${install.out.match(/npm error (.*)/)?.[1] ?? `exit ${install.code}`})`;
    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    rmSync(join(app, 'package-lock.json'), { force: true });
    install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, 120_000);
  }
  expect(install.code, `${how} failed:\n${install.out}`).toBe(0);
  console.info(`npm pack (with the build): ${pack.seconds.toFixed(1)} s; ${how}: ${install.seconds.toFixed(1)} s`);
}, 360_000);

afterAll(() => {
  if (peer) killGroup(peer, 'SIGKILL');
  for (const child of children) killGroup(child, 'SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Waits (bounded) until the peer's output matches, or it exits. */
async function peerPrints(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = peerOutput.match(pattern);
    if (m) return m;
    if (Date.now() > deadline || peer?.exitCode !== null) throw new Error(`the peer did not print ${pattern}:\n${peerOutput}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('the packed package, installed into a fresh project', () => {
  it('holds the build, the command and package.json; no sources, tests, examples or protos', () => {
    const pkg = join(app, 'node_modules/ccproto');
    for (const f of ['package.json', 'bin/ccproto.mjs', 'dist/src/index.js', 'dist/src/chaincode/index.js', 'dist/src/chaincode/index.d.ts', 'dist/src/peer/index.js', 'dist/machines/index.js', 'dist/src/wire/generated/protos.js']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    for (const f of ['src', 'test', 'bench', 'docs', 'scripts', 'protos', 'dist/examples', 'tsconfig.json']) {
      expect(existsSync(join(pkg, f)), f).toBe(false);
    }
  });

  it('brings the runtime dependencies and none of the development ones', () => {
    const modules = join(app, 'node_modules');
    for (const dep of Object.keys(readJson<{ dependencies: object }>(join(REPO, 'package.json')).dependencies)) {
      expect(existsSync(join(modules, dep)), dep).toBe(true);
    }
    for (const dep of ['typescript', 'tsx', 'vitest', 'fabric-shim', 'fabric-contract-api', '@peculiar/x509', '@hyperledger/fabric-protos']) {
      expect(existsSync(join(modules, dep)), dep).toBe(false);
    }
  });

  it('every export of package.json resolves and loads', async () => {
    const r = await run(process.execPath, ['exports.mjs'], app, 30_000);
    expect(r.code, r.out).toBe(0);
    const found = JSON.parse(r.out) as Record<string, number>;
    const subpaths = Object.keys(readJson<{ exports: object }>(join(REPO, 'package.json')).exports).filter((s) => !s.endsWith('.json'));
    expect(Object.keys(found).sort()).toEqual(subpaths.map((s) => (s === '.' ? 'ccproto' : `ccproto/${s.slice(2)}`)).sort());
    for (const [specifier, names] of Object.entries(found)) expect(names, specifier).toBeGreaterThan(0);
  });

  it('the installed `ccproto peer` launches a chaincode importing ccproto/chaincode: put, then get', async () => {
    peer = spawn(
      join(app, 'node_modules/.bin/ccproto'),
      ['peer', '--gateway', '127.0.0.1:0', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', '--chaincode', `mycc=${JSON.stringify(process.execPath)} chaincode.mjs`, '--execute-timeout', '15s', '--startup-timeout', '30s'],
      { cwd: app, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    peer.stdout!.on('data', (d: Buffer) => (peerOutput += d.toString()));
    peer.stderr!.on('data', (d: Buffer) => (peerOutput += d.toString()));

    const api = (await peerPrints(/ccproto peer listening .*api=(http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1]!;
    await peerPrints(/chaincode registered\s+name=mycc:/, 30_000);

    const put = await post(`${api}/invoke`, { chaincode: 'mycc', args: ['put', 'k', 'v'] });
    expect(put, peerOutput).toMatchObject({ status: 200, committed: true });
    const get = await post(`${api}/query`, { chaincode: 'mycc', args: ['get', 'k'] });
    expect(get, peerOutput).toMatchObject({ status: 200, payload: 'v', committed: false });
    const unknown = await post(`${api}/query`, { chaincode: 'mycc', args: ['nope'] });
    expect(unknown).toMatchObject({ status: 500, message: 'unknown function nope' });
  }, 90_000);

  it('SIGTERM stops the installed peer with exit code 0', async () => {
    expect(peer?.exitCode, peerOutput).toBeNull();
    const exited = new Promise<number | null>((done) => peer!.once('exit', (code) => done(code)));
    peer!.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((done) => setTimeout(() => done('no exit within 20 s'), 20_000))]);
    expect(code, peerOutput).toBe(0);
    expect(peerOutput).toMatch(/peer stopped/);
  }, 30_000);
});
