// Test helpers around the real docker CLI and dockerd: run commands, build the test image, clean up.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Label put on everything a test creates, so teardown can find and remove it. */
export const TEST_LABEL = 'portcullis.test=1';
/** The local test image built from busybox-static with `docker import` (no registry needed). */
export const TEST_IMAGE = 'portcullis-test/busybox:latest';
export const DOCKER_SOCKET = '/var/run/docker.sock';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI with an argument array (never a shell string); never throws on exit codes. */
export async function docker(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  try {
    const child = execFileP('docker', args, {
      env: { ...process.env, ...opts.env },
      timeout: opts.timeoutMs ?? 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (opts.input !== undefined) {
      child.child.stdin?.end(opts.input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

/** Builds the test image if it is missing. Idempotent; safe to call from several suites. */
export function ensureTestImage(): void {
  try {
    execFileSync('docker', ['image', 'inspect', TEST_IMAGE], { stdio: 'ignore' });
    return;
  } catch {
    // not there yet: build it below
  }
  const root = mkdtempSync(join(tmpdir(), 'portcullis-rootfs-'));
  try {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const d of ['etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var']) mkdirSync(join(root, d));
    copyFileSync('/bin/busybox', join(bin, 'busybox'));
    const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets) {
      if (a !== 'busybox') symlinkSync('busybox', join(bin, a));
    }
    const tar = join(tmpdir(), `portcullis-rootfs-${process.pid}.tar`);
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    execFileSync('docker', [
      'import',
      '--change', 'CMD ["/bin/sh"]',
      '--change', 'ENV PATH=/bin',
      '--change', 'LABEL portcullis.test=1',
      tar,
      TEST_IMAGE,
    ], { stdio: 'ignore' });
    rmSync(tar, { force: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Removes every container, network and volume labelled portcullis.test=1. */
export function cleanupTestObjects(): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${TEST_LABEL}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  const nets = execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=${TEST_LABEL}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (nets.length) execFileSync('docker', ['network', 'rm', ...nets], { stdio: 'ignore' });
  const vols = execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=${TEST_LABEL}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (vols.length) execFileSync('docker', ['volume', 'rm', '-f', ...vols], { stdio: 'ignore' });
}

/** Starts a long-running labelled test container and returns its id. */
export async function startTestContainer(name?: string, cmd: string[] = ['sleep', '3600']): Promise<string> {
  const args = ['run', '-d', '--label', TEST_LABEL];
  if (name) args.push('--name', name);
  const r = await docker([...args, TEST_IMAGE, ...cmd]);
  if (r.code !== 0) throw new Error(`docker run failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Counts containers (all states) carrying the test label — used to prove the daemon received nothing. */
export async function countTestContainers(): Promise<number> {
  const r = await docker(['ps', '-aq', '--filter', `label=${TEST_LABEL}`]);
  return r.stdout.split('\n').filter(Boolean).length;
}
