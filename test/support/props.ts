/**
 * The one place property tests (fast-check) get their settings from. Every `fc.assert` in test/
 * goes through `assertProp` (test/support/props.test.ts checks that), so that:
 *
 * - `CCPROTO_PROP_RUNS` replaces the run count of every property (each test's default is its CI
 *   budget; `npm run test:prop` sets 2000). It must be a positive integer: anything else (0, '',
 *   'abc', '1e3', '-5') throws instead of silently running 0 or NaN runs, i.e. nothing.
 * - `CCPROTO_PROP_SEED` replaces the seed of every property (a test's fixed seed, or else a fresh
 *   random one). It must be an integer (fast-check seeds are 32-bit, often negative).
 * - every property prints, when it starts, one line with its seed and run count:
 *     [prop] <test name>: seed=<seed> runs=<runs>
 *   fast-check prints the seed only when a property fails; with the line, a run that passed by
 *   luck (or hung, or was killed) can be replayed too: `CCPROTO_PROP_SEED=<seed> npx vitest run
 *   <file> -t '<test name>'`.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

const RUNS_VAR = 'CCPROTO_PROP_RUNS';
const SEED_VAR = 'CCPROTO_PROP_SEED';

/** The value of `name` if set; an empty or blank value is an error, not "unset". */
function envValue(name: string): string | undefined {
  const raw = process.env[name];
  return raw === undefined ? undefined : raw.trim();
}

/** The run count for a property whose CI default is `defaultRuns`: CCPROTO_PROP_RUNS if set. */
export function propRuns(defaultRuns: number): number {
  if (!Number.isSafeInteger(defaultRuns) || defaultRuns <= 0) throw new Error(`propRuns: the default run count must be a positive integer, got ${String(defaultRuns)}`);
  const raw = envValue(RUNS_VAR);
  if (raw === undefined) return defaultRuns;
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${RUNS_VAR} must be a positive integer (the number of runs of every property), got ${JSON.stringify(process.env[RUNS_VAR])}`);
  return n;
}

/** CCPROTO_PROP_SEED if set, else `fixedSeed` if the test has one, else undefined. */
export function propSeed(fixedSeed?: number): number | undefined {
  const raw = envValue(SEED_VAR);
  if (raw === undefined) return fixedSeed;
  const n = /^-?[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`${SEED_VAR} must be an integer (a seed printed by a [prop] line or by fast-check), got ${JSON.stringify(process.env[SEED_VAR])}`);
  return n;
}

/** A fresh seed, as fast-check picks one (a signed 32-bit integer). */
function freshSeed(): number {
  return (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0;
}

export interface PropOptions {
  /** The CI run count (CCPROTO_PROP_RUNS replaces it). */
  runs: number;
  /** A fixed seed, for properties that must be deterministic (CCPROTO_PROP_SEED replaces it).
   *  Without one, every run draws a fresh seed (and prints it). */
  seed?: number;
  /** Added to the test name in the printed line, for a test with several properties. */
  label?: string;
}

/** The fast-check parameters of one property; prints its `[prop]` line. */
export function propParameters(options: PropOptions): { seed: number; numRuns: number } {
  const numRuns = propRuns(options.runs);
  const seed = propSeed(options.seed) ?? freshSeed();
  const testName = expect.getState().currentTestName;
  const name = [testName, options.label].filter((x) => x !== undefined && x !== '').join(' > ') || '(outside a test)';
  console.log(`[prop] ${name}: seed=${seed} runs=${numRuns}`);
  return { seed, numRuns };
}

/** `fc.assert` with the seed and run count of `options`, printing them first (see above). */
export function assertProp<Ts>(property: fc.IAsyncProperty<Ts>, options: PropOptions): Promise<void>;
export function assertProp<Ts>(property: fc.IProperty<Ts>, options: PropOptions): void;
export function assertProp<Ts>(property: fc.IRawProperty<Ts>, options: PropOptions): Promise<void> | void {
  return fc.assert(property, propParameters(options));
}
