// A small counting semaphore with a bounded wait queue (caps concurrent argon2 work).

/** Thrown when the wait queue is full: the caller should answer "busy" rather than pile up memory. */
export class SemaphoreFullError extends Error {
  constructor(limit: number) {
    super(`too many password operations waiting (queue limit ${limit}); try again shortly`);
    this.name = 'SemaphoreFullError';
  }
}

/** Runs at most `max` tasks at once; at most `maxQueue` more wait, further callers are refused. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly max: number,
    readonly maxQueue = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new Error('semaphore size must be a positive integer');
  }

  /** Tasks currently running. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free and releases the slot however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(new SemaphoreFullError(this.maxQueue));
    // The slot is handed over directly by release(), so `active` stays counted.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
