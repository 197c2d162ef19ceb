/**
 * Child process of bench/rawGrpcEcho.ts: a raw @grpc/grpc-js server on 127.0.0.1 (ephemeral port)
 * whose one bidi method echoes every frame back on the same stream. Prints `{"port":N}` on stdout
 * once bound. Bounded: exits when its stdin closes (parent gone) or after 10 minutes.
 *
 * Deliberately uses grpc-js directly (not src/transport) with identity (de)serializers and
 * grpc-js defaults, so it is the baseline of "what one gRPC bidi stream can do".
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerDuplexStream } from '@grpc/grpc-js';

const ECHO_METHOD_PATH = '/bench.Echo/Echo'; // keep in sync with rawGrpcEcho.ts

const identity = (b: Buffer): Buffer => b;

const server = new Server();
server.addService(
  {
    Echo: {
      path: ECHO_METHOD_PATH,
      requestStream: true,
      responseStream: true,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  {
    Echo: (call: ServerDuplexStream<Buffer, Buffer>) => {
      call.on('error', () => {});
      call.on('data', (frame: Buffer) => call.write(frame));
      call.on('end', () => call.end());
    },
  },
);

const shutdown = (code: number): void => {
  server.forceShutdown();
  process.exit(code);
};
setTimeout(() => shutdown(4), 10 * 60_000).unref();
process.stdin.on('close', () => shutdown(0));
process.stdin.on('end', () => shutdown(0));
process.stdin.resume();
process.on('SIGTERM', () => shutdown(0));

server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    process.stderr.write(`bind failed: ${err.message}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
