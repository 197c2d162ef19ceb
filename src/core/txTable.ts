/**
 * The running transactions of one core, by (channel, txid): a Map of channels, each a Map of txids.
 *
 * Why two Maps and not one object keyed by a TxKey string: every received message names its
 * transaction by two strings the decoder has just made. Joining them into one key makes a new
 * string that must be flattened and hashed before the lookup, and a plain object must also
 * internalise each new key on insert and turns slow under the insert/delete churn of transactions.
 * Looking up the two decoded strings in nested Maps costs about a third as much
 * (docs/performance.md, "bench:core"). The state stays plain data for structuredClone; persistState
 * (persist.ts) writes the Maps as JSON.
 */
export type TxTable<R> = Map<string, Map<string, R>>;
export type ReadonlyTxTable<R> = ReadonlyMap<string, ReadonlyMap<string, R>>;

export function txGet<R>(table: ReadonlyTxTable<R>, channelId: string, txid: string): R | undefined {
  return table.get(channelId)?.get(txid);
}

export function txPut<R>(table: TxTable<R>, channelId: string, txid: string, record: R): void {
  let byTxid = table.get(channelId);
  if (byTxid === undefined) table.set(channelId, (byTxid = new Map()));
  byTxid.set(txid, record);
}

/** Removes the record; a channel left without transactions is removed too, so that equal sets of
 *  transactions are equal states whatever ran before. */
export function txDelete<R>(table: TxTable<R>, channelId: string, txid: string): void {
  const byTxid = table.get(channelId);
  if (byTxid !== undefined && byTxid.delete(txid) && byTxid.size === 0) table.delete(channelId);
}

/** Every record, channel by channel in the order channels first got one, then in insertion order. */
export function txRecords<R>(table: ReadonlyTxTable<R>): R[] {
  const out: R[] = [];
  for (const byTxid of table.values()) for (const r of byTxid.values()) out.push(r);
  return out;
}
