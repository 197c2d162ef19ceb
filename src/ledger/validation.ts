/**
 * The checks a simulation applies before it touches the ledger, in the order Fabric applies them
 * (the callers in simulation.ts and queries.ts keep that order):
 *
 *   - argument checks on what the caller handed in (types, names usable in the store layout,
 *     pagination shape; handler.go isMetadataSetForPagination);
 *   - CouchDB key/value validation (statecouchdb/couchdoc_conv.go validateKey, validateValue and
 *     the JSON-object test of keyValToCouchDoc);
 *   - the collection checks of one chaincode's view: the peer handler's Init restriction and
 *     read/write permission (core/chaincode/handler.go getReadWritePermission) and the simulator's
 *     collection-name check (core/ledger/kvledger/txmgmt/txmgr/collection_val.go validateCollName);
 *   - the restrictions on the shape of one transaction: nothing after "done", no write after a
 *     private or paginated query and no such query after a write
 *     (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go checkWritePrecondition,
 *     checkBeforePvtdataQueries, checkBeforePaginatedQueries).
 */
import { compareUtf8, isWellFormed, toHex, utf8, type Bytes } from './bytes.js';
import { permissionFor, type CollectionDefinition, type CollectionRegistry, type Permission } from './collections.js';
import {
  invalidCollName,
  LedgerError,
  noReadAccess,
  noSuchCollection,
  noWriteAccess,
  paginatedQueryAfterWrite,
  privateDataInInit,
  pvtQueryAfterWrite,
  simulationDone,
  writeAfterPaginatedQuery,
  writeAfterPvtQuery,
} from './errors.js';
import type { JsonObject } from './mangoSelector.js';
import type { Pagination } from './types.js';

// ---- argument checks ------------------------------------------------------------------------

export function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new LedgerError('INVALID_ARGUMENT', `${name} must be a string`);
  return v;
}

export function bytes(name: string, v: unknown): Bytes {
  if (!(v instanceof Uint8Array)) throw new LedgerError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  return v;
}

/** Channel, namespace and collection names end with 0x00 in the store layout (store.ts). */
export function plainName(name: string, v: unknown): string {
  const s = str(name, v);
  if (s.includes('\u0000')) throw new LedgerError('INVALID_ARGUMENT', `${name} must not contain U+0000`);
  return s;
}

export function pagination(v: unknown): Pagination | undefined {
  if (v === undefined || v === null) return undefined;
  const p = v as Partial<Pagination>;
  if (typeof p !== 'object' || !Number.isInteger(p.pageSize ?? 0) || typeof (p.bookmark ?? '') !== 'string') {
    throw new LedgerError('INVALID_ARGUMENT', 'pagination must be {pageSize: integer, bookmark: string}');
  }
  return { pageSize: p.pageSize ?? 0, bookmark: p.bookmark ?? '' };
}

/** handler.go isMetadataSetForPagination. */
export function isPaginated(p: Pagination | undefined): p is Pagination {
  return p !== undefined && (p.pageSize !== 0 || p.bookmark !== '');
}

// ---- CouchDB key/value validation (statecouchdb/couchdoc_conv.go validateKey/validateValue) ---

export function validateKeyValue(key: string, value: Bytes | undefined): void {
  if (!isWellFormed(key)) {
    throw new LedgerError('INVALID_KEY', `invalid key [${toHex(utf8(key))}], must be a UTF-8 string`);
  }
  if (key.startsWith('_')) throw new LedgerError('INVALID_KEY', `invalid key [${key}], cannot begin with "_"`);
  if (key === '') throw new LedgerError('INVALID_KEY', 'invalid key. Empty string is not supported as a key by couchdb');
  if (value === undefined || value.length === 0) return;
  const doc = parseJsonObject(value);
  if (doc === undefined) return;
  // The first invalid field in sorted order is the one named (Go ranges over a sorted key list).
  const invalid = Object.keys(doc).filter((field) => field === '~version' || field.startsWith('_'));
  if (invalid.length > 0) {
    const field = invalid.sort(compareUtf8)[0]!;
    throw new LedgerError('INVALID_VALUE', `field [${field}] is not valid for the CouchDB state database`);
  }
}

const dec = new TextDecoder('utf-8', { fatal: false });

/** A value is a CouchDB JSON document only if it is a JSON object (couchdoc_conv.go keyValToCouchDoc). */
export function parseJsonObject(value: Bytes): JsonObject | undefined {
  if (value.length === 0) return undefined;
  const first = value.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x7b) return undefined; // '{'
  try {
    const v = JSON.parse(dec.decode(value)) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

// ---- collection checks (one chaincode's view) ------------------------------------------------

/** The collection checks of one chaincode's view of a transaction (one handler transaction context). */
export class CollectionAccess {
  private readonly permissions = new Map<string, Permission>();

  constructor(
    private readonly registry: CollectionRegistry,
    private readonly channel: string,
    private readonly namespace: string,
    private readonly creatorMspId: string,
    private readonly isInit: boolean,
  ) {}

  /** handler.go getReadWritePermission (cached per transaction context and collection). */
  private permission(coll: string): Permission {
    let p = this.permissions.get(coll);
    if (p === undefined) {
      const def = this.registry.lookup(this.channel, this.namespace, coll);
      if (def === undefined) throw noSuchCollection(this.channel, this.namespace, coll);
      p = permissionFor(def, this.creatorMspId);
      this.permissions.set(coll, p);
    }
    return p;
  }

  /** The peer handler's checks before a private read. */
  handlerRead(coll: string): void {
    if (this.isInit) throw privateDataInInit();
    if (!this.permission(coll).read) throw noReadAccess(this.namespace, coll);
  }

  /** The peer handler's checks before a private write. */
  handlerWrite(coll: string): void {
    if (this.isInit) throw privateDataInInit();
    if (!this.permission(coll).write) throw noWriteAccess(this.namespace, coll);
  }

  /** txmgr/collection_val.go validateCollName. */
  validateCollName(coll: string): CollectionDefinition {
    const def = this.registry.ledgerLookup(this.channel, this.namespace, coll);
    if (def === undefined) throw invalidCollName(this.namespace, coll);
    return def;
  }
}

// ---- restrictions on the shape of a transaction (tx_simulator.go) ----------------------------

/**
 * The simulator's per-transaction flags and the checks that read them. TxState (transaction.ts)
 * is the one subclass; it supplies the transaction id and the ledger context.
 */
export abstract class TxRestrictions {
  done = false;
  writePerformed = false;
  pvtdataQueriesPerformed = false;
  paginatedQueriesPerformed = false;

  abstract readonly txId: string;
  abstract readonly ctx: { readonly stateDatabase: 'CouchDB' | 'goleveldb' };

  checkDone(): void {
    if (this.done) throw simulationDone();
  }

  /** tx_simulator.go checkWritePrecondition (writePerformed is set before key validation, as there). */
  checkWritePrecondition(key: string, value: Bytes | undefined): void {
    this.checkDone();
    if (this.pvtdataQueriesPerformed) throw writeAfterPvtQuery(this.txId);
    if (this.paginatedQueriesPerformed) throw writeAfterPaginatedQuery(this.txId);
    this.writePerformed = true;
    if (this.ctx.stateDatabase === 'CouchDB') validateKeyValue(key, value);
  }

  /** tx_simulator.go checkBeforePvtdataQueries. */
  checkBeforePvtdataQueries(): void {
    if (this.writePerformed) throw pvtQueryAfterWrite(this.txId);
    this.pvtdataQueriesPerformed = true;
  }

  /** tx_simulator.go checkBeforePaginatedQueries. */
  checkBeforePaginatedQueries(): void {
    if (this.writePerformed) throw paginatedQueryAfterWrite(this.txId);
    this.paginatedQueriesPerformed = true;
  }
}
