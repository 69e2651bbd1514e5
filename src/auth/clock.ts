// The injectable clock of the auth services (epoch milliseconds), so tests can move time.

/** Returns the current time in epoch milliseconds. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();

/** An epoch-milliseconds time as ISO-8601 UTC text (the store's format). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses a stored ISO time; an unparsable value becomes NaN, which every comparison treats as "not valid". */
export function ms(isoTime: string): number {
  return Date.parse(isoTime);
}
