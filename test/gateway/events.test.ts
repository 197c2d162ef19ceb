/**
 * Events through @hyperledger/fabric-gateway: chaincode events resumed with a checkpointer across
 * a peer restart (no event twice, none missed), block and filtered-block events from block 0 in
 * order (block 0 is the channel's genesis config block), and what an SDK block parser reads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointers, type ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { connectClient, removeTempDirs, startNetwork, tempDir, utf8, type TestNetwork } from './helpers.js';
import { waitReady } from '../peer/e2e/helpers.js';

afterAll(removeTempDirs);

async function take<T>(iterable: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length === n) break;
  }
  return out;
}

describe('chaincode events with a checkpointer across a restart', () => {
  let net: TestNetwork | undefined;
  afterAll(async () => net?.close());

  it('resumes after the last event it saw, with nothing repeated and nothing missed', async () => {
    const dataDir = tempDir('ccproto-gw-data-');
    net = await startNetwork({ orgs: ['Org1MSP'], dataDir });
    await waitReady(net.peer, 'ledgercc', 60_000);
    let client = connectClient(net);
    let contract = client.gateway.getNetwork('mychannel').getContract('ledgercc');
    const first = await contract.submitAsync('event', { arguments: ['e1', 'one'] });
    const startBlock = (await first.getStatus()).blockNumber;
    await contract.submitTransaction('event', 'e2', 'two');
    await contract.submitTransaction('event', 'e3', 'three');

    const checkpointer = checkpointers.inMemory();
    const events = await client.gateway.getNetwork('mychannel').getChaincodeEvents('ledgercc', { startBlock });
    const seen: ChaincodeEvent[] = [];
    for await (const e of events) {
      seen.push(e);
      await checkpointer.checkpointChaincodeEvent(e);
      if (seen.length === 2) break;
    }
    events.close();
    expect(seen.map((e) => e.eventName)).toEqual(['e1', 'e2']);
    client.close();

    // Restart the peer on the same data (and crypto) folder; more events happen meanwhile.
    const port = net.server.port;
    await net.close();
    net = await startNetwork({ orgs: ['Org1MSP'], dataDir, cryptoDir: net.cryptoDir, port });
    await waitReady(net.peer, 'ledgercc', 60_000);
    client = connectClient(net);
    contract = client.gateway.getNetwork('mychannel').getContract('ledgercc');
    await contract.submitTransaction('event', 'e4', 'four');

    const resumed = await client.gateway.getNetwork('mychannel').getChaincodeEvents('ledgercc', { checkpoint: checkpointer });
    const rest = await take(resumed, 2);
    resumed.close();
    expect(rest.map((e) => [e.eventName, utf8(e.payload)])).toEqual([
      ['e3', 'three'],
      ['e4', 'four'],
    ]);
    client.close();
  }, 120_000);
});

describe('block events', () => {
  let net: TestNetwork | undefined;
  afterAll(async () => net?.close());

  it('delivers blocks and filtered blocks from block 0, in order, chained by hash', async () => {
    net = await startNetwork({ orgs: ['Org1MSP'] });
    await waitReady(net.peer, 'ledgercc', 60_000);
    const client = connectClient(net);
    try {
      const network = client.gateway.getNetwork('mychannel');
      const contract = network.getContract('ledgercc');
      const txIds: string[] = [];
      for (const v of ['a', 'b']) {
        const c = await contract.submitAsync('event', { arguments: ['named', v] });
        txIds.push(c.getTransactionId());
        await c.getStatus();
      }
      const blocks = await network.getBlockEvents({ startBlock: 0n });
      const got = await take(blocks, 3);
      blocks.close();
      expect(got.map((b) => Number(b.getHeader()!.getNumber()))).toEqual([0, 1, 2]);
      // Block 0 is the genesis config block: one CONFIG envelope an SDK decodes to a channel config.
      const env0 = common.Envelope.deserializeBinary(got[0]!.getData()!.getDataList_asU8()[0]!);
      const payload0 = common.Payload.deserializeBinary(env0.getPayload_asU8());
      const ch0 = common.ChannelHeader.deserializeBinary(payload0.getHeader()!.getChannelHeader_asU8());
      expect(ch0.getType()).toBe(common.HeaderType.CONFIG);
      const config = common.ConfigEnvelope.deserializeBinary(payload0.getData_asU8()).getConfig()!;
      expect([...config.getChannelGroup()!.getGroupsMap().keys()].sort()).toEqual(['Application', 'Orderer']);
      expect([...config.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().keys()]).toEqual(['Org1MSP']);
      // Each header names the hash of the one before.
      const { createHash } = await import('node:crypto');
      expect(got[1]!.getHeader()!.getPreviousHash_asU8().length).toBe(32);
      expect(Buffer.from(got[1]!.getHeader()!.getDataHash_asU8())).toEqual(
        createHash('sha256').update(Buffer.concat(got[1]!.getData()!.getDataList_asU8().map((d) => Buffer.from(d)))).digest(),
      );

      const filtered = await network.getFilteredBlockEvents({ startBlock: 0n });
      const fgot = await take(filtered, 3);
      filtered.close();
      expect(fgot.map((b) => Number(b.getNumber()))).toEqual([0, 1, 2]);
      const txs = fgot.slice(1).map((b) => b.getFilteredTransactionsList()[0]!);
      expect(txs.map((t) => t.getTxid())).toEqual(txIds);
      expect(txs.map((t) => t.getTxValidationCode())).toEqual([0, 0]);
      const ev = txs[0]!.getTransactionActions()!.getChaincodeActionsList()[0]!.getChaincodeEvent()!;
      expect(ev.getEventName()).toBe('named');
      expect(ev.getPayload_asU8().length).toBe(0);
    } finally {
      client.close();
    }
  }, 120_000);
});
