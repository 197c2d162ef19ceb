/**
 * `ccproto conform chaincode -- COMMAND [ARGS…]`: every scenario of the catalogue
 * (./chaincodeScenarios.ts) against a fresh process of the command chaincode, one at a time.
 */
import { CHAINCODE_SCENARIOS, type ChaincodeScenario, type Timeouts } from './chaincodeScenarios.js';
import { ChaincodeUnderTest } from './chaincodeUnderTest.js';
import { faultsOf, summarise, verdict, type ConformReport, type ScenarioReport } from './report.js';

export interface ConformChaincodeOptions {
  command: readonly string[];
  /** How long a process may take to dial (default 30 s: JVMs). */
  startTimeoutMs?: number;
  /** How long each answer the chaincode owes may take (default 10 s). */
  replyTimeoutMs?: number;
  /** Extra environment for the chaincode processes. */
  env?: Record<string, string>;
  /** Only these scenarios (ids). */
  only?: readonly string[];
  /** Called after each scenario (progress). */
  onScenario?: (r: ScenarioReport) => void;
}

export async function conformChaincode(o: ConformChaincodeOptions): Promise<ConformReport> {
  const t: Timeouts = { replyMs: o.replyTimeoutMs ?? 10_000 };
  const chosen = o.only ? CHAINCODE_SCENARIOS.filter((s) => o.only!.includes(s.id)) : CHAINCODE_SCENARIOS;
  const out: ScenarioReport[] = [];
  for (const s of chosen) {
    const r = await runOne(s, o, t);
    out.push(r);
    o.onScenario?.(r);
  }
  return summarise('chaincode', out);
}

async function runOne(s: ChaincodeScenario, o: ConformChaincodeOptions, t: Timeouts): Promise<ScenarioReport> {
  const t0 = Date.now();
  const base = { id: s.id, title: s.title, rule: s.rule };
  let cut: ChaincodeUnderTest | undefined;
  try {
    cut = await ChaincodeUnderTest.launch(o.command, { startTimeoutMs: o.startTimeoutMs ?? 30_000, ...(o.env ? { env: o.env } : {}) });
    const known = await s.play(cut, t);
    await cut.settle(100, 2_000);
    return verdict(base, t0, { known, faults: faultsOf(cut.findings, 'chaincode') });
  } catch (error) {
    return verdict(base, t0, { error, faults: cut ? faultsOf(cut.findings, 'chaincode') : [], ...(cut ? { log: cut.log } : {}) });
  } finally {
    await cut?.stop();
  }
}
