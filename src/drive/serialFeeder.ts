/**
 * The drive loop's one rule, in one place: inputs are processed one at a time, each with all its
 * effects, before the next. An input fed while another is being processed (an effect handler that
 * feeds back synchronously) is queued and processed right after, never nested.
 */
export class SerialFeeder<I> {
  private readonly queue: I[] = [];
  private busy = false;

  constructor(private readonly process: (input: I) => void) {}

  feed(input: I): void {
    this.queue.push(input);
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) this.process(next);
    } finally {
      this.busy = false;
    }
  }
}
