/**
 * World state library: versioned public state, private data collections, history, Fabric-exact
 * query iterators and CouchDB Mango rich queries over abstract-level (memory-level or LevelDB).
 * See docs/ledger.md.
 */
export { WorldState } from './worldstate.js';
export type { WorldStateOptions, CommitOptions, CommitResult, CommittedState, CommittedPrivateState } from './worldstate.js';
export type { BlockToCommit, BlockTx, BlockMetadataView, BlockCommitResult } from './blockCommit.js';
export type { TxStatus, PrivateWriteSet, BlockPrivateWriteSet } from './blockStore.js';
export { TxValidationCode, txValidationCodeName } from './validationCodes.js';
export type { TxValidationCodeName } from './validationCodes.js';
export { Simulation } from './simulation.js';
export { LedgerError, isLedgerError } from './errors.js';
export type { LedgerErrorCode } from './errors.js';
export type {
  SimulationOptions,
  Pagination,
  QueryResponseResult,
  KvQueryResponse,
  HistoryQueryResponse,
  QueryResponseMetadataResult,
  TxSimulationResults,
  NsRwSet,
  NsPvtRwSet,
  CollHashedRwSet,
  CollPvtRwSet,
  KVRead,
  KVWrite,
  KVMetadataWrite,
  KVReadHash,
  KVWriteHash,
  KVMetadataWriteHash,
  PvtKVWrite,
  RangeQueryInfo,
  Version,
} from './types.js';
export {
  parseCollectionConfig,
  loadCollectionConfigFile,
  implicitCollectionName,
  implicitCollection,
  permissionFor,
  isMember,
  IMPLICIT_COLLECTION_PREFIX,
} from './collections.js';
export type { CollectionConfigJson, CollectionDefinition, CollectionConfigInput, Permission } from './collections.js';
export { parseSignaturePolicy, isSatisfiedByMsp } from './policy.js';
export type { SignaturePolicy } from './policy.js';
export { runMango } from './mango.js';
export type { FindResult } from './mango.js';
export { normalizeSelector, collate } from './mangoSelector.js';
export type { Json, JsonObject } from './mangoSelector.js';
export { QUERY_BATCH_SIZE } from './iterators.js';
