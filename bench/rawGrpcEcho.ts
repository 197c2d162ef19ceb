/**
 * Baseline benchmark: raw @grpc/grpc-js bidirectional echo between TWO processes over 127.0.0.1.
 *
 * The server runs in a child process (bench/rawGrpcEchoServer.ts). The client opens ONE bidi stream
 * and keeps `inFlight` slots busy: each slot sends a small frame (~60 bytes) and sends its next one
 * only when its echo has come back. Echoes are counted for a fixed duration after a short warm-up.
 * This is the ceiling the peer benchmark compares against (same transport, no protocol work).
 *
 *   node --import tsx bench/rawGrpcEcho.ts [--duration-ms 5000] [--in-flight 64] [--frame-bytes 60]
 *
 * Last stdout line: {"bench":"rawGrpcEcho","roundTripsPerSecond":N}
 * Bounded: a watchdog aborts after duration + 30 s; the child is always killed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { Client, credentials } from '@grpc/grpc-js';

const ECHO_METHOD_PATH = '/bench.Echo/Echo'; // keep in sync with rawGrpcEchoServer.ts

export interface RawEchoOptions {
  /** Measured duration (after warm-up). Default 5000 ms. */
  readonly durationMs?: number;
  /** Concurrent round trips on the one stream. Default 64. */
  readonly inFlight?: number;
  /** Frame size in bytes. Default 60 (a small ChaincodeMessage). */
  readonly frameBytes?: number;
  /** Unmeasured warm-up. Default min(500, durationMs / 5) ms. */
  readonly warmupMs?: number;
}

export interface RawEchoResult {
  readonly roundTripsPerSecond: number;
  readonly roundTrips: number;
  readonly measuredMs: number;
  readonly inFlight: number;
  readonly frameBytes: number;
  /** Little's law: inFlight / throughput. */
  readonly meanLatencyMs: number;
}

const benchDir = fileURLToPath(new URL('./', import.meta.url));
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

async function startServer(): Promise<{ child: ChildProcessWithoutNullStreams; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${benchDir}rawGrpcEchoServer.ts`], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`echo server did not start within 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`echo server exited early (code ${code}): ${stderr}`));
    });
  });
  return { child, port };
}

async function stopServer(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

export async function runRawEcho(options: RawEchoOptions = {}): Promise<RawEchoResult> {
  const durationMs = options.durationMs ?? 5_000;
  const inFlight = options.inFlight ?? 64;
  const frameBytes = Math.max(options.frameBytes ?? 60, 2);
  const warmupMs = options.warmupMs ?? Math.min(500, durationMs / 5);
  if (!(durationMs > 0) || !(inFlight >= 1)) throw new RangeError('durationMs and inFlight must be positive');

  const { child, port } = await startServer();
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const watchdog = setTimeout(() => {
    client.close();
    child.kill('SIGKILL');
  }, warmupMs + durationMs + 30_000);
  try {
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())),
    );
    const call = client.makeBidiStreamRequest(ECHO_METHOD_PATH, (b: Buffer) => b, (b: Buffer) => b);
    call.on('error', () => {});

    const frames = Array.from({ length: inFlight }, (_, slot) => {
      const f = Buffer.alloc(frameBytes, 0x2a);
      f.writeUInt16BE(slot % 65_536, 0);
      return f;
    });

    const result = await new Promise<RawEchoResult>((resolve, reject) => {
      const start = performance.now();
      const measureFrom = start + warmupMs;
      const stopAt = measureFrom + durationMs;
      let measured = 0;
      let outstanding = 0;
      let firstMeasuredAt = 0;
      let lastMeasuredAt = 0;
      call.on('status', (s: { code: number; details: string }) => {
        if (outstanding > 0) reject(new Error(`echo stream ended early: ${s.code} ${s.details}`));
      });
      call.on('data', (frame: Buffer) => {
        outstanding--;
        const now = performance.now();
        if (now >= measureFrom && now < stopAt) {
          if (measured === 0) firstMeasuredAt = now;
          measured++;
          lastMeasuredAt = now;
        }
        if (now < stopAt) {
          outstanding++;
          // Echoes come back in send order on one stream; reuse the frame (its slot id is intact).
          call.write(frame);
        } else if (outstanding === 0) {
          const measuredMs = Math.max(lastMeasuredAt - firstMeasuredAt, 1);
          const roundTripsPerSecond = Math.round((measured / measuredMs) * 1000);
          resolve({
            roundTripsPerSecond,
            roundTrips: measured,
            measuredMs: Math.round(measuredMs),
            inFlight,
            frameBytes,
            meanLatencyMs: roundTripsPerSecond > 0 ? (inFlight / roundTripsPerSecond) * 1000 : Number.NaN,
          });
        }
      });
      for (const f of frames) {
        outstanding++;
        call.write(Buffer.from(f));
      }
    });
    call.cancel();
    return result;
  } finally {
    clearTimeout(watchdog);
    client.close();
    await stopServer(child);
  }
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const r = await runRawEcho({
    durationMs: argNumber('--duration-ms', 5_000),
    inFlight: argNumber('--in-flight', 64),
    frameBytes: argNumber('--frame-bytes', 60),
  });
  const rows: [string, string][] = [
    ['transport', 'raw @grpc/grpc-js, 2 processes, 127.0.0.1, 1 bidi stream'],
    ['in flight', String(r.inFlight)],
    ['frame bytes', String(r.frameBytes)],
    ['measured ms', String(r.measuredMs)],
    ['round trips', String(r.roundTrips)],
    ['round trips / s', String(r.roundTripsPerSecond)],
    ['mean latency ms', r.meanLatencyMs.toFixed(3)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log(JSON.stringify({ bench: 'rawGrpcEcho', roundTripsPerSecond: r.roundTripsPerSecond }));
}
