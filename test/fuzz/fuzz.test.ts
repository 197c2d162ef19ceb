/**
 * `ccproto fuzz` (src/fuzz/): a campaign against our peer and one against our runtime with a fresh
 * seed on every run (printed; a finding fails and prints its shrunk session and trace), and proof
 * that the fuzzer finds what it should: fabric-shim 2.5.8 exiting on KEEPALIVE (a crash), a
 * chaincode that sends two COMPLETED (a violation), a peer that answers requests of transactions
 * it does not run with RESPONSE (a violation). The campaigns have fixed time budgets (a loaded
 * machine runs fewer sessions); the proofs have budgets in sessions and plays, so they follow the
 * same path on any machine.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { chaincodeTarget } from '../../src/fuzz/chaincodeTarget.js';
import { fuzz, type FuzzReport } from '../../src/fuzz/engine.js';
import { peerTarget } from '../../src/fuzz/peerTarget.js';
import { EMPTY_BYTES, NO_ADDITIONAL_PARAMS, type Message } from '../../src/protocol/messages.js';
import { listenChaincodeSupport } from '../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../src/wire/index.js';
import { REPO, closePeer, startPeer } from '../peer/e2e/helpers.js';

const tsx = (file: string): string[] => [process.execPath, '--import', 'tsx', join(REPO, file)];
const freshSeed = () => Math.floor(Math.random() * 2 ** 31);

function explain(name: string, r: FuzzReport): string {
  if (!r.finding) return '';
  return `${name}: ${r.finding.kind}: ${r.finding.detail}\nseed ${r.seed}; session:\n${r.finding.actions.join('\n')}\ntrace:\n${r.finding.trace.join('')}`;
}

describe('fuzz campaigns on every run (fresh seed)', () => {
  it('our dev peer: nothing found', async () => {
    const seed = freshSeed();
    console.log(`[fuzz] peer campaign seed=${seed}`);
    const t = await startPeer({ log: () => {} });
    try {
      const r = await fuzz(peerTarget({ peer: t.peer.chaincodeAddress }), { seconds: 15, seed, shrinkSeconds: 30 });
      expect(explain('our peer', r)).toBe('');
      expect(r.sessions).toBeGreaterThan(10);
    } finally {
      await closePeer(t);
    }
  }, 120_000);

  it('our chaincode runtime: nothing found', async () => {
    const seed = freshSeed();
    console.log(`[fuzz] chaincode campaign seed=${seed}`);
    const r = await fuzz(chaincodeTarget({ command: tsx('test/chaincode/fixtures/allStub.ts') }), { seconds: 20, seed, shrinkSeconds: 40 });
    expect(explain('our runtime', r)).toBe('');
    expect(r.sessions).toBeGreaterThan(3);
  }, 180_000);
});

describe('the fuzzer finds what it should', () => {
  it('fabric-shim 2.5.8 exits on KEEPALIVE: a crash, shrunk to a short session that starts with the KEEPALIVE', async () => {
    // Budgets in sessions and plays, not seconds, so a loaded machine follows the same path (the
    // sixth session crashes; shrinking ends after six plays); the times are only backstops. The
    // longer quiet wait keeps the exit tied to the KEEPALIVE when the process is slow to die.
    const target = chaincodeTarget({ command: tsx('test/interop/fixtures/commandFabricShim.ts'), quietMs: 150 });
    const r = await fuzz(target, { seconds: 240, sessions: 10, seed: 256147581, shrinkSeconds: 240, shrinkRuns: 12 });
    expect(r.finding?.kind).toBe('crash');
    expect(r.finding!.detail).toContain('keepalive');
    expect(r.finding!.actions[0]).toBe('{"k":"keepalive"}');
    expect(r.finding!.actions.length).toBeLessThanOrEqual(2);
  }, 300_000);

  it('a peer that answers requests of transactions it does not run with RESPONSE: a violation', async () => {
    const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (stream) => {
      stream.onFrame((frame) => {
        const d = decodeMessage(frame);
        if (!d.ok) return;
        const m = d.message;
        const reply = (x: Message) => stream.send(encodeMessage(x));
        if (m.type === 'REGISTER') {
          reply({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
          reply({ type: 'READY', txid: '', channelId: '', payload: NO_ADDITIONAL_PARAMS });
        } else if (m.type !== 'KEEPALIVE' && m.type !== 'COMPLETED' && m.type !== 'ERROR') reply({ type: 'RESPONSE', txid: m.txid, channelId: m.channelId, payload: EMPTY_BYTES });
      });
    });
    try {
      const r = await fuzz(peerTarget({ peer: listener.address, replyTimeoutMs: 2_000 }), { seconds: 20, seed: 11, shrinkSeconds: 10 });
      expect(r.finding?.kind).toBe('violation');
      expect(r.finding!.detail).toMatch(/UNEXPLAINED_SEND .*send.RESPONSE/);
    } finally {
      await listener.close();
    }
  }, 120_000);

  it('the CLI prints the seed, writes the trace of a finding (which ccproto check reads) and exits 1; nothing found exits 0', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    const dir = mkdtempSync(join(tmpdir(), 'ccproto-fuzz-test-'));
    process.env.CONFORM_FAULT = 'double-completed';
    let code: number;
    try {
      // The third session finds it; counts, not seconds, bound the campaign and its shrinking.
      code = await main(['fuzz', 'chaincode', '--seconds', '300', '--sessions', '10', '--shrink-runs', '4', '--seed', '5', '--out', dir, '--no-keepalive', '--', ...tsx('test/conform/fixtures/misbehaving.ts')], io);
    } finally {
      delete process.env.CONFORM_FAULT;
    }
    const text = out.join('');
    expect(text).toContain('seed 5, 300 s, at most 10 session(s)');
    expect(code).toBe(1);
    expect(text).toContain('found a violation');
    const file = join(dir, 'fuzz-chaincode-5.jsonl');
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
    const checked: string[] = [];
    expect(await main(['check', file], { stdout: { write: (s: string) => checked.push(s) }, stderr: { write: (s: string) => checked.push(s) } })).toBe(1);
    expect(checked.join('')).toContain('TX_FINISHED');

    const t = await startPeer({ log: () => {} });
    try {
      out.length = 0;
      expect(await main(['fuzz', 'peer', '--peer', t.peer.chaincodeAddress, '--seconds', '2', '--seed', '3'], io)).toBe(0);
      expect(out.join('')).toMatch(/seed 3[\s\S]*nothing found/);
    } finally {
      await closePeer(t);
    }
    expect(await main(['fuzz', 'peer', '--seconds', '1'], io)).toBe(2);
    out.length = 0;
    expect(await main(['fuzz', 'peer', '--peer', '127.0.0.1:1', '--sessions', '0'], io)).toBe(2);
    expect(out.join('')).toContain('invalid --sessions "0"');
  }, 180_000);
});
