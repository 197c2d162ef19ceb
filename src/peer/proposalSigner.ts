/**
 * Signs proposals on a worker thread. ECDSA signing is the largest single cost of an invocation on
 * the peer's main thread (~20% in CPU profiles of `bench:peer`/`bench:chaincode`); on a worker it
 * runs beside the drive loops instead of between them. Requests made in the same turn of the event
 * loop go to the worker as one batch, in one transferred buffer. Signatures are DER with a low S, as Fabric requires
 * (bccsp/sw/ecdsa.go signECDSA). If the worker cannot start or fails, signing falls back to the
 * main thread: a signature is never lost.
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { signLowS } from '../identity/index.js';

// Plain JavaScript (no TypeScript, no project imports) so that it runs the same under tsx and from
// dist/. Low-S for P-256, the curve of the development CAs (src/identity).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF = N >> 1n;
const keys = new Map();
function int(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : Buffer.from(b);
}
function der(p1363) {
  const r = int(p1363.subarray(0, 32));
  let sBig = BigInt('0x' + p1363.subarray(32).toString('hex'));
  if (sBig > HALF) sBig = N - sBig;
  const s = int(Buffer.from(sBig.toString(16).padStart(64, '0'), 'hex'));
  const body = Buffer.concat([Buffer.from([2, r.length]), r, Buffer.from([2, s.length]), s]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
parentPort.on('message', (m) => {
  if (m.key) return void keys.set(m.keyId, m.key);
  const data = Buffer.from(m.data);
  const sigs = [];
  let at = 0;
  for (let i = 0; i < m.keyIds.length; i++) {
    sigs.push(der(sign('sha256', data.subarray(at, at + m.lengths[i]), { key: keys.get(m.keyIds[i]), dsaEncoding: 'ieee-p1363' })));
    at += m.lengths[i];
  }
  const out = new Uint8Array(sigs.reduce((n, s) => n + s.length, 0));
  let o = 0;
  for (const s of sigs) (out.set(s, o), (o += s.length));
  parentPort.postMessage({ batch: m.batch, data: out.buffer, lengths: sigs.map((s) => s.length) }, [out.buffer]);
});
`;

interface Pending {
  key: KeyObject;
  data: Uint8Array;
  resolve: (sig: Uint8Array) => void;
}

export class ProposalSigner {
  private worker: Worker | undefined;
  private readonly keyIds = new Map<KeyObject, number>();
  private queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private nextBatch = 1;
  private scheduled = false;
  private failed = false;

  sign(key: KeyObject, data: Uint8Array): Promise<Uint8Array> {
    if (this.failed || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      return Promise.resolve(signLowS(key, data));
    }
    return new Promise((resolve) => {
      this.queue.push({ key, data, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        // One batch per turn of the event loop: each invocation resumes in its own microtask
        // cycle, so a microtask flush would post (and wake the worker) once per proposal.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const worker = this.ensureWorker();
    if (!worker) return this.signInline(batch);
    // One compact buffer for the whole batch, transferred, not cloned: a small Buffer is a view of
    // an 8 KiB pool slab, and cloning a view copies its whole backing store.
    const keyIds = batch.map((p) => this.keyId(worker, p.key));
    const lengths = batch.map((p) => p.data.length);
    const data = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
    let at = 0;
    for (const p of batch) (data.set(p.data, at), (at += p.data.length));
    const id = this.nextBatch++;
    this.inFlight.set(id, batch);
    worker.postMessage({ batch: id, keyIds, lengths, data: data.buffer }, [data.buffer]);
  }

  private keyId(worker: Worker, key: KeyObject): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyIds.size + 1;
      this.keyIds.set(key, id);
      worker.postMessage({ keyId: id, key });
    }
    return id;
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref(); // never keeps the process alive
      w.on('message', (m: { batch: number; data: ArrayBuffer; lengths: number[] }) => {
        const batch = this.inFlight.get(m.batch);
        this.inFlight.delete(m.batch);
        let at = 0;
        batch?.forEach((p, i) => {
          p.resolve(new Uint8Array(m.data, at, m.lengths[i]!));
          at += m.lengths[i]!;
        });
      });
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      this.worker = w;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  /** The worker is gone: sign whatever it still owed on this thread, and from now on inline. */
  private fail(): void {
    this.failed = true;
    this.worker = undefined;
    for (const batch of this.inFlight.values()) this.signInline(batch);
    this.inFlight.clear();
  }

  private signInline(batch: Pending[]): void {
    for (const p of batch) p.resolve(signLowS(p.key, p.data));
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
    for (const batch of this.inFlight.values()) this.signInline(batch);
    this.inFlight.clear();
  }
}
