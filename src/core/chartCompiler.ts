/**
 * Compiles an XState v5 chart (the machines in machines/, the single source of truth) into a
 * lookup table that steps in well under a microsecond, where XState's pure `transition()` costs
 * ~20 µs (docs/decisions/0001-compiled-charts.md). Equality with XState is proven by test/core/chart.differential.prop.test.ts.
 *
 * Supported subset (all our charts use only this; `compileChart` rejects anything else, so a chart
 * edit that leaves the subset fails loudly at load time instead of silently diverging):
 *   - flat charts: atomic states only, targets are sibling state names;
 *   - `on` with exact event types, partial wildcards (`recv.*`) and `*`;
 *   - transitions `{ target?, guard?, actions? }` (guard and actions by name), or arrays of them;
 *   - `always` (eventless) transitions, `entry` actions, `type: 'final'`.
 * Selection follows XState v5: the candidates are the transitions for the exact event type, then
 * those of every matching wildcard, longest descriptor first (`recv.*` matches `recv` and
 * `recv.<anything>`; `*` matches everything). The first candidate whose guard passes is taken. Actions run as: transition actions, then the target's entry
 * actions, then any `always` transition of the target (repeated). Named actions listed in
 * `assigners` update the context (XState `assign`) and are not reported; all others are reported.
 */
import type { AnyStateMachine } from 'xstate';

export type Guard<C, E> = (context: C, event: E) => boolean;
export type Assigner<C, E> = (context: C, event: E) => C;

export interface CompiledTransition {
  /** Stable id for coverage reports: `<source>|<event descriptor>|<index>`. */
  id: string;
  source: string;
  event: string;
  target: string | undefined;
  guard: string | undefined;
  actions: readonly string[];
  /** Resolved at compile time, so that a step looks no name up: the guard's implementation, and
   *  the actions split into context updates (assigners, in order) and effect action names. */
  readonly test: Guard<never, never> | undefined;
  readonly plan: ActionPlan;
  /**
   * The transition with its target's entry actions appended (when it changes state): the whole
   * macrostep when the state it ends in has no `always` transition (`settles`), which is the
   * common case. Set once the chart is compiled.
   */
  readonly macro: Macrostep;
}

/** A transition and its target's entry, resolved (see CompiledTransition.macro). */
export interface Macrostep extends ActionPlan {
  readonly value: string;
  /** No `always` transition leaves `value`: the macrostep ends there. */
  readonly settles: boolean;
}

/** An effect action's implementation, as `bindActions` joined it to its name. */
export type ActionFn = (...args: never[]) => void;

/** A list of named actions, resolved: the assigners to apply in order, the effect names to report
 *  and, once `bindActions` ran, their implementations (`run`, in the same order). */
export interface ActionPlan {
  readonly assigners: readonly Assigner<never, never>[];
  readonly effects: readonly string[];
  readonly run: readonly ActionFn[];
}

export interface CompiledChart<C, E extends { type: string }> {
  id: string;
  initial: string;
  /** The chart's `context` (a plain object; a context factory is outside the subset). */
  initialContext: Readonly<C>;
  states: readonly string[];
  finals: ReadonlySet<string>;
  transitions: readonly CompiledTransition[];
  entry: Readonly<Record<string, readonly string[]>>;
  /** `entry`, resolved (see CompiledTransition.plan). */
  entryPlan: Readonly<Record<string, ActionPlan>>;
  always: Readonly<Record<string, readonly CompiledTransition[]>>;
  guards: Readonly<Record<string, Guard<C, E>>>;
  assigners: Readonly<Record<string, Assigner<C, E>>>;
  /** Candidates for an event type in a state (cached). */
  candidates(state: string, eventType: string): readonly CompiledTransition[];
}

/** What a step reports. Shared with the compiled chart (a step that ends where one transition
 *  leads reports the same object each time its context is the same): read it, never change it. */
export interface StepOutcome<C> {
  readonly value: string;
  readonly context: C;
  /** The names of the effect actions to run, in order. */
  readonly actions: readonly string[];
  /** Their implementations, in the same order, once `bindActions` joined them (else empty): a
   *  step calls these instead of looking each name up. */
  readonly run: readonly ActionFn[];
}

type RawTransition = string | { target?: string; guard?: string; actions?: string | string[] };

function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

export function compileChart<C, E extends { type: string }>(
  machine: AnyStateMachine,
  impl: { guards?: Record<string, Guard<C, E>>; assigners?: Record<string, Assigner<C, E>> },
): CompiledChart<C, E> {
  const config = machine.config as {
    id: string;
    initial: string;
    context?: unknown;
    type?: string;
    on?: unknown;
    entry?: unknown;
    exit?: unknown;
    always?: unknown;
    after?: unknown;
    invoke?: unknown;
    states: Record<string, { on?: Record<string, RawTransition | RawTransition[]>; always?: RawTransition | RawTransition[]; entry?: string | string[]; exit?: unknown; type?: string; states?: unknown; after?: unknown; invoke?: unknown }>;
  };
  const guards = impl.guards ?? {};
  const assigners = impl.assigners ?? {};
  for (const rootKey of ['on', 'entry', 'exit', 'always', 'after', 'invoke'] as const) {
    if (config[rootKey] !== undefined) throw new Error(`${config.id}: root-level '${rootKey}' is outside the compiled subset`);
  }
  if (config.type !== undefined) throw new Error(`${config.id}: a '${config.type}' root is outside the compiled subset`);
  const states = Object.keys(config.states);
  const stateSet = new Set(states);
  const transitions: CompiledTransition[] = [];
  const byState = new Map<string, Map<string, CompiledTransition[]>>();
  const entry: Record<string, string[]> = {};
  const always: Record<string, CompiledTransition[]> = {};
  const finals = new Set<string>();

  const normalise = (source: string, event: string, raw: RawTransition, index: number): CompiledTransition => {
    const t = typeof raw === 'string' ? { target: raw } : raw;
    if (typeof t !== 'object' || t === null) throw new Error(`${config.id}.${source} ${event}: unsupported transition`);
    const extra = Object.keys(t).filter((k) => !['target', 'guard', 'actions', 'description'].includes(k));
    if (extra.length) throw new Error(`${config.id}.${source} ${event}: unsupported transition keys ${extra.join(',')}`);
    if (t.target !== undefined && !stateSet.has(t.target)) throw new Error(`${config.id}.${source} ${event}: unknown target ${t.target}`);
    if (t.guard !== undefined && (typeof t.guard !== 'string' || !guards[t.guard])) {
      throw new Error(`${config.id}.${source} ${event}: guard ${String(t.guard)} has no implementation`);
    }
    const actions = asArray(t.actions);
    for (const a of actions) if (typeof a !== 'string') throw new Error(`${config.id}.${source} ${event}: actions must be names`);
    const test = t.guard === undefined ? undefined : (guards[t.guard] as unknown as Guard<never, never>);
    return { id: `${source}|${event}|${index}`, source, event, target: t.target, guard: t.guard, actions, test, plan: planOf(actions), macro: undefined as unknown as Macrostep };
  };
  // Effect actions run after the macrostep, with the context it ends with; so only the order among
  // the assigners, and among the effects, matters.
  const planOf = (names: readonly string[]): ActionPlan => ({
    assigners: names.filter((n) => assigners[n] !== undefined).map((n) => assigners[n] as unknown as Assigner<never, never>),
    effects: names.filter((n) => assigners[n] === undefined),
    run: [],
  });

  for (const s of states) {
    const node = config.states[s]!;
    for (const unsupported of ['exit', 'states', 'after', 'invoke'] as const) {
      if (node[unsupported] !== undefined) throw new Error(`${config.id}.${s}: '${unsupported}' is outside the compiled subset`);
    }
    if (node.type !== undefined && node.type !== 'atomic' && node.type !== 'final') {
      throw new Error(`${config.id}.${s}: '${node.type}' states are outside the compiled subset`);
    }
    if (node.type === 'final') finals.add(s);
    entry[s] = asArray(node.entry);
    for (const a of entry[s]) if (typeof a !== 'string') throw new Error(`${config.id}.${s}: entry actions must be names`);
    const map = new Map<string, CompiledTransition[]>();
    for (const [event, raw] of Object.entries(node.on ?? {})) {
      const list = asArray(raw as RawTransition | RawTransition[]).map((r, i) => normalise(s, event, r, i));
      map.set(event, list);
      transitions.push(...list);
    }
    byState.set(s, map);
    always[s] = asArray(node.always).map((r, i) => normalise(s, 'always', r, i));
    transitions.push(...always[s]!);
  }

  // Two-level cache (state, then event type): no key is built per step on the hot path.
  const cache = new Map<string, Map<string, readonly CompiledTransition[]>>(states.map((st) => [st, new Map()]));
  const candidates = (state: string, eventType: string): readonly CompiledTransition[] => {
    const perState = cache.get(state);
    const hit = perState?.get(eventType);
    if (hit) return hit;
    const map = byState.get(state);
    let result: readonly CompiledTransition[] = [];
    if (map) {
      const wild = [...map.keys()]
        .filter((d) => d === '*' || (d.endsWith('.*') && (eventType === d.slice(0, -2) || eventType.startsWith(d.slice(0, -1)))))
        .sort((a, b) => b.length - a.length);
      result = [...(map.get(eventType) ?? []), ...wild.flatMap((d) => map.get(d)!)];
    }
    perState?.set(eventType, result);
    return result;
  };

  if (typeof config.context === 'function') throw new Error(`${config.id}: a context factory is outside the compiled subset`);
  const initialContext = Object.freeze({ ...(config.context as C | undefined) }) as Readonly<C>;
  const entryPlan = Object.fromEntries(states.map((st) => [st, planOf(entry[st]!)]));
  for (const t of transitions) {
    const moves = t.target !== undefined && t.target !== t.source;
    const value = moves ? t.target! : t.source;
    const into = moves ? entryPlan[value]! : { assigners: [], effects: [], run: [] };
    const macro: CachedMacrostep = {
      value,
      settles: always[value]!.length === 0,
      assigners: [...t.plan.assigners, ...into.assigners],
      effects: [...t.plan.effects, ...into.effects],
      run: [],
      last: undefined,
    };
    (t as { macro: Macrostep }).macro = macro;
  }
  return { id: config.id, initial: config.initial, initialContext, states, finals, transitions, entry, entryPlan, always, guards, assigners, candidates };
}

/**
 * Joins a chart's effect actions to their implementations, at load time: first `checkActions`,
 * then every plan and macrostep of the chart carries the functions its names stand for (`run`),
 * so that a step calls them without a lookup by name. A chart is bound to one set of
 * implementations (its core's).
 */
export function bindActions(chart: CompiledChart<unknown, never>, implementations: Readonly<Record<string, ActionFn>>): void {
  checkActions(chart, implementations);
  const bind = (plan: ActionPlan) => ((plan as { run: readonly ActionFn[] }).run = plan.effects.map((n) => implementations[n]!));
  for (const t of chart.transitions) {
    bind(t.plan);
    bind(t.macro);
  }
  for (const plan of Object.values(chart.entryPlan)) bind(plan);
}

/** A step's action implementations (bindActions). A chart stepped before it was bound is a wiring
 *  bug, which fails loudly here rather than running no actions. */
export function boundRun<F extends ActionFn>(outcome: StepOutcome<unknown>): readonly F[] {
  if (outcome.run.length !== outcome.actions.length) throw new Error('core: a chart was stepped before bindActions joined its actions');
  return outcome.run as readonly F[];
}

/**
 * Checks at load time that `implementations` covers exactly the chart's effect actions: every
 * action the chart names (in transitions and entries) that is not an assigner has one, and every
 * implementation is named by the chart (a renamed action must not leave a dead one behind).
 */
export function checkActions(chart: CompiledChart<unknown, never>, implementations: object): void {
  // Exactly the names a step reports (ActionPlan.effects: assigners are left out there).
  const named = new Set<string>();
  for (const t of chart.transitions) for (const a of t.plan.effects) named.add(a);
  for (const plan of Object.values(chart.entryPlan)) for (const a of plan.effects) named.add(a);
  const implemented = new Set(Object.keys(implementations));
  const missing = [...named].filter((a) => !implemented.has(a));
  const unused = [...implemented].filter((a) => !named.has(a));
  if (missing.length) throw new Error(`${chart.id}: actions without an implementation: ${missing.join(', ')}`);
  if (unused.length) throw new Error(`${chart.id}: implementations no transition names: ${unused.join(', ')}`);
}

function pick<C, E>(list: readonly CompiledTransition[], context: C, event: E): CompiledTransition | undefined {
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (t.test === undefined || (t.test as unknown as Guard<C, E>)(context, event)) return t;
  }
  return undefined;
}

/**
 * One macrostep. Returns the new state value and context and the names of the (non-assign)
 * actions to run, in order, and reports each transition taken to `onTaken` (coverage). Returns
 * `undefined` when no transition is enabled (the event is not handled in this state: XState leaves
 * the snapshot unchanged).
 */
export function stepChart<C, E extends { type: string }>(
  chart: CompiledChart<C, E>,
  value: string,
  context: C,
  event: E,
  onTaken?: (t: CompiledTransition) => void,
): StepOutcome<C> | undefined {
  const t = pick(chart.candidates(value, event.type), context, event);
  if (!t) return undefined;
  const macro = t.macro;
  if (macro.settles) {
    // One transition and its target's entry: the outcome is the same object for the same
    // resulting context (a chart whose context a step does not change allocates nothing).
    onTaken?.(t);
    return settled(macro, assign(macro, context, event));
  }
  return chain(chart, value, t, context, NO_ACTIONS, NO_RUN, event, onTaken);
}

/**
 * Takes `t` from `value`, then every `always` transition enabled where it leads, each with its
 * target's entry (its macrostep), appending to `actions` and `run`.
 */
function chain<C, E>(
  chart: CompiledChart<C, E & { type: string }>,
  value: string,
  t: CompiledTransition | undefined,
  context: C,
  actions: readonly string[],
  run: readonly ActionFn[],
  event: E,
  onTaken: ((t: CompiledTransition) => void) | undefined,
): StepOutcome<C> {
  let ctx = context;
  let current = value;
  for (let guardLoop = 0; t; guardLoop++) {
    if (guardLoop > 100) throw new Error(`${chart.id}: eventless transition loop in ${current}`);
    onTaken?.(t);
    const macro = t.macro;
    ctx = assign(macro, ctx, event);
    actions = concat(actions, macro.effects);
    run = concat(run, macro.run);
    current = macro.value;
    t = pick(chart.always[current]!, ctx, event);
  }
  return { value: current, context: ctx, actions, run };
}

const NO_ACTIONS: readonly string[] = [];
const NO_RUN: readonly ActionFn[] = [];

/** A macrostep with the last outcome it settled with, reused while the context is the same object. */
interface CachedMacrostep extends Macrostep {
  last: StepOutcome<unknown> | undefined;
}

function settled<C>(macro: Macrostep, context: C): StepOutcome<C> {
  const m = macro as CachedMacrostep;
  const last = m.last;
  if (last !== undefined && last.context === context) return last as StepOutcome<C>;
  return (m.last = { value: m.value, context, actions: m.effects, run: m.run }) as StepOutcome<C>;
}

/** The effect names (or functions) of a macrostep: the compiled lists themselves while only one
 *  contributes (the common case), so that a step allocates no list of its own. */
function concat<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...a, ...b];
}

function assign<C, E>(plan: ActionPlan, ctx: C, event: E): C {
  const { assigners } = plan;
  for (let i = 0; i < assigners.length; i++) ctx = (assigners[i] as unknown as Assigner<C, E>)(ctx, event);
  return ctx;
}

/** Initial state of a chart: its initial value, with entry actions and `always` resolved. */
export function initialChart<C, E extends { type: string }>(chart: CompiledChart<C, E>, context: C, initEvent: E): StepOutcome<C> {
  const first = chart.entryPlan[chart.initial]!;
  const ctx = assign(first, context, initEvent);
  return chain(chart, chart.initial, pick(chart.always[chart.initial]!, ctx, initEvent), ctx, first.effects, first.run, initEvent, undefined);
}
