/**
 * A transaction is identified by (channel, txid). Fabric and all shims key their maps by the plain
 * concatenation `channel + txid`, which is ambiguous ("ab"+"c" = "a"+"bc"). We encode the pair as
 * `<channel length>:<channel><txid>`: unambiguous, cheap, and still a plain string so that state
 * stays JSON.
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
