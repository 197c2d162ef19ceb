/**
 * A minimal standard gRPC health service (`grpc.health.v1.Health`, grpc/grpc doc/health-checking.md),
 * hand-encoded so that no .proto or extra package is needed.
 *
 * Why: the peer's chaincode listener serves it (fabric internal/peer/node/start.go
 * `createChaincodeServer` sets `HealthCheckEnabled = true`; internal/pkg/comm/server.go registers
 * grpc-go's `health.NewServer()` and, in `Start`, marks every registered service and "" SERVING).
 * Semantics copied from grpc-go's health server: `Check` of an unknown service fails with NOT_FOUND
 * "unknown service"; `Watch` of an unknown service reports SERVICE_UNKNOWN and stays open.
 *
 *   message HealthCheckRequest  { string service = 1; }
 *   message HealthCheckResponse { ServingStatus status = 1; }   // UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
 */
import { status as Status } from '@grpc/grpc-js';
import type {
  MethodDefinition,
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';

export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
export type ServingStatus = (typeof ServingStatus)[keyof typeof ServingStatus];

const passThrough = (b: Buffer): Buffer => b;

function method(name: string, responseStream: boolean): MethodDefinition<Buffer, Buffer> {
  return {
    path: `/${HEALTH_SERVICE_NAME}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: name.toLowerCase(),
  };
}

export const HealthService = {
  Check: method('Check', false),
  Watch: method('Watch', true),
} satisfies ServiceDefinition;

/** Encode `HealthCheckResponse{status}` (field 1, varint). */
export function encodeHealthCheckResponse(status: ServingStatus): Buffer {
  return status === 0 ? Buffer.alloc(0) : Buffer.from([0x08, status]);
}

/** Encode `HealthCheckRequest{service}`. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  if (name.length === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x0a]), encodeVarint(name.length), name]);
}

/** Decode `HealthCheckResponse.status`. */
export function decodeHealthCheckResponse(bytes: Uint8Array): number {
  let status = 0;
  walkFields(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === 0 && typeof value === 'number') status = value;
  });
  return status;
}

/** Decode `HealthCheckRequest.service`; throws on malformed input. */
export function decodeHealthCheckRequest(bytes: Uint8Array): string {
  let service = '';
  walkFields(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === 2 && value instanceof Uint8Array) {
      service = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
    }
  });
  return service;
}

function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function walkFields(
  bytes: Uint8Array,
  visit: (field: number, wireType: number, value: number | Uint8Array | undefined) => void,
): void {
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const b = bytes[pos++] as number;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    switch (wireType) {
      case 0:
        visit(field, wireType, readVarint());
        break;
      case 1:
        pos += 8;
        visit(field, wireType, undefined);
        break;
      case 2: {
        const len = readVarint();
        if (pos + len > bytes.length) throw new Error('truncated length-delimited field');
        visit(field, wireType, bytes.subarray(pos, pos + len));
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        visit(field, wireType, undefined);
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
    if (pos > bytes.length) throw new Error('truncated field');
  }
}

/** Handlers for a server on which every service in `servingServices` (plus "") is SERVING. */
export function healthImplementation(servingServices: readonly string[]): UntypedServiceImplementation {
  const serving = new Set<string>(['', HEALTH_SERVICE_NAME, ...servingServices]);
  const lookup = (service: string): ServingStatus =>
    serving.has(service) ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN;
  return {
    Check(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
      let service: string;
      try {
        service = decodeHealthCheckRequest(call.request);
      } catch (err) {
        callback({ code: Status.INVALID_ARGUMENT, details: `malformed HealthCheckRequest: ${(err as Error).message}` });
        return;
      }
      const status = lookup(service);
      if (status === ServingStatus.SERVICE_UNKNOWN) {
        callback({ code: Status.NOT_FOUND, details: 'unknown service' });
        return;
      }
      callback(null, encodeHealthCheckResponse(status));
    },
    Watch(call: ServerWritableStream<Buffer, Buffer>): void {
      call.on('error', () => {
        /* cancelled by the client or the listener shutting down: nothing to do */
      });
      let service: string;
      try {
        service = decodeHealthCheckRequest(call.request);
      } catch (err) {
        call.emit('error', {
          code: Status.INVALID_ARGUMENT,
          details: `malformed HealthCheckRequest: ${(err as Error).message}`,
        });
        return;
      }
      // Status never changes while the listener is up; the stream stays open until the client
      // cancels or the listener closes.
      call.write(encodeHealthCheckResponse(lookup(service)));
    },
  };
}
