// PRIV-003: the container shares the host's PID, IPC, UTS, user or cgroup namespace.
import type { Rule, RuleHit } from '../types.js';

const KEYS: Record<string, string> = { pid: 'pid', ipc: 'ipc', uts: 'uts', userns: 'userns_mode', cgroup: 'cgroup' };

export const PRIV_003: Rule = {
  id: 'PRIV-003',
  title: 'Host namespace shared',
  category: 'privilege',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'Sharing the host PID namespace exposes every host process (and /proc/<pid>/root with enough capabilities); IPC exposes shared memory; UTS lets the container rename the host; userns host disables user-namespace remapping.',
  fix: 'Remove `pid: host`, `ipc: host`, `uts: host`, `userns_mode: host`, `cgroup: host`.',
  sources: ['CIS Docker Benchmark 5.16, 5.17, 5.21, 5.31', 'KICS 4f31dd9f, baa3890f, 8af7162d', 'compose-lint CL-0010'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const [ns, key] of Object.entries(KEYS)) {
        if (svc.namespaces[ns as keyof typeof svc.namespaces] !== 'host') continue;
        hits.push({ service: svc, severity: 'high', path: [key], evidenceKey: ns, evidence: { namespace: ns }, message: `${svc.name} shares the host ${ns} namespace` });
      }
    }
    return hits;
  },
};
