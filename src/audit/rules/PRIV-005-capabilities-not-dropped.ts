// PRIV-005: the default capability set is kept (no cap_drop: [ALL]).
import type { Rule, RuleHit } from '../types.js';

export const PRIV_005: Rule = {
  id: 'PRIV-005',
  title: 'Capabilities not dropped',
  category: 'privilege',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: "Docker's default set keeps 14 capabilities (CHOWN, SETUID, NET_RAW…) that most services never use.",
  fix: 'Add `cap_drop: [ALL]` and `cap_add` back only what the service needs (e.g. NET_BIND_SERVICE).',
  sources: ['CIS Docker Benchmark 5.4', 'KICS ce76b7d0', 'compose-lint CL-0006'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.privileged || svc.capDrop.includes('ALL')) continue;
      hits.push({ service: svc, severity: 'low', evidenceKey: 'cap-drop', message: `${svc.name} keeps the default capabilities (no cap_drop: [ALL])` });
    }
    return hits;
  },
};
