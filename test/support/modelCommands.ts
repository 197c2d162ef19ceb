/** fast-check commands for model runs of both cores together (see test/core/pair.model.prop.test.ts). */
import fc from 'fast-check';
import { ALL_MESSAGE_TYPES, REQUEST_TYPES } from '../../src/protocol/messageType.js';
import type { Malformed } from '../../src/protocol/messages.js';
import { Harness } from './modelHarness.js';
import { sampleMessage, sampleRequest } from './messages.js';

export type Model = Record<string, never>;

class Cmd implements fc.Command<Model, Harness> {
  constructor(
    private readonly label: string,
    private readonly act: (h: Harness) => void,
  ) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, h: Harness): void {
    this.act(h);
  }
  toString(): string {
    return this.label;
  }
}

const channel = fc.constantFrom('ch1', 'ch2');
const txid = fc.constantFrom('a', 'b', 'c', 'di');
const index = fc.nat(7);

const execute = fc
  .tuple(channel, txid, fc.constantFrom(20, 200, 30_000))
  .map(([c, t, ms]) => new Cmd(`execute(${c},${t},${ms})`, (h) => h.execute(c, t, ms)));
const deliverToChaincode = fc.constant(new Cmd('deliverToChaincode', (h) => h.deliverToChaincode(0)));
const deliverToPeer = fc.constant(new Cmd('deliverToPeer', (h) => h.deliverToPeer(0)));
const deliverBoth = fc.constant(new Cmd('deliverBoth', (h) => (h.deliverToChaincode(0), h.deliverToPeer(0))));
const reorderToChaincode = index.map((i) => new Cmd(`reorderToChaincode(${i})`, (h) => h.deliverToChaincode(i)));
const reorderToPeer = index.map((i) => new Cmd(`reorderToPeer(${i})`, (h) => h.deliverToPeer(i)));
const duplicateToChaincode = index.map((i) => new Cmd(`duplicateToChaincode(${i})`, (h) => h.deliverToChaincode(i, true)));
const duplicateToPeer = index.map((i) => new Cmd(`duplicateToPeer(${i})`, (h) => h.deliverToPeer(i, true)));
const serve = fc.tuple(index, fc.boolean()).map(([i, ok]) => new Cmd(`serve(${i},${ok})`, (h) => h.serve(i, ok)));
const appRequest = fc
  .tuple(index, fc.constantFrom(...REQUEST_TYPES))
  .map(([i, t]) => new Cmd(`appRequest(${i},${t})`, (h) => h.appRequest(i, sampleRequest(t))));
const appResult = fc.tuple(index, fc.constantFrom(200, 404, 500)).map(([i, st]) => new Cmd(`appResult(${i},${st})`, (h) => h.appFinish(i, 'result', st)));
const appFailed = index.map((i) => new Cmd(`appFailed(${i})`, (h) => h.appFinish(i, 'failed', 0)));
const fireNextTimer = fc.constant(new Cmd('fireNextTimer', (h) => h.fireNextTimer()));
const fireStaleTimer = index.map((i) => new Cmd(`fireStaleTimer(${i})`, (h) => h.fireStaleTimer(i)));
const stray = fc.tuple(fc.constantFrom(...ALL_MESSAGE_TYPES), channel, txid, fc.boolean()).map(
  ([t, c, x, toPeer]) =>
    new Cmd(`stray ${t}(${c},${x}) to ${toPeer ? 'peer' : 'chaincode'}`, (h) =>
      toPeer
        ? h.peerInput({ kind: 'recv', message: sampleMessage(t, c, x), now: h.now })
        : h.chaincodeInput({ kind: 'recv', message: sampleMessage(t, c, x), now: h.now }),
    ),
);
const garbage = fc
  .tuple(fc.constantFrom<'envelope' | 'payload'>('envelope', 'payload'), fc.constantFrom('PUT_STATE', 'COMPLETED', 'TRANSACTION', 'REGISTER', 'INIT'), channel, txid, fc.boolean())
  .map(([scope, t, c, x, toPeer]) => {
    const malformed = { scope, type: t, txid: x, channelId: c, reason: 'garbage' } as Malformed;
    return new Cmd(`garbage ${scope}/${t}(${c},${x}) to ${toPeer ? 'peer' : 'chaincode'}`, (h) =>
      toPeer ? h.peerInput({ kind: 'recvMalformed', malformed, now: h.now }) : h.chaincodeInput({ kind: 'recvMalformed', malformed, now: h.now }),
    );
  });
const drop = fc.constant(new Cmd('drop', (h) => h.drop()));
const shutdownPeer = fc.constant(new Cmd('shutdownPeer', (h) => h.peerInput({ kind: 'appShutdown', reason: 'peer stopping', now: h.now })));

/** Weighted so that handshakes and transactions progress between the (rarer) disruptions. */
export const commandsArb = fc.commands(
  [
    fc.oneof(
      { arbitrary: execute, weight: 6 },
      { arbitrary: deliverToChaincode, weight: 10 },
      { arbitrary: deliverToPeer, weight: 10 },
      { arbitrary: deliverBoth, weight: 10 },
      { arbitrary: serve, weight: 8 },
      { arbitrary: appRequest, weight: 7 },
      { arbitrary: appResult, weight: 4 },
      { arbitrary: appFailed, weight: 1 },
      { arbitrary: reorderToChaincode, weight: 1 },
      { arbitrary: reorderToPeer, weight: 1 },
      { arbitrary: duplicateToChaincode, weight: 1 },
      { arbitrary: duplicateToPeer, weight: 1 },
      { arbitrary: fireNextTimer, weight: 2 },
      { arbitrary: fireStaleTimer, weight: 1 },
      { arbitrary: stray, weight: 1 },
      { arbitrary: garbage, weight: 1 },
      { arbitrary: drop, weight: 1 },
      { arbitrary: shutdownPeer, weight: 1 },
    ),
  ],
  { maxCommands: 80, size: 'large' },
);

