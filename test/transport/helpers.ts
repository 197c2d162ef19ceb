/** Shared helpers for the transport tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';

import { Status } from '../../src/transport/index.js';
import type { CloseReason, FrameListenerHandle, FrameStream } from '../../src/transport/index.js';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(fixturesDir + name, 'utf8');
}

export const certs = {
  caPem: fixture('ca.pem'),
  serverKeyPem: fixture('server.key'),
  serverCertPem: fixture('server.pem'),
  clientKeyPem: fixture('client.key'),
  clientCertPem: fixture('client.pem'),
  otherCaPem: fixture('other-ca.pem'),
  otherClientKeyPem: fixture('other-client.key'),
  otherClientCertPem: fixture('other-client.pem'),
};

/** DER bytes of the first certificate in a PEM. */
export function pemToDer(pem: string): Buffer {
  const body = pem
    .replace(/-----BEGIN CERTIFICATE-----/, '')
    .replace(/-----END CERTIFICATE-----[\s\S]*/, '')
    .replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

/** Records everything a FrameStream reports; counts close notifications. */
export class Recorder {
  readonly frames: Buffer[] = [];
  readonly closes: CloseReason[] = [];
  #waiters: { n: number; resolve: () => void }[] = [];

  constructor(readonly stream: FrameStream) {
    stream.onFrame((f) => {
      this.frames.push(Buffer.from(f));
      this.#wake();
    });
    stream.onClose((r) => {
      this.closes.push(r);
      this.#wake();
    });
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (this.frames.length >= w.n || this.closes.length > 0) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Resolves once `n` frames arrived or the stream closed (whichever first); rejects on timeout. */
  waitFrames(n: number, timeoutMs = 5_000): Promise<void> {
    if (this.frames.length >= n || this.closes.length > 0) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => this.#waiters.push({ n, resolve })),
      timeoutMs,
      `waiting for ${n} frames (have ${this.frames.length})`,
    );
  }

  async waitClose(timeoutMs = 5_000): Promise<CloseReason> {
    return withTimeout(this.stream.closed, timeoutMs, 'waiting for close');
  }

  texts(): string[] {
    return this.frames.map((f) => f.toString('utf8'));
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 10 ms, bounded. */
export async function eventually(cond: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Tracks listeners and streams of one test and closes them all. */
export class Resources {
  readonly listeners: FrameListenerHandle[] = [];
  readonly streams: FrameStream[] = [];
  readonly cleanups: (() => void | Promise<void>)[] = [];

  listener<T extends FrameListenerHandle>(l: T): T {
    this.listeners.push(l);
    return l;
  }
  stream<T extends FrameStream>(s: T): T {
    this.streams.push(s);
    return s;
  }
  async closeAll(): Promise<void> {
    for (const s of this.streams.splice(0)) s.close('test cleanup');
    for (const c of this.cleanups.splice(0)) await c();
    for (const l of this.listeners.splice(0)) await l.close();
  }
}

/** Asserts an error close with `code` (and, when given, a message matching `message`). */
export function expectError(
  reason: CloseReason | undefined,
  code: Status,
  message?: RegExp,
): asserts reason is Extract<CloseReason, { kind: 'error' }> {
  expect(reason?.kind).toBe('error');
  if (reason?.kind === 'error') {
    expect(reason.codeName).toBe(Status[code]);
    expect(reason.code).toBe(code);
    if (message) expect(reason.message).toMatch(message);
  }
}
