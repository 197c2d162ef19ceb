/**
 * `ccproto check`: replays a trace through both charts, stream by stream, and lists every finding
 * with where it happened. The states and findings a trace carries are ignored and recomputed, so
 * the verdict is the current charts' (and a trace from another tool needs only the messages).
 */
import type { Finding } from '../observe/findings.js';
import { isMessageRecord, type TraceRecord } from './format.js';
import { replayTrace } from './replay.js';

export interface LocatedFinding extends Finding {
  stream: number;
  /** The message's `seq` in its stream; -1 for the end of the stream. */
  index: number;
  /** The message type, or `end`. */
  at: string;
  /** The finder's charts, `handler` and the transaction's state if it runs. */
  chart: string;
}

export interface CheckReport {
  streams: number;
  messages: number;
  findings: LocatedFinding[];
}

export function checkTrace(records: readonly TraceRecord[]): CheckReport {
  const findings: LocatedFinding[] = [];
  let messages = 0;
  const streams = replayTrace(records, (step) => {
    const r = step.record;
    if (!isMessageRecord(r)) {
      for (const f of step.findings) findings.push({ ...f, stream: r.stream, index: -1, at: 'end', chart: f.state });
      return;
    }
    messages++;
    const at = r.message?.type ?? 'malformed';
    for (const f of step.findings) {
      const side = step[f.foundBy];
      const tx = side.txs.find((x) => x.txid === f.txid && x.channelId === f.channelId);
      findings.push({ ...f, stream: r.stream, index: r.seq, at, chart: tx ? `${side.handler}/${tx.state}` : side.handler });
    }
  });
  return { streams: streams.length, messages, findings };
}

/** The report as text: one paragraph per finding, then a summary line. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  for (const f of report.findings) {
    const where = f.index < 0 ? `stream ${f.stream}, at its end` : `stream ${f.stream}, message ${f.index} (${f.at})`;
    out.push(
      `${where}${f.txid ? `, tx ${f.channelId ? `${f.channelId}/` : ''}${f.txid}` : ''}: ${f.code} — ${f.blame} to blame (found by the ${f.foundBy}'s chart in ${f.chart})`,
      `  got ${f.got}; expected ${f.expected}${f.cause ? ` (${f.cause})` : ''}`,
      `  rule: ${f.rule}`,
    );
  }
  const n = report.findings.length;
  out.push(`${report.streams} stream(s), ${report.messages} message(s): ${n === 0 ? 'no violations' : `${n} violation(s)`}`);
  return out.join('\n') + '\n';
}
