/** TxKey encodes (channel, txid) unambiguously, where Fabric's `channel + txid` does not. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTxKey, txKey } from '../../src/protocol/txKey.js';
import { assertProp } from '../support/props.js';

describe('TxKey', () => {
  it('prop: parseTxKey inverts txKey, and distinct pairs give distinct keys', () => {
    assertProp(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (c1, t1, c2, t2) => {
        expect(parseTxKey(txKey(c1, t1))).toEqual({ channelId: c1, txid: t1 });
        if (c1 !== c2 || t1 !== t2) expect(txKey(c1, t1)).not.toBe(txKey(c2, t2));
      }),
      { runs: 500 },
    );
  });

  it('tells apart pairs that concatenate to the same text', () => {
    expect(txKey('ab', 'c')).not.toBe(txKey('a', 'bc'));
  });
});
