/**
 * Every payload / nested message codec against Fabric's own generated code, in both directions:
 *   ours.encode -> fabric-protos deserializeBinary -> same value;
 *   fabric-protos serializeBinary -> ours.decode -> same value, and ours.encode gives the same bytes
 *   (except when a map has several keys: google-protobuf sorts map keys, protobuf leaves the order
 *   unspecified and we keep the object's order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadCodecs } from '../../src/wire/payloads.js';
import type { UntypedCodec } from '../../src/wire/payloads.js';
import { assertProp } from '../support/props.js';
import { arbitraryOf, expectSame, fromOracle, hasMultiKeyMap, hex, NUM_RUNS, SPECS, toOracle } from './oracle.js';

/** [oracle spec name, our codec name]: Fabric's aliases are checked with Fabric's own classes. */
const CASES: [string, string][] = [
  ...Object.keys(payloadCodecs).map((name): [string, string] => [name, name]),
  ['protos.GetStateMetadata', 'protos.GetState'],
  ['protos.PurgePrivateState', 'protos.DelState'],
];

describe('payload codecs vs @hyperledger/fabric-protos', () => {
  it('has an oracle spec for every codec', () => {
    for (const name of Object.keys(payloadCodecs)) expect(SPECS[name], name).toBeDefined();
  });

  for (const [oracleName, codecName] of CASES) {
    const codec = payloadCodecs[codecName] as UntypedCodec;
    const oracle = SPECS[oracleName]!.oracle;

    it(`${oracleName}: ours -> fabric-protos (prop)`, () => {
      assertProp(
        fc.property(arbitraryOf(oracleName), (value) => {
          const bytes = codec.encode(value as never);
          expectSame(fromOracle(oracleName, oracle.deserializeBinary(bytes)), value);
        }),
        { runs: NUM_RUNS },
      );
    });

    it(`${oracleName}: fabric-protos -> ours, same bytes (prop)`, () => {
      assertProp(
        fc.property(arbitraryOf(oracleName), (value) => {
          const theirs = toOracle(oracleName, value).serializeBinary();
          const decoded = codec.decode(theirs);
          if (!decoded.ok) throw new Error(decoded.reason);
          expectSame(decoded.value, value);
          if (!hasMultiKeyMap(oracleName, value)) expect(hex(codec.encode(value as never))).toBe(hex(theirs));
        }),
        { runs: NUM_RUNS },
      );
    });
  }
});
