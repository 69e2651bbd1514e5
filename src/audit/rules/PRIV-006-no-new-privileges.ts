// PRIV-006: no-new-privileges is not set.
import type { Rule, RuleHit } from '../types.js';

export const PRIV_006: Rule = {
  id: 'PRIV-006',
  title: 'no-new-privileges not set',
  category: 'privilege',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: 'Without no-new-privileges, setuid binaries in the image can raise the privileges of a compromised process.',
  fix: 'Add `security_opt: ["no-new-privileges:true"]` (or set it daemon-wide with `"no-new-privileges": true`).',
  sources: ['CIS Docker Benchmark 5.26, 2.14', 'KICS 27fcc7d6', 'compose-lint CL-0003'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.securityOpt.some((o) => /^no-new-privileges(?:[:=]true)?$/i.test(o.trim()))) continue;
      hits.push({ service: svc, severity: 'low', evidenceKey: 'nnp', message: `${svc.name} does not set no-new-privileges` });
    }
    return hits;
  },
};
