/**
 * The real clock's timers (src/drive/clock.ts): one Node timer for all, armed at the earliest
 * deadline. Real time, short deadlines and generous waits: what is checked is order and
 * cancellation, never how late a timer fires.
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/drive/clock.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await settle(5);
}

describe('realClock timers', () => {
  it('fire earliest deadline first, whatever the order they were armed in', async () => {
    const fired: string[] = [];
    const now = realClock.now();
    realClock.setTimer(now + 40, () => fired.push('c'));
    realClock.setTimer(now + 5, () => fired.push('a'));
    realClock.setTimer(now + 20, () => fired.push('b'));
    await until(() => fired.length === 3);
    expect(fired).toEqual(['a', 'b', 'c']);
  });

  it('a cancelled timer never fires, also when it is the one the Node timer was armed for', async () => {
    const fired: string[] = [];
    const now = realClock.now();
    const first = realClock.setTimer(now + 5, () => fired.push('cancelled'));
    realClock.setTimer(now + 15, () => fired.push('kept'));
    realClock.clearTimer(first);
    await until(() => fired.length === 1);
    await settle(30);
    expect(fired).toEqual(['kept']);
  });

  it('a timer armed earlier than the armed one re-arms; one cancelled by an earlier callback does not fire', async () => {
    const fired: string[] = [];
    const now = realClock.now();
    realClock.setTimer(now + 200, () => fired.push('late'));
    let second: unknown;
    realClock.setTimer(now + 5, () => {
      fired.push('early');
      realClock.clearTimer(second);
    });
    second = realClock.setTimer(now + 5, () => fired.push('cancelled by early'));
    await until(() => fired.length >= 2);
    expect(fired).toEqual(['early', 'late']);
  });

  it('a timer armed from a callback fires too', async () => {
    const fired: string[] = [];
    realClock.setTimer(realClock.now() + 2, () => {
      fired.push('first');
      realClock.setTimer(realClock.now() + 2, () => fired.push('second'));
    });
    await until(() => fired.length === 2);
    expect(fired).toEqual(['first', 'second']);
  });
});
