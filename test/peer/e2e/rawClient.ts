/**
 * A hand-written chaincode-side protocol client for bad-input tests: dials the peer's
 * `ChaincodeSupport.Register` (src/transport), encodes/decodes frames with src/wire, and lets a
 * test send anything — well-formed or not — and observe every frame and the end of the stream.
 */
import { dialChaincodeSupport, type CloseReason, type FrameStream } from '../../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../../src/wire/index.js';
import type { Message } from '../../../src/protocol/messages.js';
import { EMPTY_BYTES } from '../../../src/protocol/messages.js';
import type { Peer } from '../../../src/peer/peer.js';
import type { InvokeResult } from '../../../src/peer/types.js';
import { waitFor } from './helpers.js';

const clients = new Set<RawClient>();

export class RawClient {
  /** Every frame received, decoded (undecodable frames as `{ malformed }`). */
  readonly received: (Message | { malformed: string })[] = [];
  closeReason: CloseReason | undefined;

  private constructor(readonly stream: FrameStream) {
    stream.onFrame((f) => {
      const r = decodeMessage(f);
      this.received.push(r.ok ? r.message : { malformed: r.malformed.reason });
    });
    void stream.closed.then((r) => {
      this.closeReason = r;
      clients.delete(this);
    });
  }

  static async dial(peer: Peer, o: { maxSendMessageLength?: number } = {}): Promise<RawClient> {
    const stream = await dialChaincodeSupport({
      address: peer.chaincodeAddress,
      dialTimeoutMs: 5000,
      ...(o.maxSendMessageLength !== undefined ? { maxSendMessageLength: o.maxSendMessageLength } : {}),
    });
    const c = new RawClient(stream);
    clients.add(c);
    return c;
  }

  send(m: Message): void {
    this.stream.send(encodeMessage(m));
  }
  sendRaw(bytes: Uint8Array): void {
    this.stream.send(bytes);
  }

  /** The received messages (not malformed ones). */
  messages(): Message[] {
    return this.received.filter((m): m is Message => 'type' in m);
  }

  /** Number of messages received so far (a cursor for `waitMessage`). */
  mark(): number {
    return this.messages().length;
  }

  /** Wait for the first message matching `pred` among those received from index `from` on. */
  async waitMessage(pred: (m: Message) => boolean, timeoutMs = 5000, what = 'a message', from = 0): Promise<Message> {
    let found: Message | undefined;
    await waitFor(
      () => {
        found = this.messages().slice(from).find(pred);
        return found !== undefined;
      },
      timeoutMs,
      `${what}; got ${JSON.stringify(this.summary())}`,
    );
    return found!;
  }

  /** The reply (RESPONSE or ERROR) to a request of transaction `txid`, from index `from` on. */
  reply(txid: string, from: number, timeoutMs = 5000): Promise<Message> {
    return this.waitMessage((m) => (m.type === 'RESPONSE' || m.type === 'ERROR') && m.txid === txid, timeoutMs, `a reply for ${txid}`, from);
  }

  async waitClosed(timeoutMs = 5000): Promise<CloseReason> {
    await waitFor(() => this.closeReason !== undefined, timeoutMs, `the stream to close; got ${JSON.stringify(this.summary())}`);
    return this.closeReason!;
  }

  /** Invocation name after `register`. */
  name = '';

  /** REGISTER as `name` and wait for REGISTERED and READY. */
  async register(name: string): Promise<void> {
    this.send({ type: 'REGISTER', txid: '', channelId: '', payload: { name, path: '', version: '' } });
    await this.waitMessage((m) => m.type === 'READY', 5000, `READY for ${name}`);
    this.name = name.split(':')[0]!;
  }

  /**
   * Start an invocation of this (registered) chaincode and wait for its TRANSACTION; the test then
   * plays the chaincode's part. `result` is the invocation's outcome.
   */
  async begin(peer: Peer, args: string[], submit: boolean): Promise<{ tx: Message; result: Promise<InvokeResult> }> {
    const from = this.mark();
    const result = peer.invoke({ chaincode: this.name, args, submit });
    const tx = await this.waitMessage((m) => m.type === 'TRANSACTION' || m.type === 'INIT', 5000, 'TRANSACTION', from);
    return { tx, result };
  }

  /** One request of transaction `tx`; resolves with the reply. */
  async request(tx: Message, m: Message): Promise<Message> {
    const from = this.mark();
    this.send({ ...m, txid: tx.txid, channelId: tx.channelId } as Message);
    return this.reply(tx.txid, from);
  }

  /** Finish transaction `tx` with COMPLETED. */
  complete(tx: Message, status = 200, payload: Uint8Array = EMPTY_BYTES, message = ''): void {
    this.send({ type: 'COMPLETED', txid: tx.txid, channelId: tx.channelId, payload: { status, message, payload } });
  }

  /** A query through this chaincode: GET_STATE of `key` in its namespace, answered as COMPLETED. */
  async get(peer: Peer, key: string): Promise<string> {
    const { tx, result } = await this.begin(peer, ['get', key], false);
    const r = await this.request(tx, { type: 'GET_STATE', txid: '', channelId: '', payload: { key, collection: '' } });
    if (r.type !== 'RESPONSE') throw new Error(`GET_STATE refused: ${JSON.stringify(this.summary())}`);
    this.complete(tx, 200, r.payload);
    const res = await result;
    if (res.status !== 200) throw new Error(`query failed: ${res.status} ${res.message}`);
    return Buffer.from(res.payload).toString('utf8');
  }

  /** A committed write through this chaincode. */
  async put(peer: Peer, key: string, value: string): Promise<InvokeResult> {
    const { tx, result } = await this.begin(peer, ['put', key], true);
    const r = await this.request(tx, { type: 'PUT_STATE', txid: '', channelId: '', payload: { key, value: Buffer.from(value), collection: '' } });
    if (r.type !== 'RESPONSE') throw new Error(`PUT_STATE refused: ${JSON.stringify(this.summary())}`);
    this.complete(tx);
    return result;
  }

  /** Types (and ERROR texts) received so far, for assertions and diagnostics. */
  summary(): string[] {
    return this.received.map((m) => ('malformed' in m ? `malformed: ${m.malformed}` : m.type === 'ERROR' ? `ERROR ${errText(m.payload)}` : m.type));
  }

  close(): void {
    this.stream.close('test done');
  }
}

/** The text of an ERROR payload (any other payload as JSON, for diagnostics). */
export const errText = (payload: unknown): string => (payload instanceof Uint8Array ? Buffer.from(payload).toString('utf8') : JSON.stringify(payload));

export function closeRawClients(): void {
  for (const c of clients) c.close();
  clients.clear();
}

export const ERROR = (txid: string, channelId: string, text: string): Message => ({ type: 'ERROR', txid, channelId, payload: Buffer.from(text) });
export const NO_PAYLOAD = EMPTY_BYTES;
