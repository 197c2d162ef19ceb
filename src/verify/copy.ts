/**
 * The copies the explorer branches with. A World is copied once per move. Its two core states are
 * never mutated, so they are shared: `step` mutates the state it is given, so a core is stepped on
 * a `copyCore` copy (by the Stepper, or by memo.ts when a memoised step is not known yet).
 */
import type { World } from './model.js';

/**
 * Copy of a World for branching: the lists are copied, their entries too where the model mutates
 * them (apps, executes), FIFO items and the two core states are shared (never mutated). Every
 * field is named rather than spread: a 24-field spread was a fifth of the explorer's time.
 * test/verify/explorer.test.ts checks that the copy has every field of the World.
 */
export function cloneWorld(w: World): World {
  return {
    peer: w.peer,
    cc: w.cc,
    toCc: w.toCc.slice(),
    toPeer: w.toPeer.slice(),
    ended: w.ended,
    peerClosed: w.peerClosed,
    ccClosed: w.ccClosed,
    ready: w.ready,
    serves: w.serves.slice(),
    timers: w.timers.slice(),
    apps: w.apps.map(copyApp),
    executes: w.executes.map(copyExecute),
    requests: w.requests.slice(),
    peerOut: w.peerOut.slice(),
    ccOut: w.ccOut.slice(),
    executed: w.executed,
    nextExecute: w.nextExecute,
    nextRequest: w.nextRequest,
    fires: w.fires,
    shutdowns: w.shutdowns,
    drops: w.drops,
    faults: w.faults,
    serveFailures: w.serveFailures,
    disturbed: w.disturbed.slice(),
  };
}

const copyApp = (a: World['apps'][number]): World['apps'][number] => ({ key: a.key, channelId: a.channelId, txid: a.txid, step: a.step, waiting: a.waiting, errored: a.errored });
const copyExecute = (x: World['executes'][number]): World['executes'][number] => ({ executeId: x.executeId, key: x.key, settled: x.settled });

/** Deep copy of a core state, byte arrays shared (nothing writes into payload bytes). */
export function copyCore<T extends World['peer'] | World['cc']>(core: T): T {
  return copy(core) as T;
}

function copy(x: unknown): unknown {
  if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x;
  // The cores' tables (src/core/txTable.ts, the peer's timers).
  if (x instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of x) out.set(k, copy(v));
    return out;
  }
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = copy(x[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in x) out[k] = copy((x as Record<string, unknown>)[k]);
  return out;
}
