/**
 * The ceiling of bench:core: the in-memory pair with both protocol cores replaced by the least code
 * that still answers each message — same codec (every message encoded and decoded), same ledger
 * stand-in, same FIFO per direction drained in a flat loop, same asynchronous chaincode function —
 * but no charts, no state checks, no violations, no timers. What bench:core reaches as a share of
 * this is what the cores cost.
 */
import { requestMessage, type RequestOutcome, type TransactionHandle } from '../src/drive/chaincodeConnection.js';
import type { ExecuteRequest, ExecuteResult } from '../src/drive/peerConnection.js';
import { StandInLedger } from '../src/pair/standInLedger.js';
import { isRequestType } from '../src/protocol/messageType.js';
import type { RequestMessage } from '../src/protocol/inputs.js';
import { EMPTY_BYTES, type Message } from '../src/protocol/messages.js';
import { decodeMessage, encodeMessage } from '../src/wire/index.js';

export class CeilingPair {
  private readonly ledger = new StandInLedger();
  private readonly toChaincode: Uint8Array[] = [];
  private readonly toPeer: Uint8Array[] = [];
  private pumping = false;
  /** Peer side: the execute waiting for each transaction. Chaincode side: the request waiting. */
  private readonly executes = new Map<string, (r: ExecuteResult) => void>();
  private readonly requests = new Map<string, (o: RequestOutcome) => void>();

  constructor(private readonly chaincode: (tx: TransactionHandle) => Promise<void>) {}

  execute(req: Omit<ExecuteRequest, 'txType' | 'proposal'>): Promise<ExecuteResult> {
    return new Promise((resolve) => {
      this.executes.set(req.txid, resolve);
      this.ship(this.toChaincode, { type: 'TRANSACTION', txid: req.txid, channelId: req.channelId, payload: req.input, proposal: undefined } as Message);
    });
  }

  private ship(queue: Uint8Array[], m: Message): void {
    queue.push(encodeMessage(m));
    if (this.pumping) return;
    this.pumping = true;
    while (this.toChaincode.length || this.toPeer.length) {
      const c = this.toChaincode.shift();
      if (c) this.atChaincode(c);
      const p = this.toPeer.shift();
      if (p) this.atPeer(p);
    }
    this.pumping = false;
  }

  private atChaincode(bytes: Uint8Array): void {
    const r = decodeMessage(bytes);
    if (!r.ok) return;
    const m = r.message;
    if (m.type === 'TRANSACTION') {
      const { txid, channelId } = m;
      const tx: TransactionHandle = {
        channelId,
        txid,
        txType: 'TRANSACTION',
        input: m.payload,
        proposal: undefined,
        request: (partial) =>
          new Promise<RequestOutcome>((resolve) => {
            this.requests.set(txid, resolve);
            this.ship(this.toPeer, requestMessage(partial, txid, channelId));
          }),
        complete: (response) => this.ship(this.toPeer, { type: 'COMPLETED', txid, channelId, payload: response, chaincodeEvent: undefined } as Message),
        fail: (message) => this.ship(this.toPeer, { type: 'ERROR', txid, channelId, payload: new TextEncoder().encode(message) }),
      };
      void Promise.resolve().then(() => this.chaincode(tx));
    } else if (m.type === 'RESPONSE' || m.type === 'ERROR') {
      const resolve = this.requests.get(m.txid);
      this.requests.delete(m.txid);
      resolve?.(m.type === 'RESPONSE' ? { ok: true, payload: m.payload } : { ok: false, message: 'error' });
    }
  }

  private atPeer(bytes: Uint8Array): void {
    const r = decodeMessage(bytes);
    if (!r.ok) return;
    const m = r.message;
    if (m.type === 'COMPLETED') {
      const resolve = this.executes.get(m.txid);
      this.executes.delete(m.txid);
      resolve?.({ ok: true, response: m.payload, event: undefined });
    } else if (isRequestType(m.type)) {
      const served = this.ledger.serve(m as RequestMessage);
      const env = { txid: m.txid, channelId: m.channelId };
      this.ship(this.toChaincode, served.ok ? { type: 'RESPONSE', ...env, payload: served.payload } : { type: 'ERROR', ...env, payload: EMPTY_BYTES });
    }
  }
}
