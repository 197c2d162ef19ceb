/**
 * Asset transfer, written on the ccproto chaincode runtime (the fabric-samples "asset-transfer"
 * family, on the low-level Init/Invoke interface). Shows: create / read / update / delete, a transfer
 * that emits an event, a range query with pagination, a CouchDB rich query, key history, and private
 * data taken from the transient map.
 */
import { error, success, type ChaincodeInterface, type ChaincodeResponse, type ChaincodeStub } from '../../src/chaincode/index.js';

export interface Asset {
  docType: 'asset';
  ID: string;
  Color: string;
  Size: number;
  Owner: string;
  AppraisedValue: number;
}

/** The private collection for appraisal details (needs a collection config on a real network). */
export const PRIVATE_COLLECTION = 'assetCollection';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function parseAsset(bytes: Uint8Array, id: string): Asset {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as Asset;
  } catch {
    throw new Error(`the value stored for asset ${id} is not JSON`);
  }
}

export class AssetTransfer implements ChaincodeInterface {
  async Init(): Promise<ChaincodeResponse> {
    return success();
  }

  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    const handler = this.functions[fcn];
    if (!handler) return error(`unknown function ${fcn}; known: ${Object.keys(this.functions).join(', ')}`);
    // A thrown error becomes the transaction's ERROR; here we turn it into a 500 response instead so
    // that clients get the message with status 500, the fabric-samples convention.
    try {
      return success(await handler(stub, params));
    } catch (err) {
      return error(err instanceof Error ? err.message : String(err));
    }
  }

  private readonly functions: Record<string, (stub: ChaincodeStub, p: string[]) => Promise<Buffer | undefined>> = {
    InitLedger: async (stub) => {
      const assets: Array<[string, string, number, string, number]> = [
        ['asset1', 'blue', 5, 'Tomoko', 300],
        ['asset2', 'red', 5, 'Brad', 400],
        ['asset3', 'green', 10, 'Jin Soo', 500],
        ['asset4', 'yellow', 10, 'Max', 600],
        ['asset5', 'black', 15, 'Adriana', 700],
        ['asset6', 'white', 15, 'Michel', 800],
      ];
      // One round trip instead of six when the peer supports write batches (Fabric >= 3.1).
      stub.startWriteBatch();
      for (const [ID, Color, Size, Owner, AppraisedValue] of assets) {
        await stub.putState(ID, json({ docType: 'asset', ID, Color, Size, Owner, AppraisedValue } satisfies Asset));
      }
      await stub.finishWriteBatch();
      return undefined;
    },

    CreateAsset: async (stub, [id, color, size, owner, value]) => {
      if (!id || !color || !size || !owner || !value) throw new Error('CreateAsset needs ID, Color, Size, Owner, AppraisedValue');
      if (await this.exists(stub, id)) throw new Error(`the asset ${id} already exists`);
      const asset: Asset = { docType: 'asset', ID: id, Color: color, Size: Number(size), Owner: owner, AppraisedValue: Number(value) };
      await stub.putState(id, json(asset));
      stub.setEvent('CreateAsset', json(asset));
      return json(asset);
    },

    ReadAsset: async (stub, [id = '']) => json(await this.read(stub, id)),

    UpdateAsset: async (stub, [id = '', color, size, owner, value]) => {
      const asset = await this.read(stub, id);
      const updated: Asset = { ...asset, Color: color ?? asset.Color, Size: size ? Number(size) : asset.Size, Owner: owner ?? asset.Owner, AppraisedValue: value ? Number(value) : asset.AppraisedValue };
      await stub.putState(id, json(updated));
      return json(updated);
    },

    DeleteAsset: async (stub, [id = '']) => {
      if (!(await this.exists(stub, id))) throw new Error(`the asset ${id} does not exist`);
      await stub.deleteState(id);
      return undefined;
    },

    AssetExists: async (stub, [id = '']) => json(await this.exists(stub, id)),

    TransferAsset: async (stub, [id = '', newOwner = '']) => {
      if (!newOwner) throw new Error('TransferAsset needs the new owner');
      const asset = await this.read(stub, id);
      const oldOwner = asset.Owner;
      await stub.putState(id, json({ ...asset, Owner: newOwner }));
      stub.setEvent('TransferAsset', json({ ID: id, from: oldOwner, to: newOwner }));
      return Buffer.from(oldOwner);
    },

    /** Every asset (simple keys only: composite keys are excluded by the empty start key). */
    GetAllAssets: async (stub) => {
      const out: Asset[] = [];
      for await (const { key, value } of stub.getStateByRange('', '')) out.push(parseAsset(value, key));
      return json(out);
    },

    /** One page of assets in key order; pass the returned bookmark to get the next page. */
    GetAssetsByRangeWithPagination: async (stub, [start = '', end = '', pageSize = '10', bookmark = '']) => {
      const { iterator, metadata } = await stub.getStateByRangeWithPagination(start, end, Number(pageSize), bookmark);
      const records: Asset[] = [];
      for await (const { key, value } of iterator) records.push(parseAsset(value, key));
      return json({ records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark });
    },

    /** A CouchDB rich query (LevelDB peers refuse rich queries). */
    QueryAssetsByOwner: async (stub, [owner = '']) => {
      const query = JSON.stringify({ selector: { docType: 'asset', Owner: owner } });
      const out: Asset[] = [];
      for await (const { key, value } of stub.getQueryResult(query)) out.push(parseAsset(value, key));
      return json(out);
    },

    GetAssetHistory: async (stub, [id = '']) => {
      const out: Array<{ txId: string; timestamp: number; isDelete: boolean; asset: Asset | null }> = [];
      for await (const m of stub.getHistoryForKey(id)) {
        out.push({ txId: m.txId, timestamp: m.timestamp.seconds, isDelete: m.isDelete, asset: m.isDelete ? null : parseAsset(m.value, id) });
      }
      return json(out);
    },

    /**
     * Private appraisal details, passed in the transient map (`asset_properties`: JSON) so that they
     * never appear in the transaction; only their hash goes on the ledger.
     */
    CreatePrivateAssetDetails: async (stub, [id = '']) => {
      const transient = stub.getTransient().get('asset_properties');
      if (!transient || transient.length === 0) throw new Error('asset_properties must be given in the transient map');
      const details = JSON.parse(transient.toString('utf8')) as { appraisedValue?: number; notes?: string };
      if (typeof details.appraisedValue !== 'number') throw new Error('asset_properties.appraisedValue must be a number');
      await this.read(stub, id);
      await stub.putPrivateData(PRIVATE_COLLECTION, id, json({ ID: id, ...details }));
      return undefined;
    },

    ReadPrivateAssetDetails: async (stub, [id = '']) => {
      const bytes = await stub.getPrivateData(PRIVATE_COLLECTION, id);
      if (bytes.length === 0) throw new Error(`no private details for asset ${id}`);
      return bytes;
    },
  };

  private async exists(stub: ChaincodeStub, id: string): Promise<boolean> {
    return (await stub.getState(id)).length > 0;
  }

  private async read(stub: ChaincodeStub, id: string): Promise<Asset> {
    const bytes = await stub.getState(id);
    if (bytes.length === 0) throw new Error(`the asset ${id} does not exist`);
    return parseAsset(bytes, id);
  }
}
