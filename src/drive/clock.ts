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

/** Read once: `performance` is an accessor on the global object, slow to look up on every read. */
const perf = globalThis.performance;

interface Armed {
  deadline: number;
  fire: () => void;
}

/**
 * The real clock's timers: one Node timer for all of them, armed at the earliest deadline. The
 * peer arms an execute timeout per transaction and cancels it a few milliseconds later, nearly
 * always long before it is due; a `setTimeout` and a `clearTimeout` for each cost about 5 % of
 * bench:core's pair (docs/performance.md). Here arming a later deadline than the armed one, and
 * cancelling, are a Map operation each: the Node timer is re-armed only for an earlier deadline,
 * and when it fires it runs what is due, earliest first, and re-arms for the next.
 */
class TimerQueue {
  private readonly timers = new Map<number, Armed>();
  private nextId = 1;
  private node: ReturnType<typeof setTimeout> | undefined;
  private nodeDeadline = Infinity;

  set(deadline: number, fire: () => void): number {
    const id = this.nextId++;
    this.timers.set(id, { deadline, fire });
    if (deadline < this.nodeDeadline) this.arm(deadline);
    return id;
  }

  clear(id: number): void {
    this.timers.delete(id);
    if (this.timers.size === 0) this.disarm();
  }

  private arm(deadline: number): void {
    this.disarm();
    // Whole milliseconds: Node keeps one timer list per distinct duration.
    const t = setTimeout(() => this.due(), Math.max(0, Math.ceil(deadline - perf.now())));
    t.unref?.();
    this.node = t;
    this.nodeDeadline = deadline;
  }

  private disarm(): void {
    if (this.node !== undefined) clearTimeout(this.node);
    this.node = undefined;
    this.nodeDeadline = Infinity;
  }

  private due(): void {
    this.node = undefined;
    this.nodeDeadline = Infinity;
    const now = perf.now();
    const due = [...this.timers].filter(([, t]) => t.deadline <= now).sort(([a, x], [b, y]) => x.deadline - y.deadline || a - b);
    try {
      for (const [id, t] of due) {
        // A timer that an earlier one's callback cancelled does not fire.
        if (this.timers.delete(id)) t.fire();
      }
    } finally {
      let next = Infinity;
      for (const t of this.timers.values()) if (t.deadline < next) next = t.deadline;
      if (next < this.nodeDeadline) this.arm(next);
    }
  }
}

const realTimers = new TimerQueue();

export const realClock: Clock = {
  now: () => perf.now(),
  setTimer: (deadline, fire) => realTimers.set(deadline, fire),
  clearTimer: (handle) => realTimers.clear(handle as number),
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
