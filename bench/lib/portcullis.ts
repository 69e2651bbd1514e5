// Runs `node bin/portcullis proxy` for the benchmark and waits for its "listening" log line.
import { join } from 'node:path';
import { startChild, tail, waitForOutput, type BenchChild } from './child.js';
import { freePort, waitForPort } from './net.js';

/** A running Portcullis proxy. */
export interface PortcullisInstance {
  readonly port: number;
  readonly pid: number;
  readonly child: BenchChild;
  stop(): Promise<void>;
}

/** Options for {@link startPortcullis}. */
export interface PortcullisOptions {
  repoRoot: string;
  /** Proxy settings (CONTAINERS, POST, LOG_LEVEL…); LISTEN and SOCKET_PATH are set by the launcher. */
  env: Record<string, string>;
  socketPath: string;
  workDir: string;
  name: string;
  /** Extra node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/x']`. */
  nodeArgs?: string[];
}

/** Starts the built proxy (dist/) on a free 127.0.0.1 port with a clean environment. */
export async function startPortcullis(opts: PortcullisOptions): Promise<PortcullisInstance> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...opts.env,
    LISTEN: `127.0.0.1:${port}`,
    SOCKET_PATH: opts.socketPath,
  };
  const args = [...(opts.nodeArgs ?? []), join(opts.repoRoot, 'bin', 'portcullis'), 'proxy'];
  const child = startChild(process.execPath, args, env, join(opts.workDir, opts.name), opts.repoRoot);
  try {
    // Below info (LOG_LEVEL=err…) the "listening" line is not printed: wait for the port instead.
    const verbose = ['info', 'debug'].includes(opts.env.LOG_LEVEL ?? 'info');
    if (verbose) await waitForOutput(child, child.stdoutFile, '"msg":"listening"', 15_000);
    else await waitForPort(port, 15_000);
    if (child.exited()) throw new Error(`portcullis exited during start: ${tail(child.stderrFile)} ${tail(child.stdoutFile)}`);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { port, pid: child.pid, child, stop: () => child.stop() };
}

/** Starts the minimal reference proxy (bench/lib/baseline-proxy.ts) on a free 127.0.0.1 port. */
export async function startBaselineProxy(opts: { repoRoot: string; socketPath: string; workDir: string; name: string; env?: Record<string, string> }): Promise<PortcullisInstance> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env, LISTEN_PORT: String(port), SOCKET_PATH: opts.socketPath };
  const script = join(opts.repoRoot, 'bench', 'lib', 'baseline-proxy.ts');
  const child = startChild(process.execPath, ['--import', 'tsx', script], env, join(opts.workDir, opts.name), opts.repoRoot);
  try {
    await waitForOutput(child, child.stdoutFile, '"msg":"listening"', 15_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { port, pid: child.pid, child, stop: () => child.stop() };
}
