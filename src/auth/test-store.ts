// Test support (unit tests only): a migrated in-memory SQLite store and a clock the test moves by hand.
import { openDatabase, type Store } from '../store/index.js';

/** A fresh, migrated `sqlite::memory:` store. */
export async function memoryStore(): Promise<Store> {
  const store = await openDatabase('sqlite::memory:');
  await store.migrate();
  return store;
}

/** A hand-moved clock starting just after the real now (stored creation times use the real clock). */
export function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now() + 1000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
