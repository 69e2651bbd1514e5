// DockerError: the one error type of the Docker client, for daemon answers and transport failures.

/** Codes set on transport-level failures (statusCode 0); daemon errors carry no code. */
export type DockerErrorCode = 'ENOENT' | 'ECONNREFUSED' | 'EACCES' | 'ETIMEDOUT' | 'ABORTED' | 'CLOSED' | 'PROTOCOL' | 'CONFIG' | 'UNREACHABLE' | 'OFFLINE';

/**
 * A failed Docker Engine call. `statusCode` is the daemon's HTTP status, or 0 when the daemon
 * could not be reached or the call did not complete (then `code` says why). `message` is the
 * daemon's own message when it sent one. Never carries credentials.
 */
export class DockerError extends Error {
  override readonly name = 'DockerError';
  readonly statusCode: number;
  readonly operation: string;
  readonly code: DockerErrorCode | undefined;

  constructor(message: string, opts: { statusCode: number; operation: string; code?: DockerErrorCode; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.statusCode = opts.statusCode;
    this.operation = opts.operation;
    this.code = opts.code;
  }
}

/** Builds the DockerError for a non-2xx daemon answer, taking `message` from its JSON body. */
export function httpError(operation: string, statusCode: number, body: Buffer | string): DockerError {
  const text = (typeof body === 'string' ? body : body.toString('utf8')).trim();
  let message = '';
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') {
      message = (parsed as { message: string }).message;
    }
  } catch {
    message = text.slice(0, 500);
  }
  if (message === '') message = `Docker daemon answered HTTP ${statusCode} to ${operation}`;
  return new DockerError(message, { statusCode, operation });
}

const HINTS: Record<string, { code: DockerErrorCode; hint: string }> = {
  ENOENT: { code: 'ENOENT', hint: 'no socket at that path: is dockerd running? Set DOCKER_HOST or the socket path setting' },
  ECONNREFUSED: { code: 'ECONNREFUSED', hint: 'connection refused: is dockerd running and listening there? Check DOCKER_HOST' },
  EACCES: { code: 'EACCES', hint: 'permission denied: run as a user in the docker group or fix the socket permissions' },
  EPERM: { code: 'EACCES', hint: 'permission denied: run as a user in the docker group or fix the socket permissions' },
  ENOTFOUND: { code: 'UNREACHABLE', hint: 'host name not found: check DOCKER_HOST' },
  EHOSTUNREACH: { code: 'UNREACHABLE', hint: 'host unreachable: check DOCKER_HOST and the network' },
  ECONNRESET: { code: 'UNREACHABLE', hint: 'connection reset by the daemon: check that DOCKER_HOST speaks HTTP (or TLS when configured)' },
  UND_ERR_SOCKET: { code: 'UNREACHABLE', hint: 'the connection closed early: check that DOCKER_HOST speaks HTTP (or TLS when configured)' },
  UND_ERR_CONNECT_TIMEOUT: { code: 'ETIMEDOUT', hint: 'connect timed out: is the host up and the port open?' },
  ETIMEDOUT: { code: 'ETIMEDOUT', hint: 'connect timed out: is the host up and the port open?' },
  UND_ERR_HEADERS_TIMEOUT: { code: 'ETIMEDOUT', hint: 'the daemon did not answer in time' },
  UND_ERR_BODY_TIMEOUT: { code: 'ETIMEDOUT', hint: 'the daemon stopped sending in the middle of an answer' },
};

/**
 * Maps a transport failure (socket error, undici timeout, abort) to a DockerError naming the
 * target and what to check. `target` must already be free of credentials.
 */
export function transportError(operation: string, target: string, err: unknown): DockerError {
  if (err instanceof DockerError) return err;
  const code = errorCode(err);
  const tlsProblem = code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code.startsWith('DEPTH_ZERO');
  if (tlsProblem) {
    return new DockerError(`cannot reach Docker at ${target} (${code}): TLS handshake failed: check the CA, client certificate and key`, { statusCode: 0, operation, code: 'UNREACHABLE', cause: err });
  }
  const known = HINTS[code];
  if (known) {
    return new DockerError(`cannot reach Docker at ${target} (${code}): ${known.hint}`, { statusCode: 0, operation, code: known.code, cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new DockerError(`cannot reach Docker at ${target}${code ? ` (${code})` : ''}: ${detail}`, { statusCode: 0, operation, code: 'UNREACHABLE', cause: err });
}

/** The error for a call cut short: by the caller's signal, by the total deadline, or by close(). */
export function interruptedError(operation: string, target: string, why: 'ABORTED' | 'ETIMEDOUT' | 'CLOSED', timeoutMs?: number, cause?: unknown): DockerError {
  const message =
    why === 'ABORTED' ? `${operation} was aborted`
    : why === 'CLOSED' ? `${operation} was cut short: the Docker client was closed`
    : `${operation} against ${target} did not finish within ${timeoutMs ?? 0} ms (requestTimeoutMs)`;
  return new DockerError(message, { statusCode: 0, operation, code: why, ...(cause === undefined ? {} : { cause }) });
}

function errorCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (typeof code === 'string' && !(e as { cause?: unknown }).cause) return code;
    e = e instanceof AggregateError && e.errors.length > 0 ? (e.errors[0] as unknown) : (e as { cause?: unknown }).cause;
  }
  return '';
}
