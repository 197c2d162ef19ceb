/**
 * The write buffer of StartWriteBatch/FinishWriteBatch (fabric-chaincode-go shim/batch.go; RFC 0011).
 * While a batch is active, state writes are recorded here instead of being sent; one record is kept
 * per (collection, key, data|metadata) slot, the last write to a slot winning: PUT, DEL and PURGE
 * replace each other, and the last metadata write wins whatever its metakey (docs/protocol.md §12.2, §17.6).
 * Go keeps the slots in a map, so its record order is unspecified; here records come out in the
 * order their slot was first written, which is deterministic.
 */
import { WriteRecordType, type WriteRecord } from '../protocol/messages.js';

const EMPTY = new Uint8Array(0);

export class WriteBatch {
  private readonly slots = new Map<string, WriteRecord>();

  get size(): number {
    return this.slots.size;
  }

  putState(collection: string, key: string, value: Uint8Array): void {
    this.data({ key, value, collection, metadata: undefined, type: WriteRecordType.PUT_STATE });
  }

  delState(collection: string, key: string): void {
    this.data({ key, value: EMPTY, collection, metadata: undefined, type: WriteRecordType.DEL_STATE });
  }

  purgeState(collection: string, key: string): void {
    this.data({ key, value: EMPTY, collection, metadata: undefined, type: WriteRecordType.PURGE_PRIVATE_DATA });
  }

  putStateMetadataEntry(collection: string, key: string, metakey: string, value: Uint8Array): void {
    this.slots.set(slot('metadata', collection, key), {
      key,
      value: EMPTY,
      collection,
      metadata: { metakey, value },
      type: WriteRecordType.PUT_STATE_METADATA,
    });
  }

  /** The records to send. */
  records(): WriteRecord[] {
    return [...this.slots.values()];
  }

  private data(record: WriteRecord): void {
    this.slots.set(slot('data', record.collection, record.key), record);
  }
}

function slot(kind: 'data' | 'metadata', collection: string, key: string): string {
  return JSON.stringify([kind, collection, key]);
}
