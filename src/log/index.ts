// Structured JSON logging (pino) with redaction of anything that can carry a secret.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Paths pino replaces with "[redacted]" wherever they appear in a log object. */
export const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', 'headers["x-registry-auth"]',
  'headers["x-registry-config"]', 'cookie', '*.cookie', 'env', '*.env', 'Env', '*.Env', 'body', '*.body',
];

/** Maps syslog level names (tecnativa's LOG_LEVEL) onto pino levels. */
export function pinoLevel(level: string): LevelWithSilent {
  switch (level) {
    case 'emerg':
    case 'alert':
    case 'crit':
      return 'fatal';
    case 'err':
      return 'error';
    case 'warning':
      return 'warn';
    case 'notice':
    case 'info':
      return 'info';
    case 'debug':
      return 'debug';
    default:
      return 'info';
  }
}

/** Creates a logger. `destination` defaults to stdout (fd 1); pass one `stdoutDestination()` to several loggers. */
export function createLogger(opts: { level?: string; name?: string; destination?: DestinationStream; redact?: boolean } = {}): Logger {
  return pino(
    {
      level: pinoLevel(opts.level ?? 'info'),
      ...(opts.name ? { name: opts.name } : {}),
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Redaction walks every line; a logger whose lines are built only from safe fields may skip it.
      ...(opts.redact === false ? {} : { redact: { paths: REDACT_PATHS, censor: '[redacted]' } }),
    },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** Escapes CR/LF and other control bytes in untrusted strings before they reach a log line. */
export function safeForLog(s: string, max = 512): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

/** Lines are gathered up to this many bytes before one write (a busy proxy logs a line per request). */
export const LOG_BUFFER_BYTES = 4096;
/** …and written at least this often, so a quiet process's lines are never held back for long. */
export const LOG_FLUSH_INTERVAL_MS = 100;

/**
 * An asynchronous, buffered stdout destination that several loggers can share without interleaving
 * lines. Buffered lines are flushed every LOG_FLUSH_INTERVAL_MS and when the process exits.
 */
export function stdoutDestination(): DestinationStream {
  const dest = pino.destination({ fd: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  const timer = setInterval(() => {
    try {
      dest.flush();
    } catch {
      // a write is still in flight or stdout is gone: the next tick tries again
    }
  }, LOG_FLUSH_INTERVAL_MS);
  timer.unref();
  process.once('exit', () => {
    clearInterval(timer);
    try {
      dest.flushSync();
    } catch {
      // stdout already closed
    }
  });
  return dest;
}
