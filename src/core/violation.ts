/**
 * Emits a violation: the `violation` report effect, then its single wire consequence
 * (src/protocol/wireError.ts). `failCommand` consequences are handed to `settle`, which settles the
 * local command that caused it (an execute or a stub request), if there is one.
 */
import type { SendEffect, CloseStreamEffect, ViolationEffect } from '../protocol/effects.js';
import type { Violation } from '../protocol/violations.js';
import { wireConsequence } from '../protocol/wireError.js';

/**
 * The chart has no transition for an event in this state. Unreachable while the totality tests
 * pass (every chart handles every event in every state); reported as a local bug, never thrown.
 */
export function unhandledEvent(side: Violation['side'], state: string, eventType: string): Violation {
  return { code: 'INVALID_COMMAND', blame: 'local', side, state, got: eventType, expected: 'an event the chart handles', channelId: '', txid: '' };
}

export function emitViolation(
  effects: { push(e: SendEffect | CloseStreamEffect | ViolationEffect): unknown },
  violation: Violation,
  settle?: (text: string) => void,
): void {
  effects.push({ kind: 'violation', violation });
  const c = wireConsequence(violation);
  switch (c.kind) {
    case 'closeStream':
      if (c.sendFirst) effects.push({ kind: 'send', message: c.sendFirst });
      effects.push({ kind: 'closeStream', reason: c.reason });
      return;
    case 'replyError':
      effects.push({ kind: 'send', message: c.reply });
      return;
    case 'failCommand':
      settle?.(c.text);
      return;
    case 'report':
      return;
  }
}
