/** Shared helpers for the ledger tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorldState, type WorldStateOptions } from '../../src/ledger/index.js';
import type { BlockToCommit, BlockTx, QueryResponseResult, Simulation, TxSimulationResults } from '../../src/ledger/index.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Deterministic iterator ids: it-1, it-2, ... */
export function idGen(prefix = 'it'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export async function memWs(options: WorldStateOptions = {}): Promise<WorldState> {
  return WorldState.open({ newIteratorId: idGen(), ...options });
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ccproto-ledger-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let txCounter = 0;
export function sim(
  ws: WorldState,
  opts: Partial<{ channel: string; namespace: string; txId: string; creatorMspId: string; isInit: boolean }> = {},
): Simulation {
  return ws.newSimulation({
    channel: opts.channel ?? 'ch1',
    namespace: opts.namespace ?? 'cc',
    txId: opts.txId ?? `tx${++txCounter}`,
    creatorMspId: opts.creatorMspId ?? 'Org1MSP',
    isInit: opts.isInit ?? false,
    timestamp: { seconds: 1_700_000_000 + txCounter, nanos: 0 },
  });
}

/** Commits key/value pairs (string values; '' deletes) in one transaction. */
export async function seed(
  ws: WorldState,
  kvs: Record<string, string> | [string, string][],
  opts: Partial<{ channel: string; namespace: string }> = {},
): Promise<void> {
  const s = sim(ws, opts);
  const entries = Array.isArray(kvs) ? kvs : Object.entries(kvs);
  for (const [k, v] of entries) await s.putState(k, enc(v));
  await ws.commit(s);
}

/** Runs a query to the end through queryNext and returns all results plus the batch sizes. */
export async function drain(
  s: Simulation,
  first: QueryResponseResult,
): Promise<{ keys: string[]; batches: number[]; hasMores: boolean[] }> {
  const keys: string[] = [];
  const batches: number[] = [];
  const hasMores: boolean[] = [];
  let r: QueryResponseResult = first;
  for (;;) {
    batches.push(r.results.length);
    hasMores.push(r.hasMore);
    for (const x of r.results) keys.push('key' in x ? x.key : x.txId);
    if (!r.hasMore) break;
    r = await s.queryNext(r.id);
  }
  return { keys, batches, hasMores };
}

/** A block on channel ch1 whose encoding is readable text naming its number and codes. */
export function textBlock(number: number, txs: BlockTx[]): BlockToCommit {
  return { channel: 'ch1', number, txs, encode: (codes) => enc(`block ${number}: ${codes.join(',')}`) };
}

/** Simulates one transaction `txId` that (optionally reads and) writes `key` = `v`. */
export async function putTx(ws: WorldState, txId: string, key: string, v: string, read = false): Promise<TxSimulationResults> {
  const s = sim(ws, { txId });
  if (read) await s.getState(key);
  await s.putState(key, enc(v));
  return s.result();
}
