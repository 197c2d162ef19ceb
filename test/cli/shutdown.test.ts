/**
 * `ccproto peer` shut down by a real SIGTERM under load: every call gets an answer — its real outcome
 * if it was in flight, 503 with Retry-After if it came after the signal, or 503 "outcome unknown"
 * with its txid past the grace period — never a reset connection; and what the answers say is what
 * the ledger holds after a restart on the same data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { freePort } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface RunningPeer {
  proc: ChildProcess;
  api: string;
  /** The peer's chaincode listener port (its chaincodes run with `--peer.address=127.0.0.1:PORT`). */
  listen: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startPeer(dataDir: string, ...extra: string[]): Promise<RunningPeer> {
  const apiPort = await freePort();
  const listen = await freePort();
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'peer', '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${listen}`, '--api', `127.0.0.1:${apiPort}`, '--data-dir', dataDir,
      '--chaincode', 'basic=node test/peer/fixtures/shimBasic.cjs', ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(proc);
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  for (let i = 0; i < 600 && !/chaincode registered/.test(output) && proc.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  expect(output).toMatch(/chaincode registered/);
  return { proc, api: `http://127.0.0.1:${apiPort}`, listen, output: () => output, exited };
}

interface Answer {
  status?: number;
  retryAfter?: string;
  json?: { status?: number; committed?: boolean; txId?: string; error?: string; payload?: string };
  /** A transport error code (ECONNRESET, ECONNREFUSED, …) instead of an answer. */
  error?: string;
}

function post(api: string, path: string, body: unknown, agent?: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const text = JSON.stringify(body);
    const req = request(
      `${api}${path}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, json: JSON.parse(data) }));
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(text);
  });
}

const get = async (api: string, key: string): Promise<string | undefined> => {
  const r = await post(api, '/query', { chaincode: 'basic', args: ['get', key] });
  expect(r.status).toBe(200);
  return r.json?.payload === '' ? undefined : r.json?.payload;
};

/** The pids of the chaincode processes a peer launched that are still running (Linux /proc). */
function chaincodesOf(peer: RunningPeer): number[] {
  const mark = `--peer.address=127.0.0.1:${peer.listen}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(mark)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Waits (bounded) until none of the peer's chaincode processes runs; what is left. */
async function chaincodesLeft(peer: RunningPeer): Promise<number[]> {
  for (let i = 0; i < 100 && chaincodesOf(peer).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return chaincodesOf(peer);
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccproto-shutdown-'));
  dirs.push(d);
  return d;
}

describe('ccproto peer: SIGTERM under load', () => {
  it('answers every call: in flight → its real outcome, after the signal → 503 Retry-After; the ledger agrees', async () => {
    const dataDir = tempDir();
    const peer = await startPeer(dataDir, '--shutdown-grace', '20s');
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const answers: { key: string; answer: Answer; afterSignal: boolean }[] = [];
    let signalled = false;
    const loop = async (id: number): Promise<void> => {
      // Bounded: at most 200 calls per client; each stops at its first 503 or transport error.
      for (let i = 0; i < 200; i++) {
        const key = `k${id}-${i}`;
        const sentAfter = signalled;
        const answer = await post(peer.api, '/invoke', { chaincode: 'basic', args: ['putThenSleep', key, 'v', '150'] }, agent);
        answers.push({ key, answer, afterSignal: sentAfter });
        if (answer.status !== 200) return;
      }
    };
    const loops = Array.from({ length: 12 }, (_, id) => loop(id));
    await new Promise((r) => setTimeout(r, 2500));
    signalled = true;
    peer.proc.kill('SIGTERM');
    await Promise.all(loops);
    expect(await peer.exited).toBe(0);
    expect(await chaincodesLeft(peer)).toEqual([]);
    agent.destroy();

    // No call was left not knowing: only answers, or a connection refused after the peer was gone.
    const ambiguous = answers.filter((a) => a.answer.error !== undefined && a.answer.error !== 'ECONNREFUSED');
    expect(ambiguous, JSON.stringify(ambiguous.slice(0, 3))).toEqual([]);
    const ok = answers.filter((a) => a.answer.status === 200);
    const refused = answers.filter((a) => a.answer.status === 503);
    expect(ok.every((a) => a.answer.json?.status === 200 && a.answer.json.committed === true)).toBe(true);
    // Calls in flight at the signal finished with their real outcome; later ones were turned away.
    expect(ok.length).toBeGreaterThan(12);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.answer.retryAfter).toBe('5');
      expect(r.answer.json?.error).toBe('the peer is shutting down: not accepting new requests; retry later');
    }
    expect(peer.output()).toMatch(/shutting down.*reason=SIGTERM/);
    expect(peer.output()).toMatch(/peer stopped/);

    // What the answers said is what the ledger holds.
    const again = await startPeer(dataDir);
    for (const a of ok) expect(await get(again.api, a.key)).toBe('v');
    for (const r of refused) expect(await get(again.api, r.key)).toBeUndefined();
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 90_000);

  it('past the grace period a call in flight is answered 503 "outcome unknown" with its txid', async () => {
    const dataDir = tempDir();
    const peer = await startPeer(dataDir, '--shutdown-grace', '300ms');
    const slow = post(peer.api, '/invoke', { chaincode: 'basic', args: ['putThenSleep', 'slow', 'v', '5000'] });
    await new Promise((r) => setTimeout(r, 800));
    peer.proc.kill('SIGTERM');
    const answer = await slow;
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('5');
    expect(answer.json?.error).toBe('outcome unknown: the peer shut down before the transaction finished; check with query');
    expect(answer.json?.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(await peer.exited).toBe(0);
    expect(peer.output()).toMatch(/outcome unknown/);

    // "Check with query": the chaincode stream ended before it answered, so nothing was committed.
    const again = await startPeer(dataDir);
    expect(await get(again.api, 'slow')).toBeUndefined();
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);

  it('a second signal during the grace period exits at once with 130', async () => {
    const peer = await startPeer(tempDir(), '--shutdown-grace', '60s');
    const slow = post(peer.api, '/invoke', { chaincode: 'basic', args: ['putThenSleep', 'slow', 'v', '30000'] });
    await new Promise((r) => setTimeout(r, 800));
    peer.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(chaincodesOf(peer).length).toBe(1);
    const t0 = Date.now();
    peer.proc.kill('SIGTERM');
    expect(await peer.exited).toBe(130);
    // Even without a clean shutdown, the chaincode the peer launched does not outlive it.
    expect(await chaincodesLeft(peer)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(peer.output()).toMatch(/SIGTERM again, exiting without a clean shutdown/);
    expect((await slow).error).toBeDefined(); // the process is gone: its caller sees the connection end
  }, 60_000);
});
