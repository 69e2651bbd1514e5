// Test containers for the browser tests: labelled portcullis.test=1 (and a per-run label), removed after each file.
import { randomBytes } from 'node:crypto';
import { docker, TEST_IMAGE, TEST_LABEL } from '../../helpers/docker-cli.js';

/** A unique name prefix for one test file's containers. */
export function runPrefix(tag: string): string {
  return `pc-e2e-${tag}-${randomBytes(3).toString('hex')}`;
}

/** `docker run -d` (or `create` with start=false) of the test image; returns the full id. */
export async function makeContainer(name: string, opts: { cmd?: string[]; labels?: string[]; env?: string[]; start?: boolean } = {}): Promise<string> {
  const args = [opts.start === false ? 'create' : 'run', ...(opts.start === false ? [] : ['-d']), '--name', name, '--label', TEST_LABEL];
  for (const l of opts.labels ?? []) args.push('--label', l);
  for (const e of opts.env ?? []) args.push('-e', e);
  const r = await docker([...args, TEST_IMAGE, ...(opts.cmd ?? ['sleep', '3600'])]);
  if (r.code !== 0) throw new Error(`docker ${args[0]} ${name} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

/** The state Docker reports for a container. */
export async function stateOf(id: string): Promise<string> {
  const r = await docker(['inspect', '-f', '{{.State.Status}}', id]);
  return r.stdout.trim();
}

/** Removes every container whose name starts with `prefix` (force, with anonymous volumes). */
export async function removeByPrefix(prefix: string): Promise<void> {
  const r = await docker(['ps', '-aq', '--filter', `name=^/${prefix}`, '--filter', `label=${TEST_LABEL}`]);
  const ids = r.stdout.split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 100) await docker(['rm', '-f', '-v', ...ids.slice(i, i + 100)], { timeoutMs: 120_000 });
}

/** A shell loop that logs a coloured line every 300 ms (busybox printf understands the \033 escapes). */
export const COLOUR_LOGGER = ['sh', '-c', 'i=0; while true; do printf "\\033[32mtick %s\\033[0m plain\\n" $i; i=$((i+1)); sleep 0.3; done'];
