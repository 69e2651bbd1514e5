// OPS-001: no memory, CPU or PIDs limit.
import type { Rule, RuleHit } from '../types.js';

export const OPS_001: Rule = {
  id: 'OPS-001',
  title: 'No memory / CPU / PIDs limits',
  category: 'operations',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: 'Without limits one runaway or compromised container (a fork bomb, a memory leak) can starve the host and every other service.',
  fix: 'Set `mem_limit`, `cpus` and `pids_limit` (or `deploy.resources.limits`).',
  sources: ['CIS Docker Benchmark 5.11, 5.12, 5.29', 'KICS bb9ac4f7, 6b610c50, 221e0658', 'torrust deployer checklist (resource limits)'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const missing = (['memory', 'cpus', 'pids'] as const).filter((k) => !svc.limits[k]);
      if (missing.length === 0) continue;
      hits.push({ service: svc, severity: 'low', evidenceKey: 'limits', evidence: { missing: missing.join(',') }, message: `${svc.name} has no ${missing.join('/')} limit` });
    }
    return hits;
  },
};
