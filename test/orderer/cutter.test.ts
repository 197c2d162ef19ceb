import { describe, expect, it } from 'vitest';
import { BlockCutter, checkBatchConfig } from '../../src/orderer/cutter.js';

const msg = (id: string, size: number) => ({ id, size });
const ids = (batches: { id: string }[][]) => batches.map((b) => b.map((m) => m.id));

describe('block cutting (orderer/common/blockcutter Ordered)', () => {
  const config = { maxMessageCount: 3, absoluteMaxBytes: 1000, preferredMaxBytes: 100, batchTimeoutMs: 10 };

  it('cuts at MaxMessageCount and reports what stays pending', () => {
    const c = new BlockCutter<{ id: string; size: number }>(config);
    expect(c.ordered(msg('a', 10))).toEqual({ batches: [], pending: true });
    expect(c.ordered(msg('b', 10))).toEqual({ batches: [], pending: true });
    const r = c.ordered(msg('c', 10));
    expect(ids(r.batches)).toEqual([['a', 'b', 'c']]);
    expect(r.pending).toBe(false);
  });

  it('cuts the pending batch before a message that would overflow PreferredMaxBytes', () => {
    const c = new BlockCutter<{ id: string; size: number }>(config);
    c.ordered(msg('a', 60));
    const r = c.ordered(msg('b', 50));
    expect(ids(r.batches)).toEqual([['a']]);
    expect(r.pending).toBe(true);
    expect(ids([c.cut()])).toEqual([['b']]);
  });

  it('isolates a message larger than PreferredMaxBytes after cutting what was pending', () => {
    const c = new BlockCutter<{ id: string; size: number }>(config);
    c.ordered(msg('a', 10));
    const r = c.ordered(msg('big', 500));
    expect(ids(r.batches)).toEqual([['a'], ['big']]);
    expect(r.pending).toBe(false);
  });

  it('refuses messages over AbsoluteMaxBytes with sizefilter.go text', () => {
    expect(new BlockCutter(config).tooLarge(msg('huge', 1001))).toBe('message payload is 1001 bytes and exceeds maximum allowed 1000 bytes');
    expect(new BlockCutter(config).tooLarge(msg('ok', 1000))).toBeUndefined();
  });

  it('checks the configuration', () => {
    expect(() => checkBatchConfig({ ...config, maxMessageCount: 0 })).toThrow(/maxMessageCount/);
    expect(() => checkBatchConfig({ ...config, preferredMaxBytes: 2000 })).toThrow(/must not exceed/);
    expect(() => checkBatchConfig({ ...config, batchTimeoutMs: -1 })).toThrow(/batchTimeoutMs/);
  });
});
