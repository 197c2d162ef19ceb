/**
 * `ccproto trace render --format mermaid`: each diagram (./render.ts) as a Mermaid
 * `sequenceDiagram`, participants `chaincode` and `peer`:
 *
 *   %% stream 1 (register, from 127.0.0.1#58;5501)
 *   sequenceDiagram
 *     title stream 1 (register, from 127.0.0.1:5501)
 *     participant chaincode
 *     participant peer
 *     chaincode->>peer: [4] GET_STATE t1 k
 *     Note over chaincode,peer: chaincode ready/awaitingResponse · peer ready/servingRequest
 *     rect rgb(255, 221, 221)
 *       peer->>chaincode: [7] RESPONSE t1 1 bytes
 *       Note over chaincode,peer: …
 *       Note over peer: ⚠ UNEXPECTED_RESPONSE · blame peer
 *     end
 *     chaincode-xpeer: [8] malformed frame (…)
 *     Note over chaincode,peer: end of stream (EOF) · chaincode closed · peer closed
 *
 * A message is an arrow from its sender (`-x` for a frame that did not decode), followed by both
 * sides' states; a message with findings is boxed in red with one note per finding over the side to
 * blame. Several diagrams are separated by an empty line, each after a `%%` comment naming it (as
 * `ccproto charts` prints several charts).
 *
 * Labels come from untrusted implementations. Mermaid's sequence lexer ends a label at `#`, `;` or
 * a newline, decodes `#…;` entity codes, and takes `<…>` for markup: every such character is
 * written as an entity code (`#59;`), newlines and control characters are gone (./render.ts
 * `clip`), and labels are short.
 */
import { diagramTitle, endLabel, findingLabel, messageLabel, statesLabel, txOf, type Diagram } from './render.js';

const BAD = 'rect rgb(255, 221, 221)';

/** All diagrams as Mermaid text. */
export function renderMermaid(diagrams: readonly Diagram[]): string {
  return diagrams.map(diagramMermaid).join('\n');
}

function diagramMermaid(d: Diagram): string {
  const title = diagramTitle(d);
  const out = [`%% ${mermaidText(title)}`, 'sequenceDiagram', `  title ${mermaidText(title)}`, '  participant chaincode', '  participant peer'];
  for (const step of d.steps) {
    const r = step.record;
    const to = r.from === 'peer' ? 'chaincode' : 'peer';
    const tx = d.tx ?? txOf(r);
    const lines = [
      `${r.from}${r.message ? '->>' : '-x'}${to}: ${mermaidText(messageLabel(step, d.tx !== undefined))}`,
      `Note over chaincode,peer: ${mermaidText(statesLabel(step, tx))}`,
      ...step.findings.map((f) => `Note over ${f.blame}: ${mermaidText(`⚠ ${findingLabel(f)}`)}`),
    ];
    out.push(...boxed(lines, step.findings.length > 0));
  }
  if (d.end) {
    const end = d.end;
    const lines = [
      `Note over chaincode,peer: ${mermaidText(`${endLabel(end)} · ${statesLabel(end, undefined)}`)}`,
      ...end.findings.map((f) => `Note over ${f.blame}: ${mermaidText(`⚠ ${findingLabel(f)}`)}`),
    ];
    out.push(...boxed(lines, end.findings.length > 0));
  }
  return out.join('\n') + '\n';
}

function boxed(lines: string[], bad: boolean): string[] {
  return bad ? [`  ${BAD}`, ...lines.map((l) => `    ${l}`), '  end'] : lines.map((l) => `  ${l}`);
}

const ENTITIES: Record<string, string> = {
  '#': '#35;',
  ';': '#59;',
  ':': '#58;',
  '<': '#60;',
  '>': '#62;',
  '&': '#38;',
  '%': '#37;',
  '"': '#34;',
  '`': '#96;',
  '{': '#123;',
  '}': '#125;',
};

/**
 * Text safe in a Mermaid sequence label, note or title: one line, and every character the lexer or
 * the markup would take for syntax written as an entity code.
 */
export function mermaidText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/[#;:<>&%"`{}]/g, (c) => ENTITIES[c]!);
}
