/**
 * Writing to and ending server streams: backpressure (wait for 'drain' when grpc-js buffers), a
 * cancellation flag, and ending with a gRPC status carrying the Gateway's error shape.
 */
import { once } from 'node:events';
import type { ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js';
import type { GatewayFailure } from '../peer/gateway/result.js';
import { rpcError } from './rpcError.js';

type AnyStream = ServerWritableStream<Buffer, Buffer> | ServerDuplexStream<Buffer, Buffer>;

export class StreamControl {
  cancelled = false;
  private readonly cancels = new Set<() => void>();

  constructor(private readonly call: AnyStream) {
    call.on('cancelled', () => this.cancel());
    call.on('close', () => this.cancel());
  }

  private cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const c of this.cancels) c();
    this.cancels.clear();
  }

  /** Registers a wait that a cancelled call ends (for ChannelLedger.waitForBlock). */
  readonly onWait = (cancel: () => void): void => {
    if (this.cancelled) cancel();
    else this.cancels.add(cancel);
  };

  async write(bytes: Uint8Array): Promise<void> {
    if (this.cancelled) return;
    if (!this.call.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
      await Promise.race([once(this.call, 'drain'), new Promise<void>((resolve) => this.onWait(resolve))]);
    }
  }

  fail(f: Omit<GatewayFailure, 'ok'>): void {
    if (this.cancelled) return;
    this.call.emit('error', rpcError(f));
  }

  end(): void {
    if (!this.cancelled) this.call.end();
  }
}
