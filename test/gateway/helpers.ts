/**
 * A dev peer with organisations and its client endpoint, and @hyperledger/fabric-gateway clients
 * connected to it as an application written for the test network connects (TLS CA and user
 * material from the crypto folder in cryptogen's layout).
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { startGatewayServer, type GatewayServer } from '../../src/gateway/server.js';
import { Peer } from '../../src/peer/peer.js';
import type { PeerOptions } from '../../src/peer/types.js';
import { REPO, nodeCommand } from '../peer/e2e/helpers.js';

export const LEDGER_CC = join(REPO, 'test/gateway/fixtures/ledgerCc.ts');
export const ledgerCcLaunch = { kind: 'process' as const, command: nodeCommand('--import', 'tsx', LEDGER_CC), cwd: REPO };

export interface TestNetwork {
  peer: Peer;
  server: GatewayServer;
  cryptoDir: string;
  dataDir: string | undefined;
  close(): Promise<void>;
}

const dirs: string[] = [];
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function startNetwork(o: { orgs?: string[]; cryptoDir?: string; dataDir?: string; port?: number; tls?: boolean; peer?: PeerOptions; batch?: PeerOptions['network'] extends infer N ? N extends { batch?: infer B } ? B : never : never; policies?: Record<string, string>; extraChaincodes?: Record<string, typeof ledgerCcLaunch> } = {}): Promise<TestNetwork> {
  const cryptoDir = o.cryptoDir ?? tempDir('ccproto-gw-crypto-');
  let address = '';
  const peer = await Peer.start({
    listenPort: 0,
    chaincodes: { ledgercc: ledgerCcLaunch, ...o.extraChaincodes },
    collections: { ledgercc: [{ name: 'coll1', policy: "OR('Org1MSP.member','Org2MSP.member')", requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: false }] },
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    executeTimeoutMs: 20_000,
    ...o.peer,
    network: {
      orgs: o.orgs ?? ['Org1MSP', 'Org2MSP'],
      cryptoDir,
      ...(o.batch ? { batch: o.batch } : {}),
      ...(o.policies ? { policies: o.policies } : {}),
      endpoint: () => address,
    },
  });
  const org1 = peer.network!.orgs[0]!.crypto!;
  const server = await startGatewayServer({ peer, host: '127.0.0.1', port: o.port ?? 0, ...(o.tls === false ? {} : { tls: org1.peerTls }) });
  address = server.address;
  return {
    peer,
    server,
    cryptoDir,
    dataDir: o.dataDir,
    async close() {
      await server.close();
      await peer.close();
    },
  };
}

/** What a test-network application reads from the crypto folder for a user of an organisation. */
export function userMaterial(cryptoDir: string, domain: string, user = 'User1'): { certPem: Buffer; keyPem: Buffer; tlsCa: Buffer } {
  const base = join(cryptoDir, 'peerOrganizations', domain);
  const msp = join(base, 'users', `${user}@${domain}`, 'msp');
  const signcerts = join(msp, 'signcerts');
  const keystore = join(msp, 'keystore');
  return {
    certPem: readFileSync(join(signcerts, readdirSync(signcerts)[0]!)),
    keyPem: readFileSync(join(keystore, readdirSync(keystore)[0]!)),
    tlsCa: readFileSync(join(base, 'peers', `peer0.${domain}`, 'tls', 'ca.crt')),
  };
}

export interface Client {
  gateway: Gateway;
  grpc: grpc.Client;
  close(): void;
}

/** A fabric-gateway connection as the asset-transfer sample application makes one. */
export function connectClient(net: { server: GatewayServer; cryptoDir: string }, o: { mspId?: string; domain?: string; user?: string; signWith?: Buffer; tls?: boolean; noSigner?: boolean } = {}): Client {
  const mspId = o.mspId ?? 'Org1MSP';
  const domain = o.domain ?? 'org1.example.com';
  const m = userMaterial(net.cryptoDir, domain, o.user);
  const credentials = o.tls === false ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(m.tlsCa);
  const client = new grpc.Client(net.server.address, credentials, o.tls === false ? {} : { 'grpc.ssl_target_name_override': `peer0.${domain}` });
  const gateway = connect({
    client,
    identity: { mspId, credentials: m.certPem },
    ...(o.noSigner ? {} : { signer: signers.newPrivateKeySigner(createPrivateKey(o.signWith ?? m.keyPem)) }),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 30_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 30_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return {
    gateway,
    grpc: client,
    close() {
      gateway.close();
      client.close();
    },
  };
}

export const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
