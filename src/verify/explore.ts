/**
 * Breadth-first exploration of every reachable World within the bounds. Each state is copied per
 * move (cloneWorld: the core states are shared, the cores' steps memoised, memo.ts), keyed
 * (canon.ts) and looked up in the set of visited keys (keyset.ts); parent links (index of the
 * parent and the move) give the shortest path to any state, replayed with the real step functions
 * to build a counterexample trace.
 */
import { hashState } from './canon.js';
import { bytesReplacer } from '../protocol/jsonBytes.js';
import { cloneWorld } from './copy.js';
import { KeySet } from './keyset.js';
import { memoized } from './memo.js';
import {
  applyMove,
  checkQuiescent,
  enabledMoves,
  initialWorld,
  isProgressMove,
  moveLabel,
  type Bounds,
  type Failure,
  type Move,
  type StepRecord,
  type Steppers,
  type World,
} from './model.js';

export interface ExploreOptions {
  steppers: Steppers;
  bounds: Bounds;
  /** Stop after this many distinct states (the result says `complete: false`). */
  maxStates?: number;
  /** Stop at the first failure (default true). */
  stopAtFirstFailure?: boolean;
}

export interface TraceLine {
  step: number;
  move: string;
  steps: StepRecord[];
  failures?: Failure[];
}

export interface Counterexample {
  failures: Failure[];
  /** The moves from the initial state, shortest first (BFS). */
  moves: Move[];
  /** One line per move with the core steps (inputs and effects) it produced. */
  trace: TraceLine[];
}

export interface ExploreResult {
  states: number;
  transitions: number;
  depth: number;
  /** States where no progress move was enabled (checked for deadlock). */
  quiescent: number;
  /** Moves not taken because a FIFO would have held more than maxChannel messages. */
  overflows: number;
  seconds: number;
  complete: boolean;
  counterexample: Counterexample | undefined;
  /** How many failing transitions / states were seen (all, if stopAtFirstFailure is false). */
  failureCount: number;
  /** Faulty deliveries explored, per message type: how many, and how many caused no violation on
   * the receiving side (a duplicate the receiver cannot tell from a fresh message). */
  faulty: Record<string, { deliveries: number; unnoticed: number; codes: string[] }>;
}

export function explore(opts: ExploreOptions): ExploreResult {
  const { bounds } = opts;
  const steppers = memoized(opts.steppers);
  const maxStates = opts.maxStates ?? Infinity;
  const stopAtFirst = opts.stopAtFirstFailure ?? true;
  const start = performance.now();
  const init = initialWorld(steppers, bounds.maxTxs, bounds.keepaliveMs);
  const key = new Uint32Array(2);
  const seen = new KeySet();
  hashState(init, key);
  seen.add(key[0]!, key[1]!);
  const parent: number[] = [-1];
  const via: (Move | null)[] = [null];
  let frontier: { w: World; id: number }[] = [{ w: init, id: 0 }];
  let transitions = 0;
  let depth = 0;
  let quiescent = 0;
  let overflows = 0;
  let failureCount = 0;
  let first: { id: number; move: Move | null; failures: Failure[] } | undefined;
  let complete = true;
  const faulty: ExploreResult['faulty'] = {};

  search: while (frontier.length) {
    const next: { w: World; id: number }[] = [];
    for (const { w, id } of frontier) {
      const moves = enabledMoves(w, bounds);
      if (!moves.some(isProgressMove)) {
        quiescent++;
        const f = checkQuiescent(w, bounds);
        if (f.length) {
          failureCount++;
          first ??= { id, move: null, failures: f };
          if (stopAtFirst) break search;
        }
      }
      for (const move of moves) {
        const w2 = cloneWorld(w);
        const { ok, failures, faulty: f } = applyMove(w2, move, steppers, bounds);
        if (!ok) {
          overflows++;
          continue;
        }
        transitions++;
        if (f) {
          const side = move.k === 'deliverToPeer' ? 'peer:' : 'chaincode:';
          const entry = (faulty[`${side}${f.type}`] ??= { deliveries: 0, unnoticed: 0, codes: [] });
          entry.deliveries++;
          if (!f.violations.some((v) => v.startsWith(side))) entry.unnoticed++;
          for (const v of f.violations) if (!entry.codes.includes(v)) entry.codes.push(v);
        }
        if (failures.length) {
          failureCount++;
          first ??= { id, move, failures };
          if (stopAtFirst) break search;
        }
        hashState(w2, key);
        if (seen.has(key[0]!, key[1]!)) continue;
        if (seen.size >= maxStates) {
          complete = false;
          break search;
        }
        seen.add(key[0]!, key[1]!);
        parent.push(id);
        via.push(move);
        next.push({ w: w2, id: parent.length - 1 });
      }
    }
    frontier = next;
    if (next.length) depth++;
  }
  if (first) complete = false;

  let counterexample: Counterexample | undefined;
  if (first) {
    const moves: Move[] = [];
    for (let i = first.id; i > 0; i = parent[i]!) moves.unshift(via[i]!);
    if (first.move) moves.push(first.move);
    counterexample = { failures: first.failures, moves, trace: replay(opts.steppers, bounds, moves) };
  }
  return {
    states: seen.size,
    transitions,
    depth,
    quiescent,
    overflows,
    seconds: (performance.now() - start) / 1000,
    complete,
    counterexample,
    failureCount,
    faulty,
  };
}

/** Replay moves from the initial state, recording every core step and the failures of each move. */
export function replay(steppers: Steppers, bounds: Bounds, moves: Move[]): TraceLine[] {
  const w = initialWorld(steppers, bounds.maxTxs, bounds.keepaliveMs);
  const lines: TraceLine[] = [];
  moves.forEach((move, i) => {
    const steps: StepRecord[] = [];
    const { failures } = applyMove(w, move, steppers, bounds, steps);
    const line: TraceLine = { step: i + 1, move: moveLabel(move), steps };
    if (failures.length) line.failures = failures;
    lines.push(line);
  });
  const last = lines[lines.length - 1];
  if (!enabledMoves(w, bounds).some(isProgressMove)) {
    const q = checkQuiescent(w, bounds);
    if (q.length && last) last.failures = [...(last.failures ?? []), ...q];
  }
  return lines;
}

/** A counterexample as JSON Lines: one move per line with the core steps it produced (bytes as base64). */
export function traceToJsonl(trace: TraceLine[]): string {
  return trace.map((l) => JSON.stringify(l, bytesReplacer)).join('\n') + '\n';
}

/**
 * A counterexample as a trace of the conformance kit (docs/conformance.md, "Traces"): one record per
 * message a core received, `from` the side that sent it, in the order the moves delivered them, and
 * the stream's end; `t` is the move's number, and each message record lists under `moves` the
 * environment moves since the previous one (an execute, a timer fire, a served request, …), so
 * `ccproto check` replays the wire and `ccproto trace render` draws it.
 */
export function counterexampleTrace(trace: TraceLine[]): string {
  const records: unknown[] = [{ t: 0, stream: 1, event: 'open', mode: 'register' }];
  let seq = 0;
  let moves: string[] = [];
  let ended = false;
  for (const line of trace) {
    let delivered = false;
    for (const st of line.steps) {
      const input = st.input as { kind: string; message?: unknown; reason?: string };
      if (input.kind === 'recv') {
        records.push({ t: line.step, stream: 1, seq: seq++, from: st.side === 'peer' ? 'chaincode' : 'peer', message: input.message, moves: [...moves, line.move] });
        moves = [];
        delivered = true;
      } else if (input.kind === 'transportClosed' && !ended) {
        records.push({ t: line.step, stream: 1, event: 'end', reason: input.reason ?? 'closed' });
        ended = true;
      }
    }
    if (!delivered) moves.push(line.move);
  }
  return records.map((r) => JSON.stringify(r, bytesReplacer)).join('\n') + '\n';
}

