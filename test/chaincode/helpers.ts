/** Shared helpers for the chaincode runtime tests (not a test file itself). */
import { MemoryPair } from '../../src/pair/memoryPair.js';
import type { ServeResult } from '../../src/drive/peerConnection.js';
import type { ExecuteResult } from '../../src/drive/peerConnection.js';
import type { RequestMessage } from '../../src/protocol/inputs.js';
import type { ChaincodeAdditionalParams, Message, SignedProposal, Timestamp } from '../../src/protocol/messages.js';
import { NO_ADDITIONAL_PARAMS } from '../../src/protocol/messages.js';
import { StandInLedger } from '../../src/pair/standInLedger.js';
import {
  decodeQueryMetadata,
  encodeKV,
  encodeMessage,
  encodeQueryResponse,
  encodeQueryResponseMetadata,
  encodeChaincodeInvocationSpec,
  encodeChaincodeProposalPayload,
  encodeChannelHeader,
  encodeHeader,
  encodeProposal,
  encodeSerializedIdentity,
  encodeSignatureHeader,
} from '../../src/wire/index.js';
import { runTransaction, silentLogger, success, type ChaincodeInterface, type ChaincodeStub, type Env } from '../../src/chaincode/index.js';

export const utf8 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString('utf8');
export const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

export interface ProposalSpec {
  mspid?: string;
  certPem?: string;
  nonce?: Uint8Array;
  epoch?: number;
  timestamp?: Timestamp | undefined;
  channelId?: string;
  txId?: string;
  transient?: Record<string, Uint8Array>;
  type?: number;
}

export const DEFAULT_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A SignedProposal as a Fabric client builds one (docs/protocol.md §7.3). */
export function makeProposal(spec: ProposalSpec = {}): SignedProposal {
  const creator = encodeSerializedIdentity({ mspid: spec.mspid ?? 'Org1MSP', idBytes: bytes(spec.certPem ?? DEFAULT_CERT) });
  const channelHeader = encodeChannelHeader({
    type: spec.type ?? 3,
    version: 0,
    timestamp: 'timestamp' in spec ? spec.timestamp : { seconds: 1_700_000_000, nanos: 123_456_789 },
    channelId: spec.channelId ?? 'mychannel',
    txId: spec.txId ?? 'tx1',
    epoch: spec.epoch ?? 0,
    extension: new Uint8Array(0),
    tlsCertHash: new Uint8Array(0),
  });
  const signatureHeader = encodeSignatureHeader({ creator, nonce: spec.nonce ?? bytes('nonce-0123456789') });
  const header = encodeHeader({ channelHeader, signatureHeader });
  const input = encodeChaincodeInvocationSpec({ chaincodeSpec: undefined });
  const payload = encodeChaincodeProposalPayload({ input: input.length ? input : bytes('x'), transientMap: spec.transient ?? {} });
  return { proposalBytes: encodeProposal({ header, payload, extension: new Uint8Array(0) }), signature: bytes('sig') };
}

export interface HarnessOptions {
  chaincode: ChaincodeInterface;
  serve?: (request: RequestMessage) => ServeResult | Promise<ServeResult>;
  readyParams?: ChaincodeAdditionalParams;
  env?: Env;
}

/** An in-memory peer (src/pair) running a chaincode on our runtime. */
export class Harness {
  readonly pair: MemoryPair;
  private n = 0;

  constructor(options: HarnessOptions) {
    this.pair = new MemoryPair({
      chaincode: (tx) => runTransaction(tx, options.chaincode, this.pair.chaincode, { env: options.env ?? {}, logger: silentLogger }),
      ...(options.serve ? { serve: options.serve } : {}),
      peerCore: { readyParams: options.readyParams ?? NO_ADDITIONAL_PARAMS },
      record: true,
      executeTimeoutMs: 10_000,
    });
  }

  static async start(options: HarnessOptions): Promise<Harness> {
    const h = new Harness(options);
    await h.pair.start();
    return h;
  }

  /** Runs one transaction; args as strings. */
  invoke(args: string[], opts: { txid?: string; channelId?: string; init?: boolean; proposal?: SignedProposal | null } = {}): Promise<ExecuteResult> {
    const txid = opts.txid ?? `tx${++this.n}`;
    const channelId = opts.channelId ?? 'mychannel';
    return this.pair.execute({
      channelId,
      txid,
      txType: opts.init ? 'INIT' : 'TRANSACTION',
      input: { args: args.map(bytes), decorations: {}, isInit: opts.init ?? false },
      proposal: opts.proposal === null ? undefined : (opts.proposal ?? makeProposal({ txId: txid, channelId })),
    });
  }

  /** Messages the chaincode sent (requests and final replies), without the handshake. */
  sent(): Message[] {
    return this.pair.transcript.filter((e) => e.from === 'chaincode' && e.message.type !== 'REGISTER').map((e) => e.message);
  }

  /** Types of the messages the chaincode sent for `txid`. */
  sentTypes(txid?: string): string[] {
    return this.sent()
      .filter((m) => txid === undefined || m.txid === txid)
      .map((m) => m.type);
  }

  clear(): void {
    this.pair.transcript.length = 0;
  }
}

export const ok = (payload: Uint8Array = new Uint8Array(0)): ServeResult => ({ ok: true, payload });
export const fail = (cause: string): ServeResult => ({ ok: false, cause });

/** A chaincode whose Invoke runs whatever function the test sets. */
export class Dynamic implements ChaincodeInterface {
  fn: (stub: ChaincodeStub) => unknown = () => undefined;
  Init(stub: ChaincodeStub) {
    return this.Invoke(stub);
  }
  async Invoke(stub: ChaincodeStub) {
    await this.fn(stub);
    return success();
  }
}

/**
 * Runs `fn` inside one transaction and returns what it returned (rethrowing what it threw); the
 * transaction itself then completes normally.
 */
export async function within<T>(
  h: Harness,
  dyn: Dynamic,
  fn: (stub: ChaincodeStub) => T | Promise<T>,
  opts: Parameters<Harness['invoke']>[1] & { args?: string[] } = {},
): Promise<T> {
  let out: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  dyn.fn = async (stub) => {
    try {
      out = { ok: true, value: await fn(stub) };
    } catch (error) {
      out = { ok: false, error };
    }
  };
  const r = await h.invoke(opts.args ?? ['fn'], opts);
  if (!r.ok) throw new Error(`transaction failed: ${r.message}`);
  if (!out) throw new Error('the chaincode did not run');
  if (!out.ok) throw out.error;
  return out.value;
}

/** Starts a harness around a Dynamic chaincode. */
export async function dynamicHarness(options: Omit<HarnessOptions, 'chaincode'> = {}): Promise<{ h: Harness; dyn: Dynamic }> {
  const dyn = new Dynamic();
  const h = await Harness.start({ ...options, chaincode: dyn });
  return { h, dyn };
}

/** Deep copy with every Buffer turned into a plain Uint8Array (vitest tells them apart). */
export function norm<T>(value: T): T {
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (Array.isArray(value)) return value.map(norm) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, norm(v)])) as T;
  }
  return value;
}

const EMPTY = new Uint8Array(0);

/**
 * StandInLedger plus what it lacks: paginated public ranges (bookmark = next key), naive rich queries
 * (equality selectors over JSON values), and a chaincode-to-chaincode callee that echoes its args.
 */
export function richServe(ledger: StandInLedger) {
  const keysOf = (channel: string, collection: string) =>
    [...ledger.values.keys()]
      .filter((k) => k.startsWith(`${channel}\u0000${collection}\u0000`))
      .map((k) => k.slice(channel.length + collection.length + 2))
      .sort();
  const kv = (channel: string, collection: string, k: string) => encodeKV({ namespace: 'cc', key: k, value: ledger.get(channel, k, collection)! });
  return (r: RequestMessage): ServeResult => {
    if (r.type === 'GET_STATE_BY_RANGE' && r.payload.metadata.length > 0 && r.payload.collection === '') {
      const md = decodeQueryMetadata(r.payload.metadata);
      if (!md.ok) return { ok: false, cause: md.reason };
      const from = md.value.bookmark || r.payload.startKey;
      const keys = keysOf(r.channelId, '').filter((k) => k >= from && (r.payload.endKey === '' || k < r.payload.endKey));
      const page = keys.slice(0, md.value.pageSize);
      return {
        ok: true,
        payload: encodeQueryResponse({
          results: page.map((k) => kv(r.channelId, '', k)),
          hasMore: false,
          id: 'page',
          metadata: encodeQueryResponseMetadata({ fetchedRecordsCount: page.length, bookmark: keys[page.length] ?? '' }),
        }),
      };
    }
    if (r.type === 'GET_QUERY_RESULT') {
      const selector = (JSON.parse(r.payload.query) as { selector: Record<string, unknown> }).selector;
      const hits = keysOf(r.channelId, r.payload.collection).filter((k) => {
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(utf8(ledger.get(r.channelId, k, r.payload.collection))) as Record<string, unknown>;
        } catch {
          return false; // not a JSON document: CouchDB never matches it
        }
        return typeof doc === 'object' && doc !== null && Object.entries(selector).every(([f, v]) => doc[f] === v);
      });
      const metadata = r.payload.metadata.length > 0 ? encodeQueryResponseMetadata({ fetchedRecordsCount: hits.length, bookmark: '' }) : EMPTY;
      return { ok: true, payload: encodeQueryResponse({ results: hits.map((k) => kv(r.channelId, r.payload.collection, k)), hasMore: false, id: 'rich', metadata }) };
    }
    if (r.type === 'INVOKE_CHAINCODE') {
      // A callee that echoes its arguments.
      const args = (r.payload.input?.args ?? []).map((a) => utf8(a));
      return { ok: true, payload: encodeMessage({ type: 'COMPLETED', txid: r.txid, channelId: r.channelId, payload: { status: 200, message: r.payload.chaincodeId?.name ?? '', payload: bytes(args.join(',')) } }) };
    }
    return ledger.serve(r);
  };
}
