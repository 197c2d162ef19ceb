/**
 * The Go interop binaries for the tests: built (incrementally) when this module is first imported.
 *
 * When they cannot be built (no `go` on PATH, a Go older than go.mod asks for, no module proxy, a
 * compile error): with CI=true importing this module throws, so CI can never skip these suites
 * silently; elsewhere `GO.skip` is true, the reason is printed with console.warn, and the suites
 * use `describe.skipIf(GO.skip)`.
 */
import { join } from 'node:path';

import { buildGo } from './build.mjs';

export interface GoToolchain {
  /** true: the binaries are missing and the suites skip. */
  skip: boolean;
  /** Why they are missing ('' when built). */
  reason: string;
  /** The command chaincode (cmd/command) and the contract (cmd/contract). */
  command: string;
  contract: string;
  /** The Fabric Gateway client application (cmd/gwclient). */
  gwclient: string;
  /** Decodes blocks with protolator and fabric-config (cmd/blockdecode). */
  blockdecode: string;
}

async function prepare(): Promise<GoToolchain> {
  const result = await buildGo();
  if (result.ok) return { skip: false, reason: '', command: join(result.bin, 'command'), contract: join(result.bin, 'contract'), gwclient: join(result.bin, 'gwclient'), blockdecode: join(result.bin, 'blockdecode') };
  if (process.env.CI === 'true') throw new Error(`Go interop tests: the Go chaincode could not be built, and CI=true never skips them: ${result.reason}`);
  console.warn(`Go interop tests skipped: ${result.reason}`);
  return { skip: true, reason: result.reason, command: '', contract: '', gwclient: '', blockdecode: '' };
}

export const GO: GoToolchain = await prepare();
