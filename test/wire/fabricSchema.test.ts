/**
 * Whole-module checks of the Fabric messages outside the chaincode stream: every codec has an
 * oracle spec and a test, the services match Fabric's gRPC definitions, every message type in
 * protos/ has a codec, and decoding stays total on damaged input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '@hyperledger/fabric-protos';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import * as wire from '../../src/wire/index.js';
import { fabricCodecs, payloadCodecs } from '../../src/wire/index.js';
import { codecOf, defaultValue, FABRIC_SPECS, filledValue, variantsOf } from './fabricOracle.js';
import { expectSame, hex } from './oracle.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const PROTO_DIR = join(ROOT, 'protos');

function protoFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? protoFiles(full) : name.endsWith('.proto') ? [full] : [];
  });
}

function loadOurs(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith(PROTO_DIR) ? target : join(PROTO_DIR, target));
  root.loadSync(protoFiles(PROTO_DIR), { keepCase: false });
  root.resolveAll();
  return root;
}

function allTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Type) out.push(obj);
    if (obj instanceof protobuf.Namespace || obj instanceof protobuf.Type) allTypes(obj, out);
  }
  return out;
}

describe('coverage', () => {
  it('every codec has an oracle spec, and every spec a codec', () => {
    expect(Object.keys(fabricCodecs).sort()).toEqual(Object.keys(FABRIC_SPECS).sort());
  });

  it('every test file lists its messages: together, all of fabricCodecs', () => {
    const files = ['gatewayCodecs', 'blockCodecs', 'rwsetCodecs', 'policyCodecs'];
    const listed = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'test/wire', `${f}.test.ts`), 'utf8');
      for (const match of text.matchAll(/^\s+'([\w.]+)',$/gm)) listed.add(match[1]!);
    }
    expect([...listed].filter((n) => n in fabricCodecs).sort()).toEqual(Object.keys(fabricCodecs).sort());
  });

  it('every message declared in protos/ has a codec, except wrappers handled inside others', () => {
    // Declared but decoded as part of their parent (or not a message of their own on any wire).
    const inside = new Set(['protos.ChaincodeMessage', 'protos.QueryResultBytes', 'protos.GetStateMetadata', 'protos.PurgePrivateState']);
    const missing = allTypes(loadOurs())
      .map((t) => t.fullName.slice(1))
      .filter((n) => !(n in fabricCodecs) && !(n in payloadCodecs) && !inside.has(n));
    expect(missing).toEqual([]);
  });
});

describe('enums equal Fabric\'s, and each name lookup inverts its enum', () => {
  const o = pkg as unknown as Record<string, Record<string, Record<string, Record<string, unknown>>>> & {
    ledger: { rwset: { TxReadWriteSet: { DataModel: unknown } } };
  };
  const ENUMS: [string, Record<string, number>, unknown, (code: number) => string | undefined][] = [
    ['TxValidationCode', wire.TxValidationCode, o['peer']!['TxValidationCode'], wire.txValidationCodeName],
    ['MetaDataKeys', wire.MetaDataKeys, o['peer']!['MetaDataKeys'], () => undefined],
    ['HeaderType', wire.HeaderType, o['common']!['HeaderType'], wire.headerTypeName],
    ['Status', wire.Status, o['common']!['Status'], wire.statusName],
    ['BlockMetadataIndex', wire.BlockMetadataIndex, o['common']!['BlockMetadataIndex'], wire.blockMetadataIndexName],
    ['PolicyType', wire.PolicyType, o['common']!['Policy']!['PolicyType'], wire.policyTypeName],
    ['ImplicitMetaPolicyRule', wire.ImplicitMetaPolicyRule, o['common']!['ImplicitMetaPolicy']!['Rule'], wire.implicitMetaPolicyRuleName],
    ['MSPPrincipalClassification', wire.MSPPrincipalClassification, o['msp']!['MSPPrincipal']!['Classification'], wire.mspPrincipalClassificationName],
    ['MSPRoleType', wire.MSPRoleType, o['msp']!['MSPRole']!['MSPRoleType'], wire.mspRoleTypeName],
    ['MSPIdentityAnonymityType', wire.MSPIdentityAnonymityType, o['msp']!['MSPIdentityAnonymity']!['MSPIdentityAnonymityType'], wire.mspIdentityAnonymityTypeName],
    ['SeekBehavior', wire.SeekBehavior, o['orderer']!['SeekInfo']!['SeekBehavior'], wire.seekBehaviorName],
    ['SeekErrorResponse', wire.SeekErrorResponse, o['orderer']!['SeekInfo']!['SeekErrorResponse'], wire.seekErrorResponseName],
    ['SeekContentType', wire.SeekContentType, o['orderer']!['SeekInfo']!['SeekContentType'], wire.seekContentTypeName],
    ['ConsensusTypeState', wire.ConsensusTypeState, o['orderer']!['ConsensusType']!['State'], wire.consensusTypeStateName],
    ['TxReadWriteSetDataModel', wire.TxReadWriteSetDataModel, o.ledger.rwset.TxReadWriteSet.DataModel, wire.txReadWriteSetDataModelName],
  ];
  for (const [name, ours, theirs, nameOf] of ENUMS) {
    it(name, () => {
      expect(theirs, `fabric-protos has ${name}`).toBeDefined();
      expect({ ...ours }).toEqual(theirs);
      if (name === 'MetaDataKeys') return;
      for (const [key, code] of Object.entries(ours)) expect(nameOf(code)).toBe(key);
      expect(nameOf(-1)).toBeUndefined();
    });
  }
});

describe('services match the gRPC definitions of @hyperledger/fabric-protos', () => {
  interface MethodDef {
    path: string;
    requestStream: boolean;
    responseStream: boolean;
    requestType: unknown;
    responseType: unknown;
  }
  const oracle = pkg as unknown as Record<string, Record<string, unknown>>;
  const ORACLE_SERVICES: Record<string, Record<string, MethodDef>> = {
    'gateway.Gateway': oracle['gateway']!['GatewayService'] as Record<string, MethodDef>,
    'protos.Deliver': oracle['peer']!['DeliverService'] as Record<string, MethodDef>,
    'protos.Endorser': oracle['peer']!['EndorserService'] as Record<string, MethodDef>,
    'orderer.AtomicBroadcast': oracle['orderer']!['AtomicBroadcastService'] as Record<string, MethodDef>,
  };
  // Oracle class of each message our services mention, by full name.
  const { peer, common } = oracle as unknown as Record<string, Record<string, unknown>>;
  const classOf = (name: string): unknown =>
    FABRIC_SPECS[name]?.oracle ??
    { 'protos.SignedProposal': peer!['SignedProposal'], 'common.Envelope': common!['Envelope'] }[name];

  const root = loadOurs();
  for (const [serviceName, theirs] of Object.entries(ORACLE_SERVICES)) {
    it(serviceName, () => {
      const service = root.lookupService(serviceName);
      const ours = service.methodsArray.map((m) => {
        m.resolve();
        return {
          path: `/${serviceName}/${m.name}`,
          requestStream: m.requestStream === true,
          responseStream: m.responseStream === true,
          requestType: classOf(m.resolvedRequestType!.fullName.slice(1)),
          responseType: classOf(m.resolvedResponseType!.fullName.slice(1)),
        };
      });
      const expected = Object.values(theirs).map(({ path, requestStream, responseStream, requestType, responseType }) => ({
        path,
        requestStream,
        responseStream,
        requestType,
        responseType,
      }));
      expect(ours.map((o) => o.path)).toEqual(expected.map((e) => e.path));
      for (let i = 0; i < ours.length; i++) {
        expect(ours[i]!.requestType, ours[i]!.path).toBeDefined();
        expect(ours[i]).toEqual(expected[i]);
      }
    });
  }
});

describe('decoders are total', () => {
  it('truncations and single-byte changes of a filled encoding decode or fail, never throw', () => {
    // Plain checks in the loop (expect() per decode would dominate the run time).
    const problems: string[] = [];
    for (const name of Object.keys(fabricCodecs)) {
      const codec = codecOf(name);
      const wire = codec.encode(filledValue(name, 1));
      const inputs: Uint8Array[] = [];
      const step = Math.max(1, Math.floor(wire.length / 64));
      for (let cut = 0; cut < wire.length; cut += step) inputs.push(wire.subarray(0, cut));
      for (let at = 0; at < Math.min(wire.length, 32); at++) {
        for (const b of [0x00, 0x80, 0xff]) {
          const damaged = Uint8Array.from(wire);
          damaged[at] = b;
          inputs.push(damaged);
        }
      }
      for (const input of inputs) {
        const r = codec.decode(input);
        if (!r.ok) {
          if (!/^\w+: /.test(r.reason)) problems.push(`${name}: reason without label: ${r.reason}`);
          continue;
        }
        // Whatever decodes is canonical: its encoding decodes to a value with the same encoding.
        const first = codec.encode(r.value);
        const again = codec.decode(first);
        if (!again.ok) problems.push(`${name}: re-encoded value does not decode: ${again.reason}`);
        else if (hex(codec.encode(again.value)) !== hex(first)) problems.push(`${name}: not canonical for ${hex(input)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('non-bytes input is a failure, not an exception', () => {
    for (const name of Object.keys(fabricCodecs)) {
      const r = codecOf(name).decode(null as unknown as Uint8Array);
      expect(r.ok).toBe(false);
    }
  });

  it('filled values round-trip through our codec alone (Buffer input included)', () => {
    for (const name of Object.keys(fabricCodecs)) {
      for (let v = 0; v < variantsOf(name); v++) {
        const value = filledValue(name, v);
        const r = codecOf(name).decode(Buffer.from(codecOf(name).encode(value)));
        expectSame(r, { ok: true, value });
      }
      expectSame(codecOf(name).decode(new Uint8Array(0)), { ok: true, value: defaultValue(name) });
    }
  });
});
