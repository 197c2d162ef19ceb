/**
 * Writes a trace while a session happens: each frame is decoded (src/wire), followed by both
 * charts (src/observe) and written as one line (./format.ts). Used by `ccproto proxy`; anything
 * that sees the frames of a stream in order can use it.
 */
import { StreamObserver } from '../observe/streamObserver.js';
import type { Side } from '../protocol/violations.js';
import { decodeMessage } from '../wire/index.js';
import { traceLine, type EndRecord, type MessageRecord, type TraceMode } from './format.js';

export type LineSink = (line: string) => void;

/** Wall-clock milliseconds with sub-millisecond precision. */
const wallNow = (): number => performance.timeOrigin + performance.now();

export class TraceRecorder {
  private nextStream = 1;

  constructor(
    private readonly write: LineSink,
    private readonly now: () => number = wallNow,
  ) {}

  /** A new stream: writes its `open` record. */
  open(mode: TraceMode, remote?: string): StreamTrace {
    const stream = this.nextStream++;
    this.write(traceLine({ t: this.now(), stream, event: 'open', mode, ...(remote ? { remote } : {}) }));
    return new StreamTrace(stream, this.write, this.now);
  }
}

export class StreamTrace {
  private readonly observer = new StreamObserver();
  private seq = 0;
  private ended = false;

  constructor(
    readonly id: number,
    private readonly write: LineSink,
    private readonly now: () => number,
  ) {}

  /** One frame `from` a side, as it went on to the other: decoded, observed, written. */
  frame(from: Side, bytes: Uint8Array): MessageRecord {
    const t = this.now();
    const decoded = decodeMessage(bytes);
    const base = { t, stream: this.id, seq: this.seq++, from };
    const record: MessageRecord = decoded.ok
      ? { ...base, message: decoded.message, ...this.observer.message(from, decoded.message, t) }
      : { ...base, malformed: decoded.malformed, frame: bytes, ...this.observer.malformed(from, decoded.malformed, t) };
    this.write(traceLine(record));
    return record;
  }

  /** The stream ended (once; later calls do nothing and return undefined). */
  end(reason: string): EndRecord | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    const t = this.now();
    const record: EndRecord = { t, stream: this.id, event: 'end', reason, ...this.observer.end(reason, t) };
    this.write(traceLine(record));
    return record;
  }
}
