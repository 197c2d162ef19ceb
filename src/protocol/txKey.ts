/**
 * A transaction is identified by (channel, txid). Fabric and all shims key their maps by the plain
 * concatenation `channel + txid`, which is ambiguous ("ab"+"c" = "a"+"bc"). Where one string must
 * name the pair (the peer core's timer owners, the explorer's bookkeeping, logs) we encode it as
 * `<channel length>:<channel><txid>`: unambiguous. The cores' hot lookups do not build it: they
 * look the two strings up in nested Maps (src/core/txTable.ts).
 */
export type TxKey = string & { readonly __brand: 'TxKey' };

export function txKey(channelId: string, txid: string): TxKey {
  return `${channelId.length}:${channelId}${txid}` as TxKey;
}

export function parseTxKey(key: TxKey): { channelId: string; txid: string } {
  const colon = key.indexOf(':');
  const len = Number(key.slice(0, colon));
  const start = colon + 1;
  return { channelId: key.slice(start, start + len), txid: key.slice(start + len) };
}
