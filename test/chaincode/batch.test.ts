/**
 * Write batches (StartWriteBatch/FinishWriteBatch, WRITE_BATCH_STATE) and multi-key reads
 * (GET_STATE_MULTIPLE): buffering, last write wins, chunking by the READY limits with the Go shim's
 * floor of 100, the fallback to single requests without advertisement, auto-flush before COMPLETED.
 */
import { describe, expect, it } from 'vitest';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import { WriteRecordType, type ChaincodeAdditionalParams, type MessageOf } from '../../src/protocol/messages.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { encodeGetStateMultipleResult } from '../../src/wire/index.js';
import { error, success } from '../../src/chaincode/index.js';
import { bytes, dynamicHarness, fail, Harness, ok, utf8, within } from './helpers.js';

const params = (p: Partial<ChaincodeAdditionalParams>): ChaincodeAdditionalParams => ({
  useWriteBatch: false,
  maxSizeWriteBatch: 0,
  useGetMultipleKeys: false,
  maxSizeGetMultipleKeys: 0,
  ...p,
});
const types = (h: Harness) => h.sentTypes();
const batches = (h: Harness) => h.sent().filter((m) => m.type === 'WRITE_BATCH_STATE') as Array<MessageOf<'WRITE_BATCH_STATE'>>;
const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

describe('write batch [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('without advertisement: startWriteBatch is a no-op, writes go out one by one', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({}) });
    await within(h, dyn, async (stub) => {
      stub.startWriteBatch();
      await stub.putState('a', '1');
      await stub.deleteState('b');
      await stub.finishWriteBatch();
    });
    expect(types(h)).toEqual(['PUT_STATE', 'DEL_STATE', 'COMPLETED']);
  });

  it('buffers every write kind, last write per (collection, key, data|metadata) wins', async () => {
    const ledger = new StandInLedger();
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 1000 }), serve: (r) => ledger.serve(r) });
    let duringBatch: string[] = [];
    await within(h, dyn, async (stub) => {
      stub.startWriteBatch();
      await stub.putState('a', 'first');
      await stub.putState('b', 'bee');
      await stub.deleteState('a');
      await stub.putState('a', 'last');
      await stub.setStateValidationParameter('a', bytes('ep1'));
      await stub.setStateValidationParameter('a', bytes('ep2'));
      await stub.putPrivateData('c1', 'a', 'private');
      await stub.purgePrivateData('c1', 'a');
      await stub.setPrivateDataValidationParameter('c1', 'a', bytes('pep'));
      await stub.deletePrivateData('c1', 'z');
      // Reads are not buffered and do not flush.
      await stub.getState('a');
      duringBatch = h.sentTypes();
      await stub.finishWriteBatch();
      // After finishing, writes are single again.
      await stub.putState('after', 'x');
    });
    expect(duringBatch).toEqual(['GET_STATE']);
    expect(types(h)).toEqual(['GET_STATE', 'WRITE_BATCH_STATE', 'PUT_STATE', 'COMPLETED']);
    const [batch] = batches(h);
    expect(batch!.payload.records.map((r) => [r.type, r.collection, r.key, utf8(r.value), r.metadata && [r.metadata.metakey, utf8(r.metadata.value)]])).toEqual([
      [WriteRecordType.PUT_STATE, '', 'a', 'last', undefined],
      [WriteRecordType.PUT_STATE, '', 'b', 'bee', undefined],
      [WriteRecordType.PUT_STATE_METADATA, '', 'a', '', ['VALIDATION_PARAMETER', 'ep2']],
      [WriteRecordType.PURGE_PRIVATE_DATA, 'c1', 'a', '', undefined],
      [WriteRecordType.PUT_STATE_METADATA, 'c1', 'a', '', ['VALIDATION_PARAMETER', 'pep']],
      [WriteRecordType.DEL_STATE, 'c1', 'z', '', undefined],
    ]);
    expect(utf8(ledger.get('mychannel', 'a'))).toBe('last');
    expect(utf8(ledger.get('mychannel', 'after'))).toBe('x');
  });

  it('flushes automatically after Invoke/Init, before COMPLETED, whatever the status', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 1000 }) });
    await within(h, dyn, async (stub) => {
      stub.startWriteBatch();
      await stub.putState('a', '1');
    });
    expect(types(h)).toEqual(['WRITE_BATCH_STATE', 'COMPLETED']);
    expect(utf8(h.pair.ledger.get('mychannel', 'a'))).toBe('1');

    const errorCc = await Harness.start({
      readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 1000 }),
      chaincode: {
        Init: async (stub) => {
          stub.startWriteBatch();
          await stub.putState('init', 'i');
          return success();
        },
        Invoke: async (stub) => {
          stub.startWriteBatch();
          await stub.putState('x', 'y');
          return error('business rule failed');
        },
      },
    });
    const r = await errorCc.invoke(['fn']);
    expect(r).toMatchObject({ ok: true, response: { status: 500, message: 'business rule failed' } });
    const i = await errorCc.invoke([], { init: true });
    expect(i).toMatchObject({ ok: true, response: { status: 200 } });
    expect(errorCc.sentTypes()).toEqual(['WRITE_BATCH_STATE', 'COMPLETED', 'WRITE_BATCH_STATE', 'COMPLETED']);
  });

  it('a buffer reused by the chaincode after a buffered write does not change what was written', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 1000 }) });
    await within(h, dyn, async (stub) => {
      stub.startWriteBatch();
      const scratch = Buffer.alloc(1);
      for (const [i, k] of ['a', 'b', 'c'].entries()) {
        scratch[0] = 0x30 + i;
        await stub.putState(k, scratch);
      }
    });
    expect(['a', 'b', 'c'].map((k) => utf8(h.pair.ledger.get('mychannel', k)))).toEqual(['0', '1', '2']);
  });

  it('an empty batch sends nothing; finishing twice is harmless', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 1000 }) });
    await within(h, dyn, async (stub) => {
      stub.startWriteBatch();
      await stub.finishWriteBatch();
      await stub.finishWriteBatch();
      stub.startWriteBatch();
    });
    expect(types(h)).toEqual(['COMPLETED']);
  });

  for (const [advertised, total, expected] of [
    [150, 400, [150, 150, 100]],
    [10, 250, [100, 100, 50]],
    [0, 100, [100]],
    [1000, 1001, [1000, 1]],
  ] as const) {
    it(`chunks ${total} records by the advertised limit ${advertised} (floor 100): ${expected.join('+')}`, async () => {
      const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: advertised }) });
      await within(h, dyn, async (stub) => {
        stub.startWriteBatch();
        for (const k of keys(total)) await stub.putState(k, 'v');
      });
      expect(batches(h).map((b) => b.payload.records.length)).toEqual(expected);
      expect(batches(h).flatMap((b) => b.payload.records.map((r) => r.key))).toEqual(keys(total));
      expect(h.pair.ledger.values.size).toBe(total);
    });
  }

  it('a failing chunk stops the flush: explicit finish throws, auto-flush answers ERROR', async () => {
    let n = 0;
    const ledger = new StandInLedger();
    const serve = (r: RequestMessage) => (r.type === 'WRITE_BATCH_STATE' && ++n === 2 ? fail('chunk refused') : ledger.serve(r));
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useWriteBatch: true, maxSizeWriteBatch: 100 }), serve });
    await expect(
      within(h, dyn, async (stub) => {
        stub.startWriteBatch();
        for (const k of keys(300)) await stub.putState(k, 'v');
        try {
          await stub.finishWriteBatch();
        } finally {
          // The batch ended either way: this write goes out alone.
          await stub.putState('single', 'v');
        }
      }),
    ).rejects.toThrow('failed send batch: WRITE_BATCH_STATE failed: transaction ID: tx1: chunk refused');
    expect(types(h)).toEqual(['WRITE_BATCH_STATE', 'WRITE_BATCH_STATE', 'PUT_STATE', 'COMPLETED']);

    n = 0;
    h.clear();
    dyn.fn = async (stub) => {
      stub.startWriteBatch();
      for (const k of keys(300)) await stub.putState(k, 'v');
    };
    const r = await h.invoke(['auto']);
    expect(r).toMatchObject({ ok: false, failure: 'chaincodeError', message: expect.stringContaining('failed send batch: WRITE_BATCH_STATE failed: transaction ID: tx2: chunk refused') });
    expect(types(h)).toEqual(['WRITE_BATCH_STATE', 'WRITE_BATCH_STATE', 'ERROR']);
  });
});

describe('getMultipleStates / getMultiplePrivateData [stand-in ledger: writes apply at once, no MVCC, a read sees earlier writes]', () => {
  it('without advertisement: one GET_STATE per key, in order', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({}) });
    h.pair.ledger.values.set('mychannel\u0000\u0000b', bytes('B'));
    const got = await within(h, dyn, async (stub) => (await stub.getMultipleStates(['a', 'b'])).map((v) => [Buffer.isBuffer(v), v.toString()]));
    expect(got).toEqual([[true, ''], [true, 'B']]);
    expect(types(h)).toEqual(['GET_STATE', 'GET_STATE', 'COMPLETED']);
  });

  it('an empty key list sends nothing', async () => {
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 }) });
    expect(await within(h, dyn, (stub) => stub.getMultipleStates([]))).toEqual([]);
    expect(types(h)).toEqual(['COMPLETED']);
  });

  for (const [advertised, total, expected] of [
    [10, 250, [100, 100, 50]],
    [300, 250, [250]],
    [120, 240, [120, 120]],
  ] as const) {
    it(`chunks ${total} keys by the advertised limit ${advertised} (floor 100): ${expected.join('+')}`, async () => {
      const { h, dyn } = await dynamicHarness({ readyParams: params({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: advertised }) });
      const all = keys(total);
      for (const k of all.filter((_, i) => i % 3 === 0)) h.pair.ledger.values.set(`mychannel\u0000\u0000${k}`, bytes(`v-${k}`));
      const got = await within(h, dyn, async (stub) => (await stub.getMultipleStates(all)).map((v) => v.toString()));
      expect(got).toEqual(all.map((k, i) => (i % 3 === 0 ? `v-${k}` : '')));
      const reqs = h.sent().filter((m) => m.type === 'GET_STATE_MULTIPLE') as Array<MessageOf<'GET_STATE_MULTIPLE'>>;
      expect(reqs.map((r) => r.payload.keys.length)).toEqual(expected);
      expect(reqs.flatMap((r) => r.payload.keys)).toEqual(all);
      expect(reqs.every((r) => r.payload.collection === '')).toBe(true);
    });
  }

  it('private data: the collection is sent, in both modes', async () => {
    const on = await dynamicHarness({ readyParams: params({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: 100 }) });
    on.h.pair.ledger.values.set('mychannel\u0000c1\u0000a', bytes('A'));
    expect(await within(on.h, on.dyn, async (stub) => (await stub.getMultiplePrivateData('c1', ['a', 'b'])).map(String))).toEqual(['A', '']);
    expect(on.h.sent()[0]).toMatchObject({ type: 'GET_STATE_MULTIPLE', payload: { keys: ['a', 'b'], collection: 'c1' } });
    const off = await dynamicHarness();
    await within(off.h, off.dyn, (stub) => stub.getMultiplePrivateData('c1', ['a']));
    expect(off.h.sent()[0]).toMatchObject({ type: 'GET_STATE', payload: { key: 'a', collection: 'c1' } });
  });

  it('a reply with the wrong number of values, or that does not decode, is an error', async () => {
    let reply = ok(encodeGetStateMultipleResult({ values: [bytes('only one')] }));
    const { h, dyn } = await dynamicHarness({ readyParams: params({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: 100 }), serve: () => reply });
    await expect(within(h, dyn, (stub) => stub.getMultipleStates(['a', 'b']))).rejects.toThrow('GET_STATE_MULTIPLE answered 1 values for 2 keys');
    reply = ok(new Uint8Array([0x0a, 0x09]));
    await expect(within(h, dyn, (stub) => stub.getMultipleStates(['a']))).rejects.toThrow(/could not unmarshal get state multiple keys response/);
  });
});
