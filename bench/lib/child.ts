// Starts a benchmarked server process with its output in log files, and stops it (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server process started by the benchmark. */
export interface BenchChild {
  readonly pid: number;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Stops the process: SIGTERM, then SIGKILL after graceMs. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command args` with a clean environment; stdout and stderr go to `<logBase>.out` / `.err`. */
export function startChild(command: string, args: string[], env: Record<string, string>, logBase: string, cwd: string): BenchChild {
  const stdoutFile = `${logBase}.out`;
  const stderrFile = `${logBase}.err`;
  const out = openSync(stdoutFile, 'w');
  const err = openSync(stderrFile, 'w');
  let proc: ChildProcess;
  try {
    proc = spawn(command, args, { env, cwd, stdio: ['ignore', out, err] });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  let done = false;
  const exitP = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      done = true;
      resolve();
    });
    proc.once('error', () => {
      done = true;
      resolve();
    });
  });
  if (proc.pid === undefined) throw new Error(`could not start ${command}: ${tail(stderrFile)}`);
  const pid = proc.pid;
  return {
    pid,
    stdoutFile,
    stderrFile,
    exited: () => done,
    async stop(graceMs = 5000) {
      if (done) return;
      proc.kill('SIGTERM');
      const graceful = await Promise.race([exitP.then(() => true), sleep(graceMs).then(() => false)]);
      if (!graceful) {
        proc.kill('SIGKILL');
        await exitP;
      }
    },
  };
}

/** The last ~2 kB of a log file, for error messages. */
export function tail(file: string, bytes = 2048): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no output)';
  }
}

/** Waits until `file` contains `needle`; rejects if the child exits first or after timeoutMs. */
export async function waitForOutput(child: BenchChild, file: string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // not created yet
    }
    if (text.includes(needle)) return;
    if (child.exited()) throw new Error(`process ${child.pid} exited before printing ${needle}: ${tail(child.stderrFile)} ${tail(child.stdoutFile)}`);
    await sleep(50);
  }
  throw new Error(`process ${child.pid} did not print ${needle} within ${timeoutMs} ms: ${tail(child.stderrFile)}`);
}
