// The permissions table: each Portcullis permission and the Docker Engine API operations it allows.

/** Every permission a role can hold. Anything else is unknown and denied. */
export const PERMISSIONS = [
  'container.read', 'container.operate', 'container.exec', 'container.create', 'container.delete',
  'image.read', 'image.pull', 'image.delete',
  'network.read', 'network.manage', 'volume.read', 'volume.manage',
  'host.read', 'host.manage', 'audit.read', 'user.manage', 'token.manage', 'system.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/**
 * Permissions about Portcullis itself rather than one host: only a grant with scope 'all' carries them.
 * `token.manage` is managing other users' tokens; a user's own tokens need only authentication (the
 * server's choice to make; a token still never exceeds its owner).
 */
export const GLOBAL_PERMISSIONS: readonly Permission[] = ['audit.read', 'user.manage', 'token.manage'];

/** True when `p` is a known permission name. */
export function isPermission(p: string): p is Permission {
  return (PERMISSIONS as readonly string[]).includes(p);
}

/**
 * Policy operations each permission allows. Every policy operation appears exactly once, either here
 * or in NEVER_THROUGH_API (a unit test walks OPERATIONS to prove it).
 */
export const PERMISSION_OPERATIONS: Readonly<Record<Permission, readonly string[]>> = {
  'container.read': [
    'container.list', 'container.inspect', 'container.logs', 'container.stats', 'container.top',
    'container.changes', 'container.wait', 'service.list', 'service.inspect', 'service.logs',
    'task.list', 'task.inspect', 'task.logs',
  ],
  'container.operate': [
    'container.start', 'container.stop', 'container.restart', 'container.kill', 'container.pause',
    'container.unpause', 'container.rename',
  ],
  // Anything that runs code in a container or reads/writes its files.
  'container.exec': [
    'container.exec.create', 'exec.start', 'exec.resize', 'exec.inspect', 'container.attach',
    'container.attach.ws', 'container.resize', 'container.archive.get', 'container.archive.put',
    'container.archive.stat', 'container.export',
  ],
  // Creating or reconfiguring workloads (body rules of the policy engine still apply).
  'container.create': ['container.create', 'container.update', 'container.commit', 'service.create', 'service.update'],
  'container.delete': ['container.delete', 'container.prune', 'service.delete'],
  'image.read': ['image.list', 'image.inspect', 'image.history', 'image.search', 'distribution.inspect'],
  'image.pull': ['image.create', 'image.load'],
  // Removing or renaming images: a retag can replace what "nginx:latest" means on the host.
  'image.delete': ['image.delete', 'image.prune', 'image.tag', 'build.prune'],
  'network.read': ['network.list', 'network.inspect'],
  'network.manage': ['network.create', 'network.delete', 'network.connect', 'network.disconnect', 'network.prune'],
  'volume.read': ['volume.list', 'volume.inspect'],
  'volume.manage': ['volume.create', 'volume.delete', 'volume.prune', 'volume.update'],
  'host.read': ['node.list', 'node.inspect', 'plugin.list', 'plugin.inspect', 'plugin.privileges', 'secret.list', 'config.list'],
  // Cluster membership and cluster-held data: swarm.inspect carries the join tokens, config.inspect the config data.
  'host.manage': [
    'swarm.init', 'swarm.join', 'swarm.leave', 'swarm.update', 'swarm.unlock', 'swarm.inspect',
    'node.update', 'node.delete', 'secret.create', 'secret.update', 'secret.delete', 'secret.inspect',
    'config.create', 'config.update', 'config.delete', 'config.inspect',
  ],
  'audit.read': [],
  'user.manage': [],
  'token.manage': [],
  'system.read': ['system.ping', 'system.version', 'system.info', 'system.df', 'system.events'],
};

/** Policy operations the control-plane API never performs for anyone, with the reason. */
export const NEVER_THROUGH_API: Readonly<Record<string, string>> = {
  'swarm.unlockkey': 'returns the swarm unlock key, a secret that must stay on the manager',
  'system.auth': 'checks registry credentials supplied by the caller; the server uses its own stored credentials',
  'image.push': 'sends image content to a registry with caller-supplied credentials (exfiltration path)',
  'image.export': 'streams whole image layers out of the host (bulk exfiltration); use the docker CLI on the host',
  'image.build': 'a build runs arbitrary commands as root on the host; builds are not offered by the API',
  'build.session': 'BuildKit session stream (hijacked connection) for builds, which the API does not offer',
  'build.grpc': 'BuildKit gRPC stream (hijacked connection) for builds, which the API does not offer',
  'build.cancel': 'cancels a build; builds are not offered by the API',
  'plugin.pull': 'installs a plugin, which runs with host privileges; install plugins on the host itself',
  'plugin.create': 'creates a plugin from a rootfs, which runs with host privileges',
  'plugin.upgrade': 'replaces a plugin, which runs with host privileges',
  'plugin.enable': 'starts a plugin, which runs with host privileges',
  'plugin.disable': 'stops a plugin that volumes or networks may depend on; manage plugins on the host',
  'plugin.set': 'changes plugin settings (mounts, devices) that run with host privileges',
  'plugin.delete': 'removes a plugin that volumes or networks may depend on; manage plugins on the host',
  'plugin.push': 'sends a plugin to a registry with caller-supplied credentials',
};

const OPERATION_PERMISSION: ReadonlyMap<string, Permission> = new Map(
  PERMISSIONS.flatMap((p) => PERMISSION_OPERATIONS[p].map((op) => [op, p] as const)),
);

/**
 * The permission needed to perform a policy operation, or undefined when the API never performs it
 * (or the name is unknown) — callers treat undefined as a denial.
 */
export function permissionForOperation(operation: string): Permission | undefined {
  return OPERATION_PERMISSION.get(operation);
}
