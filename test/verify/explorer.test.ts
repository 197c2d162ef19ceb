/**
 * The exhaustive explorer (src/verify/, docs/verification.md) at the CI bounds: every reachable
 * state of a peer core and a chaincode core talking over one FIFO each way satisfies the
 * properties, and the explored space has exactly the pinned size (a change that shrinks or grows it
 * shows up here: update the figures in docs/verification.md with the counts). A mutant peer core
 * that forgets to cancel the execute timer on COMPLETED must be caught with a short counterexample.
 */
import { describe, expect, it } from 'vitest';
import { stepChaincode, stepPeer, txGet } from '../../src/core/index.js';
import { CI_BOUNDS, FAULT_BOUNDS, MORE_BOUNDS } from '../../src/verify/bounds.js';
import { WORLD_FIELDS, stateKey } from '../../src/verify/canon.js';
import { cloneWorld } from '../../src/verify/copy.js';
import { counterexampleTrace, explore, traceToJsonl } from '../../src/verify/explore.js';
import { checkTrace } from '../../src/trace/check.js';
import { parseTrace, type MessageRecord } from '../../src/trace/format.js';
import { replayTrace } from '../../src/trace/replay.js';
import { renderMermaid } from '../../src/trace/renderMermaid.js';
import { memoized } from '../../src/verify/memo.js';
import { txKey } from '../../src/protocol/txKey.js';
import { applyMove, enabledMoves, initialWorld, type Bounds, type PeerStepFn, type Steppers, type World } from '../../src/verify/model.js';
import { canonicalText } from './canonText.js';

const real: Steppers = { peer: stepPeer, chaincode: stepChaincode };

/** States and transitions per CI bound (measured; see docs/verification.md). */
const EXPECTED: Record<string, { states: number; transitions: number; depth: number }> = {
  'tx1-get-put': { states: 295, transitions: 655, depth: 17 },
  'tx2-get-put': { states: 7234, transitions: 22374, depth: 29 },
  'tx3-get': { states: 53984, transitions: 191051, depth: 29 },
  'tx3-2ch-same-txid': { states: 38382, transitions: 124999, depth: 29 },
  'tx2-keepalive': { states: 26238, transitions: 88455, depth: 25 },
};

describe('exhaustive exploration of both cores (src/verify)', () => {
  for (const { name, bounds } of [...CI_BOUNDS, ...MORE_BOUNDS]) {
    it(`${name}: every reachable state satisfies the properties, and the space has its pinned size`, () => {
      const r = explore({ steppers: real, bounds });
      if (r.counterexample) throw new Error(`${JSON.stringify(r.counterexample.failures)}\n${traceToJsonl(r.counterexample.trace)}`);
      expect(r.failureCount).toBe(0);
      expect(r.complete).toBe(true);
      expect({ states: r.states, transitions: r.transitions, depth: r.depth }).toEqual(EXPECTED[name]);
      expect(r.quiescent).toBeGreaterThan(0);
    }, 120_000);
  }

  it('mutation: a peer core that drops the answer to a request whose execute timed out while it was served leaves the stub call hanging (the first finding of this explorer, now fixed)', () => {
    // Fabric's HandleTransaction sends the answer whenever it comes; the peer core once dropped it
    // as stale, and the chaincode's stub call waited until the stream ended.
    const mutant: PeerStepFn = (state, input) => {
      const orphaned = input.kind === 'serveResult' && txGet(state.txs, input.channelId, input.txid) === undefined;
      const r = stepPeer(state, input);
      if (orphaned) r.effects = r.effects.filter((e) => e.kind !== 'send');
      return r;
    };
    const bounds: Bounds = { ...CI_BOUNDS[0]!.bounds, script: ['GET_STATE'] };
    expect(explore({ steppers: real, bounds }).counterexample).toBeUndefined();
    const cx = explore({ steppers: { peer: mutant, chaincode: stepChaincode }, bounds }).counterexample!;
    expect(cx.moves.map((m) => m.k)).toEqual(['deliverToPeer', 'deliverToCc', 'deliverToCc', 'execute', 'deliverToCc', 'appRequest', 'deliverToPeer', 'fire', 'serve']);
    expect(cx.failures.map((f) => f.property)).toEqual(['no-deadlock', 'no-deadlock']);
    // The real core answers the late serve result with the RESPONSE the chaincode waits for.
    const w = initialWorld(real, bounds.maxTxs);
    for (const m of cx.moves.slice(0, -1)) applyMove(w, m, real, bounds);
    expect(w.toCc).toEqual([]);
    applyMove(w, cx.moves.at(-1)!, real, bounds);
    expect(w.toCc).toEqual([{ m: expect.objectContaining({ type: 'RESPONSE', txid: expect.any(String) }) }]);
  });

  it('fault-tx1-get-put: with one duplicated message the honest properties still hold; the receiver names every duplicate it can tell apart', () => {
    const r = explore({ steppers: real, bounds: FAULT_BOUNDS.find((b) => b.name === 'fault-tx1-get-put')!.bounds });
    if (r.counterexample) throw new Error(`${JSON.stringify(r.counterexample.failures)}\n${traceToJsonl(r.counterexample.trace)}`);
    expect({ states: r.states, transitions: r.transitions, depth: r.depth }).toEqual({ states: 2168, transitions: 5678, depth: 20 });
    // Every message type that can be duplicated was, and the receiver named each duplicate, except a
    // request reaching the peer after the first was answered and a RESPONSE reaching the chaincode
    // while its next request is in flight: without request ids (Fabric has none) they look fresh.
    const unnoticed = Object.entries(r.faulty).filter(([, f]) => f.unnoticed > 0).map(([t]) => t).sort();
    expect(unnoticed).toEqual(['chaincode:RESPONSE', 'peer:GET_STATE', 'peer:PUT_STATE']);
    expect(Object.keys(r.faulty).sort()).toEqual(
      ['chaincode:ERROR', 'chaincode:READY', 'chaincode:REGISTERED', 'chaincode:RESPONSE', 'chaincode:TRANSACTION', 'peer:COMPLETED', 'peer:ERROR', 'peer:GET_STATE', 'peer:PUT_STATE', 'peer:REGISTER'],
    );
  }, 60_000);

  it('mutation: a peer core that keeps the execute timer armed after COMPLETED is caught, shortest path', () => {
    const mutant: PeerStepFn = (state, input) => {
      const r = stepPeer(state, input);
      if (input.kind === 'recv' && input.message.type === 'COMPLETED') r.effects = r.effects.filter((e) => e.kind !== 'cancelTimer');
      return r;
    };
    const bounds = CI_BOUNDS.find((b) => b.name === 'tx1-get-put')!.bounds;
    const r = explore({ steppers: { peer: mutant, chaincode: stepChaincode }, bounds: { ...bounds, script: [] } });
    const cx = r.counterexample!;
    expect(cx).toBeDefined();
    expect(cx.failures.map((f) => f.property)).toContain('timers-balanced');
    // handshake (3 deliveries), execute, TRANSACTION delivered, appResult, COMPLETED delivered.
    expect(cx.moves.map((m) => m.k)).toEqual(['deliverToPeer', 'deliverToCc', 'deliverToCc', 'execute', 'deliverToCc', 'appResult', 'deliverToPeer']);
    // As a conformance-kit trace: the messages of the session, which ccproto check replays (the
    // wire is fine: the bug is a timer left armed) and ccproto trace render draws.
    const kit = parseTrace(counterexampleTrace(cx.trace));
    if (!kit.ok) throw new Error(kit.reason);
    const messages = kit.records.filter((r) => !('event' in r)) as MessageRecord[];
    expect(messages.map((m) => `${m.from}:${m.message!.type}`)).toEqual(['chaincode:REGISTER', 'peer:REGISTERED', 'peer:READY', 'peer:TRANSACTION', 'chaincode:COMPLETED']);
    expect((messages[3] as unknown as { moves: string[] }).moves[0]).toMatch(/^execute/);
    expect(checkTrace(kit.records).findings).toEqual([]);
    expect(renderMermaid(replayTrace(kit.records))).toContain('sequenceDiagram');
    // The trace is JSON Lines, one move per line, the last one carrying the failure.
    const lines = traceToJsonl(cx.trace).trim().split('\n').map((l) => JSON.parse(l) as { move: string; steps: unknown[]; failures?: unknown[] });
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)!.failures).toBeDefined();
    expect(lines.slice(0, -1).every((l) => l.failures === undefined)).toBe(true);
  });

  it('mutation: the same mutant is caught with stub calls in the script too (length grows with the script only)', () => {
    const mutant: PeerStepFn = (state, input) => {
      const r = stepPeer(state, input);
      if (input.kind === 'recv' && input.message.type === 'COMPLETED') r.effects = r.effects.filter((e) => e.kind !== 'cancelTimer');
      return r;
    };
    const bounds = CI_BOUNDS.find((b) => b.name === 'tx2-get-put')!.bounds;
    const r = explore({ steppers: { peer: mutant, chaincode: stepChaincode }, bounds });
    expect(r.counterexample!.moves.length).toBe(15);
  });

  it('a mutant chaincode core that answers a stub call twice is caught', () => {
    const bounds: Bounds = { ...CI_BOUNDS[0]!.bounds, script: ['GET_STATE'] };
    const r = explore({
      steppers: {
        peer: stepPeer,
        chaincode: (state, input) => {
          const r = stepChaincode(state, input);
          const settle = r.effects.find((e) => e.kind === 'settleRequest');
          if (settle) r.effects.push(settle);
          return r;
        },
      },
      bounds,
    });
    expect(r.counterexample!.failures.map((f) => f.property)).toContain('request-settles-once');
  });

  it('a mutant chaincode core that takes an ERROR for a RESPONSE (settles the stub call ok) is caught', () => {
    const bounds: Bounds = { ...CI_BOUNDS[0]!.bounds, script: ['GET_STATE'] };
    const r = explore({
      steppers: {
        peer: stepPeer,
        chaincode: (state, input) => {
          const r = stepChaincode(state, input);
          if (input.kind === 'recv' && input.message.type === 'ERROR') {
            r.effects = r.effects.map((e) => (e.kind === 'settleRequest' ? { ...e, outcome: { ok: true, payload: new Uint8Array() } } : e));
          }
          return r;
        },
      },
      bounds,
    });
    expect(r.counterexample!.failures.map((f) => f.property)).toContain('settle-when-allowed');
    expect(r.counterexample!.moves.map((m) => m.k)).toContain('serve');
  });

  it('canonical form: states that differ only in id numbering are one state; different states are not', () => {
    const bounds = CI_BOUNDS[1]!.bounds;
    const w = initialWorld(real, bounds.maxTxs);
    for (const k of ['deliverToPeer', 'deliverToCc', 'deliverToCc'] as const) applyMove(w, { k }, real, bounds);
    const a = cloneWorld(w);
    applyMove(a, { k: 'execute' }, real, bounds);
    // The same state with every id counter advanced: ids differ, the state does not.
    const b = structuredClone(w);
    b.peer.nextTimer += 5;
    b.peer.nextServe += 5;
    b.nextExecute += 5;
    applyMove(b, { k: 'execute' }, real, bounds);
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    expect(canonicalText(a)).toEqual(canonicalText(b));
    expect(stateKey(a)).toEqual(stateKey(b));
    const c = cloneWorld(a);
    applyMove(c, enabledMoves(c, bounds).find((m) => m.k === 'deliverToCc')!, real, bounds);
    expect(stateKey(c)).not.toEqual(stateKey(a));
  });

  // The key is a hash of a token stream (src/verify/canon.ts), the reference is JSON text with ids
  // renamed by a regex (./canonText.ts): every transition of these bounds must find the two
  // agreeing on which states are one, and the memoised cores must step as the real ones do.
  for (const name of ['tx2-get-put', 'fault-tx1-get-put']) {
    it(`${name}: the state key makes exactly the states one that the reference canonical text does`, () => {
      const bounds = [...CI_BOUNDS, ...FAULT_BOUNDS].find((b) => b.name === name)!.bounds;
      const fast = memoized(real);
      const textOf = new Map<string, string>();
      const keyOf = new Map<string, string>();
      const disagreements: string[] = [];
      /** Whether w is a new state (by the reference text); records any disagreement of the key. */
      const isNew = (w: World, text: string): boolean => {
        const key = stateKey(w);
        const known = keyOf.get(text);
        if ((textOf.get(key) ?? text) !== text || (known ?? key) !== key) disagreements.push(text);
        textOf.set(key, text);
        keyOf.set(text, key);
        return known === undefined;
      };
      let frontier = [initialWorld(real, bounds.maxTxs)];
      isNew(frontier[0]!, canonicalText(frontier[0]!));
      let transitions = 0;
      while (frontier.length) {
        const next: World[] = [];
        for (const w of frontier) {
          for (const move of enabledMoves(w, bounds)) {
            const w2 = cloneWorld(w);
            const slow = structuredClone(w);
            applyMove(w2, move, fast, bounds);
            applyMove(slow, move, real, bounds);
            transitions++;
            const text = canonicalText(w2);
            if (text !== canonicalText(slow)) disagreements.push(`memoised step: ${text}`);
            if (isNew(w2, text)) next.push(w2);
          }
        }
        frontier = next;
      }
      expect(disagreements.slice(0, 3)).toEqual([]);
      expect(transitions).toBeGreaterThan(5000);
    }, 60_000);
  }

  it('the state key reads every field of a World, and a copy has them all', () => {
    const bounds = CI_BOUNDS[0]!.bounds;
    const w = initialWorld(real, bounds.maxTxs);
    expect(Object.keys(w)).toEqual(WORLD_FIELDS);
    expect(Object.keys(cloneWorld(w))).toEqual(WORLD_FIELDS);
    expect(cloneWorld(w)).toEqual(w);
    // The entries of the lists, in a state that has one of each (canon.ts names their fields).
    for (const m of ['deliverToPeer', 'deliverToCc', 'deliverToCc', 'execute', 'deliverToCc', 'appRequest', 'deliverToPeer'] as const) {
      applyMove(w, enabledMoves(w, bounds).find((x) => x.k === m)!, real, bounds);
    }
    expect(cloneWorld(w)).toEqual(w);
    expect(Object.keys(w.serves[0]!)).toEqual(['serveId', 'channelId', 'txid', 'key']);
    expect(Object.keys(w.timers[0]!)).toEqual(['id', 'kind']);
    expect(Object.keys(w.apps[0]!)).toEqual(['key', 'channelId', 'txid', 'step', 'waiting', 'errored']);
    expect(Object.keys(w.executes[0]!)).toEqual(['executeId', 'key', 'settled']);
    expect(Object.keys(w.requests[0]!)).toEqual(['requestId']);
  });
});
