#!/usr/bin/env node
/**
 * `ccproto`: the dev peer and its client (docs/cli.md).
 *
 *   ccproto peer --listen 127.0.0.1:7052 --api 127.0.0.1:7080 [--chaincode NAME=COMMAND]...
 *   ccproto invoke --name NAME [--channel CH] -- FN ARG...
 *   ccproto query  --name NAME [--channel CH] -- FN ARG...
 *   ccproto proxy --listen HOST:PORT --upstream HOST:PORT --trace FILE [--mode register|ccaas]
 *   ccproto check TRACE [--json]
 *   ccproto conform chaincode [--json] -- COMMAND [ARGS...]
 *   ccproto conform peer --peer HOST:PORT [--json]
 *   ccproto fuzz chaincode [--seconds N] [--sessions N] [--seed S] [--out DIR] -- COMMAND [ARGS...]
 *   ccproto fuzz peer --peer HOST:PORT [--seconds N] [--sessions N] [--seed S] [--out DIR]
 *   ccproto trace render TRACE [--stream ID] [--tx TXID] --format mermaid|html [--out FILE]
 *
 * `main(argv, io)` runs one command in-process and resolves to its exit code; it never calls
 * `process.exit` (the bin wrapper at the bottom does, for the exit code).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Command, CommanderError, Option } from 'commander';

import { UsageError, collect } from './args.js';
import { runChartsCommand, type ChartsCommandOptions } from './charts.js';
import { runCheckCommand, type CheckCommandOptions } from './check.js';
import { runFuzzChaincodeCommand, runFuzzPeerCommand, type FuzzCommandOptions } from './fuzz.js';
import { runConformChaincodeCommand, runConformPeerCommand, type ConformChaincodeCommandOptions, type ConformPeerCommandOptions } from './conform.js';
import { runProxyCommand, type ProxyCommandOptions } from './proxy.js';
import { RENDER_FORMATS, runTraceRenderCommand, type TraceRenderOptions } from './trace.js';
import { LOG_LEVELS } from './format.js';
import { DEFAULT_API_URL, runListCommand, runTlsCommand, runTxCommand, type ApiReadOptions, type TlsCommandOptions, type TxCommandOptions } from './invoke.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, errorText, type CliIo } from './io.js';
import { runPeerCommand, type PeerCommandOptions } from './peer.js';

export type { CliIo, PeerReadyInfo, TextSink } from './io.js';
export { EXIT_API, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';

const EXAMPLES = `
Examples:
  ccproto peer --chaincode basic="node dist/index.js"
  ccproto invoke --name basic -- CreateAsset asset1 blue 5 Tom 100
  ccproto query --name basic -- ReadAsset asset1
  ccproto invoke --name private --transient '{"asset":"{\\"id\\":\\"a1\\"}"}' -- CreateAsset

Exit status: 0 success; 1 the transaction returned status >= 400 (message on stderr) or the peer
failed; 2 bad command line; 3 the API was unreachable or answered with an error.
`;

/**
 * A hint for an unknown option, from what the user typed: the option they meant when it is one
 * people reach for (other CLIs' names), or `--` before arguments that look like options.
 */
export function unknownOptionHint(message: string, argv: readonly string[]): string | undefined {
  const m = /unknown option '([^'=]+)/.exec(message);
  if (!m) return undefined;
  const option = m[1]!;
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === 'peer') {
    if (['--port', '--address', '--host', '--peer-address', '--peer.address'].includes(option)) {
      return 'the peer listens on --listen HOST:PORT (chaincode listener, default 127.0.0.1:7052) and --api HOST:PORT (HTTP API, default 127.0.0.1:7080)';
    }
    if (['--msp-id', '--mspid', '--msp'].includes(option)) return 'the peer\'s MSP id is --peer-msp-id ID';
    return undefined;
  }
  if (command === 'invoke' || command === 'query') {
    if (['--chaincode', '--cc', '--chaincode-name', '--ccname'].includes(option)) return 'name the chaincode with --name NAME (-n NAME)';
    if (['--isInit', '--is-init', '--isinit', '-I'].includes(option)) return 'send the invocation as Init with --init (what Fabric\'s peer CLI calls --isInit)';
    if (['--port', '--address', '--peer-address'].includes(option)) return 'give the API with --api http://HOST:PORT (what "ccproto peer --api" listens on)';
    return `if ${option} is an argument of the function, put -- before the function and its arguments: ccproto ${command} --name NAME -- FN ARG...`;
  }
  return undefined;
}

/** The version in ccproto's own package.json: the nearest one above this file (src/cli in a checkout,
 *  dist/src/cli in a build or an install). */
export function ccprotoVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ccproto' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/** The command tree; `setCode` receives the exit code of the command that ran. */
export function buildProgram(io: CliIo, setCode: (code: number) => void, argv: readonly string[] = []): Command {
  const program = new Command('ccproto');
  program
    .description('Hyperledger Fabric dev peer that runs real chaincode without Docker, and its client')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => {
        const hint = unknownOptionHint(s, argv);
        write(hint === undefined ? s : `${s}hint: ${hint}\n`);
      },
    })
    .version(ccprotoVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXAMPLES);

  program
    .command('peer')
    .description('run the dev peer (chaincode listener + HTTP API) until SIGINT/SIGTERM')
    .option('--listen <host:port>', 'chaincode listener (ChaincodeSupport.Register)', '127.0.0.1:7052')
    .option('--api <host:port>', 'HTTP API (docs/api.md); binds only this host', '127.0.0.1:7080')
    .option('--data-dir <dir>', 'persist world state, history, private data and dev CAs here (default: in memory)')
    .option('--peer-msp-id <id>', "the peer's MSP id", 'Org1MSP')
    .option('--collections <chaincode=file>', 'private data collection config (Fabric JSON) for a chaincode; repeatable', collect)
    .option('--chaincode <name=command>', 'launch and supervise this chaincode process; repeatable', collect)
    .option('--ccaas <name=host:port>', 'chaincode-as-a-service the peer dials; repeatable', collect)
    .option('--ccaas-connection <name=file>', "chaincode-as-a-service from a Fabric connection.json (address, dial_timeout, TLS); repeatable", collect)
    .option('--ccaas-tls-root-cert <name=file>', 'TLS to a --ccaas chaincode server: the CA (PEM) its certificate chains to (connection.json root_cert); repeatable', collect)
    .option('--ccaas-tls-client-cert <name=file>', 'mutual TLS: the client certificate (PEM) the peer presents to a --ccaas server (client_cert); repeatable', collect)
    .option('--ccaas-tls-client-key <name=file>', 'mutual TLS: its private key (PEM) (client_key); repeatable', collect)
    .option('--ccaas-tls-server-name <name=host>', 'verify the --ccaas server certificate for this host name instead of the address (connection.json domain); repeatable', collect)
    .option('--init-required <name>', 'the chaincode requires initialization (Fabric lifecycle --init-required): first invocation per channel must be --init; repeatable', collect)
    .option('--tls', 'TLS with client certificates on the chaincode listener')
    .option('--execute-timeout <duration>', 'chaincode execute timeout, e.g. 30s, 500ms, 2m (default: 30s)')
    .option('--startup-timeout <duration>', 'how long a launched chaincode may take to register (default: 60s)')
    .option('--keepalive <seconds>', 'KEEPALIVE interval in seconds (or a duration); 0 = off (default: 0)')
    .option('--max-recv-msg-size <bytes>', 'largest message the chaincode listener accepts, e.g. 104857600 or 100MiB (default: 100MiB, as peer.maxRecvMsgSize)')
    .option('--max-send-msg-size <bytes>', 'largest message the peer sends (default: 100MiB, as peer.maxSendMsgSize)')
    .option('--max-tx-per-chaincode <n>', 'transactions in flight per chaincode, launch waits included (default: 2500)')
    .option('--max-tx-per-stream <n>', 'transactions in flight on one chaincode stream (default: 2500)')
    .option('--max-chaincode-streams <n>', 'chaincode streams open at once, registered or not (default: 1000)')
    .option('--max-open-iterators <n>', 'iterators a chaincode may hold open in one transaction (default: 1000)')
    .option('--stream-high-water <bytes>', 'unsent replies at which a chaincode stream stops reading, e.g. 4MiB (default: 4MiB)')
    .option('--stream-max-queued <bytes>', 'unsent bytes at which a chaincode stream is closed (default: 64MiB)')
    .option('--stream-stall-timeout <duration>', 'close a chaincode stream that stopped reading and sent nothing for this long; 0 = never (default: 60s)')
    .option('--max-api-requests <n>', 'API requests in flight; one more gets 429 (default: 256)')
    .option('--max-body-size <bytes>', 'largest API request body; larger gets 413 (default: 10MiB)')
    .option('--shutdown-grace <duration>', 'on SIGINT/SIGTERM, how long calls in flight may take to finish (default: 30s)')
    .option('--gateway <host:port>', 'client endpoint: Fabric Gateway, Deliver and Endorser services (docs/gateway.md); port 0 picks a free port', '127.0.0.1:7051')
    .option('--no-gateway-tls', "serve the client endpoint in plaintext (default: TLS with peer0's certificate from the crypto folder)")
    .option('--org <mspid>', 'declare an organisation; the dev peer plays its peer0 (default: --peer-msp-id); repeatable', collect)
    .option('--crypto-dir <dir>', "the organisations' crypto material in cryptogen's layout, created when missing or empty (default: <data-dir>/crypto, else a temporary folder)")
    .option('--msp <mspid=dir>', 'declare an organisation from an existing MSP folder (cryptogen, fabric-ca); repeatable', collect)
    .option('--batch-timeout <duration>', 'BatchTimeout: a block is cut this long after its first transaction (default: 10ms)')
    .option('--batch-size <count[,bytes]>', 'BatchSize: MaxMessageCount and optionally PreferredMaxBytes (default: 500,512KiB)')
    .option('--endorsement-policy <chaincode=policy>', "a chaincode's endorsement policy, e.g. \"AND('Org1MSP.peer','Org2MSP.peer')\" (default: a majority of the organisations); repeatable", collect)
    .option('--channel <name>', 'a channel that exists from the start (default: mychannel); repeatable', collect)
    .option('--dev-mode', 'accept chaincode that connects by itself (default)')
    .option('--no-dev-mode', 'accept only chaincode the peer launched')
    .addOption(new Option('--log-format <format>', 'log line format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--log-level <level>', 'lowest level printed').choices([...LOG_LEVELS]).default('info'))
    .action(async (opts: PeerCommandOptions) => setCode(await runPeerCommand(opts, io)));

  const txCommand = (kind: 'invoke' | 'query', description: string): void => {
    program
      .command(kind)
      .description(description)
      .argument('[fn-and-args...]', 'function and arguments (put them after --)')
      .option('--api <url>', 'the peer API', DEFAULT_API_URL)
      .option('-C, --channel <channel>', 'channel (created on first use)', 'mychannel')
      .option('-n, --name <chaincode>', 'chaincode name (required)')
      .option('--init', 'send as Init (is_init, Fabric --isInit): the first invocation of an --init-required chaincode on a channel')
      .option('--transient <json>', 'transient map: JSON object of string values (sent as UTF-8)')
      .option('--transient-base64 <json>', 'transient map: JSON object of base64 values')
      .option('--msp-id <id>', "the client identity's MSP id", 'Org1MSP')
      .option('--user <name>', 'the client identity (a dev CA user)', 'user1')
      .option('--tx-id <id>', 'transaction id (default: generated)')
      .option('-c, --ctor <json>', 'function and arguments as in Fabric\'s peer CLI: {"Args":["fn","a1"]}')
      .option('--args-base64', 'the arguments are base64 (binary)')
      .option('--timeout <duration>', 'give up after', '120s')
      .option('--pretty', 'indent the JSON output')
      .action(async (operands: string[], opts: TxCommandOptions) => setCode(await runTxCommand(kind, opts, operands, io)));
  };
  txCommand('invoke', 'submit a transaction (writes are committed when it succeeds); prints one JSON object');
  txCommand('query', 'evaluate a transaction without committing; prints one JSON object');

  const readCommand = (what: 'chaincodes' | 'channels', description: string): void => {
    program
      .command(what)
      .description(description)
      .option('--api <url>', 'the peer API', DEFAULT_API_URL)
      .option('--timeout <duration>', 'give up after', '30s')
      .option('--pretty', 'indent the JSON output')
      .action(async (opts: ApiReadOptions) => setCode(await runListCommand(what, opts, io)));
  };
  readCommand('chaincodes', 'list the chaincodes the peer knows (JSON)');
  readCommand('channels', 'list the channels in use (JSON)');

  program
    .command('charts')
    .description('the protocol state charts: list them, or print one (or all) as Mermaid or JSON')
    .argument('[name]', 'peerHandler, peerTx, chaincodeHandler or chaincodeTx')
    .option('--json', "the chart's createMachine config as JSON (for state-chart tools)")
    .option('--mermaid', 'a Mermaid stateDiagram-v2 (the default when a name is given)')
    .action(async (name: string | undefined, opts: ChartsCommandOptions) => setCode(await runChartsCommand(opts, name, io)));

  program
    .command('proxy')
    .description('forward peer <-> chaincode streams unchanged and trace every message with both charts (docs/conformance.md) until SIGINT/SIGTERM')
    .option('--listen <host:port>', 'where the proxy listens (the peer address chaincodes dial, or the chaincode server address the peer dials)', '127.0.0.1:7052')
    .option('--upstream <host:port>', 'the real peer (register mode) or the real chaincode server (ccaas mode) (required)')
    .option('--trace <file>', 'the trace to write, JSON Lines (required)')
    .addOption(new Option('--mode <mode>', 'register: chaincodes dial the proxy; ccaas: the peer dials the proxy').choices(['register', 'ccaas']).default('register'))
    .option('--listen-tls-cert <file>', 'TLS on the listening side: the server certificate (PEM)')
    .option('--listen-tls-key <file>', 'TLS on the listening side: its private key (PEM)')
    .option('--listen-tls-client-ca <file>', 'mutual TLS on the listening side: the CA (PEM) client certificates must chain to')
    .option('--upstream-tls-root-cert <file>', 'TLS to the upstream: the CA (PEM) its certificate chains to')
    .option('--upstream-tls-client-cert <file>', 'mutual TLS to the upstream: the client certificate (PEM)')
    .option('--upstream-tls-client-key <file>', 'mutual TLS to the upstream: its private key (PEM)')
    .option('--upstream-tls-server-name <host>', "verify the upstream's certificate for this host name instead of the address")
    .action(async (opts: ProxyCommandOptions) => setCode(await runProxyCommand(opts, io)));

  program
    .command('check')
    .description('replay a trace through both charts and report every violation; exit 0 none, 1 violations, 2 unreadable trace')
    .argument('<trace>', 'a trace written by ccproto proxy (JSON Lines)')
    .option('--json', 'print the report as one JSON object')
    .action(async (trace: string, opts: CheckCommandOptions) => setCode(await runCheckCommand(trace, opts, io)));

  const conformCommand = program.command('conform').description('conformance suites against an external implementation (docs/conformance.md)');
  conformCommand
    .command('chaincode')
    .description('play the peer against a command chaincode, one fresh process per scenario; exit 0 when nothing fails, 1 otherwise')
    .argument('<command...>', 'the chaincode command and its arguments (after --); it gets --peer.address=HOST:PORT appended')
    .option('--json', 'print the report as one JSON object')
    .option('--start-timeout <duration>', 'how long the process may take to dial (default: 30s)')
    .option('--reply-timeout <duration>', 'how long each answer may take (default: 10s)')
    .option('--only <id>', 'run only this scenario; repeatable', collect)
    .action(async (command: string[], opts: ConformChaincodeCommandOptions) => setCode(await runConformChaincodeCommand(command, opts, io)));

  conformCommand
    .command('peer')
    .description("play the chaincode against a peer's chaincode listener (fresh streams per scenario); exit 0 when nothing fails, 1 otherwise")
    .option('--peer <host:port>', 'the peer\'s chaincode listener (required)')
    .option('--api <url>', "ccproto's HTTP API (ccproto peer --api), to make the peer start transactions: adds the scenarios that need one")
    .option('--json', 'print the report as one JSON object')
    .option('--name <name:version>', 'register every scenario under this chaincode name (default: conform-<scenario>:1.0; a peer outside dev mode accepts only names it launched)')
    .option('--reply-timeout <duration>', 'how long each answer may take (default: 10s)')
    .option('--only <id>', 'run only this scenario; repeatable', collect)
    .option('--tls-root-cert <file>', 'TLS: the CA (PEM) the peer\'s certificate chains to')
    .option('--tls-client-cert <file>', 'mutual TLS: the client certificate (PEM) to present')
    .option('--tls-client-key <file>', 'mutual TLS: its private key (PEM)')
    .option('--tls-server-name <host>', "verify the peer's certificate for this host name")
    .action(async (opts: ConformPeerCommandOptions) => setCode(await runConformPeerCommand(opts, io)));

  const fuzzCommand = program.command('fuzz').description('generated sessions against an external implementation: crashes, hangs and violations, shrunk and traced (docs/conformance.md)');
  fuzzCommand
    .command('chaincode')
    .description('play generated peer sessions against a command chaincode (a fresh process each); exit 1 on a finding')
    .argument('<command...>', 'the chaincode command and its arguments (after --)')
    .option('--seconds <n>', 'time budget for generating sessions (default: 60)')
    .option('--sessions <n>', 'at most this many sessions (with --seconds, whichever ends first; the same on any machine)')
    .option('--shrink-runs <n>', 'at most this many plays while shrinking a finding (default: only its time bound)')
    .option('--seed <n>', 'replay a campaign (default: random, printed)')
    .option('--out <dir>', 'where a finding\'s trace is written (default: a new temporary folder, printed)')
    .option('--reply-timeout <duration>', 'how long each answer may take before it is a hang (default: 5s)')
    .option('--no-keepalive', 'no KEEPALIVE in the sessions (fabric-shim <= 2.5.8 exits on one)')
    .action(async (command: string[], opts: FuzzCommandOptions & { keepalive?: boolean }) => setCode(await runFuzzChaincodeCommand(command, { ...opts, noKeepalive: opts.keepalive === false }, io)));
  fuzzCommand
    .command('peer')
    .description("play generated chaincode sessions against a peer's chaincode listener; exit 1 on a finding")
    .option('--peer <host:port>', "the peer's chaincode listener (required)")
    .option('--seconds <n>', 'time budget for generating sessions (default: 60)')
    .option('--sessions <n>', 'at most this many sessions (with --seconds, whichever ends first; the same on any machine)')
    .option('--shrink-runs <n>', 'at most this many plays while shrinking a finding (default: only its time bound)')
    .option('--seed <n>', 'replay a campaign (default: random, printed)')
    .option('--out <dir>', 'where a finding\'s trace is written (default: a new temporary folder, printed)')
    .option('--reply-timeout <duration>', 'how long each answer may take before it is a hang (default: 5s)')
    .option('--tls-root-cert <file>', 'TLS: the CA (PEM) the peer\'s certificate chains to')
    .option('--tls-client-cert <file>', 'mutual TLS: the client certificate (PEM)')
    .option('--tls-client-key <file>', 'mutual TLS: its private key (PEM)')
    .action(async (opts: FuzzCommandOptions) => setCode(await runFuzzPeerCommand(opts, io)));

  const traceCommand = program.command('trace').description('work with a trace written by ccproto proxy (docs/conformance.md)');
  traceCommand
    .command('render')
    .description("a sequence diagram of each stream (or one stream, or one transaction) with both charts' states and every finding; exit 0 written, 2 unreadable trace or nothing selected")
    .argument('<trace>', 'a trace written by ccproto proxy (JSON Lines)')
    .option('--stream <id>', 'only this stream')
    .option('--tx <txid>', 'only the messages of this transaction (one diagram per stream and channel it occurs on)')
    .addOption(new Option('--format <format>', 'Mermaid sequenceDiagram text, or one self-contained HTML page').choices([...RENDER_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'write here (default: stdout)')
    .action(async (trace: string, opts: TraceRenderOptions) => setCode(await runTraceRenderCommand(trace, opts, io)));

  program
    .command('tls')
    .description('TLS material for a user-run chaincode (peer started with --tls)')
    .option('--api <url>', 'the peer API', DEFAULT_API_URL)
    .option('-n, --name <chaincode>', 'chaincode name the client certificate is for (required)')
    .option('--out <dir>', 'write peer.crt, client.crt/.key (base64) and client_pem.crt/.key here, print export lines (default: print JSON)')
    .option('--timeout <duration>', 'give up after', '30s')
    .option('--pretty', 'indent the JSON output')
    .action(async (opts: TlsCommandOptions) => setCode(await runTlsCommand(opts, io)));

  return program;
}

/**
 * Run the CLI with `argv` (without `node` and the script) and resolve to the exit code. Output goes
 * to `io.stdout` / `io.stderr`; nothing here exits the process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    argv,
  );
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" with exit code 0; anything else is a bad command line.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`ccproto: ${err.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`ccproto: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the command line of this process (what bin/ccproto.mjs calls). */
export async function runProcess(): Promise<void> {
  // A closed pipe on stdout/stderr must not crash a running peer.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code;
  // Leave room for pending output; exit even if some handle (a child's pipe, a timer) lingers.
  setTimeout(() => process.exit(code), 1000).unref();
}

if (isEntryPoint()) await runProcess();
