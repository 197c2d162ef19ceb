/**
 * The byte-level oracle: Fabric's own generated code (@hyperledger/fabric-protos 0.3.7, built with
 * google-protobuf), plus one table that drives three things for every message we encode/decode:
 *   - a fast-check arbitrary of the domain value,
 *   - domain value -> fabric-protos message (through its named setters),
 *   - fabric-protos message -> domain value (through its named getters).
 * Field numbers are never written here: the setters and getters are Fabric's, so a wrong number or
 * type in protos/ shows up as a mismatch.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import pkg from '@hyperledger/fabric-protos';
import { expect } from 'vitest';
import type { Message } from '../../src/protocol/messages.js';
import { MessageType, type MessageTypeName } from '../../src/protocol/messageType.js';

// google-protobuf exactly as fabric-protos resolves it (it is not our own dependency).
const requireFromOracle = createRequire(createRequire(import.meta.url).resolve('@hyperledger/fabric-protos'));
const jspb = requireFromOracle('google-protobuf') as {
  Message: { bytesAsU8(v: Uint8Array | string): Uint8Array };
};
const timestampPb = requireFromOracle('google-protobuf/google/protobuf/timestamp_pb.js') as {
  Timestamp: new () => OracleMessage;
};

/** CI run count of each wire property (CCPROTO_PROP_RUNS replaces it, see test/support/props.ts). */
export const NUM_RUNS = 200;

/** What we use of a google-protobuf message: named accessors and serializeBinary. */
export type OracleMessage = Record<string, unknown> & { serializeBinary(): Uint8Array };
export interface OracleClass {
  new (): OracleMessage;
  deserializeBinary(bytes: Uint8Array): OracleMessage;
}

type Kind =
  | 'string'
  | 'bytes'
  | 'int32'
  | 'uint32'
  | 'bool'
  | 'int64'
  | 'uint64'
  | 'strings'
  | 'bytesList'
  | 'bytesMap'
  /** QueryResponse.results: domain Bytes[], wire repeated QueryResultBytes. */
  | 'queryResults'
  | { message: string }
  | { messages: string };

/** [domain field, fabric-protos accessor name (setX / getX), kind] */
type FieldSpec = readonly [string, string, Kind];
interface MessageSpec {
  readonly oracle: OracleClass;
  readonly fields: readonly FieldSpec[];
}

type OracleNamespace = Record<string, OracleClass>;
const { peer, common, msp, ledger } = pkg as unknown as {
  peer: OracleNamespace;
  common: OracleNamespace;
  msp: OracleNamespace;
  ledger: { queryresult: OracleNamespace };
};
/** Fabric's generated ChaincodeMessage class. */
export const OracleChaincodeMessage = peer['ChaincodeMessage']!;

/** Keyed by full proto name. GetStateMetadata/PurgePrivateState exist to check the wire aliases. */
export const SPECS: Record<string, MessageSpec> = {
  'google.protobuf.Timestamp': {
    oracle: timestampPb.Timestamp as unknown as OracleClass,
    fields: [['seconds', 'Seconds', 'int64'], ['nanos', 'Nanos', 'int32']],
  },
  'protos.ChaincodeID': {
    oracle: peer['ChaincodeID']!,
    fields: [['path', 'Path', 'string'], ['name', 'Name', 'string'], ['version', 'Version', 'string']],
  },
  'protos.ChaincodeInput': {
    oracle: peer['ChaincodeInput']!,
    fields: [['args', 'ArgsList', 'bytesList'], ['decorations', 'DecorationsMap', 'bytesMap'], ['isInit', 'IsInit', 'bool']],
  },
  'protos.ChaincodeSpec': {
    oracle: peer['ChaincodeSpec']!,
    fields: [
      ['type', 'Type', 'int32'],
      ['chaincodeId', 'ChaincodeId', { message: 'protos.ChaincodeID' }],
      ['input', 'Input', { message: 'protos.ChaincodeInput' }],
      ['timeout', 'Timeout', 'int32'],
    ],
  },
  'protos.ChaincodeAdditionalParams': {
    oracle: peer['ChaincodeAdditionalParams']!,
    fields: [
      ['useWriteBatch', 'UseWriteBatch', 'bool'],
      ['maxSizeWriteBatch', 'MaxSizeWriteBatch', 'uint32'],
      ['useGetMultipleKeys', 'UseGetMultipleKeys', 'bool'],
      ['maxSizeGetMultipleKeys', 'MaxSizeGetMultipleKeys', 'uint32'],
    ],
  },
  'protos.Response': {
    oracle: peer['Response']!,
    fields: [['status', 'Status', 'int32'], ['message', 'Message', 'string'], ['payload', 'Payload', 'bytes']],
  },
  'protos.ChaincodeEvent': {
    oracle: peer['ChaincodeEvent']!,
    fields: [
      ['chaincodeId', 'ChaincodeId', 'string'],
      ['txId', 'TxId', 'string'],
      ['eventName', 'EventName', 'string'],
      ['payload', 'Payload', 'bytes'],
    ],
  },
  'protos.GetState': {
    oracle: peer['GetState']!,
    fields: [['key', 'Key', 'string'], ['collection', 'Collection', 'string']],
  },
  'protos.GetStateMetadata': {
    oracle: peer['GetStateMetadata']!,
    fields: [['key', 'Key', 'string'], ['collection', 'Collection', 'string']],
  },
  'protos.GetStateMultiple': {
    oracle: peer['GetStateMultiple']!,
    fields: [['keys', 'KeysList', 'strings'], ['collection', 'Collection', 'string']],
  },
  'protos.GetStateMultipleResult': {
    oracle: peer['GetStateMultipleResult']!,
    fields: [['values', 'ValuesList', 'bytesList']],
  },
  'protos.PutState': {
    oracle: peer['PutState']!,
    fields: [['key', 'Key', 'string'], ['value', 'Value', 'bytes'], ['collection', 'Collection', 'string']],
  },
  'protos.PutStateMetadata': {
    oracle: peer['PutStateMetadata']!,
    fields: [
      ['key', 'Key', 'string'],
      ['collection', 'Collection', 'string'],
      ['metadata', 'Metadata', { message: 'protos.StateMetadata' }],
    ],
  },
  'protos.StateMetadata': {
    oracle: peer['StateMetadata']!,
    fields: [['metakey', 'Metakey', 'string'], ['value', 'Value', 'bytes']],
  },
  'protos.StateMetadataResult': {
    oracle: peer['StateMetadataResult']!,
    fields: [['entries', 'EntriesList', { messages: 'protos.StateMetadata' }]],
  },
  'protos.DelState': {
    oracle: peer['DelState']!,
    fields: [['key', 'Key', 'string'], ['collection', 'Collection', 'string']],
  },
  'protos.PurgePrivateState': {
    oracle: peer['PurgePrivateState']!,
    fields: [['key', 'Key', 'string'], ['collection', 'Collection', 'string']],
  },
  'protos.WriteRecord': {
    oracle: peer['WriteRecord']!,
    fields: [
      ['key', 'Key', 'string'],
      ['value', 'Value', 'bytes'],
      ['collection', 'Collection', 'string'],
      ['metadata', 'Metadata', { message: 'protos.StateMetadata' }],
      ['type', 'Type', 'int32'],
    ],
  },
  'protos.WriteBatchState': {
    oracle: peer['WriteBatchState']!,
    fields: [['records', 'RecList', { messages: 'protos.WriteRecord' }]],
  },
  'protos.GetStateByRange': {
    oracle: peer['GetStateByRange']!,
    fields: [
      ['startKey', 'Startkey', 'string'],
      ['endKey', 'Endkey', 'string'],
      ['collection', 'Collection', 'string'],
      ['metadata', 'Metadata', 'bytes'],
    ],
  },
  'protos.GetQueryResult': {
    oracle: peer['GetQueryResult']!,
    fields: [['query', 'Query', 'string'], ['collection', 'Collection', 'string'], ['metadata', 'Metadata', 'bytes']],
  },
  'protos.QueryMetadata': {
    oracle: peer['QueryMetadata']!,
    fields: [['pageSize', 'Pagesize', 'int32'], ['bookmark', 'Bookmark', 'string']],
  },
  'protos.GetHistoryForKey': { oracle: peer['GetHistoryForKey']!, fields: [['key', 'Key', 'string']] },
  'protos.QueryStateNext': { oracle: peer['QueryStateNext']!, fields: [['id', 'Id', 'string']] },
  'protos.QueryStateClose': { oracle: peer['QueryStateClose']!, fields: [['id', 'Id', 'string']] },
  'protos.QueryResponse': {
    oracle: peer['QueryResponse']!,
    fields: [
      ['results', 'ResultsList', 'queryResults'],
      ['hasMore', 'HasMore', 'bool'],
      ['id', 'Id', 'string'],
      ['metadata', 'Metadata', 'bytes'],
    ],
  },
  'protos.QueryResponseMetadata': {
    oracle: peer['QueryResponseMetadata']!,
    fields: [['fetchedRecordsCount', 'FetchedRecordsCount', 'int32'], ['bookmark', 'Bookmark', 'string']],
  },
  'queryresult.KV': {
    oracle: ledger.queryresult['KV']!,
    fields: [['namespace', 'Namespace', 'string'], ['key', 'Key', 'string'], ['value', 'Value', 'bytes']],
  },
  'queryresult.KeyModification': {
    oracle: ledger.queryresult['KeyModification']!,
    fields: [
      ['txId', 'TxId', 'string'],
      ['value', 'Value', 'bytes'],
      ['timestamp', 'Timestamp', { message: 'google.protobuf.Timestamp' }],
      ['isDelete', 'IsDelete', 'bool'],
    ],
  },
  'protos.SignedProposal': {
    oracle: peer['SignedProposal']!,
    fields: [['proposalBytes', 'ProposalBytes', 'bytes'], ['signature', 'Signature', 'bytes']],
  },
  'protos.Proposal': {
    oracle: peer['Proposal']!,
    fields: [['header', 'Header', 'bytes'], ['payload', 'Payload', 'bytes'], ['extension', 'Extension$', 'bytes']],
  },
  'common.Header': {
    oracle: common['Header']!,
    fields: [['channelHeader', 'ChannelHeader', 'bytes'], ['signatureHeader', 'SignatureHeader', 'bytes']],
  },
  'common.ChannelHeader': {
    oracle: common['ChannelHeader']!,
    fields: [
      ['type', 'Type', 'int32'],
      ['version', 'Version', 'int32'],
      ['timestamp', 'Timestamp', { message: 'google.protobuf.Timestamp' }],
      ['channelId', 'ChannelId', 'string'],
      ['txId', 'TxId', 'string'],
      ['epoch', 'Epoch', 'uint64'],
      ['extension', 'Extension$', 'bytes'],
      ['tlsCertHash', 'TlsCertHash', 'bytes'],
    ],
  },
  'common.SignatureHeader': {
    oracle: common['SignatureHeader']!,
    fields: [['creator', 'Creator', 'bytes'], ['nonce', 'Nonce', 'bytes']],
  },
  'msp.SerializedIdentity': {
    oracle: msp['SerializedIdentity']!,
    fields: [['mspid', 'Mspid', 'string'], ['idBytes', 'IdBytes', 'bytes']],
  },
  'protos.ChaincodeProposalPayload': {
    oracle: peer['ChaincodeProposalPayload']!,
    fields: [['input', 'Input', 'bytes'], ['transientMap', 'TransientmapMap', 'bytesMap']],
  },
  'protos.ChaincodeInvocationSpec': {
    oracle: peer['ChaincodeInvocationSpec']!,
    fields: [['chaincodeSpec', 'ChaincodeSpec', { message: 'protos.ChaincodeSpec' }]],
  },
  'protos.ChaincodeHeaderExtension': {
    oracle: peer['ChaincodeHeaderExtension']!,
    fields: [['chaincodeId', 'ChaincodeId', { message: 'protos.ChaincodeID' }]],
  },
  'protos.ChaincodeAction': {
    oracle: peer['ChaincodeAction']!,
    fields: [
      ['results', 'Results', 'bytes'],
      ['events', 'Events', 'bytes'],
      ['response', 'Response', { message: 'protos.Response' }],
      ['chaincodeId', 'ChaincodeId', { message: 'protos.ChaincodeID' }],
    ],
  },
  'protos.ProposalResponsePayload': {
    oracle: peer['ProposalResponsePayload']!,
    fields: [['proposalHash', 'ProposalHash', 'bytes'], ['extension', 'Extension$', 'bytes']],
  },
  'common.Payload': {
    oracle: common['Payload']!,
    fields: [['header', 'Header', { message: 'common.Header' }], ['data', 'Data', 'bytes']],
  },
  'common.Envelope': {
    oracle: common['Envelope']!,
    fields: [['payload', 'Payload', 'bytes'], ['signature', 'Signature', 'bytes']],
  },
};

function spec(name: string): MessageSpec {
  const s = SPECS[name];
  if (!s) throw new Error(`no oracle spec for ${name}`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** ASCII-heavy and full-Unicode strings, short (JS fast path) and long (TextDecoder, native writes). */
export const arbString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 17, maxLength: 60 }),
);
export const arbBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 48 });
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function arbKind(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'string': return arbString;
    case 'bytes': return arbBytes;
    case 'int32': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer(INT32));
    case 'uint32': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    case 'bool': return fc.boolean();
    case 'int64': return fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }), fc.maxSafeInteger());
    case 'uint64': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.maxSafeNat());
    case 'strings': return fc.array(arbString, { maxLength: 4 });
    case 'bytesList':
    case 'queryResults': return fc.array(arbBytes, { maxLength: 4 });
    // No "__proto__" key here: google-protobuf's jspb.Map stores entries in a plain object and
    // silently loses that key, so the oracle cannot judge it (cases.test.ts checks ours directly).
    case 'bytesMap': return fc.dictionary(arbString.filter((k) => k !== '__proto__'), arbBytes, { maxKeys: 3 });
    default:
      return 'message' in kind
        ? fc.option(arbitraryOf(kind.message), { nil: undefined })
        : fc.array(arbitraryOf(kind.messages), { maxLength: 3 });
  }
}

const arbCache = new Map<string, fc.Arbitrary<unknown>>();
/** A domain value of the named message, fields drawn independently (so defaults appear often). */
export function arbitraryOf(name: string): fc.Arbitrary<unknown> {
  let arb = arbCache.get(name);
  if (!arb) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [field, , kind] of spec(name).fields) record[field] = arbKind(kind);
    arb = fc.record(record);
    arbCache.set(name, arb);
  }
  return arb;
}

// ---------------------------------------------------------------------------------------------
// ChaincodeMessage

/** The payload message of each type (docs/protocol.md §5.2), by Fabric's name; null = raw bytes. */
export const PAYLOAD_OF: Record<MessageTypeName, string | null> = {
  UNDEFINED: null,
  REGISTER: 'protos.ChaincodeID',
  REGISTERED: null,
  INIT: 'protos.ChaincodeInput',
  READY: 'protos.ChaincodeAdditionalParams',
  TRANSACTION: 'protos.ChaincodeInput',
  COMPLETED: 'protos.Response',
  ERROR: null,
  GET_STATE: 'protos.GetState',
  PUT_STATE: 'protos.PutState',
  DEL_STATE: 'protos.DelState',
  INVOKE_CHAINCODE: 'protos.ChaincodeSpec',
  RESPONSE: null,
  GET_STATE_BY_RANGE: 'protos.GetStateByRange',
  GET_QUERY_RESULT: 'protos.GetQueryResult',
  QUERY_STATE_NEXT: 'protos.QueryStateNext',
  QUERY_STATE_CLOSE: 'protos.QueryStateClose',
  KEEPALIVE: null,
  GET_HISTORY_FOR_KEY: 'protos.GetHistoryForKey',
  GET_STATE_METADATA: 'protos.GetStateMetadata',
  PUT_STATE_METADATA: 'protos.PutStateMetadata',
  GET_PRIVATE_DATA_HASH: 'protos.GetState',
  PURGE_PRIVATE_DATA: 'protos.PurgePrivateState',
  WRITE_BATCH_STATE: 'protos.WriteBatchState',
  GET_STATE_MULTIPLE: 'protos.GetStateMultiple',
  UNKNOWN: null,
};

/** 12 is the gap in Fabric's enum; the others are past its end or negative. */
const UNKNOWN_CODES = [12, 26, 99, 1000, 2 ** 31 - 1, -1, -(2 ** 31)];

export function arbMessage(type: MessageTypeName): fc.Arbitrary<Message> {
  const payloadName = PAYLOAD_OF[type];
  return fc
    .record({
      code: type === 'UNKNOWN' ? fc.constantFrom(...UNKNOWN_CODES) : fc.constant(MessageType[type]),
      txid: arbString,
      channelId: arbString,
      timestamp: fc.option(arbitraryOf('google.protobuf.Timestamp'), { nil: undefined }),
      proposal: fc.option(arbitraryOf('protos.SignedProposal'), { nil: undefined }),
      chaincodeEvent: fc.option(arbitraryOf('protos.ChaincodeEvent'), { nil: undefined }),
      payload: payloadName === null ? arbBytes : arbitraryOf(payloadName),
    })
    .map(({ code, ...rest }) => (type === 'UNKNOWN' ? { type, code, ...rest } : { type, ...rest }) as Message);
}

// ---------------------------------------------------------------------------------------------
// Domain <-> oracle

type Accessor = (...args: unknown[]) => unknown;
/** Calls a fabric-protos accessor by name, failing clearly when the message has none. */
export function call(msg: OracleMessage, method: string, ...args: unknown[]): unknown {
  const fn = msg[method] as Accessor | undefined;
  if (typeof fn !== 'function') throw new Error(`fabric-protos message has no ${method}()`);
  return fn.apply(msg, args);
}
const plain = (accessor: string): string => accessor.replace(/\$$/, '');

/** Builds the fabric-protos message for a domain value, through Fabric's named setters. */
export function toOracle(name: string, value: unknown): OracleMessage {
  const { oracle, fields } = spec(name);
  const msg = new oracle();
  const v = value as Record<string, unknown>;
  for (const [field, accessor, kind] of fields) {
    const x = v[field];
    if (kind === 'bytesMap') {
      const map = call(msg, `get${accessor}`) as { set(k: string, v: Uint8Array): unknown };
      for (const key of Object.keys(x as object)) map.set(key, (x as Record<string, Uint8Array>)[key]!);
    } else if (kind === 'queryResults') {
      const wrappers = (x as Uint8Array[]).map((b) => {
        const r = new (peer['QueryResultBytes']!)();
        call(r, 'setResultbytes', b);
        return r;
      });
      call(msg, `set${accessor}`, wrappers);
    } else if (typeof kind === 'object') {
      if ('message' in kind) {
        if (x !== undefined) call(msg, `set${accessor}`, toOracle(kind.message, x));
      } else {
        call(msg, `set${accessor}`, (x as unknown[]).map((e) => toOracle(kind.messages, e)));
      }
    } else {
      call(msg, `set${accessor}`, x);
    }
  }
  return msg;
}

/** Reads a fabric-protos message back into a domain value, through Fabric's named getters. */
export function fromOracle(name: string, msg: OracleMessage): unknown {
  const { fields } = spec(name);
  const out: Record<string, unknown> = {};
  for (const [field, accessor, kind] of fields) {
    const get = `get${plain(accessor)}`;
    switch (kind) {
      case 'bytes':
      case 'bytesList':
        out[field] = call(msg, `${get}_asU8`);
        break;
      case 'bytesMap': {
        const entries = (call(msg, get) as { getEntryList(): [string, Uint8Array | string][] }).getEntryList();
        const map: Record<string, Uint8Array> = {};
        for (const [k, b] of entries) Object.defineProperty(map, k, { value: jspb.Message.bytesAsU8(b), enumerable: true, writable: true, configurable: true });
        out[field] = map;
        break;
      }
      case 'queryResults':
        out[field] = (call(msg, get) as OracleMessage[]).map((r) => call(r, 'getResultbytes_asU8'));
        break;
      default:
        if (typeof kind === 'object') {
          if ('message' in kind) {
            const sub = call(msg, get) as OracleMessage | undefined;
            out[field] = sub === undefined || sub === null ? undefined : fromOracle(kind.message, sub);
          } else {
            out[field] = (call(msg, get) as OracleMessage[]).map((e) => fromOracle(kind.messages, e));
          }
        } else {
          out[field] = call(msg, get);
        }
    }
  }
  return out;
}

/** True when the value holds a map with two or more keys (whose wire order is unspecified). */
export function hasMultiKeyMap(name: string, value: unknown): boolean {
  const v = value as Record<string, unknown>;
  return spec(name).fields.some(([field, , kind]) => {
    const x = v[field];
    if (kind === 'bytesMap') return Object.keys(x as object).length > 1;
    if (typeof kind === 'object' && x !== undefined) {
      return 'message' in kind
        ? hasMultiKeyMap(kind.message, x)
        : (x as unknown[]).some((e) => hasMultiKeyMap(kind.messages, e));
    }
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison

/**
 * A canonical, prototype-free form for deep comparison: bytes as hex (so Buffer and Uint8Array
 * compare by content), Maps as sorted entry lists, objects as sorted [key, value] lists (so a
 * `__proto__` key is data, and an absent optional field equals an `undefined` one).
 */
export function canon(value: unknown): unknown {
  if (value instanceof Uint8Array) return `bytes:${hex(value)}`;
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [canon(k), canon(v)] as const);
    return ['Map', entries.sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0))];
  }
  if (Array.isArray(value)) return value.map(canon);
  if (value !== null && typeof value === 'object') {
    return Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => [k, canon((value as Record<string, unknown>)[k])]);
  }
  return value;
}

export function expectSame(actual: unknown, expected: unknown): void {
  expect(canon(actual)).toEqual(canon(expected));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
