// PRIV-008: a sensitive host directory is bind-mounted.
import type { Rule, RuleHit } from '../types.js';
import { isRuntimeSocket } from './SOCK-001-runtime-socket-mounted.js';

/** Host paths whose mount is sensitive; the root-equivalent ones are critical when writable. */
export const SENSITIVE_PATHS = ['/', '/etc', '/proc', '/sys', '/boot', '/dev', '/usr', '/lib', '/lib64', '/bin', '/sbin', '/root', '/home', '/var/lib/docker', '/var/log', '/var/lib/kubelet', '/run', '/var/run'];
export const ROOT_EQUIVALENT = new Set(['/', '/etc', '/boot', '/dev', '/proc', '/sys', '/usr', '/lib', '/lib64', '/bin', '/sbin', '/root', '/var/lib/docker']);

/** Harmless files commonly mounted read-only (time zone, CA bundle, OS identity). */
export const HARMLESS_READ_ONLY = ['/etc/localtime', '/etc/timezone', '/etc/ssl/certs', '/etc/ca-certificates', '/usr/share/zoneinfo', '/etc/machine-id', '/etc/os-release', '/usr/share/ca-certificates'];

function sensitiveRoot(src: string, readOnly: boolean): string | undefined {
  const s = src.replace(/\/+$/, '') || '/';
  if (readOnly && HARMLESS_READ_ONLY.some((h) => s === h || s.startsWith(`${h}/`))) return undefined;
  if (s === '/') return '/';
  return SENSITIVE_PATHS.filter((p) => p !== '/').find((p) => s === p || s.startsWith(`${p}/`));
}

export const PRIV_008: Rule = {
  id: 'PRIV-008',
  title: 'Sensitive host path mounted',
  category: 'privilege',
  severityText: 'High; critical when writable and root-equivalent (/, /etc, /root, /usr, /boot, /dev, /proc, /sys, /var/lib/docker…).',
  defaultSeverity: 'high',
  description: 'Mounting system directories lets the container read secrets (/etc/shadow, SSH keys) or, when writable, plant cron jobs, binaries or Docker state that run as root on the host. Read-only time-zone, CA-bundle and OS-identity files (/etc/localtime, /etc/ssl/certs…) are exempt.',
  fix: 'Mount only the specific file or subdirectory the service needs, read-only (`:ro`).',
  sources: ['CIS Docker Benchmark 5.6', 'KICS 1c1325ff', 'compose-lint CL-0013, CL-0025'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const m of svc.mounts) {
        if (m.type !== 'bind' || isRuntimeSocket(m)) continue;
        const root = sensitiveRoot(m.source, m.readOnly);
        if (!root) continue;
        const whole = (m.source.replace(/\/+$/, '') || '/') === root;
        const critical = !m.readOnly && ROOT_EQUIVALENT.has(root) && (whole || root === '/etc' || root === '/root');
        hits.push({ service: svc, severity: critical ? 'critical' : 'high', path: m.path, evidenceKey: m.source, evidence: { source: m.source, target: m.target, readOnly: m.readOnly }, message: `${svc.name} mounts host path ${m.source}${m.readOnly ? ' (read-only)' : ' writable'}` });
      }
    }
    return hits;
  },
};
