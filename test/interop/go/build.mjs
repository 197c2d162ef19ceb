/**
 * Builds the Go interop programs into test/interop/go/bin/: the chaincode cmd/command and
 * cmd/contract, cmd/getput for bench:chaincode, the Fabric Gateway application cmd/gwclient and the
 * block decoder cmd/blockdecode.
 *
 *   node test/interop/go/build.mjs        # prints where the binaries are, or why they could not be built
 *
 * `go build` is incremental (Go's build cache), so this is called before every test file that needs
 * the binaries; the first build on a machine downloads the modules pinned by go.mod / go.sum from
 * the Go module proxy. Concurrent callers (test files run in parallel processes) are serialised by
 * a lock directory in bin/.
 *
 * No dependencies: Node built-ins only.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const GO_DIR = dirname(fileURLToPath(import.meta.url));
export const BIN_DIR = join(GO_DIR, 'bin');
const LOCK = join(BIN_DIR, '.build-lock');
/** A lock older than this is taken to be left over by a killed build. */
const STALE_LOCK_MS = 15 * 60_000;

/**
 * Runs a command; resolves with its exit code and output (never rejects). `code` is null when the
 * program could not be started (`error` says why, e.g. ENOENT).
 */
function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, { cwd: GO_DIR, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    } catch (error) {
      resolve({ code: null, out, error });
      return;
    }
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (error) => resolve({ code: null, out, error }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Takes the build lock (a directory: mkdir is atomic); returns the function that releases it. */
async function lock() {
  mkdirSync(BIN_DIR, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    // Held by someone else: wait, unless its owner is gone or it is very old.
    let stale = false;
    try {
      const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      stale = (Number.isInteger(pid) && pid > 0 && !alive(pid)) || Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS;
    } catch {
      // the pid file is not written yet, or the lock was just released
    }
    if (stale) rmSync(LOCK, { recursive: true, force: true });
    else await sleep(200);
  }
}

/**
 * Builds every program under cmd/ into bin/.
 * @returns {Promise<{ ok: true, bin: string } | { ok: false, reason: string }>}
 */
export async function buildGo() {
  // Never let `go` fetch another toolchain: an older local Go must fail with its own message.
  const env = { ...process.env, GOTOOLCHAIN: 'local' };
  const version = await run('go', ['version'], { env });
  if (version.code === null) {
    const why = version.error?.code === 'ENOENT' ? 'go is not on PATH' : `go could not be run: ${version.error?.message}`;
    return { ok: false, reason: `${why} (the Go interop tests need Go >= 1.24 and the Go module proxy)` };
  }
  if (version.code !== 0) return { ok: false, reason: `go version failed: ${version.out.trim()}` };

  const release = await lock();
  try {
    const build = await run('go', ['build', '-buildvcs=false', '-o', `${BIN_DIR}/`, './cmd/...'], { env });
    if (build.code !== 0) return { ok: false, reason: `go build failed (${version.out.trim()}):\n${build.out.trim()}` };
  } finally {
    release();
  }
  return { ok: true, bin: BIN_DIR };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const result = await buildGo();
  if (result.ok) {
    console.log(`built ${join(result.bin, 'command')} and ${join(result.bin, 'contract')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    console.error(`not built: ${result.reason}`);
    process.exitCode = 1;
  }
}
