/**
 * `ccproto conform peer --peer HOST:PORT`: every scenario of ./peerScenarios.ts against a peer's
 * chaincode listener (ChaincodeSupport/Register), each on fresh streams under its own chaincode
 * name (`conform-<scenario>:1.0`, or `--name`), one scenario at a time. A peer outside development
 * mode refuses names it did not launch: run it in dev mode, or give the name it expects. The
 * scenarios that need a transaction run only with `api` (ccproto's HTTP API, `POST /query`).
 */
import { TraceRecorder } from '../trace/recorder.js';
import { dialChaincodeSupport, type ClientTlsOptions } from '../transport/index.js';
import { PEER_SCENARIOS, type PeerScenario, type Trigger } from './peerScenarios.js';
import { Failed, faultsOf, summarise, verdict, type ConformReport, type ScenarioReport } from './report.js';
import { ScriptedStream } from './scriptedStream.js';

export interface ConformPeerOptions {
  peer: string;
  tls?: ClientTlsOptions;
  /** One chaincode name for every scenario (default: one per scenario). */
  name?: string;
  replyTimeoutMs?: number;
  /** ccproto's HTTP API (`ccproto peer --api`), to make the peer start transactions; without it the
   *  scenarios that need one are not run. */
  api?: string;
  only?: readonly string[];
  onScenario?: (r: ScenarioReport) => void;
}

export async function conformPeer(o: ConformPeerOptions): Promise<ConformReport> {
  const runnable = PEER_SCENARIOS.filter((s) => !s.needsTrigger || o.api);
  const chosen = o.only ? runnable.filter((s) => o.only!.includes(s.id)) : runnable;
  const out: ScenarioReport[] = [];
  for (const s of chosen) {
    const r = await runOne(s, o);
    out.push(r);
    o.onScenario?.(r);
  }
  return summarise('peer', out);
}

async function runOne(s: PeerScenario, o: ConformPeerOptions): Promise<ScenarioReport> {
  const t0 = Date.now();
  const base = { id: s.id, title: s.title, rule: s.rule };
  const lines: string[] = [];
  const recorder = new TraceRecorder((l) => void lines.push(l));
  const streams: ScriptedStream[] = [];
  const open = async (): Promise<ScriptedStream> => {
    const stream = await dialChaincodeSupport({ address: o.peer, dialTimeoutMs: 5_000, ...(o.tls ? { tls: o.tls } : {}) });
    const scripted = new ScriptedStream(stream, recorder.open('register', o.peer), 'chaincode');
    streams.push(scripted);
    return scripted;
  };
  const faults = () => streams.flatMap((x) => faultsOf(x.findings, 'peer'));
  try {
    const known = await s.play(open, o.name ?? `conform-${s.id}:1.0`, { replyMs: o.replyTimeoutMs ?? 10_000 }, o.api ? apiTrigger(o.api) : undefined);
    for (const x of streams) await x.settle(100, 2_000);
    return verdict(base, t0, { known, faults: faults() });
  } catch (error) {
    return verdict(base, t0, { error, faults: faults() });
  } finally {
    for (const x of streams) x.close();
  }
}

/** POST /query on ccproto's HTTP API (docs/api.md): evaluate `f` on the chaincode, as a client would. */
function apiTrigger(api: string): Trigger {
  return async (chaincode) => {
    const res = await fetch(`${api.replace(/\/+$/, '')}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chaincode, args: ['f'] }) });
    const body = (await res.json()) as { status?: number; message?: string; payload?: string; error?: string };
    if (!res.ok) throw new Failed(`the API answered HTTP ${res.status}: ${body.error ?? ''}`);
    return { status: body.status ?? 0, message: body.message ?? '', payload: body.payload ?? '' };
  };
}
