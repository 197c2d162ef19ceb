/**
 * The fuzz loop of `ccproto fuzz`: fast-check generates sessions (lists of actions), a target plays
 * each against the implementation over real gRPC and says whether it found something (a crash, a
 * hang, a protocol violation). The first finding is shrunk to a shorter session that still fails
 * (within a time bound and, if given, a number of plays), and its trace is written where `ccproto check` and `ccproto trace render`
 * read it. The seed is always reported, so a campaign can be replayed.
 */
import fc from 'fast-check';

export type FindingKind = 'crash' | 'hang' | 'violation';

export interface FuzzFinding {
  kind: FindingKind;
  detail: string;
  /** The session's trace (JSON Lines). */
  trace: string[];
}

export interface FuzzTarget<S> {
  /** Sessions to try. */
  sessions: fc.Arbitrary<S>;
  /** Plays one session against a fresh instance; resolves with a finding or nothing. */
  play(session: S): Promise<FuzzFinding | undefined>;
  /** A session as lines of text, for the report. */
  show(session: S): string[];
  /** How big a session is (shrinking keeps the smallest failure). */
  size(session: S): number;
}

export interface FuzzOptions {
  /** Time budget for generating sessions. */
  seconds: number;
  seed: number;
  /**
   * At most this many generated sessions (whichever of this and `seconds` ends first). A count,
   * unlike a time budget, replays the same campaign on a slow machine as on a fast one.
   */
  sessions?: number;
  /** How long shrinking a finding may take (default: `seconds`, at least 30 s). */
  shrinkSeconds?: number;
  /** At most this many plays while shrinking (whichever of this and `shrinkSeconds` ends first). */
  shrinkRuns?: number;
}

export interface FuzzReport {
  seed: number;
  sessions: number;
  seconds: number;
  finding?: FuzzFinding & { actions: string[] };
}

export async function fuzz<S>(target: FuzzTarget<S>, o: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  let sessions = 0;
  // Generation: session i comes from seed + i, so the same --seed replays the same campaign.
  let found: { finding: FuzzFinding; session: S } | undefined;
  const most = o.sessions ?? Infinity;
  for (let i = 0; i < most && performance.now() < deadline && !found; i++) {
    const [session] = fc.sample(target.sessions, { seed: o.seed + i, numRuns: 1 });
    sessions++;
    const finding = await target.play(session!);
    if (finding) found = { finding, session: session! };
  }
  if (found) found = await shrink(target, found, (o.shrinkSeconds ?? Math.max(30, o.seconds)) * 1000, o.shrinkRuns ?? Infinity, () => sessions++);
  const report: FuzzReport = { seed: o.seed, sessions, seconds: (performance.now() - t0) / 1000 };
  if (found) report.finding = { ...found.finding, actions: target.show(found.session) };
  return report;
}

/** fast-check's shrinker from the failing session, within `ms` and `runs` plays; the smallest failure it saw. */
async function shrink<S>(target: FuzzTarget<S>, found: { finding: FuzzFinding; session: S }, ms: number, runs: number, count: () => void): Promise<{ finding: FuzzFinding; session: S }> {
  let best = found;
  let plays = 0;
  const property = fc.asyncProperty(target.sessions, async (session) => {
    // fast-check first runs the example itself (the same object): it is known to fail, so it is
    // not played again. Once the plays are spent, every candidate passes, which ends the shrinking.
    if (session === found.session) return false;
    if (plays >= runs) return true;
    plays++;
    count();
    const finding = await target.play(session);
    if (finding && target.size(session) <= target.size(best.session)) best = { finding, session };
    return finding === undefined;
  });
  await fc.check(property, { examples: [[found.session]], numRuns: 1, interruptAfterTimeLimit: ms, markInterruptAsFailure: false });
  return best;
}
