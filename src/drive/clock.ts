/**
 * The clock an adapter gives a driver: the cores never read time themselves. `realClock` uses the
 * monotonic `performance.now()` and `setTimeout`; `SimulatedClock` jumps to the next deadline on
 * request, so tests need no sleeps (quinn-proto's test pair works the same way).
 */
export interface Clock {
  now(): number;
  /** Call `fire` at or after `deadline` (same time base as `now`). */
  setTimer(deadline: number, fire: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(deadline, fire) {
    // Whole milliseconds: Node keeps one timer list per distinct duration, so fractional delays
    // (every deadline minus a fresh now()) would give each timer a list and a heap entry of its own.
    const t = setTimeout(fire, Math.max(0, Math.ceil(deadline - performance.now())));
    t.unref?.();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface SimTimer {
  id: number;
  deadline: number;
  fire: () => void;
}

export class SimulatedClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers = new Map<number, SimTimer>();

  constructor(start = 0) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimer(deadline: number, fire: () => void): unknown {
    const id = ++this.seq;
    this.timers.set(id, { id, deadline, fire });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Deadline of the earliest armed timer, if any. */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t.deadline < min) min = t.deadline;
    return min;
  }
  pending(): number {
    return this.timers.size;
  }
  /** Move time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }
  advanceTo(target: number): void {
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.deadline <= target).sort((a, b) => a.deadline - b.deadline || a.id - b.id)[0];
      if (!due) break;
      this.timers.delete(due.id);
      this.time = Math.max(this.time, due.deadline);
      due.fire();
    }
    this.time = Math.max(this.time, target);
  }
}
