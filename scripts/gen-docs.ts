/**
 * Generates the docs that are views of the charts and of the allowed-message table, so that they
 * cannot drift from the code (test/docs/diagrams.test.ts fails when a committed copy differs):
 *
 *   docs/diagrams/<chart>.md   one Mermaid stateDiagram-v2 per chart in machines/
 *   docs/protocol-table.md     src/protocol/table.ts as one matrix per side
 *   README.md                  the two handler diagrams between `<!-- diagrams:start -->` and
 *                              `<!-- diagrams:end -->`, if README.md has those markers
 *
 * Usage: `npm run gen:docs` (writes the files). `renderDocs()` returns the same content without
 * writing, for the test.
 *
 * Diagram conventions. Edges that change state are arrows labelled `events [guard] / actions`;
 * transitions with the same source, target, guard and actions share one arrow, and long event lists
 * are shortened (`recv.GET_STATE … (15 request types)`). `[else]` marks the unguarded fallback of a
 * guarded choice. Transitions that stay in the state go into a note beside it, one line per group.
 * Mermaid's state-diagram lexer ends a label at `:` `;` or a newline, so labels are checked for
 * those (and for `*`, `#`, `<`, `>`, which the renderer treats specially) before anything is written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { chaincodeHandlerMachine, chaincodeTxMachine, peerHandlerMachine, peerTxMachine } from '../machines/index.js';
import { ALL_MESSAGE_TYPES, MessageType, REQUEST_TYPES } from '../src/protocol/messageType.js';
import { ALLOWED_MESSAGES, CHAINCODE_HANDLER_STATES, PEER_HANDLER_STATES, dispositionOf, type Disposition } from '../src/protocol/table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const CHARTS: { name: string; machine: AnyStateMachine; summary: string }[] = [
  { name: 'peerHandler', machine: peerHandlerMachine, summary: 'Peer side, one chaincode connection.' },
  { name: 'peerTx', machine: peerTxMachine, summary: 'Peer side, one transaction (one (channel, txid) context).' },
  { name: 'chaincodeHandler', machine: chaincodeHandlerMachine, summary: 'Chaincode side, one connection to a peer.' },
  { name: 'chaincodeTx', machine: chaincodeTxMachine, summary: 'Chaincode side, one transaction.' },
];
const HANDLER_CHARTS = ['peerHandler', 'chaincodeHandler'];

/** Note lines are wrapped at commas past this width (Mermaid does not wrap notes itself). */
const NOTE_WIDTH = 72;

const README_START = '<!-- diagrams:start -->';
const README_END = '<!-- diagrams:end -->';

// ---- reading a chart ---------------------------------------------------------------------------

interface Edge {
  source: string;
  /** Undefined: the transition does not change state. */
  target: string | undefined;
  /** Event descriptor (`recv.GET_STATE`, `recv.*`, `always`). */
  event: string;
  /** Guard name, `else` for the unguarded fallback of a guarded list, or undefined. */
  guard: string | undefined;
  actions: string[];
}

interface StateInfo {
  key: string;
  description: string | undefined;
  final: boolean;
  entry: string[];
  edges: Edge[];
}

const nameOf = (x: unknown): string => (typeof x === 'string' ? x : (x as { type?: unknown }).type !== undefined ? String((x as { type: unknown }).type) : '(inline)');

/** A chart's states and transitions, from XState's own normalised state nodes. */
function readChart(machine: AnyStateMachine): { initial: string; states: StateInfo[] } {
  const root = machine.root;
  const initial = (machine.config as { initial: string }).initial;
  const states = Object.entries(root.states).map(([key, node]): StateInfo => {
    const edges: Edge[] = [];
    const add = (event: string, list: readonly { target?: readonly { key: string }[] | undefined; guard?: unknown; actions: readonly unknown[] }[]) => {
      list.forEach((t, i) => {
        const guarded = list.slice(0, i).some((earlier) => earlier.guard !== undefined);
        const target = t.target?.[0]?.key;
        edges.push({
          source: key,
          target: target === key ? undefined : target,
          event,
          guard: t.guard !== undefined ? nameOf(t.guard) : guarded ? 'else' : undefined,
          actions: t.actions.map(nameOf),
        });
      });
    };
    for (const [event, list] of node.transitions) add(event, list);
    if (node.always) add('always', node.always);
    return {
      key,
      description: node.description,
      final: node.type === 'final',
      entry: node.entry.map(nameOf),
      edges,
    };
  });
  return { initial, states };
}

// ---- labels ------------------------------------------------------------------------------------

/** Characters Mermaid's state-diagram lexer or renderer would take for syntax inside a label. */
const FORBIDDEN = /[:;#*<>\n]/;

function checked(label: string, where: string): string {
  if (FORBIDDEN.test(label)) throw new Error(`gen-docs: label for ${where} contains a character Mermaid cannot take: ${JSON.stringify(label)}`);
  return label;
}

/**
 * One event list, compactly: wildcards spelled out (`recv.(any other type)`), the 15 request
 * types folded into one item, other `recv.*` types listed.
 */
function compactEvents(events: string[], stateHasExplicitRecv: boolean): string[] {
  const out: string[] = [];
  const recvTypes = events.filter((e) => e.startsWith('recv.') && e !== 'recv.*').map((e) => e.slice('recv.'.length));
  const requests = REQUEST_TYPES.filter((t) => recvTypes.includes(t));
  const foldRequests = requests.length === REQUEST_TYPES.length;
  let requestsWritten = false;
  for (const e of events) {
    if (e === '*') out.push('(any event)');
    else if (e.endsWith('.*')) {
      const prefix = e.slice(0, -2);
      out.push(prefix === 'recv' ? (stateHasExplicitRecv ? 'recv.(any other type)' : 'recv.(any type)') : `${prefix}.(any)`);
    } else if (foldRequests && e.startsWith('recv.') && (REQUEST_TYPES as readonly string[]).includes(e.slice('recv.'.length))) {
      if (!requestsWritten) out.push(`recv.${REQUEST_TYPES[0]} … (${REQUEST_TYPES.length} request types)`);
      requestsWritten = true;
    } else out.push(e);
  }
  return out;
}

interface Group {
  source: string;
  target: string | undefined;
  guard: string | undefined;
  actions: string[];
  events: string[];
}

/** Transitions with the same source, target, guard and actions, in order of first appearance. */
function groupEdges(edges: Edge[]): Group[] {
  const groups = new Map<string, Group>();
  for (const e of edges) {
    const key = JSON.stringify([e.source, e.target ?? null, e.guard ?? null, e.actions]);
    const g = groups.get(key);
    if (g) g.events.push(e.event);
    else groups.set(key, { source: e.source, target: e.target, guard: e.guard, actions: e.actions, events: [e.event] });
  }
  return [...groups.values()];
}

/** `events [guard] / actions`, as one line (arrows) or wrapped at commas (notes). */
function labelLines(g: Group, state: StateInfo, width = Infinity): string[] {
  const explicitRecv = state.edges.some((e) => e.event.startsWith('recv.') && e.event !== 'recv.*');
  let tail = '';
  if (g.guard) tail += ` [${g.guard}]`;
  if (g.actions.length) tail += ` / ${g.actions.join(', ')}`;
  const items = compactEvents(g.events, explicitRecv);
  const lines: string[] = [];
  let line = '';
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : `${item}${tail}`;
    if (line && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = `  ${piece}`;
    } else line = line ? `${line} ${piece}` : piece;
  });
  lines.push(line);
  return lines.map((l) => checked(l, `${g.source} → ${g.target ?? g.source}`));
}
const label = (g: Group, state: StateInfo) => labelLines(g, state)[0]!;

// ---- one diagram -------------------------------------------------------------------------------

function mermaid(machine: AnyStateMachine): string {
  const { initial, states } = readChart(machine);
  const lines = ['stateDiagram-v2', `  [*] --> ${initial}`];
  for (const s of states) {
    if (s.entry.length) lines.push(`  ${s.key} : ${checked(`entry / ${s.entry.join(', ')}`, `${s.key} entry`)}`);
  }
  for (const s of states) {
    for (const g of groupEdges(s.edges)) {
      if (g.target !== undefined) lines.push(`  ${s.key} --> ${g.target} : ${label(g, s)}`);
    }
  }
  for (const s of states) if (s.final) lines.push(`  ${s.key} --> [*]`);
  for (const s of states) {
    const stays = groupEdges(s.edges).filter((g) => g.target === undefined);
    if (!stays.length) continue;
    lines.push(`  note right of ${s.key}`, `    stays in ${s.key}`);
    for (const g of stays) for (const l of labelLines(g, s, NOTE_WIDTH)) lines.push(`    ${l}`);
    lines.push('  end note');
  }
  return lines.join('\n');
}

function diagramDoc(chart: (typeof CHARTS)[number]): string {
  const { states } = readChart(chart.machine);
  const rows = states.map((s) => {
    const transient = s.edges.some((e) => e.event === 'always' && e.guard === undefined);
    const kind = s.final ? ' (final)' : transient ? ' (transient: left at once by `always`)' : '';
    const text = (s.description ?? '').replace(/\|/g, '\\|');
    return `| \`${s.key}\`${kind} | ${text} |`;
  });
  return [
    `# ${chart.name}`,
    '',
    `Generated by \`npm run gen:docs\` from \`machines/${chart.name}.machine.ts\` — do not edit.`,
    '',
    chart.summary,
    '',
    '| state | waits for / means |',
    '| --- | --- |',
    ...rows,
    '',
    'Arrows are labelled `events [guard] / actions`; `[else]` is the fallback when the guard before it fails.',
    'Notes list the transitions that stay in their state.',
    '',
    '```mermaid',
    mermaid(chart.machine),
    '```',
    '',
  ].join('\n');
}

// ---- the protocol table ------------------------------------------------------------------------

const DISPOSITIONS: [Disposition, string][] = [
  ['handshake', 'advances the handshake'],
  ['startTx', 'starts a transaction'],
  ['route', 'routed to its transaction by (channel, txid)'],
  ['ignore', 'accepted and ignored'],
  ['echo', 'answered with the same message'],
];

function sideTable(side: 'peer' | 'chaincode', states: readonly string[]): string[] {
  const header = `| message type | ${states.map((s) => `\`${s}\``).join(' | ')} |`;
  const rule = `| --- | ${states.map(() => ':---:').join(' | ')} |`;
  const rows = ALL_MESSAGE_TYPES.map((type) => `| ${type === 'UNKNOWN' ? 'UNKNOWN (any other number)' : `${type} (${MessageType[type]})`} | ${states.map((s) => dispositionOf(side, s, type) ?? '—').join(' | ')} |`);
  return [header, rule, ...rows];
}

function protocolTableDoc(): string {
  // Every state of the table must be a column (a state added to table.ts shows up here).
  for (const [side, states] of [['peer', PEER_HANDLER_STATES], ['chaincode', CHAINCODE_HANDLER_STATES]] as const) {
    const inTable = Object.keys(ALLOWED_MESSAGES[side]);
    if (inTable.join() !== [...states].join()) throw new Error(`gen-docs: ${side} states ${inTable.join()} differ from ${states.join()}`);
  }
  return [
    '# Allowed messages per handler state',
    '',
    'Generated by `npm run gen:docs` from `src/protocol/table.ts` — do not edit.',
    '',
    'What each handler does with each message type in each of its states. A `—` is a violation:',
    'the message is never dropped silently but named (`UNEXPECTED_MESSAGE`, `STREAM_CLOSED`, …) and',
    'answered as src/protocol/wireError.ts says.',
    '',
    ...DISPOSITIONS.map(([d, text]) => `- \`${d}\`: ${text}`),
    '',
    '## Peer side (peerHandler)',
    '',
    ...sideTable('peer', PEER_HANDLER_STATES),
    '',
    '## Chaincode side (chaincodeHandler)',
    '',
    ...sideTable('chaincode', CHAINCODE_HANDLER_STATES),
    '',
  ].join('\n');
}

// ---- README section ----------------------------------------------------------------------------

function readmeSection(): string {
  const parts = HANDLER_CHARTS.map((name) => {
    const chart = CHARTS.find((c) => c.name === name)!;
    return [`### ${name}`, '', chart.summary, `Full page: [docs/diagrams/${name}.md](docs/diagrams/${name}.md).`, '', '```mermaid', mermaid(chart.machine), '```'].join('\n');
  });
  return ['', '<!-- generated by npm run gen:docs from machines/ — do not edit between the markers -->', '', parts.join('\n\n'), ''].join('\n');
}

/** README.md with the section between the markers replaced, or undefined when there is nothing to do. */
function renderReadme(root: string): string | undefined {
  const path = join(root, 'README.md');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return text.slice(0, start + README_START.length) + readmeSection() + text.slice(end);
}

// ---- entry points ------------------------------------------------------------------------------

/**
 * Every generated file: repository-relative path -> content. Pure apart from reading
 * `<root>/README.md` (its text outside the markers is kept as it is).
 */
export function renderDocs(root: string = ROOT): Record<string, string> {
  const out: Record<string, string> = {};
  for (const chart of CHARTS) out[`docs/diagrams/${chart.name}.md`] = diagramDoc(chart);
  out['docs/protocol-table.md'] = protocolTableDoc();
  const readme = renderReadme(root);
  if (readme !== undefined) out['README.md'] = readme;
  return out;
}

/** Writes the files whose content changed; returns their paths. */
export function writeDocs(root: string = ROOT): string[] {
  const written: string[] = [];
  for (const [rel, content] of Object.entries(renderDocs(root))) {
    const path = join(root, rel);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(rel);
  }
  return written;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const written = writeDocs();
  process.stdout.write(written.length ? `gen:docs wrote ${written.join(', ')}\n` : 'gen:docs: everything up to date\n');
}
