// Small helpers shared by the rules: exposure severity by class × verdict, binding text, credential-shaped keys.
import { bindScope, rangeText } from '../ports.js';
import type { PortBinding, Service, ServiceClass, Severity, Verdict } from '../types.js';

/** Severity of an exposed binding by service class and reachability; undefined = not worth a finding. */
export function exposureSeverity(cls: ServiceClass, verdict: Verdict): Severity | undefined {
  const table: Record<ServiceClass, Partial<Record<Verdict, Severity>>> = {
    datastore: { public: 'high', unknown: 'high', lan: 'medium', blocked: 'info', 'local-only': 'low' },
    admin: { public: 'high', unknown: 'medium', lan: 'medium', blocked: 'info' },
    'docker-api': { public: 'critical', unknown: 'critical', lan: 'critical', blocked: 'low', 'local-only': 'medium' },
    debug: { public: 'critical', unknown: 'high', lan: 'high', blocked: 'info' },
    edge: { public: 'info', unknown: 'info', lan: 'info' },
    app: { public: 'medium', unknown: 'medium', lan: 'low' },
  };
  return table[cls][verdict];
}

/** Bindings Docker actually publishes: `network_mode: host` ignores `ports:` (PRIV-002 reports the host network instead). */
export function exposedBindings(svc: Service): PortBinding[] {
  return svc.networkMode === 'host' ? [] : svc.ports;
}

/** The verdict of a binding (by bind address when nothing decided it yet). */
export function verdictOf(b: PortBinding): Verdict {
  if (b.reachability) return b.reachability.verdict;
  return bindScope(b.hostIp) === 'loopback' ? 'local-only' : 'public';
}

/** Identity of a binding for fingerprints: host ip, host port, container port, protocol. */
export function bindingKey(b: PortBinding): string {
  return `${b.hostIp || '*'}|${b.hostPort ? rangeText(b.hostPort) : 'ephemeral'}|${rangeText(b.containerPort)}|${b.protocol}`;
}

/** Evidence fields of a binding. */
export function bindingEvidence(b: PortBinding, cls?: ServiceClass): Record<string, string | number | boolean> {
  return {
    hostIp: b.hostIp || '0.0.0.0',
    hostPort: b.hostPort ? rangeText(b.hostPort) : 'ephemeral',
    containerPort: rangeText(b.containerPort),
    protocol: b.protocol,
    ...(cls ? { serviceClass: cls } : {}),
    ...(b.reachability ? { verdict: b.reachability.verdict } : {}),
  };
}

/** "reachable from the internet" and friends, for messages. */
export function verdictWords(v: Verdict): string {
  switch (v) {
    case 'public': return 'reachable from the internet';
    case 'lan': return 'reachable from the local network';
    case 'local-only': return 'reachable from this host only';
    case 'blocked': return 'blocked by the firewall';
    case 'unknown': return 'of undecided reachability';
  }
}

/** Whether the service publishes anything beyond loopback. */
export function publishesBeyondLoopback(svc: Service): boolean {
  return exposedBindings(svc).some((b) => {
    const v = verdictOf(b);
    return v === 'public' || v === 'lan' || v === 'unknown';
  });
}

const CRED_SUBSTRINGS = ['PASSWORD', 'PASSPHRASE', 'TOKEN', 'SECRET', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'ACCESS_KEY', 'SECRET_KEY', 'ENCRYPTION_KEY', 'CREDENTIAL'];
const CRED_SUFFIXES = ['_PASS', '_PWD', 'PASSWD', '_SALT', '_DSN'];
const QUANTITY = /(EXPIRE|TTL|TIMEOUT|_LIMIT|TOKENS$|_LENGTH|_MIN|_MAX|_COUNT|_SIZE|_ENABLED|_REQUIRED|_URL$|_PATH$|_TYPE$|_METHOD$)/;

/** Whether an env key looks like it holds a credential (and is not a `_FILE` pointer or a knob). */
export function isCredentialKey(key: string): boolean {
  const k = key.toUpperCase();
  if (k.endsWith('_FILE') || QUANTITY.test(k)) return false;
  return CRED_SUBSTRINGS.some((s) => k.includes(s)) || CRED_SUFFIXES.some((s) => k.endsWith(s));
}

/** Whether a value is a boolean or empty (not a secret). */
export function isTrivialValue(v: string | undefined): boolean {
  return v === undefined || v === '' || /^(true|false|yes|no|on|off|0|1)$/i.test(v);
}

/** Whether the service disables authentication through its environment (SEC-004's test). */
export function authDisabled(svc: Service): string | undefined {
  for (const e of svc.environment) {
    const k = e.key.toUpperCase();
    const v = (e.value ?? '').trim().toLowerCase();
    if (k === 'POSTGRES_HOST_AUTH_METHOD' && v === 'trust') return `${e.key}=trust`;
    if ((k === 'MYSQL_ALLOW_EMPTY_PASSWORD' || k === 'MARIADB_ALLOW_EMPTY_PASSWORD' || k === 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD' || k === 'ALLOW_EMPTY_PASSWORD') && /^(yes|true|1)$/.test(v)) return `${e.key}=${e.value ?? ''}`;
    if (k === 'GF_AUTH_ANONYMOUS_ENABLED' && v === 'true') return `${e.key}=true`;
    if (k === 'XPACK.SECURITY.ENABLED' && v === 'false') return `${e.key}=false`;
    if ((k === 'AUTH_TYPE' || k === 'AUTH_METHOD') && v === 'trust') return `${e.key}=trust`;
    if (k.endsWith('_PASSWORD') && e.value === '' && e.literal) return `${e.key} is empty`;
  }
  return undefined;
}

const WEAK = new Set(['postgres', 'root', 'admin', 'password', 'changeme', 'secret', 'example', 'mysecretpassword', 'wordpress', 'grafana', 'paperless', '123456', '12345678', 'password1', 'pass', 'test', 'toor', 'letmein', 'qwerty', 'mysql', 'mariadb', 'mongo', 'redis', 'admin123', 'default', 'supersecret', 'changeit']);
/** Minimum length of a literal password before it counts as weak. */
export const MIN_PASSWORD_LENGTH = 12;

/** Why a literal password is weak, or undefined. */
export function weakPassword(value: string, username: string | undefined): string | undefined {
  if (WEAK.has(value.toLowerCase())) return 'a well-known default';
  if (username && value === username) return 'equal to the user name';
  if (value.length < MIN_PASSWORD_LENGTH) return `shorter than ${MIN_PASSWORD_LENGTH} characters`;
  return undefined;
}
