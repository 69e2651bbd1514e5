// DMN-001: daemon hardening posture from /info (userns, rootless, live-restore, experimental, authz, swarm…).
import type { Rule, RuleHit, Severity } from '../types.js';

export const DMN_001: Rule = {
  id: 'DMN-001',
  title: 'Daemon hardening posture',
  category: 'daemon',
  severityText: 'Low for missing user-namespace remapping/rootless and aufs; info for the rest.',
  defaultSeverity: 'low',
  description: 'Daemon-wide settings bound what any container escape can do: user-namespace remapping or rootless mode, seccomp, an authorization plugin, live-restore.',
  fix: 'Consider `userns-remap` or rootless Docker, enable `live-restore`, keep the default seccomp profile, disable experimental features and Swarm when unused.',
  sources: ['CIS Docker Benchmark 2.1, 2.6, 2.9, 2.12, 2.15, 2.17, 2.18, 5.1'],
  modes: ['host'],
  check(model) {
    const d = model.daemon;
    if (!d) return [];
    const hits: RuleHit[] = [];
    const add = (key: string, severity: Severity, message: string): void => {
      hits.push({ severity, evidenceKey: key, message });
    };
    const opts = d.securityOptions.join(' ');
    if (!/name=userns/.test(opts) && !/name=rootless/.test(opts)) add('userns', 'low', 'dockerd runs as root without user-namespace remapping (CIS 2.1/2.9)');
    if (!/name=seccomp/.test(opts)) add('seccomp', 'low', 'dockerd reports no seccomp support (CIS 2.17)');
    if (d.liveRestore === false) add('live-restore', 'info', 'live-restore is off: restarting dockerd stops every container (CIS 2.15)');
    if (d.experimental === true) add('experimental', 'info', 'experimental features are on (CIS 2.18)');
    if (d.storageDriver === 'aufs') add('aufs', 'low', 'the aufs storage driver is in use (CIS 2.6)');
    if (d.authzPlugins.length === 0) add('authz', 'info', 'no authorization plugin is configured (CIS 2.12)');
    if (d.swarmActive) add('swarm', 'info', 'Swarm mode is active; published ports bind 0.0.0.0 through the ingress mesh (CIS 5.1)');
    return hits;
  },
};
