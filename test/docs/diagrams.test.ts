/**
 * The generated docs (scripts/gen-docs.ts) are committed so that they can be read on GitHub without
 * running anything; this test keeps them equal to what the charts and the table say today. When it
 * fails, run `npm run gen:docs` and commit the result.
 *
 * It also checks that every Mermaid block keeps to the few statement forms the generator emits, in
 * the shape Mermaid's stateDiagram lexer accepts (a transition label ends at `:`, `;` or a newline),
 * since nothing here renders the diagrams.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderDocs } from '../../scripts/gen-docs.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const docs = renderDocs();

describe('generated docs are up to date', () => {
  it('covers the four diagrams, the four charts as JSON and the protocol table', () => {
    expect(Object.keys(docs)).toEqual(
      expect.arrayContaining([
        'docs/diagrams/peerHandler.md',
        'docs/diagrams/peerTx.md',
        'docs/diagrams/chaincodeHandler.md',
        'docs/diagrams/chaincodeTx.md',
        'docs/protocol-table.md',
        'docs/charts/peerHandler.json',
        'docs/charts/peerTx.json',
        'docs/charts/chaincodeHandler.json',
        'docs/charts/chaincodeTx.json',
      ]),
    );
  });

  // README.md is in the list only when it has the `<!-- diagrams:start -->` markers.
  for (const [rel, expected] of Object.entries(docs)) {
    it(rel, () => {
      const path = join(ROOT, rel);
      const committed = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      expect(committed, `${rel} differs from what the charts say: run npm run gen:docs`).toBe(expected);
    });
  }
});

/** Statement forms the generator emits (`ID` is a chart state name). */
const ID = '[A-Za-z][A-Za-z0-9_]*';
const STATEMENT = [
  /^stateDiagram-v2$/,
  new RegExp(`^  \\[\\*\\] --> ${ID}$`),
  new RegExp(`^  ${ID} --> \\[\\*\\]$`),
  new RegExp(`^  ${ID} --> ${ID}( : [^:;#*<>]+)?$`),
  new RegExp(`^  ${ID} : [^:;#*<>]+$`),
  new RegExp(`^  note right of ${ID}$`),
];

function mermaidBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!.split('\n'));
}

describe('Mermaid blocks stay within what the state-diagram lexer accepts', () => {
  for (const [rel, content] of Object.entries(docs)) {
    const blocks = mermaidBlocks(content);
    if (!blocks.length) continue;
    it(rel, () => {
      for (const lines of blocks) {
        let inNote = false;
        for (const line of lines) {
          if (inNote) {
            if (line === '  end note') inNote = false;
            else expect(line, 'note text').not.toMatch(/end note|[#*<>]/);
            continue;
          }
          expect(STATEMENT.some((re) => re.test(line)), `unexpected Mermaid line: ${JSON.stringify(line)}`).toBe(true);
          if (line.startsWith('  note right of ')) inNote = true;
        }
        expect(inNote, 'an unterminated note').toBe(false);
      }
    });
  }
});
