/**
 * `ccproto charts [--json | --mermaid] [NAME]`: the protocol's state charts (machines/), as the
 * docs show them, for a reader or a state-chart tool (docs/cli.md).
 */
import { UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';

export interface ChartsCommandOptions {
  json?: boolean;
  mermaid?: boolean;
}

export async function runChartsCommand(opts: ChartsCommandOptions, name: string | undefined, io: CliIo): Promise<number> {
  if (opts.json && opts.mermaid) throw new UsageError('give --json or --mermaid, not both');
  // Loaded on use: the other commands never need the charts.
  const { CHARTS, chartJson, chartMermaid } = await import('../../machines/render.js');
  const chosen = name === undefined ? CHARTS : CHARTS.filter((c) => c.name === name);
  if (chosen.length === 0) throw new UsageError(`no chart ${JSON.stringify(name)} (charts: ${CHARTS.map((c) => c.name).join(', ')})`);
  if (opts.json) {
    const json = name === undefined ? Object.fromEntries(chosen.map((c) => [c.name, chartJson(c.machine)])) : chartJson(chosen[0]!.machine);
    io.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else if (opts.mermaid || name !== undefined) {
    io.stdout.write(chosen.map((c) => `%% ${c.name}: ${c.summary}\n${chartMermaid(c.machine)}\n`).join('\n'));
  } else {
    for (const c of chosen) io.stdout.write(`${c.name.padEnd(18)}${c.summary}\n`);
  }
  return EXIT_OK;
}
