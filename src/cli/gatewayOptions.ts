/**
 * The options of `ccproto peer` for the client endpoint and the organisations (docs/cli.md,
 * docs/gateway.md): --gateway, --no-gateway-tls, --org, --crypto-dir, --msp, --batch-timeout,
 * --batch-size, --endorsement-policy, --channel.
 */
import { join, resolve } from 'node:path';
import type { PeerNetworkOptions } from '../peer/types.js';
import { parsePolicy } from '../policy/index.js';
import { UsageError, parseAssignment, parseByteSize, parseCount, parseDuration, parseHostPort, type HostPort } from './args.js';

export interface GatewayCliOptions {
  /** Default 127.0.0.1:7051. */
  gateway?: string;
  /** Default true (`--no-gateway-tls` sets false). */
  gatewayTls?: boolean;
  org?: string[];
  cryptoDir?: string;
  msp?: string[];
  batchTimeout?: string;
  batchSize?: string;
  endorsementPolicy?: string[];
  channel?: string[];
}

export interface GatewayConfig {
  endpoint: HostPort;
  tls: boolean;
  network: PeerNetworkOptions;
  /** Set when the crypto folder is a fresh temporary one (its path is logged at start). */
  temporaryCryptoDir: boolean;
}

/** Fabric's peer.listenAddress default. */
export const DEFAULT_GATEWAY = '127.0.0.1:7051';

const MSP_ID = /^[A-Za-z0-9._-]+$/;

export function gatewayFromCli(opts: GatewayCliOptions, peerMspId: string, dataDir: string | undefined, cwd: string): GatewayConfig {
  const endpoint = parseHostPort(opts.gateway ?? DEFAULT_GATEWAY, '--gateway');
  const orgs: string[] = [];
  for (const raw of opts.org ?? [peerMspId]) {
    const id = raw.trim();
    if (!MSP_ID.test(id)) throw new UsageError(`invalid --org ${JSON.stringify(raw)} (an MSP id such as Org1MSP)`);
    if (orgs.includes(id)) throw new UsageError(`--org ${id} is given twice`);
    orgs.push(id);
  }
  const mspDirs: Record<string, string> = {};
  for (const spec of opts.msp ?? []) {
    const { name, value } = parseAssignment(spec, '--msp', 'DIR');
    if (!orgs.includes(name)) orgs.push(name);
    if (mspDirs[name] !== undefined) throw new UsageError(`--msp ${name} is given twice`);
    mspDirs[name] = resolve(cwd, value);
  }
  const policies: Record<string, string> = {};
  for (const spec of opts.endorsementPolicy ?? []) {
    const { name, value } = parseAssignment(spec, '--endorsement-policy', 'POLICY');
    const p = parsePolicy(value);
    if (!p.ok) throw new UsageError(`--endorsement-policy ${name}: ${p.error} (e.g. "AND('Org1MSP.peer','Org2MSP.peer')")`);
    policies[name] = value;
  }
  const batch: NonNullable<PeerNetworkOptions['batch']> = {};
  if (opts.batchTimeout !== undefined) batch.batchTimeoutMs = parseDuration(opts.batchTimeout, '--batch-timeout');
  if (opts.batchSize !== undefined) {
    // MAX_MESSAGE_COUNT[,PREFERRED_MAX_BYTES], e.g. 500 or 10,512KiB
    const [count, bytes, extra] = opts.batchSize.split(',');
    if (extra !== undefined) throw new UsageError(`invalid --batch-size ${JSON.stringify(opts.batchSize)} (MAX_MESSAGE_COUNT[,PREFERRED_MAX_BYTES], e.g. 500 or 10,512KiB)`);
    batch.maxMessageCount = parseCount(count!, '--batch-size');
    if (bytes !== undefined) batch.preferredMaxBytes = parseByteSize(bytes, '--batch-size');
  }
  const channels: string[] = [];
  for (const raw of opts.channel ?? ['mychannel']) {
    const c = raw.trim();
    // configtx/validator.go: channel names are lower case letters, digits, '.', '-'; start with a letter.
    if (!/^[a-z][a-z0-9.-]{0,248}$/.test(c)) throw new UsageError(`invalid --channel ${JSON.stringify(raw)} (lower-case letters, digits, '.' and '-', starting with a letter)`);
    if (!channels.includes(c)) channels.push(c);
  }
  const temporaryCryptoDir = opts.cryptoDir === undefined && dataDir === undefined;
  // Without a folder the peer makes a fresh temporary one when it starts (and logs its path).
  const cryptoDir = opts.cryptoDir !== undefined ? resolve(cwd, opts.cryptoDir) : dataDir !== undefined ? join(dataDir, 'crypto') : undefined;
  return {
    endpoint,
    tls: opts.gatewayTls ?? true,
    temporaryCryptoDir,
    network: {
      orgs,
      ...(cryptoDir !== undefined ? { cryptoDir } : {}),
      ...(Object.keys(mspDirs).length > 0 ? { mspDirs } : {}),
      ...(Object.keys(policies).length > 0 ? { policies } : {}),
      ...(Object.keys(batch).length > 0 ? { batch } : {}),
      channels,
    },
  };
}
