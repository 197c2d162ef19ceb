/**
 * The reference definition of "one state" (the explorer's canonical form before it was made
 * fast): the World written as JSON, ids that only correlate things renamed in order of first
 * appearance by one regex pass, the counters that mint them zeroed, format/version/options left
 * out, the finished-transactions ring sorted while it has not wrapped. Two Worlds are one state
 * iff their texts are equal. src/verify/canon.ts computes a hash of an equivalent token stream
 * instead; explorer.test.ts checks, state by state, that both partition the space the same way.
 * Slow (a JSON text and a regex pass per state): for tests only.
 */
import { stateReplacer } from '../../src/core/index.js';
import type { Item, World } from '../../src/verify/model.js';

function coreText(core: World['peer'] | World['cc']): string {
  const f = core.finished;
  const finished = f.ring.length < f.capacity ? { ...f, ring: [...f.ring].sort(byChannelThenTxid) } : f;
  return JSON.stringify({ ...core, format: 0, version: 0, options: 0, finished }, stateReplacer);
}

const byChannelThenTxid = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

function itemText(item: Item): string {
  return JSON.stringify(item, bytesAsText);
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
