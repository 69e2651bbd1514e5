// Runs Debian's haproxy configured the way tecnativa/docker-socket-proxy v0.4.x renders its template.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, tail, type BenchChild } from './child.js';
import { freePort, waitForPort } from './net.js';
import { TECNATIVA_DEFAULTS, renderTecnativaConfig } from '../../test/helpers/haproxy.js';

const ERRORFILE_DIR = '/etc/haproxy/errors';

/** A running haproxy-as-tecnativa. */
export interface HaproxyInstance {
  readonly port: number;
  readonly pid: number;
  readonly child: BenchChild;
  stop(): Promise<void>;
}

/** `haproxy -v` first line, e.g. "HAProxy version 2.6.12-1+deb12u4 …". */
export function haproxyVersion(): string {
  return execFileSync('haproxy', ['-v'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? 'unknown';
}

/** haproxy's default thread count as printed by `haproxy -vv` ("default=N"), or null. */
export function haproxyDefaultThreads(): number | null {
  const m = /MAX_THREADS=\d+, default=(\d+)/.exec(execFileSync('haproxy', ['-vv'], { encoding: 'utf8' }));
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * Starts `haproxy -W -db` (master-worker, foreground, as tecnativa's entrypoint) with tecnativa's
 * env defaults overridden by `env` (e.g. `{CONTAINERS: '1', POST: '1'}`). Threading: haproxy's default.
 */
export async function startTecnativaHaproxy(opts: { env: Record<string, string>; socketPath: string; workDir: string; name: string }): Promise<HaproxyInstance> {
  const port = await freePort();
  const cfg = join(opts.workDir, `${opts.name}.cfg`);
  writeFileSync(cfg, renderTecnativaConfig(port, { errorfileDir: ERRORFILE_DIR }));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...TECNATIVA_DEFAULTS, SOCKET_PATH: opts.socketPath, ...opts.env };
  const child = startChild('haproxy', ['-W', '-db', '-f', cfg], env, join(opts.workDir, opts.name), opts.workDir);
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    await child.stop();
    throw new Error(`haproxy did not start: ${tail(child.stderrFile)} ${tail(child.stdoutFile)}`, { cause: err });
  }
  return { port, pid: child.pid, child, stop: () => child.stop() };
}
