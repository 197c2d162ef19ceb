/**
 * The peer runtime: a chaincode listener (`ChaincodeSupport.Register`), chaincode support
 * (registry, launches), the world state, development identities, and transaction execution with
 * Fabric's semantics (fabric core/endorser + core/chaincode): every invocation gets a real
 * SignedProposal from a per-MSP development CA, runs in its own simulation, and is committed only
 * when submitted and successful (status < 400). A failed, timed-out or evaluate-only transaction
 * applies nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenChaincodeSupport, Status, type FrameListenerHandle } from '../transport/index.js';
import { createTlsCa, issueServerCert, DevCa, type TlsCa } from '../identity/index.js';
import { WorldState, type Simulation } from '../ledger/index.js';
import { FABRIC_31_READY_PARAMS } from '../protocol/messages.js';
import { DEFAULT_EXECUTE_TIMEOUT_MS } from '../protocol/timers.js';
import type { ChaincodeEvent, Message, Response } from '../protocol/messages.js';
import { txKey } from '../protocol/txKey.js';
import { utf8Bytes } from '../protocol/messages.js';
import { createRequestServer, type InvokeCall, type InvokeOutcome } from './serve/index.js';
import { ChaincodeSupport } from './chaincodeSupport.js';
import { buildSignedProposal, type ProposalIdentity } from './proposal.js';
import { ProposalSigner } from './proposalSigner.js';
import type { ChaincodeInfo, ExecuteOutcome, ExecuteRequest, InvokeRequest, InvokeResult, LogRecord, PeerApi, PeerLimits, PeerOptions } from './types.js';
import { DEFAULT_MAX_TRANSACTIONS_PER_STREAM } from '../drive/peerConnection.js';
import { proposalInfo } from './proposalInfo.js';
import type { SignedProposal } from '../protocol/messages.js';
import { chaincodeNotFoundCause, errorInSimulation, invalidInvocation, notDefinedOnChannel } from './fabricTexts.js';
import { checkInvocation, executeErrorText, invokedFrom, type Invoked } from './invocation.js';
import { systemNanoClock, timestampFromNanos } from './txClock.js';
import { Network } from './network.js';
import { channelPolicySource } from './channelPolicies.js';
import type { PolicySource } from '../committer/endorsementCheck.js';
import { Endorser } from './endorser.js';
import { GatewayService } from './gateway/service.js';
import { ChannelLedger } from '../committer/channel.js';
import { DEV_BATCH_CONFIG, type BatchConfig } from '../orderer/cutter.js';
import { genesisBlock } from '../orderer/genesis.js';
import { encodeEnvelope, txValidationCodeName, TxValidationCode } from '../wire/index.js';

const MiB = 1024 * 1024;

export const DEFAULT_PEER_LIMITS: Readonly<Required<PeerLimits>> = Object.freeze({
  maxTransactionsPerChaincode: 2500,
  maxTransactionsPerStream: DEFAULT_MAX_TRANSACTIONS_PER_STREAM,
  maxChaincodeStreams: 1000,
  maxOpenIteratorsPerTransaction: 1000,
});

function resolvePeerLimits(given: PeerLimits | undefined): Required<PeerLimits> {
  const limits = { ...DEFAULT_PEER_LIMITS };
  for (const [name, value] of Object.entries(given ?? {}) as [keyof PeerLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_PEER_LIMITS)) throw new RangeError(`unknown peer limit ${name}`);
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limits.${name} must be a positive integer (got ${String(value)})`);
    limits[name] = value;
  }
  return limits;
}

/** Resolves when every promise has settled or `ms` have passed, whichever is first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled(promises), deadline]);
  clearTimeout(timer);
}

/**
 * The chaincode's answer as an invocation's result, not committed (yet). fabric
 * core/endorser/endorser.go: status >= 400 is not endorsed and its event is dropped.
 */
function chaincodeResult(txId: string, response: Response, event: ChaincodeEvent | undefined): InvokeResult {
  const success = response.status < 400;
  return {
    txId,
    status: response.status,
    message: response.message,
    payload: response.payload,
    events: success && event && event.eventName ? [{ name: event.eventName, payload: event.payload }] : [],
    committed: false,
  };
}

interface ExecuteOn {
  chaincode: string;
  channel: string;
  txId: string;
  isInit: boolean;
  args: Uint8Array[];
  signedProposal: SignedProposal;
  simulation: Simulation;
  creatorMspId: string;
}

export class Peer implements PeerApi {
  private constructor(
    private readonly options: Required<Pick<PeerOptions, 'mspId' | 'executeTimeoutMs'>> & PeerOptions,
    private readonly world: WorldState,
    private readonly support: ChaincodeSupport,
    private readonly listener: FrameListenerHandle,
    private readonly tlsCa: TlsCa | undefined,
    private readonly log: (r: LogRecord) => void,
    private readonly limits: Required<PeerLimits>,
  ) {}

  /** With PeerOptions.network: the organisations, the endorser, the Gateway and the channel ledgers. */
  private net: { network: Network; endorser: Endorser; gateway: GatewayService; batch: BatchConfig; ledgers: Map<string, Promise<ChannelLedger>> } | undefined;

  /** Invocations and executes not yet answered (what close() waits for). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Transactions in flight per chaincode name (Peer.run, nested calls included). */
  private readonly running = new Map<string, number>();
  /** Set once close() has begun. */
  private closed: Promise<void> | undefined;
  /** Chaincodes whose definition requires initialization (PeerOptions.initRequired). */
  private get initRequired(): ReadonlySet<string> {
    return (this.initRequiredNames ??= new Set(this.options.initRequired ?? []));
  }
  private initRequiredNames: Set<string> | undefined;
  /** The proposals' clock (PeerOptions.nowNanos, default the system clock in nanoseconds). */
  private nowNanos(): bigint {
    return (this.options.nowNanos ?? systemNanoClock)();
  }

  /** Runs `work` as one call close() waits for; refused once close() has begun. */
  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the peer is shutting down'));
    const p = work();
    this.inFlight.add(p);
    const done = (): void => void this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  static async start(options: PeerOptions = {}): Promise<Peer> {
    const log = options.log ?? (() => {});
    const mspId = options.mspId ?? 'Org1MSP';
    const host = options.listenHost ?? '127.0.0.1';
    const limits = resolvePeerLimits(options.limits);
    const world = await WorldState.open({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      maxOpenIterators: limits.maxOpenIteratorsPerTransaction,
    });
    for (const [cc, config] of Object.entries(options.collections ?? {})) world.defineCollections(cc, config as never);
    // fabric internal/peer/node/start.go: a fresh CA per start for the chaincode listener; the
    // server certificate names the listener host; client certificates are required.
    const tlsCa = options.tls ? createTlsCa({ commonName: 'ccproto chaincode TLS CA' }) : undefined;
    const maxReceiveMessageLength = options.maxReceiveMessageLength ?? 100 * MiB;
    const maxSendMessageLength = options.maxSendMessageLength ?? 100 * MiB;
    let address = '';
    const support = new ChaincodeSupport({
      launches: options.chaincodes ?? {},
      devMode: options.devMode ?? true,
      startupTimeoutMs: options.startupTimeoutMs ?? 60_000,
      executeTimeoutMs: options.executeTimeoutMs ?? DEFAULT_EXECUTE_TIMEOUT_MS,
      keepaliveMs: options.keepaliveMs ?? 0,
      readyParams: options.readyParams ?? FABRIC_31_READY_PARAMS,
      mspId,
      peerAddress: () => address,
      tlsCa,
      maxReceiveMessageLength,
      maxSendMessageLength,
      flow: options.flow ?? {},
      maxTransactionsPerStream: limits.maxTransactionsPerStream,
      log,
      trace: options.trace,
    });
    let listener: FrameListenerHandle;
    try {
      const server = tlsCa ? issueServerCert(tlsCa, [host, 'localhost', '127.0.0.1']) : undefined;
      listener = await listenChaincodeSupport(
        {
          host,
          port: options.listenPort ?? 7052,
          maxReceiveMessageLength,
          maxSendMessageLength,
          ...options.flow,
          ...(server && tlsCa ? { tls: { keyPem: server.keyPem, certPem: server.certPem, clientCaPem: tlsCa.certPem, requireClientCert: true } } : {}),
        },
        (stream, info) => {
          // Each stream holds a handler until it ends, registered or not.
          if (support.streamCount >= limits.maxChaincodeStreams) {
            const reason = `too many chaincode streams (limit ${limits.maxChaincodeStreams}, option maxChaincodeStreams / --max-chaincode-streams)`;
            log({ level: 'warn', msg: 'chaincode stream refused', remote: info.remoteAddress, reason });
            stream.close(reason, Status.RESOURCE_EXHAUSTED);
            return;
          }
          support.attach(stream, info.peerCertDer);
        },
      );
    } catch (err) {
      await world.close();
      throw err;
    }
    address = `${host}:${listener.port}`;
    const peer = new Peer({ ...options, mspId, executeTimeoutMs: options.executeTimeoutMs ?? DEFAULT_EXECUTE_TIMEOUT_MS }, world, support, listener, tlsCa, log, limits);
    if (options.network) {
      try {
        await peer.startNetwork(options.network);
      } catch (err) {
        await listener.close();
        await world.close();
        throw err;
      }
    }
    log({ level: 'info', msg: 'peer started', chaincodeListener: address, tls: Boolean(tlsCa), mspId, dataDir: options.dataDir ?? '(in memory)' });
    support.launchAll();
    return peer;
  }

  get chaincodeAddress(): string {
    return `${this.options.listenHost ?? '127.0.0.1'}:${this.listener.port}`;
  }
  get tlsRootCertPem(): string | undefined {
    return this.tlsCa?.certPem;
  }
  /** The world state (for embedders and tests). */
  get worldState(): WorldState {
    return this.world;
  }

  clientTlsFor(chaincodeName: string): { certPem: string; keyPem: string } | undefined {
    return this.tlsCa ? this.support.mintClientCert(chaincodeName) : undefined;
  }

  async isCommitted(channel: string, txId: string): Promise<boolean> {
    return (await this.world.committedTx(channel, txId)) !== undefined;
  }

  /** The crypto folder the peer made because none was given; removed by close(). */
  private temporaryCryptoDir: string | undefined;

  private async startNetwork(o: NonNullable<PeerOptions['network']>): Promise<void> {
    // A folder the peer made itself holds nothing anyone can use once the peer is gone (the next
    // start makes new CAs): close() removes it.
    if (o.cryptoDir === undefined) this.temporaryCryptoDir = mkdtempSync(join(tmpdir(), 'ccproto-crypto-'));
    const network = new Network({
      orgs: o.orgs ?? [this.options.mspId],
      cryptoDir: o.cryptoDir ?? (this.temporaryCryptoDir as string),
      ...(o.mspDirs ? { mspDirs: o.mspDirs } : {}),
      ...(o.policies ? { policies: o.policies } : {}),
      ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}),
    });
    const batch = { ...DEV_BATCH_CONFIG, ...o.batch };
    const ledgers = new Map<string, Promise<ChannelLedger>>();
    const endorser = new Endorser({
      msps: network.msps,
      channelExists: (ch) => ledgers.has(ch),
      isDefined: (cc) => this.isDefined(cc),
      txExists: async (ch, txId) => (await this.world.txStatus(ch, txId)) !== undefined,
      execute: (req) => this.execute(req),
      committedMetadata: async (ch, ns, key) => (await this.world.getCommitted(ch, ns, key))?.metadata,
      committedPrivateMetadata: async (ch, ns, coll, key) => (await this.world.getCommittedPrivate(ch, ns, coll, key))?.metadata,
    });
    const endpoint = o.endpoint ?? (() => '');
    const gateway = new GatewayService({
      network,
      endorser,
      channel: async (name) => (ledgers.has(name) ? ledgers.get(name) : undefined),
      policies: (channel) => this.channelPolicies(channel),
      addressOf: (org) => {
        const port = endpoint().split(':').pop() ?? '';
        return `${org.domain ? `peer0.${org.domain}` : org.mspId}${port ? `:${port}` : ''}`;
      },
    });
    this.net = { network, endorser, gateway, batch, ledgers };
    for (const channel of o.channels ?? ['mychannel']) await this.channelLedger(channel);
    this.log({ level: 'info', msg: 'organisations', orgs: network.orgIds.join(','), cryptoDir: network.material.dir, batchTimeoutMs: batch.batchTimeoutMs, maxMessageCount: batch.maxMessageCount });
  }

  /** The policies of a channel as its committer and the Gateway read them. */
  private channelPolicies(channel: string): PolicySource {
    let source = this.policySources.get(channel);
    if (!source) {
      source = channelPolicySource((this.net as NonNullable<Peer['net']>).network, (chaincode) => this.world.collections(channel, chaincode));
      this.policySources.set(channel, source);
    }
    return source;
  }
  /** The policies of each channel, chaincode-level and collection-level (channelPolicies.ts). */
  private readonly policySources = new Map<string, PolicySource>();

  /** The ledger (orderer + committer) of a channel, opened with its genesis block on first use. */
  private channelLedger(channel: string): Promise<ChannelLedger> {
    const net = this.net as NonNullable<Peer['net']>;
    let ledger = net.ledgers.get(channel);
    if (!ledger) {
      this.channels.add(channel);
      const signer = net.network.orgs.find((org) => org.signer)?.signer;
      if (!signer) throw new Error('no declared organisation has a signing identity to sign blocks with');
      ledger = ChannelLedger.open({
        channel,
        world: this.world,
        msps: net.network.msps,
        policies: this.channelPolicies(channel),
        batch: net.batch,
        signer,
        log: this.log,
        genesis: () =>
          genesisBlock({
            channel,
            batch: net.batch,
            signer,
            timestamp: timestampFromNanos(this.nowNanos()),
            ordererAddresses: [],
            orgs: net.network.orgs.map((org) => ({
              mspId: org.mspId,
              rootCertsPem: org.msp.rootCerts.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString())),
              tlsRootCertsPem: org.msp.tlsRootCerts.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString())),
              ...(org.msp.nodeOusEnabled ? { nodeOUs: org.msp.nodeOuIdentifiers } : {}),
            })),
          }),
      });
      net.ledgers.set(channel, ledger);
      ledger.catch(() => net.ledgers.delete(channel));
    }
    return ledger;
  }

  /** The Fabric Gateway over this peer's organisations (PeerOptions.network), for src/gateway. */
  get gateway(): GatewayService | undefined {
    return this.net?.gateway;
  }

  /** The endorser of the organisations' peers (PeerOptions.network). */
  get endorser(): Endorser | undefined {
    return this.net?.endorser;
  }

  /** The organisations this peer plays (PeerOptions.network). */
  get network(): Network | undefined {
    return this.net?.network;
  }

  /** A channel's ledger, if the channel exists (PeerOptions.network). */
  existingChannel(channel: string): Promise<ChannelLedger> | undefined {
    return this.net?.ledgers.get(channel);
  }

  listChaincodes(): ChaincodeInfo[] {
    const list = this.support.list();
    if (this.initRequired.size === 0) return list;
    const missing: ChaincodeInfo[] = [...this.initRequired].filter((name) => !list.some((c) => c.name === name)).map((name) => ({ name, launch: 'external', state: 'idle' }));
    return [...list, ...missing]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => (this.initRequired.has(c.name) ? { ...c, initRequired: true as const } : c));
  }

  /**
   * Whether `name` stands for a defined chaincode on this peer (the dev peer has no lifecycle):
   * configured, launched or registered at some time, init-required, or with a collection config.
   */
  private isDefined(name: string): boolean {
    return this.support.isKnown(name) || this.initRequired.has(name) || Object.prototype.hasOwnProperty.call(this.options.collections ?? {}, name);
  }

  listChannels(): string[] {
    return [...this.channels].sort();
  }
  private readonly channels = new Set<string>(['mychannel']);
  private readonly signer = new ProposalSigner();

  /** Development identities, cached: parsing and checking a certificate on every invoke is costly. */
  private readonly identities = new Map<string, { proposalIdentity: ProposalIdentity }>();
  private identity(mspId: string, user: string): { proposalIdentity: ProposalIdentity } {
    const key = `${mspId}\u0000${user}`;
    let id = this.identities.get(key);
    if (!id) {
      // With organisations (PeerOptions.network), users are issued by the organisation's CA so
      // that they validate under its MSP.
      const ca = this.net?.network.devCa(mspId) ?? DevCa.open(mspId, this.options.dataDir ? { dataDir: this.options.dataDir } : {});
      const u = ca.getUser(user);
      const privateKey = u.privateKey;
      id = { proposalIdentity: { mspId, certPem: u.certPem, sign: (b) => this.signer.sign(privateKey, b) } };
      this.identities.set(key, id);
    }
    return id;
  }

  invoke(req: InvokeRequest): Promise<InvokeResult> {
    return this.track(() => this.invokeNow(req));
  }

  private async invokeNow(req: InvokeRequest): Promise<InvokeResult> {
    const started = performance.now();
    const channel = req.channel || 'mychannel';
    this.channels.add(channel);
    const mspId = req.mspId ?? this.options.mspId;
    const user = this.identity(mspId, req.user ?? 'user1');
    const args = req.args.map((a) => (typeof a === 'string' ? utf8Bytes(a) : a));
    const built = await buildSignedProposal({
      identity: user.proposalIdentity,
      channel,
      chaincode: req.chaincode,
      args,
      isInit: req.init ?? false,
      transient: req.transient ?? {},
      timestamp: timestampFromNanos(this.nowNanos()),
      txId: req.txId,
    });
    const txId = built.txId;
    req.onTxId?.(txId);
    // fabric core/endorser/endorser.go preProcess: a txid already in the ledger is refused before
    // anything runs.
    if (req.txId !== undefined && (await this.world.committedTx(channel, txId)) !== undefined) {
      const message = `duplicate transaction found [${txId}]. Creator may be replaying it`;
      this.log({ level: 'warn', msg: 'transaction', txId: txId.slice(0, 8), channel, chaincode: req.chaincode, status: 500, message });
      return { txId, status: 500, message, payload: new Uint8Array(0), events: [], committed: false };
    }
    // endorser.go ProcessProposalSuccessfullyOrError: the chaincode must be defined on the channel
    // before anything is simulated. In dev mode the answer also says how to start a user-run one.
    if (!this.isDefined(req.chaincode)) {
      const hint = (this.options.devMode ?? true) ? ` (dev mode: start it with CORE_CHAINCODE_ID_NAME=${req.chaincode}:1.0 and --peer.address=${this.chaincodeAddress})` : '';
      const message = notDefinedOnChannel(req.chaincode, channel, chaincodeNotFoundCause(req.chaincode)) + hint;
      this.log({ level: 'warn', msg: 'transaction', txId: txId.slice(0, 8), channel, chaincode: req.chaincode, status: 500, message });
      return { txId, status: 500, message, payload: new Uint8Array(0), events: [], committed: false };
    }
    if (this.net) return this.invokeThroughNetwork(req, { txId, channel, signedProposal: built.signedProposal, user: user.proposalIdentity, started, args });
    const simulation = this.world.newSimulation({
      channel,
      namespace: req.chaincode,
      txId,
      creatorMspId: mspId,
      isInit: req.init ?? false,
      timestamp: built.timestamp,
      transient: req.transient ?? {},
    });
    const outcome = await this.run({
      chaincode: req.chaincode,
      channel,
      txId,
      isInit: req.init ?? false,
      args,
      signedProposal: built.signedProposal,
      simulation,
      creatorMspId: mspId,
    });
    let result: InvokeResult;
    if (outcome.kind === 'completed') {
      result = chaincodeResult(txId, outcome.response, outcome.event);
      if (req.submit && outcome.response.status < 400) {
        try {
          await this.world.commit(simulation, { txId, timestamp: built.timestamp });
          result.committed = true;
        } catch (err) {
          result = { ...result, status: 500, message: `transaction ${txId} was not committed: ${(err as Error).message}`, events: [] };
        }
      } else await simulation.done();
    } else {
      await simulation.done();
      // endorser.go ProcessProposalSuccessfullyOrError: what Execute returned as an error is
      // answered with status 500 and `error in simulation: …` (our own refusals are not Fabric's).
      const message = outcome.kind === 'refused' ? outcome.message : errorInSimulation(executeErrorText(txId, outcome));
      result = { txId, status: 500, message, payload: new Uint8Array(0), events: [], committed: false };
    }
    this.logTransaction(req, result, args, started, channel);
    return result;
  }

  private logTransaction(req: InvokeRequest, result: InvokeResult, args: Uint8Array[], started: number, channel: string): void {
    const txId = result.txId;
    this.log({
      level: result.status < 400 ? 'info' : 'warn',
      msg: 'transaction',
      txId: txId.slice(0, 8),
      channel,
      chaincode: req.chaincode,
      fn: args[0] ? Buffer.from(args[0]).toString('utf8') : '',
      kind: req.submit ? 'invoke' : 'query',
      status: result.status,
      ...(result.status >= 400 ? { message: result.message } : {}),
      committed: result.committed,
      ...(result.blockNumber !== undefined ? { block: result.blockNumber, code: result.validationCode } : {}),
      ms: Math.round(performance.now() - started),
    });
  }

  /**
   * An invocation with organisations: endorsed by the peers the policies need (the first one is
   * this peer's own organisation), signed by the user, ordered into a block and validated there —
   * the path a Fabric Gateway client's submit takes (src/peer/gateway/service.ts).
   */
  private async invokeThroughNetwork(
    req: InvokeRequest,
    x: { txId: string; channel: string; signedProposal: SignedProposal; user: ProposalIdentity; started: number; args: Uint8Array[] },
  ): Promise<InvokeResult> {
    const net = this.net as NonNullable<Peer['net']>;
    const { txId, channel } = x;
    const fail = (message: string): InvokeResult => ({ txId, status: 500, message, payload: new Uint8Array(0), events: [], committed: false });
    let result: InvokeResult;
    const ledger = await this.channelLedger(channel);
    const first = net.gateway.firstEndorser(Object.keys(req.transient ?? {}).length > 0);
    if (!first.ok) result = fail(first.message);
    else {
      const r = await net.endorser.processProposal(x.signedProposal, first.org.signer!);
      if (r.kind === 'rejected') result = fail(r.message);
      else {
        result = chaincodeResult(txId, r.response, r.event);
        if (req.submit && r.response.status < 400) result = await this.order(result, net.gateway, ledger, x, first.org, r);
      }
    }
    this.logTransaction(req, result, x.args, x.started, channel);
    return result;
  }

  /** Completes the endorsement, signs as the user, orders and waits for the validation code. */
  private async order(
    result: InvokeResult,
    gateway: GatewayService,
    ledger: ChannelLedger,
    x: { txId: string; signedProposal: SignedProposal; user: ProposalIdentity },
    firstOrg: Parameters<GatewayService['endorseAfterFirst']>[3],
    first: Parameters<GatewayService['endorseAfterFirst']>[4] & { kind: 'response' },
  ): Promise<InvokeResult> {
    const notCommitted = (why: string): InvokeResult => ({ ...result, status: 500, message: `transaction ${x.txId} was not committed: ${why}`, events: [] });
    const prepared = await gateway.endorseAfterFirst(x.signedProposal, first.unpacked, ledger, firstOrg, first);
    if (!prepared.ok) return notCommitted([prepared.message, ...prepared.details.map((d) => `${d.mspId}: ${d.message}`)].join('; '));
    const payload = prepared.prepared.envelope.payload;
    const ordered = ledger.broadcast(encodeEnvelope({ payload, signature: await x.user.sign(payload) }));
    if (!ordered.ok) return notCommitted(`the ordering service answered ${ordered.statusName}: ${ordered.info}`);
    const status = await ledger.commitStatus(x.txId);
    if (!status) return notCommitted('the peer shut down before its block was committed');
    const validationCode = txValidationCodeName(status.code) ?? String(status.code);
    if (status.code !== TxValidationCode.VALID) return { ...notCommitted(`${validationCode} (block ${status.blockNumber})`), blockNumber: status.blockNumber, validationCode };
    return { ...result, committed: true, blockNumber: status.blockNumber, validationCode };
  }

  /**
   * For embedding runtimes (fabric core/chaincode ChaincodeSupport.Execute): run INIT/TRANSACTION
   * with the caller's own txid and SignedProposal (forwarded untouched), in a fresh simulation,
   * under the execute timeout; return the response, the event and the read/write set. Nothing is
   * committed: the caller decides (`peer.worldState.commit(outcome.rwset)`).
   */
  execute(req: ExecuteRequest): Promise<ExecuteOutcome> {
    return this.track(() => this.executeNow(req));
  }

  private async executeNow(req: ExecuteRequest): Promise<ExecuteOutcome> {
    const info = proposalInfo(req.signedProposal);
    if (!info.ok) return { ok: false, message: `failed getting proposal context: ${info.reason}` };
    this.channels.add(req.channel);
    const isInit = req.txType === 'INIT';
    const simulation = this.world.newSimulation({
      channel: req.channel,
      namespace: req.chaincode,
      txId: req.txId,
      creatorMspId: info.mspId,
      isInit,
      ...(info.timestamp ? { timestamp: info.timestamp } : {}),
      transient: info.transient,
    });
    const r = await this.run({
      chaincode: req.chaincode,
      channel: req.channel,
      txId: req.txId,
      isInit,
      args: req.input.args,
      signedProposal: req.signedProposal,
      simulation,
      creatorMspId: info.mspId,
    });
    if (r.kind !== 'completed') {
      await simulation.done();
      // ChaincodeSupport.Execute's error (processChaincodeExecutionResult), without the endorser's.
      return { ok: false, message: executeErrorText(req.txId, r) };
    }
    // chaincode_support.go processChaincodeExecutionResult: the peer names the event's chaincode
    // and transaction (the shims send only its name and payload).
    const event = r.event ? { ...r.event, chaincodeId: req.chaincode, txId: req.txId } : undefined;
    return { ok: true, response: r.response, event, rwset: await simulation.result() };
  }

  /**
   * ChaincodeSupport.Invoke: check the invocation (CheckInvocation), launch if needed, run
   * INIT/TRANSACTION on the chaincode and serve its requests from `simulation`.
   */
  private async run(x: ExecuteOn): Promise<Invoked> {
    // Counted from before the launch wait, so that invocations of a chaincode that is (re)starting
    // cannot pile up without bound either.
    const running = this.running.get(x.chaincode) ?? 0;
    if (running >= this.limits.maxTransactionsPerChaincode) {
      const message =
        `too many transactions in flight for chaincode ${x.chaincode} ` +
        `(limit ${this.limits.maxTransactionsPerChaincode}, option maxTransactionsPerChaincode / --max-tx-per-chaincode)`;
      return { kind: 'refused', message };
    }
    this.running.set(x.chaincode, running + 1);
    try {
      return await this.runCounted(x);
    } finally {
      const left = (this.running.get(x.chaincode) ?? 1) - 1;
      if (left === 0) this.running.delete(x.chaincode);
      else this.running.set(x.chaincode, left);
    }
  }

  private async runCounted(x: ExecuteOn): Promise<Invoked> {
    // chaincode_support.go Invoke: `invalid invocation: …` before any launch.
    const checked = await checkInvocation(x, { defined: this.isDefined(x.chaincode), initRequired: this.initRequired.has(x.chaincode) });
    if (!checked.ok) return { kind: 'error', error: invalidInvocation(checked.error) };
    let entry = this.support.readyHandler(x.chaincode);
    if (entry === undefined) {
      try {
        entry = await this.support.handlerFor(x.chaincode);
      } catch (err) {
        // chaincode_support.go Launch: `could not launch chaincode <id>: …`, returned unwrapped.
        return { kind: 'error', error: (err as Error).message };
      }
    }
    const key = txKey(x.channel, x.txId);
    const serve = createRequestServer({
      simulation: x.simulation,
      namespace: x.chaincode,
      isInit: x.isInit,
      channel: x.channel,
      invokeChaincode: (call) => this.invokeNested(x, call),
    });
    const own = !entry.contexts.has(key);
    if (own) entry.contexts.set(key, serve);
    try {
      return invokedFrom(
        await entry.conn.execute({
          channelId: x.channel,
          txid: x.txId,
          txType: x.isInit ? 'INIT' : 'TRANSACTION',
          input: { args: x.args, decorations: {}, isInit: x.isInit },
          proposal: x.signedProposal,
          timeoutMs: this.options.executeTimeoutMs,
        }),
      );
    } finally {
      if (own) entry.contexts.delete(key);
      // fabric handler.go: the transaction's iterators are closed when it ends.
      if (x.simulation.openIteratorCount > 0) await x.simulation.closeIteratorsNow().catch(() => {});
    }
  }

  /**
   * Chaincode-to-chaincode (docs/protocol.md §10): same channel → the callee joins the caller's
   * simulation; another channel → a fresh simulation on that channel, discarded afterwards (a
   * read-only query). The callee gets the same txid and the caller's SignedProposal.
   */
  private async invokeNested(caller: ExecuteOn, call: InvokeCall): Promise<InvokeOutcome> {
    this.channels.add(call.channel);
    const simulation = call.sameChannel
      ? caller.simulation.forNamespace(call.chaincode, { isInit: call.isInit, creatorMspId: caller.creatorMspId })
      : this.world.newSimulation({ channel: call.channel, namespace: call.chaincode, txId: caller.txId, creatorMspId: caller.creatorMspId, isInit: call.isInit });
    try {
      const r = await this.run({ ...caller, chaincode: call.chaincode, channel: call.channel, isInit: call.isInit, args: call.args, simulation });
      const env = { txid: caller.txId, channelId: call.channel };
      let message: Message;
      // handler.go HandleInvokeChaincode: the callee's final message (COMPLETED or ERROR) goes back
      // to the caller as it is; Invoke's error becomes `execute failed: <error>` (serve/invoke.ts).
      if (r.kind === 'completed') message = { type: 'COMPLETED', ...env, payload: r.response, chaincodeEvent: r.event };
      else if (r.kind === 'chaincodeError') message = { type: 'ERROR', ...env, payload: r.payload };
      else if (r.kind === 'error') return { ok: false, cause: r.error };
      else if (r.kind === 'refused') return { ok: false, cause: r.message };
      else return { ok: false, cause: `failed to unmarshal chaincode response: ${r.reason}` };
      return { ok: true, message };
    } finally {
      if (!call.sameChannel) await simulation.done().catch(() => {});
    }
  }

  async close(graceMs = 0): Promise<void> {
    if (this.closed) return this.closed;
    this.closed = (async () => {
      if (this.inFlight.size > 0 && graceMs > 0) {
        this.log({ level: 'info', msg: 'waiting for transactions in flight', count: this.inFlight.size, graceMs });
        await settledWithin([...this.inFlight], graceMs);
      }
      // What still runs fails as its stream ends; wait for those answers (and their simulations)
      // before the ledger closes, so that no commit is cut in half.
      await this.support.close();
      await Promise.allSettled([...this.inFlight]);
      // What was ordered still commits (whole blocks) before the ledger closes.
      for (const ledger of this.net?.ledgers.values() ?? []) await (await ledger.catch(() => undefined))?.close();
      await this.signer.close();
      await this.listener.close();
      await this.world.close();
      if (this.temporaryCryptoDir !== undefined) rmSync(this.temporaryCryptoDir, { recursive: true, force: true });
      this.log({ level: 'info', msg: 'peer stopped' });
    })();
    return this.closed;
  }
}
