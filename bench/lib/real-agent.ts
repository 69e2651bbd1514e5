// The one real agent of the agents benchmark (`node bin/portcullis agent` against the real dockerd) and the container it drives.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { request } from 'undici';
import { startChild, tail, type BenchChild } from './child.js';

const execFileP = promisify(execFile);

/** Runs the docker CLI with an argument array; returns stdout. */
export async function dockerCli(args: string[], timeoutMs = 30_000): Promise<string> {
  const { stdout } = await execFileP('docker', args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 });
  return stdout.trim();
}

/** Starts `portcullis agent` (AGENT_POLICY=operator) for `token` and waits until its /readyz says the tunnel is up. */
export async function startRealAgent(opts: {
  repoRoot: string; workDir: string; controlPlane: string; token: string; caFile: string; healthPort: number;
}): Promise<{ child: BenchChild; connectMs: number }> {
  const dataDir = join(opts.workDir, 'agent-data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', CONTROL_PLANE_URL: opts.controlPlane.replace(/^http/, 'ws'), AGENT_TOKEN: opts.token, AGENT_CA_FILE: opts.caFile,
    AGENT_POLICY: 'operator', AGENT_DATA: dataDir, AGENT_LISTEN: `127.0.0.1:${opts.healthPort}`, LOG_LEVEL: 'warn',
  };
  const t0 = performance.now();
  const child = startChild(process.execPath, [join(opts.repoRoot, 'bin', 'portcullis'), 'agent'], env, join(opts.workDir, 'agent'), opts.repoRoot);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`portcullis agent exited: ${tail(child.stderrFile)} ${tail(child.stdoutFile)}`);
    try {
      const res = await request(`http://127.0.0.1:${opts.healthPort}/readyz`);
      await res.body.dump();
      if (res.statusCode === 200) return { child, connectMs: Math.round(performance.now() - t0) };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await child.stop();
  throw new Error(`portcullis agent did not connect within 30 s: ${tail(child.stdoutFile)}`);
}

/** Creates the stopped test container (busybox `sleep`, labelled portcullis.test=1 and `extraLabel`); returns its full id. */
export async function createTestContainer(image: string, name: string, extraLabel: string): Promise<string> {
  return dockerCli(['create', '--label', 'portcullis.test=1', '--label', extraLabel, '--name', name, '--network', 'none', image, 'sleep', '3600']);
}

/** Removes every container labelled `label` (force). */
export async function removeLabelled(label: string): Promise<number> {
  const ids = (await dockerCli(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (ids.length) await dockerCli(['rm', '-f', '-v', ...ids]);
  return ids.length;
}

/** Waits until `ready()` is true or `timeoutMs` passes; true when it became true. */
export async function until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}
