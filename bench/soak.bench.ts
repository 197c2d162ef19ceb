/**
 * npm run bench:soak — the dev peer's memory over a long run, and under a flood, in one run.
 *
 * The peer is a child process (`ccproto peer`, built code, LevelDB in a temporary directory unless
 * BENCH_LEDGER=memory) running examples/bench-soak on ccproto's runtime; its resident memory is read
 * from /proc every 200 ms. Two phases:
 * 1. Soak: 32 HTTP clients with keep-alive send a mix of transactions through the API — 60 %
 *    committed writes with an event, 20 % point reads, 20 % range queries of up to 20 keys — over a
 *    bounded key set (5,000 keys), so the state stops growing in memory while history grows on disk.
 *    After BENCH_WARMUP_TXS (default 30,000) the RSS is taken as `rssStartMiB`; after BENCH_TXS more
 *    (default 60,000) as `rssEndMiB`; `bytesPerTx` = (end − start) ÷ transactions, 0 when it shrank.
 *    Each RSS figure is the median of the samples of the last second (GC makes single samples jumpy).
 * 2. Flood: a raw HTTP/2 client registers as a chaincode, stops reading, and sends BENCH_FLOOD
 *    (default 40,000) GET_STATE requests for unknown transactions with 8 KiB txids, each of which
 *    the peer answers with an ~16 KiB ERROR. `floodPeakMiB` is the peak RSS during the flood above
 *    the RSS just before it. Without backpressure the peer would read every request and hold every
 *    reply; with it, it stops reading at the stream's high-water mark.
 *
 * Targets (issue "Bounded under any input"): floodPeakMiB ≤ 64; bytesPerTx ≤ 200 with LevelDB.
 * Last line: {"bench":"soak","transactions":N,"rssStartMiB":N,"rssEndMiB":N,"bytesPerTx":N,"floodPeakMiB":N}
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http2 from 'node:http2';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RawCall } from '../test/support/rawGrpc.js';
import { fromDist } from './support.js';

const { encodeMessage, decodeMessage } = await fromDist<typeof import('../src/wire/index.js')>('src/wire/index.js');
const { REGISTER_METHOD_PATH } = await fromDist<typeof import('../src/transport/index.js')>('src/transport/index.js');

const root = fileURLToPath(new URL('..', import.meta.url));
const TXS = Number(process.env.BENCH_TXS ?? 60_000);
const WARMUP = Number(process.env.BENCH_WARMUP_TXS ?? 30_000);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 40_000);
const LEDGER = process.env.BENCH_LEDGER === 'memory' ? 'memory' : 'leveldb';
const CLIENTS = 32;
const KEYS = 5_000;
const MiB = 1024 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dataDir = mkdtempSync(join(tmpdir(), 'ccproto-soak-'));
const apiPort = await freePort();
const ccPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
const child = spawn(
  process.execPath,
  [
    'bin/ccproto.mjs', 'peer', '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${ccPort}`, '--api', `127.0.0.1:${apiPort}`, '--log-level', 'warn',
    '--chaincode', `soak=node ${join(root, 'dist/examples/bench-soak/index.js')}`,
    ...(LEDGER === 'leveldb' ? ['--data-dir', dataDir] : []),
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
);
let childOutput = '';
child.stdout.on('data', (d: Buffer) => (childOutput = (childOutput + d.toString()).slice(-4000)));
child.stderr.on('data', (d: Buffer) => (childOutput = (childOutput + d.toString()).slice(-4000)));

/** RSS samples of the peer process: [ms since start, bytes]. */
const samples: [number, number][] = [];
const t0 = performance.now();
const rss = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024;
const sampler = setInterval(() => {
  try {
    samples.push([performance.now() - t0, rss()]);
  } catch {
    /* the process is gone */
  }
}, 200);

/** Median RSS of the samples of the last second. */
async function settledRss(): Promise<number> {
  await sleep(1000);
  const now = performance.now() - t0;
  const recent = samples.filter(([t]) => t >= now - 1000).map(([, b]) => b).sort((a, b) => a - b);
  return recent[Math.floor(recent.length / 2)] ?? rss();
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
function post(path: string, body: unknown): Promise<{ status: number; json: { status?: number; error?: string } }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(`${api}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await post('/query', { chaincode: 'soak', args: ['get', 'k0'] });
      if (r.status === 200 && r.json.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`the peer did not become ready:\n${childOutput}`);
}

const key = (i: number): string => `k${String(i % KEYS).padStart(5, '0')}`;
/** One transaction of the mix, by its sequence number. */
function transaction(i: number): Promise<unknown> {
  const kind = i % 10;
  if (kind < 6) return post('/invoke', { chaincode: 'soak', args: ['put', key(i * 7919), `value-${i}-${'x'.repeat(64)}`] });
  if (kind < 8) return post('/query', { chaincode: 'soak', args: ['get', key(i)] });
  return post('/query', { chaincode: 'soak', args: ['range', key(i), key(i + 20)] });
}

let failed = 0;
async function run(from: number, count: number): Promise<number> {
  let next = from;
  const end = from + count;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < end) {
        const r = (await transaction(next++)) as { status: number; json: { status?: number } };
        if (r.status !== 200 || r.json.status !== 200) failed++;
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/** The flood: register, stop reading, send FLOOD requests; resolves with the peak RSS meanwhile. */
async function flood(): Promise<{ peak: number; written: number; received: number }> {
  const session = http2.connect(`http://127.0.0.1:${ccPort}`);
  session.on('error', () => {});
  const stream = session.request({ ':method': 'POST', ':path': REGISTER_METHOD_PATH, 'content-type': 'application/grpc', te: 'trailers' });
  let received = 0;
  let ready = false;
  const call = new RawCall(stream, (f) => {
    received++;
    const r = decodeMessage(f);
    if (r.ok && r.message.type === 'READY') ready = true;
  });
  call.write([encodeMessage({ type: 'REGISTER', txid: '', channelId: '', payload: { name: 'flood:1.0', path: '', version: '' } })]);
  call.startReading();
  for (let i = 0; i < 100 && !ready; i++) await sleep(50);
  if (!ready) throw new Error('the flooding client was not registered');
  call.stopReading();
  const from = samples.length;
  call.write(
    (function* () {
      for (let i = 0; i < FLOOD; i++) {
        const txid = `unknown-${i}-`.padEnd(8 * 1024, 'x');
        yield encodeMessage({ type: 'GET_STATE', txid, channelId: 'mychannel', payload: { key: 'k', collection: '' } });
      }
    })(),
  );
  // Until everything is written (no backpressure) or nothing more could be written for 3 s.
  let lastWritten = -1;
  let still = 0;
  while (!call.drained && still < 15) {
    await sleep(200);
    still = call.written === lastWritten ? still + 1 : 0;
    lastWritten = call.written;
  }
  await sleep(1000);
  const peak = Math.max(...samples.slice(from).map(([, b]) => b));
  const written = call.written;
  session.destroy();
  return { peak, written, received };
}

try {
  await waitReady();
  await run(0, WARMUP);
  const rssStart = await settledRss();
  const txPerSecond = await run(WARMUP, TXS);
  const rssEnd = await settledRss();
  const bytesPerTx = Math.max(0, Math.round((rssEnd - rssStart) / TXS));

  const beforeFlood = await settledRss();
  const f = await flood();
  const afterFlood = await settledRss();
  const floodPeakMiB = Number(((f.peak - beforeFlood) / MiB).toFixed(1));

  const mib = (b: number) => Number((b / MiB).toFixed(1));
  console.log(`ccproto peer memory: ${TXS} mixed transactions (${LEDGER} ledger), then a non-reading flood of ${FLOOD} requests`);
  console.table({
    'transactions (after warm-up)': TXS,
    'warm-up transactions': WARMUP,
    'rate (tx/s, 32 HTTP clients)': Math.round(txPerSecond),
    'failed transactions': failed,
    'RSS after warm-up (MiB)': mib(rssStart),
    'RSS after the run (MiB)': mib(rssEnd),
    'bytes per transaction': bytesPerTx,
    'RSS before the flood (MiB)': mib(beforeFlood),
    'flood: requests written / sent': `${f.written} / ${FLOOD}`,
    'flood: peak RSS above the start (MiB)': floodPeakMiB,
    'RSS after the flood stream ended (MiB)': mib(afterFlood),
  });
  console.log(
    JSON.stringify({ bench: 'soak', transactions: TXS, rssStartMiB: mib(rssStart), rssEndMiB: mib(rssEnd), bytesPerTx, floodPeakMiB }),
  );
} finally {
  clearInterval(sampler);
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
