/**
 * Blocks, transactions, endorsements (common/common.proto, peer/transaction.proto,
 * peer/proposal_response.proto) and block delivery (peer/events.proto, orderer/ab.proto) against
 * @hyperledger/fabric-protos, and a whole endorser transaction unwrapped one level at a time.
 */
import pkg from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import {
  BlockMetadataIndex,
  decodeBlock,
  decodeChaincodeAction,
  decodeChaincodeActionPayload,
  decodeCommonPayload,
  decodeDeliverResponse,
  decodeEnvelope,
  decodeKVRWSet,
  decodeMetadata,
  decodeOrdererBlockMetadata,
  decodeProposalResponsePayload,
  decodeTransaction,
  decodeTxReadWriteSet,
  encodeBlock,
  encodeChaincodeAction,
  encodeChaincodeActionPayload,
  encodeCommonPayload,
  encodeDeliverBlockAndPrivateDataBytes,
  encodeDeliverBlockBytes,
  encodeDeliverResponse,
  encodeEnvelope,
  encodeHeader,
  encodeKVRWSet,
  encodeMetadata,
  encodeOrdererBlockMetadata,
  encodeProposalResponsePayload,
  encodeTransaction,
  encodeTxReadWriteSet,
  HeaderType,
  Status,
  TxValidationCode,
  txValidationCodeName,
  type Block,
  type DeliverResponse,
  type DecodeOutcome,
} from '../../src/wire/index.js';
import { checkMessages } from './fabricOracle.js';
import { expectSame, hex } from './oracle.js';

checkMessages('blocks and transactions', [
  'common.Block',
  'common.BlockHeader',
  'common.BlockData',
  'common.BlockMetadata',
  'common.Metadata',
  'common.MetadataSignature',
  'common.IdentifierHeader',
  'common.LastConfig',
  'common.OrdererBlockMetadata',
  'protos.Transaction',
  'protos.TransactionAction',
  'protos.ChaincodeActionPayload',
  'protos.ChaincodeEndorsedAction',
  'protos.ProcessedTransaction',
  'protos.ProposalResponse',
  'protos.Endorsement',
  'protos.ChaincodeInterest',
  'protos.ChaincodeCall',
]);

checkMessages('deliver and seek', [
  'protos.FilteredBlock',
  'protos.FilteredTransaction',
  'protos.FilteredTransactionActions',
  'protos.FilteredChaincodeAction',
  'protos.BlockAndPrivateData',
  'protos.DeliverResponse',
  'orderer.SeekNewest',
  'orderer.SeekOldest',
  'orderer.SeekSpecified',
  'orderer.SeekNextCommit',
  'orderer.SeekPosition',
  'orderer.SeekInfo',
  'orderer.BroadcastResponse',
  'orderer.DeliverResponse',
]);

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function ok<T>(r: DecodeOutcome<T>): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('TxValidationCode', () => {
  it('is Fabric enum, value for value, and names every value', () => {
    expect({ ...TxValidationCode }).toEqual((pkg.peer as unknown as Record<string, unknown>)['TxValidationCode']);
    for (const [name, code] of Object.entries(TxValidationCode)) expect(txValidationCodeName(code)).toBe(name);
    expect(txValidationCodeName(26)).toBeUndefined();
    expect(TxValidationCode.MVCC_READ_CONFLICT).toBe(11);
    expect(TxValidationCode.INVALID_OTHER_REASON).toBe(255);
  });
});

describe('an endorser transaction in a block, one level at a time', () => {
  // Innermost first, the way a client and the endorsers build it.
  const kv = encodeKVRWSet({
    reads: [{ key: 'asset1', version: { blockNum: 4, txNum: 0 } }],
    rangeQueriesInfo: [],
    writes: [{ key: 'asset1', isDelete: false, value: utf8('{"owner":"bob"}') }],
    metadataWrites: [],
  });
  const results = encodeTxReadWriteSet({
    dataModel: 0,
    nsRwset: [{ namespace: 'basic', rwset: kv, collectionHashedRwset: [] }],
  });
  const action = encodeChaincodeAction({
    results,
    events: bytes(),
    response: { status: 200, message: '', payload: utf8('ok') },
    chaincodeId: { path: '', name: 'basic', version: '1.0' },
  });
  const prp = encodeProposalResponsePayload({ proposalHash: bytes(0xaa, 0xbb), extension: action });
  const cap = encodeChaincodeActionPayload({
    chaincodeProposalPayload: bytes(0x0a, 0x00),
    action: {
      proposalResponsePayload: prp,
      endorsements: [{ endorser: utf8('org1'), signature: bytes(1) }, { endorser: utf8('org2'), signature: bytes(2) }],
    },
  });
  const tx = encodeTransaction({ actions: [{ header: bytes(0x0a, 0x01, 0x63), payload: cap }] });
  const payload = encodeCommonPayload({ header: { channelHeader: bytes(0x08, 0x03), signatureHeader: bytes() }, data: tx });
  const envelope = encodeEnvelope({ payload, signature: bytes(0x30, 0x01) });
  const ordererMeta = encodeMetadata({
    value: encodeOrdererBlockMetadata({ lastConfig: { index: 2 }, consenterMetadata: bytes() }),
    signatures: [{ signatureHeader: bytes(1), signature: bytes(2), identifierHeader: bytes() }],
  });
  const block: Block = {
    header: { number: 5, previousHash: bytes(1, 2), dataHash: bytes(3, 4) },
    data: { data: [envelope] },
    metadata: { metadata: [ordererMeta, bytes(), bytes(TxValidationCode.VALID), bytes(), bytes()] },
  };

  it('is byte-identical to the block fabric-protos builds from the same values', () => {
    const { common } = pkg as unknown as { common: Record<string, new () => Record<string, (...a: unknown[]) => unknown>> };
    const header = new common['BlockHeader']!();
    header['setNumber']!(5);
    header['setPreviousHash']!(bytes(1, 2));
    header['setDataHash']!(bytes(3, 4));
    const data = new common['BlockData']!();
    data['setDataList']!([envelope]);
    const metadata = new common['BlockMetadata']!();
    metadata['setMetadataList']!(block.metadata!.metadata);
    const theirs = new common['Block']!();
    theirs['setHeader']!(header);
    theirs['setData']!(data);
    theirs['setMetadata']!(metadata);
    expect(hex(encodeBlock(block))).toBe(hex(theirs['serializeBinary']!() as Uint8Array));
  });

  it('unwraps down to the key written, and each level re-encodes to the bytes it came from', () => {
    const decoded = ok(decodeBlock(encodeBlock(block)));
    expect(decoded.header?.number).toBe(5);
    const env = ok(decodeEnvelope(decoded.data!.data[0]!));
    expect(hex(encodeEnvelope(env))).toBe(hex(envelope));
    const pl = ok(decodeCommonPayload(env.payload));
    const t = ok(decodeTransaction(pl.data));
    const ap = ok(decodeChaincodeActionPayload(t.actions[0]!.payload));
    expect(ap.action?.endorsements.map((e) => new TextDecoder().decode(e.endorser))).toEqual(['org1', 'org2']);
    // The signed bytes are kept exactly: what every endorser signed is still prp.
    expect(hex(ap.action!.proposalResponsePayload)).toBe(hex(prp));
    const resp = ok(decodeProposalResponsePayload(ap.action!.proposalResponsePayload));
    const ca = ok(decodeChaincodeAction(resp.extension));
    expect(ca.response?.status).toBe(200);
    const rw = ok(decodeTxReadWriteSet(ca.results));
    const kvs = ok(decodeKVRWSet(rw.nsRwset[0]!.rwset));
    expect(kvs.writes[0]!.key).toBe('asset1');
    expect(kvs.reads[0]!.version).toEqual({ blockNum: 4, txNum: 0 });

    const meta = ok(decodeMetadata(decoded.metadata!.metadata[BlockMetadataIndex.SIGNATURES]!));
    expect(ok(decodeOrdererBlockMetadata(meta.value)).lastConfig).toEqual({ index: 2 });
    expect(decoded.metadata!.metadata[BlockMetadataIndex.TRANSACTIONS_FILTER]).toEqual(bytes(0));
    expect(hex(encodeHeader(pl.header!))).toBe('0a020803');
    expect(HeaderType.ENDORSER_TRANSACTION).toBe(3);
  });

  it('delivered in every DeliverResponse form', () => {
    const forms: DeliverResponse[] = [
      { type: { case: 'status', value: Status.SUCCESS } },
      { type: { case: 'status', value: Status.UNKNOWN } },
      { type: { case: 'block', value: block } },
      {
        type: {
          case: 'filteredBlock',
          value: {
            channelId: 'mychannel',
            number: 5,
            filteredTransactions: [
              {
                txid: 'tx1',
                type: HeaderType.ENDORSER_TRANSACTION,
                txValidationCode: TxValidationCode.VALID,
                data: {
                  case: 'transactionActions',
                  value: {
                    chaincodeActions: [{ chaincodeEvent: { chaincodeId: 'basic', txId: 'tx1', eventName: 'Created', payload: bytes() } }],
                  },
                },
              },
              { txid: 'tx2', type: HeaderType.CONFIG, txValidationCode: TxValidationCode.VALID, data: undefined },
            ],
          },
        },
      },
      {
        type: {
          case: 'blockAndPrivateData',
          value: {
            block,
            privateDataMap: new Map([
              [0, { dataModel: 0, nsPvtRwset: [{ namespace: 'basic', collectionPvtRwset: [{ collectionName: 'c', rwset: kv }] }] }],
              [12, { dataModel: 0, nsPvtRwset: [] }],
            ]),
          },
        },
      },
      { type: undefined },
    ];
    for (const form of forms) expectSame(decodeDeliverResponse(encodeDeliverResponse(form)), { ok: true, value: form });
    // status 0 is still written (oneof member); no member means empty bytes.
    expect(hex(encodeDeliverResponse(forms[1]!))).toBe('0800');
    expect(hex(encodeDeliverResponse({ type: undefined }))).toBe('');
    // A stored block wrapped as it is: the same bytes as encoding the decoded block, and as fabric-protos writes it.
    const stored = encodeBlock(block);
    expect(hex(encodeDeliverBlockBytes(stored))).toBe(hex(encodeDeliverResponse({ type: { case: 'block', value: block } })));
    const theirs = new (pkg.peer as unknown as { DeliverResponse: new () => { setBlock(b: unknown): void; serializeBinary(): Uint8Array } }).DeliverResponse();
    theirs.setBlock((pkg.common as unknown as { Block: { deserializeBinary(b: Uint8Array): unknown } }).Block.deserializeBinary(stored));
    expect(hex(encodeDeliverBlockBytes(stored))).toBe(hex(theirs.serializeBinary()));
    // With private data: the same bytes as the codec writes for the decoded form, empty map included.
    const withPrivate = forms[4]!.type as Extract<DeliverResponse['type'], { case: 'blockAndPrivateData' }>;
    expect(hex(encodeDeliverBlockAndPrivateDataBytes(stored, withPrivate.value.privateDataMap))).toBe(hex(encodeDeliverResponse(forms[4]!)));
    const none = new Map<number, never>();
    expect(hex(encodeDeliverBlockAndPrivateDataBytes(stored, none))).toBe(
      hex(encodeDeliverResponse({ type: { case: 'blockAndPrivateData', value: { block, privateDataMap: none } } })),
    );
  });

  it('private data map: keys come out ascending, whatever order they went in', () => {
    const wire = encodeDeliverResponse({
      type: {
        case: 'blockAndPrivateData',
        value: { block: undefined, privateDataMap: new Map([[10, { dataModel: 0, nsPvtRwset: [] }], [2, { dataModel: 0, nsPvtRwset: [] }]]) },
      },
    });
    // field 4 { entry {key 2, value {}}, entry {key 10, value {}} }
    expect(hex(wire)).toBe('220c' + '120408021200' + '1204080a1200');
    const r = ok(decodeDeliverResponse(wire));
    expect(r.type?.case === 'blockAndPrivateData' && [...r.type.value.privateDataMap.keys()]).toEqual([2, 10]);
  });
});

describe('oneof decoding rules', () => {
  it('a DeliverResponse naming two members keeps the later one', () => {
    // status = 200, then filtered_block = {}
    const r = ok(decodeDeliverResponse(bytes(0x08, 0xc8, 0x01, 0x1a, 0x00)));
    expectSame(r, { type: { case: 'filteredBlock', value: { channelId: '', number: 0, filteredTransactions: [] } } });
  });
});
