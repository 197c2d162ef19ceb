/**
 * The dev peer's blocks as Fabric's own tools read them: cmd/blockdecode decodes each stored block
 * with protolator (what `configtxlator proto_decode --type common.Block` runs) and reads the
 * genesis block's channel configuration with fabric-config's configtx package, which also parses
 * every organisation's MSP (certificates included).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, removeTempDirs, startNetwork, tempDir, type Client, type TestNetwork } from '../../gateway/helpers.js';
import { waitReady } from '../../peer/e2e/helpers.js';
import { GO } from './toolchain.js';

interface Decoded {
  block: {
    header: { number: string; previous_hash: string | null; data_hash: string };
    data: { data: Array<{ payload: { header: { channel_header: { type: number; tx_id: string; channel_id: string } }; data: any } }> };
    metadata: { metadata: any[] };
  };
  config?: {
    channelPolicies: string[];
    applicationOrgs: Array<{ name: string; mspName: string; rootCerts: number; tlsRootCerts: number; nodeOUs: boolean; policies: string[] }>;
    applicationPolicies: string[];
    batchTimeout: string;
    maxMessageCount: number;
    ordererError?: string;
  };
}

describe.skipIf(GO.skip)('Fabric tools decode the dev peer’s blocks', { timeout: 120_000 }, () => {
  let net: TestNetwork;
  let client: Client;
  beforeAll(async () => {
    net = await startNetwork({ orgs: ['Org1MSP', 'Org2MSP'] });
    await waitReady(net.peer, 'ledgercc', 60_000);
    client = connectClient(net);
  }, 90_000);
  afterAll(async () => {
    client?.close();
    await net?.close();
    removeTempDirs();
  });

  it('decodes the genesis block, transaction blocks and their read/write sets', async () => {
    const contract = client.gateway.getNetwork('mychannel').getContract('ledgercc');
    const put = await contract.submitAsync('put', { arguments: ['decoded-key', 'decoded-value'] });
    expect((await put.getStatus()).successful).toBe(true);
    await contract.submit('putPrivate', { arguments: ['coll1', 'secret', 'value'], transientData: { value: 'hidden' } });

    const channel = await net.peer.existingChannel('mychannel')!;
    const dir = tempDir('ccproto-blocks-');
    const files: string[] = [];
    for (let n = 0; ; n++) {
      const bytes = await channel.block(n);
      if (bytes === undefined) break;
      files.push(join(dir, `${n}.block`));
      writeFileSync(files[n]!, bytes);
    }
    expect(files.length).toBeGreaterThanOrEqual(3);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(GO.blockdecode, files, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
    const blocks = JSON.parse(out) as Decoded[];
    expect(blocks.map((b) => Number(b.block.header.number))).toEqual(files.map((_, i) => i));

    // Block 0: the channel's config block, as configtx reads it.
    const genesis = blocks[0]!;
    expect(genesis.block.data.data[0]!.payload.header.channel_header).toMatchObject({ type: 1, channel_id: 'mychannel' });
    expect(genesis.config).toBeDefined();
    const config = genesis.config!;
    expect(config.applicationOrgs.map((o) => o.name).sort()).toEqual(['Org1MSP', 'Org2MSP']);
    for (const org of config.applicationOrgs) {
      expect(org).toMatchObject({ mspName: org.name, rootCerts: 1, tlsRootCerts: 1, nodeOUs: true });
      expect(org.policies).toEqual(expect.arrayContaining(['Readers', 'Writers', 'Admins', 'Endorsement']));
    }
    expect(config.applicationPolicies).toEqual(expect.arrayContaining(['Readers', 'Writers', 'Admins', 'Endorsement', 'LifecycleEndorsement']));
    expect(config.channelPolicies).toEqual(expect.arrayContaining(['Readers', 'Writers', 'Admins']));
    expect(config.ordererError).toBeUndefined();
    expect(config.maxMessageCount).toBeGreaterThan(0);

    // The public write, deep-decoded down to the read/write set.
    const txs = blocks.slice(1).flatMap((b) => b.block.data.data);
    const writes = txs.flatMap((env) =>
      (env.payload.data.actions as any[]).flatMap((a) =>
        (a.payload.action.proposal_response_payload.extension.results.ns_rwset as any[]).flatMap((ns) => (ns.rwset?.writes ?? []).map((w: any) => ({ ns: ns.namespace, ...w }))),
      ),
    );
    expect(writes).toContainEqual(expect.objectContaining({ ns: 'ledgercc', key: 'decoded-key', value: Buffer.from('decoded-value').toString('base64') }));
    // The private write is on the ledger as hashes only.
    const hashed = txs.flatMap((env) =>
      (env.payload.data.actions as any[]).flatMap((a) =>
        (a.payload.action.proposal_response_payload.extension.results.ns_rwset as any[]).flatMap((ns) => (ns.collection_hashed_rwset ?? []).map((c: any) => c.collection_name)),
      ),
    );
    expect(hashed).toContain('coll1');
    // Every block after 0 chains to the one before it.
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.block.header.previous_hash).not.toBeNull();
  });
});
