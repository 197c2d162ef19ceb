/**
 * DeliverWithPrivateData through @hyperledger/fabric-gateway (network.getBlockAndPrivateDataEvents),
 * against Fabric's behaviour (core/peer/deliverevents.go getPrivateData over the pvtdata store):
 * a block's private_data_map holds, under each transaction's sequence in the block, the private
 * write sets the requester may read — all collections unless memberOnlyRead, then members only —
 * for invalid transactions too (V2_5 capabilities store them), without expired (blockToLive) or
 * purged data, and they survive a restart with a data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@hyperledger/fabric-gateway';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { connectClient, removeTempDirs, startNetwork, tempDir, utf8, type Client, type TestNetwork } from './helpers.js';
import { waitReady } from '../peer/e2e/helpers.js';

const COLLECTIONS = {
  ledgercc: [
    { name: 'coll1', policy: "OR('Org1MSP.member','Org2MSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: false },
    { name: 'org1only', policy: "OR('Org1MSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: true },
    { name: 'shortlived', policy: "OR('Org1MSP.member','Org2MSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 1, memberOnlyRead: false },
  ],
};

type Written = { ns: string; coll: string; writes: [string, string, boolean][] };

/** The private data map of one block, as an application reads it: seq → namespace/collection/writes. */
function readMap(b: peer.BlockAndPrivateData): Map<number, Written[]> {
  const out = new Map<number, Written[]>();
  b.getPrivateDataMapMap().forEach((tx: ledger.rwset.TxPvtReadWriteSet, seq: number) => {
    const sets: Written[] = [];
    for (const ns of tx.getNsPvtRwsetList()) {
      for (const c of ns.getCollectionPvtRwsetList()) {
        const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(c.getRwset_asU8());
        sets.push({ ns: ns.getNamespace(), coll: c.getCollectionName(), writes: kv.getWritesList().map((w) => [w.getKey(), utf8(w.getValue_asU8()), w.getIsDelete()]) });
      }
    }
    out.set(Number(seq), sets);
  });
  return out;
}

/** The sequence in the block of a transaction, from the block's envelopes. */
function seqOf(b: peer.BlockAndPrivateData, txId: string): number {
  return b
    .getBlock()!
    .getData()!
    .getDataList_asU8()
    .findIndex((d) => {
      const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(d).getPayload_asU8());
      return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId() === txId;
    });
}

async function blockWithPrivateData(client: Client, number: bigint): Promise<peer.BlockAndPrivateData> {
  const events = await client.gateway.getNetwork('mychannel').getBlockAndPrivateDataEvents({ startBlock: number });
  try {
    for await (const b of events) return b;
    throw new Error('no block');
  } finally {
    events.close();
  }
}

async function putPrivate(contract: Contract, coll: string, key: string, value: string, endorsingOrganizations?: string[]): Promise<{ txId: string; block: bigint; code: number }> {
  const proposal = contract.newProposal('putPrivate', { arguments: [coll, key, 'value'], transientData: { value }, ...(endorsingOrganizations ? { endorsingOrganizations } : {}) });
  const commit = await (await proposal.endorse()).submit();
  const status = await commit.getStatus();
  return { txId: commit.getTransactionId(), block: status.blockNumber, code: status.code };
}

afterAll(removeTempDirs);

describe('DeliverWithPrivateData', () => {
  let net: TestNetwork;
  let org1: Client;
  let org2: Client;
  let contract: Contract;

  beforeAll(async () => {
    // Without TLS: the server presents Org1's peer certificate, which an Org2 client would not trust.
    net = await startNetwork({ batch: { batchTimeoutMs: 50 }, tls: false, peer: { collections: COLLECTIONS } });
    await waitReady(net.peer, 'ledgercc', 60_000);
    org1 = connectClient(net, { tls: false });
    org2 = connectClient(net, { mspId: 'Org2MSP', domain: 'org2.example.com', tls: false });
    contract = org1.gateway.getNetwork('mychannel').getContract('ledgercc');
  }, 90_000);

  afterAll(async () => {
    org1?.close();
    org2?.close();
    await net?.close();
  });

  it("a private write committed in block N is in block N's map under its transaction's sequence", async () => {
    const w = await putPrivate(contract, 'coll1', 'k1', 'secret-1');
    expect(w.code).toBe(0);
    const b = await blockWithPrivateData(org1, w.block);
    expect(Number(b.getBlock()!.getHeader()!.getNumber())).toBe(Number(w.block));
    const seq = seqOf(b, w.txId);
    expect(seq).toBeGreaterThanOrEqual(0);
    expect(readMap(b)).toEqual(new Map([[seq, [{ ns: 'ledgercc', coll: 'coll1', writes: [['k1', 'secret-1', false]] }]]]));
    expect(b.getPrivateDataMapMap().get(seq)!.getDataModel()).toBe(0);
  });

  it('two transactions of one block: each under its own sequence', async () => {
    const endorse = (key: string, value: string) => contract.newProposal('putPrivate', { arguments: ['coll1', key, 'value'], transientData: { value } }).endorse();
    const [ta, tb] = [await endorse('m1', 'first'), await endorse('m2', 'second')];
    const [ca, cb] = await Promise.all([ta.submit(), tb.submit()]);
    const [sa, sb] = await Promise.all([ca.getStatus(), cb.getStatus()]);
    expect(sa.blockNumber).toBe(sb.blockNumber);
    const b = await blockWithPrivateData(org1, sa.blockNumber);
    const [qa, qb] = [seqOf(b, ca.getTransactionId()), seqOf(b, cb.getTransactionId())];
    expect(new Set([qa, qb])).toEqual(new Set([0, 1]));
    expect(readMap(b)).toEqual(
      new Map([
        [qa, [{ ns: 'ledgercc', coll: 'coll1', writes: [['m1', 'first', false]] }]],
        [qb, [{ ns: 'ledgercc', coll: 'coll1', writes: [['m2', 'second', false]] }]],
      ]),
    );
  });

  it('the bytes are the private write set whose hash the transaction carries', async () => {
    const w = await putPrivate(contract, 'coll1', 'k-hash', 'v-hash');
    const b = await blockWithPrivateData(org1, w.block);
    const seq = seqOf(b, w.txId);
    const rwset = b.getPrivateDataMapMap().get(seq)!.getNsPvtRwsetList()[0]!.getCollectionPvtRwsetList()[0]!.getRwset_asU8();
    const env = common.Envelope.deserializeBinary(b.getBlock()!.getData()!.getDataList_asU8()[seq]!);
    const tx = peer.Transaction.deserializeBinary(common.Payload.deserializeBinary(env.getPayload_asU8()).getData_asU8());
    const cap = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0]!.getPayload_asU8());
    const prp = peer.ProposalResponsePayload.deserializeBinary(cap.getAction()!.getProposalResponsePayload_asU8());
    const results = ledger.rwset.TxReadWriteSet.deserializeBinary(peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getResults_asU8());
    const hashed = results.getNsRwsetList().find((n) => n.getNamespace() === 'ledgercc')!.getCollectionHashedRwsetList().find((c) => c.getCollectionName() === 'coll1')!;
    const { createHash } = await import('node:crypto');
    expect(Buffer.from(hashed.getPvtRwsetHash_asU8())).toEqual(createHash('sha256').update(rwset).digest());
  });

  it('memberOnlyRead: a requester of an organisation outside the collection does not get it; a member does', async () => {
    const w = await putPrivate(contract, 'org1only', 'k2', 'members-only');
    expect(w.code).toBe(0);
    const mine = await blockWithPrivateData(org1, w.block);
    const seq = seqOf(mine, w.txId);
    expect(readMap(mine).get(seq)).toEqual([{ ns: 'ledgercc', coll: 'org1only', writes: [['k2', 'members-only', false]] }]);
    const theirs = await blockWithPrivateData(org2, w.block);
    expect(theirs.getPrivateDataMapMap().getLength()).toBe(0);
    // Without memberOnlyRead any reader of the channel gets it.
    const open = await putPrivate(contract, 'coll1', 'k3', 'for-all');
    const other = await blockWithPrivateData(org2, open.block);
    expect(readMap(other).get(seqOf(other, open.txId))).toEqual([{ ns: 'ledgercc', coll: 'coll1', writes: [['k3', 'for-all', false]] }]);
  });

  it("an invalid transaction's private data is delivered too, as Fabric stores it (StorePvtDataOfInvalidTx)", async () => {
    // One endorsement where the chaincode policy needs both organisations: ENDORSEMENT_POLICY_FAILURE.
    const w = await putPrivate(contract, 'coll1', 'k4', 'never-committed', ['Org1MSP']);
    expect(w.code).toBe(10);
    expect(utf8(await contract.evaluateTransaction('getPrivate', 'coll1', 'k4'))).toBe('');
    const b = await blockWithPrivateData(org1, w.block);
    expect(readMap(b).get(seqOf(b, w.txId))).toEqual([{ ns: 'ledgercc', coll: 'coll1', writes: [['k4', 'never-committed', false]] }]);
  });

  it('a block without private data has an empty map (block 0 too)', async () => {
    const c = await contract.submitAsync('put', { arguments: ['pub', 'x'] });
    const s = await c.getStatus();
    expect((await blockWithPrivateData(org1, s.blockNumber)).getPrivateDataMapMap().getLength()).toBe(0);
    expect((await blockWithPrivateData(org1, 0n)).getPrivateDataMapMap().getLength()).toBe(0);
  });

  it('blockToLive: gone once the collection expires it (block + blockToLive + 1)', async () => {
    const w = await putPrivate(contract, 'shortlived', 'k5', 'brief');
    const seqAt = async (): Promise<Written[] | undefined> => {
      const b = await blockWithPrivateData(org1, w.block);
      return readMap(b).get(seqOf(b, w.txId));
    };
    expect(await seqAt()).toEqual([{ ns: 'ledgercc', coll: 'shortlived', writes: [['k5', 'brief', false]] }]);
    const next = await contract.submitAsync('put', { arguments: ['tick', '1'] });
    expect((await next.getStatus()).blockNumber).toBe(w.block + 1n);
    expect(await seqAt()).toEqual([{ ns: 'ledgercc', coll: 'shortlived', writes: [['k5', 'brief', false]] }]);
    const expiring = await contract.submitAsync('put', { arguments: ['tick', '2'] });
    expect((await expiring.getStatus()).blockNumber).toBe(w.block + 2n);
    expect(await seqAt()).toBeUndefined();
  });

  it("PurgePrivateData: the purged key's earlier writes are left out of earlier blocks' private data", async () => {
    const a = await putPrivate(contract, 'coll1', 'p1', 'purge-me');
    const b = await putPrivate(contract, 'coll1', 'p2', 'keep-me');
    const purge = await contract.submitAsync('purgePrivate', { arguments: ['coll1', 'p1'] });
    expect((await purge.getStatus()).code).toBe(0);
    const ba = await blockWithPrivateData(org1, a.block);
    expect(readMap(ba).get(seqOf(ba, a.txId))).toEqual([{ ns: 'ledgercc', coll: 'coll1', writes: [] }]);
    const bb = await blockWithPrivateData(org1, b.block);
    expect(readMap(bb).get(seqOf(bb, b.txId))).toEqual([{ ns: 'ledgercc', coll: 'coll1', writes: [['p2', 'keep-me', false]] }]);
    // A later write of the key is not purged.
    const again = await putPrivate(contract, 'coll1', 'p1', 'written-again');
    const bg = await blockWithPrivateData(org1, again.block);
    expect(readMap(bg).get(seqOf(bg, again.txId))).toEqual([{ ns: 'ledgercc', coll: 'coll1', writes: [['p1', 'written-again', false]] }]);
  });
});

describe('DeliverWithPrivateData across a restart', () => {
  let net: TestNetwork | undefined;
  afterAll(async () => net?.close());

  it('private data committed before a restart with a data directory is still delivered', async () => {
    const dataDir = tempDir('ccproto-gw-pvt-');
    net = await startNetwork({ orgs: ['Org1MSP'], dataDir, peer: { collections: COLLECTIONS } });
    await waitReady(net.peer, 'ledgercc', 60_000);
    let client = connectClient(net);
    const w = await putPrivate(client.gateway.getNetwork('mychannel').getContract('ledgercc'), 'org1only', 'kept', 'across-restart');
    expect(w.code).toBe(0);
    client.close();

    const port = net.server.port;
    await net.close();
    net = await startNetwork({ orgs: ['Org1MSP'], dataDir, cryptoDir: net.cryptoDir, port, peer: { collections: COLLECTIONS } });
    await waitReady(net.peer, 'ledgercc', 60_000);
    client = connectClient(net);
    try {
      const b = await blockWithPrivateData(client, w.block);
      expect(readMap(b).get(seqOf(b, w.txId))).toEqual([{ ns: 'ledgercc', coll: 'org1only', writes: [['kept', 'across-restart', false]] }]);
    } finally {
      client.close();
    }
  }, 120_000);
});
