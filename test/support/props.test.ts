/**
 * test/support/props.ts is the one place property settings come from, and the conventions that
 * keep `npm run test:prop` honest hold: every file with a property is a `*.prop.test.ts` (the
 * script selects files by that name, not tests by a substring of their names), and every property
 * runs through assertProp (so it prints its seed) rather than fc.assert directly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { propParameters, propRuns, propSeed } from './props.js';

const TEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(TEST_DIR, '..');

const saved = { runs: process.env.CCPROTO_PROP_RUNS, seed: process.env.CCPROTO_PROP_SEED };
function setEnv(name: 'CCPROTO_PROP_RUNS' | 'CCPROTO_PROP_SEED', value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
afterEach(() => {
  setEnv('CCPROTO_PROP_RUNS', saved.runs);
  setEnv('CCPROTO_PROP_SEED', saved.seed);
  vi.restoreAllMocks();
});

describe('CCPROTO_PROP_RUNS', () => {
  it('unset: the test default; a positive integer replaces it', () => {
    setEnv('CCPROTO_PROP_RUNS', undefined);
    expect(propRuns(150)).toBe(150);
    setEnv('CCPROTO_PROP_RUNS', '2000');
    expect(propRuns(150)).toBe(2000);
    setEnv('CCPROTO_PROP_RUNS', ' 7 ');
    expect(propRuns(150)).toBe(7);
  });

  it.each(['0', '', ' ', 'abc', 'NaN', '-5', '1.5', '1e3', '0x10', '99999999999999999999'])('%j is refused with an error naming the variable and the value', (bad) => {
    setEnv('CCPROTO_PROP_RUNS', bad);
    expect(() => propRuns(150)).toThrow(`CCPROTO_PROP_RUNS must be a positive integer (the number of runs of every property), got ${JSON.stringify(bad)}`);
  });
});

describe('CCPROTO_PROP_SEED', () => {
  it('unset: the fixed seed of the test, or none; an integer (negative too) replaces it', () => {
    setEnv('CCPROTO_PROP_SEED', undefined);
    expect(propSeed(0x5e12ed)).toBe(0x5e12ed);
    expect(propSeed()).toBeUndefined();
    setEnv('CCPROTO_PROP_SEED', '-1234567');
    expect(propSeed(0x5e12ed)).toBe(-1234567);
    expect(propSeed()).toBe(-1234567);
  });

  it.each(['', 'abc', '1.5', 'seed=3', '99999999999999999999'])('%j is refused with an error naming the variable and the value', (bad) => {
    setEnv('CCPROTO_PROP_SEED', bad);
    expect(() => propSeed(1)).toThrow(`CCPROTO_PROP_SEED must be an integer (a seed printed by a [prop] line or by fast-check), got ${JSON.stringify(bad)}`);
  });
});

describe('propParameters', () => {
  it('prints one line with the test name, seed and run count, and returns them', () => {
    setEnv('CCPROTO_PROP_RUNS', undefined);
    setEnv('CCPROTO_PROP_SEED', undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(propParameters({ runs: 12, seed: 42, label: 'first' })).toEqual({ seed: 42, numRuns: 12 });
    expect(log.mock.calls).toEqual([['[prop] propParameters > prints one line with the test name, seed and run count, and returns them > first: seed=42 runs=12']]);
  });

  it('without a fixed seed: a fresh integer seed, printed', () => {
    setEnv('CCPROTO_PROP_RUNS', '3');
    setEnv('CCPROTO_PROP_SEED', undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { seed, numRuns } = propParameters({ runs: 12 });
    expect(Number.isSafeInteger(seed)).toBe(true);
    expect(numRuns).toBe(3);
    expect(log.mock.calls).toEqual([[`[prop] propParameters > without a fixed seed: a fresh integer seed, printed: seed=${seed} runs=3`]]);
  });
});

/** Every .ts file under test/, relative to the repository (e.g. `test/wire/fuzz.prop.test.ts`). */
function testFiles(dir = TEST_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(p);
    return e.name.endsWith('.ts') ? [relative(REPO, p).split('\\').join('/')] : [];
  });
}
const PROPERTY = /\bfc\.(property|asyncProperty)\s*\(|\bassertProp\s*\(/;
const DIRECT_RUN = /\bfc\.(assert|check)\s*\(/;

describe('conventions', () => {
  const files = testFiles().map((path) => ({ path, text: readFileSync(join(REPO, path), 'utf8') }));

  it('every test file holding a property is named *.prop.test.ts, and every *.prop.test.ts holds one', () => {
    const unnamed = files.filter((f) => f.path.endsWith('.test.ts') && !f.path.endsWith('.prop.test.ts') && f.path !== 'test/support/props.test.ts' && PROPERTY.test(f.text));
    expect(unnamed.map((f) => f.path), 'property files that `npm run test:prop` would miss').toEqual([]);
    const empty = files.filter((f) => f.path.endsWith('.prop.test.ts') && !PROPERTY.test(f.text));
    expect(empty.map((f) => f.path), '*.prop.test.ts files without a property').toEqual([]);
    expect(files.filter((f) => f.path.endsWith('.prop.test.ts')).length).toBeGreaterThan(10);
  });

  it('every property runs through assertProp (seed printed, CCPROTO_PROP_* honoured), never fc.assert directly', () => {
    const direct = files.filter((f) => f.path !== 'test/support/props.ts' && f.path !== 'test/support/props.test.ts' && DIRECT_RUN.test(f.text));
    expect(direct.map((f) => f.path)).toEqual([]);
  });

  it('npm run test:prop selects the *.prop.test.ts files', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test:prop']).toBe('CCPROTO_PROP_RUNS=2000 vitest run .prop.test.ts');
  });
});
