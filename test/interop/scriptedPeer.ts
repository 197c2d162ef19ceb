/**
 * A scripted peer for differential tests: it accepts one chaincode on ChaincodeSupport.Register,
 * completes the handshake, then plays a fixed list of transactions one after another, answering
 * every request from a fresh StandInLedger (deterministic: same requests, same answers, same
 * iterator ids), and records every message the chaincode sends.
 */
import { listenChaincodeSupport, type FrameListenerHandle, type FrameStream } from '../../src/transport/index.js';
import { decodeMessage, encodeMessage } from '../../src/wire/index.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import { isRequestType } from '../../src/protocol/messageType.js';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import { EMPTY_BYTES, type ChaincodeAdditionalParams, type Message, type SignedProposal } from '../../src/protocol/messages.js';
import { requestFailedText, errorMessage } from '../../src/protocol/wireError.js';

export interface ScriptedTx {
  txid: string;
  type?: 'INIT' | 'TRANSACTION';
  args: string[];
}

export interface ScriptRun {
  /** Every message the chaincode sent, in order. */
  received: Message[];
  /** Set when the chaincode broke the session (closed early, timed out). */
  problem?: string;
}

export async function startScriptedPeer(o: {
  script: ScriptedTx[];
  channel?: string;
  readyParams?: ChaincodeAdditionalParams;
  proposal: SignedProposal;
  txTimeoutMs?: number;
}): Promise<{ address: string; run: Promise<ScriptRun>; close(): Promise<void> }> {
  let done!: (r: ScriptRun) => void;
  const run = new Promise<ScriptRun>((r) => (done = r));
  const channel = o.channel ?? 'mychannel';
  const ledger = new StandInLedger();
  const received: Message[] = [];
  let listener: FrameListenerHandle | undefined;

  const onStream = (stream: FrameStream) => {
    let index = -1;
    let timer: NodeJS.Timeout | undefined;
    const send = (m: Message) => stream.send(encodeMessage(m));
    const finish = (problem?: string) => {
      clearTimeout(timer);
      done(problem ? { received, problem } : { received });
      stream.close();
    };
    const next = () => {
      clearTimeout(timer);
      index++;
      const tx = o.script[index];
      if (!tx) return finish();
      timer = setTimeout(() => finish(`transaction ${tx.txid} got no answer`), o.txTimeoutMs ?? 10_000);
      send({
        type: tx.type ?? 'TRANSACTION',
        txid: tx.txid,
        channelId: channel,
        payload: { args: tx.args.map((a) => Buffer.from(a)), decorations: {}, isInit: tx.type === 'INIT' },
        proposal: o.proposal,
      });
    };
    stream.onFrame((frame) => {
      const r = decodeMessage(frame);
      if (!r.ok) return finish(`malformed frame: ${r.malformed.reason}`);
      const m = r.message;
      received.push(m);
      if (m.type === 'REGISTER') {
        send({ type: 'REGISTERED', txid: '', channelId: '', payload: EMPTY_BYTES });
        send({ type: 'READY', txid: '', channelId: '', payload: o.readyParams ?? { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 } });
        return next();
      }
      if (m.type === 'COMPLETED' || m.type === 'ERROR') return next();
      if (isRequestType(m.type)) {
        const res = ledger.serve(m as RequestMessage);
        send(res.ok ? { type: 'RESPONSE', txid: m.txid, channelId: m.channelId, payload: res.payload } : errorMessage(m.channelId, m.txid, requestFailedText(m.type, m.txid, res.cause)));
      }
    });
    stream.onClose(() => finish(index < o.script.length ? 'stream closed before the script ended' : undefined));
  };
  listener = await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, onStream);
  return {
    address: `127.0.0.1:${listener.port}`,
    run,
    close: async () => void (await listener?.close()),
  };
}
