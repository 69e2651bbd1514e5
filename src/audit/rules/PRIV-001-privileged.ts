// PRIV-001: privileged container.
import type { Rule, RuleHit } from '../types.js';

export const PRIV_001: Rule = {
  id: 'PRIV-001',
  title: 'Privileged container',
  category: 'privilege',
  severityText: 'Critical.',
  defaultSeverity: 'critical',
  description: '`privileged: true` gives the container every capability, all host devices and no seccomp/AppArmor confinement: it is root on the host.',
  fix: 'Remove `privileged`; add only the capabilities and devices the workload needs (`cap_add`, `devices`).',
  sources: ['CIS Docker Benchmark 5.5', 'KICS ae5b6871', 'compose-lint CL-0002'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.privileged) hits.push({ service: svc, severity: 'critical', path: ['privileged'], evidenceKey: 'privileged', message: `${svc.name} runs privileged` });
    }
    return hits;
  },
};
