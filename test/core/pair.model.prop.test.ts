/**
 * Model runs of both cores together (fast-check `commands`): random interleavings of many
 * transactions, duplicated, reordered, late and garbage messages, stray messages of every type,
 * ledger results out of order, timer fires (fresh and stale), stream drops and shutdowns.
 *
 * Invariants (checked by the harness on every effect, and at the end of every run):
 *   - each execute settles exactly once; each stub request settles exactly once;
 *   - at most one outstanding request per transaction, on each side;
 *   - no serve / run / settle effect for a transaction that is not running;
 *   - every started timer is fired or cancelled;
 *   - nothing throws.
 * fast-check prints the seed and the shrunk command list on failure.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Harness } from '../support/modelHarness.js';
import { sampleRequest } from '../support/messages.js';
import { commandsArb } from '../support/modelCommands.js';
import { assertProp } from '../support/props.js';

describe('both cores together under an adversarial network (model runs)', () => {
  it('prop: invariants hold for random interleavings', () => {
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    assertProp(
      fc.property(commandsArb, fc.boolean(), fc.nat(9), (cmds, keepalive, startMode) => {
        // Most runs start with the handshake done; some let the commands drive it.
        const h = new Harness({ keepaliveMs: keepalive ? 50 : 0, handshake: startMode > 1 });
        fc.modelRun(() => ({ model: {}, real: h }), cmds);
        h.finish();
        for (const [side, input, effects] of h.log as [string, { kind: string }, { kind: string; outcome?: { ok: boolean; failure?: string }; violation?: { code: string } }[]][]) {
          // A stub call made while another of its transaction is in flight: held by the core.
          if (side === 'cc' && input.kind === 'appRequest' && effects.length === 0) count('held request');
          for (const e of effects) {
            if (e.kind === 'settleExecute') count(e.outcome!.ok ? 'execute ok' : `execute ${e.outcome!.failure}`);
            if (e.kind === 'violation') count(e.violation!.code);
            if (e.kind === 'serveRequest' || e.kind === 'settleRequest' || e.kind === 'runChaincode') count(e.kind);
          }
        }
      }),
      { runs: 300 },
    );
    if (process.env.CCPROTO_PROP_STATS) console.log([...seen]);
    // The runs are not vacuous: the interesting outcomes all happen somewhere in the budget.
    for (const k of ['execute ok', 'execute chaincodeError', 'execute timeout', 'execute streamTerminated', 'serveRequest', 'settleRequest', 'runChaincode', 'held request', 'TX_FINISHED', 'UNEXPECTED_MESSAGE', 'DUPLICATE_TX']) {
      if (!seen.get(k)) throw new Error(`no run produced "${k}": ${JSON.stringify([...seen])}`);
    }
  });

  it('prop: a refused registration settles everything too', () => {
    assertProp(
      fc.property(commandsArb, (cmds) => {
        const h = new Harness({ refuseRegistration: true });
        fc.modelRun(() => ({ model: {}, real: h }), cmds);
        h.finish();
      }),
      { runs: 60 },
    );
  });

  it('runs that complete transactions exist (the generator is not vacuous)', () => {
    const h = new Harness();
    for (let i = 0; i < 4; i++) h.deliverToPeer(0), h.deliverToChaincode(0);
    h.execute('ch1', 'a', 1000);
    h.deliverToChaincode(0);
    h.appRequest(0, sampleRequest('GET_STATE'));
    h.deliverToPeer(0);
    h.serve(0, true);
    h.deliverToChaincode(0);
    h.appFinish(0, 'result', 200);
    h.deliverToPeer(0);
    const settled = h.log.flatMap((entry) => (entry as [string, unknown, { kind: string; outcome?: { ok: boolean } }[]])[2]).filter((e) => e.kind === 'settleExecute');
    if (!(settled.length === 1 && settled[0]!.outcome!.ok)) throw new Error(`expected one successful execute, got ${JSON.stringify(settled)}`);
    h.finish();
  });
});
