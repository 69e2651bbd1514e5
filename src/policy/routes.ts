// The Docker Engine API route table, in dockerd's registration order, with one operation name per route.
import type { SectionVar } from '../config/index.js';

/** Extra switch a route needs on top of its section (GET endpoints that leak secrets or write). */
export type SensitiveSwitch = 'ALLOW_SWARM_SECRETS' | 'ALLOW_EXPORT' | 'ALLOW_ARCHIVE_READ' | 'ALLOW_ATTACH_WS';

export interface RouteSpec {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Path template as dockerd registers it: `{x}` matches one segment, `{x:.*}` anything (also `/`). */
  template: string;
  operation: string;
  /** tecnativa's section variable whose URL prefix covers this route. */
  section: SectionVar;
  /** Operation kind: read (no state change), write, or exec (code execution / stdin). */
  kind: 'read' | 'write' | 'exec';
  sensitive?: SensitiveSwitch;
  /** The connection may be hijacked (101 Upgrade, or 200 then raw stream). */
  hijack?: boolean;
}

type R = RouteSpec;
const r = (method: R['method'], template: string, operation: string, section: SectionVar, kind: R['kind'], extra: Partial<R> = {}): R => ({
  method, template, operation, section, kind, ...extra,
});

/**
 * Order matters where templates overlap (`/containers/json` before `/containers/{name:.*}/json`),
 * exactly as gorilla/mux tries dockerd's routes: first registered match wins.
 */
export const ROUTES: readonly RouteSpec[] = [
  // container router
  r('HEAD', '/containers/{name:.*}/archive', 'container.archive.stat', 'CONTAINERS', 'read', { sensitive: 'ALLOW_ARCHIVE_READ' }),
  r('GET', '/containers/json', 'container.list', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/export', 'container.export', 'CONTAINERS', 'read', { sensitive: 'ALLOW_EXPORT' }),
  r('GET', '/containers/{name:.*}/changes', 'container.changes', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/json', 'container.inspect', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/top', 'container.top', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/logs', 'container.logs', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/stats', 'container.stats', 'CONTAINERS', 'read'),
  r('GET', '/containers/{name:.*}/attach/ws', 'container.attach.ws', 'CONTAINERS', 'exec', { sensitive: 'ALLOW_ATTACH_WS', hijack: true }),
  r('GET', '/exec/{id:.*}/json', 'exec.inspect', 'EXEC', 'read'),
  r('GET', '/containers/{name:.*}/archive', 'container.archive.get', 'CONTAINERS', 'read', { sensitive: 'ALLOW_ARCHIVE_READ' }),
  r('POST', '/containers/create', 'container.create', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/kill', 'container.kill', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/pause', 'container.pause', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/unpause', 'container.unpause', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/restart', 'container.restart', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/start', 'container.start', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/stop', 'container.stop', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/wait', 'container.wait', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/resize', 'container.resize', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/attach', 'container.attach', 'CONTAINERS', 'exec', { hijack: true }),
  r('POST', '/containers/{name:.*}/exec', 'container.exec.create', 'CONTAINERS', 'exec'),
  r('POST', '/exec/{name:.*}/start', 'exec.start', 'EXEC', 'exec', { hijack: true }),
  r('POST', '/exec/{name:.*}/resize', 'exec.resize', 'EXEC', 'write'),
  r('POST', '/containers/{name:.*}/rename', 'container.rename', 'CONTAINERS', 'write'),
  r('POST', '/containers/{name:.*}/update', 'container.update', 'CONTAINERS', 'write'),
  r('POST', '/containers/prune', 'container.prune', 'CONTAINERS', 'write'),
  r('POST', '/commit', 'container.commit', 'COMMIT', 'write'),
  r('PUT', '/containers/{name:.*}/archive', 'container.archive.put', 'CONTAINERS', 'write'),
  r('DELETE', '/containers/{name:.*}', 'container.delete', 'CONTAINERS', 'write'),
  // image router
  r('GET', '/images/json', 'image.list', 'IMAGES', 'read'),
  r('GET', '/images/search', 'image.search', 'IMAGES', 'read'),
  r('GET', '/images/get', 'image.export', 'IMAGES', 'read', { sensitive: 'ALLOW_EXPORT' }),
  r('GET', '/images/{name:.*}/get', 'image.export', 'IMAGES', 'read', { sensitive: 'ALLOW_EXPORT' }),
  r('GET', '/images/{name:.*}/history', 'image.history', 'IMAGES', 'read'),
  r('GET', '/images/{name:.*}/json', 'image.inspect', 'IMAGES', 'read'),
  r('POST', '/images/load', 'image.load', 'IMAGES', 'write'),
  r('POST', '/images/create', 'image.create', 'IMAGES', 'write'),
  r('POST', '/images/{name:.*}/push', 'image.push', 'IMAGES', 'write'),
  r('POST', '/images/{name:.*}/tag', 'image.tag', 'IMAGES', 'write'),
  r('POST', '/images/prune', 'image.prune', 'IMAGES', 'write'),
  r('DELETE', '/images/{name:.*}', 'image.delete', 'IMAGES', 'write'),
  // system router
  r('GET', '/_ping', 'system.ping', 'PING', 'read'),
  r('HEAD', '/_ping', 'system.ping', 'PING', 'read'),
  r('GET', '/events', 'system.events', 'EVENTS', 'read'),
  r('GET', '/info', 'system.info', 'INFO', 'read'),
  r('GET', '/version', 'system.version', 'VERSION', 'read'),
  r('GET', '/system/df', 'system.df', 'SYSTEM', 'read'),
  r('POST', '/auth', 'system.auth', 'AUTH', 'write'),
  // volume router
  r('GET', '/volumes', 'volume.list', 'VOLUMES', 'read'),
  r('GET', '/volumes/{name:.*}', 'volume.inspect', 'VOLUMES', 'read'),
  r('POST', '/volumes/create', 'volume.create', 'VOLUMES', 'write'),
  r('POST', '/volumes/prune', 'volume.prune', 'VOLUMES', 'write'),
  r('PUT', '/volumes/{name:.*}', 'volume.update', 'VOLUMES', 'write'),
  r('DELETE', '/volumes/{name:.*}', 'volume.delete', 'VOLUMES', 'write'),
  // build and session routers
  r('POST', '/build', 'image.build', 'BUILD', 'exec'),
  r('POST', '/build/prune', 'build.prune', 'BUILD', 'write'),
  r('POST', '/build/cancel', 'build.cancel', 'BUILD', 'write'),
  r('POST', '/session', 'build.session', 'SESSION', 'exec', { hijack: true }),
  // swarm router
  r('POST', '/swarm/init', 'swarm.init', 'SWARM', 'write'),
  r('POST', '/swarm/join', 'swarm.join', 'SWARM', 'write'),
  r('POST', '/swarm/leave', 'swarm.leave', 'SWARM', 'write'),
  r('GET', '/swarm', 'swarm.inspect', 'SWARM', 'read', { sensitive: 'ALLOW_SWARM_SECRETS' }),
  r('GET', '/swarm/unlockkey', 'swarm.unlockkey', 'SWARM', 'read', { sensitive: 'ALLOW_SWARM_SECRETS' }),
  r('POST', '/swarm/update', 'swarm.update', 'SWARM', 'write'),
  r('POST', '/swarm/unlock', 'swarm.unlock', 'SWARM', 'write'),
  r('GET', '/services', 'service.list', 'SERVICES', 'read'),
  r('GET', '/services/{id}', 'service.inspect', 'SERVICES', 'read'),
  r('POST', '/services/create', 'service.create', 'SERVICES', 'write'),
  r('POST', '/services/{id}/update', 'service.update', 'SERVICES', 'write'),
  r('DELETE', '/services/{id}', 'service.delete', 'SERVICES', 'write'),
  r('GET', '/services/{id}/logs', 'service.logs', 'SERVICES', 'read'),
  r('GET', '/nodes', 'node.list', 'NODES', 'read'),
  r('GET', '/nodes/{id}', 'node.inspect', 'NODES', 'read'),
  r('DELETE', '/nodes/{id}', 'node.delete', 'NODES', 'write'),
  r('POST', '/nodes/{id}/update', 'node.update', 'NODES', 'write'),
  r('GET', '/tasks', 'task.list', 'TASKS', 'read'),
  r('GET', '/tasks/{id}', 'task.inspect', 'TASKS', 'read'),
  r('GET', '/tasks/{id}/logs', 'task.logs', 'TASKS', 'read'),
  r('GET', '/secrets', 'secret.list', 'SECRETS', 'read'),
  r('POST', '/secrets/create', 'secret.create', 'SECRETS', 'write'),
  r('DELETE', '/secrets/{id}', 'secret.delete', 'SECRETS', 'write'),
  r('GET', '/secrets/{id}', 'secret.inspect', 'SECRETS', 'read'),
  r('POST', '/secrets/{id}/update', 'secret.update', 'SECRETS', 'write'),
  r('GET', '/configs', 'config.list', 'CONFIGS', 'read'),
  r('POST', '/configs/create', 'config.create', 'CONFIGS', 'write'),
  r('DELETE', '/configs/{id}', 'config.delete', 'CONFIGS', 'write'),
  r('GET', '/configs/{id}', 'config.inspect', 'CONFIGS', 'read'),
  r('POST', '/configs/{id}/update', 'config.update', 'CONFIGS', 'write'),
  // plugin router
  r('GET', '/plugins/{name:.*}/json', 'plugin.inspect', 'PLUGINS', 'read'),
  r('GET', '/plugins/privileges', 'plugin.privileges', 'PLUGINS', 'read'),
  r('GET', '/plugins', 'plugin.list', 'PLUGINS', 'read'),
  r('DELETE', '/plugins/{name:.*}', 'plugin.delete', 'PLUGINS', 'write'),
  r('POST', '/plugins/{name:.*}/enable', 'plugin.enable', 'PLUGINS', 'write'),
  r('POST', '/plugins/{name:.*}/disable', 'plugin.disable', 'PLUGINS', 'write'),
  r('POST', '/plugins/pull', 'plugin.pull', 'PLUGINS', 'write'),
  r('POST', '/plugins/{name:.*}/push', 'plugin.push', 'PLUGINS', 'write'),
  r('POST', '/plugins/{name:.*}/upgrade', 'plugin.upgrade', 'PLUGINS', 'write'),
  r('POST', '/plugins/{name:.*}/set', 'plugin.set', 'PLUGINS', 'write'),
  r('POST', '/plugins/create', 'plugin.create', 'PLUGINS', 'write'),
  // distribution, network and grpc routers
  r('GET', '/distribution/{name:.*}/json', 'distribution.inspect', 'DISTRIBUTION', 'read'),
  r('GET', '/networks', 'network.list', 'NETWORKS', 'read'),
  r('GET', '/networks/', 'network.list', 'NETWORKS', 'read'),
  r('GET', '/networks/{id:.+}', 'network.inspect', 'NETWORKS', 'read'),
  r('POST', '/networks/create', 'network.create', 'NETWORKS', 'write'),
  r('POST', '/networks/{id:.*}/connect', 'network.connect', 'NETWORKS', 'write'),
  r('POST', '/networks/{id:.*}/disconnect', 'network.disconnect', 'NETWORKS', 'write'),
  r('POST', '/networks/prune', 'network.prune', 'NETWORKS', 'write'),
  r('DELETE', '/networks/{id:.*}', 'network.delete', 'NETWORKS', 'write'),
  r('POST', '/grpc', 'build.grpc', 'GRPC', 'exec', { hijack: true }),
];

/** Every operation name in the table, sorted (for policy-file validation and docs). */
export const OPERATIONS: readonly string[] = [...new Set(ROUTES.map((x) => x.operation))].sort();
