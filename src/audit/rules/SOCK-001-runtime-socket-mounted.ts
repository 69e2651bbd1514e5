// SOCK-001: a container runtime socket (or a directory holding one) is mounted into a container.
import type { MountSpec, Rule, RuleHit } from '../types.js';

const SOCKETS = [/docker\.sock$/, /containerd\.sock$/, /podman\.sock$/, /crio\.sock$/, /^\/run\/systemd\/private$/, /dockershim\.sock$/];
const PARENTS = new Set(['/', '/run', '/var/run', '/var/run/docker', '/run/docker', '/run/containerd', '/run/podman', '/var/lib/docker']);

/** Whether a bind source is a runtime socket or a directory that contains one. */
export function isRuntimeSocket(m: MountSpec): boolean {
  if (m.type !== 'bind' && m.type !== 'other') return false;
  const src = m.source.replace(/\/+$/, '') || '/';
  return SOCKETS.some((re) => re.test(src)) || PARENTS.has(src);
}

export const SOCK_001: Rule = {
  id: 'SOCK-001',
  title: 'Container runtime socket mounted',
  category: 'socket',
  severityText: 'Critical; read-only does not mitigate (the API is still fully usable over a read-only socket).',
  defaultSeverity: 'critical',
  description: 'Mounting docker.sock (or containerd, podman, CRI-O sockets, or a parent directory such as /run or /var/run) gives the container full control of the Docker daemon, which is root on the host.',
  fix: 'Put a socket proxy in front (Portcullis proxy, or docker-socket-proxy) with only the API sections the tool needs, and give the tool the proxy address instead of the socket.',
  sources: ['CIS Docker Benchmark 5.32', 'KICS d6355c88', 'compose-lint CL-0001'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const m of svc.mounts) {
        if (!isRuntimeSocket(m)) continue;
        const combo = svc.privileged ? ' in a privileged container' : svc.user === 'root' || svc.user === '0' ? ' as root' : '';
        hits.push({ service: svc, severity: 'critical', path: m.path, evidenceKey: m.source, evidence: { source: m.source, target: m.target, readOnly: m.readOnly }, message: `${svc.name} mounts the runtime socket ${m.source}${m.readOnly ? ' (read-only does not help)' : ''}${combo}` });
      }
    }
    return hits;
  },
};
