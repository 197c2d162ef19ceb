/**
 * Replaying a trace through both charts, stream by stream: what `ccproto check` (./check.ts) reports
 * from and what `ccproto trace render` (./render.ts) draws. The states and findings a record carries
 * are ignored and recomputed with the current charts, so a trace written by another tool (only
 * `t`, `stream`, `from`, `message` / `malformed` and the open/end events) replays the same.
 */
import type { Finding } from '../observe/findings.js';
import { StreamObserver, type ChartSnapshot } from '../observe/streamObserver.js';
import { isMessageRecord, type EndRecord, type MessageRecord, type OpenRecord, type TraceRecord } from './format.js';

/** A message record with both sides' charts after it and what the observers found at it. */
export interface Step {
  record: MessageRecord;
  peer: ChartSnapshot;
  chaincode: ChartSnapshot;
  findings: Finding[];
}

/** The end of a stream, with both sides' charts after it and what was found then. */
export interface EndStep {
  record: EndRecord;
  peer: ChartSnapshot;
  chaincode: ChartSnapshot;
  findings: Finding[];
}

/** One stream, replayed. */
export interface StreamReplay {
  stream: number;
  open?: OpenRecord;
  steps: Step[];
  end?: EndStep;
}

/**
 * Replays every stream, in the order the streams first appear; `visit` sees each step as its record
 * comes (the trace's order across streams).
 */
export function replayTrace(records: readonly TraceRecord[], visit?: (step: Step | EndStep) => void): StreamReplay[] {
  const streams = new Map<number, { replay: StreamReplay; observer: StreamObserver }>();
  const of = (id: number) => {
    let s = streams.get(id);
    if (!s) streams.set(id, (s = { replay: { stream: id, steps: [] }, observer: new StreamObserver() }));
    return s;
  };
  for (const r of records) {
    const { replay, observer } = of(r.stream);
    if (isMessageRecord(r)) {
      const seen = r.message ? observer.message(r.from, r.message, r.t) : observer.malformed(r.from, r.malformed!, r.t);
      const step: Step = { record: r, ...seen };
      replay.steps.push(step);
      visit?.(step);
    } else if (r.event === 'open') {
      replay.open ??= r;
    } else if (!replay.end) {
      replay.end = { record: r, ...observer.end(r.reason, r.t) };
      visit?.(replay.end);
    }
  }
  return [...streams.values()].map((s) => s.replay);
}
