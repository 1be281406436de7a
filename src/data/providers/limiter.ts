/**
 * Per-provider request pacing: at most `concurrency` requests in flight and at least `minIntervalMs` between the
 * starts of two requests. Time and sleep are injectable, so tests run without waiting.
 */

/** A clock and a sleep function; the defaults are the real ones. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Options of {@link RequestLimiter}. */
export interface LimiterOptions {
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Least time between two request starts, in ms (default 0). */
  readonly minIntervalMs?: number;
  readonly clock?: Clock;
}

/** A semaphore with a minimum spacing between acquisitions. */
export class RequestLimiter {
  readonly concurrency: number;
  readonly minIntervalMs: number;
  private readonly clock: Clock;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextStart = Number.NEGATIVE_INFINITY;

  constructor(options: LimiterOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 0);
    this.clock = options.clock ?? realClock;
  }

  /** Runs `task` when a slot is free and the spacing allows, releasing the slot when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
      });
    } else {
      this.active++;
    }
    const now = this.clock.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.minIntervalMs;
    if (start > now) await this.clock.sleep(start - now);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.active--;
    else next(); // The slot passes to the next waiter directly.
  }
}
