// Tests: the concurrency cap used for argon2.
import { describe, expect, it } from 'vitest';
import { Semaphore, SemaphoreFullError } from './semaphore.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Semaphore', () => {
  it('runs at most max tasks at once and starts waiters as slots free up', async () => {
    const sem = new Semaphore(2);
    let peak = 0;
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const runs = gates.map((g) =>
      sem.run(async () => {
        peak = Math.max(peak, sem.running);
        await g.promise;
      }),
    );
    await Promise.resolve();
    expect(sem.running).toBe(2);
    expect(sem.queued).toBe(2);
    for (const g of gates) g.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(sem.running).toBe(0);
  });

  it('refuses callers beyond the queue limit instead of queueing without bound', async () => {
    const sem = new Semaphore(1, 1);
    const gate = deferred();
    const first = sem.run(() => gate.promise);
    const second = sem.run(() => Promise.resolve());
    await expect(sem.run(() => Promise.resolve())).rejects.toBeInstanceOf(SemaphoreFullError);
    gate.resolve();
    await Promise.all([first, second]);
  });

  it('releases the slot when a task throws', async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(sem.running).toBe(0);
    await expect(sem.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
