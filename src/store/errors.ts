// Store errors: a unique-key conflict and a refused input, with messages that never carry values of secrets.

/** A unique key (username, role name, host name, token hash…) is already taken. */
export class StoreConflictError extends Error {
  readonly code = 'PC_ERR_STORE_CONFLICT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreConflictError';
  }
}

/** The caller passed something the store refuses (a secret in audit details, a bad filter…). */
export class StoreInputError extends Error {
  readonly code = 'PC_ERR_STORE_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'StoreInputError';
  }
}

/** True for a unique-constraint violation from better-sqlite3 or pg. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Runs `fn`, turning a unique violation into StoreConflictError with `message`. */
export async function mapConflict<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new StoreConflictError(message, { cause: err });
    throw err;
  }
}
