// Runs Debian's haproxy configured the way tecnativa/docker-socket-proxy v0.4.x renders its template.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_SOCKET } from './docker-cli.js';

export const HAPROXY_BIN = '/usr/sbin/haproxy';

/** tecnativa's Dockerfile `ENV` defaults: only EVENTS, PING and VERSION are on. */
export const TECNATIVA_DEFAULTS: Readonly<Record<string, string>> = {
  ALLOW_RESTARTS: '0', ALLOW_START: '0', ALLOW_STOP: '0', AUTH: '0', BUILD: '0', COMMIT: '0', CONFIGS: '0',
  CONTAINERS: '0', DISTRIBUTION: '0', EVENTS: '1', EXEC: '0', GRPC: '0', IMAGES: '0', INFO: '0', NETWORKS: '0',
  NODES: '0', PING: '1', PLUGINS: '0', POST: '0', SECRETS: '0', SERVICES: '0', SESSION: '0', SWARM: '0',
  SYSTEM: '0', TASKS: '0', VERSION: '1', VOLUMES: '0', LOG_LEVEL: 'info', SOCKET_PATH: DOCKER_SOCKET,
};

/** Section variable → the URL word its rule matches, alphabetical as in the template. */
const SECTIONS: readonly [string, string][] = [
  ['AUTH', 'auth'], ['BUILD', 'build'], ['COMMIT', 'commit'], ['CONFIGS', 'configs'], ['CONTAINERS', 'containers'],
  ['DISTRIBUTION', 'distribution'], ['EVENTS', 'events'], ['EXEC', 'exec'], ['GRPC', 'grpc'], ['IMAGES', 'images'],
  ['INFO', 'info'], ['NETWORKS', 'networks'], ['NODES', 'nodes'], ['PING', '_ping'], ['PLUGINS', 'plugins'],
  ['SECRETS', 'secrets'], ['SERVICES', 'services'], ['SESSION', 'session'], ['SWARM', 'swarm'], ['SYSTEM', 'system'],
  ['TASKS', 'tasks'], ['VERSION', 'version'], ['VOLUMES', 'volumes'],
];

const V = '^(/v[\\d\\.]+)?';

/**
 * Renders tecnativa's frontend/backend logic (§2.1 of research/socketproxy.md): method gate, the
 * ALLOW_* rules, one start-anchored case-insensitive prefix rule per section, then deny. Booleans
 * are read at request time with `env(X) -m bool`, as the template does; `SOCKET_PATH` and
 * `LOG_LEVEL` are expanded by haproxy from its environment. Binds loopback instead of `[::]:2375`
 * and leaves out the pidfile and the server-state file; errorfiles (HAProxy's HTML pages, as in the
 * official image) only when `errorfileDir` is given.
 */
export function renderTecnativaConfig(port: number, opts: { errorfileDir?: string } = {}): string {
  const allow = (re: string, v: string): string => `    http-request allow if { path,url_dec -m reg -i ${V}${re} } { env(${v}) -m bool }`;
  return [
    'global',
    '    log stdout format raw daemon "${LOG_LEVEL}"',
    '    maxconn 4000',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    option dontlognull',
    '    option http-server-close',
    '    option redispatch',
    '    retries 3',
    '    timeout http-request 10s',
    '    timeout queue 1m',
    '    timeout connect 10s',
    '    timeout client 10m',
    '    timeout server 10m',
    '    timeout http-keep-alive 10s',
    '    timeout check 10s',
    '    maxconn 3000',
    ...(opts.errorfileDir ? [400, 403, 408, 500, 502, 503, 504].map((c) => `    errorfile ${c} ${opts.errorfileDir}/${c}.http`) : []),
    '',
    'backend dockerbackend',
    '    server dockersocket "${SOCKET_PATH}"',
    '',
    'backend docker-events',
    '    server dockersocket "${SOCKET_PATH}"',
    '    timeout server 0',
    '',
    'frontend dockerfrontend',
    `    bind 127.0.0.1:${port}`,
    '    http-request deny unless METH_GET || { env(POST) -m bool }',
    allow('/containers/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))', 'ALLOW_RESTARTS'),
    allow('/containers/[a-zA-Z0-9_.-]+/start', 'ALLOW_START'),
    allow('/containers/[a-zA-Z0-9_.-]+/stop', 'ALLOW_STOP'),
    ...SECTIONS.map(([v, word]) => allow(`/${word}`, v)),
    '    http-request deny',
    '    default_backend dockerbackend',
    '',
    `    use_backend docker-events if { path,url_dec -m reg -i ${V}/events }`,
    '',
  ].join('\n');
}

/** Asks the OS for a free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The environment haproxy sees: tecnativa's defaults, then `env` (values passed verbatim). */
export function tecnativaEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...TECNATIVA_DEFAULTS, ...env };
}

/** Runs `haproxy -c` on a config; resolves with haproxy's verdict and output. */
export function checkHaproxyConfig(configPath: string, env: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(HAPROXY_BIN, ['-c', '-f', configPath], { env: tecnativaEnv(env) }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}` });
    });
  });
}

export interface RunningHaproxy {
  port: number;
  configPath: string;
  /** What haproxy printed (its httplog lines and warnings). */
  output(): string;
  stop(): Promise<void>;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`haproxy exited with ${child.exitCode}`));
        return;
      }
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`haproxy did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/**
 * Starts haproxy as tecnativa would run it (`-db`, foreground) on a free loopback port.
 * @example const hap = await startHaproxy({ CONTAINERS: '1' }); // http://127.0.0.1:${hap.port}
 */
export async function startHaproxy(env: Record<string, string> = {}): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  const port = await freePort();
  writeFileSync(configPath, renderTecnativaConfig(port));
  const check = await checkHaproxyConfig(configPath, env);
  if (!check.ok) throw new Error(`haproxy -c rejected the tecnativa config:\n${check.output}`);
  const child = spawn(HAPROXY_BIN, ['-db', '-f', configPath], { env: tecnativaEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitForPort(port, child, 5000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return {
    port,
    configPath,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // haproxy's soft stop waits for open /events streams (tecnativa#181): hard-stop instead
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 1000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
