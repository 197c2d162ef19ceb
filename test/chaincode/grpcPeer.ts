/**
 * A small test peer over real gRPC, built only from the transport, the peer drive loop and the
 * in-memory ledger (not a test file itself).
 */
import { PeerConnection, type ExecuteResult } from '../../src/drive/peerConnection.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import type { ChaincodeAdditionalParams, Message, SignedProposal } from '../../src/protocol/messages.js';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import type { ServeResult } from '../../src/drive/peerConnection.js';
import { listenChaincodeSupport, type FrameListenerHandle, type FrameStream, type ServerTlsOptions, type StreamInfo } from '../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../src/wire/index.js';
import { bytes, makeProposal } from './helpers.js';

export interface PeerOptions {
  ledger?: StandInLedger;
  readyParams?: ChaincodeAdditionalParams;
  keepaliveMs?: number;
  serve?: (r: RequestMessage) => ServeResult | Promise<ServeResult>;
}

export class TestPeer {
  readonly connection: PeerConnection;
  readonly ready: Promise<string>;
  readonly closed: Promise<void>;
  readonly received: Message[] = [];
  private n = 0;

  constructor(
    readonly stream: FrameStream,
    readonly ledger: StandInLedger,
    options: PeerOptions = {},
    readonly info?: StreamInfo,
  ) {
    let onReady!: (name: string) => void;
    this.ready = new Promise((r) => (onReady = r));
    this.connection = new PeerConnection(
      {
        send: (m) => {
          if (!stream.send(encodeMessage(m))) throw new Error('stream closed');
        },
        close: (reason) => stream.close(reason),
        register: () => ({ accepted: true }),
        serve: options.serve ?? ((r) => ledger.serve(r)),
        onReady,
      },
      { core: { readyParams: options.readyParams, keepaliveMs: options.keepaliveMs ?? 0 }, executeTimeoutMs: 10_000 },
    );
    stream.onFrame((f) => {
      const r = decodeMessage(f);
      if (r.ok) {
        this.received.push(r.message);
        this.connection.receive(r.message);
      } else this.connection.receiveMalformed(r.malformed);
    });
    this.closed = stream.closed.then((reason) => {
      this.connection.transportClosed(reason.kind);
    });
  }

  /** Runs one transaction; args as strings. */
  invoke(args: string[], opts: { txid?: string; proposal?: SignedProposal; init?: boolean } = {}): Promise<ExecuteResult> {
    const txid = opts.txid ?? `grpc-tx-${++this.n}`;
    return this.connection.execute({
      channelId: 'mychannel',
      txid,
      txType: opts.init ? 'INIT' : 'TRANSACTION',
      input: { args: args.map(bytes), decorations: {}, isInit: !!opts.init },
      proposal: opts.proposal ?? makeProposal({ txId: txid }),
    });
  }
}

/** The peer's chaincode listener (Register), one TestPeer per stream. */
export async function listenPeer(options: PeerOptions & { tls?: ServerTlsOptions } = {}): Promise<{
  listener: FrameListenerHandle;
  peers: TestPeer[];
  /** The i-th stream's peer, once it arrives. */
  peerAt(i: number): Promise<TestPeer>;
}> {
  const peers: TestPeer[] = [];
  const waiting: Array<{ i: number; resolve: (p: TestPeer) => void }> = [];
  const ledger = options.ledger ?? new StandInLedger();
  const listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0, ...(options.tls ? { tls: options.tls } : {}) }, (stream, info) => {
    peers.push(new TestPeer(stream, ledger, options, info));
    for (const w of waiting.splice(0)) {
      const p = peers[w.i];
      if (p) w.resolve(p);
      else waiting.push(w);
    }
  });
  return {
    listener,
    peers,
    peerAt: (i) => {
      const p = peers[i];
      return p ? Promise.resolve(p) : new Promise((resolve) => waiting.push({ i, resolve }));
    },
  };
}
