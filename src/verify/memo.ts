/**
 * Memoised core steps. The cores are pure and deterministic (the same state and input give the
 * same next state and effects, docs/architecture.md), and a run visits few distinct core states:
 * 692 peer and 135 chaincode states at tx3-get, against 53,984 Worlds. So the explorer steps each
 * (core state, input) pair once: 97% of the steps at tx3-get are found, 96% at 1.35 million states. Core states are interned — equal JSON (how a core state persists)
 * is one object, never mutated again — and each keeps the result of every input it was given.
 *
 * A memoised step leaves its input state alone (it steps a copy on a miss) and returns a state and
 * effects that are shared: nobody may mutate them (the Stepper does not; canon.ts caches a core's
 * tokens per object).
 */
import { persistState, type ChaincodeCoreState, type PeerCoreState } from '../core/index.js';
import type { ChaincodeCoreInput, PeerCoreInput, RecvInput } from '../protocol/inputs.js';
import { copyCore } from './copy.js';
import type { Steppers } from './model.js';

type Step<S, I, E> = (state: S, input: I) => { state: S; effects: E[] };

interface Entry<S, E> {
  state: S;
  next: Map<string, { state: S; effects: E[] }>;
}

/** Steppers that never mutate the state they are given, each step computed once. */
export function memoized(steppers: Steppers): Steppers {
  return { peer: memoize(steppers.peer), chaincode: memoize(steppers.chaincode), keepInput: true };
}

function memoize<S extends PeerCoreState | ChaincodeCoreState, I extends PeerCoreInput | ChaincodeCoreInput, E>(step: Step<S, I, E>): Step<S, I, E> {
  const byText = new Map<string, Entry<S, E>>();
  const byState = new WeakMap<S, Entry<S, E>>();
  const entry = (s: S): Entry<S, E> => {
    let e = byState.get(s);
    if (e === undefined) {
      const text = persistState(s);
      e = byText.get(text);
      if (e === undefined) byText.set(text, (e = { state: s, next: new Map() }));
      byState.set(s, e);
    }
    return e;
  };
  return (state, input) => {
    const e = entry(state);
    const key = inputKey(input);
    let r = e.next.get(key);
    if (r === undefined) {
      const out = step(copyCore(state), input);
      e.next.set(key, (r = { state: entry(out.state).state, effects: out.effects }));
    }
    return r;
  };
}

/**
 * An input's identity: its JSON. A delivered message is an interned item's (items.ts), so it gets
 * a number, once per message object, and the key stays short (cheap to hash).
 */
function inputKey(input: PeerCoreInput | ChaincodeCoreInput): string {
  if (input.kind !== 'recv') return JSON.stringify(input);
  let n = messageNumbers.get(input.message);
  if (n === undefined) messageNumbers.set(input.message, (n = messageNumber(JSON.stringify(input.message))));
  return `recv ${input.now} ${n}`;
}

// The recv key names every field of RecvInput: this fails to compile if it gains one.
const recvFields: keyof RecvInput extends 'kind' | 'message' | 'now' ? true : never = true;
void recvFields;

const messageNumbers = new WeakMap<object, number>();
const messageTexts = new Map<string, number>();

function messageNumber(text: string): number {
  let n = messageTexts.get(text);
  if (n === undefined) messageTexts.set(text, (n = messageTexts.size));
  return n;
}
