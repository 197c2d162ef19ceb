/**
 * build.mjs and toolchain.ts without Maven: a copy of build.mjs in a scratch project with a fake
 * `mvn` on PATH shows when it builds (missing or stale jar), when it does not (a warm run), that
 * parallel callers build once, and what it reports without `java` / `mvn`; toolchain.ts, imported
 * in a child process without them, skips with the reason, or throws with CI=true. Runs everywhere
 * (no JVM, no network).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type BuildResult = { ok: true; jars: Record<string, string> } | { ok: false; reason: string };

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../../..');
let scratch: string;
let project: string;
let bin: string;
let calls: string;
let buildJava: () => Promise<BuildResult>;

/** A PATH with a fake `java` (prints nothing) and a fake `mvn` that logs its call and makes the jar. */
function fakeTools(o: { java?: boolean; mvn?: 'ok' | 'fail' | false }): string {
  const dir = mkdtempSync(join(scratch, 'bin-'));
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  if (o.java !== false) script('java', 'exit 0');
  if (o.mvn === 'ok') script('mvn', `echo "$*" >> "${calls}"; sleep 1; mkdir -p target; echo jar > target/chaincode.jar`);
  if (o.mvn === 'fail') script('mvn', `echo "$*" >> "${calls}"; echo "[ERROR] COMPILATION ERROR: something" >&2; exit 1`);
  return dir;
}

function withPath<T>(path: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = path;
  return f().finally(() => {
    process.env.PATH = saved;
  });
}

/** Makes the jar older than every input (an hour old). */
function staleJar(): void {
  const old = new Date(Date.now() - 3_600_000);
  utimesSync(join(project, 'target/chaincode.jar'), old, old);
}

const callCount = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean).length : 0);

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ccproto-java-build-'));
  project = join(scratch, 'project');
  mkdirSync(join(project, 'src/main/java'), { recursive: true });
  copyFileSync(join(HERE, 'build.mjs'), join(project, 'build.mjs'));
  writeFileSync(join(project, 'pom.xml'), '<project/>');
  writeFileSync(join(project, 'src/main/java/A.java'), 'class A {}');
  calls = join(scratch, 'mvn-calls');
  bin = fakeTools({ mvn: 'ok' });
  ({ buildJava } = (await import(pathToFileURL(join(project, 'build.mjs')).href)) as { buildJava: () => Promise<BuildResult> });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('build.mjs', () => {
  it('a missing jar: runs `mvn -q -B package -DskipTests` once, even for parallel callers', async () => {
    const [a, b] = await withPath(bin, () => Promise.all([buildJava(), buildJava()]));
    expect(a).toEqual({ ok: true, jars: { chaincode: join(project, 'target/chaincode.jar') } });
    expect(b).toEqual(a);
    expect(readFileSync(calls, 'utf8')).toBe('-q -B package -DskipTests\n');
    // the lock is released
    expect(existsSync(join(project, 'target/.build-lock'))).toBe(false);
  });

  it('a warm run (jar newer than pom.xml and src/) does not run Maven', async () => {
    const before = callCount();
    const started = Date.now();
    expect((await withPath(bin, buildJava)).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(callCount()).toBe(before);
  });

  it('a jar older than pom.xml or any file under src/: builds again', async () => {
    const before = callCount();
    staleJar();
    expect((await withPath(bin, buildJava)).ok).toBe(true);
    expect(callCount()).toBe(before + 1);
    // a file in a subdirectory of src/ counts too
    mkdirSync(join(project, 'src/main/resources/deep'), { recursive: true });
    writeFileSync(join(project, 'src/main/resources/deep/config.props'), 'x=1');
    const old = new Date(Date.now() - 3_600_000);
    for (const f of ['pom.xml', 'src/main/java/A.java']) utimesSync(join(project, f), old, old);
    const older = new Date(Date.now() - 7_200_000);
    utimesSync(join(project, 'target/chaincode.jar'), older, new Date(Date.now() - 1_800_000));
    expect((await withPath(bin, buildJava)).ok).toBe(true);
    expect(callCount()).toBe(before + 2);
  });

  it('a failed build: ok false with the exit code and Maven’s last lines', async () => {
    staleJar();
    const r = await withPath(fakeTools({ mvn: 'fail' }), buildJava);
    expect(r).toEqual({ ok: false, reason: 'mvn package failed (exit 1):\n[ERROR] COMPILATION ERROR: something' });
    expect(existsSync(join(project, 'target/.build-lock'))).toBe(false);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    staleJar();
    mkdirSync(join(project, 'target/.build-lock'), { recursive: true });
    // a pid that is not running (pid_max is at most 4194304)
    writeFileSync(join(project, 'target/.build-lock/pid'), '4194305');
    expect((await withPath(bin, buildJava)).ok).toBe(true);
  });

  it('no mvn, no java: ok false with the reason', async () => {
    expect(await withPath(fakeTools({ mvn: false }), buildJava)).toEqual({ ok: false, reason: 'mvn is not on PATH (the Java interop tests need Java 17 and Maven)' });
    expect(await withPath(fakeTools({ java: false, mvn: 'ok' }), buildJava)).toEqual({ ok: false, reason: 'java is not on PATH (the Java interop tests need Java 17 and Maven)' });
  });

  it('run directly: prints the jar, or the reason with exit status 1', () => {
    const nodeOnly = mkdtempSync(join(scratch, 'node-'));
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const ok = spawnSync(process.execPath, [join(project, 'build.mjs')], { env: { ...process.env, PATH: bin }, encoding: 'utf8', timeout: 30_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`chaincode: ${join(project, 'target/chaincode.jar')}`);
    const no = spawnSync(process.execPath, [join(project, 'build.mjs')], { env: { ...process.env, PATH: nodeOnly }, encoding: 'utf8', timeout: 30_000 });
    expect(no.status).toBe(1);
    expect(no.stderr).toBe('Java interop chaincode not built: java is not on PATH (the Java interop tests need Java 17 and Maven)\n');
  });
});

describe('toolchain.ts without a toolchain', () => {
  /** Imports toolchain.ts in a child process whose PATH has node and nothing else. */
  function importToolchain(ci: string | undefined) {
    const nodeOnly = mkdtempSync(join(scratch, 'node-'));
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: nodeOnly };
    delete env.CI;
    if (ci !== undefined) env.CI = ci;
    const code = `const m = await import(${JSON.stringify(pathToFileURL(join(HERE, 'toolchain.ts')).href)}); console.log(JSON.stringify({ ok: m.JAVA.ok, jar: m.JAR }));`;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  }

  it('locally: the suites skip, and say why', () => {
    const r = importToolchain(undefined);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, jar: '' });
    expect(r.stderr).toContain('skipping the Java interop tests: java is not on PATH');
  });

  it('with CI=true: the import throws, so CI cannot skip silently', () => {
    const r = importToolchain('true');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Java interop tests cannot run on CI: java is not on PATH');
  });
});
