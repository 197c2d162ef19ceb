/**
 * ensureCryptoDir across processes: several started together agree on one set of material, and a process
 * killed while writing leaves nothing that a later run cannot complete.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCryptoDir, loadMspFromDir, type OrgCrypto } from '../../src/identity/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const MODULE = JSON.stringify(join(REPO, 'src/identity/index.ts'));

const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccproto-cryptodir-proc-'));
  tmpRoots.push(d);
  return d;
}

/** Runs ensureCryptoDir in a child; `onStart` gets the child once it is about to write. */
function child(dir: string, mspIds: string[], onStart?: (kill: () => void) => void): Promise<string> {
  const code = `
    const { ensureCryptoDir } = await import(${MODULE});
    process.stdout.write('start\\n');
    const m = ensureCryptoDir(${JSON.stringify(dir)}, ${JSON.stringify(mspIds)});
    const pick = (o) => [o.caCertPem, o.tlsCaCertPem, o.peer.certPem, o.peerTls.certPem, o.users.User1.certPem, o.users.Admin.keyPem];
    process.stdout.write(JSON.stringify(m.orgs.map(pick)) + '\\n');
  `;
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (!out.includes('start\n') && (out + d).includes('start\n')) onStart?.(() => p.kill('SIGKILL'));
      out += d;
    });
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (status, signal) => {
      if (signal === 'SIGKILL' || status === 0) resolvePromise(out.slice(out.indexOf('start\n') + 6).trim());
      else reject(new Error(`child failed (${status}): ${err}`));
    });
  });
}

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'];

describe('ensureCryptoDir across processes', () => {
  it('processes started together end up with the same material, the one on disk', async () => {
    const dir = tmp();
    const outputs = await Promise.all([child(dir, ORGS), child(dir, ORGS)]);
    expect(outputs[1]).toBe(outputs[0]);
    const mine = ensureCryptoDir(dir, ORGS);
    const pick = (o: OrgCrypto): string[] => {
      return [o.caCertPem, o.tlsCaCertPem, o.peer.certPem, o.peerTls.certPem, o.users.User1.certPem, o.users.Admin.keyPem];
    };
    expect(JSON.stringify(mine.orgs.map(pick))).toBe(outputs[0]);
    expect(readFileSync(mine.get('Org3MSP')!.users.User1.paths.signCert, 'utf8')).toBe(mine.get('Org3MSP')!.users.User1.certPem);
  }, 30_000);

  it('a run killed while writing leaves material that the next run completes', async () => {
    // About 240 files for four orgs, written in some 150 ms: killed early and midway (in parallel).
    const delays = [25, 80];
    const dirs = delays.map(() => tmp());
    await Promise.all(delays.map((delayMs, i) => child(dirs[i] as string, ORGS, (kill) => setTimeout(kill, delayMs))));
    for (const [i, dir] of dirs.entries()) {
      const delayMs = delays[i];
      const m = ensureCryptoDir(dir, ORGS);
      for (const org of m.orgs) {
        const msp = loadMspFromDir(org.mspId, org.paths.msp);
        for (const node of [org.peer, org.users.User1, org.users.Admin]) {
          expect(msp.validateIdentity(readFileSync(node.paths.signCert)).ok, `${delayMs}ms ${node.name}`).toBe(true);
          expect(readFileSync(node.paths.key, 'utf8')).toBe(node.keyPem);
        }
      }
      expect(ensureCryptoDir(dir, ORGS).orgs.map((o) => o.users.User1.certPem)).toEqual(m.orgs.map((o) => o.users.User1.certPem));
    }
  }, 30_000);
});
