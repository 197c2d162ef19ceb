/**
 * npm run bench:chaincode — the same chaincode logic (1 getState + 1 putState per transaction) on
 * fabric-shim 2.5.8 and on ccproto's runtime, each a child process driven over gRPC by our dev
 * peer with 64 transactions in flight, in one run; then
 * `batchSpeedup`: a transaction of 1,000 putState calls on our runtime, without and with write
 * batching (WRITE_BATCH_STATE, chunked by the peer's advertised limit of 1000), evaluated (no
 * commit: the comparison is about the protocol round trips, and the commit cost is identical).
 *
 * The rate runs evaluate (no commit): commit is peer work, identical for both runtimes. Even so the
 * peer (the instrument) runs near a full core in both runs on a 2-core machine, so the rates are
 * capped by it; the table therefore also shows the CPU each chaincode process spent per
 * transaction (from /proc), which is the runtimes' own cost.
 *
 * Last line: {"bench":"chaincode","oursTxPerSecond":N,"fabricShimTxPerSecond":N,"ratio":N,"batchSpeedup":N}
 * Options: BENCH_SECONDS (default 5 per runtime), BENCH_IN_FLIGHT (default 64).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Peer } from '../src/peer/peer.js';

/** CPU time (ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 Hz ticks
}
/** The pid of this process's child whose command line contains `pattern`. */
function childPid(pattern: string): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-P', String(process.pid), '-f', pattern], { encoding: 'utf8' }).trim().split('\n')[0]);
  } catch {
    return undefined;
  }
}

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const fixture = (f: string) => new URL(`./fixtures/${f}`, import.meta.url).pathname;

const peer = await Peer.start({
  listenPort: 0,
  chaincodes: {
    shim: { kind: 'process', command: `node ${fixture('getPutShim.cjs')}` },
    // Compiled (npm run build runs first), as fabric-shim is plain JavaScript too.
    ours: { kind: 'process', command: `node ${new URL('../dist/examples/bench-getput/index.js', import.meta.url).pathname}` },
  },
});

async function rate(chaincode: string, pattern: string): Promise<{ txPerSecond: number; failed: number; cpuMicrosPerTx?: number }> {
  let seq = 0;
  let completed = 0;
  let failed = 0;
  const phase = async (ms: number, recording: boolean) => {
    const deadline = performance.now() + ms;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          const i = seq++;
          const r = await peer.invoke({ chaincode, args: ['put', `${chaincode}-${i}`, `{"value":${i}}`], submit: false });
          if (recording) r.status === 200 ? completed++ : failed++;
        }
      }),
    );
    return (performance.now() - start) / 1000;
  };
  await phase(1000, false);
  const pid = childPid(pattern);
  const cpu0 = cpuMs(pid);
  const elapsed = await phase(seconds * 1000, true);
  const cpu1 = cpuMs(pid);
  const cpuMicrosPerTx = cpu0 !== undefined && cpu1 !== undefined && completed ? Math.round(((cpu1 - cpu0) * 1000) / completed) : undefined;
  return { txPerSecond: Math.round(completed / elapsed), failed, ...(cpuMicrosPerTx !== undefined ? { cpuMicrosPerTx } : {}) };
}

const WARM_UP = 3;
async function meanMs(fn: string, runs: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < runs + WARM_UP; i++) {
    const t0 = performance.now();
    const r = await peer.invoke({ chaincode: 'ours', args: [fn, `${fn}-${i}`], submit: false });
    if (r.status !== 200) throw new Error(`${fn}: ${r.status} ${r.message}`);
    if (i >= WARM_UP) total += performance.now() - t0; // the first runs warm the JIT up
  }
  return total / runs;
}

try {
  const fabricShim = await rate('shim', 'getPutShim');
  const ours = await rate('ours', 'bench-getput');
  const unbatched = await meanMs('put1000', 10);
  const batched = await meanMs('put1000batch', 10);
  const ratio = Number((ours.txPerSecond / fabricShim.txPerSecond).toFixed(2));
  const batchSpeedup = Number((unbatched / batched).toFixed(1));
  console.log('ccproto chaincode runtime vs fabric-shim 2.5.8 (both over gRPC against the ccproto dev peer)');
  console.table({
    'fabric-shim tx/s': fabricShim.txPerSecond,
    'ccproto tx/s': ours.txPerSecond,
    'ratio (ours ÷ fabric-shim)': ratio,
    'failed (shim / ours)': `${fabricShim.failed} / ${ours.failed}`,
    'chaincode CPU µs per tx (shim / ours)': `${fabricShim.cpuMicrosPerTx ?? '?'} / ${ours.cpuMicrosPerTx ?? '?'}`,
    'CPU ratio (shim ÷ ours)': fabricShim.cpuMicrosPerTx && ours.cpuMicrosPerTx ? Number((fabricShim.cpuMicrosPerTx / ours.cpuMicrosPerTx).toFixed(2)) : '?',
    '1,000 putState, unbatched (ms)': Number(unbatched.toFixed(1)),
    '1,000 putState, write batch (ms)': Number(batched.toFixed(1)),
    'batch speedup': batchSpeedup,
  });
  console.log(JSON.stringify({ bench: 'chaincode', oursTxPerSecond: ours.txPerSecond, fabricShimTxPerSecond: fabricShim.txPerSecond, ratio, batchSpeedup }));
} finally {
  await peer.close();
}
