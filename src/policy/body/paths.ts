// Host paths in bind mounts: lexical normalisation, allowlist matching, Docker socket detection.
import type { BodyConstraints } from '../types.js';
import { violation, type Violation } from './read.js';

/** Sockets that give root on the host to whoever can write to them. */
const ROOT_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock'];
const ROOT_SOCKET_NAMES = new Set(['docker.sock', 'containerd.sock']);

/**
 * Resolves `.`, `..` and repeated slashes of an absolute path lexically (symlinks are not
 * followed: the policy engine does no I/O). Returns undefined for a relative path.
 * @example normaliseHostPath('/srv/data/../../etc//') === '/etc'
 */
export function normaliseHostPath(p: string): string | undefined {
  if (!p.startsWith('/')) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** True when `path` is `base` or lies below it (path-boundary prefix, both normalised). */
export function isUnder(path: string, base: string): boolean {
  if (base === '/') return true;
  return path === base || path.startsWith(`${base}/`);
}

/** True when bind-mounting `path` exposes a Docker/containerd socket (the socket itself or a parent). */
export function exposesDockerSocket(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (ROOT_SOCKET_NAMES.has(base)) return true;
  return ROOT_SOCKETS.some((s) => isUnder(path, s) || isUnder(s, path));
}

/**
 * Checks one host path that would be mounted into a container against `allowBindMounts` and
 * `allowDockerSocket`. `what` names the source in the reason (e.g. "bind mount").
 */
export function checkHostPath(raw: string, c: BodyConstraints, what = 'bind mount'): Violation | undefined {
  const path = normaliseHostPath(raw);
  if (path === undefined) return violation('body:bind-mount', `${what} source must be an absolute host path`);
  const allowed = c.allowBindMounts.some((a) => {
    const base = normaliseHostPath(a);
    return base !== undefined && isUnder(path, base);
  });
  if (!allowed) return violation('body:bind-mount', `${what} of host path ${path.slice(0, 200)} is not under an allowed bind path`);
  if (exposesDockerSocket(path) && !c.allowDockerSocket) {
    return violation('body:docker-socket', `${what} of ${path.slice(0, 200)} exposes the Docker socket (allowDockerSocket is off)`);
  }
  return undefined;
}
