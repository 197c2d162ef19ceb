/** The load-time join between a chart's action names and the core's implementations (chartCompiler.ts checkActions, bindActions). */
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';

import { bindActions, boundRun, checkActions, compileChart, stepChart } from '../../src/core/chartCompiler.js';
import { peerHandlerChart, peerTxChart, chaincodeHandlerChart, chaincodeTxChart } from '../../src/core/compiledCharts.js';
import { peerHandlerActions } from '../../src/core/peer/handlerActions.js';
import { peerTxActions } from '../../src/core/peer/txActions.js';
import { chaincodeHandlerActions } from '../../src/core/chaincode/handlerActions.js';
import { chaincodeTxActions } from '../../src/core/chaincode/txActions.js';

const noop = () => {};
const chart = compileChart(
  setup({ actions: { a: noop, b: noop } }).createMachine({
    id: 'tiny',
    initial: 'one',
    states: { one: { entry: 'a', on: { go: { target: 'two', actions: 'b' } } }, two: {} },
  }),
  {},
);

describe('checkActions', () => {
  it('passes for the four charts and their implementations', () => {
    expect(() => checkActions(peerHandlerChart as never, peerHandlerActions)).not.toThrow();
    expect(() => checkActions(peerTxChart as never, peerTxActions)).not.toThrow();
    expect(() => checkActions(chaincodeHandlerChart as never, chaincodeHandlerActions)).not.toThrow();
    expect(() => checkActions(chaincodeTxChart as never, chaincodeTxActions)).not.toThrow();
  });

  it('an action the chart names without an implementation fails at load', () => {
    expect(() => checkActions(chart as never, { a: noop })).toThrow('tiny: actions without an implementation: b');
  });

  it('an implementation no transition or entry names fails at load', () => {
    expect(() => checkActions(chart as never, { a: noop, b: noop, renamed: noop })).toThrow('tiny: implementations no transition names: renamed');
  });
});

describe('bindActions', () => {
  const tiny = () =>
    compileChart(
      setup({ actions: { a: noop, b: noop } }).createMachine({
        id: 'tiny',
        initial: 'one',
        states: { one: { on: { go: { target: 'two', actions: 'b' } } }, two: { entry: 'a', on: { stay: { actions: ['a', 'b'] } } } },
      }),
      {},
    );

  it('a step reports the implementations of its actions, in their order (a transition, then its target\'s entry)', () => {
    const c = tiny();
    const a = () => {};
    const b = () => {};
    bindActions(c as never, { a, b });
    const go = stepChart(c, 'one', {}, { type: 'go' })!;
    expect(go.actions).toEqual(['b', 'a']);
    expect(boundRun(go)).toEqual([b, a]);
    expect(boundRun(stepChart(c, 'two', {}, { type: 'stay' })!)).toEqual([a, b]);
  });

  it('a chart stepped before it was bound fails loudly instead of running no actions', () => {
    const go = stepChart(tiny(), 'one', {}, { type: 'go' })!;
    expect(() => boundRun(go)).toThrow('core: a chart was stepped before bindActions joined its actions');
  });

  it('checks the names first', () => {
    expect(() => bindActions(tiny() as never, { a: noop })).toThrow('tiny: actions without an implementation: b');
  });
});

describe('inputOf: an action names the input it handles', () => {
  it('narrows a matching input and throws on a wiring mistake', async () => {
    const { inputOf } = await import('../../src/core/event.js');
    const input = { kind: 'appShutdown', reason: 'bye', now: 0 } as const;
    expect(inputOf(input as { kind: 'appShutdown'; reason: string; now: number } | { kind: 'appExecute' }, 'appShutdown').reason).toBe('bye');
    expect(() => inputOf(input as { kind: string }, 'appExecute')).toThrow('core: an action for appExecute inputs ran on a appShutdown input');
  });
});
