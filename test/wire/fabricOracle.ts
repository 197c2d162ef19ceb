/**
 * The byte-level oracle for the Fabric messages outside the chaincode stream (src/wire/fabric.ts):
 * one table, FABRIC_SPECS, names each message's @hyperledger/fabric-protos class and its fields as
 * [domain field, fabric-protos accessor (setX / getX / hasX), kind]. Field numbers are never
 * written here: the accessors are Fabric's, so a wrong number or type in protos/ shows up as a
 * byte or value mismatch.
 *
 * From the table come: the all-default value of a message, deterministic "filled" values (every
 * field set, every oneof member in turn, maps with two keys), fast-check arbitraries, and the
 * conversions domain value <-> fabric-protos message. `checkMessages` turns all of it into tests.
 * Messages already covered by oracle.ts (Response, ChaincodeEvent, SignedProposal, Envelope,
 * Timestamp) are delegated to it when nested.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import pkg from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { fabricCodecs } from '../../src/wire/index.js';
import { assertProp } from '../support/props.js';
import {
  arbBytes,
  arbString,
  call,
  expectSame,
  fromOracle as fromOracleBase,
  hex,
  SPECS as BASE_SPECS,
  toOracle as toOracleBase,
  type OracleClass,
  type OracleMessage,
} from './oracle.js';

const requireFromOracle = createRequire(createRequire(import.meta.url).resolve('@hyperledger/fabric-protos'));
const jspb = requireFromOracle('google-protobuf') as { Message: { bytesAsU8(v: Uint8Array | string): Uint8Array } };
// google.protobuf.Any as fabric-protos's google/rpc/status_pb.js loads it (the same module instance).
const anyPb = requireFromOracle('google-protobuf/google/protobuf/any_pb.js') as { Any: OracleClass };

type Scalar = 'string' | 'bytes' | 'int32' | 'uint32' | 'bool' | 'int64' | 'uint64' | 'strings' | 'bytesList' | 'bytesMap';
/** A oneof member: [case (our camelCase field name), fabric-protos accessor, kind]. */
type Member = readonly [string, string, Kind];
export type Kind =
  | Scalar
  | { message: string }
  | { messages: string }
  /** map<string, message> */
  | { messageMap: string }
  /** map<uint64, message> (domain: Map<number, …>) */
  | { uint64Map: string }
  /** The domain field is the oneof's property; the accessor is unused (''). */
  | { oneof: readonly Member[] };
type FieldSpec = readonly [string, string, Kind];
interface Spec {
  readonly oracle: OracleClass;
  readonly fields: readonly FieldSpec[];
}

type Ns = Record<string, OracleClass>;
const oracle = pkg as unknown as {
  common: Ns & { SignaturePolicy: OracleClass & { NOutOf: OracleClass } };
  msp: Ns;
  peer: Ns;
  orderer: Ns & { etcdraft: Ns };
  gateway: Ns;
  ledger: { rwset: Ns & { kvrwset: Ns } };
  google: { rpc: Ns };
};
const { common, msp, peer, orderer, gateway } = oracle;
const { rwset } = oracle.ledger;
const { etcdraft } = orderer;
const { kvrwset } = rwset;

const m = (message: string): Kind => ({ message });
const ms = (messages: string): Kind => ({ messages });

/** Keyed by full proto name. Only fabric-protos's own classes appear here (never our code). */
export const FABRIC_SPECS: Record<string, Spec> = {
  // gateway/gateway.proto
  'gateway.EndorseRequest': {
    oracle: gateway['EndorseRequest']!,
    fields: [
      ['transactionId', 'TransactionId', 'string'],
      ['channelId', 'ChannelId', 'string'],
      ['proposedTransaction', 'ProposedTransaction', m('protos.SignedProposal')],
      ['endorsingOrganizations', 'EndorsingOrganizationsList', 'strings'],
    ],
  },
  'gateway.EndorseResponse': {
    oracle: gateway['EndorseResponse']!,
    fields: [['preparedTransaction', 'PreparedTransaction', m('common.Envelope')]],
  },
  'gateway.SubmitRequest': {
    oracle: gateway['SubmitRequest']!,
    fields: [
      ['transactionId', 'TransactionId', 'string'],
      ['channelId', 'ChannelId', 'string'],
      ['preparedTransaction', 'PreparedTransaction', m('common.Envelope')],
    ],
  },
  'gateway.SubmitResponse': { oracle: gateway['SubmitResponse']!, fields: [] },
  'gateway.SignedCommitStatusRequest': {
    oracle: gateway['SignedCommitStatusRequest']!,
    fields: [['request', 'Request', 'bytes'], ['signature', 'Signature', 'bytes']],
  },
  'gateway.CommitStatusRequest': {
    oracle: gateway['CommitStatusRequest']!,
    fields: [
      ['transactionId', 'TransactionId', 'string'],
      ['channelId', 'ChannelId', 'string'],
      ['identity', 'Identity', 'bytes'],
    ],
  },
  'gateway.CommitStatusResponse': {
    oracle: gateway['CommitStatusResponse']!,
    fields: [['result', 'Result', 'int32'], ['blockNumber', 'BlockNumber', 'uint64']],
  },
  'gateway.EvaluateRequest': {
    oracle: gateway['EvaluateRequest']!,
    fields: [
      ['transactionId', 'TransactionId', 'string'],
      ['channelId', 'ChannelId', 'string'],
      ['proposedTransaction', 'ProposedTransaction', m('protos.SignedProposal')],
      ['targetOrganizations', 'TargetOrganizationsList', 'strings'],
    ],
  },
  'gateway.EvaluateResponse': {
    oracle: gateway['EvaluateResponse']!,
    fields: [['result', 'Result', m('protos.Response')]],
  },
  'gateway.SignedChaincodeEventsRequest': {
    oracle: gateway['SignedChaincodeEventsRequest']!,
    fields: [['request', 'Request', 'bytes'], ['signature', 'Signature', 'bytes']],
  },
  'gateway.ChaincodeEventsRequest': {
    oracle: gateway['ChaincodeEventsRequest']!,
    fields: [
      ['channelId', 'ChannelId', 'string'],
      ['chaincodeId', 'ChaincodeId', 'string'],
      ['identity', 'Identity', 'bytes'],
      ['startPosition', 'StartPosition', m('orderer.SeekPosition')],
      ['afterTransactionId', 'AfterTransactionId', 'string'],
    ],
  },
  'gateway.ChaincodeEventsResponse': {
    oracle: gateway['ChaincodeEventsResponse']!,
    fields: [['events', 'EventsList', ms('protos.ChaincodeEvent')], ['blockNumber', 'BlockNumber', 'uint64']],
  },
  'gateway.ErrorDetail': {
    oracle: gateway['ErrorDetail']!,
    fields: [['address', 'Address', 'string'], ['mspId', 'MspId', 'string'], ['message', 'Message', 'string']],
  },
  'gateway.ProposedTransaction': {
    oracle: gateway['ProposedTransaction']!,
    fields: [
      ['transactionId', 'TransactionId', 'string'],
      ['proposal', 'Proposal', m('protos.SignedProposal')],
      ['endorsingOrganizations', 'EndorsingOrganizationsList', 'strings'],
    ],
  },
  'gateway.PreparedTransaction': {
    oracle: gateway['PreparedTransaction']!,
    fields: [['transactionId', 'TransactionId', 'string'], ['envelope', 'Envelope', m('common.Envelope')]],
  },

  // common/common.proto: blocks
  'common.Block': {
    oracle: common['Block']!,
    fields: [
      ['header', 'Header', m('common.BlockHeader')],
      ['data', 'Data', m('common.BlockData')],
      ['metadata', 'Metadata', m('common.BlockMetadata')],
    ],
  },
  'common.BlockHeader': {
    oracle: common['BlockHeader']!,
    fields: [['number', 'Number', 'uint64'], ['previousHash', 'PreviousHash', 'bytes'], ['dataHash', 'DataHash', 'bytes']],
  },
  'common.BlockData': { oracle: common['BlockData']!, fields: [['data', 'DataList', 'bytesList']] },
  'common.BlockMetadata': { oracle: common['BlockMetadata']!, fields: [['metadata', 'MetadataList', 'bytesList']] },
  'common.Metadata': {
    oracle: common['Metadata']!,
    fields: [['value', 'Value', 'bytes'], ['signatures', 'SignaturesList', ms('common.MetadataSignature')]],
  },
  'common.MetadataSignature': {
    oracle: common['MetadataSignature']!,
    fields: [
      ['signatureHeader', 'SignatureHeader', 'bytes'],
      ['signature', 'Signature', 'bytes'],
      ['identifierHeader', 'IdentifierHeader', 'bytes'],
    ],
  },
  'common.IdentifierHeader': {
    oracle: common['IdentifierHeader']!,
    fields: [['identifier', 'Identifier', 'uint32'], ['nonce', 'Nonce', 'bytes']],
  },
  'common.LastConfig': { oracle: common['LastConfig']!, fields: [['index', 'Index', 'uint64']] },
  'common.OrdererBlockMetadata': {
    oracle: common['OrdererBlockMetadata']!,
    fields: [['lastConfig', 'LastConfig', m('common.LastConfig')], ['consenterMetadata', 'ConsenterMetadata', 'bytes']],
  },

  // peer/transaction.proto, peer/proposal_response.proto
  'protos.Transaction': { oracle: peer['Transaction']!, fields: [['actions', 'ActionsList', ms('protos.TransactionAction')]] },
  'protos.TransactionAction': {
    oracle: peer['TransactionAction']!,
    fields: [['header', 'Header', 'bytes'], ['payload', 'Payload', 'bytes']],
  },
  'protos.ChaincodeActionPayload': {
    oracle: peer['ChaincodeActionPayload']!,
    fields: [
      ['chaincodeProposalPayload', 'ChaincodeProposalPayload', 'bytes'],
      ['action', 'Action', m('protos.ChaincodeEndorsedAction')],
    ],
  },
  'protos.ChaincodeEndorsedAction': {
    oracle: peer['ChaincodeEndorsedAction']!,
    fields: [
      ['proposalResponsePayload', 'ProposalResponsePayload', 'bytes'],
      ['endorsements', 'EndorsementsList', ms('protos.Endorsement')],
    ],
  },
  'protos.ProcessedTransaction': {
    oracle: peer['ProcessedTransaction']!,
    fields: [
      ['transactionEnvelope', 'Transactionenvelope', m('common.Envelope')],
      ['validationCode', 'Validationcode', 'int32'],
    ],
  },
  'protos.ProposalResponse': {
    oracle: peer['ProposalResponse']!,
    fields: [
      ['version', 'Version', 'int32'],
      ['timestamp', 'Timestamp', m('google.protobuf.Timestamp')],
      ['response', 'Response', m('protos.Response')],
      ['payload', 'Payload', 'bytes'],
      ['endorsement', 'Endorsement', m('protos.Endorsement')],
      ['interest', 'Interest', m('protos.ChaincodeInterest')],
    ],
  },
  'protos.Endorsement': {
    oracle: peer['Endorsement']!,
    fields: [['endorser', 'Endorser', 'bytes'], ['signature', 'Signature', 'bytes']],
  },
  'protos.ChaincodeInterest': {
    oracle: peer['ChaincodeInterest']!,
    fields: [['chaincodes', 'ChaincodesList', ms('protos.ChaincodeCall')]],
  },
  'protos.ChaincodeCall': {
    oracle: peer['ChaincodeCall']!,
    fields: [
      ['name', 'Name', 'string'],
      ['collectionNames', 'CollectionNamesList', 'strings'],
      ['noPrivateReads', 'NoPrivateReads', 'bool'],
      ['noPublicWrites', 'NoPublicWrites', 'bool'],
      ['keyPolicies', 'KeyPoliciesList', ms('common.SignaturePolicyEnvelope')],
      ['disregardNamespacePolicy', 'DisregardNamespacePolicy', 'bool'],
    ],
  },

  // peer/events.proto
  'protos.FilteredBlock': {
    oracle: peer['FilteredBlock']!,
    fields: [
      ['channelId', 'ChannelId', 'string'],
      ['number', 'Number', 'uint64'],
      ['filteredTransactions', 'FilteredTransactionsList', ms('protos.FilteredTransaction')],
    ],
  },
  'protos.FilteredTransaction': {
    oracle: peer['FilteredTransaction']!,
    fields: [
      ['txid', 'Txid', 'string'],
      ['type', 'Type', 'int32'],
      ['txValidationCode', 'TxValidationCode', 'int32'],
      ['data', '', { oneof: [['transactionActions', 'TransactionActions', m('protos.FilteredTransactionActions')]] }],
    ],
  },
  'protos.FilteredTransactionActions': {
    oracle: peer['FilteredTransactionActions']!,
    fields: [['chaincodeActions', 'ChaincodeActionsList', ms('protos.FilteredChaincodeAction')]],
  },
  'protos.FilteredChaincodeAction': {
    oracle: peer['FilteredChaincodeAction']!,
    fields: [['chaincodeEvent', 'ChaincodeEvent', m('protos.ChaincodeEvent')]],
  },
  'protos.BlockAndPrivateData': {
    oracle: peer['BlockAndPrivateData']!,
    fields: [
      ['block', 'Block', m('common.Block')],
      ['privateDataMap', 'PrivateDataMapMap', { uint64Map: 'rwset.TxPvtReadWriteSet' }],
    ],
  },
  'protos.DeliverResponse': {
    oracle: peer['DeliverResponse']!,
    fields: [
      [
        'type',
        '',
        {
          oneof: [
            ['status', 'Status', 'int32'],
            ['block', 'Block', m('common.Block')],
            ['filteredBlock', 'FilteredBlock', m('protos.FilteredBlock')],
            ['blockAndPrivateData', 'BlockAndPrivateData', m('protos.BlockAndPrivateData')],
          ],
        },
      ],
    ],
  },

  // orderer/ab.proto
  'orderer.SeekNewest': { oracle: orderer['SeekNewest']!, fields: [] },
  'orderer.SeekOldest': { oracle: orderer['SeekOldest']!, fields: [] },
  'orderer.SeekNextCommit': { oracle: orderer['SeekNextCommit']!, fields: [] },
  'orderer.SeekSpecified': { oracle: orderer['SeekSpecified']!, fields: [['number', 'Number', 'uint64']] },
  'orderer.SeekPosition': {
    oracle: orderer['SeekPosition']!,
    fields: [
      [
        'type',
        '',
        {
          oneof: [
            ['newest', 'Newest', m('orderer.SeekNewest')],
            ['oldest', 'Oldest', m('orderer.SeekOldest')],
            ['specified', 'Specified', m('orderer.SeekSpecified')],
            ['nextCommit', 'NextCommit', m('orderer.SeekNextCommit')],
          ],
        },
      ],
    ],
  },
  'orderer.SeekInfo': {
    oracle: orderer['SeekInfo']!,
    fields: [
      ['start', 'Start', m('orderer.SeekPosition')],
      ['stop', 'Stop', m('orderer.SeekPosition')],
      ['behavior', 'Behavior', 'int32'],
      ['errorResponse', 'ErrorResponse', 'int32'],
      ['contentType', 'ContentType', 'int32'],
    ],
  },
  'orderer.BroadcastResponse': {
    oracle: orderer['BroadcastResponse']!,
    fields: [['status', 'Status', 'int32'], ['info', 'Info', 'string']],
  },
  'orderer.DeliverResponse': {
    oracle: orderer['DeliverResponse']!,
    fields: [['type', '', { oneof: [['status', 'Status', 'int32'], ['block', 'Block', m('common.Block')]] }]],
  },

  // ledger/rwset/rwset.proto
  'rwset.TxReadWriteSet': {
    oracle: rwset['TxReadWriteSet']!,
    fields: [['dataModel', 'DataModel', 'int32'], ['nsRwset', 'NsRwsetList', ms('rwset.NsReadWriteSet')]],
  },
  'rwset.NsReadWriteSet': {
    oracle: rwset['NsReadWriteSet']!,
    fields: [
      ['namespace', 'Namespace', 'string'],
      ['rwset', 'Rwset', 'bytes'],
      ['collectionHashedRwset', 'CollectionHashedRwsetList', ms('rwset.CollectionHashedReadWriteSet')],
    ],
  },
  'rwset.CollectionHashedReadWriteSet': {
    oracle: rwset['CollectionHashedReadWriteSet']!,
    fields: [
      ['collectionName', 'CollectionName', 'string'],
      ['hashedRwset', 'HashedRwset', 'bytes'],
      ['pvtRwsetHash', 'PvtRwsetHash', 'bytes'],
    ],
  },
  'rwset.TxPvtReadWriteSet': {
    oracle: rwset['TxPvtReadWriteSet']!,
    fields: [['dataModel', 'DataModel', 'int32'], ['nsPvtRwset', 'NsPvtRwsetList', ms('rwset.NsPvtReadWriteSet')]],
  },
  'rwset.NsPvtReadWriteSet': {
    oracle: rwset['NsPvtReadWriteSet']!,
    fields: [
      ['namespace', 'Namespace', 'string'],
      ['collectionPvtRwset', 'CollectionPvtRwsetList', ms('rwset.CollectionPvtReadWriteSet')],
    ],
  },
  'rwset.CollectionPvtReadWriteSet': {
    oracle: rwset['CollectionPvtReadWriteSet']!,
    fields: [['collectionName', 'CollectionName', 'string'], ['rwset', 'Rwset', 'bytes']],
  },

  // ledger/rwset/kvrwset/kv_rwset.proto
  'kvrwset.KVRWSet': {
    oracle: kvrwset['KVRWSet']!,
    fields: [
      ['reads', 'ReadsList', ms('kvrwset.KVRead')],
      ['rangeQueriesInfo', 'RangeQueriesInfoList', ms('kvrwset.RangeQueryInfo')],
      ['writes', 'WritesList', ms('kvrwset.KVWrite')],
      ['metadataWrites', 'MetadataWritesList', ms('kvrwset.KVMetadataWrite')],
    ],
  },
  'kvrwset.HashedRWSet': {
    oracle: kvrwset['HashedRWSet']!,
    fields: [
      ['hashedReads', 'HashedReadsList', ms('kvrwset.KVReadHash')],
      ['hashedWrites', 'HashedWritesList', ms('kvrwset.KVWriteHash')],
      ['metadataWrites', 'MetadataWritesList', ms('kvrwset.KVMetadataWriteHash')],
    ],
  },
  'kvrwset.KVRead': {
    oracle: kvrwset['KVRead']!,
    fields: [['key', 'Key', 'string'], ['version', 'Version', m('kvrwset.Version')]],
  },
  'kvrwset.KVWrite': {
    oracle: kvrwset['KVWrite']!,
    fields: [['key', 'Key', 'string'], ['isDelete', 'IsDelete', 'bool'], ['value', 'Value', 'bytes']],
  },
  'kvrwset.KVMetadataWrite': {
    oracle: kvrwset['KVMetadataWrite']!,
    fields: [['key', 'Key', 'string'], ['entries', 'EntriesList', ms('kvrwset.KVMetadataEntry')]],
  },
  'kvrwset.KVReadHash': {
    oracle: kvrwset['KVReadHash']!,
    fields: [['keyHash', 'KeyHash', 'bytes'], ['version', 'Version', m('kvrwset.Version')]],
  },
  'kvrwset.KVWriteHash': {
    oracle: kvrwset['KVWriteHash']!,
    fields: [
      ['keyHash', 'KeyHash', 'bytes'],
      ['isDelete', 'IsDelete', 'bool'],
      ['valueHash', 'ValueHash', 'bytes'],
      ['isPurge', 'IsPurge', 'bool'],
    ],
  },
  'kvrwset.KVMetadataWriteHash': {
    oracle: kvrwset['KVMetadataWriteHash']!,
    fields: [['keyHash', 'KeyHash', 'bytes'], ['entries', 'EntriesList', ms('kvrwset.KVMetadataEntry')]],
  },
  'kvrwset.KVMetadataEntry': {
    oracle: kvrwset['KVMetadataEntry']!,
    fields: [['name', 'Name', 'string'], ['value', 'Value', 'bytes']],
  },
  'kvrwset.Version': {
    oracle: kvrwset['Version']!,
    fields: [['blockNum', 'BlockNum', 'uint64'], ['txNum', 'TxNum', 'uint64']],
  },
  'kvrwset.RangeQueryInfo': {
    oracle: kvrwset['RangeQueryInfo']!,
    fields: [
      ['startKey', 'StartKey', 'string'],
      ['endKey', 'EndKey', 'string'],
      ['itrExhausted', 'ItrExhausted', 'bool'],
      [
        'readsInfo',
        '',
        {
          oneof: [
            ['rawReads', 'RawReads', m('kvrwset.QueryReads')],
            ['readsMerkleHashes', 'ReadsMerkleHashes', m('kvrwset.QueryReadsMerkleSummary')],
          ],
        },
      ],
    ],
  },
  'kvrwset.QueryReads': { oracle: kvrwset['QueryReads']!, fields: [['kvReads', 'KvReadsList', ms('kvrwset.KVRead')]] },
  'kvrwset.QueryReadsMerkleSummary': {
    oracle: kvrwset['QueryReadsMerkleSummary']!,
    fields: [
      ['maxDegree', 'MaxDegree', 'uint32'],
      ['maxLevel', 'MaxLevel', 'uint32'],
      ['maxLevelHashes', 'MaxLevelHashesList', 'bytesList'],
    ],
  },

  // common/policies.proto, msp/msp_principal.proto (package common), peer/policy.proto
  'common.Policy': { oracle: common['Policy']!, fields: [['type', 'Type', 'int32'], ['value', 'Value', 'bytes']] },
  'common.SignaturePolicyEnvelope': {
    oracle: common['SignaturePolicyEnvelope']!,
    fields: [
      ['version', 'Version', 'int32'],
      ['rule', 'Rule', m('common.SignaturePolicy')],
      ['identities', 'IdentitiesList', ms('common.MSPPrincipal')],
    ],
  },
  'common.SignaturePolicy': {
    oracle: common['SignaturePolicy']!,
    fields: [
      [
        'type',
        '',
        { oneof: [['signedBy', 'SignedBy', 'int32'], ['nOutOf', 'NOutOf', m('common.SignaturePolicy.NOutOf')]] },
      ],
    ],
  },
  'common.SignaturePolicy.NOutOf': {
    oracle: common.SignaturePolicy.NOutOf,
    fields: [['n', 'N', 'int32'], ['rules', 'RulesList', ms('common.SignaturePolicy')]],
  },
  'common.ImplicitMetaPolicy': {
    oracle: common['ImplicitMetaPolicy']!,
    fields: [['subPolicy', 'SubPolicy', 'string'], ['rule', 'Rule', 'int32']],
  },
  'protos.ApplicationPolicy': {
    oracle: peer['ApplicationPolicy']!,
    fields: [
      [
        'type',
        '',
        {
          oneof: [
            ['signaturePolicy', 'SignaturePolicy', m('common.SignaturePolicyEnvelope')],
            ['channelConfigPolicyReference', 'ChannelConfigPolicyReference', 'string'],
          ],
        },
      ],
    ],
  },
  'common.MSPPrincipal': {
    oracle: msp['MSPPrincipal']!,
    fields: [['principalClassification', 'PrincipalClassification', 'int32'], ['principal', 'Principal', 'bytes']],
  },
  'common.OrganizationUnit': {
    oracle: msp['OrganizationUnit']!,
    fields: [
      ['mspIdentifier', 'MspIdentifier', 'string'],
      ['organizationalUnitIdentifier', 'OrganizationalUnitIdentifier', 'string'],
      ['certifiersIdentifier', 'CertifiersIdentifier', 'bytes'],
    ],
  },
  'common.MSPRole': {
    oracle: msp['MSPRole']!,
    fields: [['mspIdentifier', 'MspIdentifier', 'string'], ['role', 'Role', 'int32']],
  },
  'common.MSPIdentityAnonymity': {
    oracle: msp['MSPIdentityAnonymity']!,
    fields: [['anonymityType', 'AnonymityType', 'int32']],
  },
  'common.CombinedPrincipal': {
    oracle: msp['CombinedPrincipal']!,
    fields: [['principals', 'PrincipalsList', ms('common.MSPPrincipal')]],
  },

  // peer/collection.proto
  'protos.CollectionConfigPackage': {
    oracle: peer['CollectionConfigPackage']!,
    fields: [['config', 'ConfigList', ms('protos.CollectionConfig')]],
  },
  'protos.CollectionConfig': {
    oracle: peer['CollectionConfig']!,
    fields: [['payload', '', { oneof: [['staticCollectionConfig', 'StaticCollectionConfig', m('protos.StaticCollectionConfig')]] }]],
  },
  'protos.StaticCollectionConfig': {
    oracle: peer['StaticCollectionConfig']!,
    fields: [
      ['name', 'Name', 'string'],
      ['memberOrgsPolicy', 'MemberOrgsPolicy', m('protos.CollectionPolicyConfig')],
      ['requiredPeerCount', 'RequiredPeerCount', 'int32'],
      ['maximumPeerCount', 'MaximumPeerCount', 'int32'],
      ['blockToLive', 'BlockToLive', 'uint64'],
      ['memberOnlyRead', 'MemberOnlyRead', 'bool'],
      ['memberOnlyWrite', 'MemberOnlyWrite', 'bool'],
      ['endorsementPolicy', 'EndorsementPolicy', m('protos.ApplicationPolicy')],
    ],
  },
  'protos.CollectionPolicyConfig': {
    oracle: peer['CollectionPolicyConfig']!,
    fields: [['payload', '', { oneof: [['signaturePolicy', 'SignaturePolicy', m('common.SignaturePolicyEnvelope')]] }]],
  },

  // common/configtx.proto
  'common.ConfigEnvelope': {
    oracle: common['ConfigEnvelope']!,
    fields: [['config', 'Config', m('common.Config')], ['lastUpdate', 'LastUpdate', m('common.Envelope')]],
  },
  'common.Config': {
    oracle: common['Config']!,
    fields: [['sequence', 'Sequence', 'uint64'], ['channelGroup', 'ChannelGroup', m('common.ConfigGroup')]],
  },
  'common.ConfigUpdateEnvelope': {
    oracle: common['ConfigUpdateEnvelope']!,
    fields: [['configUpdate', 'ConfigUpdate', 'bytes'], ['signatures', 'SignaturesList', ms('common.ConfigSignature')]],
  },
  'common.ConfigUpdate': {
    oracle: common['ConfigUpdate']!,
    fields: [
      ['channelId', 'ChannelId', 'string'],
      ['readSet', 'ReadSet', m('common.ConfigGroup')],
      ['writeSet', 'WriteSet', m('common.ConfigGroup')],
      ['isolatedData', 'IsolatedDataMap', 'bytesMap'],
    ],
  },
  'common.ConfigGroup': {
    oracle: common['ConfigGroup']!,
    fields: [
      ['version', 'Version', 'uint64'],
      ['groups', 'GroupsMap', { messageMap: 'common.ConfigGroup' }],
      ['values', 'ValuesMap', { messageMap: 'common.ConfigValue' }],
      ['policies', 'PoliciesMap', { messageMap: 'common.ConfigPolicy' }],
      ['modPolicy', 'ModPolicy', 'string'],
    ],
  },
  'common.ConfigValue': {
    oracle: common['ConfigValue']!,
    fields: [['version', 'Version', 'uint64'], ['value', 'Value', 'bytes'], ['modPolicy', 'ModPolicy', 'string']],
  },
  'common.ConfigPolicy': {
    oracle: common['ConfigPolicy']!,
    fields: [['version', 'Version', 'uint64'], ['policy', 'Policy', m('common.Policy')], ['modPolicy', 'ModPolicy', 'string']],
  },
  'common.ConfigSignature': {
    oracle: common['ConfigSignature']!,
    fields: [['signatureHeader', 'SignatureHeader', 'bytes'], ['signature', 'Signature', 'bytes']],
  },

  // common/configuration.proto, orderer/configuration.proto, peer/configuration.proto
  'common.HashingAlgorithm': { oracle: common['HashingAlgorithm']!, fields: [['name', 'Name', 'string']] },
  'common.BlockDataHashingStructure': { oracle: common['BlockDataHashingStructure']!, fields: [['width', 'Width', 'uint32']] },
  'common.OrdererAddresses': { oracle: common['OrdererAddresses']!, fields: [['addresses', 'AddressesList', 'strings']] },
  'common.Consortium': { oracle: common['Consortium']!, fields: [['name', 'Name', 'string']] },
  'common.Capabilities': {
    oracle: common['Capabilities']!,
    fields: [['capabilities', 'CapabilitiesMap', { messageMap: 'common.Capability' }]],
  },
  'common.Capability': { oracle: common['Capability']!, fields: [] },
  'orderer.ConsensusType': {
    oracle: orderer['ConsensusType']!,
    fields: [['type', 'Type', 'string'], ['metadata', 'Metadata', 'bytes'], ['state', 'State', 'int32']],
  },
  'orderer.BatchSize': {
    oracle: orderer['BatchSize']!,
    fields: [
      ['maxMessageCount', 'MaxMessageCount', 'uint32'],
      ['absoluteMaxBytes', 'AbsoluteMaxBytes', 'uint32'],
      ['preferredMaxBytes', 'PreferredMaxBytes', 'uint32'],
    ],
  },
  'orderer.BatchTimeout': { oracle: orderer['BatchTimeout']!, fields: [['timeout', 'Timeout', 'string']] },
  'orderer.ChannelRestrictions': { oracle: orderer['ChannelRestrictions']!, fields: [['maxCount', 'MaxCount', 'uint64']] },
  // orderer/etcdraft/configuration.proto
  'etcdraft.ConfigMetadata': {
    oracle: etcdraft['ConfigMetadata']!,
    fields: [['consenters', 'ConsentersList', ms('etcdraft.Consenter')], ['options', 'Options', m('etcdraft.Options')]],
  },
  'etcdraft.Consenter': {
    oracle: etcdraft['Consenter']!,
    fields: [['host', 'Host', 'string'], ['port', 'Port', 'uint32'], ['clientTlsCert', 'ClientTlsCert', 'bytes'], ['serverTlsCert', 'ServerTlsCert', 'bytes']],
  },
  'etcdraft.Options': {
    oracle: etcdraft['Options']!,
    fields: [
      ['tickInterval', 'TickInterval', 'string'],
      ['electionTick', 'ElectionTick', 'uint32'],
      ['heartbeatTick', 'HeartbeatTick', 'uint32'],
      ['maxInflightBlocks', 'MaxInflightBlocks', 'uint32'],
      ['snapshotIntervalSize', 'SnapshotIntervalSize', 'uint32'],
    ],
  },
  'protos.AnchorPeers': { oracle: peer['AnchorPeers']!, fields: [['anchorPeers', 'AnchorPeersList', ms('protos.AnchorPeer')]] },
  'protos.AnchorPeer': { oracle: peer['AnchorPeer']!, fields: [['host', 'Host', 'string'], ['port', 'Port', 'int32']] },

  // msp/msp_config.proto
  'msp.MSPConfig': { oracle: msp['MSPConfig']!, fields: [['type', 'Type', 'int32'], ['config', 'Config', 'bytes']] },
  'msp.FabricMSPConfig': {
    oracle: msp['FabricMSPConfig']!,
    fields: [
      ['name', 'Name', 'string'],
      ['rootCerts', 'RootCertsList', 'bytesList'],
      ['intermediateCerts', 'IntermediateCertsList', 'bytesList'],
      ['admins', 'AdminsList', 'bytesList'],
      ['revocationList', 'RevocationListList', 'bytesList'],
      ['signingIdentity', 'SigningIdentity', m('msp.SigningIdentityInfo')],
      ['organizationalUnitIdentifiers', 'OrganizationalUnitIdentifiersList', ms('msp.FabricOUIdentifier')],
      ['cryptoConfig', 'CryptoConfig', m('msp.FabricCryptoConfig')],
      ['tlsRootCerts', 'TlsRootCertsList', 'bytesList'],
      ['tlsIntermediateCerts', 'TlsIntermediateCertsList', 'bytesList'],
      ['fabricNodeOus', 'FabricNodeOus', m('msp.FabricNodeOUs')],
    ],
  },
  'msp.FabricCryptoConfig': {
    oracle: msp['FabricCryptoConfig']!,
    fields: [
      ['signatureHashFamily', 'SignatureHashFamily', 'string'],
      ['identityIdentifierHashFunction', 'IdentityIdentifierHashFunction', 'string'],
    ],
  },
  'msp.SigningIdentityInfo': {
    oracle: msp['SigningIdentityInfo']!,
    fields: [['publicSigner', 'PublicSigner', 'bytes'], ['privateSigner', 'PrivateSigner', m('msp.KeyInfo')]],
  },
  'msp.KeyInfo': {
    oracle: msp['KeyInfo']!,
    fields: [['keyIdentifier', 'KeyIdentifier', 'string'], ['keyMaterial', 'KeyMaterial', 'bytes']],
  },
  'msp.FabricOUIdentifier': {
    oracle: msp['FabricOUIdentifier']!,
    fields: [['certificate', 'Certificate', 'bytes'], ['organizationalUnitIdentifier', 'OrganizationalUnitIdentifier', 'string']],
  },
  'msp.FabricNodeOUs': {
    oracle: msp['FabricNodeOUs']!,
    fields: [
      ['enable', 'Enable', 'bool'],
      ['clientOuIdentifier', 'ClientOuIdentifier', m('msp.FabricOUIdentifier')],
      ['peerOuIdentifier', 'PeerOuIdentifier', m('msp.FabricOUIdentifier')],
      ['adminOuIdentifier', 'AdminOuIdentifier', m('msp.FabricOUIdentifier')],
      ['ordererOuIdentifier', 'OrdererOuIdentifier', m('msp.FabricOUIdentifier')],
    ],
  },

  // google/rpc/status.proto, google/protobuf/any.proto (what fabric-gateway's GatewayError parses)
  'google.rpc.Status': {
    oracle: oracle.google.rpc['Status']!,
    fields: [['code', 'Code', 'int32'], ['message', 'Message', 'string'], ['details', 'DetailsList', ms('google.protobuf.Any')]],
  },
  'google.protobuf.Any': {
    oracle: anyPb.Any,
    fields: [['typeUrl', 'TypeUrl', 'string'], ['value', 'Value', 'bytes']],
  },
};

/** Messages of oracle.ts that the new ones nest (handled entirely by oracle.ts). */
const isBase = (name: string): boolean => !(name in FABRIC_SPECS) && name in BASE_SPECS;

function spec(name: string): Spec {
  const s = FABRIC_SPECS[name];
  if (!s) throw new Error(`no fabric oracle spec for ${name}`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Nesting below this depth is left at defaults (ConfigGroup and SignaturePolicy are recursive). */
const MAX_DEPTH = 4;

/** The all-default domain value: what an empty encoding decodes to. */
export function defaultValue(name: string): Record<string, unknown> {
  const fields = isBase(name) ? BASE_SPECS[name]!.fields.map(([f, a, k]) => [f, a, k as Kind] as const) : spec(name).fields;
  const out: Record<string, unknown> = {};
  for (const [field, , kind] of fields) out[field] = defaultOf(kind);
  return out;
}

function defaultOf(kind: Kind): unknown {
  switch (kind) {
    case 'string': return '';
    case 'bytes': return new Uint8Array(0);
    case 'int32': case 'uint32': case 'int64': case 'uint64': return 0;
    case 'bool': return false;
    case 'strings': case 'bytesList': return [];
    case 'bytesMap': return {};
    default:
      if ('messages' in kind) return [];
      if ('messageMap' in kind) return {};
      if ('uint64Map' in kind) return new Map();
      return undefined; // message, oneof
  }
}

/** How many filled variants a message gets: enough to visit every member of its widest oneof. */
export function variantsOf(name: string): number {
  let n = 2;
  for (const [, , kind] of spec(name).fields) if (typeof kind === 'object' && 'oneof' in kind) n = Math.max(n, kind.oneof.length);
  return n;
}

/** Map keys for the filled values: already in the order google-protobuf writes them (sorted). */
const STRING_KEYS = ['Admins', 'Readers', 'wr\u00eftes'];
const UINT64_KEYS = [3, 7];

/**
 * A deterministic value with every field set: `variant` picks the oneof member (and flips the sign
 * or size of integers), lists get two elements of consecutive variants (so lists mix oneof
 * members), maps two keys.
 */
export function filledValue(name: string, variant: number, depth = 0): unknown {
  if (isBase(name)) return filledBase(name, variant);
  if (depth > MAX_DEPTH) return defaultValue(name);
  const out: Record<string, unknown> = {};
  spec(name).fields.forEach(([field, , kind], i) => {
    out[field] = filledOf(kind, variant, depth, i);
  });
  return out;
}

function filledOf(kind: Kind, variant: number, depth: number, i: number): unknown {
  const odd = variant % 2 === 1;
  switch (kind) {
    case 'string': return odd ? `v${i}-\u00e9\u6f22-${'x'.repeat(20)}` : `v${i}`;
    case 'bytes': return Uint8Array.of(i, 0xff, variant);
    case 'int32': return odd ? -(i + 2) : 300 + i;
    case 'uint32': return odd ? 0xffffffff : 300 + i;
    case 'int64': case 'uint64': return odd ? Number.MAX_SAFE_INTEGER - i : 2 ** 40 + i;
    case 'bool': return true;
    case 'strings': return ['a', `b\u00fc${i}`];
    case 'bytesList': return [Uint8Array.of(i, 1), new Uint8Array(0), Uint8Array.of(2)];
    case 'bytesMap': return Object.fromEntries(STRING_KEYS.slice(0, 2).map((k, j) => [k, Uint8Array.of(j, i)]));
    default:
      if ('message' in kind) return depth >= MAX_DEPTH ? undefined : filledValue(kind.message, variant, depth + 1);
      if ('messages' in kind) {
        return depth >= MAX_DEPTH ? [] : [filledValue(kind.messages, variant, depth + 1), filledValue(kind.messages, variant + 1, depth + 1)];
      }
      if ('messageMap' in kind) {
        if (depth >= MAX_DEPTH) return {};
        return Object.fromEntries(STRING_KEYS.slice(0, 2).map((k, j) => [k, filledValue(kind.messageMap, variant + j, depth + 1)]));
      }
      if ('uint64Map' in kind) {
        if (depth >= MAX_DEPTH) return new Map();
        return new Map(UINT64_KEYS.map((k, j) => [k, filledValue(kind.uint64Map, variant + j, depth + 1)]));
      }
      {
        const [kase, , memberKind] = kind.oneof[variant % kind.oneof.length]!;
        // A message member is set even at the depth limit (then to its all-default value).
        const value = typeof memberKind === 'object' && 'message' in memberKind
          ? filledValue(memberKind.message, variant, depth + 1)
          : filledOf(memberKind, variant, depth, i);
        return { case: kase, value };
      }
  }
}

function filledBase(name: string, variant: number): unknown {
  const out: Record<string, unknown> = {};
  BASE_SPECS[name]!.fields.forEach(([field, , kind], i) => {
    out[field] = typeof kind === 'string' && kind !== 'queryResults' ? filledOf(kind, variant, MAX_DEPTH, i) : undefined;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const arbKey = arbString.filter((k) => k !== '__proto__'); // google-protobuf's map cannot hold it

function arbScalar(kind: Scalar): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'string': return arbString;
    case 'bytes': return arbBytes;
    case 'int32': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer(INT32));
    case 'uint32': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    case 'bool': return fc.boolean();
    case 'int64': return fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }), fc.maxSafeInteger());
    case 'uint64': return fc.oneof(fc.integer({ min: 0, max: 300 }), fc.maxSafeNat());
    case 'strings': return fc.array(arbString, { maxLength: 3 });
    case 'bytesList': return fc.array(arbBytes, { maxLength: 3 });
    case 'bytesMap': return fc.dictionary(arbKey, arbBytes, { maxKeys: 2 });
  }
}

const ARB_DEPTH = 3;
const arbCache = new Map<string, fc.Arbitrary<unknown>>();

/** A random domain value of the named message, nesting at most ARB_DEPTH levels. */
export function arbitraryOf(name: string, depth = 0): fc.Arbitrary<unknown> {
  if (isBase(name)) return baseArbitrary(name);
  if (depth > ARB_DEPTH) return fc.constant(defaultValue(name));
  const key = `${name}@${depth}`;
  let arb = arbCache.get(key);
  if (!arb) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [field, , kind] of spec(name).fields) record[field] = arbOf(kind, depth);
    arb = fc.record(record);
    arbCache.set(key, arb);
  }
  return arb;
}

function arbOf(kind: Kind, depth: number): fc.Arbitrary<unknown> {
  if (typeof kind === 'string') return arbScalar(kind);
  const deeper = depth >= ARB_DEPTH;
  if ('message' in kind) return deeper ? fc.constant(undefined) : fc.option(arbitraryOf(kind.message, depth + 1), { nil: undefined });
  if ('messages' in kind) return deeper ? fc.constant([]) : fc.array(arbitraryOf(kind.messages, depth + 1), { maxLength: 2 });
  if ('messageMap' in kind) return deeper ? fc.constant({}) : fc.dictionary(arbKey, arbitraryOf(kind.messageMap, depth + 1), { maxKeys: 2 });
  if ('uint64Map' in kind) {
    if (deeper) return fc.constant(new Map());
    return fc
      .uniqueArray(fc.tuple(fc.oneof(fc.nat(20), fc.maxSafeNat()), arbitraryOf(kind.uint64Map, depth + 1)), { maxLength: 2, selector: ([k]) => k })
      .map((entries) => new Map(entries));
  }
  return fc.oneof(
    fc.constant(undefined),
    ...kind.oneof.map(([kase, , memberKind]) =>
      (typeof memberKind === 'object' && 'message' in memberKind ? arbitraryOf(memberKind.message, depth + 1) : arbOf(memberKind, depth)).map(
        (value) => ({ case: kase, value }),
      ),
    ),
  );
}

// Arbitraries of oracle.ts's messages, built the same way (their fields are all scalars here).
function baseArbitrary(name: string): fc.Arbitrary<unknown> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [field, , kind] of BASE_SPECS[name]!.fields) {
    if (typeof kind !== 'string' || kind === 'queryResults') throw new Error(`unexpected nested kind in ${name}`);
    record[field] = arbScalar(kind);
  }
  return fc.record(record);
}

// ---------------------------------------------------------------------------------------------
// Domain <-> oracle

interface JspbMap {
  set(key: unknown, value: unknown): unknown;
  get(key: unknown): unknown;
  getEntryList(): [unknown, unknown][];
}

/** Builds the fabric-protos message for a domain value, through Fabric's named setters. */
export function toOracle(name: string, value: unknown): OracleMessage {
  if (isBase(name)) return toOracleBase(name, value);
  const { oracle: Cls, fields } = spec(name);
  const msg = new Cls();
  const v = value as Record<string, unknown>;
  for (const [field, accessor, kind] of fields) {
    const x = v[field];
    if (typeof kind === 'object' && 'oneof' in kind) {
      if (x === undefined) continue;
      const { case: kase, value: inner } = x as { case: string; value: unknown };
      const member = kind.oneof.find(([c]) => c === kase);
      if (!member) throw new Error(`${name}: no oneof member ${kase}`);
      writeField(msg, member[1], member[2], inner);
    } else {
      writeField(msg, accessor, kind, x);
    }
  }
  return msg;
}

function writeField(msg: OracleMessage, accessor: string, kind: Kind, x: unknown): void {
  if (kind === 'bytesMap') {
    const map = call(msg, `get${accessor}`) as JspbMap;
    for (const key of Object.keys(x as object)) map.set(key, (x as Record<string, unknown>)[key]);
  } else if (typeof kind === 'string') {
    call(msg, `set${accessor}`, x);
  } else if ('message' in kind) {
    if (x !== undefined) call(msg, `set${accessor}`, toOracle(kind.message, x));
  } else if ('messages' in kind) {
    call(msg, `set${accessor}`, (x as unknown[]).map((e) => toOracle(kind.messages, e)));
  } else if ('messageMap' in kind) {
    const map = call(msg, `get${accessor}`) as JspbMap;
    for (const key of Object.keys(x as object)) map.set(key, toOracle(kind.messageMap, (x as Record<string, unknown>)[key]));
  } else if ('uint64Map' in kind) {
    const map = call(msg, `get${accessor}`) as JspbMap;
    for (const [key, e] of x as Map<number, unknown>) map.set(key, toOracle(kind.uint64Map, e));
  } else {
    throw new Error('nested oneof');
  }
}

/** Reads a fabric-protos message back into a domain value, through Fabric's named getters. */
export function fromOracle(name: string, msg: OracleMessage): unknown {
  if (isBase(name)) return fromOracleBase(name, msg);
  const out: Record<string, unknown> = {};
  for (const [field, accessor, kind] of spec(name).fields) {
    if (typeof kind === 'object' && 'oneof' in kind) {
      const set = kind.oneof.filter(([, acc]) => call(msg, `has${acc}`) === true);
      expect(set.length, `${name}.${field}: members set`).toBeLessThanOrEqual(1);
      const member = set[0];
      out[field] = member === undefined ? undefined : { case: member[0], value: readField(msg, member[1], member[2]) };
    } else {
      out[field] = readField(msg, accessor, kind);
    }
  }
  return out;
}

function readField(msg: OracleMessage, accessor: string, kind: Kind): unknown {
  switch (kind) {
    case 'bytes':
    case 'bytesList':
      return call(msg, `get${accessor}_asU8`);
    case 'bytesMap': {
      const map = call(msg, `get${accessor}`) as JspbMap;
      const out: Record<string, Uint8Array> = {};
      for (const [key] of map.getEntryList()) define(out, key as string, jspb.Message.bytesAsU8(map.get(key) as Uint8Array | string));
      return out;
    }
    default:
      if (typeof kind === 'string') return call(msg, `get${accessor}`);
      if ('message' in kind) {
        const sub = call(msg, `get${accessor}`) as OracleMessage | undefined;
        return sub === undefined || sub === null ? undefined : fromOracle(kind.message, sub);
      }
      if ('messages' in kind) return (call(msg, `get${accessor}`) as OracleMessage[]).map((e) => fromOracle(kind.messages, e));
      if ('messageMap' in kind) {
        const map = call(msg, `get${accessor}`) as JspbMap;
        const out: Record<string, unknown> = {};
        for (const [key] of map.getEntryList()) define(out, key as string, fromOracle(kind.messageMap, map.get(key) as OracleMessage));
        return out;
      }
      if ('uint64Map' in kind) {
        const map = call(msg, `get${accessor}`) as JspbMap;
        return new Map(map.getEntryList().map(([key]) => [Number(key), fromOracle(kind.uint64Map, map.get(key) as OracleMessage)]));
      }
      throw new Error('nested oneof');
  }
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** True when the value holds a map with two or more keys anywhere (byte order then differs). */
export function hasMultiKeyMap(name: string, value: unknown): boolean {
  if (isBase(name) || value === undefined) return false;
  const v = value as Record<string, unknown>;
  const check = (kind: Kind, x: unknown): boolean => {
    if (x === undefined) return false;
    if (typeof kind === 'string') return kind === 'bytesMap' && Object.keys(x as object).length > 1;
    if ('message' in kind) return hasMultiKeyMap(kind.message, x);
    if ('messages' in kind) return (x as unknown[]).some((e) => hasMultiKeyMap(kind.messages, e));
    if ('messageMap' in kind) {
      const r = x as Record<string, unknown>;
      return Object.keys(r).length > 1 || Object.keys(r).some((k) => hasMultiKeyMap(kind.messageMap, r[k]));
    }
    if ('uint64Map' in kind) {
      const mp = x as Map<number, unknown>;
      return mp.size > 1 || [...mp.values()].some((e) => hasMultiKeyMap(kind.uint64Map, e));
    }
    const { case: kase, value: inner } = x as { case: string; value: unknown };
    const member = kind.oneof.find(([c]) => c === kase)!;
    return check(member[2], inner);
  };
  return spec(name).fields.some(([field, , kind]) => check(kind, v[field]));
}

// ---------------------------------------------------------------------------------------------
// The tests

interface AnyCodec {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string };
}

export function codecOf(name: string): AnyCodec {
  const codec = fabricCodecs[name];
  if (!codec) throw new Error(`no codec for ${name} in fabricCodecs`);
  return codec as unknown as AnyCodec;
}

/** Both directions for one value: same bytes (when `sameBytes`), same values either way. */
export function checkAgainstOracle(name: string, value: unknown, sameBytes = true): void {
  const codec = codecOf(name);
  const Cls = spec(name).oracle;
  const ours = codec.encode(value);
  const theirs = toOracle(name, value).serializeBinary();
  if (sameBytes) expect(hex(ours), `${name}: bytes`).toBe(hex(theirs));
  const decoded = codec.decode(theirs);
  if (!decoded.ok) throw new Error(`${name}: decoding fabric-protos bytes failed: ${decoded.reason}`);
  expectSame(decoded.value, value);
  expectSame(fromOracle(name, Cls.deserializeBinary(ours)), value);
}

/** Runs the standard oracle tests for each named message. */
export function checkMessages(title: string, names: readonly string[], runs = 40): void {
  describe(`${title} vs @hyperledger/fabric-protos`, () => {
    for (const name of names) {
      describe(name, () => {
        it('all-default value: empty bytes both ways', () => {
          const value = defaultValue(name);
          expect(hex(codecOf(name).encode(value))).toBe('');
          checkAgainstOracle(name, value);
        });

        it('filled values, every oneof member: same bytes, same values', () => {
          for (let variant = 0; variant < variantsOf(name); variant++) checkAgainstOracle(name, filledValue(name, variant));
        });

        it('random values (prop, fixed seed)', () => {
          assertProp(
            fc.property(arbitraryOf(name), (value) => checkAgainstOracle(name, value, !hasMultiKeyMap(name, value))),
            { runs, seed: 0x5eed },
          );
        });
      });
    }
  });
}
