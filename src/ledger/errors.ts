/**
 * The one error type of the world state library.
 *
 * Every rejected operation rejects with a `LedgerError`: `code` is stable and meant for programs,
 * `message` is the text Fabric's peer would put after `<TYPE> failed: transaction ID: <txid>: `
 * (docs/protocol.md §8.1), so that a peer runtime can forward it verbatim. Where the Fabric text is
 * known it is copied exactly, typos included (`unsuppored`); each builder below cites its source.
 */

export type LedgerErrorCode =
  /** Malformed input from the caller (wrong type, NUL in a channel/namespace name, ...). */
  | 'INVALID_ARGUMENT'
  /** Private data request while simulating Init (core/chaincode/handler.go). */
  | 'PRIVATE_DATA_IN_INIT'
  /** memberOnlyRead / memberOnlyWrite refused the creator (core/chaincode/handler.go). */
  | 'READ_ACCESS_DENIED'
  | 'WRITE_ACCESS_DENIED'
  /** The collection is not defined for the chaincode (handler or ledger wording, see below). */
  | 'UNKNOWN_COLLECTION'
  /** PURGE_PRIVATE_DATA without a collection. */
  | 'COLLECTION_REQUIRED'
  /** Transaction-shape restrictions of core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go. */
  | 'PVT_QUERY_AFTER_WRITE'
  | 'WRITE_AFTER_PVT_QUERY'
  | 'PAGINATED_QUERY_AFTER_WRITE'
  | 'WRITE_AFTER_PAGINATED_QUERY'
  /** CouchDB key/value validation (statecouchdb/couchdoc_conv.go). */
  | 'INVALID_KEY'
  | 'INVALID_VALUE'
  /** Rich query refused (bad JSON, bad selector, bad bookmark, ...). */
  | 'INVALID_QUERY'
  /** Rich query on the goleveldb flavour. */
  | 'RICH_QUERY_UNSUPPORTED'
  /** QUERY_STATE_NEXT for an id that is not open. */
  | 'ITERATOR_NOT_FOUND'
  /** A query would open more iterators than `maxOpenIterators` (ours; Fabric has no such bound). */
  | 'TOO_MANY_ITERATORS'
  /** GET_HISTORY_FOR_KEY with the history database disabled. */
  | 'HISTORY_DISABLED'
  /** WriteRecord with a type the peer does not know. */
  | 'UNKNOWN_WRITE_TYPE'
  /** PUT_STATE_METADATA without its `metadata` field (Fabric dereferences nil and panics). */
  | 'MISSING_METADATA'
  /** Use of a simulation after `result()` / `done()`. */
  | 'SIMULATION_DONE'
  /** Commit-time validation codes (peer.TxValidationCode names). */
  | 'MVCC_READ_CONFLICT'
  | 'PHANTOM_READ_CONFLICT'
  | 'DUPLICATE_TXID'
  /** commitBlock with a number other than the channel's next block number. */
  | 'BLOCK_OUT_OF_ORDER'
  /** A caller's callback of commitBlock (`check`, `encode`) threw: nothing was written. */
  | 'COMMIT_ABORTED'
  /** Collection configuration or endorsement policy text that does not parse. */
  | 'INVALID_COLLECTION_CONFIG'
  | 'INVALID_POLICY'
  /** The WorldState was closed. */
  | 'CLOSED'
  /** The underlying abstract-level database failed (I/O, corruption). */
  | 'STORAGE_ERROR';

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerError';
    this.code = code;
  }
}

export function isLedgerError(e: unknown): e is LedgerError {
  return e instanceof LedgerError;
}

// ---- builders with Fabric's exact wording ----------------------------------------------------

/** core/chaincode/handler.go (HandleGetState and every private-data branch). */
export const privateDataInInit = (): LedgerError =>
  new LedgerError('PRIVATE_DATA_IN_INIT', 'private data APIs are not allowed in chaincode Init()');

/** core/chaincode/handler.go errorIfCreatorHasNoReadPermission. */
export const noReadAccess = (ns: string, coll: string): LedgerError =>
  new LedgerError(
    'READ_ACCESS_DENIED',
    `tx creator does not have read access permission on privatedata in chaincodeName:${ns} collectionName: ${coll}`,
  );

/** core/chaincode/handler.go errorIfCreatorHasNoWritePermission. */
export const noWriteAccess = (ns: string, coll: string): LedgerError =>
  new LedgerError(
    'WRITE_ACCESS_DENIED',
    `tx creator does not have write access permission on privatedata in chaincodeName:${ns} collectionName: ${coll}`,
  );

/**
 * core/common/privdata/store.go NoSuchCollectionError: what the handler's permission lookup
 * (RetrieveReadWritePermission) reports for a collection the chaincode definition lacks.
 */
export const noSuchCollection = (channel: string, ns: string, coll: string): LedgerError =>
  new LedgerError('UNKNOWN_COLLECTION', `collection ${channel}/${ns}/${coll} could not be found`);

/**
 * core/ledger/ledger_interface.go InvalidCollNameError: what the ledger's own collection-name
 * check (txmgr/collection_val.go) reports. Reached by GET_PRIVATE_DATA_HASH (no permission check
 * before it) and by implicit collections of MSPs outside the channel.
 */
export const invalidCollName = (ns: string, coll: string): LedgerError =>
  new LedgerError('UNKNOWN_COLLECTION', `collection [${coll}] not defined in the collection config for chaincode [${ns}]`);

/** core/chaincode/handler.go purgePrivateData. */
export const purgeNeedsCollection = (): LedgerError =>
  new LedgerError('COLLECTION_REQUIRED', 'only applicable for private data');

/** txmgr/tx_simulator.go checkBeforePvtdataQueries. */
export const pvtQueryAfterWrite = (txId: string): LedgerError =>
  new LedgerError(
    'PVT_QUERY_AFTER_WRITE',
    `txid [${txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
  );

/** txmgr/tx_simulator.go checkPvtdataQueryPerformed. */
export const writeAfterPvtQuery = (txId: string): LedgerError =>
  new LedgerError(
    'WRITE_AFTER_PVT_QUERY',
    `txid [${txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
  );

/** txmgr/tx_simulator.go checkBeforePaginatedQueries. */
export const paginatedQueryAfterWrite = (txId: string): LedgerError =>
  new LedgerError(
    'PAGINATED_QUERY_AFTER_WRITE',
    `txid [${txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
  );

/** txmgr/tx_simulator.go checkPaginatedQueryPerformed. */
export const writeAfterPaginatedQuery = (txId: string): LedgerError =>
  new LedgerError(
    'WRITE_AFTER_PAGINATED_QUERY',
    `txid [${txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
  );

/** txmgr/query_executor.go checkDone. */
export const simulationDone = (): LedgerError =>
  new LedgerError('SIMULATION_DONE', 'this instance should not be used after calling Done()');

/** core/chaincode/handler.go HandleQueryStateNext. */
export const iteratorNotFound = (): LedgerError => new LedgerError('ITERATOR_NOT_FOUND', 'query iterator not found');

/** Ours (docs/deviations.md P15): Fabric bounds the results of one query, not how many stay open. */
export const tooManyIterators = (limit: number): LedgerError =>
  new LedgerError(
    'TOO_MANY_ITERATORS',
    `too many open iterators in this transaction (limit ${limit}, option maxOpenIterators / --max-open-iterators): close the iterators you are done with`,
  );

/** core/chaincode/handler.go HandleGetHistoryForKey. */
export const historyDisabled = (): LedgerError => new LedgerError('HISTORY_DISABLED', 'history database is not enabled');

/** core/chaincode/handler.go HandleWriteBatch. */
export const unknownWriteType = (): LedgerError => new LedgerError('UNKNOWN_WRITE_TYPE', 'unknown operation type');

/**
 * PUT_STATE_METADATA without `metadata`: Fabric dereferences the nil field; releases with the
 * handler's panic recovery (v2.5.16, v3.1.5+) answer this text (docs/protocol.md §8.1, §17.8).
 */
export const missingMetadata = (): LedgerError => new LedgerError('MISSING_METADATA', 'panic during execution');

/** A CouchDB HTTP error as Fabric words it (statecouchdb/couchdb.go handleRequest). */
export const couchError = (error: string, reason: string, status = 400): LedgerError =>
  new LedgerError('INVALID_QUERY', `error handling CouchDB request. Error:${error},  Status Code:${status},  Reason:${reason}`);

export const closedError = (): LedgerError => new LedgerError('CLOSED', 'world state is closed');

/** Wraps anything that is not already a LedgerError (database failures, bugs) into one. */
export function asLedgerError(e: unknown): LedgerError {
  if (e instanceof LedgerError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new LedgerError('STORAGE_ERROR', msg, { cause: e });
}
