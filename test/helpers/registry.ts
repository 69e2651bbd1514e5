// Test helper: Debian's docker-registry on 127.0.0.1 (own config, temp storage, no auth) holding the test image, for pull tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGE, docker, ensureTestImage } from './docker-cli.js';
import { freePort } from './haproxy.js';

/** Debian's docker-registry (distribution 2.8); `.ci/run` installs it. */
export const REGISTRY_BIN = '/usr/bin/docker-registry';
/** Repository path and tag under which the test image is pushed. */
export const PULL_REPOSITORY = 'portcullis-test/pull-me';
export const PULL_TAG = '1';
/** Environment variable through which a globalSetup announces its registry (JSON {port, logPath}) to the test workers. */
export const REGISTRY_ENV = 'PORTCULLIS_TEST_REGISTRY';
/** How long the registry may take to answer GET /v2/ (it takes about 50 ms here). */
const READY_TIMEOUT_MS = 10_000;
/** Port races (freePort closes before the registry binds) are retried this many times. */
const START_ATTEMPTS = 3;

export interface TestRegistry {
  /** Base URL, e.g. http://127.0.0.1:40123 (plain HTTP: dockerd trusts 127.0.0.0/8 as insecure by default). */
  url: string;
  port: number;
  /** The pushed test image as a pull reference, `127.0.0.1:<port>/portcullis-test/pull-me:1`; not present in dockerd until pulled. */
  image: string;
  /** `image` without its tag, for pullImage(repository, tag). */
  repository: string;
  tag: string;
  /** The registry's access-log lines so far (one per HTTP request it served), e.g. `"GET /v2/ HTTP/1.1" 200`. */
  requests(): string[];
  /** The file the registry writes its output to (access log and errors). */
  logPath: string;
  /** Stops the registry and deletes its storage; a no-op on a registry this process did not start. */
  stop(): Promise<void>;
}

function configYaml(port: number, storage: string): string {
  // A config of our own: the package's /etc/docker/registry/config.yml listens on every interface with htpasswd auth.
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    // fixed so the registry does not warn about a generated one; it only signs upload state
    `  secret: ${randomBytes(16).toString('hex')}`,
    'health:',
    '  storagedriver:',
    '    enabled: false',
    '',
  ].join('\n');
}

function registryView(port: number, logPath: string, stop: () => Promise<void>): TestRegistry {
  const repository = `127.0.0.1:${port}/${PULL_REPOSITORY}`;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    image: `${repository}:${PULL_TAG}`,
    repository,
    tag: PULL_TAG,
    logPath,
    requests: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').filter((l) => / "[A-Z]+ \/\S* HTTP\/[\d.]+" \d{3} /.test(l)) : []),
    stop,
  };
}

/** Polls GET /v2/ until it answers 200; rejects early when the registry exits. */
async function waitReady(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) before answering:\n${readFileSync(logPath, 'utf8').slice(-2000)}`);
    }
    const ok = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer ${url}/v2/ within ${READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(t);
}

/** One attempt: a fresh dir, config and port; resolves once /v2/ answers. */
async function launch(): Promise<{ child: ChildProcess; port: number; dir: string; logPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-registry-'));
  const port = await freePort();
  const configPath = join(dir, 'config.yml');
  const logPath = join(dir, 'registry.log');
  writeFileSync(configPath, configYaml(port, join(dir, 'storage')));
  const fd = openSync(logPath, 'a');
  // stdout (access log) and stderr go to a file so another process (a test worker) can read them
  const child = spawn(REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  try {
    await waitReady(`http://127.0.0.1:${port}`, child, logPath);
  } catch (err) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { child, port, dir, logPath };
}

async function dockerOrThrow(args: string[]): Promise<void> {
  const r = await docker(args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`docker ${args[0] ?? ''} failed: ${r.stderr.trim()}`);
}

/**
 * Starts a new registry on a free 127.0.0.1 port (own config and storage in a temp dir, no auth),
 * pushes {@link TEST_IMAGE} to it as `127.0.0.1:<port>/portcullis-test/pull-me:1`, then drops that
 * local tag so a test's pull really fetches it. Prefer {@link useRegistry}, which starts one per run.
 *
 * @example const reg = await startRegistry(); await host.pullImage(reg.repository, reg.tag); await reg.stop();
 */
export async function startRegistry(): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BIN)) throw new Error(`${REGISTRY_BIN} not found: install Debian's docker-registry package (.ci/run does)`);
  let started: Awaited<ReturnType<typeof launch>> | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await launch();
    } catch (err) {
      const portRace = err instanceof Error && err.message.includes('address already in use');
      if (!portRace || attempt >= START_ATTEMPTS) throw err;
    }
  }
  const { child, port, dir, logPath } = started;
  // a test process that dies without stop() must not leave a registry behind
  const onExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped = false;
  const reg = registryView(port, logPath, async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    await docker(['image', 'rm', reg.image]); // only our own tag; absent unless a test left its pull behind
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    ensureTestImage();
    await dockerOrThrow(['tag', TEST_IMAGE, reg.image]);
    await dockerOrThrow(['push', reg.image]);
    await dockerOrThrow(['image', 'rm', reg.image]);
  } catch (err) {
    await reg.stop();
    throw err;
  }
  return reg;
}

let shared: Promise<TestRegistry> | undefined;

/**
 * The run's registry, started at most once: the one a globalSetup announced in
 * PORTCULLIS_TEST_REGISTRY (its `stop()` is then a no-op), else one started here on first use —
 * vitest re-imports helpers for each test file, so without the globalSetup that is one per file.
 * After `stop()`, the next call starts a new one.
 */
export function useRegistry(): Promise<TestRegistry> {
  const announced = process.env[REGISTRY_ENV];
  if (announced) {
    const { port, logPath } = JSON.parse(announced) as { port: number; logPath: string };
    return Promise.resolve(registryView(port, logPath, () => Promise.resolve()));
  }
  if (!shared) {
    const starting = startRegistry().then((reg) => ({
      ...reg,
      async stop() {
        if (shared === starting) shared = undefined;
        await reg.stop();
      },
    }));
    starting.catch(() => {
      if (shared === starting) shared = undefined;
    });
    shared = starting;
  }
  return shared;
}

/**
 * For a vitest globalSetup: starts one registry for the whole run and announces it in
 * PORTCULLIS_TEST_REGISTRY (inherited by the test workers), so every file pulls from the same one.
 * Returns the teardown. Does nothing when the variable is already set.
 *
 * @example export async function setup() { stopRegistry = await startSharedRegistry(); }
 */
export async function startSharedRegistry(): Promise<() => Promise<void>> {
  if (process.env[REGISTRY_ENV]) return () => Promise.resolve();
  const reg = await startRegistry();
  process.env[REGISTRY_ENV] = JSON.stringify({ port: reg.port, logPath: reg.logPath });
  return async () => {
    delete process.env[REGISTRY_ENV];
    await reg.stop();
  };
}
