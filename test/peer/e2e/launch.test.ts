/**
 * Launch paths of `kind: 'process'` chaincode with real fabric-shim processes: de-duplicated
 * launches under concurrent invocations, the startup timeout, an early exit, a crash in the middle
 * of a transaction and the relaunch after it, and process cleanup on close.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import {
  basicCommand,
  cleanup,
  closePeer,
  evaluate,
  executeFailed,
  getValue,
  nodeCommand,
  ok,
  read,
  startPeer,
  startUserRun,
  STREAM_TERMINATED_CAUSE,
  submit,
  waitFor,
  waitReady,
  type TestPeer,
} from './helpers.js';

let t: TestPeer | undefined;
/** Processes a failing test might leave behind. */
const reap: number[] = [];

afterEach(async () => {
  await closePeer(t);
  t = undefined;
  for (const pid of reap.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});
afterAll(cleanup);

const launches = (p: TestPeer, name: string) => p.logged('launching chaincode').filter((r) => r.name === name).length;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launch de-duplication and relaunch after a crash', () => {
  it('10 concurrent invocations on a fresh peer share one launch; after a crash, 10 more share one relaunch', async () => {
    t = await startPeer({ chaincodes: { dedup: { kind: 'process', command: basicCommand() } } });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(t!.peer, 'dedup', ['put', `k${i}`, String(i)])));
    expect(first.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(launches(t, 'dedup')).toBe(1);
    expect(t.logged('chaincode registered').length).toBe(1);

    const pid1 = Number((await read(t.peer, 'dedup', ['pid'])).text);
    // crash in the middle of a transaction: the transaction fails, and so does one in flight
    const inFlight = evaluate(t.peer, 'dedup', ['sleep', '5000']);
    const crash = await submit(t.peer, 'dedup', ['exit', '3']);
    expect(crash.status).toBe(500);
    expect(crash.message).toBe(executeFailed(crash, STREAM_TERMINATED_CAUSE));
    expect(crash.committed).toBe(false);
    const lost = await inFlight;
    expect(lost.status).toBe(500);
    expect(lost.message).toBe(executeFailed(lost, STREAM_TERMINATED_CAUSE));
    await waitFor(() => !alive(pid1), 5000, 'the crashed process to be gone');

    const second = await Promise.all(Array.from({ length: 10 }, () => read(t!.peer, 'dedup', ['pid'])));
    const pids = new Set(second.map((r) => r.text));
    expect(pids.size).toBe(1);
    expect(Number([...pids][0])).not.toBe(pid1);
    expect(launches(t, 'dedup')).toBe(2);
    // state survived the crash (it lives in the peer)
    expect(await getValue(t.peer, 'dedup', 'k9')).toBe('9');
  });

  it('the next invocation after a crash relaunches and succeeds', async () => {
    t = await startPeer({ chaincodes: { crashy: { kind: 'process', command: basicCommand() } } });
    await ok(t.peer, 'crashy', ['put', 'a', '1']);
    const crash = await submit(t.peer, 'crashy', ['exit', '7']);
    expect(crash.status).toBe(500);
    expect(crash.message).toBe(executeFailed(crash, STREAM_TERMINATED_CAUSE));
    const next = await ok(t.peer, 'crashy', ['put', 'b', '2']);
    expect(next.status).toBe(200);
    expect(await getValue(t.peer, 'crashy', 'a')).toBe('1');
    expect(await getValue(t.peer, 'crashy', 'b')).toBe('2');
    expect(launches(t, 'crashy')).toBe(2);
    const exits = t.logged('chaincode process exited').filter((r) => r.name === 'crashy');
    expect(exits.map((r) => r.code)).toEqual([7]);
  });
});

describe('launch failures', () => {
  const STARTUP_TIMEOUT = 1500;

  it('a command that never registers: the startup timeout; the process is stopped', async () => {
    // The timeout is short so that the test is quick, and it cannot fail spuriously: `silent` is a
    // fake chaincode that never registers, however fast or slow the machine. The startup timeout
    // is one setting for every launch, so the peer's other chaincode (`ok`, a real fabric-shim
    // process, which on a loaded machine can take longer than 1.5 s to start) is user-run: it
    // dials in by itself, with no startup timeout, and gets a generous bound to register.
    const started = Date.now();
    t = await startPeer({
      startupTimeoutMs: STARTUP_TIMEOUT,
      chaincodes: { silent: { kind: 'process', command: nodeCommand('-e', 'setInterval(() => {}, 1000)', '--') } },
    });
    // (Peer.start launches `silent` at once; the invocation below waits for that launch.)
    startUserRun(t.peer, 'ok');
    const r = await evaluate(t.peer, 'silent', ['get', 'x']);
    expect(r.status).toBe(500);
    expect(r.message).toBe(executeFailed(r, 'could not launch chaincode silent: timeout expired while starting chaincode silent for transaction'));
    // It was this timeout: not sooner, and not the 60 s default (the upper bound leaves room for
    // a loaded machine: the point is 1.5 s vs 60 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(STARTUP_TIMEOUT - 50);
    expect(Date.now() - started).toBeLessThan(15_000);
    await waitFor(() => t!.logged('chaincode process exited').some((x) => x.name === 'silent'), 15_000, 'the silent process to be stopped');

    // the peer keeps serving other chaincode
    await waitReady(t.peer, 'ok', 30_000);
    await ok(t.peer, 'ok', ['put', 'still', 'here']);
    expect(await getValue(t.peer, 'ok', 'still')).toBe('here');

    // and the next invocation launches `silent` again, which times out the same way
    const before = launches(t, 'silent');
    const againAt = Date.now();
    const again = await evaluate(t.peer, 'silent', ['get', 'x']);
    expect(again.message).toBe(executeFailed(again, 'could not launch chaincode silent: timeout expired while starting chaincode silent for transaction'));
    expect(Date.now() - againAt).toBeGreaterThanOrEqual(STARTUP_TIMEOUT - 50);
    expect(launches(t, 'silent')).toBe(before + 1);
  }, 60_000);

  it('an early exit: the exit code and stderr are in the message', async () => {
    // `--` ends node's own options: the peer appends --peer.address, which `node -e CODE` would
    // otherwise reject as a bad node option (exit code 9).
    t = await startPeer({ chaincodes: { boom: { kind: 'process', command: nodeCommand('-e', "console.error('boom'); process.exit(3)", '--') } } });
    const r = await evaluate(t.peer, 'boom', ['get', 'x']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('exited with code 3');
    expect(r.message).toContain('boom');
    expect(r.message).toBe(executeFailed(r, 'could not launch chaincode boom: chaincode registration failed: chaincode process exited with code 3; stderr:\nboom'));
    // every invocation tries again (and fails the same way)
    const again = await evaluate(t.peer, 'boom', ['get', 'x']);
    expect(again.message).toContain('exited with code 3');
  });

  it('`node -e CODE` without `--`: node refuses the appended --peer.address (exit code 9)', async () => {
    t = await startPeer({ chaincodes: { bad: { kind: 'process', command: `${process.execPath} -e "process.exit(3)"` } } });
    const r = await evaluate(t.peer, 'bad', ['get', 'x']);
    expect(r.message).toMatch(/chaincode process exited with code 9; stderr:\n.*bad option: --peer\.address=127\.0\.0\.1:\d+/);
  });

  it('a program that does not exist', async () => {
    t = await startPeer({ chaincodes: { nope: { kind: 'process', command: '/nonexistent/program --flag' } } });
    const r = await evaluate(t.peer, 'nope', ['get', 'x']);
    expect(r.status).toBe(500);
    expect(r.message).toContain('could not launch chaincode nope');
    expect(r.message).toContain('ENOENT');
  });

  it('an unknown chaincode name (not launched, not running)', async () => {
    t = await startPeer({ devMode: false });
    const r = await evaluate(t.peer, 'ghost', ['get', 'x']);
    expect(r.status).toBe(500);
    // fabric core/endorser/endorser.go: the endorser's lookup of the definition fails first.
    expect(r.message).toBe('make sure the chaincode ghost has been successfully defined on channel mychannel and try again: chaincode ghost not found');
  });
});

describe('a stream that ends while its process keeps running', () => {
  it('the old process is stopped before the relaunch, and none outlives the peer', async () => {
    // E2E_LINGER keeps the fabric-shim process alive after its stream ends. The stream is ended
    // by the peer itself: a TRANSACTION larger than maxSendMessageLength cannot be sent.
    t = await startPeer({ maxSendMessageLength: 64 * 1024, chaincodes: { linger: { kind: 'process', command: basicCommand(), env: { E2E_LINGER: '1' } } } });
    const pid1 = Number((await read(t.peer, 'linger', ['pid'])).text);
    reap.push(pid1);
    const big = await evaluate(t.peer, 'linger', ['put', 'x', 'y'.repeat(100 * 1024)]);
    expect(big.status).toBe(500);
    expect(big.message).toBe(executeFailed(big, STREAM_TERMINATED_CAUSE));
    await waitFor(() => !t!.peer.listChaincodes().some((c) => c.state === 'ready'), 5000, 'deregistration');
    expect(alive(pid1)).toBe(true);

    const pid2 = Number((await read(t.peer, 'linger', ['pid'])).text);
    reap.push(pid2);
    expect(pid2).not.toBe(pid1);
    await waitFor(() => !alive(pid1), 5000, 'the old process to be stopped');
    expect(launches(t, 'linger')).toBe(2);
    await closePeer(t);
    t = undefined;
    expect(alive(pid2)).toBe(false);
  });
});

describe('close', () => {
  it('peer.close() stops launched chaincode processes', async () => {
    t = await startPeer({ chaincodes: { a: { kind: 'process', command: basicCommand() }, b: { kind: 'process', command: basicCommand() } } });
    const pa = Number((await read(t.peer, 'a', ['pid'])).text);
    const pb = Number((await read(t.peer, 'b', ['pid'])).text);
    expect(alive(pa) && alive(pb)).toBe(true);
    await closePeer(t);
    t = undefined;
    expect(alive(pa)).toBe(false);
    expect(alive(pb)).toBe(false);
  });
});
