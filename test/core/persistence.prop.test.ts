/**
 * Persistence: the core state is plain JSON. Running the same random session twice, once as is
 * and once with both states written to JSON and read back before every single step, must produce
 * exactly the same effects and the same final state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPeerState, persistState, restoreState } from '../../src/core/index.js';
import { Harness } from '../support/modelHarness.js';
import { assertProp } from '../support/props.js';
import { commandsArb } from '../support/modelCommands.js';

describe('persistence', () => {
  it('prop: persisting and restoring at every step changes nothing', () => {
    assertProp(
      fc.property(commandsArb, fc.boolean(), (cmds, keepalive) => {
        const plain = new Harness({ keepaliveMs: keepalive ? 50 : 0, handshake: true });
        fc.modelRun(() => ({ model: {}, real: plain }), cmds);
        const persisted = new Harness({ keepaliveMs: keepalive ? 50 : 0, handshake: true, persistEveryStep: true });
        fc.modelRun(() => ({ model: {}, real: persisted }), cmds);
        expect(persisted.log).toEqual(plain.log);
        expect(JSON.parse(JSON.stringify(persisted.peer))).toEqual(JSON.parse(JSON.stringify(plain.peer)));
        expect(JSON.parse(JSON.stringify(persisted.cc))).toEqual(JSON.parse(JSON.stringify(plain.cc)));
      }),
      { runs: 100 },
    );
  });

  it('persistState/restoreState round-trips and refuses foreign or stale snapshots', () => {
    const s = createPeerState({ keepaliveMs: 10 });
    const back = restoreState(persistState(s));
    expect(back).toEqual({ ok: true, state: s });
    expect(restoreState('{').ok).toBe(false);
    expect(restoreState('{"format":"other"}').ok).toBe(false);
    expect(restoreState(JSON.stringify({ ...s, version: 999 }))).toEqual({ ok: false, reason: 'state version 999 != 1' });
  });
});
