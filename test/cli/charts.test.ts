/** `ccproto charts`: the charts as the committed docs show them (docs/charts/*.json, docs/diagrams/*.md). */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { memoryIo } from './helpers.js';

const NAMES = ['peerHandler', 'peerTx', 'chaincodeHandler', 'chaincodeTx'];
const doc = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['charts', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('ccproto charts', () => {
  it('lists the four charts', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
  });

  it.each(NAMES)('--json %s is docs/charts/%s.json; NAME alone is its Mermaid diagram', async (name) => {
    const json = await run('--json', name);
    expect(json.code).toBe(0);
    expect(json.out).toBe(doc(`docs/charts/${name}.json`));
    const mermaid = await run(name);
    const body = mermaid.out.split('\n').slice(1).join('\n').trim(); // after the %% title line
    expect(doc(`docs/diagrams/${name}.md`)).toContain(body);
    expect((await run('--mermaid', name)).out).toBe(mermaid.out);
  });

  it('--json alone gives every chart, by name', async () => {
    const r = await run('--json');
    expect(Object.keys(JSON.parse(r.out) as object)).toEqual(NAMES);
  });

  it('an unknown name, or both formats, is a usage error (exit 2)', async () => {
    const unknown = await run('nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('ccproto: no chart "nope" (charts: peerHandler, peerTx, chaincodeHandler, chaincodeTx)\n');
    expect((await run('--json', '--mermaid', 'peerTx')).code).toBe(2);
  });
});
