/**
 * `ccproto conform chaincode [--json] -- COMMAND [ARGS…]` and `ccproto conform peer --peer HOST:PORT
 * [--json]`: a scenario catalogue against an external implementation (docs/conformance.md). Exit 0
 * when no scenario fails (known deviations do not fail), 1 otherwise.
 */
import { conformChaincode } from '../conform/conformChaincode.js';
import { CHAINCODE_SCENARIOS } from '../conform/chaincodeScenarios.js';
import { conformPeer } from '../conform/conformPeer.js';
import { PEER_SCENARIOS } from '../conform/peerScenarios.js';
import { formatConform } from '../conform/report.js';
import { UsageError, parseDuration, parseHostPort } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { PEER_TLS_FLAGS, clientTlsFromFlags } from './tlsFiles.js';

export interface ConformChaincodeCommandOptions {
  json?: boolean;
  startTimeout?: string;
  replyTimeout?: string;
  only?: string[];
}

export async function runConformChaincodeCommand(command: string[], opts: ConformChaincodeCommandOptions, io: CliIo): Promise<number> {
  if (command.length === 0) throw new UsageError('give the chaincode command after --: ccproto conform chaincode -- node chaincode.js');
  const ids = CHAINCODE_SCENARIOS.map((s) => s.id);
  for (const id of opts.only ?? []) if (!ids.includes(id)) throw new UsageError(`no scenario ${JSON.stringify(id)} (scenarios: ${ids.join(', ')})`);
  const report = await conformChaincode({
    command,
    ...(opts.startTimeout ? { startTimeoutMs: parseDuration(opts.startTimeout, '--start-timeout') } : {}),
    ...(opts.replyTimeout ? { replyTimeoutMs: parseDuration(opts.replyTimeout, '--reply-timeout') } : {}),
    ...(opts.only?.length ? { only: opts.only } : {}),
    onScenario: opts.json ? undefined : (r) => void io.stderr.write(`${r.id}: ${r.outcome} (${r.ms} ms)\n`),
  });
  io.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatConform(report));
  return report.failed === 0 ? EXIT_OK : EXIT_FAILED;
}

export interface ConformPeerCommandOptions {
  peer?: string;
  api?: string;
  json?: boolean;
  name?: string;
  replyTimeout?: string;
  only?: string[];
  tlsRootCert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
  tlsServerName?: string;
}

export async function runConformPeerCommand(opts: ConformPeerCommandOptions, io: CliIo): Promise<number> {
  if (!opts.peer) throw new UsageError('--peer HOST:PORT is required (the peer\'s chaincode listener, 7052 in Fabric)');
  const { host, port } = parseHostPort(opts.peer, '--peer');
  const ids = PEER_SCENARIOS.map((s) => s.id);
  for (const id of opts.only ?? []) if (!ids.includes(id)) throw new UsageError(`no scenario ${JSON.stringify(id)} (scenarios: ${ids.join(', ')})`);
  const tls = clientTlsFromFlags(
    { rootCert: opts.tlsRootCert, clientCert: opts.tlsClientCert, clientKey: opts.tlsClientKey, serverName: opts.tlsServerName },
    PEER_TLS_FLAGS,
    'the peer',
    io.cwd ?? process.cwd(),
  );
  const report = await conformPeer({
    peer: `${host}:${port}`,
    ...(tls ? { tls } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.api ? { api: opts.api } : {}),
    ...(opts.replyTimeout ? { replyTimeoutMs: parseDuration(opts.replyTimeout, '--reply-timeout') } : {}),
    ...(opts.only?.length ? { only: opts.only } : {}),
    onScenario: opts.json ? undefined : (r) => void io.stderr.write(`${r.id}: ${r.outcome} (${r.ms} ms)\n`),
  });
  io.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatConform(report));
  return report.failed === 0 ? EXIT_OK : EXIT_FAILED;
}
