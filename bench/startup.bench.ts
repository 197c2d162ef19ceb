/**
 * npm run bench:startup — how long `ccproto peer` (the built CLI, `node dist/src/cli/main.js`)
 * takes from process spawn until its chaincode listener and HTTP API accept connections.
 * Five runs on loopback; prints each, then {"bench":"startup","medianMs":N,"maxMs":N}.
 * Target: listening within 300 ms of start.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

// BENCH_CLI=bin measures bin/ccproto.mjs (TypeScript sources through tsx, as `npx ccproto` in a
// checkout); the default is the compiled CLI.
const cli = fileURLToPath(new URL(process.env.BENCH_CLI === 'bin' ? '../bin/ccproto.mjs' : '../dist/src/cli/main.js', import.meta.url));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

async function once(run: number): Promise<number> {
  const listen = 17_300 + run * 2;
  const api = listen + 1;
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'peer', '--gateway', '127.0.0.1:0', '--listen', `127.0.0.1:${listen}`, '--api', `127.0.0.1:${api}`], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 2000; i++) {
      if ((await accepts(listen)) && (await accepts(api))) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('peer did not start listening within 4 s');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const times: number[] = [];
for (let run = 0; run < 5; run++) times.push(await once(run));
const sorted = [...times].sort((a, b) => a - b);
console.log('ccproto peer start-up (spawn → chaincode listener and API accept connections)');
console.table(times.map((ms, i) => ({ run: i + 1, ms: Math.round(ms) })));
console.log(JSON.stringify({ bench: 'startup', medianMs: Math.round(sorted[2]!), maxMs: Math.round(sorted[4]!) }));
