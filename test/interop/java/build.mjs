#!/usr/bin/env node
/**
 * Builds the Java interop chaincode (test/interop/java, a Maven project on the official Java shim)
 * when it has to: `mvn -q -B package -DskipTests` runs only when target/chaincode.jar is missing or
 * older than pom.xml or any file under src/, so a warm `npm test` does not pay Maven's start-up.
 *
 *   node test/interop/java/build.mjs        build if needed; prints the jar(s), exit 0 / 1
 *   import { buildJava } from './build.mjs' the same, as a promise (never rejects):
 *     { ok: true, jars: { chaincode: '/abs/path/target/chaincode.jar' } }
 *     { ok: false, reason: 'mvn is not on PATH' | 'mvn package failed (exit 1): …' | … }
 *
 * Test files run in parallel processes, so the build holds a lock (the directory
 * target/.build-lock, created atomically, with the holder's pid; a lock whose holder is gone is
 * taken over) and looks at the jar again once it has it: only one process runs Maven.
 * No dependencies beyond Node's standard library.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));
const TARGET = join(DIR, 'target');
const LOCK = join(TARGET, '.build-lock');

/** What `mvn package` produces (pom.xml: the shade plugin's finalName). */
export const JARS = Object.freeze({ chaincode: join(TARGET, 'chaincode.jar') });

/** How long one Maven run may take (a cold ~/.m2 downloads ~60 MB), and how long to wait for the lock. */
const MVN_TIMEOUT_MS = 15 * 60_000;
const LOCK_WAIT_MS = MVN_TIMEOUT_MS + 60_000;

/** The executable `name` on PATH, or undefined. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Newest modification time of pom.xml and every file under src/. */
function newestInput() {
  let newest = statSync(join(DIR, 'pom.xml')).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(DIR, 'src'));
  return newest;
}

/** Why a build is needed, or undefined when every jar is newer than every input. */
function staleness() {
  const input = newestInput();
  for (const jar of Object.values(JARS)) {
    let m;
    try {
      m = statSync(jar).mtimeMs;
    } catch {
      return `${jar} is missing`;
    }
    if (m < input) return `${jar} is older than its sources`;
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Takes the build lock (bounded wait); resolves to a release function. */
async function lock() {
  mkdirSync(TARGET, { recursive: true });
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > until) throw new Error(`timed out after ${LOCK_WAIT_MS} ms waiting for another build (${LOCK})`);
    await sleep(250);
  }
}

/** Runs Maven; resolves to undefined on success, else the reason. */
function mvnPackage(mvn) {
  return new Promise((resolve) => {
    const child = spawn(mvn, ['-q', '-B', 'package', '-DskipTests'], { cwd: DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d) => {
      out += d.toString('utf8');
      if (out.length > 200_000) out = out.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), MVN_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`mvn could not be started: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const tail = out.trim().split('\n').slice(-40).join('\n');
      resolve(`mvn package failed (${signal ? `killed by ${signal}${signal === 'SIGKILL' ? `, over ${MVN_TIMEOUT_MS} ms?` : ''}` : `exit ${code}`})${tail ? `:\n${tail}` : ''}`);
    });
  });
}

/**
 * Builds the jar(s) if needed.
 * @returns {Promise<{ ok: true, jars: Record<string, string> } | { ok: false, reason: string }>}
 */
export async function buildJava() {
  try {
    if (!onPath('java')) return { ok: false, reason: 'java is not on PATH (the Java interop tests need Java 17 and Maven)' };
    const mvn = onPath('mvn');
    if (!mvn) return { ok: false, reason: 'mvn is not on PATH (the Java interop tests need Java 17 and Maven)' };
    if (staleness() === undefined) return { ok: true, jars: { ...JARS } };
    const release = await lock();
    try {
      // Another process may have built while we waited for the lock.
      if (staleness() === undefined) return { ok: true, jars: { ...JARS } };
      const failed = await mvnPackage(mvn);
      if (failed) return { ok: false, reason: failed };
      const still = staleness();
      if (still) return { ok: false, reason: `mvn package succeeded but ${still}` };
      return { ok: true, jars: { ...JARS } };
    } finally {
      release();
    }
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const r = await buildJava();
  if (r.ok) {
    for (const [name, jar] of Object.entries(r.jars)) console.log(`${name}: ${jar}`);
    console.log(`(${Date.now() - started} ms)`);
  } else {
    console.error(`Java interop chaincode not built: ${r.reason}`);
    process.exitCode = 1;
  }
}
