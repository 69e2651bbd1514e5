// OPS-003: no healthcheck (or it is disabled).
import type { Rule, RuleHit } from '../types.js';

export const OPS_003: Rule = {
  id: 'OPS-003',
  title: 'No healthcheck',
  category: 'operations',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: 'Without a healthcheck a hung service keeps "running", `depends_on: condition: service_healthy` cannot work, and restarts never trigger.',
  fix: 'Add a `healthcheck:` with a cheap probe (`["CMD", "pg_isready"]`, an HTTP /health endpoint).',
  sources: ['CIS Docker Benchmark 4.6, 5.27', 'KICS 698ed579', 'hadolint DL3057'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.healthcheck === 'defined' || svc.healthcheck === 'image') continue;
      hits.push({ service: svc, severity: 'low', ...(svc.healthcheck === 'disabled' && model.mode === 'compose' ? { path: ['healthcheck'] } : {}), evidenceKey: svc.healthcheck, message: `${svc.name} has ${svc.healthcheck === 'disabled' ? 'its healthcheck disabled' : 'no healthcheck'}` });
    }
    return hits;
  },
};
