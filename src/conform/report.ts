/**
 * Running a catalogue of scenarios and reporting it (`ccproto conform`): one line per scenario
 * (pass / fail / known deviation, with the Fabric rule), a summary, or one JSON object.
 */
import type { Finding } from '../observe/findings.js';
import type { Side } from '../protocol/violations.js';

export type Outcome = 'pass' | 'fail' | 'known deviation';

export interface ScenarioReport {
  id: string;
  title: string;
  rule: string;
  outcome: Outcome;
  /** Why it failed, or which known deviation it is. */
  detail?: string;
  ms: number;
}

export interface ConformReport {
  target: 'chaincode' | 'peer';
  scenarios: ScenarioReport[];
  passed: number;
  failed: number;
  known: number;
}

export class Failed extends Error {}

/** Findings about a transaction nobody runs: the charts still follow every other transaction. */
const ABOUT_NO_TRANSACTION = new Set(['UNKNOWN_TX', 'TX_FINISHED']);

/**
 * The findings that count against `side` in a session a scripted counterpart played: those blamed
 * on it, up to the first finding blamed on the scripted side that leaves the charts unable to
 * judge what follows (a scenario that breaks the protocol on purpose). Messages about a
 * transaction nobody runs (UNKNOWN_TX, TX_FINISHED) are probes with a defined answer: the scripted
 * side's own such findings do not stop the judging, and the scripted side's chart saying the answer
 * names a transaction it does not run is no fault of `side` (whether `side` was allowed to send it
 * is its own chart's verdict). A refused registration (REGISTER_REFUSED) ends the judging: the
 * refusal was the scripted peer's choice, and what follows is its aftermath.
 */
export function faultsOf(findings: readonly Finding[], side: Side): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const aboutNoTransaction = ABOUT_NO_TRANSACTION.has(f.code);
    // A refused registration ends the session: what follows is its aftermath.
    if (f.code === 'REGISTER_REFUSED') break;
    if (f.blame !== side) {
      if (aboutNoTransaction) continue;
      break;
    }
    if (aboutNoTransaction && f.foundBy !== side) continue;
    out.push(f);
  }
  return out;
}

/**
 * A scenario's verdict: `error` is what `play` threw (a `Failed` says what the implementation did
 * wrong; anything else means the scenario could not run), `known` what it returned, `faults` what
 * the charts blame on the implementation, `log` the implementation's last output (for a failure).
 */
export function verdict(
  base: Pick<ScenarioReport, 'id' | 'title' | 'rule'>,
  t0: number,
  o: { error?: unknown; known?: string | void; faults: readonly Finding[]; log?: string },
): ScenarioReport {
  const ms = Date.now() - t0;
  const charts = o.faults.length ? `the charts found: ${o.faults.map(describeFinding).join('; ')}` : '';
  if (o.error !== undefined) {
    const err = o.error;
    const why = err instanceof Failed ? err.message : `the scenario could not run: ${err instanceof Error ? err.message : String(err)}`;
    const log = o.log?.trim() ? `\nchaincode output (last lines):\n${o.log.trim().split('\n').slice(-8).join('\n')}` : '';
    return { ...base, outcome: 'fail', detail: `${why}${charts ? `\n${charts}` : ''}${log}`, ms };
  }
  if (charts) return { ...base, outcome: 'fail', detail: charts, ms };
  return o.known ? { ...base, outcome: 'known deviation', detail: o.known, ms } : { ...base, outcome: 'pass', ms };
}

export function describeFinding(f: Finding): string {
  return `${f.code} (found by the ${f.foundBy}'s chart in ${f.state}: got ${f.got}${f.txid ? ` for ${f.txid}` : ''}, expected ${f.expected}; rule: ${f.rule})`;
}

export function summarise(target: ConformReport['target'], scenarios: ScenarioReport[]): ConformReport {
  return {
    target,
    scenarios,
    passed: scenarios.filter((s) => s.outcome === 'pass').length,
    failed: scenarios.filter((s) => s.outcome === 'fail').length,
    known: scenarios.filter((s) => s.outcome === 'known deviation').length,
  };
}

export function formatConform(r: ConformReport): string {
  const lines = r.scenarios.map((s) => {
    const mark = s.outcome === 'pass' ? 'pass ' : s.outcome === 'fail' ? 'FAIL ' : 'known';
    return `${mark}  ${s.id.padEnd(34)} ${s.title}${s.detail ? `\n         ${s.detail.replace(/\n/g, '\n         ')}` : ''}\n         rule: ${s.rule}`;
  });
  lines.push(`${r.target} conformance: ${r.passed} passed, ${r.failed} failed, ${r.known} known deviation(s)`);
  return lines.join('\n') + '\n';
}
