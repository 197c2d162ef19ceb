/**
 * ChaincodeMessage (envelope + typed payload) against Fabric's own generated code, for all 25
 * known types and for unknown type numbers, in both directions, plus byte equality.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/messages.js';
import { ALL_MESSAGE_TYPES, MessageType, messageTypeName } from '../../src/protocol/messageType.js';
import { decodeMessage, encodeMessage } from '../../src/wire/index.js';
import { assertProp } from '../support/props.js';
import {
  arbMessage,
  expectSame,
  fromOracle,
  hasMultiKeyMap,
  hex,
  NUM_RUNS,
  OracleChaincodeMessage,
  PAYLOAD_OF,
  SPECS,
  toOracle,
  type OracleMessage,
} from './oracle.js';

const ChaincodeMessage = OracleChaincodeMessage;

function toOracleMessage(m: Message): OracleMessage {
  const o = new ChaincodeMessage();
  const set = (name: string, v: unknown): void => void (o[name] as (v: unknown) => void).call(o, v);
  const payloadName = PAYLOAD_OF[m.type];
  set('setType', m.type === 'UNKNOWN' ? m.code : MessageType[m.type]);
  set('setTxid', m.txid);
  set('setChannelId', m.channelId);
  if (m.timestamp) set('setTimestamp', toOracle('google.protobuf.Timestamp', m.timestamp));
  if (m.proposal) set('setProposal', toOracle('protos.SignedProposal', m.proposal));
  if (m.chaincodeEvent) set('setChaincodeEvent', toOracle('protos.ChaincodeEvent', m.chaincodeEvent));
  set('setPayload', payloadName === null ? m.payload : toOracle(payloadName, m.payload).serializeBinary());
  return o;
}

/** What fabric-protos reads from our bytes, as a domain message. */
function fromOracleMessage(o: OracleMessage): Message {
  const get = (name: string): unknown => (o[name] as () => unknown).call(o);
  const code = get('getType') as number;
  const type = messageTypeName(code);
  const payloadName = PAYLOAD_OF[type];
  const raw = get('getPayload_asU8') as Uint8Array;
  const sub = (name: string, spec: string): unknown => {
    const v = get(name) as OracleMessage | undefined;
    return v ? fromOracle(spec, v) : undefined;
  };
  return {
    type,
    ...(type === 'UNKNOWN' ? { code } : {}),
    txid: get('getTxid'),
    channelId: get('getChannelId'),
    timestamp: sub('getTimestamp', 'google.protobuf.Timestamp'),
    proposal: sub('getProposal', 'protos.SignedProposal'),
    chaincodeEvent: sub('getChaincodeEvent', 'protos.ChaincodeEvent'),
    payload: payloadName === null ? raw : fromOracle(payloadName, SPECS[payloadName]!.oracle.deserializeBinary(raw)),
  } as Message;
}

describe('ChaincodeMessage vs @hyperledger/fabric-protos', () => {
  it('knows the payload of every type', () => {
    expect(Object.keys(PAYLOAD_OF).sort()).toEqual([...ALL_MESSAGE_TYPES].sort());
  });

  for (const type of ALL_MESSAGE_TYPES) {
    it(`${type}: ours -> fabric-protos (prop)`, () => {
      assertProp(
        fc.property(arbMessage(type), (m) => {
          expectSame(fromOracleMessage(ChaincodeMessage.deserializeBinary(encodeMessage(m))), m);
        }),
        { runs: NUM_RUNS },
      );
    });

    it(`${type}: fabric-protos -> ours, same bytes (prop)`, () => {
      assertProp(
        fc.property(arbMessage(type), (m) => {
          const theirs = toOracleMessage(m).serializeBinary();
          const decoded = decodeMessage(theirs);
          if (!decoded.ok) throw new Error(decoded.malformed.reason);
          expectSame(decoded.message, m);
          const payloadName = PAYLOAD_OF[type];
          if (payloadName === null || !hasMultiKeyMap(payloadName, m.payload)) {
            expect(hex(encodeMessage(m))).toBe(hex(theirs));
          }
        }),
        { runs: NUM_RUNS },
      );
    });
  }
});
