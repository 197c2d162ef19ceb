/**
 * MVCC validation of one transaction against the committed state plus the updates of the earlier
 * valid transactions of its block (core/ledger/kvledger/txmgmt/validation/validator.go validateTx):
 * namespace by namespace, public reads (validateKVRead), then range queries for phantoms
 * (validateRangeQuery over combined_iterator.go, compared as rangequery_validator.go
 * rangeQueryResultsValidator does), then hashed private reads (validateKVReadHash).
 */
import { toHex } from './bytes.js';
import { LedgerError } from './errors.js';
import type { PendingWrites } from './overlay.js';
import { keys, ranges, records, sameVersion, suffixKey, type Version } from './store.js';
import type { RangeQueryInfo, TxSimulationResults } from './types.js';
import { TxValidationCode } from './validationCodes.js';

/** Why a transaction is invalid: its validation code and a message for logs and legacy callers. */
export interface Invalidation {
  code: number;
  error: LedgerError;
}

function fmtVersion(v: Version | undefined): string {
  return v === undefined ? '(none)' : `${v.blockNum}:${v.txNum}`;
}

const mvcc = (message: string): Invalidation => ({
  code: TxValidationCode.MVCC_READ_CONFLICT,
  error: new LedgerError('MVCC_READ_CONFLICT', `MVCC_READ_CONFLICT: ${message}`),
});

/** validator.go validateTx: undefined when valid. */
export async function validateMvcc(
  channel: string,
  blockNum: number,
  rw: TxSimulationResults,
  pending: PendingWrites,
): Promise<Invalidation | undefined> {
  for (const ns of rw.publicRwSet) {
    for (const r of ns.reads) {
      const sk = keys.state(channel, ns.namespace, r.key);
      // validateKVRead: any update of the key by an earlier valid transaction of the block
      // (write, delete or metadata change) invalidates the read, whatever its version.
      if (pending.has(sk)) {
        return mvcc(`key [${ns.namespace}:${r.key}] was updated by an earlier transaction of block ${blockNum}`);
      }
      const raw = await pending.committed(sk);
      const current = raw === undefined ? undefined : records.decodeState(raw).version;
      if (!sameVersion(current, r.version)) {
        return mvcc(`key [${ns.namespace}:${r.key}] was read at version ${fmtVersion(r.version)} but is now at ${fmtVersion(current)}`);
      }
    }
    for (const rq of ns.rangeQueriesInfo) {
      if (!(await rangeStillSame(channel, ns.namespace, rq, pending))) {
        return {
          code: TxValidationCode.PHANTOM_READ_CONFLICT,
          error: new LedgerError(
            'PHANTOM_READ_CONFLICT',
            `PHANTOM_READ_CONFLICT: range [${rq.startKey}, ${rq.endKey}${rq.itrExhausted ? ')' : ']'} of namespace [${ns.namespace}] changed since it was read`,
          ),
        };
      }
    }
    for (const coll of ns.collHashedRwSets) {
      for (const r of coll.hashedReads) {
        const hk = keys.hash(channel, ns.namespace, coll.collectionName, r.keyHash);
        const what = `private key hash [${toHex(r.keyHash)}] of collection [${ns.namespace}/${coll.collectionName}]`;
        // validateKVReadHash: same rule as public reads, in the hashed key space.
        if (pending.has(hk)) return mvcc(`${what} was updated by an earlier transaction of block ${blockNum}`);
        const raw = await pending.committed(hk);
        const current = raw === undefined ? undefined : records.decodeHash(raw).version;
        if (!sameVersion(current, r.version)) {
          return mvcc(`${what} was read at version ${fmtVersion(r.version)} but is now at ${fmtVersion(current)}`);
        }
      }
    }
  }
  return undefined;
}

/**
 * validator.go validateRangeQuery: re-run the scan over committed state + the block's updates;
 * when the simulation did not exhaust the iterator the range ends at (and includes) the last key
 * it saw. The results must be the same keys at the same versions, nothing more.
 */
async function rangeStillSame(channel: string, ns: string, rq: RangeQueryInfo, pending: PendingWrites): Promise<boolean> {
  const r = ranges.state(channel, ns, rq.startKey, rq.itrExhausted ? rq.endKey : '');
  const prefixLength = keys.statePrefix(channel, ns).length;
  const lastKey = rq.itrExhausted ? undefined : rq.endKey;
  const range = lastKey === undefined || lastKey === '' ? { gte: r.gte, lt: r.lt } : { gte: r.gte, lte: keys.state(channel, ns, lastKey) };
  let i = 0;
  for await (const [k, v] of pending.scan(range)) {
    const expected = rq.reads[i++];
    if (expected === undefined) return false;
    if (suffixKey(k, prefixLength) !== expected.key) return false;
    if (!sameVersion(records.decodeState(v).version, expected.version)) return false;
  }
  return i === rq.reads.length;
}
