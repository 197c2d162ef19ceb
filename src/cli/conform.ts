/**
 * `ccproto conform chaincode [--json] -- COMMAND [ARGS…]`: the scenario catalogue against an
 * external command chaincode (docs/conformance.md). Exit 0 when no scenario fails (known
 * deviations do not fail), 1 otherwise.
 */
import { conformChaincode } from '../conform/conformChaincode.js';
import { CHAINCODE_SCENARIOS } from '../conform/chaincodeScenarios.js';
import { formatConform } from '../conform/report.js';
import { UsageError, parseDuration } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';

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
