// OPS-004: no restart policy.
import type { Rule, RuleHit } from '../types.js';

export const OPS_004: Rule = {
  id: 'OPS-004',
  title: 'Restart policy missing',
  category: 'operations',
  severityText: 'Info.',
  defaultSeverity: 'info',
  description: 'Without a restart policy a crashed service stays down after a failure or a host reboot.',
  fix: 'Set `restart: unless-stopped` (or `on-failure:5`, as CIS suggests, to bound crash loops).',
  sources: ['CIS Docker Benchmark 5.15', 'KICS 2fc99041'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.restart && svc.restart !== 'no') continue;
      hits.push({ service: svc, severity: 'info', ...(svc.restart && model.mode === 'compose' ? { path: ['restart'] } : {}), evidenceKey: 'restart', message: `${svc.name} has no restart policy` });
    }
    return hits;
  },
};
