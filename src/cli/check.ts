/**
 * `ccproto check TRACE [--json]`: replays a trace (docs/conformance.md, "Traces") through both
 * charts and reports every violation. Exit 0: none; 1: violations found; 2: the trace cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkTrace, formatReport } from '../trace/check.js';
import { parseTrace } from '../trace/format.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, errorText, type CliIo } from './io.js';

export interface CheckCommandOptions {
  json?: boolean;
}

/** Exit code when the trace cannot be read (the same number as a bad command line). */
export const EXIT_UNREADABLE = EXIT_USAGE;

export async function runCheckCommand(path: string, opts: CheckCommandOptions, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd ?? process.cwd(), path), 'utf8');
  } catch (err) {
    io.stderr.write(`ccproto check: cannot read ${path}: ${errorText(err)}\n`);
    return EXIT_UNREADABLE;
  }
  const parsed = parseTrace(text);
  if (!parsed.ok) {
    io.stderr.write(`ccproto check: ${path}:${parsed.line}: ${parsed.reason}\n`);
    return EXIT_UNREADABLE;
  }
  let report;
  try {
    report = checkTrace(parsed.records);
  } catch (err) {
    // Records that parse but that no session could have produced (a REGISTER without its payload).
    io.stderr.write(`ccproto check: ${path}: cannot replay: ${errorText(err)}\n`);
    return EXIT_UNREADABLE;
  }
  io.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatReport(report));
  return report.findings.length === 0 ? EXIT_OK : EXIT_FAILED;
}
