/**
 * fabric-shim 2.5.8 as the oracle: ClientIdentity (same getID for DevCa certificates),
 * KeyEndorsementPolicy (same bytes for the same operations), composite keys (same keys and errors),
 * and what the stub derives from a SignedProposal (args, creator, transient map, timestamp, binding).
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devUser } from '../../src/identity/index.js';
import { encodeChaincodeInput, encodeSignedProposal } from '../../src/wire/index.js';
import { ClientIdentity, createCompositeKey, KeyEndorsementPolicy, splitCompositeKey } from '../../src/chaincode/index.js';
import { shimClientIdentity } from '../identity/helpers.js';
import { assertProp } from '../support/props.js';
import { bytes, dynamicHarness, makeProposal, within } from './helpers.js';

const require = createRequire(import.meta.url);
const shim = require('fabric-shim') as {
  KeyEndorsementPolicy: new (policy?: Uint8Array) => { getPolicy(): Uint8Array; addOrgs(role: string, ...orgs: string[]): void; delOrgs(...orgs: string[]): void; listOrgs(): string[] };
  ChaincodeStub: (new (client: unknown, channel: string, txid: string, input: unknown, sp: unknown) => ShimStub) & { prototype: ShimStub };
};
interface ShimStub {
  getArgs(): string[];
  getFunctionAndParameters(): { fcn: string; params: string[] };
  getCreator(): { mspid: string; idBytes: Uint8Array };
  getTransient(): Map<string, Buffer>;
  getBinding(): string;
  getTxTimestamp(): { seconds: { toString(): string }; nanos: number };
  getDateTimestamp(): Date;
  createCompositeKey(t: string, a: string[]): string;
  splitCompositeKey(k: string): { objectType: string | null; attributes: string[] };
}
// The google-protobuf classes fabric-shim itself uses.
const shimProtos = createRequire(require.resolve('fabric-shim'))('@hyperledger/fabric-protos') as {
  peer: { ChaincodeInput: { deserializeBinary(b: Uint8Array): unknown }; SignedProposal: { deserializeBinary(b: Uint8Array): unknown } };
  common: { SignaturePolicyEnvelope: new () => GpMessage; SignaturePolicy: new () => GpMessage & { setNOutOf(x: unknown): void; setSignedBy(n: number): void }; } & {
    SignaturePolicy: { NOutOf: new () => GpMessage & { setN(n: number): void; setRulesList(l: unknown[]): void } };
  };
  msp: {
    MSPPrincipal: new () => GpMessage & { setPrincipalClassification(c: number): void; setPrincipal(b: Uint8Array): void };
    MSPRole: new () => GpMessage & { setMspIdentifier(s: string): void; setRole(r: number): void };
  };
};
interface GpMessage {
  serializeBinary(): Uint8Array;
  setVersion?(v: number): void;
  setRule?(r: unknown): void;
  setIdentitiesList?(l: unknown[]): void;
}

const creatorOf = (mspid: string, certPem: string) => ({
  getCreator: () => ({ mspid, idBytes: Buffer.from(certPem) }),
  getChannelID: () => 'mychannel',
  getTxID: () => 'tx1',
});

describe('ClientIdentity = fabric-shim ClientIdentity', () => {
  const users = [
    devUser('Org1MSP', 'alice', { role: 'auditor', empty: '' }),
    devUser('Org2MSP', 'bob'),
    devUser('Org1MSP', 'carol/with/slashes', { 'a/b': 'c' }),
    devUser('Org3MSP', 'dave', undefined, { domain: 'o/rg3.example.com' }),
    devUser('Org1MSP', 'ünïcødé user'),
  ];
  for (const user of users) {
    it(`${user.mspId} ${user.name}`, () => {
      const ours = new ClientIdentity(creatorOf(user.mspId, user.certPem));
      const theirs = shimClientIdentity(user.mspId, user.certPem);
      expect(ours.getID()).toBe(theirs.getID());
      expect(ours.getMSPID()).toBe(theirs.getMSPID());
      expect(Buffer.from(ours.getIDBytes())).toEqual(Buffer.from(theirs.getIDBytes()));
      for (const name of ['role', 'empty', 'hf.EnrollmentID', 'hf.Type', 'hf.Affiliation', 'missing', 'a/b']) {
        expect(ours.getAttributeValue(name), name).toBe(theirs.getAttributeValue(name));
        const v = theirs.getAttributeValue(name) ?? 'x';
        expect(ours.assertAttributeValue(name, v)).toBe(theirs.assertAttributeValue(name, v));
        expect(ours.assertAttributeValue(name, 'other')).toBe(theirs.assertAttributeValue(name, 'other'));
      }
    });
  }

  it('Go extras: getX509Certificate, hasOUValue', () => {
    const user = devUser('Org1MSP', 'erin');
    const cid = new ClientIdentity(creatorOf('Org1MSP', user.certPem));
    expect(cid.getX509Certificate().subject).toContain('CN=erin');
    expect(cid.hasOUValue('client')).toBe(true);
    expect(cid.hasOUValue('admin')).toBe(false);
  });

  it('refuses what fabric-shim refuses', () => {
    expect(() => new ClientIdentity(creatorOf('Org1MSP', 'not a certificate'))).toThrow('Failed to find start line or end line of the certificate.');
    expect(() => new ClientIdentity({ getCreator: () => undefined, getChannelID: () => 'c', getTxID: () => 't' })).toThrow(/no creator/);
  });

  it('works on a stub built from a real proposal', async () => {
    const user = devUser('Org1MSP', 'frank', { dept: 'sales' });
    const { h, dyn } = await dynamicHarness();
    const got = await within(h, dyn, (stub) => {
      const cid = new ClientIdentity(stub);
      return [cid.getID(), cid.getMSPID(), cid.getAttributeValue('dept')];
    }, { proposal: makeProposal({ mspid: 'Org1MSP', certPem: user.certPem }) });
    expect(got).toEqual([shimClientIdentity('Org1MSP', user.certPem).getID(), 'Org1MSP', 'sales']);
  });
});

describe('KeyEndorsementPolicy = fabric-shim KeyEndorsementPolicy', () => {
  // Integer-like names exercise object key order (they come first in both implementations).
  const org = fc.oneof(fc.constantFrom('Org1MSP', 'Org2MSP', 'Org3MSP', '1', '42', '007', 'toString', ''), fc.string({ maxLength: 8 }).filter((s) => s !== '__proto__'));
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), role: fc.constantFrom('MEMBER', 'PEER'), orgs: fc.array(org, { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('del' as const), orgs: fc.array(org, { maxLength: 3 }) }),
  );

  it('same bytes and org lists for random operation sequences, and for re-parsed policies', () => {
    assertProp(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        const ours = new KeyEndorsementPolicy();
        const theirs = new shim.KeyEndorsementPolicy();
        for (const o of ops) {
          if (o.kind === 'add') {
            ours.addOrgs(o.role, ...o.orgs);
            theirs.addOrgs(o.role, ...o.orgs);
          } else {
            ours.delOrgs(...o.orgs);
            theirs.delOrgs(...o.orgs);
          }
        }
        const bytesOurs = Buffer.from(ours.getPolicy());
        expect(bytesOurs).toEqual(Buffer.from(theirs.getPolicy()));
        expect(ours.listOrgs()).toEqual(theirs.listOrgs());
        const reOurs = new KeyEndorsementPolicy(bytesOurs);
        const reTheirs = new shim.KeyEndorsementPolicy(bytesOurs);
        expect(reOurs.listOrgs()).toEqual(reTheirs.listOrgs());
        expect(Buffer.from(reOurs.getPolicy())).toEqual(Buffer.from(reTheirs.getPolicy()));
      }),
      { runs: 200 },
    );
  });

  it('parses envelopes fabric-shim did not write (other roles, non-ROLE principals) the same way', () => {
    const { common, msp } = shimProtos;
    const principal = (mspId: string, role: number, classification = 0) => {
      const r = new msp.MSPRole();
      r.setMspIdentifier(mspId);
      r.setRole(role);
      const p = new msp.MSPPrincipal();
      p.setPrincipalClassification(classification);
      p.setPrincipal(r.serializeBinary());
      return p;
    };
    const signedBy = new common.SignaturePolicy();
    signedBy.setSignedBy(0);
    const nOutOf = new common.SignaturePolicy.NOutOf();
    nOutOf.setN(1);
    nOutOf.setRulesList([signedBy]);
    const rule = new common.SignaturePolicy();
    rule.setNOutOf(nOutOf);
    const env = new common.SignaturePolicyEnvelope();
    env.setVersion!(3);
    env.setRule!(rule);
    env.setIdentitiesList!([principal('OrgA', 1), principal('OrgB', 2, 1), principal('OrgC', 4), principal('OrgA', 3)]);
    const bytesIn = env.serializeBinary();
    const ours = new KeyEndorsementPolicy(bytesIn);
    const theirs = new shim.KeyEndorsementPolicy(bytesIn);
    expect(ours.listOrgs()).toEqual(theirs.listOrgs());
    expect(ours.listOrgs()).toEqual(['OrgA', 'OrgC']);
    expect(Buffer.from(ours.getPolicy())).toEqual(Buffer.from(theirs.getPolicy()));
    // An empty policy is a policy without orgs, as in fabric-shim.
    expect(new KeyEndorsementPolicy(new Uint8Array(0)).listOrgs()).toEqual([]);
  });

  it('errors: unknown role (fabric-shim text), bytes that are not a policy', () => {
    expect(() => new KeyEndorsementPolicy().addOrgs('ADMIN', 'x')).toThrow('role type ADMIN does not exist');
    expect(() => new KeyEndorsementPolicy(bytes('\x1a\x05ab'))).toThrow(/invalid endorsement policy/);
    expect(() => new KeyEndorsementPolicy(bytes('\x10\x01'))).toThrow(/invalid endorsement policy/);
  });
});

describe('composite keys = fabric-shim', () => {
  const theirs = Object.create(shim.ChaincodeStub.prototype) as ShimStub;
  const outcome = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  const part = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('', 'a\u0000b', '\u{10ffff}'));

  it('createCompositeKey: same keys and same errors', () => {
    assertProp(
      fc.property(part, fc.array(part, { maxLength: 4 }), (t, attrs) => {
        expect(outcome(() => createCompositeKey(t, attrs))).toEqual(outcome(() => theirs.createCompositeKey(t, attrs)));
      }),
      { runs: 300 },
    );
    expect(outcome(() => createCompositeKey(undefined as unknown as string, []))).toEqual(outcome(() => theirs.createCompositeKey(undefined as unknown as string, [])));
    expect(outcome(() => createCompositeKey('t', 'x' as unknown as string[]))).toEqual(outcome(() => theirs.createCompositeKey('t', 'x' as unknown as string[])));
  });

  it('splitCompositeKey: same result for any string', () => {
    assertProp(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 }).map((s) => '\u0000' + s)), (k) => {
        expect(splitCompositeKey(k)).toEqual(theirs.splitCompositeKey(k));
      }),
      { runs: 300 },
    );
    expect(splitCompositeKey('')).toEqual(theirs.splitCompositeKey(''));
  });
});

describe('proposal-derived values = fabric-shim ChaincodeStub', () => {
  it('args, creator, transient, timestamp, binding', async () => {
    const { h, dyn } = await dynamicHarness();
    await assertProp(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 24 }),
        // fabric-shim reads the uint64 epoch as a number and then takes `.low`/`.high` of it, so it
        // always hashes epoch 0; Fabric clients always send 0 (our binding uses the real epoch, as Go).
        fc.constant(0),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 6 }), { maxKeys: 3 }),
        fc.record({ seconds: fc.integer({ min: 0, max: 2 ** 35 }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }),
        fc.string({ maxLength: 8 }),
        async (args, nonce, epoch, transient, timestamp, mspid) => {
          const sp = makeProposal({ nonce, epoch, transient, timestamp, mspid });
          const input = { args: args.map(bytes), decorations: {}, isInit: false };
          const theirs = new shim.ChaincodeStub(
            {},
            'mychannel',
            'tx',
            shimProtos.peer.ChaincodeInput.deserializeBinary(encodeChaincodeInput(input)),
            shimProtos.peer.SignedProposal.deserializeBinary(encodeSignedProposal(sp)),
          );
          const ours = await within(h, dyn, (stub) => ({
            args: stub.getArgs(),
            fp: stub.getFunctionAndParameters(),
            creator: { mspid: stub.getCreator()!.mspid, idBytes: Buffer.from(stub.getCreator()!.idBytes) },
            transient: [...stub.getTransient()],
            binding: stub.getBinding(),
            ts: [stub.getTxTimestamp().seconds.toString(), stub.getTxTimestamp().nanos],
            date: stub.getDateTimestamp().getTime(),
          }), { args, proposal: sp });
          expect(ours).toEqual({
            args: theirs.getArgs(),
            fp: theirs.getFunctionAndParameters(),
            creator: { mspid: theirs.getCreator().mspid, idBytes: Buffer.from(theirs.getCreator().idBytes) },
            transient: [...theirs.getTransient()],
            binding: theirs.getBinding(),
            ts: [theirs.getTxTimestamp().seconds.toString(), theirs.getTxTimestamp().nanos],
            date: theirs.getDateTimestamp().getTime(),
          });
        },
      ),
      { runs: 60 },
    );
  });
});
