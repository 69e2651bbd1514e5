// Service classes (datastore, admin UI, Docker API, debug port, edge proxy, app) from image names and well-known ports.
import type { PortBinding, Service, ServiceClass, Severity } from './types.js';
import { SEVERITIES } from './types.js';

const DATASTORE_IMAGES = [
  'postgres', 'postgis', 'timescaledb', 'mysql', 'mariadb', 'percona', 'mongo', 'redis', 'valkey', 'keydb', 'memcached', 'elasticsearch',
  'opensearch', 'clickhouse', 'cassandra', 'scylla', 'couchdb', 'couchbase', 'influxdb', 'neo4j', 'rabbitmq', 'kafka', 'zookeeper',
  'etcd', 'mssql', 'cockroach', 'pgbouncer', 'supavisor', 'minio', 'nats', 'arangodb', 'dragonfly', 'questdb', 'solr',
];
const ADMIN_IMAGES = [
  'prometheus', 'alertmanager', 'node-exporter', 'cadvisor', 'pgadmin', 'adminer', 'phpmyadmin', 'mongo-express', 'redis-commander',
  'kibana', 'portainer', 'netdata', 'jaeger', 'pushgateway', 'dozzle', 'yacht', 'rabbitmq-management', 'kafka-ui', 'redisinsight',
];
const SOCKET_PROXY_IMAGES = ['docker-socket-proxy', 'socket-proxy', 'dockerproxy', 'docker:dind', 'docker-dind'];
const EDGE_IMAGES = ['traefik', 'caddy', 'nginx', 'haproxy', 'envoy', 'nginx-proxy', 'nginx-proxy-manager', 'swag', 'openresty', 'pomerium', 'cloudflared'];

/** Ports that mark a datastore whatever the image. */
export const DATASTORE_PORTS = new Set([3306, 5432, 27017, 27018, 6379, 11211, 9200, 9300, 5984, 8086, 7687, 5672, 9092, 2181, 2379, 1433, 26257, 9042, 6432, 8123, 9000, 4222]);
/** Ports that mark an admin/monitoring UI when the image is not recognised (Prometheus, Alertmanager, node-exporter, RabbitMQ management, Netdata). */
export const ADMIN_PORTS = new Set([9090, 9093, 9100, 15672, 19999]);
/** Ports that are debuggers only when the command enables one (they double as app ports). */
export const DEBUG_PORTS = new Set([9229, 9230, 5005, 2345, 5678, 4000, 8000]);
/** Ports that are debuggers whatever the command. */
export const STRICT_DEBUG_PORTS = new Set([9229, 9230, 5005, 2345, 5678]);
/** Docker Engine API ports. */
export const DOCKER_API_PORTS = new Set([2375, 2376]);

/** The last path element of an image reference without tag or digest (`docker.io/library/postgres:16` → `postgres`). */
export function imageBaseName(image: string | undefined): string {
  if (!image) return '';
  const noDigest = image.split('@')[0] ?? '';
  const last = noDigest.split('/').pop() ?? '';
  return (last.split(':')[0] ?? '').toLowerCase();
}

/** The repository without the tag (`bitnami/postgresql:16` → `bitnami/postgresql`). */
export function imageRepo(image: string | undefined): string {
  if (!image) return '';
  const noDigest = image.split('@')[0] ?? '';
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

function matches(base: string, names: readonly string[]): boolean {
  return names.some((n) => base === n || base.startsWith(`${n}-`) || base.endsWith(`-${n}`) || base.startsWith(`${n}ql`) || base === `${n}db`);
}

/** Whether the service runs a Docker socket proxy (tecnativa, linuxserver, wollomatic…). */
export function isSocketProxy(svc: Service): boolean {
  const repo = imageRepo(svc.image);
  return SOCKET_PROXY_IMAGES.some((n) => repo.includes(n));
}

const classCache = new WeakMap<Service, ServiceClass>();

/** Classifies a service by image name, then by the container ports it publishes or exposes (memoized per service). */
export function classifyService(svc: Service): ServiceClass {
  let cls = classCache.get(svc);
  if (cls === undefined) {
    cls = classifyUncached(svc);
    classCache.set(svc, cls);
  }
  return cls;
}

function classifyUncached(svc: Service): ServiceClass {
  const base = imageBaseName(svc.image);
  const repo = imageRepo(svc.image);
  if (isSocketProxy(svc)) return 'docker-api';
  if (base === 'traefik' && /--api\.insecure(=true)?(\s|$)/.test(svc.command)) return 'admin';
  if (matches(base, DATASTORE_IMAGES) || repo.includes('postgresql') || repo.includes('mongodb')) return 'datastore';
  if (matches(base, ADMIN_IMAGES)) return 'admin';
  if (matches(base, EDGE_IMAGES)) return 'edge';
  const cports = [...svc.ports.map((p) => p.containerPort.from), ...svc.expose];
  if (cports.some((p) => DOCKER_API_PORTS.has(p))) return 'docker-api';
  if (!svc.image && !svc.hasBuild) return 'app';
  if (cports.some((p) => DATASTORE_PORTS.has(p) && p !== 9000 && p !== 8123)) return 'datastore';
  if (cports.some((p) => ADMIN_PORTS.has(p))) return 'admin';
  return 'app';
}

/** The class of one binding: a debug or Docker API port overrides the service class. */
export function classifyBinding(svc: Service, b: PortBinding, serviceClass = classifyService(svc)): ServiceClass {
  const c = b.containerPort.from;
  if (DOCKER_API_PORTS.has(c) && b.containerPort.from === b.containerPort.to) return 'docker-api';
  if (STRICT_DEBUG_PORTS.has(c)) return 'debug';
  if (/--inspect(-brk)?=0\.0\.0\.0|-agentlib:jdwp|debugpy|dlv .*--listen/.test(svc.command) && DEBUG_PORTS.has(c)) return 'debug';
  return serviceClass;
}

/** Moves a severity up (+) or down (−) by `steps`, clamped. */
export function shiftSeverity(s: Severity, steps: number): Severity {
  const i = SEVERITIES.indexOf(s) - steps;
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, i))] ?? s;
}

/** Whether `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}
