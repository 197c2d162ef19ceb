/**
 * What event services read out of a stored block: per transaction its txid, header type,
 * validation code (the TRANSACTIONS_FILTER metadata) and chaincode event — for the Gateway's
 * ChaincodeEvents (internal/pkg/gateway/event chaincodeEventsIterator: events of valid
 * transactions only) and for filtered blocks (core/peer/deliverevents.go: event name without its
 * payload). Unreadable parts give no event rather than an error: the block was validated when it
 * was committed.
 */
import type { ChaincodeEvent } from '../protocol/messages.js';
import {
  BlockMetadataIndex,
  decodeBlock,
  decodeChaincodeAction,
  decodeChaincodeActionPayload,
  decodeChaincodeEvent,
  decodeChannelHeader,
  decodeCommonPayload,
  decodeEnvelope,
  decodeProposalResponsePayload,
  decodeTransaction,
  HeaderType,
  type Block,
  type FilteredBlock,
} from '../wire/index.js';

export interface BlockTxView {
  txId: string;
  type: number;
  code: number;
  event: ChaincodeEvent | undefined;
}

export interface BlockView {
  block: Block;
  number: number;
  channel: string;
  txs: BlockTxView[];
}

function eventOf(payloadData: Uint8Array): ChaincodeEvent | undefined {
  const tx = decodeTransaction(payloadData);
  const action = tx.ok ? tx.value.actions[0] : undefined;
  const cap = action ? decodeChaincodeActionPayload(action.payload) : undefined;
  const prp = cap?.ok && cap.value.action ? decodeProposalResponsePayload(cap.value.action.proposalResponsePayload) : undefined;
  const cca = prp?.ok ? decodeChaincodeAction(prp.value.extension) : undefined;
  if (!cca?.ok || cca.value.events.length === 0) return undefined;
  const e = decodeChaincodeEvent(cca.value.events);
  return e.ok ? e.value : undefined;
}

export function viewBlock(bytes: Uint8Array): BlockView | undefined {
  const b = decodeBlock(bytes);
  if (!b.ok || !b.value.header) return undefined;
  const filter = b.value.metadata?.metadata[BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(0);
  let channel = '';
  const txs = (b.value.data?.data ?? []).map((envBytes, i): BlockTxView => {
    const env = decodeEnvelope(envBytes);
    const payload = env.ok ? decodeCommonPayload(env.value.payload) : undefined;
    const ch = payload?.ok && payload.value.header ? decodeChannelHeader(payload.value.header.channelHeader) : undefined;
    if (ch?.ok) channel = ch.value.channelId;
    const type = ch?.ok ? ch.value.type : 0;
    const event = type === HeaderType.ENDORSER_TRANSACTION && payload?.ok ? eventOf(payload.value.data) : undefined;
    return { txId: ch?.ok ? ch.value.txId : '', type, code: filter[i] ?? 0, event };
  });
  return { block: b.value, number: b.value.header.number, channel, txs };
}

/** core/peer/deliverevents.go: the filtered form of a block. */
export function filteredBlock(view: BlockView): FilteredBlock {
  return {
    channelId: view.channel,
    number: view.number,
    filteredTransactions: view.txs.map((tx) => ({
      txid: tx.txId,
      type: tx.type,
      txValidationCode: tx.code,
      data:
        tx.type === HeaderType.ENDORSER_TRANSACTION
          ? {
              case: 'transactionActions',
              value: { chaincodeActions: tx.event ? [{ chaincodeEvent: { ...tx.event, payload: new Uint8Array(0) } }] : [] },
            }
          : undefined,
    })),
  };
}
