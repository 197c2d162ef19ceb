/**
 * `ccproto trace render --format html`: the diagrams (./render.ts) as ONE self-contained HTML page
 * that works offline: no script at all, no external style sheet, font or image (a
 * Content-Security-Policy forbids them, in case a renderer bug ever let one through).
 *
 * Each diagram is a CSS grid of three columns: the chaincode's lifeline, the messages, the peer's
 * lifeline. A message is an arrow from its sender (a dashed red one for a frame that did not
 * decode), its label expands (`<details>`) to the record's full decoded JSON (bytes as
 * `{"$bytes": base64}`, as in the trace), and both sides' states after it stand on their
 * lifelines. A message with findings is red, each finding below it in full. Findings are also
 * listed at the top, linking to their message.
 *
 * Every text in a trace comes from an untrusted implementation: all of it goes through `esc`.
 */
import type { Finding } from '../observe/findings.js';
import { traceLine, type MessageRecord } from './format.js';
import {
  diagramTitle,
  endLabel,
  findingDetail,
  findingLabel,
  messageLabel,
  sideState,
  txOf,
  type Diagram,
  type EndStep,
  type Step,
  type TxRef,
} from './render.js';

export interface HtmlOptions {
  /** Shown in the page title and heading, e.g. the trace's file name. */
  title?: string;
}

/** All diagrams as one HTML document. */
export function renderHtml(diagrams: readonly Diagram[], options: HtmlOptions = {}): string {
  const title = options.title ? `ccproto trace: ${options.title}` : 'ccproto trace';
  const messages = diagrams.reduce((n, d) => n + d.steps.length, 0);
  const findings = diagrams.flatMap((d, i) => [
    ...d.steps.flatMap((s) => s.findings.map((f) => ({ d, anchor: anchorOf(i, s), where: messageLabel(s, d.tx !== undefined, 40), f }))),
    ...(d.end?.findings ?? []).map((f) => ({ d, anchor: endAnchorOf(i), where: 'end of stream', f })),
  ]);
  const index = findings.length
    ? `<ol class="index">${findings
        .map((x) => `<li><a href="#${esc(x.anchor)}">${esc(diagramTitle(x.d))}, ${esc(x.where)}</a>: <b>${esc(findingLabel(x.f))}</b></li>`)
        .join('')}</ol>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="summary">${diagrams.length} diagram(s), ${messages} message(s), ${findings.length === 0 ? 'no findings' : `<span class="bad">${findings.length} finding(s)</span>`}.
States after each message: <i>handler</i>, or <i>handler/transaction</i> for a message of a transaction (– when that side's chart does not hold it).
Click a message for its decoded JSON.</p>
${index}
${diagrams.map(diagramHtml).join('\n')}
</body>
</html>
`;
}

function diagramHtml(d: Diagram, i: number): string {
  const rows: string[] = [];
  const t0 = d.open?.t ?? d.steps[0]?.record.t ?? d.end?.record.t ?? 0;
  for (const step of d.steps) rows.push(stepHtml(d, i, step, t0));
  if (d.end) rows.push(endHtml(i, d.end, t0));
  const opened = d.open ? `<p class="open">opened ${esc(d.open.mode)}${d.open.remote ? ` from ${esc(d.open.remote)}` : ''} at ${esc(time(d.open.t))}</p>` : '';
  return `<section>
<h2>${esc(diagramTitle(d))}</h2>
${opened}<div class="seq">
<div></div><div class="actors"><span class="actor">chaincode</span><span class="actor">peer</span></div><div></div>
${rows.join('\n')}
</div>
</section>`;
}

function stepHtml(d: Diagram, i: number, step: Step, t0: number): string {
  const r = step.record;
  const tx: TxRef = d.tx ?? txOf(r);
  const bad = step.findings.length > 0;
  const classes = ['msg', r.from === 'peer' ? 'to-left' : 'to-right', r.message ? '' : 'malformed', bad ? 'bad' : ''].filter(Boolean).join(' ');
  return `<div class="state cc">${esc(sideState(step.chaincode, tx))}</div><div class="${classes}" id="${anchorOf(i, step)}">
<details><summary title="the decoded message"><span class="label">${esc(messageLabel(step, d.tx !== undefined))}</span> <span class="t">+${esc(delta(r.t, t0))}</span><span class="arrow"></span></summary><pre>${esc(recordJson(r))}</pre></details>
</div><div class="state peer">${esc(sideState(step.peer, tx))}</div>${findingsHtml(step.findings)}`;
}

function endHtml(i: number, end: EndStep, t0: number): string {
  return `<div class="state cc">${esc(end.chaincode.handler)}</div><div class="end${end.findings.length ? ' bad' : ''}" id="${endAnchorOf(i)}">${esc(endLabel(end, 200))} <span class="t">+${esc(delta(end.record.t, t0))}</span></div><div class="state peer">${esc(end.peer.handler)}</div>${findingsHtml(end.findings)}`;
}

function findingsHtml(findings: readonly Finding[]): string {
  return findings.map((f) => `<div class="finding"><b>${esc(findingLabel(f))}</b> — ${esc(findingDetail(f))}</div>`).join('');
}

/** The record as the trace has it, without the states and findings it may carry (recomputed here). */
function recordJson(r: MessageRecord): string {
  const shown: MessageRecord = { t: r.t, stream: r.stream, seq: r.seq, from: r.from };
  if (r.message) shown.message = r.message;
  if (r.malformed) shown.malformed = r.malformed;
  if (r.frame) shown.frame = r.frame;
  return JSON.stringify(JSON.parse(traceLine(shown)), null, 2);
}

/** Anchors by the diagram's position, so that they are unique and never carry trace text. */
const anchorOf = (diagram: number, s: Step): string => `d${diagram}-m${Number(s.record.seq)}`;
const endAnchorOf = (diagram: number): string => `d${diagram}-end`;

function delta(t: number, t0: number): string {
  return `${(t - t0).toFixed(1)} ms`;
}

function time(t: number): string {
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? String(t) : date.toISOString();
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and in a quoted attribute. */
export function esc(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h2 { font-size: 1.1em; margin-top: 2em; }
.summary .bad, .index b { color: #b00; }
.open { color: #666; margin: 0 0 .5em; }
.seq { display: grid; grid-template-columns: minmax(8em, 16em) minmax(20em, 1fr) minmax(8em, 16em); max-width: 90em; }
.actors { display: flex; justify-content: space-between; padding-bottom: .3em; }
.actor { font-weight: bold; border: 1px solid #888; border-radius: 4px; background: #eef; padding: .3em .8em; }
.actor:first-child { transform: translateX(-50%); }
.actor:last-child { transform: translateX(50%); }
.state { font: 12px ui-monospace, monospace; color: #555; padding: .4em .6em; word-break: break-all; }
.state.cc { text-align: right; }
.msg, .end { border-left: 2px solid #888; border-right: 2px solid #888; padding: .3em 0; min-width: 0; }
.msg summary { cursor: pointer; list-style: none; padding: 0 .8em; }
.msg summary::-webkit-details-marker { display: none; }
.label { font: 13px ui-monospace, monospace; word-break: break-all; }
.t { color: #999; font-size: 11px; }
.arrow { display: block; position: relative; border-top: 2px solid #333; margin: .25em -.8em .1em; }
.arrow::after { content: ""; position: absolute; top: -7px; border: 6px solid transparent; }
.to-right .arrow::after { right: -2px; border-left: 10px solid #333; border-right: 0; }
.to-left .arrow::after { left: -2px; border-right: 10px solid #333; border-left: 0; }
.to-left summary { text-align: right; }
.malformed .arrow { border-top: 2px dashed #b00; }
.malformed .arrow::after { content: "✕"; border: 0; top: -.8em; color: #b00; font-weight: bold; }
.to-right.malformed .arrow::after { right: -.2em; }
.to-left.malformed .arrow::after { left: -.2em; }
.bad { background: #fdd; }
.bad .label, .end.bad { color: #b00; font-weight: bold; }
.bad .arrow { border-top-color: #b00; }
.to-right.bad .arrow::after { border-left-color: #b00; }
.to-left.bad .arrow::after { border-right-color: #b00; }
.finding { grid-column: 1 / 4; background: #fdd; color: #800; border-left: 4px solid #b00; padding: .3em .6em; margin: 0 0 .2em; font-size: 13px; }
.end { text-align: center; font-style: italic; color: #555; padding: .5em; border-bottom: 2px solid #888; }
pre { font: 12px ui-monospace, monospace; background: #f6f6f6; border: 1px solid #ddd; padding: .5em; margin: .3em .8em; overflow: auto; max-height: 30em; text-align: left; white-space: pre-wrap; word-break: break-all; }
`;
