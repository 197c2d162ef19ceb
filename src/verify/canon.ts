/**
 * Canonical key of a World: a 64-bit hash of a token stream that carries exactly what the World's
 * JSON text carries (both core states, then the FIFOs and the obligations, in JSON key order),
 * with the ids that only correlate things — timer ids (`"t<n>"` strings, as values or keys), serve
 * ids (`serveId`, 0 = none is kept), execute ids (`executeId`), stub request ids (`pendingId`,
 * `requestId`, `waiting`) — renamed in order of first appearance and the counters that mint them
 * (`nextTimer`, `nextServe`, `nextExecute`, `nextRequest`) zeroed, so that two states that differ
 * only in numbering are one state. Format, version and options are the same in every state of a
 * run: zeroed. The finished-transactions memory is a set while it has not wrapped (its ring order
 * only decides evictions), so its ring is sorted then. test/verify/canonText.ts is the same
 * definition as JSON text plus a regex pass (the explorer's first version); the test checks that
 * both make the same states one.
 *
 * Why tokens and not text: writing ~1.5 kB of JSON, renaming by regex and hashing it char by char
 * was 55% of the explorer's time. The tokens (tokens.ts) intern strings (a Map lookup: V8 caches
 * string hashes); a core state's tokens are computed once per core object, with its ids raw (core states are shared
 * between Worlds and never mutated, see memo.ts), and the renaming happens while hashing. Ids are
 * below 2³¹ (they count moves).
 */
import { itemNumber } from './items.js';
import type { World } from './model.js';
import { ARR, END, EXECUTE, FALSE, INT, ITEM, NULL, OBJ, REQUEST, SERVE, TIMER, TRUE, Tokens, str, value } from './tokens.js';

const byChannelThenTxid = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** Core-state keys that are the same in every state of a run. */
const CONSTANT = new Set(['format', 'version', 'options']);

/** A core state's tokens with raw ids, kept per core object (core states in Worlds are never mutated). */
interface CoreTokens {
  tokens: Int32Array;
  ids: number[];
}
const coreCache = new WeakMap<object, CoreTokens>();
const scratch = new Tokens();

function coreTokens(core: World['peer'] | World['cc']): CoreTokens {
  let c = coreCache.get(core);
  if (c === undefined) coreCache.set(core, (c = tokenizeCore(core)));
  return c;
}

function tokenizeCore(core: World['peer'] | World['cc']): CoreTokens {
  const t = scratch;
  t.reset();
  t.push(OBJ);
  for (const k in core) {
    const v = (core as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const key = str(t, k);
    if (CONSTANT.has(k)) t.push2(INT, 0);
    else if (k === 'finished') {
      const f = core.finished;
      value(t, f.ring.length < f.capacity ? { ...f, ring: [...f.ring].sort(byChannelThenTxid) } : f, key);
    } else value(t, v, key);
  }
  t.push(END);
  return { tokens: t.buf.slice(0, t.n), ids: t.ids.slice() };
}

/**
 * The World's own part, field by field in the World's key order (JSON's), without the keys: every
 * World has the same fields (WORLD_FIELDS; the test checks them against a World). The cores are
 * hashed before it; the id counters nextExecute and nextRequest are zeroed, so left out.
 */
export const WORLD_FIELDS = ['peer', 'cc', 'toCc', 'toPeer', 'ended', 'peerClosed', 'ccClosed', 'ready', 'serves', 'timers', 'apps', 'executes', 'requests', 'peerOut', 'ccOut', 'executed', 'nextExecute', 'nextRequest', 'fires', 'shutdowns', 'drops', 'faults', 'serveFailures', 'disturbed'];

function worldTokens(w: World, t: Tokens): void {
  t.reset();
  fifo(t, w.toCc);
  fifo(t, w.toPeer);
  t.push(w.ended ? TRUE : FALSE);
  t.push(w.peerClosed ? TRUE : FALSE);
  t.push(w.ccClosed ? TRUE : FALSE);
  t.push(w.ready ? TRUE : FALSE);
  t.push(ARR);
  for (const s of w.serves) {
    if (s.serveId === 0) t.push2(INT, 0);
    else t.id(SERVE, s.serveId);
    strings(t, s.channelId, s.txid, s.key);
  }
  t.push(END);
  t.push(ARR);
  for (const x of w.timers) strings(t, x.id, x.kind);
  t.push(END);
  t.push(ARR);
  for (const a of w.apps) {
    strings(t, a.key, a.channelId, a.txid);
    t.push2(INT, a.step);
    if (a.waiting === null) t.push(NULL);
    else t.id(REQUEST, a.waiting);
    t.push(a.errored ? TRUE : FALSE);
  }
  t.push(END);
  t.push(ARR);
  for (const x of w.executes) {
    t.id(EXECUTE, x.executeId);
    str(t, x.key);
    t.push2(INT, x.settled);
  }
  t.push(END);
  t.push(ARR);
  for (const r of w.requests) t.id(REQUEST, r.requestId);
  t.push(END);
  list(t, w.peerOut);
  list(t, w.ccOut);
  t.push2(INT, w.executed);
  t.push2(INT, w.fires);
  t.push2(INT, w.shutdowns);
  t.push2(INT, w.drops);
  t.push2(INT, w.faults);
  t.push2(INT, w.serveFailures);
  list(t, w.disturbed);
}

function fifo(t: Tokens, items: World['toCc']): void {
  t.push(ARR);
  for (const item of items) t.push2(ITEM, itemNumber(item));
  t.push(END);
}

function strings(t: Tokens, ...xs: string[]): void {
  for (const x of xs) str(t, x);
}

function list(t: Tokens, xs: string[]): void {
  t.push(ARR);
  for (const x of xs) str(t, x);
  t.push(END);
}

/**
 * Renaming in order of first appearance and a 64-bit hash, in one pass over the streams: two
 * independent 32-bit lanes (a murmur3 round and an xxHash32 round per int, each finalised), so
 * a collision needs both; at 10⁶ states the chance of any is about 3·10⁻⁸.
 */
class Hasher {
  h1 = 0;
  h2 = 0;
  n = 0;
  private readonly renames = [new Renamer(), new Renamer(), new Renamer(), new Renamer()];

  start(): void {
    this.h1 = 0x9747b28c;
    this.h2 = 0x165667b1;
    this.n = 0;
    for (const r of this.renames) r.reset();
  }

  /** Hash tokens[0, end), the ints at the positions in `ids` renamed. */
  feed(tokens: Int32Array, ids: number[], end: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    let next = ids.length ? ids[0]! : -1;
    let j = 0;
    for (let i = 0; i < end; i++) {
      let x = tokens[i]!;
      if (i === next) {
        x = this.renames[TIMER - tokens[i - 1]!]!.rename(x);
        next = ++j < ids.length ? ids[j]! : -1;
      }
      let k = Math.imul(x, 0xcc9e2d51);
      k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
      h1 ^= k;
      h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
      h2 = (h2 + Math.imul(x, 0x85ebca77)) | 0;
      h2 = Math.imul((h2 << 13) | (h2 >>> 19), 0x9e3779b1);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.n += end;
  }

  /** Finalise into out[0], out[1]. */
  finish(out: Uint32Array): void {
    let h = this.h1 ^ this.n;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    out[0] = h ^ (h >>> 16);
    let g = this.h2 ^ this.n;
    g = Math.imul(g ^ (g >>> 15), 0x85ebca77);
    g = Math.imul(g ^ (g >>> 13), 0xc2b2ae3d);
    out[1] = g ^ (g >>> 16);
  }
}

/**
 * Renaming in order of first appearance (1, 2, …), reset per state without clearing anything: an
 * entry counts only when stamped with the current state's generation. Raw ids are small (counters
 * and interned string numbers); a large one goes to a Map.
 */
class Renamer {
  private stamp = new Int32Array(256);
  private to = new Int32Array(256);
  private large = new Map<number, number>();
  private generation = 0;
  private count = 0;

  reset(): void {
    if (++this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.count = 0;
    if (this.large.size) this.large.clear();
  }

  rename(raw: number): number {
    if (raw >= this.stamp.length) {
      if (raw >= 1 << 16) {
        let id = this.large.get(raw);
        if (id === undefined) this.large.set(raw, (id = ++this.count));
        return id;
      }
      this.grow(raw);
    }
    if (this.stamp[raw] !== this.generation) {
      this.stamp[raw] = this.generation;
      this.to[raw] = ++this.count;
    }
    return this.to[raw]!;
  }

  private grow(raw: number): void {
    const size = Math.max(raw + 1, this.stamp.length * 2);
    const stamp = new Int32Array(size);
    const to = new Int32Array(size);
    stamp.set(this.stamp);
    to.set(this.to);
    this.stamp = stamp;
    this.to = to;
  }
}

const hasher = new Hasher();
const worldScratch = new Tokens();

/** The state's 64-bit key into out[0] (high) and out[1] (low). */
export function hashState(w: World, out: Uint32Array): void {
  const peer = coreTokens(w.peer);
  const cc = coreTokens(w.cc);
  worldTokens(w, worldScratch);
  hasher.start();
  hasher.feed(peer.tokens, peer.ids, peer.tokens.length);
  hasher.feed(cc.tokens, cc.ids, cc.tokens.length);
  hasher.feed(worldScratch.buf, worldScratch.ids, worldScratch.n);
  hasher.finish(out);
}

const keyOut = new Uint32Array(2);

/** The key as 16 hex digits (tests, debugging). */
export function stateKey(w: World): string {
  hashState(w, keyOut);
  return keyOut[0]!.toString(16).padStart(8, '0') + keyOut[1]!.toString(16).padStart(8, '0');
}
