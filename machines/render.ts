/**
 * Views of the charts for tools and people: each chart's createMachine config as plain JSON, and a
 * Mermaid stateDiagram-v2 (what `npm run gen:docs` writes to docs/ and `ccproto charts` prints).
 *
 * Diagram conventions. Edges that change state are arrows labelled `events [guard] / actions`;
 * transitions with the same source, target, guard and actions share one arrow, and long event lists
 * are shortened (`recv.GET_STATE … (15 request types)`). `[else]` marks the unguarded fallback of a
 * guarded choice. Transitions that stay in the state go into a note beside it, one line per group.
 * Mermaid's state-diagram lexer ends a label at `:` `;` or a newline, so labels are checked for
 * those (and for `*`, `#`, `<`, `>`, which the renderer treats specially) before anything is written.
 */
import type { AnyStateMachine } from 'xstate';
import { REQUEST_TYPES } from '../src/protocol/messageType.js';
import { chaincodeHandlerMachine } from './chaincodeHandler.machine.js';
import { chaincodeTxMachine } from './chaincodeTx.machine.js';
import { peerHandlerMachine } from './peerHandler.machine.js';
import { peerTxMachine } from './peerTx.machine.js';

/** The four charts, by the names tools and docs use. */
export const CHARTS: readonly { name: string; machine: AnyStateMachine; summary: string }[] = [
  { name: 'peerHandler', machine: peerHandlerMachine, summary: 'Peer side, one chaincode connection.' },
  { name: 'peerTx', machine: peerTxMachine, summary: 'Peer side, one transaction (one (channel, txid) context).' },
  { name: 'chaincodeHandler', machine: chaincodeHandlerMachine, summary: 'Chaincode side, one connection to a peer.' },
  { name: 'chaincodeTx', machine: chaincodeTxMachine, summary: 'Chaincode side, one transaction.' },
];

/** Note lines are wrapped at commas past this width (Mermaid does not wrap notes itself). */
const NOTE_WIDTH = 72;


// ---- reading a chart ---------------------------------------------------------------------------

export interface Edge {
  source: string;
  /** Undefined: the transition does not change state. */
  target: string | undefined;
  /** Event descriptor (`recv.GET_STATE`, `recv.*`, `always`). */
  event: string;
  /** Guard name, `else` for the unguarded fallback of a guarded list, or undefined. */
  guard: string | undefined;
  actions: string[];
}

export interface StateInfo {
  key: string;
  description: string | undefined;
  final: boolean;
  entry: string[];
  edges: Edge[];
}

const nameOf = (x: unknown): string => (typeof x === 'string' ? x : (x as { type?: unknown }).type !== undefined ? String((x as { type: unknown }).type) : '(inline)');

/** A chart's states and transitions, from XState's own normalised state nodes. */
export function readChart(machine: AnyStateMachine): { initial: string; states: StateInfo[] } {
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
  if (FORBIDDEN.test(label)) throw new Error(`chart diagram: label for ${where} contains a character Mermaid cannot take: ${JSON.stringify(label)}`);
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

/** The chart as one Mermaid stateDiagram-v2. */
export function chartMermaid(machine: AnyStateMachine): string {
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

/** The chart's createMachine config as plain JSON: what state-chart tools import. Action and guard
 *  names are strings (their implementations live in src/core), so nothing is lost. */
export function chartJson(machine: AnyStateMachine): unknown {
  return JSON.parse(JSON.stringify(machine.config)) as unknown;
}
