/**
 * `ccproto peer` as a real process (run from source with tsx), a real fabric-shim chaincode it
 * launches, and `ccproto invoke` / `ccproto query` against its HTTP API; then SIGTERM must shut it
 * down cleanly with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { freePort, memoryIo } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let peer: ChildProcess;
let api = '';
let output = '';

beforeAll(async () => {
  const listen = await freePort();
  const apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  peer = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'peer', '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${listen}`, '--api', `127.0.0.1:${apiPort}`, '--chaincode', 'basic=node test/peer/fixtures/shimBasic.cjs', '--execute-timeout', '10s'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  peer.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  peer.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 300 && !/chaincode registered/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
  expect(output).toMatch(/chaincode registered/);
}, 30_000);

afterAll(() => {
  if (peer.exitCode === null) peer.kill('SIGKILL');
});

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), json: io.out() ? JSON.parse(io.out()) : undefined };
}

describe('ccproto peer + ccproto invoke/query, end to end', () => {
  it('invoke commits, query reads it back, both print one JSON object', async () => {
    const put = await cli('invoke', '--api', api, '--channel', 'mychannel', '--name', 'basic', '--', 'put', 'color', 'blue');
    expect(put.code).toBe(0);
    expect(put.json).toMatchObject({ status: 200, committed: true, events: [] });
    expect(put.json.txId).toMatch(/^[0-9a-f]{64}$/);
    const get = await cli('query', '--api', api, '--channel', 'mychannel', '--name', 'basic', '--', 'get', 'color');
    expect(get.code).toBe(0);
    expect(get.json).toMatchObject({ status: 200, payload: 'blue', payloadBase64: Buffer.from('blue').toString('base64'), committed: false });
  });

  it('a chaincode error exits non-zero with the message on stderr; nothing is committed', async () => {
    const r = await cli('invoke', '--api', api, '--name', 'basic', '--', 'fail', 'out of stock');
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ status: 500, message: 'out of stock', committed: false });
    expect(r.err).toContain('out of stock');
  });

  it('the person running the peer sees one line per registration and per transaction', () => {
    expect(output).toMatch(/chaincode registered.*basic:1\.0/);
    expect(output).toMatch(/basic.*put.*200/);
  });

  it('SIGTERM shuts down cleanly with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => peer.once('exit', (code) => r(code)));
    peer.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The launched chaincode is gone too: its stream was closed and its process stopped.
    expect(output).toMatch(/peer stopped/);
  }, 15_000);
});
