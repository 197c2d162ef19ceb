/**
 * `ccproto conform peer` (src/conform/conformPeer.ts) against our dev peer (every scenario passes
 * or is one of its documented deviations, shown in docs/conformance.md) and against peers that
 * break a rule on purpose (a scripted listener), which must fail.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { conformPeer } from '../../src/conform/conformPeer.js';
import { PEER_SCENARIOS } from '../../src/conform/peerScenarios.js';
import type { ConformReport } from '../../src/conform/report.js';
import { EMPTY_BYTES, NO_ADDITIONAL_PARAMS, type Message } from '../../src/protocol/messages.js';
import { listenChaincodeSupport } from '../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../src/wire/index.js';
import { REPO } from '../peer/e2e/helpers.js';
import type { PeerReadyInfo } from '../../src/cli/main.js';

const DOC = join(REPO, 'docs/conformance.md');
const START = '<!-- conform:peer:start -->';
const END = '<!-- conform:peer:end -->';
let ours: ConformReport | undefined;

afterAll(() => {
  if (process.env.CCPROTO_WRITE_DOCS === '1' && ours) {
    const doc = readFileSync(DOC, 'utf8');
    writeFileSync(DOC, doc.slice(0, doc.indexOf(START) + START.length) + '\n' + matrix(ours) + doc.slice(doc.indexOf(END)));
  }
});

function matrix(r: ConformReport): string {
  const lines = ['| Scenario | ccproto peer | Fabric rule |', '|---|---|---|'];
  for (const s of r.scenarios) {
    const cell = s.outcome === 'pass' ? 'pass' : `${s.outcome}: ${(s.detail ?? '').split('\n')[0]!.replace(/\|/g, '\\|')}`;
    lines.push(`| \`${s.id}\`: ${s.title} | ${cell} | ${s.rule.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

describe('ccproto conform peer', () => {
  it('our dev peer (with --api: the transaction scenarios too): every scenario passes, except the refusals answered with ERROR (docs/deviations.md P2); docs/conformance.md shows it', async () => {
    // The dev peer as users run it (`ccproto peer`, in-process), with its HTTP API: the scenarios
    // that need a transaction run too.
    let stop!: (reason: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    let info: PeerReadyInfo | undefined;
    const quiet = { write: () => true };
    const running = main(['peer', '--gateway', '127.0.0.1:0', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', '--execute-timeout', '2s', '--log-level', 'error'], { stdout: quiet, stderr: quiet, waitForShutdown: () => stopped, onReady: (i) => (info = i) });
    try {
      for (let i = 0; i < 300 && !info; i++) await new Promise((r) => setTimeout(r, 50));
      ours = await conformPeer({ peer: info!.chaincodeAddress, api: info!.apiUrl });
    } finally {
      stop('test done');
      await running;
    }
    expect(ours.scenarios.filter((s) => s.outcome === 'fail').map((s) => `${s.id}: ${s.detail}`).join('\n')).toBe('');
    expect(Object.fromEntries(ours.scenarios.filter((s) => s.outcome !== 'pass').map((s) => [s.id, s.outcome]))).toEqual({
      'duplicate-registration': 'known deviation',
      'empty-name': 'known deviation',
    });
    expect(ours.scenarios.map((s) => s.id)).toEqual(PEER_SCENARIOS.map((s) => s.id));
    if (process.env.CCPROTO_WRITE_DOCS !== '1') {
      const doc = readFileSync(DOC, 'utf8');
      expect(doc.slice(doc.indexOf(START) + START.length + 1, doc.indexOf(END))).toBe(matrix(ours));
    }
  }, 120_000);

  it('a peer that sends READY before REGISTERED, and answers every request with RESPONSE, fails with the rules named', async () => {
    const send = (s: { send(f: Uint8Array): boolean }, m: Message) => s.send(encodeMessage(m));
    const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (stream) => {
      stream.onFrame((frame) => {
        const d = decodeMessage(frame);
        if (!d.ok) return;
        if (d.message.type === 'REGISTER') {
          send(stream, { type: 'READY', txid: '', channelId: '', payload: NO_ADDITIONAL_PARAMS });
          send(stream, { type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
        } else if (d.message.type === 'GET_STATE') send(stream, { type: 'RESPONSE', txid: d.message.txid, channelId: d.message.channelId, payload: EMPTY_BYTES });
      });
    });
    try {
      const r = await conformPeer({ peer: listener.address, only: ['handshake', 'request-for-unknown-transaction'], replyTimeoutMs: 2_000 });
      expect(r.failed).toBe(2);
      expect(r.scenarios[0]!.detail).toContain('expected REGISTERED, got READY');
      expect(r.scenarios[0]!.detail).toMatch(/OUT_OF_ORDER_SEND|UNEXPECTED_MESSAGE/);
      const out: string[] = [];
      const code = await main(['conform', 'peer', '--peer', listener.address, '--only', 'handshake', '--reply-timeout', '2s'], { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } });
      expect(code).toBe(1);
      expect(out.join('')).toMatch(/FAIL +handshake/);
      expect(await main(['conform', 'peer', '--only', 'handshake'], { stdout: { write: () => true }, stderr: { write: () => true } })).toBe(2);
    } finally {
      await listener.close();
    }
  }, 60_000);
});
