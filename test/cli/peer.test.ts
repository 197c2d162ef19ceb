/** `ccproto peer` run in-process with a fake peer: startup lines, the API, clean shutdown. */
import { createServer } from 'node:net';

import { describe, expect, it } from 'vitest';

import { main, type PeerReadyInfo } from '../../src/cli/main.js';
import type { PeerOptions } from '../../src/peer/types.js';
import { FakePeer, deferred, memoryIo, postJson, rawRequest } from './helpers.js';

function startPeerCommand(argv: string[], fake = new FakePeer()) {
  const shutdown = deferred<string>();
  const ready = deferred<PeerReadyInfo>();
  let options: PeerOptions | undefined;
  const io = memoryIo({
    now: () => new Date(2025, 0, 2, 9, 12, 1, 123),
    startPeer: async (o) => {
      options = o;
      return fake;
    },
    waitForShutdown: () => shutdown.promise,
    onReady: (info) => ready.resolve(info),
  });
  const exit = main(['peer', '--gateway', '127.0.0.1:0', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', ...argv], io);
  void exit.then(() => ready.resolve(undefined as never));
  return { io, fake, exit, ready: ready.promise, shutdown: shutdown.resolve, options: () => options };
}

describe('ccproto peer', () => {
  it('serves the API, logs startup and peer records, and shuts down cleanly with exit 0', async () => {
    const run = startPeerCommand([]);
    const info = await run.ready;
    expect(info.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.chaincodeAddress).toBe('127.0.0.1:7052');

    expect((await rawRequest(info.apiUrl, 'GET', '/health')).json).toEqual({ status: 'ok' });
    const res = await postJson(info.apiUrl, '/invoke', { chaincode: 'basic', args: ['CreateAsset', 'a1'] });
    expect(res.json).toMatchObject({ status: 200, committed: true });

    // The peer's log records are printed as text lines.
    run.options()!.log!({ level: 'info', msg: 'chaincode registered', name: 'basic:1.0', serves: 'basic' });
    run.options()!.log!({ level: 'debug', msg: 'hidden at the default level' });

    run.shutdown('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.fake.closed).toBe(1);
    await expect(rawRequest(info.apiUrl, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);

    const lines = run.io.out().trim().split('\n');
    expect(lines[0]).toBe(
      `09:12:01.123 INFO  ccproto peer listening  chaincode=127.0.0.1:7052 api=${info.apiUrl} mspId=Org1MSP tls=off ledger=memory`,
    );
    expect(lines[1]).toBe('09:12:01.123 INFO  user-run chaincode: start it with  peer.address=127.0.0.1:7052 CORE_CHAINCODE_ID_NAME=NAME:VERSION');
    expect(lines).toContain('09:12:01.123 INFO  chaincode registered  name=basic:1.0 serves=basic');
    expect(lines.some((l) => l.includes('hidden'))).toBe(false);
    expect(lines.at(-2)).toBe('09:12:01.123 INFO  shutting down  reason=SIGINT graceMs=30000');
    expect(lines.at(-1)).toBe('09:12:01.123 INFO  stopped');
    expect(run.io.err()).toBe('');
  });

  it('--log-format json prints one JSON object per line; TLS adds how to get the material', async () => {
    const fake = new FakePeer();
    fake.tlsRootCertPem = 'CA';
    const run = startPeerCommand(['--log-format', 'json', '--tls', '--log-level', 'debug'], fake);
    const info = await run.ready;
    run.options()!.log!({ level: 'debug', msg: 'chaincode output', chaincode: 'basic', stream: 'stdout', line: 'hi' });
    run.shutdown('SIGTERM');
    expect(await run.exit).toBe(0);
    const records = run.io.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ level: 'info', msg: 'ccproto peer listening', api: info.apiUrl, tls: 'on' });
    expect(typeof records[0]!['time']).toBe('string');
    const tlsHint = records.find((r) => String(r['msg']).startsWith('TLS is on'));
    expect(tlsHint?.['command']).toBe(`eval "$(ccproto tls --api ${info.apiUrl} --name NAME --out ./tls-NAME)"`);
    expect(records).toContainEqual(expect.objectContaining({ msg: 'chaincode output', line: 'hi' }));
    expect(run.options()).toMatchObject({ tls: true });
  });

  it('a peer that fails to start: message on stderr, exit 1', async () => {
    const io = memoryIo({
      startPeer: async () => {
        throw new Error('listen EADDRINUSE 127.0.0.1:7052');
      },
      waitForShutdown: () => new Promise(() => {}),
    });
    expect(await main(['peer', '--api', '127.0.0.1:0'], io)).toBe(1);
    expect(io.err()).toMatch(/cannot start the peer: listen EADDRINUSE/);
  });

  it('an API port in use: message on stderr, the peer is closed again, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const fake = new FakePeer();
      const io = memoryIo({ startPeer: async () => fake, waitForShutdown: () => new Promise(() => {}) });
      expect(await main(['peer', '--api', `127.0.0.1:${port}`], io)).toBe(1);
      expect(io.err()).toMatch(new RegExp(`cannot serve the API on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      expect(fake.closed).toBe(1);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a failing peer.close(): exit 1, the API is closed anyway', async () => {
    const fake = new FakePeer();
    fake.close = async () => {
      throw new Error('flush failed');
    };
    const run = startPeerCommand([], fake);
    const info = await run.ready;
    run.shutdown('SIGINT');
    expect(await run.exit).toBe(1);
    expect(run.io.err()).toMatch(/closing the peer failed: flush failed/);
    await expect(rawRequest(info.apiUrl, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});
