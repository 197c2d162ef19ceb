/**
 * npm run bench:proxy — bench:chaincode's get+put load (1 getState + 1 putState per transaction,
 * 64 in flight) on ccproto's runtime against the dev peer, direct and through `ccproto proxy`
 * with tracing on (a trace line for every message), in one run.
 *
 * Both chaincodes are the same built example (dist/examples/bench-getput), started here in dev
 * mode: `direct` dials the peer, `proxied` dials the proxy, which runs as its own process (the
 * built CLI, as a user runs it: `ccproto proxy --listen … --upstream <peer> --trace FILE`). The
 * rounds alternate (direct, proxied, direct, proxied) after a warm-up of each, and each side's
 * rate is the mean of its rounds, so that drift of a shared machine hits both alike.
 *
 * Last line: {"bench":"proxy","directTxPerSecond":N,"proxiedTxPerSecond":N,"ratio":N}
 * Options: BENCH_TXS (per round, default 15000), BENCH_IN_FLIGHT (default 64).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchClient, cpuMs, fromDist, signedPutProposals, driveExecutes } from './support.js';
import type { ExecuteRequest } from '../src/peer/types.js';

const { Peer } = await fromDist<typeof import('../src/peer/peer.js')>('src/peer/peer.js');
const { buildSignedProposal } = await fromDist<typeof import('../src/peer/proposal.js')>('src/peer/proposal.js');

const txs = Number(process.env.BENCH_TXS ?? 15_000);
const warmUpTxs = 3_000;
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const dist = (p: string) => new URL(`../dist/${p}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ccproto-bench-proxy-'));
const tracePath = join(dir, 'trace.jsonl');
const children: ChildProcess[] = [];

function child(args: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(c);
  return c;
}

/** Resolves with the first stderr match of `re` from `c` (bounded by `ms`). */
function waitFor(c: ChildProcess, re: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; stderr: ${text}`)), ms);
    c.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

const peer = await Peer.start({ listenPort: 0, log: () => {} });
const client = benchClient();

const signedProposals = (chaincode: string, count: number, from: number) => signedPutProposals(buildSignedProposal, client, chaincode, count, from);

/** Transactions per second through `requests`; a failure fails the bench. */
async function drive(requests: ExecuteRequest[]): Promise<number> {
  const { seconds, failed } = await driveExecutes((r) => peer.execute(r), requests, inFlight);
  if (failed) throw new Error(`${failed} transactions failed`);
  return requests.length / seconds;
}

async function waitRegistered(name: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (peer.listChaincodes().some((c) => c.name === name && c.state === 'ready')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${name} did not register`);
}

try {
  const proxy = child([dist('src/cli/main.js'), 'proxy', '--listen', '127.0.0.1:0', '--upstream', peer.chaincodeAddress, '--trace', tracePath]);
  const proxyAddress = (await waitFor(proxy, /listening on (\S+) /, 15_000))[1]!;
  const chaincode = dist('examples/bench-getput/index.js');
  child([chaincode, `--peer.address=${peer.chaincodeAddress}`], { CORE_CHAINCODE_ID_NAME: 'direct:1.0' });
  child([chaincode, `--peer.address=${proxyAddress}`], { CORE_CHAINCODE_ID_NAME: 'proxied:1.0' });
  await waitRegistered('direct');
  await waitRegistered('proxied');

  let n = 0;
  await drive(await signedProposals('direct', warmUpTxs, n));
  await drive(await signedProposals('proxied', warmUpTxs, n));
  n += warmUpTxs;
  const rates = { direct: [] as number[], proxied: [] as number[] };
  const cpu0 = cpuMs(proxy.pid);
  for (let round = 0; round < 2; round++) {
    for (const name of ['direct', 'proxied'] as const) {
      rates[name].push(await drive(await signedProposals(name, txs, n)));
      n += txs;
    }
  }
  const proxyCpuMs = (cpuMs(proxy.pid) ?? 0) - (cpu0 ?? 0);
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const direct = mean(rates.direct);
  const proxied = mean(rates.proxied);
  const ratio = Number((proxied / direct).toFixed(2));
  // Let the proxy flush, then count what it wrote.
  await new Promise((r) => setTimeout(r, 200));
  let lines = 0;
  for await (const chunk of createReadStream(tracePath)) for (const b of chunk as Buffer) if (b === 10) lines++;
  console.log('get+put load on ccproto\'s runtime against the dev peer: direct vs through ccproto proxy with tracing on');
  console.table({
    'direct tx/s (rounds)': rates.direct.map(Math.round).join(', '),
    'proxied tx/s (rounds)': rates.proxied.map(Math.round).join(', '),
    'ratio (proxied ÷ direct)': ratio,
    'trace lines written': lines,
    'trace MiB': Number((statSync(tracePath).size / 2 ** 20).toFixed(1)),
    'proxy CPU µs per proxied tx': Math.round((proxyCpuMs * 1000) / (2 * txs)),
  });
  console.log(JSON.stringify({ bench: 'proxy', directTxPerSecond: direct, proxiedTxPerSecond: proxied, ratio }));
} finally {
  for (const c of children) c.kill('SIGTERM');
  await peer.close();
}
