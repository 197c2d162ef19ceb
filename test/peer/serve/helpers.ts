/** Shared fixtures for the request-server tests: a real in-memory WorldState and request builders. */
import { expect } from 'vitest';
import type { ServeResult } from '../../../src/drive/peerConnection.js';
import { WorldState, type Simulation, type WorldStateOptions } from '../../../src/ledger/index.js';
import type { RequestMessage } from '../../../src/protocol/inputs.js';
import { EMPTY_BYTES, type Message, type PayloadByType } from '../../../src/protocol/messages.js';
import type { RequestTypeName } from '../../../src/protocol/messageType.js';
import { createRequestServer, type InvokeCall, type InvokeOutcome, type RequestServerOptions } from '../../../src/peer/serve/index.js';
import { decodeKV, decodeKeyModification, decodeQueryResponse, decodeQueryResponseMetadata } from '../../../src/wire/index.js';
import type { KV, KeyModification, QueryResponseMetadata } from '../../../src/protocol/messages.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export const CHANNEL = 'ch1';
export const NS = 'cc';

/** member-only collection of Org1, a read-only-for-non-members one, and an open one. */
export const COLLECTIONS = JSON.stringify([
  { name: 'org1', policy: "OR('Org1MSP.member')", memberOnlyRead: true, memberOnlyWrite: true },
  { name: 'open', policy: "OR('Org1MSP.member')" },
]);

export function idGen(prefix = 'it'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export async function openWs(options: WorldStateOptions = {}): Promise<WorldState> {
  return WorldState.open({ newIteratorId: idGen(), collections: { [NS]: COLLECTIONS }, ...options });
}

let txCounter = 0;
export function newSim(
  ws: WorldState,
  opts: Partial<{ channel: string; namespace: string; creatorMspId: string; isInit: boolean; txId: string }> = {},
): Simulation {
  txCounter++;
  return ws.newSimulation({
    channel: opts.channel ?? CHANNEL,
    namespace: opts.namespace ?? NS,
    txId: opts.txId ?? `tx${txCounter}`,
    creatorMspId: opts.creatorMspId ?? 'Org1MSP',
    isInit: opts.isInit ?? false,
    timestamp: { seconds: 1_700_000_000 + txCounter, nanos: 0 },
  });
}

/** Commits public key/values ('' deletes) and private ones (`coll` given) in one transaction. */
export async function seed(ws: WorldState, kvs: [string, string][], coll = ''): Promise<void> {
  const s = newSim(ws);
  for (const [k, v] of kvs) {
    if (coll === '') await s.putState(k, enc(v));
    else await s.putPrivateData(coll, k, enc(v));
  }
  await ws.commit(s);
}

export type FakeInvoke = ((call: InvokeCall) => Promise<InvokeOutcome>) & { calls: InvokeCall[] };

export function fakeInvoke(answer: (call: InvokeCall) => InvokeOutcome | Promise<InvokeOutcome>): FakeInvoke {
  const calls: InvokeCall[] = [];
  const f = async (call: InvokeCall) => {
    calls.push(call);
    return answer(call);
  };
  return Object.assign(f, { calls });
}

export type Serve = (request: RequestMessage) => Promise<ServeResult>;

export function serverFor(
  sim: Simulation,
  invoke: (call: InvokeCall) => Promise<InvokeOutcome> = async () => ({ ok: false, cause: 'no cc2cc in this test' }),
  options?: RequestServerOptions,
): Serve {
  return createRequestServer(
    { simulation: sim, namespace: sim.namespace, isInit: sim.isInit, channel: sim.channel, invokeChaincode: invoke },
    options,
  );
}

export function req<T extends RequestTypeName>(type: T, payload: PayloadByType[T], txid = 'tx', channelId = CHANNEL): RequestMessage {
  return { type, payload, txid, channelId } as Message as RequestMessage;
}

export function okPayload(r: ServeResult): Uint8Array {
  if (!r.ok) throw new Error(`expected RESPONSE, got ERROR cause: ${r.cause}`);
  // Encoders hand out Node Buffers; compare as plain bytes.
  return Uint8Array.from(r.payload);
}

export function expectCause(r: ServeResult, cause: string): void {
  expect(r).toEqual({ ok: false, cause });
}

function unwrap<T>(o: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!o.ok) throw new Error(`decode failed: ${o.reason}`);
  return o.value;
}

export interface DecodedQueryResponse {
  id: string;
  hasMore: boolean;
  kvs: KV[];
  mods: KeyModification[];
  /** Decoded QueryResponseMetadata, or undefined when the field is empty. */
  metadata: QueryResponseMetadata | undefined;
  rawMetadata: Uint8Array;
}

/** Decodes a QueryResponse payload, its records as KV (and, separately, as KeyModification). */
export function decodeQR(r: ServeResult, records: 'kv' | 'history' = 'kv'): DecodedQueryResponse {
  const q = unwrap(decodeQueryResponse(okPayload(r)));
  return {
    id: q.id,
    hasMore: q.hasMore,
    kvs: records === 'kv' ? q.results.map((b) => unwrap(decodeKV(b))) : [],
    mods: records === 'history' ? q.results.map((b) => unwrap(decodeKeyModification(b))) : [],
    metadata: q.metadata.length === 0 ? undefined : unwrap(decodeQueryResponseMetadata(q.metadata)),
    rawMetadata: q.metadata,
  };
}

export const EMPTY = EMPTY_BYTES;
export { unwrap };
