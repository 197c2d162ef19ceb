/**
 * `ccproto conform chaincode` (src/conform/) against every command chaincode we have — our runtime,
 * fabric-shim 2.5.8, the Go shim and the Java shim — and against chaincodes that break a rule on
 * purpose (test/conform/fixtures/misbehaving.ts), which must fail. The results are the matrix in
 * docs/conformance.md (between the conform markers): written with CCPROTO_WRITE_DOCS=1, otherwise
 * checked to be what this run produced. The Go and Java rows need their toolchains (skipped with
 * the reason without them; CI=true never skips).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CHAINCODE_SCENARIOS } from '../../src/conform/chaincodeScenarios.js';
import { conformChaincode } from '../../src/conform/conformChaincode.js';
import type { ConformReport } from '../../src/conform/report.js';
import { REPO } from '../peer/e2e/helpers.js';
import { GO } from '../interop/go/toolchain.js';
import { JAR, JAVA, JVM_OPTIONS } from '../interop/java/toolchain.js';

const tsx = (file: string): string[] => [process.execPath, '--import', 'tsx', join(REPO, file)];
const IMPLEMENTATIONS: { name: string; command: string[]; skip?: string }[] = [
  { name: 'ours', command: tsx('test/chaincode/fixtures/allStub.ts') },
  { name: 'fabric-shim 2.5.8', command: tsx('test/interop/fixtures/commandFabricShim.ts') },
  { name: 'Go shim', command: [GO.command], ...(GO.skip ? { skip: GO.reason } : {}) },
  { name: 'Java shim', command: ['java', ...JVM_OPTIONS, '-jar', JAR, 'command'], ...(JAVA.ok ? {} : { skip: 'the Java chaincode is not built' }) },
];
const MISBEHAVING = tsx('test/conform/fixtures/misbehaving.ts');

/** What each implementation is expected to show: the scenarios that are not a plain pass. */
const EXPECTED: Record<string, Record<string, 'known deviation'>> = {
  ours: {},
  'fabric-shim 2.5.8': { keepalive: 'known deviation', 'keepalive-in-handshake': 'known deviation', 'multi-key-read': 'known deviation', 'write-batch': 'known deviation' },
  'Go shim': {},
  'Java shim': { 'register-refused': 'known deviation', 'multi-key-read': 'known deviation', 'write-batch': 'known deviation', 'stream-ends-mid-transaction': 'known deviation' },
};

const DOC = join(REPO, 'docs/conformance.md');
const START = '<!-- conform:chaincode:start -->';
const END = '<!-- conform:chaincode:end -->';
const reports = new Map<string, ConformReport>();

beforeAll(async () => {
  const run = IMPLEMENTATIONS.filter((i) => !i.skip);
  // Two at a time: each scenario is its own process.
  for (let i = 0; i < run.length; i += 2) {
    await Promise.all(run.slice(i, i + 2).map(async (impl) => reports.set(impl.name, await conformChaincode({ command: impl.command, replyTimeoutMs: 15_000, startTimeoutMs: 60_000 }))));
  }
}, 600_000);

afterAll(() => {
  if (process.env.CCPROTO_WRITE_DOCS === '1' && reports.size === IMPLEMENTATIONS.length) {
    const doc = readFileSync(DOC, 'utf8');
    writeFileSync(DOC, doc.slice(0, doc.indexOf(START) + START.length) + '\n' + matrix() + doc.slice(doc.indexOf(END)));
  }
});

function matrix(): string {
  const names = IMPLEMENTATIONS.map((i) => i.name);
  const lines = [`| Scenario | ${names.join(' | ')} | Fabric rule |`, `|---|${names.map(() => '---').join('|')}|---|`];
  for (const s of CHAINCODE_SCENARIOS) {
    const cells = names.map((n) => {
      const r = reports.get(n)?.scenarios.find((x) => x.id === s.id);
      if (!r) return 'not run';
      return r.outcome === 'pass' ? 'pass' : `${r.outcome}: ${(r.detail ?? '').split('\n')[0]!.replace(/\|/g, '\\|')}`;
    });
    lines.push(`| \`${s.id}\`: ${s.title} | ${cells.join(' | ')} | ${s.rule.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

describe('ccproto conform chaincode: every command chaincode we have', () => {
  for (const impl of IMPLEMENTATIONS) {
    it.skipIf(Boolean(impl.skip))(`${impl.name}: every scenario passes, or is the known deviation listed for it`, () => {
      const r = reports.get(impl.name)!;
      const notPass = Object.fromEntries(r.scenarios.filter((s) => s.outcome !== 'pass').map((s) => [s.id, s.outcome]));
      const failures = r.scenarios.filter((s) => s.outcome === 'fail').map((s) => `${s.id}: ${s.detail}`);
      expect(failures.join('\n\n')).toBe('');
      expect(notPass).toEqual(EXPECTED[impl.name]);
      expect(r.scenarios.map((s) => s.id)).toEqual(CHAINCODE_SCENARIOS.map((s) => s.id));
    });
  }

  it('docs/conformance.md shows this matrix', () => {
    if (IMPLEMENTATIONS.some((i) => i.skip)) return; // a row could not run here
    if (process.env.CCPROTO_WRITE_DOCS === '1') return; // written after the run
    const doc = readFileSync(DOC, 'utf8');
    expect(doc.slice(doc.indexOf(START) + START.length + 1, doc.indexOf(END))).toBe(matrix());
  });
});

describe('ccproto conform chaincode catches a chaincode that breaks a rule', () => {
  it('two COMPLETED for one transaction: the second is named (TX_FINISHED, the chaincode to blame)', async () => {
    const r = await conformChaincode({ command: MISBEHAVING, env: { CONFORM_FAULT: 'double-completed' }, only: ['handshake'], startTimeoutMs: 30_000 });
    expect(r.failed).toBe(1);
    expect(r.scenarios[0]).toMatchObject({ id: 'handshake', outcome: 'fail', detail: expect.stringContaining('TX_FINISHED') });
  }, 60_000);

  it('a request before READY: the handshake fails, the peer\'s chart names it', async () => {
    const early = await conformChaincode({ command: MISBEHAVING, env: { CONFORM_FAULT: 'early-request' }, only: ['handshake'], startTimeoutMs: 30_000 });
    // Before REGISTERED reaches the chaincode the peer's chart is registering (UNEXPECTED_MESSAGE);
    // if the frame is read after READY went out, it names a transaction nobody started.
    expect(early.scenarios[0]).toMatchObject({ outcome: 'fail', detail: expect.stringMatching(/UNEXPECTED_MESSAGE|UNKNOWN_TX/) });
  }, 60_000);

  it('the CLI: exit 0 when nothing fails, 1 when a scenario fails; --json; an unknown scenario is a usage error', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } };
    expect(await main(['conform', 'chaincode', '--json', '--only', 'get-state', '--', ...tsx('test/chaincode/fixtures/allStub.ts')], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ target: 'chaincode', passed: 1, failed: 0, scenarios: [{ id: 'get-state', outcome: 'pass' }] });
    out.length = 0;
    // The misbehaving fixture without a fault is a correct (tiny) chaincode: the handshake passes.
    expect(await main(['conform', 'chaincode', '--only', 'handshake', '--', ...MISBEHAVING], io)).toBe(0);
    out.length = 0;
    process.env.CONFORM_FAULT = 'double-completed';
    try {
      expect(await main(['conform', 'chaincode', '--only', 'handshake', '--', ...MISBEHAVING], io)).toBe(1);
    } finally {
      delete process.env.CONFORM_FAULT;
    }
    expect(out.join('')).toMatch(/FAIL +handshake/);
    expect(await main(['conform', 'chaincode', '--only', 'nope', '--', 'true'], io)).toBe(2);
  }, 60_000);
});
