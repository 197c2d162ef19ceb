import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The subset of fabric-shim 2.5.8's ClientIdentity we exercise (lib/chaincode.js). */
export interface ShimClientIdentity {
  getID(): string;
  getMSPID(): string;
  getIDBytes(): Uint8Array;
  getAttributeValue(name: string): string | null;
  assertAttributeValue(name: string, value: string): boolean;
}

type ClientIdentityCtor = new (stub: unknown) => ShimClientIdentity;

let ctor: ClientIdentityCtor | undefined;

/**
 * fabric-shim's real ClientIdentity (the compatibility oracle) on a minimal stub. In 2.5.8 the constructor
 * calls stub.getChannelID() and stub.getTxID() (logging prefix) and stub.getCreator(), which ChaincodeStub
 * fills from the proposal's SignatureHeader as {mspid: string, idBytes: Uint8Array} (lib/stub.js).
 */
export function shimClientIdentity(mspid: string, certPem: string): ShimClientIdentity {
  ctor ??= (require('fabric-shim') as { ClientIdentity: ClientIdentityCtor }).ClientIdentity;
  const idBytes = new Uint8Array(Buffer.from(certPem, 'utf8'));
  const stub = {
    getChannelID: () => 'mychannel',
    getTxID: () => 'tx1',
    getCreator: () => ({ mspid, idBytes }),
  };
  return new ctor(stub);
}

/**
 * @peculiar/x509 as an independent certificate parser for assertions. It needs a Reflect metadata polyfill
 * (tsyringe); reflect-metadata is resolved next to fabric-shim, which depends on it.
 */
export async function peculiar(): Promise<typeof import('@peculiar/x509')> {
  const fromShim = createRequire(require.resolve('fabric-shim'));
  fromShim('reflect-metadata');
  return import('@peculiar/x509');
}
