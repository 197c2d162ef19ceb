/**
 * Physical layout of the world state in one abstract-level database (memory-level or classic-level).
 *
 * Keys are binary; every part that may contain arbitrary characters is either last in the key
 * (state and private keys, which may contain 0x00 in composite keys, docs/protocol.md §13.1) or
 * length-prefixed (the key inside a history entry). Channel, namespace and collection names are
 * NUL-free (checked by the callers), so `0x00` can terminate them:
 *
 *   'S' 0 channel 0 ns 0 key                       public state      -> StateRecord
 *   'P' 0 channel 0 ns 0 coll 0 key                private state     -> PvtRecord
 *   'Q' 0 channel 0 ns 0 coll 0 sha256(key)        private hashes    -> HashRecord (Fabric keeps
 *                                                  hashes and metadata by key hash too)
 *   'H' 0 channel 0 ns 0 len32 key block64 tx64    history entries   -> HistoryRecord
 *   'X' 0 channel 0 block64 ns 0 coll 0 key        blockToLive expiry schedule -> ExpiryRecord
 *   'T' 0 channel 0 txid                           txid index        -> TxRecord (block, tx number
 *                                                  and validation code of the first transaction
 *                                                  with that id, valid or not)
 *   'B' 0 channel 0 block64                        blocks            -> the block's bytes as given
 *   'D' 0 channel 0 block64 tx64 ns 0 coll         private write sets of the block's transactions
 *                                                  -> the collection's private KVRWSet bytes as
 *                                                  the transaction hashed them (Fabric's pvtdata
 *                                                  store data entries, core/ledger/pvtdatastorage)
 *   'E' 0 channel 0 expiring64 block64 tx64 ns 0 coll  blockToLive schedule of those -> empty
 *   'U' 0 channel 0 ns 0 coll 0 sha256(key)        purge markers -> PurgeRecord (block and tx number
 *                                                  of the latest valid PurgePrivateData of the key)
 *   'C' 0 channel                                  channel           -> ChannelRecord (next block number)
 *
 * Values are small JSON documents (binary fields in base64): easy to inspect with any LevelDB tool.
 * Block records are the exception: their value is the block's own (protobuf) bytes.
 */
import type { AbstractLevel, AbstractSnapshot } from 'abstract-level';
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8, type Bytes } from './bytes.js';

export type Db = AbstractLevel<string | Buffer | Uint8Array, Uint8Array, Uint8Array>;
export type Snapshot = AbstractSnapshot;

export async function openDb(dataDir: string | undefined): Promise<Db> {
  // Imported on demand: the native LevelDB binding loads only when a data directory is used.
  const db: Db =
    dataDir === undefined
      ? new (await import('memory-level')).MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' })
      : new (await import('classic-level')).ClassicLevel<Uint8Array, Uint8Array>(dataDir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return db;
}

// ---- versions -------------------------------------------------------------------------------

/** Fabric's version.Height: the block and transaction number of the write (internal/version). */
export interface Version {
  blockNum: number;
  txNum: number;
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

// ---- key encoding ---------------------------------------------------------------------------

const Z = new Uint8Array([0]);

function tag(t: string): Bytes {
  return utf8(t);
}

function u64(n: number): Bytes {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

function u32(n: number): Bytes {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function readU64(b: Bytes, offset: number): number {
  return Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(offset));
}

/** The byte after a prefix ending in 0x00: bumping the terminator gives an exclusive upper bound. */
function upperOf(prefixWithZero: Bytes): Bytes {
  const out = new Uint8Array(prefixWithZero);
  out[out.length - 1] = 1;
  return out;
}

export interface KeyRange {
  gte: Bytes;
  lt: Bytes;
}

/**
 * Key prefixes of (channel, namespace[, collection]), built once: every GET_STATE/PUT_STATE needs
 * one, and encoding three strings per key read was ~5% of the peer's time per transaction. The
 * cached arrays are shared and never written to (callers copy: concatBytes, upperOf). Bounded: the
 * names come from requests, so the cache starts over when it is full.
 */
const prefixes = new Map<string, Bytes>();
const PREFIX_CACHE_LIMIT = 4096;
function cachedPrefix(id: string, build: () => Bytes): Bytes {
  let p = prefixes.get(id);
  if (p === undefined) {
    if (prefixes.size >= PREFIX_CACHE_LIMIT) prefixes.clear();
    p = build();
    prefixes.set(id, p);
  }
  return p;
}

export const keys = {
  statePrefix(ch: string, ns: string): Bytes {
    // Names are NUL-free (see the module comment), so NUL separates them unambiguously here too.
    return cachedPrefix(`S\0${ch}\0${ns}`, () => concatBytes([tag('S'), Z, utf8(ch), Z, utf8(ns), Z]));
  },
  state(ch: string, ns: string, key: string): Bytes {
    return concatBytes([keys.statePrefix(ch, ns), utf8(key)]);
  },
  pvtPrefix(ch: string, ns: string, coll: string): Bytes {
    return cachedPrefix(`P\0${ch}\0${ns}\0${coll}`, () => concatBytes([tag('P'), Z, utf8(ch), Z, utf8(ns), Z, utf8(coll), Z]));
  },
  pvt(ch: string, ns: string, coll: string, key: string): Bytes {
    return concatBytes([keys.pvtPrefix(ch, ns, coll), utf8(key)]);
  },
  hash(ch: string, ns: string, coll: string, keyHash: Bytes): Bytes {
    return concatBytes([tag('Q'), Z, utf8(ch), Z, utf8(ns), Z, utf8(coll), Z, keyHash]);
  },
  historyPrefix(ch: string, ns: string, key: string): Bytes {
    const k = utf8(key);
    return concatBytes([tag('H'), Z, utf8(ch), Z, utf8(ns), Z, u32(k.length), k]);
  },
  history(ch: string, ns: string, key: string, v: Version): Bytes {
    return concatBytes([keys.historyPrefix(ch, ns, key), u64(v.blockNum), u64(v.txNum)]);
  },
  expiryPrefix(ch: string): Bytes {
    return concatBytes([tag('X'), Z, utf8(ch), Z]);
  },
  expiry(ch: string, expiringBlock: number, ns: string, coll: string, key: string): Bytes {
    return concatBytes([keys.expiryPrefix(ch), u64(expiringBlock), utf8(ns), Z, utf8(coll), Z, utf8(key)]);
  },
  txid(ch: string, txId: string): Bytes {
    return concatBytes([tag('T'), Z, utf8(ch), Z, utf8(txId)]);
  },
  block(ch: string, blockNum: number): Bytes {
    return concatBytes([tag('B'), Z, utf8(ch), Z, u64(blockNum)]);
  },
  blockPvtPrefix(ch: string, blockNum: number): Bytes {
    return concatBytes([tag('D'), Z, utf8(ch), Z, u64(blockNum)]);
  },
  blockPvt(ch: string, blockNum: number, txNum: number, ns: string, coll: string): Bytes {
    return concatBytes([keys.blockPvtPrefix(ch, blockNum), u64(txNum), utf8(ns), Z, utf8(coll)]);
  },
  blockPvtExpiryPrefix(ch: string): Bytes {
    return concatBytes([tag('E'), Z, utf8(ch), Z]);
  },
  blockPvtExpiry(ch: string, expiringBlock: number, blockNum: number, txNum: number, ns: string, coll: string): Bytes {
    return concatBytes([keys.blockPvtExpiryPrefix(ch), u64(expiringBlock), u64(blockNum), u64(txNum), utf8(ns), Z, utf8(coll)]);
  },
  purgeMarker(ch: string, ns: string, coll: string, keyHash: Bytes): Bytes {
    return concatBytes([tag('U'), Z, utf8(ch), Z, utf8(ns), Z, utf8(coll), Z, keyHash]);
  },
  channelPrefix(): Bytes {
    return concatBytes([tag('C'), Z]);
  },
  channel(ch: string): Bytes {
    return concatBytes([keys.channelPrefix(), utf8(ch)]);
  },
};

export const ranges = {
  /** Keys of one namespace in [startKey, endKey); empty endKey = to the end of the namespace. */
  state(ch: string, ns: string, startKey: string, endKey: string): KeyRange {
    const prefix = keys.statePrefix(ch, ns);
    return {
      gte: concatBytes([prefix, utf8(startKey)]),
      lt: endKey === '' ? upperOf(prefix) : concatBytes([prefix, utf8(endKey)]),
    };
  },
  pvt(ch: string, ns: string, coll: string, startKey: string, endKey: string): KeyRange {
    const prefix = keys.pvtPrefix(ch, ns, coll);
    return {
      gte: concatBytes([prefix, utf8(startKey)]),
      lt: endKey === '' ? upperOf(prefix) : concatBytes([prefix, utf8(endKey)]),
    };
  },
  history(ch: string, ns: string, key: string): KeyRange {
    const prefix = keys.historyPrefix(ch, ns, key);
    return { gte: concatBytes([prefix, u64(0), u64(0)]), lt: concatBytes([prefix, new Uint8Array(16).fill(0xff)]) };
  },
  /** Expiry entries of blocks <= `upToBlock`. */
  expiry(ch: string, upToBlock: number): KeyRange {
    const prefix = keys.expiryPrefix(ch);
    return { gte: concatBytes([prefix, u64(0)]), lt: concatBytes([prefix, u64(upToBlock + 1)]) };
  },
  /** The private write sets stored with one block. */
  blockPvt(ch: string, blockNum: number): KeyRange {
    const prefix = keys.blockPvtPrefix(ch, blockNum);
    return { gte: prefix, lt: keys.blockPvtPrefix(ch, blockNum + 1) };
  },
  /** Expiry entries of block private write sets expiring at blocks <= `upToBlock`. */
  blockPvtExpiry(ch: string, upToBlock: number): KeyRange {
    const prefix = keys.blockPvtExpiryPrefix(ch);
    return { gte: concatBytes([prefix, u64(0)]), lt: concatBytes([prefix, u64(upToBlock + 1)]) };
  },
  channels(): KeyRange {
    const prefix = keys.channelPrefix();
    return { gte: prefix, lt: upperOf(prefix) };
  },
};

/** The user key at the end of a state / private key, given the prefix length. */
export function suffixKey(dbKey: Bytes, prefixLength: number): string {
  return fromUtf8(dbKey.subarray(prefixLength));
}

/** Parses the parts of an expiry-schedule key after its channel prefix. */
export function parseExpiryKey(dbKey: Bytes, prefixLength: number): { block: number; ns: string; coll: string; key: string } {
  const block = readU64(dbKey, prefixLength);
  const rest = dbKey.subarray(prefixLength + 8);
  const z1 = rest.indexOf(0);
  const z2 = rest.indexOf(0, z1 + 1);
  return {
    block,
    ns: fromUtf8(rest.subarray(0, z1)),
    coll: fromUtf8(rest.subarray(z1 + 1, z2)),
    key: fromUtf8(rest.subarray(z2 + 1)),
  };
}

/** Transaction number, namespace and collection of a block private write set key, after its block prefix. */
export function parseBlockPvtKey(dbKey: Bytes, prefixLength: number): { txNum: number; ns: string; coll: string } {
  const txNum = readU64(dbKey, prefixLength);
  const rest = dbKey.subarray(prefixLength + 8);
  const z = rest.indexOf(0);
  return { txNum, ns: fromUtf8(rest.subarray(0, z)), coll: fromUtf8(rest.subarray(z + 1)) };
}

/** The block private write set key an expiry entry names (its parts after the expiring block). */
export function parseBlockPvtExpiryKey(dbKey: Bytes, prefixLength: number): { blockNum: number; txNum: number; ns: string; coll: string } {
  const blockNum = readU64(dbKey, prefixLength + 8);
  return { blockNum, ...parseBlockPvtKey(dbKey, prefixLength + 16) };
}

export function channelOfKey(dbKey: Bytes): string {
  return fromUtf8(dbKey.subarray(keys.channelPrefix().length));
}

// ---- record encoding ------------------------------------------------------------------------

export type MetadataMap = Record<string, Bytes>;

export interface StateRecord {
  value: Bytes;
  version: Version;
  metadata: MetadataMap | undefined;
}

export interface PvtRecord {
  value: Bytes;
  version: Version;
}

export interface HashRecord {
  valueHash: Bytes;
  version: Version;
  metadata: MetadataMap | undefined;
}

/** An entry of the txid index (blkstorage blockindex.go: block, transaction and validation code). */
export interface TxRecord {
  blockNum: number;
  txNum: number;
  /** TxValidationCode; records written before blocks existed hold only valid transactions. */
  code: number;
}

export interface HistoryRecord {
  txId: string;
  value: Bytes;
  isDelete: boolean;
  timestamp: { seconds: number; nanos: number } | undefined;
}

function encodeJson(o: unknown): Bytes {
  return utf8(JSON.stringify(o));
}

function decodeJson(b: Bytes): Record<string, unknown> {
  return JSON.parse(fromUtf8(b)) as Record<string, unknown>;
}

function encodeMeta(m: MetadataMap | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = toBase64(v);
  return out;
}

function decodeMeta(o: unknown): MetadataMap | undefined {
  if (o === undefined || o === null) return undefined;
  const out: MetadataMap = {};
  for (const [k, v] of Object.entries(o as Record<string, string>)) out[k] = fromBase64(v);
  return out;
}

function ver(o: Record<string, unknown>): Version {
  return { blockNum: o.b as number, txNum: o.t as number };
}

export const records = {
  encodeState(r: StateRecord): Bytes {
    return encodeJson({ v: toBase64(r.value), b: r.version.blockNum, t: r.version.txNum, m: encodeMeta(r.metadata) });
  },
  decodeState(b: Bytes): StateRecord {
    const o = decodeJson(b);
    return { value: fromBase64(o.v as string), version: ver(o), metadata: decodeMeta(o.m) };
  },
  encodePvt(r: PvtRecord): Bytes {
    return encodeJson({ v: toBase64(r.value), b: r.version.blockNum, t: r.version.txNum });
  },
  decodePvt(b: Bytes): PvtRecord {
    const o = decodeJson(b);
    return { value: fromBase64(o.v as string), version: ver(o) };
  },
  encodeHash(r: HashRecord): Bytes {
    return encodeJson({ h: toBase64(r.valueHash), b: r.version.blockNum, t: r.version.txNum, m: encodeMeta(r.metadata) });
  },
  decodeHash(b: Bytes): HashRecord {
    const o = decodeJson(b);
    return { valueHash: fromBase64(o.h as string), version: ver(o), metadata: decodeMeta(o.m) };
  },
  encodeHistory(r: HistoryRecord): Bytes {
    return encodeJson({ id: r.txId, v: toBase64(r.value), d: r.isDelete, ts: r.timestamp });
  },
  decodeHistory(b: Bytes): HistoryRecord {
    const o = decodeJson(b);
    const ts = o.ts as { seconds: number; nanos: number } | undefined;
    return {
      txId: o.id as string,
      value: fromBase64(o.v as string),
      isDelete: o.d === true,
      timestamp: ts === undefined ? undefined : { seconds: ts.seconds, nanos: ts.nanos },
    };
  },
  encodeExpiry(committingBlock: number): Bytes {
    return encodeJson({ c: committingBlock });
  },
  decodeExpiry(b: Bytes): number {
    return decodeJson(b).c as number;
  },
  encodeTx(r: TxRecord): Bytes {
    return encodeJson({ b: r.blockNum, t: r.txNum, c: r.code });
  },
  /** Old records (`{b, t}`, before blocks) were only written for committed, i.e. valid, transactions. */
  decodeTx(b: Bytes): TxRecord {
    const o = decodeJson(b);
    return { blockNum: o.b as number, txNum: o.t as number, code: typeof o.c === 'number' ? o.c : 0 };
  },
  encodePurge(v: Version): Bytes {
    return encodeJson({ b: v.blockNum, t: v.txNum });
  },
  decodePurge(b: Bytes): Version {
    return ver(decodeJson(b));
  },
  /** The channel record holds the next block number (Fabric's BlockchainInfo.height). */
  encodeChannel(nextBlock: number): Bytes {
    return encodeJson({ n: nextBlock });
  },
  /**
   * Old records (`{h}`) held the number of the last block of a channel whose blocks were numbered
   * from 1 (one transaction per block, block 0 never written): the next block is h + 1.
   */
  decodeChannel(b: Bytes): number {
    const o = decodeJson(b);
    return typeof o.n === 'number' ? o.n : (o.h as number) + 1;
  },
};

/** Reads one key, optionally from a snapshot. */
export async function getRaw(db: Db, key: Bytes, snapshot?: Snapshot): Promise<Bytes | undefined> {
  const v = snapshot === undefined ? await db.get(key) : await db.get(key, { snapshot });
  return v ?? undefined;
}
