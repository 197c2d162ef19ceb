/**
 * FIFO items, interned: equal items (same JSON) are one object with a number. The state key then
 * reads an item's number from a Map instead of writing its JSON, and a memoised core step
 * (memo.ts) that sends the same message object again finds its item without writing it either.
 * Items are never mutated.
 */
import type { Message } from '../protocol/messages.js';
import type { Item } from './model.js';

const byText = new Map<string, Item>();
const numbers = new Map<Item, number>();
const byMessage = new WeakMap<Message, Item>();
const byReason = new Map<string, Item>();

function interned(item: Item): Item {
  // No replacer: bytes come out as {"0":…,"1":…}, which is as faithful and twice as fast.
  const text = JSON.stringify(item);
  let canonical = byText.get(text);
  if (canonical === undefined) {
    byText.set(text, (canonical = item));
    numbers.set(item, numbers.size + 1);
  }
  return canonical;
}

/** The item carrying a message a core sent. */
export function messageItem(m: Message): Item {
  let item = byMessage.get(m);
  if (item === undefined) byMessage.set(m, (item = interned({ m })));
  return item;
}

/** A faulty party's copy of a message (arrives late; see the `duplicate` move). */
export function faultyItem(m: Message): Item {
  return interned({ m, faulty: true });
}

/** The end of the stream, as the receiving side will read it. */
export function closeItem(reason: string): Item {
  let item = byReason.get(reason);
  if (item === undefined) byReason.set(reason, (item = interned({ close: reason })));
  return item;
}

/** Equal numbers iff equal items; an item made elsewhere (a structuredClone of a World) is looked up by its JSON. */
export function itemNumber(item: Item): number {
  return numbers.get(item) ?? numbers.get(interned(item))!;
}
