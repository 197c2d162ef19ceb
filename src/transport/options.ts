/**
 * Option types and Fabric-derived defaults for the transports.
 *
 * Every default below cites the Fabric source it copies (see also docs/protocol.md §2.3, §2.4 and §3).
 */
import type { ChannelOptions } from '@grpc/grpc-js';

/** 100 MiB. fabric internal/pkg/comm/config.go `DefaultMaxRecvMsgSize` / `DefaultMaxSendMsgSize`
 *  (= `peer.maxRecvMsgSize` / `peer.maxSendMsgSize` defaults, core/peer/config.go); fabric-chaincode-go
 *  shim/internal/client.go `maxRecvMessageSize` / `maxSendMessageSize`. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 104_857_600;

/** Message size limits in bytes of one frame (the marshalled ChaincodeMessage). -1 = unlimited
 *  (what the Node shim uses, lib/cmds/startCommand.js). */
export interface MessageLimits extends FlowLimits {
  /** Largest frame accepted from the remote side. Default 100 MiB. */
  readonly maxReceiveMessageLength?: number;
  /** Largest frame this side may send; a larger `send()` closes the stream with RESOURCE_EXHAUSTED.
   *  Default 100 MiB. */
  readonly maxSendMessageLength?: number;
}

/**
 * Bounds on what one stream holds for sending (docs/decisions/0006-stream-backpressure.md).
 *
 * Unsent bytes are the frames `send()` accepted that the transport has not taken yet: our own queue
 * plus the call's write buffer (the server's write window, writeWindow.ts, is on top of this).
 * Past the high-water mark the stream stops reading from the remote side, so that HTTP/2 flow
 * control slows a sender that floods us with requests while not reading our replies; it reads again
 * once half of that is sent. Past the hard cap the stream is closed with RESOURCE_EXHAUSTED. A stream
 * that has stopped reading and has not sent a byte for the stall timeout is closed the same way: a
 * remote side that neither reads nor lets us read would otherwise hold the stream forever.
 */
export interface FlowLimits {
  /** Unsent bytes at which the stream stops reading. Default 4 MiB. */
  readonly sendHighWaterBytes?: number;
  /** Unsent bytes past which the stream is closed with RESOURCE_EXHAUSTED (checked before each frame,
   *  so one frame of any allowed size is always accepted). Default 64 MiB. */
  readonly sendMaxQueuedBytes?: number;
  /** Close a stream that stopped reading and sent nothing for this long. 0 = never. Default 60 s. */
  readonly sendStallTimeoutMs?: number;
}

export const DEFAULT_SEND_HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const DEFAULT_SEND_MAX_QUEUED_BYTES = 64 * 1024 * 1024;
export const DEFAULT_SEND_STALL_TIMEOUT_MS = 60_000;

/** Resolved limits (all present). */
export interface ResolvedLimits {
  readonly maxReceiveMessageLength: number;
  readonly maxSendMessageLength: number;
  readonly sendHighWaterBytes: number;
  readonly sendMaxQueuedBytes: number;
  readonly sendStallTimeoutMs: number;
}

/** PEM material may be given as text or bytes. */
export type Pem = string | Uint8Array;

/**
 * HTTP/2 keepalive of a gRPC *server* (not the protocol's KEEPALIVE message).
 *
 * grpc-js 1.14 limitation: its server implements server-initiated pings (`grpc.keepalive_time_ms`,
 * `grpc.keepalive_timeout_ms`) but has no keepalive *enforcement policy* (it answers every client
 * PING and never sends GOAWAY "too_many_pings") and no connection/handshake timeout option. The
 * `minClientPingIntervalMs`, `permitWithoutCalls` and `connectionTimeoutMs` fields are therefore
 * carried (so callers can state Fabric's values and read them back) but are NOT enforced. Our
 * listeners are thus more permissive than a Go peer, never stricter.
 */
export interface ServerKeepaliveOptions {
  /** Server-initiated PING interval (grpc.keepalive_time_ms). */
  readonly pingIntervalMs?: number;
  /** Close the connection if a PING is not acknowledged within this time (grpc.keepalive_timeout_ms). */
  readonly pingTimeoutMs?: number;
  /** Fabric's enforcement MinTime. Not enforced by grpc-js (see above). */
  readonly minClientPingIntervalMs?: number;
  /** Fabric's enforcement PermitWithoutStream. Not enforced by grpc-js (see above). */
  readonly permitWithoutCalls?: boolean;
  /** Fabric's grpc.ConnectionTimeout (handshake deadline). Not enforced by grpc-js (see above). */
  readonly connectionTimeoutMs?: number;
}

/** HTTP/2 keepalive of a gRPC *client*. */
export interface ClientKeepaliveOptions {
  /** Client PING interval (grpc.keepalive_time_ms). Must not be below the server's enforced minimum
   *  (1 min on a Fabric peer) or a Go server closes the connection with "too_many_pings". */
  readonly pingIntervalMs?: number;
  /** PING ack timeout (grpc.keepalive_timeout_ms). */
  readonly pingTimeoutMs?: number;
  /** Send PINGs even with no active call (grpc.keepalive_permit_without_calls). */
  readonly permitWithoutCalls?: boolean;
}

const MINUTE = 60_000;
const SECOND = 1_000;

/**
 * The peer's chaincode listener: fabric internal/peer/node/start.go `createChaincodeServer`
 * ("Chaincode keepalive options - static for now"): ServerInterval 2 h, ServerTimeout 20 s,
 * ServerMinInterval 1 min (turned into EnforcementPolicy{MinTime: 1 min, PermitWithoutStream: true}
 * by internal/pkg/comm/config.go `ServerKeepaliveOptions`); connection timeout
 * internal/pkg/comm/config.go `DefaultConnectionTimeout` = 5 s.
 */
export const PEER_LISTENER_KEEPALIVE: Required<ServerKeepaliveOptions> = Object.freeze({
  pingIntervalMs: 2 * 60 * MINUTE,
  pingTimeoutMs: 20 * SECOND,
  minClientPingIntervalMs: MINUTE,
  permitWithoutCalls: true,
  connectionTimeoutMs: 5 * SECOND,
});

/**
 * The chaincode's CCaaS server: fabric-chaincode-go shim/internal/server.go `NewServer` — default
 * keepalive.ServerParameters{Time: 1 min, Timeout: 20 s} when ChaincodeServer.KaOpts is nil;
 * EnforcementPolicy{MinTime: serverMinInterval = 1 min, PermitWithoutStream: true};
 * grpc.ConnectionTimeout(connectionTimeout = 5 s).
 */
export const CHAINCODE_SERVER_KEEPALIVE: Required<ServerKeepaliveOptions> = Object.freeze({
  pingIntervalMs: MINUTE,
  pingTimeoutMs: 20 * SECOND,
  minClientPingIntervalMs: MINUTE,
  permitWithoutCalls: true,
  connectionTimeoutMs: 5 * SECOND,
});

/**
 * The peer dialling a CCaaS chaincode: core/container/externalbuilder/instance.go builds a
 * comm.ClientConfig with `KaOpts: comm.DefaultKeepaliveOptions` (internal/pkg/comm/config.go:
 * ClientInterval 1 min, ClientTimeout 20 s; grpc-go ClientParameters{PermitWithoutStream: true} in
 * `ClientKeepaliveOptions`).
 */
export const PEER_CLIENT_KEEPALIVE: Required<ClientKeepaliveOptions> = Object.freeze({
  pingIntervalMs: MINUTE,
  pingTimeoutMs: 20 * SECOND,
  permitWithoutCalls: true,
});

/**
 * The chaincode dialling the peer: fabric-chaincode-go shim/internal/config.go `LoadConfig` —
 * keepalive.ClientParameters{Time: 1 min, Timeout: 20 s, PermitWithoutStream: true}
 * ("hardcode to match chaincode server"). (The Node shim uses 110 s / 20 s instead.)
 */
export const SHIM_CLIENT_KEEPALIVE: Required<ClientKeepaliveOptions> = Object.freeze({
  pingIntervalMs: MINUTE,
  pingTimeoutMs: 20 * SECOND,
  permitWithoutCalls: true,
});

/** Peer → CCaaS dial timeout: core/container/externalbuilder/instance.go, connection.json
 *  `dial_timeout` default 3 s. */
export const DEFAULT_CCAAS_DIAL_TIMEOUT_MS = 3_000;

/** Shim → peer dial timeout: fabric-chaincode-go shim/internal/client.go `dialTimeout` = 10 s. */
export const DEFAULT_SHIM_DIAL_TIMEOUT_MS = 10_000;

export function resolveLimits(top: MessageLimits, nested?: MessageLimits): ResolvedLimits {
  const pick = (a: number | undefined, b: number | undefined): number => {
    const v = a ?? b ?? DEFAULT_MAX_MESSAGE_LENGTH;
    if (!Number.isInteger(v) || v < -1) {
      throw new RangeError(`message length limit must be an integer >= -1 (got ${String(v)})`);
    }
    return v;
  };
  const flow = (name: keyof FlowLimits, fallback: number, min: number): number => {
    const v = top[name] ?? nested?.[name] ?? fallback;
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min} (got ${String(v)})`);
    return v;
  };
  const sendHighWaterBytes = flow('sendHighWaterBytes', DEFAULT_SEND_HIGH_WATER_BYTES, 1);
  const sendMaxQueuedBytes = flow('sendMaxQueuedBytes', DEFAULT_SEND_MAX_QUEUED_BYTES, 1);
  if (sendMaxQueuedBytes < sendHighWaterBytes) {
    throw new RangeError(`sendMaxQueuedBytes (${sendMaxQueuedBytes}) must not be below sendHighWaterBytes (${sendHighWaterBytes})`);
  }
  return {
    maxReceiveMessageLength: pick(top.maxReceiveMessageLength, nested?.maxReceiveMessageLength),
    maxSendMessageLength: pick(top.maxSendMessageLength, nested?.maxSendMessageLength),
    sendHighWaterBytes,
    sendMaxQueuedBytes,
    sendStallTimeoutMs: flow('sendStallTimeoutMs', DEFAULT_SEND_STALL_TIMEOUT_MS, 0),
  };
}

/** Channel options common to our servers and clients. */
export function baseChannelOptions(limits: ResolvedLimits): ChannelOptions {
  return {
    'grpc.max_receive_message_length': limits.maxReceiveMessageLength,
    'grpc.max_send_message_length': limits.maxSendMessageLength,
    // Note: channelz stays enabled (grpc-js default). In grpc-js 1.14 `Server#forceShutdown` only
    // destroys the HTTP/2 sessions it tracks for channelz, so with 'grpc.enable_channelz': 0 open
    // connections would survive a listener close.
  };
}

export function serverKeepaliveChannelOptions(ka: Required<ServerKeepaliveOptions>): ChannelOptions {
  return {
    'grpc.keepalive_time_ms': ka.pingIntervalMs,
    'grpc.keepalive_timeout_ms': ka.pingTimeoutMs,
  };
}

export function clientKeepaliveChannelOptions(ka: Required<ClientKeepaliveOptions>): ChannelOptions {
  return {
    'grpc.keepalive_time_ms': ka.pingIntervalMs,
    'grpc.keepalive_timeout_ms': ka.pingTimeoutMs,
    'grpc.keepalive_permit_without_calls': ka.permitWithoutCalls ? 1 : 0,
  };
}

export function pemBuffer(pem: Pem): Buffer {
  return typeof pem === 'string' ? Buffer.from(pem, 'utf8') : Buffer.from(pem);
}
