/**
 * `ccproto trace render TRACE [--stream ID] [--tx TXID] --format mermaid|html [--out FILE]`: a
 * sequence diagram of each stream of a trace (or of one stream, or of one transaction), with both
 * sides' chart states after every message and each finding where it happened (docs/conformance.md,
 * "ccproto trace render"). Exit 0: written; 2: the trace cannot be read, or the selection is empty;
 * 1: the output file cannot be written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseTrace } from '../trace/format.js';
import { selectDiagrams, type Selection } from '../trace/render.js';
import { renderHtml } from '../trace/renderHtml.js';
import { renderMermaid } from '../trace/renderMermaid.js';
import { UsageError } from './args.js';
import { EXIT_UNREADABLE } from './check.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, errorText, type CliIo } from './io.js';

export const RENDER_FORMATS = ['mermaid', 'html'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export interface TraceRenderOptions {
  format: RenderFormat;
  stream?: string;
  tx?: string;
  out?: string;
}

const NAME = 'ccproto trace render';

export async function runTraceRenderCommand(path: string, opts: TraceRenderOptions, io: CliIo): Promise<number> {
  if (!RENDER_FORMATS.includes(opts.format)) throw new UsageError(`--format must be one of ${RENDER_FORMATS.join(', ')}`);
  const selection: Selection = {};
  if (opts.stream !== undefined) {
    const id = Number(opts.stream);
    if (opts.stream.trim() === '' || !Number.isFinite(id)) throw new UsageError(`--stream takes a stream id (a number), not ${JSON.stringify(opts.stream)}`);
    selection.stream = id;
  }
  if (opts.tx !== undefined) {
    if (opts.tx === '') throw new UsageError('--tx takes a transaction id, not an empty string');
    selection.tx = opts.tx;
  }

  const cwd = io.cwd ?? process.cwd();
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (err) {
    io.stderr.write(`${NAME}: cannot read ${path}: ${errorText(err)}\n`);
    return EXIT_UNREADABLE;
  }
  const parsed = parseTrace(text);
  if (!parsed.ok) {
    io.stderr.write(`${NAME}: ${path}:${parsed.line}: ${parsed.reason}\n`);
    return EXIT_UNREADABLE;
  }
  let selected: ReturnType<typeof selectDiagrams>;
  try {
    selected = selectDiagrams(parsed.records, selection);
  } catch (err) {
    // A record the parser let through but the charts cannot follow (a payload of the wrong shape).
    io.stderr.write(`${NAME}: ${path}: cannot replay the trace: ${errorText(err)}\n`);
    return EXIT_UNREADABLE;
  }
  if (!selected.ok) {
    io.stderr.write(`${NAME}: ${path}: ${selected.reason}; nothing to render\n`);
    return EXIT_USAGE;
  }
  const output = opts.format === 'html' ? renderHtml(selected.diagrams, { title: basename(path) }) : renderMermaid(selected.diagrams);
  if (opts.out === undefined) {
    io.stdout.write(output);
    return EXIT_OK;
  }
  try {
    await writeFile(resolve(cwd, opts.out), output);
  } catch (err) {
    io.stderr.write(`${NAME}: cannot write ${opts.out}: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
