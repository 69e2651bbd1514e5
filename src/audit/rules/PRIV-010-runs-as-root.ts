// PRIV-010: the container runs as root (explicitly in compose; by image default on a live host).
import { isRuntimeSocket } from './SOCK-001-runtime-socket-mounted.js';
import type { Rule, RuleHit } from '../types.js';

/** Whether a `user:` value means root. */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return false;
  const name = user.trim().split(':')[0] ?? '';
  return name === 'root' || name === '0' || name === '';
}

export const PRIV_010: Rule = {
  id: 'PRIV-010',
  title: 'Runs as root',
  category: 'privilege',
  severityText: 'Medium; high when combined with a socket mount or privileged mode.',
  defaultSeverity: 'medium',
  description: 'A process running as root inside the container is root on the host if it escapes, and owns every file it can reach through mounts.',
  fix: 'Set `user: "1000:1000"` (or the image\'s unprivileged user) and fix volume ownership.',
  sources: ['CIS Docker Benchmark 4.1', 'hadolint DL3002', 'Checkov CKV_DOCKER_8', 'compose-lint CL-0018'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      // In compose mode the image default is unknown: only an explicit root user is reported.
      const root = model.mode === 'host' ? svc.user === undefined || isRootUser(svc.user) : svc.user !== undefined && isRootUser(svc.user);
      if (!root) continue;
      const combo = svc.privileged || svc.mounts.some(isRuntimeSocket);
      hits.push({ service: svc, severity: combo ? 'high' : 'medium', ...(svc.user !== undefined ? { path: ['user'] } : {}), evidenceKey: 'root', evidence: { user: svc.user ?? '(image default: root)' }, message: `${svc.name} runs as root${combo ? ' with host-level access (socket or privileged)' : ''}` });
    }
    return hits;
  },
};
