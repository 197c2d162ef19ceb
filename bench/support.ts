/** What the chaincode benchmarks share: process CPU time and the client identity that signs proposals. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DevCa, signLowS } from '../src/identity/index.js';
import type { ProposalIdentity } from '../src/peer/proposal.js';

/** CPU time (ms, user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 Hz ticks
}

/** The pid of this process's child whose command line contains `pattern`. */
export function childPid(pattern: string): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-P', String(process.pid), '-f', pattern], { encoding: 'utf8' }).trim().split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** The load generator's client: user1 of Org1MSP, signing as the peer's own invoke does (low-S ECDSA P-256). */
export function benchClient(): ProposalIdentity {
  const user = DevCa.open('Org1MSP').getUser('user1');
  return { mspId: 'Org1MSP', certPem: user.certPem, sign: (b) => signLowS(user.privateKey, b) };
}

/** Imports a module of the built package (dist/), typed as its source. For benchmarks that must
 *  measure the compiled JavaScript users run rather than tsx's transpile of src/. */
export function fromDist<T>(path: string): Promise<T> {
  return import(new URL(`../dist/${path}`, import.meta.url).href) as Promise<T>;
}

/**
 * `count` signed get+put proposals for `chaincode` (args `put KEY {"value":i}`), signed by `client`
 * before the timed phase, as a client does (the peer receives signed proposals).
 */
export async function signedPutProposals(
  buildSignedProposal: typeof import('../src/peer/proposal.js').buildSignedProposal,
  client: ProposalIdentity,
  chaincode: string,
  count: number,
  from: number,
): Promise<import('../src/peer/types.js').ExecuteRequest[]> {
  const out: import('../src/peer/types.js').ExecuteRequest[] = [];
  for (let i = from; i < from + count; i++) {
    const args = [Buffer.from('put'), Buffer.from(`${chaincode}-${i}`), Buffer.from(`{"value":${i}}`)];
    const p = await buildSignedProposal({ identity: client, channel: 'mychannel', chaincode, args, isInit: false, transient: {}, nowMs: Date.now() });
    out.push({ channel: 'mychannel', txId: p.txId, chaincode, txType: 'TRANSACTION', input: { args, decorations: {}, isInit: false }, signedProposal: p.signedProposal });
  }
  return out;
}

type ExecuteRequest = import('../src/peer/types.js').ExecuteRequest;
type ExecuteOutcome = Awaited<ReturnType<import('../src/peer/peer.js').Peer['execute']>>;

/** Executes `requests` through `execute` with `inFlight` in flight; seconds elapsed and failures (status != 200). */
export async function driveExecutes(
  execute: (r: ExecuteRequest) => Promise<ExecuteOutcome>,
  requests: readonly ExecuteRequest[],
  inFlight: number,
): Promise<{ seconds: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests.length) {
        const r = await execute(requests[next++]!);
        if (!r.ok || r.response.status !== 200) failed++;
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, failed };
}
