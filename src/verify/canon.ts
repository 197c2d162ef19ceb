/**
 * Canonical form of a World: its JSON (both core states, the FIFOs, the obligations) with
 * the ids that only correlate things renamed in order of first appearance — timer ids (`"t<n>"`),
 * serve ids, execute ids, stub request ids — and the counters that mint them zeroed, so that two
 * states that differ only in numbering are one state. The finished-transactions memory is a set
 * while it has not wrapped (its ring order only decides evictions), so it is sorted then.
 * The key is a 64-bit hash (two independent 32-bit FNV-1a variants) of that text.
 */
import type { FinishedMemory } from '../core/finished.js';
import type { Item, World } from './model.js';

/**
 * A core state's JSON, cached per state object: a move that does not step a core leaves the
 * parent's object in place (copy on write, see cloneWorld), so its text is computed once. Format,
 * version and options are the same in every state of a run: left out.
 */
const coreTexts = new WeakMap<object, string>();

function coreText(core: World['peer'] | World['cc']): string {
  let t = coreTexts.get(core);
  if (t === undefined) {
    const f = core.finished;
    const finished = f.ring.length < f.capacity ? { ...f, ring: [...f.ring].sort() } : f;
    // No replacer (it would slow every state down): the few bytes a chaincode state holds (held
    // stub calls) come out as {"0":…,"1":…}, which is as faithful.
    coreTexts.set(core, (t = JSON.stringify({ ...core, format: 0, version: 0, options: 0, finished })));
  }
  return t;
}

/** FIFO items are never mutated and are shared between copies of a World: text them once. */
const itemTexts = new WeakMap<Item, string>();

function itemText(item: Item): string {
  let t = itemTexts.get(item);
  if (t === undefined) itemTexts.set(item, (t = JSON.stringify(item, bytesAsText)));
  return t;
}

function bytesAsText(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Uint8Array ? `bytes:${raw.join(',')}` : value;
}

/** One pass over the JSON text: timer ids, serve ids, execute ids, request ids, counters. */
const IDS = /"t(\d+)"|"serveId":(\d+)|"executeId":(\d+)|"(pendingId|requestId|waiting)":(\d+)|"(nextTimer|nextServe|nextExecute|nextRequest)":\d+/g;

function renamer(): (id: string) => number {
  const map = new Map<string, number>();
  return (id) => {
    let n = map.get(id);
    if (n === undefined) map.set(id, (n = map.size + 1));
    return n;
  };
}

export function canonicalText(w: World): string {
  const text = `{"peer":${coreText(w.peer)},"cc":${coreText(w.cc)},"world":${JSON.stringify({
    ...w,
    peer: 0,
    cc: 0,
    toCc: w.toCc.map(itemText),
    toPeer: w.toPeer.map(itemText),
  })}}`;
  const t = renamer();
  const sv = renamer();
  const ex = renamer();
  const rq = renamer();
  return text.replace(IDS, (m: string, timer?: string, serve?: string, execute?: string, field?: string, request?: string, counter?: string) => {
    if (timer !== undefined) return `"t${t(timer)}"`;
    if (serve !== undefined) return serve === '0' ? m : `"serveId":${sv(serve)}`;
    if (execute !== undefined) return `"executeId":${ex(execute)}`;
    if (request !== undefined) return `"${field}":${rq(request)}`;
    return `"${counter}":0`;
  });
}

/** 64-bit hash of a string as 16 hex digits (FNV-1a with two offset bases / primes). */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export function stateKey(w: World): string {
  return hash64(canonicalText(w));
}

/**
 * Copy of a World for branching: the obligation lists are copied one level down where the model
 * mutates their entries, FIFO items are shared (never mutated), and the two core states are shared
 * too — copy on write: the model copies a core with `copyCore` just before it first steps it in a
 * move (`step` mutates the state it is given). Anything else that wants to change a core of a
 * copy must copy it first.
 */
export function cloneWorld(w: World): World {
  return {
    ...w,
    toCc: w.toCc.slice(),
    toPeer: w.toPeer.slice(),
    serves: w.serves.slice(),
    timers: w.timers.slice(),
    apps: w.apps.map((a) => ({ ...a })),
    executes: w.executes.map((x) => ({ ...x })),
    requests: w.requests.slice(),
    peerOut: w.peerOut.slice(),
    ccOut: w.ccOut.slice(),
    disturbed: w.disturbed.slice(),
  };
}

/** Deep copy of a core state, byte arrays shared (nothing writes into payload bytes). */
export function copyCore<T extends World['peer'] | World['cc']>(core: T): T {
  return copy(core) as T;
}

function copy(x: unknown): unknown {
  if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x;
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = copy(x[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in x) out[k] = copy((x as Record<string, unknown>)[k]);
  return out;
}
