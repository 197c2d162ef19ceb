/**
 * ChaincodeStub: what Init/Invoke use to read the invocation and talk to the peer. Every method of
 * fabric-shim 2.5's ChaincodeStub (libraries/fabric-shim/lib/stub.js and types/index.d.ts), with the
 * same names, argument checks and error texts, plus the Go shim's additions (write batches, multi-key
 * reads, GetAllStatesCompositeKeyWithPagination, GetDecorations, GetArgsSlice).
 *
 * Wire use per method: the ChaincodeStub table of docs/chaincode.md. Requests of one
 * transaction are serialised by the connection (one in flight at a time), so `Promise.all` over stub
 * calls is allowed and runs them one after the other, as in fabric-shim.
 */
import { errorText } from '../protocol/messages.js';
import { decodeGetStateMultipleResult, decodeMessage, decodeQueryResponseMetadata, decodeStateMetadataResult, encodeQueryMetadata } from '../wire/index.js';
import { asyncIterableQuery, HistoryQueryIterator, parseQueryResponse, StateQueryIterator, type IteratorLike, type QueryPromise } from './iterators.js';
import {
  createCompositeKey as makeCompositeKey,
  COMPOSITEKEY_NS,
  EMPTY_KEY_SUBSTITUTE,
  MAX_UNICODE_RUNE_VALUE,
  splitCompositeKey as splitKey,
  validateSimpleKeys,
} from './keys.js';
import { decodeProposalInfo, toLongTimestamp, type ProposalInfo } from './proposal.js';
import { RESPONSE_CODE } from './response.js';
import type { TransactionContext } from './txContext.js';
import type {
  ChaincodeProposal,
  ChaincodeResponse,
  KeyModification,
  KV,
  QueryResponseMetadata,
  SerializedIdentity,
  SplitCompositeKey,
  StateQueryResponse,
  Timestamp,
} from './types.js';
import { WriteBatch } from './writeBatch.js';

/** The metakey of key-level endorsement policies (protos.MetaDataKeys VALIDATION_PARAMETER). */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** The Go shim raises advertised batch limits below this to it (shim/handler.go defaultMaxSize*). */
export const MIN_BATCH_SIZE = 100;

const EMPTY = new Uint8Array(0);
const nothing = (): void => {};
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
/**
 * The bytes to send for a value, copied: a write may be buffered (write batch) or queued behind
 * another request, and chaincode that reuses one buffer for several writes must not change what an
 * earlier call wrote (fabric-shim serialises at call time).
 */
const bytesOf = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : new Uint8Array(v));

function requireString(value: unknown, what: 'collection' | 'key'): asserts value is string {
  // fabric-shim's checks and texts ("collection must be a valid string", "key must be a valid string").
  if (!value || typeof value !== 'string') throw new Error(`${what} must be a valid string`);
}

/**
 * Type checks at the API boundary. Without them a wrong type (a number as key, undefined as value)
 * would only fail when the request is encoded for the stream, which is a connection-level failure
 * that ends every transaction; here it is this call's error.
 */
function needString(what: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string`);
}
function needBytes(what: string, v: unknown): asserts v is Uint8Array | string {
  if (typeof v !== 'string' && !(v instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array or a string`);
}
function optString(what: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  needString(what, v);
  return v;
}
function needPageSize(v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new TypeError('pageSize must be an int32 number');
}

function requireStringArray(keys: unknown): asserts keys is string[] {
  // fabric-shim main getMultipleStates: its text.
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new Error('keys must be an array of strings');
}

function queryMetadataBytes(pageSize: number, bookmark: string | undefined): Uint8Array {
  needPageSize(pageSize);
  return encodeQueryMetadata({ pageSize, bookmark: optString('bookmark', bookmark) });
}

export type StateQueryPromise = QueryPromise<StateQueryIterator, KV>;
export type PaginatedQueryPromise = QueryPromise<StateQueryResponse<StateQueryIterator>, KV>;
export type HistoryQueryPromise = QueryPromise<HistoryQueryIterator, KeyModification>;

export class ChaincodeStub {
  /** fabric-shim's `ChaincodeStub.RESPONSE_CODE`. */
  static readonly RESPONSE_CODE = RESPONSE_CODE;

  readonly #ctx: TransactionContext;
  readonly #bufferArgs: Buffer[];
  readonly #args: string[];
  readonly #proposal: ProposalInfo | undefined;

  /**
   * Built by the runtime for each INIT/TRANSACTION; not for chaincode code. Throws (fabric-shim's
   * texts) when the SignedProposal does not decode; the transaction then fails with that message.
   */
  constructor(ctx: TransactionContext) {
    this.#ctx = ctx;
    // Views, not copies: the frame they point into is not used again (protobufjs hands fabric-shim
    // views of the received message too).
    this.#bufferArgs = ctx.input.args.map(buf);
    this.#args = this.#bufferArgs.map((a) => a.toString());
    this.#proposal = ctx.proposal === undefined ? undefined : decodeProposalInfo(ctx.proposal);
  }

  // ---- invocation data (local) ------------------------------------------------------------------

  /** The arguments as UTF-8 strings (same as getStringArgs). */
  getArgs(): string[] {
    return this.#args;
  }

  getStringArgs(): string[] {
    return this.#args;
  }

  /** The arguments as bytes (in fabric-shim's JS but not its .d.ts; fabric-contract-api uses it). */
  getBufferArgs(): Buffer[] {
    return this.#bufferArgs;
  }

  /** The first argument as the function name, the rest as parameters. */
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const values = this.#args;
    return values.length >= 1 ? { fcn: values[0]!, params: values.slice(1) } : { fcn: '', params: [] };
  }

  /** All arguments concatenated (Go GetArgsSlice). */
  getArgsSlice(): Buffer {
    return Buffer.concat(this.#bufferArgs);
  }

  /** ChaincodeInput.decorations (Go GetDecorations; not in fabric-shim). */
  getDecorations(): Map<string, Buffer> {
    return new Map(Object.entries(this.#ctx.input.decorations).map(([k, v]) => [k, buf(v)]));
  }

  getTxID(): string {
    return this.#ctx.txid;
  }

  /** The channel of this invocation (for a cross-channel call, the called channel). */
  getChannelID(): string {
    return this.#ctx.channelId;
  }

  /** The submitter `{mspid, idBytes}`; undefined when the transaction carries no proposal. */
  getCreator(): SerializedIdentity | undefined {
    return this.#proposal?.creator;
  }

  /** The peer's MSP id from CORE_PEER_LOCALMSPID (fabric-shim's check and text). */
  getMspID(): string {
    const mspid = this.#ctx.env.CORE_PEER_LOCALMSPID;
    if (mspid === undefined) throw new Error('CORE_PEER_LOCALMSPID is unset in chaincode process');
    return mspid;
  }

  /** The proposal's transient map (empty without a proposal, as in the Go shim). */
  getTransient(): Map<string, Buffer> {
    return this.#proposal?.transient ?? new Map();
  }

  /** The decoded SignedProposal; undefined when the transaction carries none. */
  getSignedProposal(): ChaincodeProposal.SignedProposal | undefined {
    return this.#proposal?.signedProposal;
  }

  /** ChannelHeader.timestamp, `{seconds: Long (unsigned), nanos}` as in fabric-shim. */
  getTxTimestamp(): Timestamp {
    return toLongTimestamp(this.#timestamp());
  }

  /** ChannelHeader.timestamp as a Date (millisecond precision). */
  getDateTimestamp(): Date {
    const ts = this.#timestamp();
    // google-protobuf Timestamp.toDate's arithmetic (fabric-shim), float rounding included.
    return new Date(ts.seconds * 1000 + ts.nanos / 1e6);
  }

  /** Hex of SHA-256(nonce ‖ creator ‖ epoch LE); '' without a proposal. */
  getBinding(): string {
    return this.#proposal?.binding ?? '';
  }

  #timestamp(): { seconds: number; nanos: number } {
    const ts = this.#proposal?.timestamp;
    if (ts === undefined) {
      throw new Error(`${this.#ctx.prefix} the transaction has no timestamp: ${this.#proposal ? 'the channel header has none' : 'it carries no signed proposal'}`);
    }
    return ts;
  }

  // ---- public state ------------------------------------------------------------------------------

  /** The committed value (empty when the key does not exist); own writes are not visible. */
  getState(key: string): Promise<Buffer> {
    return this.#call(() => {
      needString('key', key);
      return this.#getState('', key);
    });
  }

  putState(key: string, value: Uint8Array | string): Promise<void> {
    return this.#call(() => {
      needString('key', key);
      needBytes('value', value);
      return this.#putState('', key, bytesOf(value));
    });
  }

  deleteState(key: string): Promise<void> {
    return this.#track(
      (async () => {
        needString('key', key);
        return this.#delState('', key);
      })(),
    );
  }

  /** Sets the key-level endorsement policy (PUT_STATE_METADATA VALIDATION_PARAMETER). */
  setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    return this.#track(
      (async () => {
        needString('key', key);
        needBytes('ep', ep);
        return this.#putMetadata('', key, VALIDATION_PARAMETER, bytesOf(ep));
      })(),
    );
  }

  /** The key-level endorsement policy, or undefined when the key has none (as fabric-shim returns). */
  getStateValidationParameter(key: string): Promise<Buffer | undefined> {
    return this.#track(
      (async () => {
        needString('key', key);
        return (await this.#getMetadata('', key)).get(VALIDATION_PARAMETER);
      })(),
    );
  }

  /** Values of several keys, in order (Go GetMultipleStates; fabric-shim main takes an array too). */
  getMultipleStates(keys: string[]): Promise<Buffer[]> {
    return this.#track(
      (async () => {
        requireStringArray(keys);
        return this.#getMultiple('', keys);
      })(),
    );
  }

  // ---- queries -----------------------------------------------------------------------------------

  /** Keys in [startKey, endKey); an empty startKey means from the first simple key. */
  getStateByRange(startKey: string, endKey: string): StateQueryPromise {
    return this.#query(async () => {
      const start = optString('startKey', startKey) || EMPTY_KEY_SUBSTITUTE;
      const end = optString('endKey', endKey);
      validateSimpleKeys(start, end);
      return (await this.#range('', start, end, EMPTY)).iterator;
    });
  }

  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string): PaginatedQueryPromise {
    return this.#query(async () => {
      const start = optString('startKey', startKey) || EMPTY_KEY_SUBSTITUTE;
      const end = optString('endKey', endKey);
      validateSimpleKeys(start, end);
      return this.#range('', start, end, queryMetadataBytes(pageSize, bookmark));
    });
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): StateQueryPromise {
    return this.#query(async () => {
      const key = makeCompositeKey(objectType, attributes);
      return (await this.#range('', key, key + MAX_UNICODE_RUNE_VALUE, EMPTY)).iterator;
    });
  }

  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark?: string): PaginatedQueryPromise {
    return this.#query(async () => {
      const key = makeCompositeKey(objectType, attributes);
      return this.#range('', key, key + MAX_UNICODE_RUNE_VALUE, queryMetadataBytes(pageSize, bookmark));
    });
  }

  /** Every composite key, one page (Go GetAllStatesCompositeKeyWithPagination; not in fabric-shim). */
  getAllStatesCompositeKeyWithPagination(pageSize: number, bookmark?: string): PaginatedQueryPromise {
    return this.#query(async () => this.#range('', COMPOSITEKEY_NS, COMPOSITEKEY_NS + MAX_UNICODE_RUNE_VALUE, queryMetadataBytes(pageSize, bookmark)));
  }

  /** A rich query (CouchDB peers; LevelDB peers answer an error). */
  getQueryResult(query: string): StateQueryPromise {
    return this.#query(async () => {
      needString('query', query);
      return (await this.#richQuery('', query, EMPTY)).iterator;
    });
  }

  getQueryResultWithPagination(query: string, pageSize: number, bookmark?: string): PaginatedQueryPromise {
    return this.#query(async () => {
      needString('query', query);
      return this.#richQuery('', query, queryMetadataBytes(pageSize, bookmark));
    });
  }

  /** Every committed modification of `key`, newest first. */
  getHistoryForKey(key: string): HistoryQueryPromise {
    return this.#query(async () => {
      needString('key', key);
      const payload = await this.#ctx.request({ type: 'GET_HISTORY_FOR_KEY', payload: { key } });
      return new HistoryQueryIterator(this.#ctx, parseQueryResponse(this.#ctx, payload, 'GET_HISTORY_FOR_KEY'));
    });
  }

  // ---- chaincode to chaincode, events --------------------------------------------------------------

  /**
   * Calls another chaincode (`name`, or `name/channel` when `channel` is given, as every shim builds
   * it). A COMPLETED reply is returned as the callee's response (any status); an ERROR reply throws
   * an Error carrying the callee's error text.
   */
  invokeChaincode(chaincodeName: string, args: Array<string | Uint8Array>, channel?: string): Promise<ChaincodeResponse & { message: string; payload: Buffer }> {
    return this.#track(
      (async () => {
        needString('chaincodeName', chaincodeName);
        if (!Array.isArray(args)) throw new TypeError('args must be an array');
        args.forEach((a, i) => needBytes(`args[${i}]`, a));
        const ch = optString('channel', channel);
        const name = ch.length > 0 ? `${chaincodeName}/${ch}` : chaincodeName;
        const payload = await this.#ctx.request({
          type: 'INVOKE_CHAINCODE',
          payload: {
            type: 0,
            chaincodeId: { name, path: '', version: '' },
            input: { args: args.map(bytesOf), decorations: {}, isInit: false },
            timeout: 0,
          },
        });
        const nested = decodeMessage(payload);
        if (!nested.ok) {
          throw new Error(`${this.#ctx.prefix} could not unmarshal the reply of chaincode ${name}: ${nested.malformed.reason}`);
        }
        const m = nested.message;
        if (m.type === 'COMPLETED') return { status: m.payload.status, message: m.payload.message, payload: buf(m.payload.payload) };
        if (m.type === 'ERROR') throw new Error(errorText(m.payload));
        throw new Error(`${this.#ctx.prefix} chaincode ${name} answered with a ${m.type} message, expecting COMPLETED or ERROR`);
      })(),
    );
  }

  /** Sets the transaction's event (the last one wins); sent with COMPLETED. */
  setEvent(name: string, payload?: Uint8Array | string): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    if (payload !== undefined) needBytes('payload', payload);
    this.#ctx.event = { chaincodeId: '', txId: '', eventName: name, payload: payload === undefined ? EMPTY : bytesOf(payload) };
  }

  // ---- keys ----------------------------------------------------------------------------------------

  createCompositeKey(objectType: string, attributes: string[]): string {
    return makeCompositeKey(objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): SplitCompositeKey {
    return splitKey(compositeKey);
  }

  // ---- private data --------------------------------------------------------------------------------

  getPrivateData(collection: string, key: string): Promise<Buffer> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        requireString(key, 'key');
        return this.#getState(collection, key);
      })(),
    );
  }

  /** The hash of the private value (empty when absent); works for non-members too. */
  getPrivateDataHash(collection: string, key: string): Promise<Buffer> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        requireString(key, 'key');
        return buf(await this.#ctx.request({ type: 'GET_PRIVATE_DATA_HASH', payload: { key, collection } }));
      })(),
    );
  }

  putPrivateData(collection: string, key: string, value: Uint8Array | string): Promise<void> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        requireString(key, 'key');
        // fabric-shim: `if (!value)`: an empty string is refused, empty bytes are not.
        if (value === undefined || value === null || value === '') throw new Error('value must be valid');
        needBytes('value', value);
        return this.#putState(collection, key, bytesOf(value));
      })(),
    );
  }

  deletePrivateData(collection: string, key: string): Promise<void> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        requireString(key, 'key');
        return this.#delState(collection, key);
      })(),
    );
  }

  /** PURGE_PRIVATE_DATA: delete now and purge the history later (Fabric >= 2.5 channels). */
  purgePrivateData(collection: string, key: string): Promise<void> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        requireString(key, 'key');
        const batch = this.#ctx.batch;
        if (batch) return batch.purgeState(collection, key);
        await this.#ctx.request({ type: 'PURGE_PRIVATE_DATA', payload: { key, collection } });
      })(),
    );
  }

  setPrivateDataValidationParameter(collection: string, key: string, ep: Uint8Array): Promise<void> {
    return this.#track(
      (async () => {
        // fabric-shim does not check here, and an empty collection would silently address the public
        // key; the Go shim refuses it, so do we (with fabric-shim's text).
        requireString(collection, 'collection');
        needString('key', key);
        needBytes('ep', ep);
        return this.#putMetadata(collection, key, VALIDATION_PARAMETER, bytesOf(ep));
      })(),
    );
  }

  getPrivateDataValidationParameter(collection: string, key: string): Promise<Buffer | undefined> {
    return this.#track(
      (async () => {
        requireString(collection, 'collection');
        needString('key', key);
        return (await this.#getMetadata(collection, key)).get(VALIDATION_PARAMETER);
      })(),
    );
  }

  /** Values of several private keys, in order (Go GetMultiplePrivateData). */
  getMultiplePrivateData(collection: string, keys: string[]): Promise<Buffer[]> {
    return this.#track(
      (async () => {
        // Non-empty, as Go requires: '' would read the public state.
        requireString(collection, 'collection');
        requireStringArray(keys);
        return this.#getMultiple(collection, keys);
      })(),
    );
  }

  /** A range over a private collection (no U+0000 check here, as in fabric-shim). */
  getPrivateDataByRange(collection: string, startKey: string, endKey: string): StateQueryPromise {
    return this.#query(async () => {
      requireString(collection, 'collection');
      const start = optString('startKey', startKey) || EMPTY_KEY_SUBSTITUTE;
      return (await this.#range(collection, start, optString('endKey', endKey), EMPTY)).iterator;
    });
  }

  getPrivateDataByPartialCompositeKey(collection: string, objectType: string, attributes: string[]): StateQueryPromise {
    return this.#query(async () => {
      requireString(collection, 'collection');
      const key = makeCompositeKey(objectType, attributes);
      return (await this.#range(collection, key, key + MAX_UNICODE_RUNE_VALUE, EMPTY)).iterator;
    });
  }

  getPrivateDataQueryResult(collection: string, query: string): StateQueryPromise {
    return this.#query(async () => {
      requireString(collection, 'collection');
      needString('query', query);
      return (await this.#richQuery(collection, query, EMPTY)).iterator;
    });
  }

  // ---- write batches (Go shim; RFC 0011) ------------------------------------------------------------

  /**
   * Starts buffering writes (put, delete, purge, validation parameters; public and private) until
   * finishWriteBatch or the end of Init/Invoke, when they are sent as WRITE_BATCH_STATE. Only when the
   * peer advertised write batches in READY; otherwise a no-op and writes go out one by one (Go
   * StartWriteBatch). Reads are never buffered and do not flush.
   */
  startWriteBatch(): void {
    if (this.#ctx.isEnded) return;
    if (this.#ctx.params.useWriteBatch && this.#ctx.batch === undefined) this.#ctx.batch = new WriteBatch();
  }

  /**
   * Sends the buffered writes, in chunks of the peer's advertised `max_size_write_batch` (raised to
   * 100 as the Go shim does), one WRITE_BATCH_STATE at a time. The batch ends either way; the first
   * failing chunk stops the rest and throws `failed send batch: <peer text>`. No-op without a batch.
   */
  finishWriteBatch(): Promise<void> {
    return this.#track(this.#finishWriteBatch());
  }

  async #finishWriteBatch(): Promise<void> {
    const batch = this.#ctx.batch;
    this.#ctx.batch = undefined;
    if (!batch || batch.size === 0) return;
    const records = batch.records();
    const size = Math.max(this.#ctx.params.maxSizeWriteBatch, MIN_BATCH_SIZE);
    for (let i = 0; i < records.length; i += size) {
      try {
        await this.#ctx.request({ type: 'WRITE_BATCH_STATE', payload: { records: records.slice(i, i + size) } });
      } catch (err) {
        throw new Error(`failed send batch: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  }

  // ---- internals -------------------------------------------------------------------------------------

  #track<T>(p: Promise<T>): Promise<T> {
    return this.#ctx.track(p);
  }

  /** `#track` for a call whose checks throw synchronously: a throw becomes the call's rejection
   *  (as inside an async function, without the extra promise of one: these are the hot calls). */
  #call<T>(run: () => Promise<T>): Promise<T> {
    let p: Promise<T>;
    try {
      p = run();
    } catch (err) {
      p = Promise.reject(err);
    }
    return this.#ctx.track(p);
  }

  /** Runs `make` and returns its promise made async-iterable (see iterators.ts). */
  #query<R extends { iterator: IteratorLike<T> }, T = R extends HistoryQueryIterator ? KeyModification : KV>(make: () => Promise<R>): QueryPromise<R, T> {
    return asyncIterableQuery<R, T>(this.#track(make()));
  }

  #getState(collection: string, key: string): Promise<Buffer> {
    return this.#ctx.request({ type: 'GET_STATE', payload: { key, collection } }).then(buf);
  }

  #putState(collection: string, key: string, value: Uint8Array): Promise<void> {
    const batch = this.#ctx.batch;
    if (batch) {
      batch.putState(collection, key, value);
      return Promise.resolve();
    }
    return this.#ctx.request({ type: 'PUT_STATE', payload: { key, value, collection } }).then(nothing);
  }

  async #delState(collection: string, key: string): Promise<void> {
    const batch = this.#ctx.batch;
    if (batch) return batch.delState(collection, key);
    await this.#ctx.request({ type: 'DEL_STATE', payload: { key, collection } });
  }

  async #putMetadata(collection: string, key: string, metakey: string, value: Uint8Array): Promise<void> {
    const batch = this.#ctx.batch;
    if (batch) return batch.putStateMetadataEntry(collection, key, metakey, value);
    await this.#ctx.request({ type: 'PUT_STATE_METADATA', payload: { key, collection, metadata: { metakey, value } } });
  }

  async #getMetadata(collection: string, key: string): Promise<Map<string, Buffer>> {
    const payload = await this.#ctx.request({ type: 'GET_STATE_METADATA', payload: { key, collection } });
    const r = decodeStateMetadataResult(payload);
    // Go: "Could not unmarshal metadata response".
    if (!r.ok) throw new Error(`${this.#ctx.prefix} could not unmarshal metadata response: ${r.reason}`);
    return new Map(r.value.entries.map((e) => [e.metakey, buf(e.value)]));
  }

  /**
   * GET_STATE_MULTIPLE in chunks of the advertised `max_size_get_multiple_keys` (raised to 100), or one
   * GET_STATE per key when the peer did not advertise it (Go handleGetMultipleStates). Missing keys are
   * empty buffers, as getState returns them.
   */
  async #getMultiple(collection: string, keys: string[]): Promise<Buffer[]> {
    if (keys.length === 0) return [];
    const params = this.#ctx.params;
    const out: Buffer[] = [];
    if (!params.useGetMultipleKeys) {
      for (const key of keys) out.push(await this.#getState(collection, key));
      return out;
    }
    const size = Math.max(params.maxSizeGetMultipleKeys, MIN_BATCH_SIZE);
    for (let i = 0; i < keys.length; i += size) {
      const chunk = keys.slice(i, i + size);
      const payload = await this.#ctx.request({ type: 'GET_STATE_MULTIPLE', payload: { keys: chunk, collection } });
      const r = decodeGetStateMultipleResult(payload);
      // Go: "could not unmarshal get state multiple keys response".
      if (!r.ok) throw new Error(`${this.#ctx.prefix} could not unmarshal get state multiple keys response: ${r.reason}`);
      if (r.value.values.length !== chunk.length) {
        throw new Error(`${this.#ctx.prefix} GET_STATE_MULTIPLE answered ${r.value.values.length} values for ${chunk.length} keys`);
      }
      for (const v of r.value.values) out.push(buf(v));
    }
    return out;
  }

  async #range(collection: string, startKey: string, endKey: string, metadata: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    const payload = await this.#ctx.request({ type: 'GET_STATE_BY_RANGE', payload: { startKey, endKey, collection, metadata } });
    return this.#iteratorResponse(payload, 'GET_STATE_BY_RANGE');
  }

  async #richQuery(collection: string, query: string, metadata: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    const payload = await this.#ctx.request({ type: 'GET_QUERY_RESULT', payload: { query, collection, metadata } });
    return this.#iteratorResponse(payload, 'GET_QUERY_RESULT');
  }

  #iteratorResponse(payload: Uint8Array, answering: string): StateQueryResponse<StateQueryIterator> {
    const response = parseQueryResponse(this.#ctx, payload, answering);
    let metadata: QueryResponseMetadata = { fetchedRecordsCount: 0, bookmark: '' };
    if (response.metadata.length > 0) {
      const r = decodeQueryResponseMetadata(response.metadata);
      // Go: "could not unmarshal metadata response".
      if (!r.ok) throw new Error(`${this.#ctx.prefix} could not unmarshal metadata response: ${r.reason}`);
      metadata = { fetchedRecordsCount: r.value.fetchedRecordsCount, bookmark: r.value.bookmark };
    }
    return { iterator: new StateQueryIterator(this.#ctx, response), metadata };
  }
}
