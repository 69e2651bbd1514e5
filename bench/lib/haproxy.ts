// Runs Debian's haproxy configured the way tecnativa/docker-socket-proxy v0.4.x renders its template.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, tail, type BenchChild } from './child.js';
import { freePort, waitForPort } from './net.js';

/** Tecnativa's section variables in template order, each allowing `^(/v[\d.]+)?/<prefix>`. */
const SECTIONS: readonly (readonly [string, string])[] = [
  ['AUTH', 'auth'], ['BUILD', 'build'], ['COMMIT', 'commit'], ['CONFIGS', 'configs'],
  ['CONTAINERS', 'containers'], ['DISTRIBUTION', 'distribution'], ['EVENTS', 'events'], ['EXEC', 'exec'],
  ['GRPC', 'grpc'], ['IMAGES', 'images'], ['INFO', 'info'], ['NETWORKS', 'networks'], ['NODES', 'nodes'],
  ['PING', '_ping'], ['PLUGINS', 'plugins'], ['SECRETS', 'secrets'], ['SERVICES', 'services'],
  ['SESSION', 'session'], ['SWARM', 'swarm'], ['SYSTEM', 'system'], ['TASKS', 'tasks'],
  ['VERSION', 'version'], ['VOLUMES', 'volumes'],
];

/** The Dockerfile's ENV defaults: everything 0 except EVENTS, PING and VERSION. */
const TECNATIVA_DEFAULTS: Record<string, string> = {
  ...Object.fromEntries(SECTIONS.map(([v]) => [v, '0'])),
  EVENTS: '1', PING: '1', VERSION: '1', POST: '0',
  ALLOW_START: '0', ALLOW_STOP: '0', ALLOW_RESTARTS: '0', LOG_LEVEL: 'info',
};

const ERRORFILE_DIR = '/etc/haproxy/errors';

/** Renders tecnativa's haproxy.cfg logic, bound to 127.0.0.1:port, upstream socketPath. */
export function renderTecnativaConfig(port: number, socketPath: string): string {
  const ver = String.raw`^(/v[\d\.]+)?`;
  const id = String.raw`/containers/[a-zA-Z0-9_.-]+`;
  const errorfiles = [400, 403, 408, 500, 502, 503, 504].map((c) => `    errorfile ${c} ${ERRORFILE_DIR}/${c}.http`);
  const sections = SECTIONS.map(([v, p]) => `    http-request allow if { path,url_dec -m reg -i ${ver}/${p} } { env(${v}) -m bool }`);
  return [
    'global',
    '    log stdout format raw daemon "${LOG_LEVEL}"',
    '    maxconn 4000',
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
    ...errorfiles,
    'backend dockerbackend',
    `    server dockersocket ${socketPath}`,
    'backend docker-events',
    `    server dockersocket ${socketPath}`,
    '    timeout server 0',
    'frontend dockerfrontend',
    `    bind 127.0.0.1:${port}`,
    '    http-request deny unless METH_GET || { env(POST) -m bool }',
    `    http-request allow if { path,url_dec -m reg -i ${ver}${id}/((stop)|(restart)|(kill)) } { env(ALLOW_RESTARTS) -m bool }`,
    `    http-request allow if { path,url_dec -m reg -i ${ver}${id}/start } { env(ALLOW_START) -m bool }`,
    `    http-request allow if { path,url_dec -m reg -i ${ver}${id}/stop } { env(ALLOW_STOP) -m bool }`,
    ...sections,
    '    http-request deny',
    '    default_backend dockerbackend',
    `    use_backend docker-events if { path,url_dec -m reg -i ${ver}/events }`,
    '',
  ].join('\n');
}

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
  writeFileSync(cfg, renderTecnativaConfig(port, opts.socketPath));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...TECNATIVA_DEFAULTS, ...opts.env };
  const child = startChild('haproxy', ['-W', '-db', '-f', cfg], env, join(opts.workDir, opts.name), opts.workDir);
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    await child.stop();
    throw new Error(`haproxy did not start: ${tail(child.stderrFile)} ${tail(child.stdoutFile)}`, { cause: err });
  }
  return { port, pid: child.pid, child, stop: () => child.stop() };
}
