/**
 * Graph paths (docs/architecture.md, "Tests that attack the state space"): `xstate/graph` walks every state and every transition of the four
 * charts; each path is then replayed through the real cores (`stepPeer` / `stepChaincode`, never
 * XState), which must end in the state the path ends in. The cores report every compiled
 * transition they take (`onTaken`), and the last tests list every transition no replay took.
 *
 * How the graph is walked. The events are real: `recv.*` events carry a valid message of their
 * type, guards get payloads that make them go both ways (REGISTER with and without a name, verdicts
 * and serve results accepted and refused, malformed payloads of the types the guards look at).
 * `serializeState` keeps only the state value: in the handler charts context (the chaincode name,
 * READY's capabilities) never decides a transition, and keeping it would multiply the vertices. The
 * chaincodeTx chart's guard reads its count of held stub calls, so there the count is part of the
 * vertex (bounded at 2). `filterEvents` keeps only
 * events the state handles (`snapshot.can`), so that every edge is a transition. A path is the
 * shortest path to a vertex plus one edge out of it; together they take every edge of the graph.
 *
 * How a path is replayed. Chart events become core inputs: `recv.X` a recv of that message,
 * `wire.*` a recvMalformed, `registry.verdict`, `app.*`, `transport.closed`, `serve.result` a
 * serveResult with the serveId of the transaction's latest serveRequest effect (0 where it never
 * had one: a result that answers nothing), `timer.*` a timerFired for a timer the core started
 * (read from its startTimer effects) or, where none is live, for an id it never started (which the
 * core must ignore), `timer.stale` a fire of an id it never started. In the handler charts' paths,
 * events about a transaction carry a `route` (running, finished, unknown; stale for serve results),
 * one variant per route, and when the handler is `ready` the replay sets the core up so that it
 * finds that route: a running transaction with that txid, one that ran and completed, a txid never
 * used; a running serve.result answers a request that the running transaction made, a finished one
 * a request whose execute timed out while it was served, a stale one a
 * serve id never issued. The inputs that set that up leave the handler in `ready`. Transaction
 * charts run inside a handler driven to `ready` first; `tx.start` is an appExecute (peer) or a recv
 * TRANSACTION (chaincode), `handler.closed` a transportClosed. The chart's state is then
 * `state.handler.value`, or the transaction record's `value`; a record that is gone means the
 * path ended in a final state.
 *
 * Coverage: the `onTaken` hook of both cores sees every compiled transition taken, handler and
 * transaction charts alike, over all replays. The coverage test fails listing every transition
 * never taken.
 */
import { describe, expect, it } from 'vitest';
import { getMicrosteps, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import {
  chaincodeHandlerMachine,
  chaincodeTxMachine,
  peerHandlerMachine,
  peerTxMachine,
  type ChartEvent,
  type TxRoute,
} from '../../machines/index.js';

import {
  chaincodeHandlerChart,
  chaincodeTxChart,
  createChaincodeState,
  createPeerState,
  peerHandlerChart,
  peerTxChart,
  stepChaincode,
  stepPeer,
  type ChaincodeCoreState,
  type CompiledTransition,
  type PeerCoreState,
  txGet,
} from '../../src/core/index.js';
import type { ChaincodeEffect, PeerEffect } from '../../src/protocol/effects.js';
import type { ChaincodeCoreInput, PeerCoreInput } from '../../src/protocol/inputs.js';
import type { Malformed, Message } from '../../src/protocol/messages.js';
import { ALL_MESSAGE_TYPES, REQUEST_TYPES, type MessageTypeName } from '../../src/protocol/messageType.js';
import { txKey } from '../../src/protocol/txKey.js';
import { sampleMessage, sampleRequest } from '../support/messages.js';

const CH = 'ch';
const TX = 'tx1';
const NOW = 1_000;

// ---- events with real payloads ---------------------------------------------------------------

const recv = (type: MessageTypeName): ChartEvent => ({ type: `recv.${type}`, message: sampleMessage(type, CH, TX) });
const malformed = (scope: Malformed['scope'], type?: MessageTypeName): ChartEvent => {
  const m: Malformed = { scope, txid: scope === 'payload' ? TX : '', channelId: scope === 'payload' ? CH : '', reason: 'proto: cannot parse invalid wire-format data' };
  if (type !== undefined) m.type = type;
  return { type: scope === 'envelope' ? 'wire.malformedEnvelope' : 'wire.malformedPayload', malformed: m };
};
const unnamedRegister: ChartEvent = { type: 'recv.REGISTER', message: { type: 'REGISTER', txid: '', channelId: '', payload: { name: '', path: '', version: '' } } };

/** The event once per route (ChartEvent.route: where its transaction stands; the handlers' guards read it). */
const routed = (e: ChartEvent, routes: readonly TxRoute[] = ['running', 'finished', 'unknown']): ChartEvent[] => routes.map((route) => ({ ...e, route }));
const PEER_ROUTED = new Set<MessageTypeName>([...REQUEST_TYPES, 'COMPLETED', 'ERROR']);

const PEER_HANDLER_EVENTS: ChartEvent[] = [
  ...ALL_MESSAGE_TYPES.flatMap((t) => (PEER_ROUTED.has(t) ? routed(recv(t)) : [recv(t)])),
  unnamedRegister,
  malformed('envelope'),
  malformed('payload', 'REGISTER'),
  ...routed(malformed('payload', 'COMPLETED')),
  ...routed(malformed('payload', 'GET_STATE')),
  { type: 'registry.verdict', accepted: true },
  { type: 'registry.verdict', accepted: false },
  ...routed({ type: 'app.execute' }, ['running', 'unknown']),
  ...routed({ type: 'serve.result', accepted: true }, ['running', 'finished', 'stale']),
  ...routed({ type: 'serve.result', accepted: false }, ['running', 'finished', 'stale']),
  { type: 'timer.executeTimeout', route: 'running' },
  { type: 'timer.keepalive' },
  { type: 'timer.stale' },
  { type: 'transport.closed' },
  { type: 'app.shutdown' },
];

const PEER_TX_EVENTS: ChartEvent[] = [
  { type: 'tx.start' },
  ...REQUEST_TYPES.map(recv),
  recv('COMPLETED'),
  recv('ERROR'),
  malformed('payload', 'COMPLETED'),
  malformed('payload', 'ERROR'),
  malformed('payload', 'PUT_STATE'),
  { type: 'serve.result', accepted: true },
  { type: 'serve.result', accepted: false },
  { type: 'timer.executeTimeout' },
  { type: 'handler.closed' },
];

const CHAINCODE_ROUTED = new Set<MessageTypeName>(['RESPONSE', 'ERROR']);
const CHAINCODE_STARTS = new Set<MessageTypeName>(['INIT', 'TRANSACTION']);

const CHAINCODE_HANDLER_EVENTS: ChartEvent[] = [
  ...ALL_MESSAGE_TYPES.flatMap((t) =>
    CHAINCODE_ROUTED.has(t) ? routed(recv(t)) : CHAINCODE_STARTS.has(t) ? routed(recv(t), ['running', 'unknown']) : [recv(t)],
  ),
  malformed('envelope'),
  malformed('payload', 'INIT'),
  malformed('payload', 'TRANSACTION'),
  malformed('payload', 'RESPONSE'),
  { type: 'app.start', chaincodeName: 'mycc:1.0' },
  ...routed({ type: 'app.request' }),
  ...routed({ type: 'app.result' }),
  ...routed({ type: 'app.failed' }),
  { type: 'app.shutdown' },
  { type: 'transport.closed' },
  // What the chaincode core makes of any timerFired (it starts no timers of its own).
  { type: 'timer.fired' },
];

const CHAINCODE_TX_EVENTS: ChartEvent[] = [
  { type: 'tx.start' },
  { type: 'app.request' },
  { type: 'app.result' },
  { type: 'app.failed' },
  recv('RESPONSE'),
  recv('ERROR'),
  { type: 'handler.closed' },
];

// ---- replaying through the cores ---------------------------------------------------------------

type OnTaken = (t: CompiledTransition) => void;
/** Where the chart ended up in the core: a state value, or `gone` (the transaction record was deleted). */
type Outcome = string;
const GONE = '(record gone)';
/** A timer id no core ever starts: firing it is the adapter race the cores must ignore. */
const NEVER_STARTED = 'never-started';

class PeerReplay {
  readonly state: PeerCoreState;
  /** Live timers, from the startTimer / cancelTimer effects. */
  readonly timers = new Map<string, 'executeTimeout' | 'keepalive'>();
  /** The serveId of the latest serveRequest effect, per transaction. */
  readonly serveIds = new Map<string, number>();
  private executeId = 1;
  private extraTx = 1;

  /**
   * @param prepare for the handler chart's paths: add the inputs that make an event meaningful
   *   (a live transaction for serve.result and timer.executeTimeout) without leaving `ready`. The
   *   transaction chart's paths say themselves what the transaction does.
   */
  constructor(
    private readonly onTaken: OnTaken,
    keepaliveMs: number,
    private readonly prepare: boolean,
  ) {
    this.state = createPeerState({ keepaliveMs });
  }

  feed(input: PeerCoreInput): PeerEffect[] {
    if (input.kind === 'timerFired') this.timers.delete(input.timerId);
    const { effects } = stepPeer(this.state, input, this.onTaken);
    for (const e of effects) {
      if (e.kind === 'startTimer') this.timers.set(e.timerId, e.timer);
      if (e.kind === 'cancelTimer') this.timers.delete(e.timerId);
      if (e.kind === 'serveRequest') this.serveIds.set(txKey(e.request.channelId, e.request.txid), e.serveId);
    }
    return effects;
  }

  execute(channelId: string, txid: string): PeerEffect[] {
    return this.feed({
      kind: 'appExecute',
      executeId: this.executeId++,
      channelId,
      txid,
      txType: 'TRANSACTION',
      input: { args: [], decorations: {}, isInit: false },
      proposal: undefined,
      timeoutMs: 30_000,
      now: NOW,
    });
  }

  /**
   * In the handler chart's paths, the txid an event about a transaction names, set up so that the
   * core finds the route the event says: TX running; a transaction that ran and completed; a txid
   * never used. Elsewhere (the handler is not routing, or the transaction chart's paths) TX.
   */
  txidFor(route: TxRoute | undefined): string {
    if (!this.prepare || this.state.handler.value !== 'ready' || route === undefined || route === 'stale') return TX;
    if (route === 'running') {
      if (!txGet(this.state.txs, CH, TX)) this.execute(CH, TX);
      return TX;
    }
    const txid = `${route}-${this.extraTx++}`;
    if (route === 'finished') {
      this.execute(CH, txid);
      this.feed({ kind: 'recv', message: sampleMessage('COMPLETED', CH, txid), now: NOW });
    }
    return txid;
  }

  liveTimer(kind: 'executeTimeout' | 'keepalive'): string | undefined {
    for (const [id, k] of this.timers) if (k === kind) return id;
    return undefined;
  }

  /** One chart event as core input(s). */
  event(e: ChartEvent): void {
    switch (e.type) {
      case 'wire.malformedEnvelope':
        this.feed({ kind: 'recvMalformed', malformed: e.malformed!, now: NOW });
        return;
      case 'wire.malformedPayload':
        this.feed({ kind: 'recvMalformed', malformed: { ...e.malformed!, txid: this.txidFor(e.route) }, now: NOW });
        return;
      case 'registry.verdict':
        this.feed(
          e.accepted
            ? { kind: 'registryVerdict', accepted: true, now: NOW }
            : { kind: 'registryVerdict', accepted: false, reason: 'duplicate chaincodeID: mycc:1.0', now: NOW },
        );
        return;
      case 'app.execute':
        // A duplicate of the running TX, or (route unknown) a txid never used.
        this.execute(CH, this.txidFor(e.route));
        return;
      case 'tx.start':
        this.execute(CH, TX);
        return;
      case 'serve.result': {
        if (this.prepare && this.state.handler.value === 'ready' && e.route === 'running') {
          // Answer a request that is being served: start the transaction and have it ask first
          // (the handler stays in `ready`).
          if (!txGet(this.state.txs, CH, TX)) this.execute(CH, TX);
          if (txGet(this.state.txs, CH, TX)?.value !== 'servingRequest') this.feed({ kind: 'recv', message: sampleMessage('GET_STATE', CH, TX), now: NOW });
        }
        let txid = TX;
        if (this.prepare && this.state.handler.value === 'ready' && e.route === 'finished') {
          // A request that outlives its transaction: it asks, and its execute times out meanwhile.
          txid = `orphan-${this.extraTx++}`;
          this.execute(CH, txid);
          const timer = txGet(this.state.txs, CH, txid)!.timerId;
          this.feed({ kind: 'recv', message: sampleMessage('GET_STATE', CH, txid), now: NOW });
          this.feed({ kind: 'timerFired', timerId: timer, now: NOW });
        }
        // 0 where the transaction never had a serveRequest, and for a stale one: a result that
        // answers nothing (serve ids start at 1).
        const serveId = e.route === 'stale' ? 0 : (this.serveIds.get(txKey(CH, txid)) ?? 0);
        const result = e.accepted ? { ok: true as const, payload: new Uint8Array([1]) } : { ok: false as const, cause: 'ledger unavailable' };
        this.feed({ kind: 'serveResult', serveId, channelId: CH, txid, result, now: NOW });
        return;
      }
      case 'timer.executeTimeout': {
        let id = this.liveTimer('executeTimeout');
        if (id === undefined && this.prepare && this.state.handler.value === 'ready') {
          // The handler chart routes execute timeouts only in `ready`, and only a running
          // transaction has one: start one (the handler stays in `ready`).
          this.execute(CH, `timer-tx-${this.extraTx++}`);
          id = this.liveTimer('executeTimeout');
        }
        this.feed({ kind: 'timerFired', timerId: id ?? NEVER_STARTED, now: NOW });
        return;
      }
      case 'timer.keepalive':
        this.feed({ kind: 'timerFired', timerId: this.liveTimer('keepalive') ?? NEVER_STARTED, now: NOW });
        return;
      case 'timer.stale':
        this.feed({ kind: 'timerFired', timerId: NEVER_STARTED, now: NOW });
        return;
      case 'transport.closed':
      case 'handler.closed':
        this.feed({ kind: 'transportClosed', reason: 'EOF', now: NOW });
        return;
      case 'app.shutdown':
        this.feed({ kind: 'appShutdown', reason: 'peer shutting down', now: NOW });
        return;
      default:
        if (e.type.startsWith('recv.')) {
          this.feed({ kind: 'recv', message: { ...e.message!, txid: e.route ? this.txidFor(e.route) : e.message!.txid }, now: NOW });
          return;
        }
        throw new Error(`no peer input for chart event ${e.type}`);
    }
  }

  /** Bring the handler to `ready` (REGISTER, accepted), for the transaction chart's paths. */
  ready(): void {
    this.feed({ kind: 'recv', message: sampleMessage('REGISTER'), now: NOW });
    this.feed({ kind: 'registryVerdict', accepted: true, now: NOW });
  }
}

class ChaincodeReplay {
  readonly state: ChaincodeCoreState = createChaincodeState();
  private requestId = 1;

  /**
   * @param prepare for the handler chart's paths: commands in `ready` name a running transaction
   *   (one is started by a TRANSACTION first if needed; the handler stays in `ready`).
   */
  constructor(
    private readonly onTaken: OnTaken,
    private readonly prepare: boolean,
  ) {}

  private extraTx = 1;

  /**
   * In the handler chart's paths, the txid an event about a transaction names, set up so that the
   * core finds the route the event says (as PeerReplay.txidFor); elsewhere TX.
   */
  private txidFor(route: TxRoute | undefined): string {
    if (!this.prepare || this.state.handler.value !== 'ready' || route === undefined) return TX;
    if (route === 'running') {
      if (!txGet(this.state.txs, CH, TX)) this.feed({ kind: 'recv', message: sampleMessage('TRANSACTION', CH, TX), now: NOW });
      return TX;
    }
    const txid = `${route}-${this.extraTx++}`;
    if (route === 'finished') {
      this.feed({ kind: 'recv', message: sampleMessage('TRANSACTION', CH, txid), now: NOW });
      this.feed({ kind: 'appResult', channelId: CH, txid, response: { status: 200, message: '', payload: new Uint8Array() }, event: undefined, now: NOW });
    }
    return txid;
  }

  feed(input: ChaincodeCoreInput): ChaincodeEffect[] {
    return stepChaincode(this.state, input, this.onTaken).effects;
  }

  event(e: ChartEvent): void {
    switch (e.type) {
      case 'wire.malformedEnvelope':
      case 'wire.malformedPayload':
        this.feed({ kind: 'recvMalformed', malformed: e.malformed!, now: NOW });
        return;
      case 'app.start':
        this.feed({ kind: 'appStart', chaincodeName: e.chaincodeName ?? 'mycc:1.0', startId: 1, now: NOW });
        return;
      case 'tx.start':
        this.feed({ kind: 'recv', message: sampleMessage('TRANSACTION', CH, TX), now: NOW });
        return;
      case 'app.request':
        this.feed({ kind: 'appRequest', requestId: this.requestId++, message: sampleRequest('GET_STATE', CH, this.txidFor(e.route)), now: NOW });
        return;
      case 'app.result':
        this.feed({ kind: 'appResult', channelId: CH, txid: this.txidFor(e.route), response: { status: 200, message: '', payload: new Uint8Array([1]) }, event: undefined, now: NOW });
        return;
      case 'app.failed':
        this.feed({ kind: 'appFailed', channelId: CH, txid: this.txidFor(e.route), message: 'Invoke threw', now: NOW });
        return;
      case 'timer.fired':
        // The chaincode core starts no timers, so every timer that fires is one it never started.
        this.feed({ kind: 'timerFired', timerId: NEVER_STARTED, now: NOW });
        return;
      case 'transport.closed':
      case 'handler.closed':
        this.feed({ kind: 'transportClosed', reason: 'EOF', now: NOW });
        return;
      case 'app.shutdown':
        this.feed({ kind: 'appShutdown', reason: 'SIGTERM', now: NOW });
        return;
      default:
        if (e.type.startsWith('recv.')) {
          const m = e.message as Message;
          this.feed({ kind: 'recv', message: { ...m, txid: e.route ? this.txidFor(e.route) : m.txid } as Message, now: NOW });
          return;
        }
        throw new Error(`no chaincode input for chart event ${e.type}`);
    }
  }

  /** Bring the handler to `ready` (app.start, REGISTERED, READY), for the transaction chart's paths. */
  ready(): void {
    this.feed({ kind: 'appStart', chaincodeName: 'mycc:1.0', startId: 1, now: NOW });
    this.feed({ kind: 'recv', message: sampleMessage('REGISTERED'), now: NOW });
    this.feed({ kind: 'recv', message: sampleMessage('READY'), now: NOW });
  }
}

interface Model {
  name: string;
  machine: AnyStateMachine;
  events: ChartEvent[];
  /** A graph vertex: the state value, and for charts whose guards read their context, the context. */
  serializeState?: (s: AnyMachineSnapshot) => string;
  /** Keeps a context-counting chart's graph finite. */
  bound?: (s: AnyMachineSnapshot, e: ChartEvent) => boolean;
  /** Replays chart events through a fresh core; returns where the chart ended up in it. */
  replay(events: ChartEvent[], onTaken: OnTaken): Outcome;
}

/**
 * A transaction chart's state in the core: its record's value; before `tx.start` there is no record
 * yet (the cores create it and start it in one step), which is the chart's initial state.
 */
const txOutcome = (events: ChartEvent[], initial: string, rec: { value: string } | undefined): Outcome =>
  rec?.value ?? (events.some((e) => e.type === 'tx.start') ? GONE : initial);

const MODELS: Model[] = [
  {
    name: 'peerHandler',
    machine: peerHandlerMachine,
    events: PEER_HANDLER_EVENTS,
    replay(events, onTaken) {
      // A keepalive interval, so that `timer.keepalive` has a live timer to fire in `ready`.
      const r = new PeerReplay(onTaken, 5_000, true);
      for (const e of events) r.event(e);
      return r.state.handler.value;
    },
  },
  {
    name: 'peerTx',
    machine: peerTxMachine,
    events: PEER_TX_EVENTS,
    replay(events, onTaken) {
      const r = new PeerReplay(onTaken, 0, false);
      r.ready();
      for (const e of events) r.event(e);
      return txOutcome(events, peerTxChart.initial, txGet(r.state.txs, CH, TX));
    },
  },
  {
    name: 'chaincodeHandler',
    machine: chaincodeHandlerMachine,
    events: CHAINCODE_HANDLER_EVENTS,
    replay(events, onTaken) {
      const r = new ChaincodeReplay(onTaken, true);
      for (const e of events) r.event(e);
      return r.state.handler.value;
    },
  },
  {
    name: 'chaincodeTx',
    machine: chaincodeTxMachine,
    events: CHAINCODE_TX_EVENTS,
    // The guard hasHeldRequest reads the count of held stub calls: 0, 1 and 2 of them are vertices.
    serializeState: (s) => JSON.stringify([s.value, (s.context as { held: number }).held]),
    bound: (s, e) => e.type !== 'app.request' || (s.context as { held: number }).held < 2,
    replay(events, onTaken) {
      const r = new ChaincodeReplay(onTaken, false);
      r.ready();
      for (const e of events) r.event(e);
      return txOutcome(events, chaincodeTxChart.initial, txGet(r.state.txs, CH, TX));
    },
  },
];

// ---- the graph ---------------------------------------------------------------------------------

interface GraphPath {
  events: ChartEvent[];
  end: AnyMachineSnapshot;
}

const serializeState = (s: AnyMachineSnapshot) => JSON.stringify(s.value);

function walk(model: Model) {
  const serialize = model.serializeState ?? serializeState;
  const options = {
    events: model.events,
    serializeState: serialize,
    filterEvents: (s: AnyMachineSnapshot, e: ChartEvent) => s.can(e) && (model.bound?.(s, e) ?? true),
  };
  const shortest = getShortestPaths(model.machine, options);
  const adjacency = getAdjacencyMap(model.machine, options);
  const toVertex = new Map(shortest.map((p) => [serialize(p.state), p.steps.slice(1).map((s) => s.event as ChartEvent)]));
  const paths: GraphPath[] = shortest.map((p) => ({ events: toVertex.get(serialize(p.state))!, end: p.state }));
  /** States XState passes through within a step (a state with an `always` never rests). */
  const passed = new Set<string>();
  for (const [vertex, { state, transitions }] of Object.entries(adjacency)) {
    const prefix = toVertex.get(vertex);
    if (!prefix) throw new Error(`${model.name}: no shortest path to ${vertex}`);
    for (const { event, state: next } of Object.values(transitions) as { event: ChartEvent; state: AnyMachineSnapshot }[]) {
      paths.push({ events: [...prefix, event], end: next });
      for (const [micro] of getMicrosteps(model.machine, state, event)) passed.add(String(micro.value));
    }
  }
  const resting = shortest.map((p) => String(p.state.value));
  return { paths, resting, passed, edges: paths.length - shortest.length };
}

const WALKS = new Map(MODELS.map((m) => [m.name, walk(m)]));

// ---- coverage ----------------------------------------------------------------------------------

const CHARTS = [
  { name: 'peerHandler', chart: peerHandlerChart },
  { name: 'peerTx', chart: peerTxChart },
  { name: 'chaincodeHandler', chart: chaincodeHandlerChart },
  { name: 'chaincodeTx', chart: chaincodeTxChart },
];
/** Compiled ids are unique within a chart; prefix them with the chart for the report. */
const chartOf = new Map<CompiledTransition, string>(CHARTS.flatMap(({ name, chart }) => chart.transitions.map((t) => [t, name] as const)));
const qualified = (t: CompiledTransition) => `${chartOf.get(t) ?? '?'}:${t.id}`;
const ALL_IDS = CHARTS.flatMap(({ chart }) => chart.transitions.map(qualified));

const taken = new Set<string>();
const record: OnTaken = (t) => {
  taken.add(qualified(t));
};

/**
 * Every path of every chart replayed once, at load, so that the coverage below does not depend on
 * which tests a filter selects. Per chart: the paths whose replay ended elsewhere than the chart.
 */
const REPLAYS = new Map(
  MODELS.map((model) => {
    const mismatches: string[] = [];
    for (const path of WALKS.get(model.name)!.paths) {
      const expected = String(path.end.value);
      const got = model.replay(path.events, record);
      const ok = got === expected || (got === GONE && path.end.status === 'done');
      if (!ok) mismatches.push(`${path.events.map((e) => e.type).join(' → ') || '(initial)'}: chart ${expected}, core ${got}`);
    }
    return [model.name, mismatches] as const;
  }),
);

/** A compact per-chart summary: `peerHandler 58/83, ...`. */
function summary(): string {
  return CHARTS.map(({ name, chart }) => {
    const ids = chart.transitions.map(qualified);
    return `${name} ${ids.filter((id) => taken.has(id)).length}/${ids.length}`;
  }).join(', ');
}

// ---- the tests ---------------------------------------------------------------------------------

describe('xstate/graph walks every chart', () => {
  for (const model of MODELS) {
    it(`${model.name}: every state is reached`, () => {
      const w = WALKS.get(model.name)!;
      const reached = new Set([...w.resting, ...w.passed]);
      const states = Object.keys((model.machine.config as { states: object }).states);
      expect(states.filter((s) => !reached.has(s)), 'states no path reaches').toEqual([]);
      // Each edge of the abstract graph was turned into a path.
      expect(w.edges).toBeGreaterThan(states.length);
    });
  }
});

describe('every path replays through the core to the same state', () => {
  for (const model of MODELS) {
    it(`${model.name}: ${WALKS.get(model.name)!.paths.length} paths`, () => {
      expect(REPLAYS.get(model.name)).toEqual([]);
    });
  }
});

describe('transition coverage over all replays', () => {
  // The summary goes into the assertion messages and the test's annotation (no console output, no
  // files): `peerHandler 67/67, peerTx 45/45, ...`.
  it('every compiled transition of every chart is taken by some replay', async ({ annotate }) => {
    await annotate(`transition coverage: ${summary()}`);
    const never = ALL_IDS.filter((id) => !taken.has(id));
    expect(never, `coverage ${summary()}; never taken: ${never.join(', ')}`).toEqual([]);
  });
});
