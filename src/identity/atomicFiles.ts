/**
 * Crash-safe file writes for the persisted identity material (dev-ca.ts, cryptoDir.ts).
 *
 * A file is always written to a temporary name first and then linked or renamed into place, so a reader
 * (or a later run after a crash) sees either no file or the complete file, never a prefix of it. Creating
 * is "first writer wins" (hard link fails with EEXIST), so processes starting together agree on one key.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * A fresh temporary name: inside `tmpDir` when given (it must be on the same file system as the target),
 * else next to the target. The process id is part of the name so that leftovers of dead processes can be
 * recognised (removeStaleTemps).
 */
function tmpPath(path: string, tmpDir: string | undefined): string {
  const unique = `${process.pid}-${randomBytes(6).toString('hex')}`;
  return tmpDir === undefined ? `${path}.tmp-${unique}` : join(tmpDir, unique);
}

/** Writes the temporary file; recreates a temporary folder another process removed meanwhile. */
function writeTemp(tmp: string, data: string, mode: number, tmpDir: string | undefined): void {
  for (let attempt = 0; ; attempt++) {
    try {
      if (tmpDir !== undefined) mkdirSync(tmpDir, { recursive: true });
      writeFileSync(tmp, data, { mode, flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tmpDir === undefined || attempt >= 3) throw err;
    }
  }
}

/**
 * Creates `path` with `data` only if it does not exist yet; false when another writer got there first.
 * The content is written to a temporary file and hard-linked into place, so readers never see a partial
 * file and concurrent processes agree on a single winner.
 */
export function writeExclusive(path: string, data: string, mode: number, tmpDir?: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpPath(path, tmpDir);
  writeTemp(tmp, data, mode, tmpDir);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      // No hard links on this file system: exclusive create, not atomic, good enough for a dev tool.
      try {
        writeFileSync(path, data, { mode, flag: 'wx' });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
    throw err;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/** Atomically replaces (or creates) `path`. */
export function writeReplace(path: string, data: string, mode: number, tmpDir?: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpPath(path, tmpDir);
  writeTemp(tmp, data, mode, tmpDir);
  renameSync(tmp, path);
}

/** Reads `path`, or creates it with `make()` (first writer wins) and returns what ended up on disk. */
export function readOrCreate(path: string, make: () => string, mode: number, tmpDir?: string): string {
  const existing = readIfExists(path);
  if (existing !== undefined) return existing;
  const made = make();
  if (writeExclusive(path, made, mode, tmpDir)) return made;
  return readFileSync(path, 'utf8');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files in `tmpDir` left by processes that no longer run (killed mid-write), and
 * the folder itself when nothing else is in it.
 */
export function removeStaleTemps(tmpDir: string): void {
  let names: string[];
  try {
    names = readdirSync(tmpDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(tmpDir, name), { force: true, recursive: true });
  }
  try {
    rmdirSync(tmpDir);
  } catch {
    // not empty: another process is writing
  }
}
