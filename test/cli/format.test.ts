/** Log line formatting for `ccproto peer`. */
import { describe, expect, it } from 'vitest';

import { formatClock, formatFieldValue, formatLogRecord, levelEnabled, toPlain } from '../../src/cli/format.js';

const AT = new Date(2025, 0, 2, 9, 12, 1, 123);

describe('text format', () => {
  it('msg plus key=value of the other fields', () => {
    expect(formatLogRecord({ level: 'info', msg: 'chaincode registered', name: 'basic:1.0', serves: 'basic' }, 'text', AT)).toBe(
      '09:12:01.123 INFO  chaincode registered  name=basic:1.0 serves=basic',
    );
    expect(formatLogRecord({ level: 'warn', msg: 'peer stopped' }, 'text', AT)).toBe('09:12:01.123 WARN  peer stopped');
  });

  it('quotes values with spaces, JSON-encodes objects, skips undefined', () => {
    expect(
      formatLogRecord({ level: 'error', msg: 'launch failed', cause: 'exit code 1', n: 3, ok: false, extra: undefined, obj: { a: [1] }, nul: null }, 'text', AT),
    ).toBe('09:12:01.123 ERROR launch failed  cause="exit code 1" n=3 ok=false obj={"a":[1]} nul=null');
  });

  it('a transaction record becomes one tx line', () => {
    const rec = { level: 'info' as const, msg: 'transaction', txId: 'ab12cd34', channel: 'mychannel', chaincode: 'basic', fn: 'CreateAsset', kind: 'invoke', status: 200, committed: true, ms: 3 };
    expect(formatLogRecord(rec, 'text', AT)).toBe('09:12:01.123 INFO  tx ab12cd34 mychannel basic invoke CreateAsset → 200 committed (3 ms)');
    const failed = { level: 'warn' as const, msg: 'transaction', txId: 'ab12cd34', channel: 'ch', chaincode: 'basic', fn: 'ReadAsset', kind: 'query', status: 500, message: 'no asset', committed: false, ms: 1 };
    expect(formatLogRecord(failed, 'text', AT)).toBe('09:12:01.123 WARN  tx ab12cd34 ch basic query ReadAsset → 500 (1 ms)  message="no asset"');
  });

  it('chaincode output lines are prefixed with the chaincode and stream', () => {
    expect(formatLogRecord({ level: 'debug', msg: 'chaincode output', chaincode: 'basic', stream: 'stderr', line: 'hello world' }, 'text', AT)).toBe(
      '09:12:01.123 DEBUG [basic stderr] hello world',
    );
  });

  it('never throws on odd values', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const line = formatLogRecord({ level: 'info', msg: 'odd', cyclic, big: 10n, bytes: Uint8Array.from([1, 2]), err: new Error('bad thing'), fn: () => 1 }, 'text', AT);
    expect(line).toBe('09:12:01.123 INFO  odd  cyclic={"a":1,"self":"[Circular]"} big=10 bytes="AQI=" err="bad thing"');
    expect(formatLogRecord({ level: 'info', msg: 'multi\nline' }, 'text', AT)).toBe('09:12:01.123 INFO  multi line');
  });
});

describe('json format', () => {
  it('one JSON object per line with a time field first', () => {
    const line = formatLogRecord({ level: 'info', msg: 'chaincode registered', name: 'basic:1.0', bytes: Uint8Array.from([255]) }, 'json', AT);
    expect(line).not.toContain('\n');
    const obj = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(obj)[0]).toBe('time');
    expect(obj).toEqual({ time: AT.toISOString(), level: 'info', msg: 'chaincode registered', name: 'basic:1.0', bytes: '/w==' });
  });
});

describe('helpers', () => {
  it('formatClock pads', () => {
    expect(formatClock(new Date(2025, 0, 1, 1, 2, 3, 4))).toBe('01:02:03.004');
  });
  it('levelEnabled', () => {
    expect(levelEnabled('debug', 'info')).toBe(false);
    expect(levelEnabled('warn', 'info')).toBe(true);
    expect(levelEnabled('custom', 'error')).toBe(true);
  });
  it('toPlain / formatFieldValue', () => {
    expect(toPlain(new Map([['k', new Set([1])]]))).toEqual({ k: [1] });
    expect(toPlain(NaN)).toBe('NaN');
    expect(formatFieldValue('')).toBe('""');
    expect(formatFieldValue('a=b')).toBe('"a=b"');
  });
});
