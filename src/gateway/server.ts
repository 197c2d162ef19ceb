/**
 * The peer's client endpoint (what Fabric serves on 7051): gateway.Gateway, protos.Deliver and
 * protos.Endorser on one gRPC server, TLS by default. Requests are decoded with our codecs and
 * answered by the peer's Gateway logic (src/peer/gateway/service.ts); failures carry the real
 * peer's gRPC status, message and ErrorDetails in the `grpc-status-details-bin` trailer.
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Peer } from '../peer/peer.js';
import type { GatewayFailure } from '../peer/gateway/result.js';
import { Code } from '../peer/gateway/result.js';
import {
  decodeEndorseRequest,
  decodeEvaluateRequest,
  decodeSignedCommitStatusRequest,
  decodeSignedProposal,
  decodeSubmitRequest,
  encodeCommitStatusResponse,
  encodeEndorseResponse,
  encodeEvaluateResponse,
  encodeProposalResponse,
  encodeSubmitResponse,
} from '../wire/index.js';
import { rpcError } from './rpcError.js';
import { DeliverService, EndorserService, GatewayService } from './services.js';
import { serveChaincodeEvents } from './chaincodeEvents.js';
import { serveDeliver, type DeliverKind } from './deliver.js';

export interface GatewayServerOptions {
  peer: Peer;
  host: string;
  port: number;
  /** Server certificate and key (PEM); plaintext when absent. */
  tls?: { certPem: string; keyPem: string };
  maxReceiveMessageLength?: number;
  maxSendMessageLength?: number;
}

export interface GatewayServer {
  readonly host: string;
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

type Unary = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Uint8Array>) => void;

/** A unary handler: decode, answer, and turn every failure (and any bug) into a gRPC status. */
function unary(run: (request: Buffer, call: ServerUnaryCall<Buffer, Buffer>) => Promise<{ ok: true; bytes: Uint8Array } | GatewayFailure>): Unary {
  return (call, callback) => {
    run(call.request, call).then(
      (r) => (r.ok ? callback(null, r.bytes) : callback(rpcError(r))),
      (err: unknown) => callback(rpcError({ code: Code.UNKNOWN, message: `internal error: ${(err as Error)?.message ?? String(err)}`, details: [] })),
    );
  };
}

const invalid = (message: string): GatewayFailure => ({ ok: false, code: Code.INVALID_ARGUMENT, message, details: [] });

export async function startGatewayServer(o: GatewayServerOptions): Promise<GatewayServer> {
  const gateway = o.peer.gateway;
  const network = o.peer.network;
  if (!gateway || !network) throw new Error('the Gateway needs a peer started with organisations (PeerOptions.network)');
  const server = new Server({
    // Refuse a port another process already serves (grpc-js would share it with SO_REUSEPORT).
    'grpc.so_reuseport': 0,
    'grpc.max_receive_message_length': o.maxReceiveMessageLength ?? 100 * 1024 * 1024,
    'grpc.max_send_message_length': o.maxSendMessageLength ?? 100 * 1024 * 1024,
  });

  server.addService(GatewayService, {
    Evaluate: unary(async (bytes) => {
      const req = decodeEvaluateRequest(bytes);
      if (!req.ok) return invalid(`invalid evaluate request: ${req.reason}`);
      const r = await gateway.evaluate(req.value.proposedTransaction, req.value.targetOrganizations);
      return r.ok ? { ok: true, bytes: encodeEvaluateResponse({ result: r.result }) } : r;
    }),
    Endorse: unary(async (bytes) => {
      const req = decodeEndorseRequest(bytes);
      if (!req.ok) return invalid(`invalid endorse request: ${req.reason}`);
      const r = await gateway.endorse(req.value.proposedTransaction, req.value.endorsingOrganizations);
      return r.ok ? { ok: true, bytes: encodeEndorseResponse({ preparedTransaction: r.prepared.envelope }) } : r;
    }),
    Submit: unary(async (bytes) => {
      const req = decodeSubmitRequest(bytes);
      if (!req.ok) return invalid(`invalid submit request: ${req.reason}`);
      const r = await gateway.submit(req.value.channelId, req.value.preparedTransaction);
      return r.ok ? { ok: true, bytes: encodeSubmitResponse({}) } : r;
    }),
    CommitStatus: unary(async (bytes, call) => {
      const req = decodeSignedCommitStatusRequest(bytes);
      if (!req.ok) return invalid(`invalid status request: ${req.reason}`);
      const r = await gateway.commitStatus(req.value, (cancel) => call.on('cancelled', cancel));
      return r.ok ? { ok: true, bytes: encodeCommitStatusResponse({ result: r.result, blockNumber: r.blockNumber }) } : r;
    }),
    ChaincodeEvents: (call: ServerWritableStream<Buffer, Buffer>) => serveChaincodeEvents(call, o.peer),
  });

  const deliver = (kind: DeliverKind) => (call: ServerDuplexStream<Buffer, Buffer>) => serveDeliver(call, o.peer, kind);
  server.addService(DeliverService, { Deliver: deliver('block'), DeliverFiltered: deliver('filtered'), DeliverWithPrivateData: deliver('private') });

  server.addService(EndorserService, {
    // endorser.go ProcessProposal, as the gateway's own organisation: an error it returns becomes the
    // gRPC status; otherwise the ProposalResponse, successful or not.
    ProcessProposal: unary(async (bytes) => {
      const sp = decodeSignedProposal(bytes);
      if (!sp.ok) return { ok: false, code: Code.UNKNOWN, message: `error unmarshalling SignedProposal: ${sp.reason}`, details: [] };
      const signer = network.local.signer ?? network.orgs.find((org) => org.signer)?.signer;
      if (!signer) return { ok: false, code: Code.UNAVAILABLE, message: 'no declared organisation can endorse on this peer', details: [] };
      const r = await o.peer.endorser!.processProposal(sp.value, signer);
      if (r.kind === 'rejected') {
        if (r.rpcError) return { ok: false, code: Code.UNKNOWN, message: r.message, details: [] };
        const response = { status: 500, message: r.message, payload: new Uint8Array(0) };
        return { ok: true, bytes: encodeProposalResponse({ version: 0, timestamp: undefined, response, payload: new Uint8Array(0), endorsement: undefined, interest: undefined }) };
      }
      return { ok: true, bytes: encodeProposalResponse(r.proposalResponse) };
    }),
  });

  const credentials = o.tls ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(o.tls.keyPem), cert_chain: Buffer.from(o.tls.certPem) }], false) : ServerCredentials.createInsecure();
  const target = o.host.includes(':') ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(target, credentials, (err, p) => (err ? reject(err) : resolve(p))));
  return {
    host: o.host,
    port,
    address: `${o.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

