/**
 * `ccproto trace render` (src/trace/render*.ts, src/cli/trace.ts): a trace recorded from real
 * sessions (the in-memory pair, both drive loops, real codec, written by TraceRecorder as the proxy
 * writes it) plus a few messages a misbehaving implementation would send, rendered as Mermaid and
 * as HTML: participants, arrows in order, both sides' states after each message, findings where
 * they happened, `--stream` and `--tx`, hostile text escaped, and the exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MemoryPair } from '../../src/pair/memoryPair.js';
import { FABRIC_31_READY_PARAMS, utf8Bytes, type Message } from '../../src/protocol/messages.js';
import { parseTrace, type TraceRecord } from '../../src/trace/format.js';
import { TraceRecorder, type StreamTrace } from '../../src/trace/recorder.js';
import { selectDiagrams } from '../../src/trace/render.js';
import { renderMermaid } from '../../src/trace/renderMermaid.js';
import { encodeMessage } from '../../src/wire/index.js';
import { memoryIo } from '../cli/helpers.js';

const b = utf8Bytes;
const txInput = (...args: string[]) => ({ args: args.map(b), decorations: {}, isInit: false });
const EVIL_TX = '<img src=x onerror=alert(1)>';
const EVIL_KEY = '</script><script>alert(1)</script>';
const EVIL_TEXT = 'no --> way; #1 %% </script>\n<!-- "quoted" & `ticked` {x}';

/** One MemoryPair session, every message fed to the recorder as frames, as the proxy does. */
async function session(stream: StreamTrace, executes: { channelId: string; txid: string }[]): Promise<void> {
  const pair = new MemoryPair({
    record: true,
    peerCore: { readyParams: FABRIC_31_READY_PARAMS },
    chaincode: async (h) => {
      await h.request({ type: 'PUT_STATE', payload: { key: 'a', value: b('1'), collection: '' } });
      await h.request({ type: 'GET_STATE', payload: { key: 'a', collection: '' } });
      h.complete({ status: 200, message: '', payload: b('done') });
    },
  });
  await pair.start();
  for (const x of executes) await pair.execute({ ...x, input: txInput('put') });
  for (const e of pair.transcript) stream.frame(e.from, Uint8Array.from(encodeMessage(e.message)));
}

const frame = (m: Message): Uint8Array => Uint8Array.from(encodeMessage(m));

let dir: string;
let tracePath: string;
let records: TraceRecord[];

beforeAll(async () => {
  const lines: string[] = [];
  let t = 1_764_716_400_000;
  const recorder = new TraceRecorder((l) => lines.push(l), () => (t += 1.5));
  const one = recorder.open('register', '127.0.0.1:5501');
  await session(one, [
    { channelId: 'ch', txid: 't1' },
    { channelId: 'ch', txid: 't2' },
    { channelId: 'other', txid: 't1' },
  ]);
  // What a misbehaving peer and chaincode would add: a RESPONSE for a transaction that is done, a
  // transaction whose texts are hostile, and a frame that does not decode.
  one.frame('peer', frame({ type: 'RESPONSE', txid: 't2', channelId: 'ch', payload: b('v') }));
  one.frame('peer', frame({ type: 'TRANSACTION', txid: EVIL_TX, channelId: 'ch', payload: txInput(EVIL_TEXT) }));
  one.frame('chaincode', frame({ type: 'GET_STATE', txid: EVIL_TX, channelId: 'ch', payload: { key: EVIL_KEY, collection: '' } }));
  one.frame('peer', frame({ type: 'ERROR', txid: EVIL_TX, channelId: 'ch', payload: b(EVIL_TEXT) }));
  one.frame('chaincode', new Uint8Array([0xff, 0xff, 0xff]));
  one.end('chaincode side: EOF');
  const two = recorder.open('register', '127.0.0.1:5502');
  await session(two, [{ channelId: 'ch', txid: 't1' }]);
  two.end('peer side: EOF');

  dir = mkdtempSync(join(tmpdir(), 'ccproto-render-'));
  tracePath = join(dir, 'session.jsonl');
  writeFileSync(tracePath, lines.join(''));
  records = (parseTrace(lines.join('')) as { records: TraceRecord[] }).records;
});

async function render(...argv: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(['trace', 'render', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const ARROW = /^\s*(chaincode|peer)(->>|-x)(chaincode|peer): \[(\d+)\] (\S+)/;
const arrows = (mermaid: string) =>
  mermaid
    .split('\n')
    .map((l) => ARROW.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}${m[2]}${m[3]} ${m[5]}`);

/**
 * Each line is one of the statement forms the renderer emits, in the shape Mermaid's sequence
 * lexer accepts: a label runs to `#`, `;` or the end of the line, so `#` appears only in entity
 * codes and `;` only ending one; `<`, `>` only in the arrows.
 */
function expectValidMermaid(text: string): void {
  for (const diagram of text.split('\n\n')) {
    const lines = diagram.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^%% [^{]/);
    expect(lines[0]!.slice(3).replace(/#\d+;/g, '')).not.toMatch(/[#;<>:%"`{}]/);
    expect(lines[1]).toBe('sequenceDiagram');
    expect(lines.slice(2, 5).map((l) => l.trim().split(' ')[0])).toEqual(['title', 'participant', 'participant']);
    for (const line of lines.slice(2)) {
      expect(line).toMatch(/^ {2}(title .+|participant (chaincode|peer)|rect rgb\(\d+, \d+, \d+\)|end|( {2})?((chaincode|peer)(->>|-x)(chaincode|peer)|Note over (chaincode,peer|chaincode|peer)): .+)$/);
      const text = line.replace(/^\s*(title |[^:]+: )/, '');
      expect(text.replace(/#\d+;/g, '')).not.toMatch(/[#;<>:%"`{}\n]/);
    }
  }
}

describe('ccproto trace render --format mermaid', () => {
  it('a stream: participants, every message as an arrow in order, both states after each, findings where they happened', async () => {
    const r = await render('session.jsonl', '--format', 'mermaid', '--stream', '1');
    expect(r).toMatchObject({ code: 0, err: '' });
    expectValidMermaid(r.out);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '%% stream 1 (register, from 127.0.0.1#58;5501)',
      'sequenceDiagram',
      '  title stream 1 (register, from 127.0.0.1#58;5501)',
      '  participant chaincode',
      '  participant peer',
    ]);
    const one = records.filter((x) => x.stream === 1 && !('event' in x)) as { from: string; message?: Message }[];
    expect(arrows(r.out)).toEqual(one.map((m) => `${m.from}${m.message ? '->>' : '-x'}${m.from === 'peer' ? 'chaincode' : 'peer'} ${m.message?.type ?? 'malformed'}`));
    expect(arrows(r.out).slice(0, 4)).toEqual(['chaincode->>peer REGISTER', 'peer->>chaincode REGISTERED', 'peer->>chaincode READY', 'peer->>chaincode TRANSACTION']);

    // After each arrow, both sides' states: handlers, and the message's transaction on each side.
    const after = (re: RegExp) => lines[lines.findIndex((l) => re.test(l)) + 1];
    expect(after(/REGISTER mycc/)).toBe('  Note over chaincode,peer: chaincode created · peer registering');
    expect(after(/\[3\] TRANSACTION t1 put/)).toBe('  Note over chaincode,peer: chaincode ready/running · peer ready/awaitingChaincode');
    const completed = after(/\[\d+\] COMPLETED t1 status 200/)!;
    expect(completed).toMatch(/chaincode ready\/– · peer ready\/–$/);
    expect(lines.find((l) => /PUT_STATE t1 a$/.test(l))).toBeDefined();

    // The RESPONSE for a finished transaction: boxed in red, each finding noted over the side to
    // blame (the peer's own chart: nothing it serves asked for it; the chaincode's: finished).
    const response = lines.findLastIndex((l) => /RESPONSE t2 1 bytes/.test(l));
    expect(lines[response - 1]).toBe('  rect rgb(255, 221, 221)');
    expect(lines[response]).toMatch(/^ {4}peer->>chaincode: /);
    expect(lines.slice(response + 1, response + 5)).toEqual([
      expect.stringMatching(/^ {4}Note over chaincode,peer: /),
      '    Note over peer: ⚠ UNEXPLAINED_SEND · blame peer',
      '    Note over peer: ⚠ TX_FINISHED · blame peer',
      '  end',
    ]);
    // The frame that did not decode: a lost arrow, named, its finding over the chaincode.
    const bad = lines.findIndex((l) => l.includes('chaincode-xpeer'));
    expect(lines[bad]).toMatch(/malformed frame \(/);
    expect(lines.slice(bad, bad + 4).join('\n')).toContain('Note over chaincode: ⚠ MALFORMED_ENVELOPE · blame chaincode');
    // The end, with its reason and the final states.
    expect(lines.filter((l) => l.includes('end of stream'))).toEqual([expect.stringContaining('end of stream (chaincode side#58; EOF) · chaincode closed · peer failed')]);
  });

  it('escapes what Mermaid would take for syntax: the hostile txid, key and texts stay inside their labels', async () => {
    const r = await render('session.jsonl', '--format', 'mermaid');
    expect(r.code).toBe(0);
    expectValidMermaid(r.out);
    expect(r.out).not.toContain('<img');
    expect(r.out).not.toContain('</script');
    expect(r.out).toContain('#60;img src=x');
    expect(r.out).toContain('#60;/script#62;#60;script#62;alert(1)');
  });

  it('every stream by default, one diagram each; --stream picks one', async () => {
    const all = await render('session.jsonl', '--format', 'mermaid');
    expect(all.out.match(/^sequenceDiagram$/gm)).toHaveLength(2);
    expect(all.out.match(/^%% .*$/gm)).toEqual(['%% stream 1 (register, from 127.0.0.1#58;5501)', '%% stream 2 (register, from 127.0.0.1#58;5502)']);
    const two = await render('session.jsonl', '--format', 'mermaid', '--stream', '2');
    expect(two.code).toBe(0);
    expect(two.out.match(/^sequenceDiagram$/gm)).toHaveLength(1);
    expect(two.out).toContain('title stream 2 ');
    expect(two.out).toContain('end of stream (peer side#58; EOF)');
    expect(all.out.split('\n\n')[1]).toBe(two.out);
  });

  it('--tx: only that transaction\'s messages, one diagram per stream and channel it occurs on', async () => {
    const r = await render('session.jsonl', '--format', 'mermaid', '--tx', 't1');
    expect(r.code).toBe(0);
    expectValidMermaid(r.out);
    const diagrams = r.out.split('\n\n');
    expect(diagrams.map((d) => d.split('\n')[0])).toEqual(['%% transaction ch/t1 on stream 1', '%% transaction other/t1 on stream 1', '%% transaction ch/t1 on stream 2']);
    for (const d of diagrams) {
      expect(arrows(d).map((a) => a.split(' ')[1])).toEqual(['TRANSACTION', 'PUT_STATE', 'RESPONSE', 'GET_STATE', 'RESPONSE', 'COMPLETED']);
      // No txid in the labels (the title names it), no stream-level message, no end (t1 finished).
      expect(d).not.toMatch(/REGISTER|READY|end of stream| t1 /);
    }
    // A transaction the stream's end cut short: its end is shown.
    const evil = await render('session.jsonl', '--format', 'mermaid', '--tx', EVIL_TX);
    expect(evil.code).toBe(0);
    expect(arrows(evil.out).map((a) => a.split(' ')[1])).toEqual(['TRANSACTION', 'GET_STATE', 'ERROR']);
    expect(evil.out).toContain('end of stream (chaincode side#58; EOF)');
    expectValidMermaid(evil.out);
    expect(evil.out).not.toMatch(/<img|<\/script/);
    expect(evil.out.split('\n').slice(0, 3)).toEqual([
      '%% transaction ch/#60;img src=x onerror=alert(1)#62; on stream 1',
      'sequenceDiagram',
      '  title transaction ch/#60;img src=x onerror=alert(1)#62; on stream 1',
    ]);
  });

  it('recomputes states and findings: a trace without them (another tool\'s) renders the same', () => {
    const bare = records.map((r) => {
      const { peer: _p, chaincode: _c, findings: _f, ...rest } = r as TraceRecord & Record<string, unknown>;
      return rest as TraceRecord;
    });
    expect(bare.some((r) => 'peer' in r)).toBe(false);
    const render = (rs: TraceRecord[]) => {
      const selected = selectDiagrams(rs);
      if (!selected.ok) throw new Error(selected.reason);
      return renderMermaid(selected.diagrams);
    };
    expect(render(bare)).toBe(render(records));
  });
});

describe('ccproto trace render --format html', () => {
  let html: string;
  beforeAll(async () => {
    const r = await render('session.jsonl', '--format', 'html');
    expect(r.code).toBe(0);
    html = r.out;
  });

  it('is one self-contained page: no script, nothing loaded from elsewhere', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes hostile text: txids, keys, error texts and the decoded JSON', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script');
    expect(html).not.toContain('-->');
    expect(html).not.toContain('<!--');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only tags are the renderer's own.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'a', 'b', 'body', 'details', 'div', 'h1', 'h2', 'head', 'html', 'i', 'li', 'meta', 'ol', 'p', 'pre', 'section', 'span', 'style', 'summary', 'title']);
  });

  it('every message expands to its decoded JSON; findings are red and listed at the top', () => {
    const messages = records.filter((r) => !('event' in r));
    expect(html.match(/<details>/g)).toHaveLength(messages.length);
    // The undecodable frame's bytes, as in the trace.
    expect(html).toContain('&quot;$bytes&quot;: &quot;////&quot;');
    expect(html).toMatch(/<div class="msg to-left bad" id="d0-m\d+">/);
    expect(html).toMatch(/<div class="msg to-right malformed bad" id="d0-m\d+">/);
    expect(html).toContain('<div class="finding"><b>TX_FINISHED · blame peer</b> — found by the chaincode&#39;s chart in ready, tx ch/t2: got recv.RESPONSE');
    expect(html).toMatch(/<ol class="index"><li><a href="#d0-m\d+">stream 1 .*TX_FINISHED · blame peer/);
    expect(html).toContain('end of stream (chaincode side: EOF)');
    expect(html).toContain('<div class="state cc">ready/running</div>');
  });

  it('--out writes the file instead of stdout', async () => {
    const r = await render('session.jsonl', '--format', 'html', '--out', 'page.html');
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
    expect(readFileSync(join(dir, 'page.html'), 'utf8')).toBe(html);
  });
});

describe('ccproto trace render: exit codes', () => {
  it('2 when the trace cannot be read, as ccproto check', async () => {
    writeFileSync(join(dir, 'junk.jsonl'), '{"t":1,"stream":1,"event":"open","mode":"register"}\nnot json\n');
    const junk = await render('junk.jsonl', '--format', 'mermaid');
    expect(junk).toMatchObject({ code: 2, out: '', err: expect.stringContaining('junk.jsonl:2: not JSON') });
    const missing = await render('missing.jsonl', '--format', 'html');
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('cannot read missing.jsonl') });
  });

  it('2 when --stream or --tx select nothing, saying so', async () => {
    expect(await render('session.jsonl', '--format', 'mermaid', '--stream', '9')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('no stream 9 in the trace (streams: 1, 2)') });
    expect(await render('session.jsonl', '--format', 'mermaid', '--tx', 'nope')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('no message of transaction "nope"') });
    expect(await render('session.jsonl', '--format', 'html', '--stream', '2', '--tx', 't2')).toMatchObject({ code: 2, err: expect.stringContaining('in stream 2') });
  });

  it('2 for a bad command line: --format missing or unknown, --stream not a number', async () => {
    expect(await render('session.jsonl')).toMatchObject({ code: 2, err: expect.stringContaining("required option '--format <format>' not specified") });
    expect(await render('session.jsonl', '--format', 'svg')).toMatchObject({ code: 2, err: expect.stringContaining('Allowed choices are mermaid, html') });
    expect(await render('session.jsonl', '--format', 'mermaid', '--stream', 'one')).toMatchObject({ code: 2, err: expect.stringContaining('--stream takes a stream id') });
  });
});
