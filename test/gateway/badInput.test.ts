/**
 * Bad input at the client endpoint gets Fabric's answer and commits nothing: malformed requests
 * and envelopes, an unknown channel or chaincode, a proposal from an undeclared MSP, a replayed
 * txid, Deliver requests for a block not yet there (waits) and seeks that name no block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { GatewayError, type Contract } from '@hyperledger/fabric-gateway';
import { buildSignedProposal } from '../../src/peer/proposal.js';
import { devUser } from '../../src/identity/index.js';
import * as wire from '../../src/wire/index.js';
import { viewBlock } from '../../src/committer/blockEvents.js';
import {
  decodeDeliverResponse,
  decodeProposalResponse,
  encodeChannelHeader,
  encodeCommonPayload,
  encodeEnvelope,
  encodeEvaluateRequest,
  encodeSeekInfo,
  encodeSerializedIdentity,
  encodeSignatureHeader,
  encodeSubmitRequest,
  HeaderType,
  Status,
  type SeekPosition,
} from '../../src/wire/index.js';
import { connectClient, removeTempDirs, startNetwork, userMaterial, utf8, type Client, type TestNetwork } from './helpers.js';
import { waitReady } from '../peer/e2e/helpers.js';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { signLowS } from '../../src/identity/index.js';

let net: TestNetwork;
let org1: Client;
let contract: Contract;
let raw: grpc.Client;

const pass = (b: Uint8Array): Buffer => Buffer.from(b);
function unary(path: string, body: Uint8Array): Promise<{ ok: true; bytes: Buffer } | { ok: false; code: number; details: string }> {
  return new Promise((resolve) => {
    raw.makeUnaryRequest(path, pass, (b: Buffer) => b, Buffer.from(body), (err, res) => {
      if (err) resolve({ ok: false, code: err.code ?? -1, details: err.details ?? '' });
      else resolve({ ok: true, bytes: res as Buffer });
    });
  });
}

/** A signed Deliver request for `start`..`stop` from User1 of Org1. */
function seekEnvelope(start: SeekPosition, stop: SeekPosition, behavior = 0, channel = 'mychannel'): Buffer {
  const m = userMaterial(net.cryptoDir, 'org1.example.com');
  const creator = encodeSerializedIdentity({ mspid: 'Org1MSP', idBytes: m.certPem });
  const channelHeader = encodeChannelHeader({ type: HeaderType.DELIVER_SEEK_INFO, version: 0, timestamp: undefined, channelId: channel, txId: '', epoch: 0, extension: new Uint8Array(0), tlsCertHash: new Uint8Array(0) });
  const payload = encodeCommonPayload({
    header: { channelHeader, signatureHeader: encodeSignatureHeader({ creator, nonce: randomBytes(24) }) },
    data: encodeSeekInfo({ start, stop, behavior, errorResponse: 0, contentType: 0 }),
  });
  return Buffer.from(encodeEnvelope({ payload, signature: signLowS(createPrivateKey(m.keyPem), payload) }));
}

/** Sends one Deliver request; the responses until a status (or `timeoutMs`). */
function deliver(envelope: Buffer, timeoutMs = 5000): Promise<{ blocks: number[]; status: number | undefined }> {
  return new Promise((resolve) => {
    const call = raw.makeBidiStreamRequest('/protos.Deliver/Deliver', pass, (b: Buffer) => b);
    const blocks: number[] = [];
    const timer = setTimeout(() => {
      call.cancel();
      resolve({ blocks, status: undefined });
    }, timeoutMs);
    call.on('data', (b: Buffer) => {
      const r = decodeDeliverResponse(b);
      if (!r.ok) return;
      if (r.value.type?.case === 'block') blocks.push(r.value.type.value.header!.number);
      if (r.value.type?.case === 'status') {
        clearTimeout(timer);
        call.cancel();
        resolve({ blocks, status: r.value.type.value });
      }
    });
    call.on('error', () => {});
    call.write(envelope);
  });
}

const specified = (number: number): SeekPosition => ({ type: { case: 'specified', value: { number } } });

beforeAll(async () => {
  net = await startNetwork({ orgs: ['Org1MSP'], tls: false });
  await waitReady(net.peer, 'ledgercc', 60_000);
  org1 = connectClient(net, { tls: false });
  contract = org1.gateway.getNetwork('mychannel').getContract('ledgercc');
  raw = new grpc.Client(net.server.address, grpc.credentials.createInsecure());
}, 90_000);

afterAll(async () => {
  raw?.close();
  org1?.close();
  await net?.close();
  removeTempDirs();
});

describe('bad input at the client endpoint', () => {
  it('a request that is not protobuf: INVALID_ARGUMENT', async () => {
    const r = await unary('/gateway.Gateway/Evaluate', Buffer.from([0xff, 0xff, 0xff]));
    expect(r).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
  });

  it('a proposal that does not unpack: INVALID_ARGUMENT naming the cause', async () => {
    const r = await unary('/gateway.Gateway/Evaluate', encodeEvaluateRequest({ transactionId: 'x', channelId: 'mychannel', proposedTransaction: { proposalBytes: Buffer.from('junk'), signature: Buffer.from('sig') }, targetOrganizations: [] }));
    expect(r).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect(r.ok ? '' : r.details).toMatch(/^failed to unpack transaction proposal: /);
  });

  it('a malformed or unsigned envelope on Submit: refused, nothing ordered', async () => {
    const before = net.peer.existingChannel('mychannel');
    const height = (await before!).height;
    const unsigned = await unary('/gateway.Gateway/Submit', encodeSubmitRequest({ transactionId: 't', channelId: 'mychannel', preparedTransaction: { payload: Buffer.from('x'), signature: new Uint8Array(0) } }));
    expect(unsigned).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT, details: 'prepared transaction must be signed' });
    const garbage = await unary('/gateway.Gateway/Submit', encodeSubmitRequest({ transactionId: 't', channelId: 'mychannel', preparedTransaction: { payload: Buffer.from([0xff, 0x01]), signature: Buffer.from('sig') } }));
    expect(garbage).toMatchObject({ ok: false, code: grpc.status.ABORTED });
    expect(garbage.ok ? '' : garbage.details).toMatch(/^received unsuccessful response from orderer: status=BAD_REQUEST, info=/);
    await new Promise((r) => setTimeout(r, 100));
    expect((await before!).height).toBe(height);
  });

  it('an unknown channel and an unknown chaincode', async () => {
    const e1 = (await org1.gateway.getNetwork('nochannel').getContract('ledgercc').evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
    expect(e1.code).toBe(grpc.status.UNAVAILABLE);
    const e2 = (await org1.gateway.getNetwork('mychannel').getContract('nosuchcc').evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
    expect(e2.code).toBe(grpc.status.ABORTED);
    expect(e2.message).toBe('10 ABORTED: failed to evaluate transaction, see attached details for more info');
    expect(e2.details[0]!.message).toMatch(/^make sure the chaincode nosuchcc has been successfully defined on channel mychannel and try again/);
  });

  it('a proposal from an MSP that is not declared: access denied, creator org unknown', async () => {
    const stranger = devUser('Org9MSP', 'mallory');
    const p = await buildSignedProposal({
      identity: { mspId: 'Org9MSP', certPem: stranger.certPem, sign: (b) => stranger.sign(b) },
      channel: 'mychannel',
      chaincode: 'ledgercc',
      args: [Buffer.from('put'), Buffer.from('k'), Buffer.from('v')],
      isInit: false,
      transient: {},
    });
    const r = await unary('/protos.Endorser/ProcessProposal', wire.encodeSignedProposal(p.signedProposal));
    expect(r).toMatchObject({ ok: false, code: grpc.status.UNKNOWN, details: 'error validating proposal: access denied: channel [mychannel] creator org unknown, creator is malformed' });
  });

  it('a replayed transaction: the endorser refuses the txid, the committer would invalidate it', async () => {
    const proposal = contract.newProposal('put', { arguments: ['replay', 'v1'] });
    const tx = await proposal.endorse();
    await (await tx.submit()).getStatus();
    const again = (await proposal.endorse().catch((e: unknown) => e)) as GatewayError;
    expect(again.code).toBe(grpc.status.ABORTED);
    expect(again.details[0]!.message).toMatch(new RegExp(`^duplicate transaction found \\[${proposal.getTransactionId()}\\]`));
    // The same signed envelope submitted again is ordered, then invalidated as a duplicate; the
    // commit status of the txid stays the first one's (the txid index keeps the first use).
    const ledger = (await net.peer.existingChannel('mychannel'))!;
    const height = ledger.height;
    const second = await tx.submit();
    expect((await second.getStatus()).code).toBe(0);
    for (let i = 0; i < 200 && ledger.height === height; i++) await new Promise((r) => setTimeout(r, 10));
    const view = viewBlock((await ledger.block(height))!)!;
    expect(view.txs.map((t) => [t.txId, t.code])).toEqual([[proposal.getTransactionId(), 9]]);
    expect(utf8(await contract.evaluateTransaction('get', 'replay'))).toBe('v1');
  });

  it('Deliver: a block not yet committed is waited for; impossible seeks get BAD_REQUEST or NOT_FOUND', async () => {
    const height = (await net.peer.existingChannel('mychannel')!).height;
    const waiting = deliver(seekEnvelope(specified(height), specified(height)), 20_000);
    await new Promise((r) => setTimeout(r, 200));
    await contract.submitTransaction('put', 'wake', 'up');
    expect(await waiting).toEqual({ blocks: [height], status: Status.SUCCESS });
    expect(await deliver(seekEnvelope(specified(5), specified(2)))).toEqual({ blocks: [], status: Status.BAD_REQUEST });
    expect(await deliver(seekEnvelope(specified(height + 100), specified(height + 100), 1))).toEqual({ blocks: [], status: Status.NOT_FOUND });
    expect(await deliver(seekEnvelope(specified(0), specified(0), 0, 'nochannel'))).toEqual({ blocks: [], status: Status.NOT_FOUND });
    expect(await deliver(seekEnvelope({ type: undefined }, specified(0)))).toEqual({ blocks: [], status: Status.BAD_REQUEST });
    expect(await deliver(Buffer.from([0xff, 0xff]))).toEqual({ blocks: [], status: Status.BAD_REQUEST });
    expect(await deliver(seekEnvelope({ type: { case: 'oldest', value: {} } }, specified(1)))).toEqual({ blocks: [0, 1], status: Status.SUCCESS });
  });

  it('ProcessProposal answers a ProposalResponse with the endorsement for a good proposal', async () => {
    const m = userMaterial(net.cryptoDir, 'org1.example.com');
    const key = createPrivateKey(m.keyPem);
    const p = await buildSignedProposal({
      identity: { mspId: 'Org1MSP', certPem: m.certPem.toString(), sign: (b) => signLowS(key, b) },
      channel: 'mychannel',
      chaincode: 'ledgercc',
      args: [Buffer.from('get'), Buffer.from('wake')],
      isInit: false,
      transient: {},
    });
    const r = await unary('/protos.Endorser/ProcessProposal', wire.encodeSignedProposal(p.signedProposal));
    expect(r.ok).toBe(true);
    const pr = decodeProposalResponse((r as { bytes: Buffer }).bytes);
    expect(pr.ok && pr.value.response?.status).toBe(200);
    expect(pr.ok && utf8(pr.value.response!.payload)).toBe('up');
    expect(pr.ok && pr.value.endorsement?.signature.length).toBeGreaterThan(0);
  });
});

