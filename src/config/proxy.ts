// Every setting of `portcullis proxy`: tecnativa's variables first, then Portcullis's own.
import { csv, haproxyBool, oneOf, positiveInt, strictBool, type SettingSpec } from './settings.js';

/** The tecnativa section switches, in the order of its template (each allows a URL section). */
export const SECTION_VARS = [
  'AUTH', 'BUILD', 'COMMIT', 'CONFIGS', 'CONTAINERS', 'DISTRIBUTION', 'EVENTS', 'EXEC', 'GRPC', 'IMAGES',
  'INFO', 'NETWORKS', 'NODES', 'PING', 'PLUGINS', 'SECRETS', 'SERVICES', 'SESSION', 'SWARM', 'SYSTEM',
  'TASKS', 'VERSION', 'VOLUMES',
] as const;
export type SectionVar = (typeof SECTION_VARS)[number];

const ON_BY_DEFAULT: readonly string[] = ['EVENTS', 'PING', 'VERSION'];

function tecnativaSwitch(env: string, help: string, group = 'Sections (tecnativa-compatible)'): SettingSpec<boolean> {
  return { env, default: ON_BY_DEFAULT.includes(env) ? '1' : '0', help, group, parse: (raw) => haproxyBool(raw) };
}

function ownSwitch(env: string, help: string): SettingSpec<boolean> {
  return { env, default: '0', help, group: 'Safety switches (Portcullis)', parse: strictBool };
}

const sectionSpecs = Object.fromEntries(
  SECTION_VARS.map((v) => [v, tecnativaSwitch(v, `Allow the /${v.toLowerCase()} API section (GET/HEAD; other methods also need POST=1).`)]),
) as Record<SectionVar, SettingSpec<boolean>>;

export const proxySettings = {
  ...sectionSpecs,
  POST: tecnativaSwitch('POST', 'Allow methods other than GET/HEAD for the enabled sections.', 'Methods (tecnativa-compatible)'),
  ALLOW_START: tecnativaSwitch('ALLOW_START', 'Allow POST /containers/{id}/start (needs POST=1, as in tecnativa).', 'Methods (tecnativa-compatible)'),
  ALLOW_STOP: tecnativaSwitch('ALLOW_STOP', 'Allow POST /containers/{id}/stop (needs POST=1).', 'Methods (tecnativa-compatible)'),
  ALLOW_RESTARTS: tecnativaSwitch('ALLOW_RESTARTS', 'Allow POST /containers/{id}/stop, /restart and /kill (needs POST=1).', 'Methods (tecnativa-compatible)'),
  LOG_LEVEL: {
    env: 'LOG_LEVEL', default: 'info', group: 'Listener and logging',
    help: 'Syslog level name: emerg, alert, crit, err, warning, notice, info, debug.',
    parse: oneOf(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const),
  },
  SOCKET_PATH: {
    env: 'SOCKET_PATH', default: '/var/run/docker.sock', group: 'Listener and logging',
    help: 'The upstream Docker socket (unix path).',
    parse: (raw: string | undefined) => raw ?? '/var/run/docker.sock',
  },
  DISABLE_IPV6: {
    env: 'DISABLE_IPV6', default: '0', group: 'Listener and logging',
    help: 'With LISTEN=[::]:port, bind IPv4 only (1, true or yes, as in tecnativa).',
    parse: (raw: string | undefined) => /^(1|true|yes)$/i.test((raw ?? '').trim()),
  },
  LISTEN: {
    env: 'LISTEN', flag: '--listen', default: '127.0.0.1:2375', group: 'Listener and logging',
    help: 'Where the proxy listens: host:port, [::]:port (dual-stack), 0.0.0.0:port, or unix:/path (mode 0660).',
    parse: (raw: string | undefined) => raw ?? '127.0.0.1:2375',
  },
  ALLOWED_HOSTS: {
    env: 'ALLOWED_HOSTS', default: '', group: 'Listener and logging',
    help: 'Extra Host header values accepted (comma-separated), besides loopback names, the listen address and api.moby.localhost.',
    parse: (raw: string | undefined) => csv(raw).map((h) => h.toLowerCase()),
  },
  METRICS_LISTEN: {
    env: 'METRICS_LISTEN', flag: '--metrics-listen', default: '', group: 'Listener and logging',
    help: 'Separate listener for GET /metrics (Prometheus) and GET /healthz, e.g. 127.0.0.1:9102. Off when empty.',
    parse: (raw: string | undefined) => raw ?? '',
  },
  MODE: {
    env: 'MODE', default: 'enforce', group: 'Policy',
    help: 'enforce (deny what the policy denies) or observe (log what would be denied, allow it).',
    parse: oneOf(['enforce', 'observe'] as const),
  },
  PROFILE: {
    env: 'PROFILE', default: 'env', group: 'Policy',
    help: 'env (built from the section variables above), read-only, operator or full.',
    parse: oneOf(['env', 'read-only', 'operator', 'full'] as const),
  },
  POLICY_FILE: {
    env: 'POLICY_FILE', flag: '--policy-file', default: '', group: 'Policy',
    help: 'YAML policy file with per-operation rules and body constraints; replaces PROFILE and the section variables.',
    parse: (raw: string | undefined) => raw ?? '',
  },
  MAX_BODY_BYTES: {
    env: 'MAX_BODY_BYTES', default: String(4 * 1024 * 1024), group: 'Policy',
    help: 'Largest inspected request body (container create, exec, service…); larger bodies get 413.',
    parse: positiveInt,
  },
  ALLOW_PRIVILEGED: ownSwitch('ALLOW_PRIVILEGED', 'Allow privileged containers and privileged exec.'),
  ALLOW_BIND_MOUNTS: {
    env: 'ALLOW_BIND_MOUNTS', default: '', group: 'Safety switches (Portcullis)',
    help: 'Comma-separated absolute host paths that may be bind-mounted (prefix match on path boundaries). Empty: no bind mounts.',
    parse: (raw: string | undefined) => csv(raw),
  },
  ALLOW_HOST_NAMESPACES: ownSwitch('ALLOW_HOST_NAMESPACES', 'Allow host (or another container\'s) PID, IPC, network, UTS, user and cgroup namespaces.'),
  ALLOW_DEVICES: ownSwitch('ALLOW_DEVICES', 'Allow Devices, DeviceCgroupRules and DeviceRequests.'),
  ALLOW_CAPABILITIES: {
    env: 'ALLOW_CAPABILITIES', default: '', group: 'Safety switches (Portcullis)',
    help: 'Comma-separated capabilities that may be added with CapAdd (e.g. NET_BIND_SERVICE,CHOWN). ALL is only allowed by naming ALL.',
    parse: (raw: string | undefined) => csv(raw).map((c) => c.toUpperCase().replace(/^CAP_/, '')),
  },
  ALLOW_UNCONFINED: ownSwitch('ALLOW_UNCONFINED', 'Allow seccomp/apparmor/SELinux unconfined, custom seccomp profiles and unmasked /proc paths.'),
  ALLOW_DOCKER_SOCKET: ownSwitch('ALLOW_DOCKER_SOCKET', 'Allow mounting a Docker socket into a container (needs its path in ALLOW_BIND_MOUNTS too).'),
  ALLOW_RUNTIME_TWEAKS: ownSwitch('ALLOW_RUNTIME_TWEAKS', 'Allow sysctls, CgroupParent, alternate runtimes, OCI annotations and remote log drivers.'),
  ALLOW_SWARM_SECRETS: ownSwitch('ALLOW_SWARM_SECRETS', 'Allow GET /swarm (returns the manager join token) and GET /swarm/unlockkey.'),
  ALLOW_EXPORT: ownSwitch('ALLOW_EXPORT', 'Allow image export (GET /images/get, /images/{name}/get) and container export (GET /containers/{id}/export).'),
  ALLOW_ARCHIVE_READ: ownSwitch('ALLOW_ARCHIVE_READ', 'Allow reading files out of containers (GET/HEAD /containers/{id}/archive, used by docker cp).'),
  ALLOW_ATTACH_WS: ownSwitch('ALLOW_ATTACH_WS', 'Allow GET /containers/{id}/attach/ws (a WebSocket that can write to stdin) — also needs POST=1.'),
} satisfies Record<string, SettingSpec<unknown>>;

export type ProxySettings = { [K in keyof typeof proxySettings]: ReturnType<(typeof proxySettings)[K]['parse']> };
