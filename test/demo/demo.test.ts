/**
 * `npm start` must work after `npm ci`: the demo runs as a real process (peer in-process, the
 * example chaincode as a child over gRPC), prints the transcript and the summary, and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start (the demo)', () => {
  it('runs the scripted session and exits 0', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/Unhandled|TypeError|ReferenceError/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = r.stdout;
    // Both handshakes, as each side's machine saw them.
    expect(out).toMatch(/\[peer handler\]\s+created → registering/);
    expect(out).toMatch(/\[chaincode handler\]\s+established → ready/);
    // The scripted transactions with their messages.
    expect(out).toMatch(/peer → chaincode\s+INIT/);
    expect(out).toMatch(/chaincode → peer\s+WRITE_BATCH_STATE\s+tx \w+\s+6 records/);
    expect(out).toMatch(/chaincode → peer\s+GET_HISTORY_FOR_KEY/);
    expect(out).toMatch(/event: CreateAsset/);
    expect(out).toMatch(/result: status 500 "the asset asset404 does not exist"/);
    expect(out).toMatch(/transactions: 8 \(4 committed, 1 failed as scripted\)/);
    expect(out).toMatch(/every step ended as scripted/);
  }, 70_000);
});
