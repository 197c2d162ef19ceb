/**
 * npm run bench:chaincode — the same chaincode logic (1 getState + 1 putState per transaction) on
 * fabric-shim 2.5.8, on ccproto's runtime, on the Go shim (fabric-chaincode-go v2,
 * test/interop/go/cmd/getput) and on the Java shim (fabric-chaincode-shim 2.5.10,
 * test/interop/java GetPutChaincode), each a child process driven over gRPC by our dev peer with 64
 * transactions in flight, in one run; then
 * `batchSpeedup`: a transaction of 1,000 putState calls on our runtime, without and with write
 * batching (WRITE_BATCH_STATE, chunked by the peer's advertised limit of 1000), evaluated (no
 * commit: the comparison is about the protocol round trips, and the commit cost is identical).
 *
 * How the rates are taken. The load generator plays the client: it builds and signs every
 * SignedProposal before the timed phase (in Fabric the client signs; the endorsing peer receives
 * signed proposals), then hands them to `Peer.execute` — the peer's endorsement path: unpack the
 * proposal, open a simulation, run the transaction on the chaincode and serve its requests, return
 * the response and the read/write set. Nothing is committed: commit is peer work, identical for both.
 * A third run measures the ceiling: `bench/fixtures/rawFramesChaincode.mjs` answers the same
 * messages with no runtime at all, so its rate is the most any chaincode can reach through this peer
 * on this machine. The table also shows each chaincode process's CPU per transaction (from /proc).
 *
 * Last line: {"bench":"chaincode","oursTxPerSecond":N,"fabricShimTxPerSecond":N,"ratio":N,
 *   "goShimTxPerSecond":N,"javaShimTxPerSecond":N,"oursOverGo":N,"batchSpeedup":N}
 * Options: BENCH_TXS (transactions per runtime, default 30000, after 5000 for warm-up: the JVM's
 * optimising compiler needs a few thousand calls), BENCH_IN_FLIGHT (default 64). The Go and Java
 * chaincodes are built first (test/interop/{go,java}/build.mjs); without go or mvn the bench stops
 * with the reason.
 */
import { benchClient, childPid, cpuMs, fromDist, signedPutProposals, driveExecutes } from './support.js';
import type { ExecuteRequest } from '../src/peer/types.js';

// The peer runs the built code (`npm run build` precedes this), as users run it: under tsx's
// on-the-fly transpile of src/ the same peer is measurably slower.
const { Peer } = await fromDist<typeof import('../src/peer/peer.js')>('src/peer/peer.js');
const { buildSignedProposal } = await fromDist<typeof import('../src/peer/proposal.js')>('src/peer/proposal.js');

type Built = { ok: true; bin?: string; jars?: Record<string, string> } | { ok: false; reason: string };
const { buildGo } = (await import(new URL('../test/interop/go/build.mjs', import.meta.url).href)) as { buildGo: () => Promise<Built> };
const { buildJava } = (await import(new URL('../test/interop/java/build.mjs', import.meta.url).href)) as { buildJava: () => Promise<Built> };
const [goBuilt, javaBuilt] = [await buildGo(), await buildJava()];
if (!goBuilt.ok) throw new Error(`bench:chaincode needs the Go chaincode: ${goBuilt.reason}`);
if (!javaBuilt.ok) throw new Error(`bench:chaincode needs the Java chaincode: ${javaBuilt.reason}`);

const txs = Number(process.env.BENCH_TXS ?? 30_000);
const warmUpTxs = 5_000;
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const fixture = (f: string) => new URL(`./fixtures/${f}`, import.meta.url).pathname;

const peer = await Peer.start({
  listenPort: 0,
  chaincodes: {
    shim: { kind: 'process', command: `node ${fixture('getPutShim.cjs')}` },
    // Compiled (npm run build runs first), as fabric-shim is plain JavaScript too.
    ours: { kind: 'process', command: `node ${new URL('../dist/examples/bench-getput/index.js', import.meta.url).pathname}` },
    ceiling: { kind: 'process', command: `node ${fixture('rawFramesChaincode.mjs')}` },
    goshim: { kind: 'process', command: `${goBuilt.bin}/getput` },
    javashim: { kind: 'process', command: `java -jar ${javaBuilt.jars!.chaincode} getput` },
  },
});

const client = benchClient();

const signedProposals = (chaincode: string, count: number, from: number) => signedPutProposals(buildSignedProposal, client, chaincode, count, from);

/** Executes `requests` with `inFlight` in flight; returns seconds elapsed and failures. */
const drive = (requests: ExecuteRequest[]) => driveExecutes((r) => peer.execute(r), requests, inFlight);

async function rate(chaincode: string, pattern: string): Promise<{ txPerSecond: number; failed: number; cpuMicrosPerTx?: number }> {
  await drive(await signedProposals(chaincode, warmUpTxs, 0));
  const measured = await signedProposals(chaincode, txs, warmUpTxs);
  const pid = childPid(pattern);
  const cpu0 = cpuMs(pid);
  const { seconds, failed } = await drive(measured);
  const cpu1 = cpuMs(pid);
  const cpuMicrosPerTx = cpu0 !== undefined && cpu1 !== undefined ? Math.round(((cpu1 - cpu0) * 1000) / txs) : undefined;
  return { txPerSecond: Math.round((txs - failed) / seconds), failed, ...(cpuMicrosPerTx !== undefined ? { cpuMicrosPerTx } : {}) };
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
  const ceiling = await rate('ceiling', 'rawFramesChaincode');
  const goShim = await rate('goshim', 'bin/getput');
  const javaShim = await rate('javashim', 'chaincode.jar getput');
  const oursOverGo = Number((ours.txPerSecond / goShim.txPerSecond).toFixed(2));
  const unbatched = await meanMs('put1000', 10);
  const batched = await meanMs('put1000batch', 10);
  const ratio = Number((ours.txPerSecond / fabricShim.txPerSecond).toFixed(2));
  const batchSpeedup = Number((unbatched / batched).toFixed(1));
  console.log('ccproto chaincode runtime vs fabric-shim 2.5.8, the Go shim and the Java shim (all over gRPC against the ccproto dev peer)');
  console.table({
    'fabric-shim tx/s': fabricShim.txPerSecond,
    'ccproto tx/s': ours.txPerSecond,
    'Go shim tx/s': goShim.txPerSecond,
    'Java shim tx/s': javaShim.txPerSecond,
    'ratio (ours ÷ fabric-shim)': ratio,
    'ours ÷ Go shim': oursOverGo,
    'ceiling: no-runtime chaincode tx/s': ceiling.txPerSecond,
    'ceiling ÷ fabric-shim (best ratio this peer allows)': Number((ceiling.txPerSecond / fabricShim.txPerSecond).toFixed(2)),
    'failed (shim / ours / ceiling / Go / Java)': [fabricShim, ours, ceiling, goShim, javaShim].map((r) => r.failed).join(' / '),
    'chaincode CPU µs per tx (shim / ours / ceiling / Go / Java)': [fabricShim, ours, ceiling, goShim, javaShim].map((r) => r.cpuMicrosPerTx ?? '?').join(' / '),
    'CPU ratio (shim ÷ ours)': fabricShim.cpuMicrosPerTx && ours.cpuMicrosPerTx ? Number((fabricShim.cpuMicrosPerTx / ours.cpuMicrosPerTx).toFixed(2)) : '?',
    '1,000 putState, unbatched (ms)': Number(unbatched.toFixed(1)),
    '1,000 putState, write batch (ms)': Number(batched.toFixed(1)),
    'batch speedup': batchSpeedup,
  });
  console.log(
    JSON.stringify({
      bench: 'chaincode',
      oursTxPerSecond: ours.txPerSecond,
      fabricShimTxPerSecond: fabricShim.txPerSecond,
      ratio,
      goShimTxPerSecond: goShim.txPerSecond,
      javaShimTxPerSecond: javaShim.txPerSecond,
      oursOverGo,
      batchSpeedup,
    }),
  );
} finally {
  await peer.close();
}
