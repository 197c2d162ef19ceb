/**
 * Our pure cores against Fabric's own behaviour (test/oracle/fabric.ts), cell by cell: drive the
 * core into the situation through its real inputs, feed the message, classify what it did into the
 * oracle's vocabulary, and expect Fabric's outcome, or the documented deviation's outcome.
 *
 * Nothing here reads src/protocol/table.ts's rows: that table builds the charts, so checking the
 * charts against it cannot catch a wrong rule. (Only its lists of state names are used, to make
 * sure every state of ours is covered.)
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createChaincodeState, createPeerState, stepChaincode, stepPeer, type ChaincodeCoreState, type PeerCoreState } from '../../src/core/index.js';
import type { ChaincodeEffect, PeerEffect } from '../../src/protocol/effects.js';
import type { ChaincodeCoreInput, PeerCoreInput } from '../../src/protocol/inputs.js';
import { utf8Bytes, type Message } from '../../src/protocol/messages.js';
import { ALL_MESSAGE_TYPES, MessageType } from '../../src/protocol/messageType.js';
import { CHAINCODE_HANDLER_STATES, PEER_HANDLER_STATES } from '../../src/protocol/table.js';
import { sampleMessage, sampleRequest } from '../support/messages.js';
import {
  CHAINCODE_SITUATIONS,
  OUTCOMES,
  PEER_SITUATIONS,
  TRANSIENT_STATES,
  oracleCells,
  type OracleCell,
  type Outcome,
} from './fabric.js';

const NOW = 1_000;
const CH = 'ch';
/** The transaction the situations start; `ready/unknown-tx` messages name TX_OTHER instead. */
const TX = 'tx1';
const TX_OTHER = 'tx9';

const CELLS = oracleCells(ALL_MESSAGE_TYPES);

/** Ids of docs/deviations.md (first column of its tables: `| P2 |`). */
const DEVIATION_IDS = new Set(
  [...readFileSync(new URL('../../docs/deviations.md', import.meta.url), 'utf8').matchAll(/^\|\s*([PCSW]\d+)\s*\|/gm)].map((m) => m[1]!),
);

type Observed = Outcome | `unclassified: ${string}`;

// ---- peer --------------------------------------------------------------------------------------

const step = (s: PeerCoreState, input: PeerCoreInput) => stepPeer(s, input).effects;

/** A peer core in the situation, reached only through real inputs; and the txid its message names. */
function peerSituation(situation: string): { s: PeerCoreState; txid: string } {
  const s = createPeerState();
  if (situation === 'created') return { s, txid: TX };
  if (situation === 'failed') {
    step(s, { kind: 'recv', message: sampleMessage('UNDEFINED'), now: NOW });
    return { s, txid: TX };
  }
  step(s, { kind: 'recv', message: sampleMessage('REGISTER'), now: NOW });
  if (situation === 'registering') return { s, txid: TX };
  step(s, { kind: 'registryVerdict', accepted: true, now: NOW });
  step(s, {
    kind: 'appExecute',
    executeId: 1,
    channelId: CH,
    txid: TX,
    txType: 'TRANSACTION',
    input: { args: [], decorations: {}, isInit: false },
    proposal: undefined,
    timeoutMs: 30_000,
    now: NOW,
  });
  if (situation === 'ready') return { s, txid: TX };
  if (situation === 'ready/unknown-tx') return { s, txid: TX_OTHER };
  if (situation === 'ready/serving') {
    step(s, { kind: 'recv', message: sampleRequest('GET_STATE', CH, TX), now: NOW }); // served, not answered yet
    return { s, txid: TX };
  }
  if (situation === 'closed') {
    step(s, { kind: 'transportClosed', reason: 'eof', now: NOW });
    return { s, txid: TX };
  }
  throw new Error(`no peer situation ${situation}`);
}

function peerMessage(cell: OracleCell, txid: string): Message {
  const m = sampleMessage(cell.type, CH, txid);
  if (cell.variant === 'empty-name' && m.type === 'REGISTER') return { ...m, payload: { ...m.payload, name: '' } };
  return m;
}

function observePeer(cell: OracleCell): Observed {
  const { s, txid } = peerSituation(cell.situation);
  const before = s.handler.value;
  const message = peerMessage(cell, txid);
  const input: PeerCoreInput =
    cell.variant === 'unparsable-payload'
      ? { kind: 'recvMalformed', malformed: { scope: 'payload', type: cell.type, code: codeOf(cell), txid: message.txid, channelId: message.channelId, reason: 'proto: cannot parse invalid wire-format data' }, now: NOW }
      : { kind: 'recv', message, now: NOW };
  const effects = step(s, input);
  // Finish what the message started, as an adapter would: answer the registry, serve the request.
  if (effects.some((e) => e.kind === 'register')) {
    const refused = cell.variant === 'registry-refuses';
    effects.push(...step(s, { kind: 'registryVerdict', accepted: !refused, reason: refused ? 'duplicate chaincodeID: mycc:1.0' : undefined, now: NOW } as PeerCoreInput));
  }
  const serve = effects.find((e) => e.kind === 'serveRequest');
  if (serve?.kind === 'serveRequest') {
    effects.push(...step(s, { kind: 'serveResult', serveId: serve.serveId, channelId: serve.request.channelId, txid: serve.request.txid, result: { ok: true, payload: utf8Bytes('v') }, now: NOW }));
  }
  return classifyPeer(before, s.handler.value, message, effects);
}

function classifyPeer(before: string, after: string, message: Message, effects: PeerEffect[]): Observed {
  const sends = effects.flatMap((e) => (e.kind === 'send' ? [e.message] : []));
  const kinds = effects.filter((e) => e.kind !== 'violation').map((e) => e.kind);
  const common = classifyCommon(before, after, message, sends, effects);
  if (common) return common;
  if (effects.some((e) => e.kind === 'register')) {
    return sends.map((m) => m.type).join() === 'REGISTERED,READY' && after === 'ready' ? 'accept-handshake' : unclassified(kinds, sends);
  }
  if (effects.some((e) => e.kind === 'serveRequest' && e.request.txid === message.txid)) {
    return sends.length === 1 && sends[0]!.type === 'RESPONSE' && sends[0]!.txid === message.txid ? 'serve-request' : unclassified(kinds, sends);
  }
  if (effects.some((e) => e.kind === 'settleExecute' && e.txid === message.txid)) {
    return sends.length === 0 ? 'finish-transaction' : unclassified(kinds, sends);
  }
  return classifyRest(before, after, kinds, sends, ['closed', 'failed']);
}

// ---- chaincode ---------------------------------------------------------------------------------

const stepC = (s: ChaincodeCoreState, input: ChaincodeCoreInput) => stepChaincode(s, input).effects;

function chaincodeSituation(situation: string): { s: ChaincodeCoreState; txid: string } {
  const s = createChaincodeState();
  if (situation === 'idle') return { s, txid: TX };
  stepC(s, { kind: 'appStart', chaincodeName: 'mycc:1.0', startId: 1, now: NOW });
  if (situation === 'created') return { s, txid: TX };
  if (situation === 'failed') {
    stepC(s, { kind: 'recv', message: sampleMessage('UNDEFINED'), now: NOW });
    return { s, txid: TX };
  }
  stepC(s, { kind: 'recv', message: sampleMessage('REGISTERED'), now: NOW });
  if (situation === 'established') return { s, txid: TX };
  stepC(s, { kind: 'recv', message: sampleMessage('READY'), now: NOW });
  stepC(s, { kind: 'recv', message: sampleMessage('TRANSACTION', CH, TX), now: NOW });
  if (situation === 'ready/running') return { s, txid: TX };
  if (situation === 'ready/unknown-tx') return { s, txid: TX_OTHER };
  stepC(s, { kind: 'appRequest', requestId: 1, message: sampleRequest('GET_STATE', CH, TX), now: NOW });
  if (situation === 'ready/awaiting-reply') return { s, txid: TX };
  if (situation === 'closed') {
    stepC(s, { kind: 'transportClosed', reason: 'eof', now: NOW });
    return { s, txid: TX };
  }
  throw new Error(`no chaincode situation ${situation}`);
}

function observeChaincode(cell: OracleCell): Observed {
  const { s, txid } = chaincodeSituation(cell.situation);
  const before = s.handler.value;
  const message = sampleMessage(cell.type, CH, txid);
  const input: ChaincodeCoreInput =
    cell.variant === 'unparsable-payload'
      ? { kind: 'recvMalformed', malformed: { scope: 'payload', type: cell.type, code: codeOf(cell), txid: message.txid, channelId: message.channelId, reason: 'proto: cannot parse invalid wire-format data' }, now: NOW }
      : { kind: 'recv', message, now: NOW };
  const effects = stepC(s, input);
  return classifyChaincode(before, s.handler.value, message, effects);
}

function classifyChaincode(before: string, after: string, message: Message, effects: ChaincodeEffect[]): Observed {
  const sends = effects.flatMap((e) => (e.kind === 'send' ? [e.message] : []));
  const kinds = effects.filter((e) => e.kind !== 'violation').map((e) => e.kind);
  const common = classifyCommon(before, after, message, sends, effects);
  if (common) return common;
  if (effects.some((e) => e.kind === 'runChaincode')) {
    return sends.length === 0 && kinds.join() === 'runChaincode' ? 'start-transaction' : unclassified(kinds, sends);
  }
  if (effects.some((e) => e.kind === 'settleRequest')) {
    return sends.length === 0 && kinds.join() === 'settleRequest' ? 'deliver-reply' : unclassified(kinds, sends);
  }
  const handshake = (before === 'created' && after === 'established') || (before === 'established' && after === 'ready');
  if (handshake) return sends.length === 0 ? 'accept-handshake' : unclassified(kinds, sends);
  return classifyRest(before, after, kinds, sends, ['idle', 'closed', 'failed']);
}

// ---- shared classification ---------------------------------------------------------------------

/** Stream endings, echoes and ERROR replies look the same on both sides. */
function classifyCommon(before: string, after: string, message: Message, sends: Message[], effects: (PeerEffect | ChaincodeEffect)[]): Observed | undefined {
  const kinds = effects.filter((e) => e.kind !== 'violation').map((e) => e.kind);
  if (effects.some((e) => e.kind === 'closeStream')) {
    // Executes/stub calls failing because the stream ends are part of ending it.
    if (sends.length === 0) return 'end-stream';
    if (sends.length === 1 && sends[0]!.type === 'ERROR' && kinds.indexOf('send') < kinds.indexOf('closeStream')) return 'error-reply-and-end-stream';
    return unclassified(kinds, sends);
  }
  if (sends.length === 1 && kinds.length === 1 && after === before) {
    const [sent] = sends;
    if (isDeepStrictEqual(sent, message)) return 'echo';
    // Fabric's ERROR replies carry the message's txid (HandleTransaction, handleStubInteraction).
    if (sent!.type === 'ERROR' && sent!.txid === message.txid) return 'error-reply';
  }
  return undefined;
}

function classifyRest(before: string, after: string, kinds: string[], sends: Message[], noStream: string[]): Observed {
  if (kinds.length === 0 && after === before) return noStream.includes(before) ? 'not-read' : 'ignore';
  return unclassified(kinds, sends);
}

function unclassified(kinds: string[], sends: Message[]): Observed {
  return `unclassified: effects [${kinds.join(', ')}], sends [${sends.map((m) => m.type).join(', ')}]`;
}

function codeOf(cell: OracleCell): number {
  return cell.type === 'UNKNOWN' ? 99 : MessageType[cell.type];
}

const label = (c: OracleCell) => `${c.situation} + ${c.type}${c.variant ? ` (${c.variant})` : ''}`;

// ---- the tests -------------------------------------------------------------------------------

describe('the oracle table itself', () => {
  it('every situation has a cell for every message type, and every state of ours is covered', () => {
    for (const [side, situations, states, transient] of [
      ['peer', PEER_SITUATIONS, PEER_HANDLER_STATES, TRANSIENT_STATES.peer],
      ['chaincode', CHAINCODE_SITUATIONS, CHAINCODE_HANDLER_STATES, TRANSIENT_STATES.chaincode],
    ] as const) {
      for (const situation of Object.keys(situations)) {
        const types = CELLS.filter((c) => c.side === side && c.situation === situation && !c.variant).map((c) => c.type);
        expect(types, `${side} ${situation}`).toEqual([...ALL_MESSAGE_TYPES]);
      }
      const covered = new Set([...Object.values(situations).map((s) => s.ours), ...Object.keys(transient)]);
      expect([...states].filter((s) => !covered.has(s)), `${side} states without a situation`).toEqual([]);
    }
  });

  it('every named type and outcome is real, every deviation is listed and differs, gaps are not deviations', () => {
    for (const c of CELLS) {
      expect(ALL_MESSAGE_TYPES, label(c)).toContain(c.type);
      expect(Object.keys(OUTCOMES), label(c)).toContain(c.fabric);
      expect(c.source, label(c)).toMatch(/\.(go|js) /);
      if (c.deviation) {
        expect(DEVIATION_IDS.has(c.deviation.id), `${c.deviation.id} (${label(c)}) is in docs/deviations.md`).toBe(true);
        expect(c.deviation.ours, `${label(c)}: a deviation with Fabric's own outcome is noise`).not.toBe(c.fabric);
        expect(c.gap, label(c)).toBeUndefined();
      }
      // Every difference from Fabric must be a listed deviation: a gap is found, then decided.
      expect(c.gap, `${label(c)}: a difference docs/deviations.md does not list`).toBeUndefined();
    }
    // Row entries name only real types (a typo would silently fall into the row's default).
    for (const situations of [PEER_SITUATIONS, CHAINCODE_SITUATIONS]) {
      for (const { row } of Object.values(situations)) for (const t of Object.keys(row.entries)) expect(ALL_MESSAGE_TYPES).toContain(t);
    }
  });
});

for (const side of ['peer', 'chaincode'] as const) {
  describe(`${side} core against Fabric`, () => {
    for (const cell of CELLS.filter((c) => c.side === side)) {
      const expected = cell.deviation?.ours ?? cell.gap?.ours ?? cell.fabric;
      const why = cell.deviation
        ? `Fabric: ${cell.fabric} (${cell.source}); ours by deviation ${cell.deviation.id}: ${expected}`
        : cell.gap
          ? `Fabric: ${cell.fabric} (${cell.source}); ours (unlisted difference, see test/oracle/fabric.ts): ${expected}`
          : `Fabric: ${cell.fabric} (${cell.source})`;
      it(label(cell), () => {
        const observed = side === 'peer' ? observePeer(cell) : observeChaincode(cell);
        expect(observed, `${side} ${label(cell)}: ${why}`).toBe(expected);
      });
    }
  });
}
