/**
 * One chaincode stream on the peer: the transport stream, the drive loop around the peer core, and
 * the transactions it is serving. Frames are decoded here and fed to the core; what the core sends
 * is encoded here (one writer per stream).
 */
import { Status, type FrameStream, type CloseReason } from '../transport/index.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';
import { PeerConnection, type PeerConnectionHooks, type ServeResult } from '../drive/peerConnection.js';
import type { RequestMessage } from '../protocol/inputs.js';
import { isOwnInitiative } from '../protocol/messageType.js';
import type { ChaincodeAdditionalParams } from '../protocol/messages.js';
import { txKey, type TxKey } from '../protocol/txKey.js';
import type { TraceEvent } from './types.js';

export type ServeFn = (request: RequestMessage) => Promise<ServeResult>;

export interface EntryHooks {
  register: PeerConnectionHooks['register'];
  trace?: ((event: TraceEvent) => void) | undefined;
  onReady(): void;
  /** The stream ended; `resourceExhausted` when it was cut with RESOURCE_EXHAUSTED. */
  onClosed(reason: string, resourceExhausted: boolean): void;
  onViolation: NonNullable<PeerConnectionHooks['onViolation']>;
}

export class HandlerEntry {
  readonly conn: PeerConnection;
  /** ChaincodeID.name as registered, and the name invocations use. */
  registeredAs = '';
  name = '';
  ready = false;
  closed = false;
  /** Serving functions of the transactions running on this stream. */
  readonly contexts = new Map<TxKey, ServeFn>();

  constructor(
    readonly stream: FrameStream,
    hooks: EntryHooks,
    options: { keepaliveMs: number; readyParams: ChaincodeAdditionalParams; executeTimeoutMs: number; maxTransactionsPerStream: number },
  ) {
    this.conn = new PeerConnection(
      {
        send: (m) => void stream.send(encodeMessage(m), isOwnInitiative('peer', m.type) ? 'own' : 'reply'),
        close: (reason) => stream.close(reason),
        register: hooks.register,
        serve: (request) => {
          const serve = this.contexts.get(txKey(request.channelId, request.txid));
          return serve ? serve(request) : { ok: false, cause: 'no ledger context' };
        },
        onReady: () => {
          this.ready = true;
          hooks.onReady();
        },
        onViolation: hooks.onViolation,
        ...(hooks.trace ? { onStep: (input, effects, from, to) => this.trace(hooks.trace!, input, effects, from, to) } : {}),
      },
      {
        core: { keepaliveMs: options.keepaliveMs, readyParams: options.readyParams },
        executeTimeoutMs: options.executeTimeoutMs,
        maxTransactionsPerStream: options.maxTransactionsPerStream,
      },
    );
    stream.onFrame((frame) => {
      const r = decodeMessage(frame);
      if (r.ok) this.conn.receive(r.message);
      else this.conn.receiveMalformed(r.malformed);
    });
    stream.onClose((reason) => {
      this.closed = true;
      const text = describeClose(reason);
      this.conn.transportClosed(text);
      hooks.onClosed(text, reason.kind === 'error' && reason.code === Status.RESOURCE_EXHAUSTED);
    });
  }

  private trace(
    out: (e: TraceEvent) => void,
    input: Parameters<NonNullable<PeerConnectionHooks['onStep']>>[0],
    effects: Parameters<NonNullable<PeerConnectionHooks['onStep']>>[1],
    from: string,
    to: string,
  ): void {
    const chaincode = this.registeredAs || this.conn.chaincodeName || '(unregistered)';
    if (input.kind === 'recv') out({ kind: 'message', chaincode, direction: 'in', message: input.message });
    for (const e of effects) {
      if (e.kind === 'send') out({ kind: 'message', chaincode, direction: 'out', message: e.message });
      else if (e.kind === 'violation') out({ kind: 'violation', chaincode, violation: e.violation });
    }
    if (from !== to) out({ kind: 'state', chaincode, machine: 'peerHandler', from, to });
  }
}

export function describeClose(r: CloseReason): string {
  switch (r.kind) {
    case 'eof':
      return 'stream ended by the chaincode';
    case 'error':
      return `stream failed: ${r.codeName}: ${r.message}`;
    case 'local':
      return r.reason ? `stream closed by the peer: ${r.reason}` : 'stream closed by the peer';
  }
}
