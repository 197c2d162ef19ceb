/**
 * A gRPC call spoken on raw `node:http2`, for tests that need a remote side which can stop reading
 * (our own FrameStreams always read): length-prefixed messages written with HTTP/2 flow control
 * respected, and read only while `startReading` is in force. Every loop here is bounded by the
 * number of messages the test asks for.
 */
import type * as http2 from 'node:http2';

/** One gRPC length-prefixed message. */
export function grpcFrame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.byteLength + 5);
  out.writeUInt32BE(payload.byteLength, 1);
  out.set(payload, 5);
  return out;
}

/** Splits a byte stream into gRPC messages. */
export class FrameParser {
  #buf: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (frame: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    while (this.#buf.length >= 5) {
      const len = this.#buf.readUInt32BE(1);
      if (this.#buf.length < 5 + len) return;
      this.onFrame(this.#buf.subarray(5, 5 + len));
      this.#buf = this.#buf.subarray(5 + len);
    }
  }
}

/** Either end of a raw call: writes messages in order, pausing on backpressure; reads on demand. */
export class RawCall {
  written = 0;
  /** True while the last write was refused by flow control and 'drain' has not come yet. */
  blocked = false;
  readonly #parser: FrameParser;
  #sources: Iterator<Uint8Array>[] = [];
  #done = true;

  constructor(
    readonly stream: http2.ClientHttp2Stream | http2.ServerHttp2Stream,
    onFrame: (frame: Buffer) => void,
  ) {
    this.#parser = new FrameParser(onFrame);
    stream.on('error', () => {});
    stream.pause();
    stream.on('drain', () => {
      this.blocked = false;
      this.#pump();
    });
  }

  /** Queue messages (taken lazily from the iterable); written as fast as flow control allows. */
  write(frames: Iterable<Uint8Array>): void {
    this.#sources.push(frames[Symbol.iterator]());
    this.#done = false;
    this.#pump();
  }

  #pump(): void {
    while (!this.blocked && this.#sources.length > 0) {
      const next = this.#sources[0]!.next();
      if (next.done) {
        this.#sources.shift();
        continue;
      }
      const ok = this.stream.write(grpcFrame(next.value));
      this.written++;
      if (!ok) this.blocked = true;
    }
    this.#done = this.#sources.length === 0;
  }

  /** True when every queued message has been handed to the HTTP/2 stream. */
  get drained(): boolean {
    return this.#done;
  }

  startReading(): void {
    if (this.stream.listenerCount('data') === 0) this.stream.on('data', (c: Buffer) => this.#parser.push(c));
    this.stream.resume();
  }

  stopReading(): void {
    this.stream.pause();
  }
}
