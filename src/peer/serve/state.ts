/**
 * Single-key and multi-key state requests, public and private, served from the transaction's
 * simulation. Each function is the body of the handler.go function named in its comment after
 * the payload has been unmarshalled (the core decodes payloads and answers
 * `unmarshal failed: ...` itself).
 *
 * The handler's private-data checks (Init restriction, then the creator's read/write permission,
 * `isCollectionSet` choosing the private variant) and the simulator's own checks run inside the
 * Simulation methods in Fabric's order; their failures arrive here as LedgerErrors carrying
 * Fabric's texts and are turned into causes by the server. The channel capabilities
 * (checkMetadataCap V1_3, checkPurgePrivateDataCap V2_5) are always on in this peer.
 */
import type { Simulation } from '../../ledger/index.js';
import {
  EMPTY_BYTES,
  type DelState,
  type GetState,
  type GetStateMultiple,
  type PutState,
  type PutStateMetadata,
  type WriteBatchState,
} from '../../protocol/messages.js';
import { encodeGetStateMultipleResult, encodeStateMetadataResult } from '../../wire/index.js';
import { ok, type ServeResult } from './outcome.js';

/** HandleGetState: the raw value (GetPrivateData with a collection); empty when absent. */
export async function getState(sim: Simulation, p: GetState): Promise<ServeResult> {
  return ok(await sim.getState(p.key, p.collection));
}

/**
 * HandleGetStateMultipleKeys (Fabric >= 3.1): GetStateMultipleResult with one entry per key in
 * request order, empty for a missing key.
 */
export async function getStateMultiple(sim: Simulation, p: GetStateMultiple): Promise<ServeResult> {
  const values = await sim.getStateMultiple(p.keys, p.collection);
  return ok(encodeGetStateMultipleResult({ values }));
}

/**
 * HandleGetPrivateDataHash: the hash of the private value, empty when absent. Init is refused
 * whatever the collection; no membership/read-permission check.
 */
export async function getPrivateDataHash(sim: Simulation, p: GetState): Promise<ServeResult> {
  return ok(await sim.getPrivateDataHash(p.collection, p.key));
}

/** HandleGetStateMetadata (checkMetadataCap first: always satisfied): StateMetadataResult. */
export async function getStateMetadata(sim: Simulation, p: GetState): Promise<ServeResult> {
  const entries = await sim.getStateMetadata(p.key, p.collection);
  return ok(encodeStateMetadataResult({ entries }));
}

/** HandlePutState / putState (SetPrivateData with a collection): empty RESPONSE payload. */
export async function putState(sim: Simulation, p: PutState): Promise<ServeResult> {
  await sim.putState(p.key, p.value, p.collection);
  return ok(EMPTY_BYTES);
}

/** HandleDelState / delState (DeletePrivateData with a collection): empty RESPONSE payload. */
export async function delState(sim: Simulation, p: DelState): Promise<ServeResult> {
  await sim.delState(p.key, p.collection);
  return ok(EMPTY_BYTES);
}

/**
 * HandlePutStateMetadata / putStateMetadata: the one entry `{metakey: value}` becomes the key's
 * metadata. A request without `metadata` makes Fabric dereference nil (recovered as
 * `panic during execution` since 2.5.16); the simulation refuses it with that text before the
 * Init and permission checks, where the dereference happens in Go.
 */
export async function putStateMetadata(sim: Simulation, p: PutStateMetadata): Promise<ServeResult> {
  await sim.putStateMetadata(p.key, p.metadata, p.collection);
  return ok(EMPTY_BYTES);
}

/**
 * HandlePurgePrivateData / purgePrivateData (parsed as DelState): collection required
 * (`only applicable for private data`), then Init restriction, then write permission.
 */
export async function purgePrivateData(sim: Simulation, p: DelState): Promise<ServeResult> {
  await sim.purgePrivateData(p.collection, p.key);
  return ok(EMPTY_BYTES);
}

/**
 * HandleWriteBatch (Fabric >= 3.1): records applied in order with the single-request logic;
 * the first failing record ends the request with its error and earlier records stay applied
 * (docs/protocol.md §17.4); an unknown record type gives `unknown operation type`.
 */
export async function writeBatchState(sim: Simulation, p: WriteBatchState): Promise<ServeResult> {
  await sim.applyWriteBatch(p.records);
  return ok(EMPTY_BYTES);
}
