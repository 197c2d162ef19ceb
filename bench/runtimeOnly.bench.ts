/**
 * npm run bench:runtime — the chaincode runtimes alone: the same logic as bench:chaincode (1 getState +
 * 1 putState per transaction, 64 in flight) on fabric-shim 2.5.8, on ccproto's runtime and on the
 * no-runtime chaincode of bench/fixtures/rawFramesChaincode.mjs, each a child process talking gRPC to
 * a *scripted* peer that does almost nothing: TRANSACTION frames are encoded before the timed phase,
 * every GET_STATE / PUT_STATE is answered with an empty RESPONSE, nothing is simulated. This shows
 * what each runtime can do when the peer is not the limit; bench:chaincode shows it through the real
 * dev peer. Not a substitute for bench:chaincode (whose figures the target is about).
 *
 * Last line: {"bench":"runtime","oursTxPerSecond":N,"fabricShimTxPerSecond":N,"noRuntimeTxPerSecond":N,"ratio":N}
 * Options: BENCH_TXS (per runtime, default 30000, after 3000 for warm-up), BENCH_IN_FLIGHT (default 64).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { benchClient, cpuMs, fromDist } from './support.js';
import type { FrameStream } from '../src/transport/index.js';

// The scripted peer runs the built code (`npm run build` precedes this), as the chaincodes do.
const { buildSignedProposal } = await fromDist<typeof import('../src/peer/proposal.js')>('src/peer/proposal.js');
const { listenChaincodeSupport } = await fromDist<typeof import('../src/transport/index.js')>('src/transport/index.js');
const { decodeMessage, encodeMessage } = await fromDist<typeof import('../src/wire/index.js')>('src/wire/index.js');

const txs = Number(process.env.BENCH_TXS ?? 30_000);
const warmUpTxs = 3_000;
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const here = (p: string) => new URL(p, import.meta.url).pathname;

const client = benchClient();

/** TRANSACTION frames with real signed proposals, encoded before anything is timed. */
async function transactionFrames(count: number): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const args = [Buffer.from('put'), Buffer.from(`key-${i}`), Buffer.from(`{"value":${i}}`)];
    const p = await buildSignedProposal({ identity: client, channel: 'mychannel', chaincode: 'bench', args, isInit: false, transient: {}, nowMs: Date.now() });
    frames.push(
      encodeMessage({ type: 'TRANSACTION', txid: p.txId, channelId: 'mychannel', payload: { args, decorations: {}, isInit: false }, proposal: p.signedProposal }),
    );
  }
  return frames;
}

const EMPTY = new Uint8Array(0);

/** Serves one chaincode stream: handshake, then `frames` with `inFlight` in flight; resolves when all completed. */
function serve(stream: FrameStream, frames: Uint8Array[], onPhase: (phase: 'measuring' | 'done') => void): void {
  let next = 0;
  let completed = 0;
  const sendNext = () => {
    if (next < frames.length) stream.send(frames[next++]!);
  };
  stream.onFrame((bytes) => {
    const r = decodeMessage(bytes);
    if (!r.ok) throw new Error(`bad frame from the chaincode: ${r.malformed.reason}`);
    const m = r.message;
    const at = { txid: m.txid, channelId: m.channelId };
    switch (m.type) {
      case 'REGISTER':
        stream.send(encodeMessage({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY }));
        stream.send(encodeMessage({ type: 'READY', txid: '', channelId: '', payload: { useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 } }));
        for (let i = 0; i < inFlight; i++) sendNext();
        return;
      case 'GET_STATE':
      case 'PUT_STATE':
        stream.send(encodeMessage({ type: 'RESPONSE', ...at, payload: EMPTY }));
        return;
      case 'COMPLETED':
        completed++;
        if (completed === warmUpTxs) onPhase('measuring');
        if (completed === frames.length) onPhase('done');
        sendNext();
        return;
      default:
        throw new Error(`unexpected ${m.type} from the chaincode`);
    }
  });
}

async function rate(name: string, script: string): Promise<{ txPerSecond: number; cpuMicrosPerTx: number | undefined }> {
  const frames = await transactionFrames(warmUpTxs + txs);
  let child: ChildProcess | undefined;
  let started = 0;
  let cpu0: number | undefined;
  return new Promise((resolve, reject) => {
    void (async () => {
      const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (stream) =>
        serve(stream, frames, (phase) => {
          if (phase === 'measuring') {
            started = performance.now();
            cpu0 = cpuMs(child?.pid);
            return;
          }
          const seconds = (performance.now() - started) / 1000;
          const cpu1 = cpuMs(child?.pid);
          resolve({ txPerSecond: Math.round(txs / seconds), cpuMicrosPerTx: cpu0 !== undefined && cpu1 !== undefined ? Math.round(((cpu1 - cpu0) * 1000) / txs) : undefined });
          child?.kill();
          void listener.close();
        }),
      );
      // The flags fabric-shim and our runtime read; the no-runtime chaincode reads the environment.
      const id = `${name}:1.0`;
      child = spawn('node', [script, '--peer.address', listener.address, '--chaincode-id-name', id], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CORE_PEER_ADDRESS: listener.address, CORE_CHAINCODE_ID_NAME: id },
      });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) reject(new Error(`${name} exited with code ${code}`));
      });
    })().catch(reject);
  });
}

const fabricShim = await rate('shim', here('./fixtures/getPutShim.cjs'));
const ours = await rate('ours', here('../dist/examples/bench-getput/index.js'));
const noRuntime = await rate('noruntime', here('./fixtures/rawFramesChaincode.mjs'));
const ratio = Number((ours.txPerSecond / fabricShim.txPerSecond).toFixed(2));
console.log('chaincode runtimes against a scripted peer that does almost nothing (gRPC, 64 in flight)');
console.table({
  'fabric-shim tx/s': fabricShim.txPerSecond,
  'ccproto tx/s': ours.txPerSecond,
  'ratio (ours ÷ fabric-shim)': ratio,
  'no-runtime chaincode tx/s': noRuntime.txPerSecond,
  'no-runtime ÷ fabric-shim': Number((noRuntime.txPerSecond / fabricShim.txPerSecond).toFixed(2)),
  'chaincode CPU µs per tx (shim / ours / no runtime)': `${fabricShim.cpuMicrosPerTx ?? '?'} / ${ours.cpuMicrosPerTx ?? '?'} / ${noRuntime.cpuMicrosPerTx ?? '?'}`,
});
console.log(
  JSON.stringify({ bench: 'runtime', oursTxPerSecond: ours.txPerSecond, fabricShimTxPerSecond: fabricShim.txPerSecond, noRuntimeTxPerSecond: noRuntime.txPerSecond, ratio }),
);
