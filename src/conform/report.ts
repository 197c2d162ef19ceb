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

/**
 * The findings that count against `side` in a session a scripted counterpart played: those blamed
 * on it, up to the first finding blamed on the scripted side (a scenario that breaks the protocol
 * on purpose leaves the charts unable to judge what follows), without REGISTER_REFUSED (a refusal
 * the scripted peer chose, not a fault).
 */
export function faultsOf(findings: readonly Finding[], side: Side): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.blame !== side) break;
    if (f.code !== 'REGISTER_REFUSED') out.push(f);
  }
  return out;
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
    return `${mark}  ${s.id.padEnd(30)} ${s.title}${s.detail ? `\n         ${s.detail.replace(/\n/g, '\n         ')}` : ''}\n         rule: ${s.rule}`;
  });
  lines.push(`${r.target} conformance: ${r.passed} passed, ${r.failed} failed, ${r.known} known deviation(s)`);
  return lines.join('\n') + '\n';
}
