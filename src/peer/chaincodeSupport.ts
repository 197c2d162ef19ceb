/**
 * Chaincode support: the registry of chaincode streams by name, launching (de-duplicated),
 * deregistration when a stream ends, and registration checks (fabric core/chaincode
 * handler_registry.go, runtime_launcher.go, chaincode_support.go; accesscontrol for TLS).
 *
 * Names: a chaincode registers as `NAME:VERSION` or `LABEL:HASH`; invocations use `NAME`/`LABEL`
 * (the text before the first `:`). One ready stream per name. A stream that ends is deregistered;
 * the next invocation relaunches (launched chaincode) or finds nothing (user-run chaincode).
 */
import type { FrameStream, ClientTlsOptions, FlowLimits } from '../transport/index.js';
import { dialChaincodeServer } from '../transport/index.js';
import { certHash, issueClientCert, type TlsCa } from '../identity/index.js';
import type { RegistryVerdict } from '../drive/peerConnection.js';
import type { ChaincodeAdditionalParams } from '../protocol/messages.js';
import type { Violation } from '../protocol/violations.js';
import { HandlerEntry } from './handlerEntry.js';
import { describeExit, launchProcess, type LaunchedProcess } from './launch/process.js';
import type { ChaincodeInfo, ChaincodeLaunch, LogRecord, TraceEvent } from './types.js';

export interface ChaincodeSupportOptions {
  launches: Record<string, ChaincodeLaunch>;
  devMode: boolean;
  startupTimeoutMs: number;
  executeTimeoutMs: number;
  keepaliveMs: number;
  readyParams: ChaincodeAdditionalParams;
  mspId: string;
  /** host:port chaincode processes dial. */
  peerAddress: () => string;
  /** TLS CA of the chaincode listener when TLS is on. */
  tlsCa: TlsCa | undefined;
  maxReceiveMessageLength: number;
  maxSendMessageLength: number;
  /** Backpressure bounds of CCaaS streams the peer dials. */
  flow: FlowLimits;
  maxTransactionsPerStream: number;
  log: (r: LogRecord) => void;
  trace?: ((e: TraceEvent) => void) | undefined;
}

interface Launch {
  promise: Promise<HandlerEntry>;
  resolve(e: HandlerEntry): void;
  reject(err: Error): void;
  process?: LaunchedProcess;
  settled: boolean;
}

/** Fabric keeps a launched chaincode's certificate hash for 10 minutes (accesscontrol/mapper.go). */
const CERT_TTL_MS = 10 * 60_000;

export const invocationName = (registeredAs: string): string => registeredAs.split(':')[0]!;

export class ChaincodeSupport {
  private readonly ready = new Map<string, HandlerEntry>();
  private readonly entries = new Set<HandlerEntry>();
  private readonly launches = new Map<string, Launch>();
  private readonly processes = new Map<string, LaunchedProcess>();
  /** Every name a chaincode has registered for since the peer started (a user-run chaincode stays
   *  known after it stops: invocations then say how to start it again). */
  private readonly registered = new Set<string>();
  /** SHA-256 of a client certificate the peer minted → chaincode name (and expiry, if any). */
  private readonly certs = new Map<string, { name: string; expires: number }>();
  private closing = false;

  constructor(private readonly o: ChaincodeSupportOptions) {}

  /**
   * Attach a new stream: a Register call (the chaincode dialled us), or a Connect stream the peer
   * dialled for the chaincode launched as `launchName` (then it serves that name, whatever id it
   * registers with: a CCaaS package id is `LABEL:HASH`).
   */
  attach(stream: FrameStream, peerCertDer?: Uint8Array, launchName?: string): HandlerEntry {
    const entry: HandlerEntry = new HandlerEntry(
      stream,
      {
        register: (registeredAs) => this.register(entry, registeredAs, peerCertDer, launchName),
        onReady: () => this.onReady(entry),
        onClosed: (reason, resourceExhausted) => this.onClosed(entry, reason, resourceExhausted),
        onViolation: (v) => this.onViolation(entry, v),
        trace: this.o.trace,
      },
      {
        keepaliveMs: this.o.keepaliveMs,
        readyParams: this.o.readyParams,
        executeTimeoutMs: this.o.executeTimeoutMs,
        maxTransactionsPerStream: this.o.maxTransactionsPerStream,
      },
    );
    this.entries.add(entry);
    return entry;
  }

  private register(entry: HandlerEntry, registeredAs: string, peerCertDer: Uint8Array | undefined, launchName: string | undefined): RegistryVerdict {
    const name = launchName ?? invocationName(registeredAs);
    if (this.closing) return { accepted: false, reason: 'peer is shutting down' };
    if (this.o.tlsCa && entry.stream.side === 'server') {
      // fabric core/chaincode/accesscontrol/access.go: the first message must come with a client
      // certificate the peer minted for this chaincode.
      if (!peerCertDer) return { accepted: false, reason: `TLS is active but chaincode ${registeredAs} didn't send certificate` };
      const hash = certHash(peerCertDer).hex;
      const known = this.certs.get(hash);
      if (!known || known.expires < Date.now()) {
        return { accepted: false, reason: `Chaincode ${registeredAs} with given certificate hash ${hash} not found in registry` };
      }
      if (known.name !== name) return { accepted: false, reason: `Chaincode ${registeredAs} with given certificate hash ${hash} belongs to a different chaincode` };
    }
    const taken = this.ready.get(name) ?? [...this.entries].find((e) => e !== entry && !e.closed && e.name === name);
    if (taken) return { accepted: false, reason: `duplicate chaincodeID: ${registeredAs}` };
    const launching = this.launches.get(name);
    if (!this.o.devMode && !launching && entry.stream.side === 'server') {
      return { accepted: false, reason: `peer will not accept external chaincode connection ${registeredAs} (except in dev mode)` };
    }
    entry.name = name;
    entry.registeredAs = registeredAs;
    return { accepted: true };
  }

  private onReady(entry: HandlerEntry): void {
    this.ready.set(entry.name, entry);
    this.registered.add(entry.name);
    this.o.log({ level: 'info', msg: 'chaincode registered', name: entry.registeredAs, serves: entry.name });
    const launch = this.launches.get(entry.name);
    if (launch && !launch.settled) {
      launch.settled = true;
      this.launches.delete(entry.name);
      launch.resolve(entry);
    }
  }

  /** Streams attached and not yet ended, registered or not. */
  get streamCount(): number {
    return this.entries.size;
  }

  private onClosed(entry: HandlerEntry, reason: string, resourceExhausted: boolean): void {
    this.entries.delete(entry);
    // A stream cut for holding too much (frameStream.ts backpressure) is worth a warning even when
    // it never registered: it is the one trace of a misbehaving client.
    if (resourceExhausted && !entry.registeredAs) this.o.log({ level: 'warn', msg: 'chaincode stream closed', reason });
    if (entry.name && this.ready.get(entry.name) === entry) {
      this.ready.delete(entry.name);
      this.o.log({ level: 'warn', msg: 'chaincode deregistered', name: entry.registeredAs, reason });
    }
  }

  private onViolation(entry: HandlerEntry, v: Violation): void {
    this.o.log({ level: 'warn', msg: 'protocol violation', chaincode: entry.registeredAs || '(unregistered)', code: v.code, blame: v.blame, state: v.state, got: v.got, txid: v.txid, cause: v.cause });
  }

  /**
   * Whether the peer knows chaincode `name`: configured to launch (process, CCaaS, external), being
   * launched, or registered at some time since the peer started. What stands in for "defined on
   * the channel" (the dev peer has no lifecycle).
   */
  isKnown(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.o.launches, name) || this.ready.has(name) || this.launches.has(name) || this.registered.has(name);
  }

  /** The ready handler of `name`, if there is one now (the common case, without a promise). */
  readyHandler(name: string): HandlerEntry | undefined {
    return this.ready.get(name);
  }

  /** The ready stream for `name`, launching the chaincode if needed (concurrent callers share one launch). */
  handlerFor(name: string): Promise<HandlerEntry> {
    const ready = this.ready.get(name);
    if (ready) return Promise.resolve(ready);
    const pending = this.launches.get(name);
    if (pending) return pending.promise;
    const spec = this.o.launches[name];
    if (!spec || spec.kind === 'external') {
      const hint = this.o.devMode
        ? `: start it with CORE_CHAINCODE_ID_NAME=${name}:1.0 and --peer.address=${this.o.peerAddress()} (dev mode)`
        : '';
      return Promise.reject(new Error(`could not launch chaincode ${name}: chaincode is not running${hint}`));
    }
    return this.launch(name, spec).promise;
  }

  private launch(name: string, spec: Exclude<ChaincodeLaunch, { kind: 'external' }>): Launch {
    let resolve!: (e: HandlerEntry) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<HandlerEntry>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => {}); // callers handle it; never an unhandled rejection
    const launch: Launch = { promise, resolve, reject, settled: false };
    this.launches.set(name, launch);
    const fail = (cause: string, hint?: string) => {
      if (launch.settled) return;
      launch.settled = true;
      this.launches.delete(name);
      this.o.log({ level: 'error', msg: 'chaincode launch failed', name, cause, ...(hint ? { hint } : {}) });
      reject(new Error(`could not launch chaincode ${name}: ${cause}`));
      void launch.process?.stop(1000);
    };
    // A process that runs but never registers is the launch failure people cannot see from outside:
    // say early, and again at the timeout, what to check (the invocation keeps Fabric's text).
    const hint = spec.kind === 'process' ? neverRegisteredHint(name, this.o.peerAddress()) : `is the chaincode server at ${spec.address} serving Chaincode.Connect?`;
    const timer = setTimeout(() => fail(`timeout expired while starting chaincode ${name} for transaction`, hint), this.o.startupTimeoutMs);
    const earlyMs = Math.min(10_000, Math.floor(this.o.startupTimeoutMs / 2));
    const early = setTimeout(() => {
      if (!launch.settled) this.o.log({ level: 'warn', msg: 'chaincode has not registered yet', name, waitedMs: earlyMs, hint });
    }, earlyMs);
    timer.unref();
    early.unref();
    const stopTimers = (): void => {
      clearTimeout(timer);
      clearTimeout(early);
    };
    promise.then(stopTimers, stopTimers);
    this.o.log({ level: 'info', msg: 'launching chaincode', name, how: spec.kind === 'process' ? spec.command : spec.address });

    if (spec.kind === 'process') {
      // A previous process whose stream ended but which is still running is stopped first (Fabric's
      // launchers stop the old container/process before starting a new one); else it is orphaned.
      void this.processes.get(name)?.stop(1000);
      let tls: { rootCertPem: string; clientCertPem: string; clientKeyPem: string } | undefined;
      if (this.o.tlsCa) {
        const client = this.mintClientCert(name, CERT_TTL_MS);
        tls = { rootCertPem: this.o.tlsCa.certPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem };
      }
      let proc: LaunchedProcess;
      try {
        proc = launchProcess({
          name,
          chaincodeIdName: `${name}:1.0`,
          command: spec.command,
          cwd: spec.cwd,
          env: spec.env,
          peerAddress: this.o.peerAddress(),
          mspId: this.o.mspId,
          tls,
          onOutput: (stream, line) => this.o.log({ level: 'info', msg: 'chaincode output', chaincode: name, stream, line }),
        });
      } catch (err) {
        fail(`error starting chaincode: ${(err as Error).message}`);
        return launch;
      }
      launch.process = proc;
      this.processes.set(name, proc);
      void proc.exited.then((exit) => {
        if (this.processes.get(name) === proc) this.processes.delete(name);
        // fabric runtime_launcher.go: an exit before READY fails the launch with the exit status.
        fail(`chaincode registration failed: chaincode process ${describeExit(exit)}`);
        if (!this.closing) this.o.log({ level: exit.code === 0 ? 'info' : 'warn', msg: 'chaincode process exited', name, code: exit.code, signal: exit.signal });
      });
    } else {
      const tls: ClientTlsOptions | undefined = spec.tls
        ? {
            rootCaPem: spec.tls.rootCertPem,
            ...(spec.tls.clientCertPem ? { clientCertPem: spec.tls.clientCertPem } : {}),
            ...(spec.tls.clientKeyPem ? { clientKeyPem: spec.tls.clientKeyPem } : {}),
            ...(spec.tls.serverNameOverride ? { serverNameOverride: spec.tls.serverNameOverride } : {}),
          }
        : undefined;
      dialChaincodeServer({
        address: spec.address,
        ...(tls ? { tls } : {}),
        dialTimeoutMs: spec.dialTimeoutMs ?? 3000,
        maxReceiveMessageLength: this.o.maxReceiveMessageLength,
        maxSendMessageLength: this.o.maxSendMessageLength,
        ...this.o.flow,
      }).then(
        (stream) => {
          if (launch.settled) return stream.close('launch already over');
          this.attach(stream, undefined, name);
          // fabric extcc_handler.go: the stream ending before READY fails the launch.
          stream.onClose(() => fail(`connection to ${name} terminated`));
        },
        (err: Error) => fail(`error connecting to chaincode server at ${spec.address}: ${err.message}`),
      );
    }
    return launch;
  }

  /** A client certificate for a chaincode, remembered by hash (Fabric: per launch, for 10 minutes). */
  mintClientCert(name: string, ttlMs = Number.POSITIVE_INFINITY): { certPem: string; keyPem: string } {
    if (!this.o.tlsCa) throw new Error('TLS is not enabled on this peer');
    const pair = issueClientCert(this.o.tlsCa, name);
    this.certs.set(certHash(pair.certPem).hex, { name, expires: Date.now() + ttlMs });
    return { certPem: pair.certPem, keyPem: pair.keyPem };
  }

  /** Start every launchable chaincode now (errors are logged; invocations relaunch on demand). */
  launchAll(): void {
    for (const [name, spec] of Object.entries(this.o.launches)) {
      if (spec.kind !== 'external' && !this.ready.has(name) && !this.launches.has(name)) this.launch(name, spec);
    }
  }

  list(): ChaincodeInfo[] {
    const names = new Set([...Object.keys(this.o.launches), ...this.ready.keys()]);
    return [...names].sort().map((name) => {
      const entry = this.ready.get(name);
      return {
        name,
        ...(entry ? { registeredAs: entry.registeredAs } : {}),
        launch: this.o.launches[name]?.kind ?? 'external',
        state: entry ? 'ready' : this.launches.has(name) ? 'launching' : 'idle',
      };
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const l of this.launches.values()) {
      if (!l.settled) {
        l.settled = true;
        l.reject(new Error('peer is shutting down'));
      }
    }
    this.launches.clear();
    for (const e of this.entries) e.conn.shutdown('peer is shutting down');
    await Promise.all([...this.processes.values()].map((p) => p.stop(3000)));
  }
}

/** What to check when a launched process runs but never registers. */
function neverRegisteredHint(name: string, peerAddress: string): string {
  return (
    `the process is running but has not registered: does it start the shim (fabric-shim's Shim.start / ccproto's start() / Go's shim.Start), ` +
    `and does it dial the --peer.address it is given (${peerAddress}) rather than an address of its own? Its output is logged as "chaincode output" lines for ${name}`
  );
}
