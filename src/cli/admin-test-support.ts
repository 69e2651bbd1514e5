// Test support for `portcullis admin`: an in-memory AdminIo that records stdout/stderr and serves a fixed stdin.
import type { AdminIo } from './admin-context.js';

/** An AdminIo whose output is kept in `out`/`err`; stdin is `stdin` (a pipe) unless `tty` is set. */
export interface MemoryIo extends AdminIo {
  out: string[];
  err: string[];
  /** Everything written to stdout and stderr so far. */
  all(): string;
}

/** Builds a MemoryIo; `env` replaces the environment entirely (so the host's PORTCULLIS_* never leak in). */
export function memoryIo(opts: { stdin?: string; tty?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; osUser?: string } = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env: opts.env ?? {},
    cwd: opts.cwd ?? '/',
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    stdinIsTty: opts.tty === true,
    osUser: opts.osUser ?? 'tester',
    out,
    err,
    all: () => out.join('') + err.join(''),
  };
}
