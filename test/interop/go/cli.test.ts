/**
 * The real `ccproto peer` (a process, run from source with tsx) with Go shim chaincode, driven by
 * `ccproto invoke` / `query` / `chaincodes` / `tls` (in-process `main`, as test/cli/e2e.test.ts):
 * - `--chaincode NAME=COMMAND` launches the Go command chaincode and the Go contract;
 * - a user-run Go chaincode dials the CLI peer by itself (dev mode);
 * - with `--tls`, the launched Go chaincode gets the launcher's TLS files, and a user-run Go
 *   chaincode set up with `eval "$(ccproto tls --name NAME --out DIR)"` (the documented flow)
 *   connects with the PEM files the Go shim reads;
 * then SIGTERM stops the peer with exit code 0 and its Go processes with it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { main } from '../../../src/cli/main.js';
import { freePort, memoryIo } from '../../cli/helpers.js';
import { cleanup, tempDir, waitFor, withTimeout } from '../../peer/e2e/helpers.js';
import { binCommand, killGoChildren, spawnGo } from './helpers.js';
import { GO } from './toolchain.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const J = JSON.stringify;

interface CliPeer {
  proc: ChildProcess;
  api: string;
  listen: string;
  output(): string;
  exited: Promise<number | null>;
}

const peers: CliPeer[] = [];

async function startCliPeer(extra: string[], expectRegistered: number): Promise<CliPeer> {
  const listen = `127.0.0.1:${await freePort()}`;
  const apiPort = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'peer', '--gateway', '127.0.0.1:0', '--listen', listen, '--api', `127.0.0.1:${apiPort}`, '--execute-timeout', '20s', ...extra], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const p: CliPeer = { proc, api: `http://127.0.0.1:${apiPort}`, listen, output: () => out, exited };
  peers.push(p);
  await waitFor(() => /ccproto peer listening/.test(out) && (out.match(/chaincode registered/g)?.length ?? 0) >= expectRegistered, 60_000, `ccproto peer to start with ${expectRegistered} registered chaincode:\n${out}`, 50);
  return p;
}

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  const out = io.out();
  let json: { status?: number; payload?: string; committed?: boolean; message?: string; events?: Array<{ name: string }> } | undefined;
  try {
    json = out ? JSON.parse(out) : undefined;
  } catch {
    json = undefined;
  }
  return { code, out, err: io.err(), json };
}

/** pids of the Go processes a CLI peer launched (its children running a Go binary). */
function goChildrenOf(pid: number): number[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n');
  return lines
    .map((l) => l.trim().split(/\s+/))
    .filter(([, cmd]) => cmd === GO.command || cmd === GO.contract)
    .map(([p]) => Number(p));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  for (const p of peers) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  await killGoChildren();
  await cleanup();
});

describe.skipIf(GO.skip)('ccproto peer (the CLI process) with Go shim chaincode', () => {
  it('--chaincode launches the Go command chaincode and the Go contract; invoke/query round trips; a user-run Go chaincode joins; SIGTERM stops everything', async () => {
    const p = await startCliPeer(['--chaincode', `gocmd=${binCommand(GO.command)}`, '--chaincode', `goasset=${binCommand(GO.contract)}`], 2);
    const api = ['--api', p.api];

    const put = await cli('invoke', ...api, '--name', 'gocmd', '--', 'putState', 'color', 'blue');
    expect(put.code, put.err).toBe(0);
    expect(put.json).toMatchObject({ status: 200, committed: true, payload: 'null' });
    const get = await cli('query', ...api, '--name', 'gocmd', '--', 'getState', 'color');
    expect(get.json).toMatchObject({ status: 200, payload: J('blue'), committed: false });

    const pairs = Array.from({ length: 30 }, (_, i) => [`r${String(i).padStart(2, '0')}`, String(i)]);
    expect((await cli('invoke', ...api, '--name', 'gocmd', '--', 'batchPut', J(pairs), 'finish')).code).toBe(0);
    const range = await cli('query', ...api, '--name', 'gocmd', '--', 'getStateByRange', 'r', 's');
    expect(JSON.parse(range.json!.payload!)).toEqual(pairs.map(([key, value]) => ({ key, value })));
    const page = await cli('query', ...api, '--name', 'gocmd', '-c', J({ Args: ['getStateByRangeWithPagination', 'r', 's', '10', ''] }));
    expect(JSON.parse(page.json!.payload!).metadata).toEqual({ fetchedRecordsCount: 10, bookmark: 'r10' });

    const transient = await cli('query', ...api, '--name', 'gocmd', '--transient', J({ secret: 'shh' }), '--', 'getTransient');
    expect(transient.json!.payload).toBe(J({ secret: 'shh' }));
    const event = await cli('invoke', ...api, '--name', 'gocmd', '--', 'setEvent', 'Hello', 'x');
    expect(event.json!.events!.map((e) => e.name)).toEqual(['Hello']);

    const failed = await cli('invoke', ...api, '--name', 'gocmd', '--', 'throw', 'out of stock');
    expect(failed.code).toBe(1);
    expect(failed.json).toMatchObject({ status: 500, message: 'out of stock', committed: false });
    expect(failed.err).toContain('out of stock');

    expect((await cli('invoke', ...api, '--name', 'goasset', '--', 'CreateAsset', 'a1', 'red', '5', 'Ana', '300')).code).toBe(0);
    const asset = await cli('query', ...api, '--name', 'goasset', '--', 'ReadAsset', 'a1');
    expect(JSON.parse(asset.json!.payload!)).toEqual({ ID: 'a1', color: 'red', size: 5, owner: 'Ana', appraisedValue: 300 });
    const missing = await cli('query', ...api, '--name', 'goasset', '--', 'ReadAsset', 'zz');
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ status: 500, message: 'the asset zz does not exist' });

    // A user-run Go chaincode, started as the peer's banner says.
    expect(p.output()).toContain(`peer.address=${p.listen} CORE_CHAINCODE_ID_NAME=NAME:VERSION`);
    const dev = spawnGo(GO.command, [`--peer.address=${p.listen}`], { CORE_CHAINCODE_ID_NAME: 'godev:1.0', CORE_PEER_TLS_ENABLED: 'false' });
    await waitFor(() => /chaincode registered.*godev:1\.0/.test(p.output()), 30_000, `the user-run chaincode to register:\n${p.output()}\n${dev.stderr()}`);
    expect((await cli('invoke', ...api, '--name', 'godev', '--', 'putState', 'k', 'dev')).code).toBe(0);
    expect((await cli('query', ...api, '--name', 'godev', '--', 'getState', 'k')).json!.payload).toBe(J('dev'));

    const list = await cli('chaincodes', ...api);
    expect(JSON.parse(list.out)).toEqual(
      expect.arrayContaining([
        { name: 'gocmd', registeredAs: 'gocmd:1.0', launch: 'process', state: 'ready' },
        { name: 'goasset', registeredAs: 'goasset:1.0', launch: 'process', state: 'ready' },
        { name: 'godev', registeredAs: 'godev:1.0', launch: 'external', state: 'ready' },
      ]),
    );
    expect(p.output()).toMatch(/gocmd.*putState.*200/);

    const launched = goChildrenOf(p.proc.pid!);
    expect(launched).toHaveLength(2);
    p.proc.kill('SIGTERM');
    expect(await withTimeout(p.exited, 20_000, 'ccproto peer to stop')).toBe(0);
    expect(p.output()).toMatch(/peer stopped/);
    await waitFor(() => launched.every((pid) => !alive(pid)), 10_000, 'the launched Go processes to be gone');
    // the user-run chaincode loses its stream and exits by itself
    const devExit = await withTimeout(dev.exited, 15_000, 'the user-run Go chaincode to exit');
    expect(devExit.code).toBe(1);
  }, 180_000);

  it('--tls: a launched Go chaincode, and a user-run one set up with `ccproto tls --out DIR`', async () => {
    const p = await startCliPeer(['--tls', '--chaincode', `gotls=${binCommand(GO.command)}`], 1);
    const api = ['--api', p.api];
    expect((await cli('invoke', ...api, '--name', 'gotls', '--', 'putState', 'k', 'tls')).code).toBe(0);
    expect((await cli('query', ...api, '--name', 'gotls', '--', 'getState', 'k')).json!.payload).toBe(J('tls'));

    const dir = tempDir('ccproto-go-cli-tls-');
    const tls = await cli('tls', ...api, '--name', 'godevtls', '--out', dir);
    expect(tls.code, tls.err).toBe(0);
    // what `eval "$(ccproto tls …)"` would set
    const env: Record<string, string> = {};
    for (const m of tls.out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1');
    expect(env).toMatchObject({ CORE_PEER_TLS_ENABLED: 'true', CORE_TLS_CLIENT_KEY_FILE: expect.any(String), CORE_TLS_CLIENT_CERT_FILE: expect.any(String), CORE_PEER_TLS_ROOTCERT_FILE: expect.any(String) });
    const dev = spawnGo(GO.command, [`--peer.address=${p.listen}`], { ...env, CORE_CHAINCODE_ID_NAME: 'godevtls:1.0' });
    await waitFor(() => /chaincode registered.*godevtls:1\.0/.test(p.output()), 30_000, `the user-run TLS chaincode to register:\n${p.output()}\n${dev.stderr()}`);
    expect((await cli('invoke', ...api, '--name', 'godevtls', '--', 'putState', 'k', 'devtls')).code).toBe(0);
    expect((await cli('query', ...api, '--name', 'godevtls', '--', 'getState', 'k')).json!.payload).toBe(J('devtls'));

    p.proc.kill('SIGTERM');
    expect(await withTimeout(p.exited, 20_000, 'ccproto peer to stop')).toBe(0);
    await withTimeout(dev.exited, 15_000, 'the user-run Go chaincode to exit');
  }, 180_000);
});
