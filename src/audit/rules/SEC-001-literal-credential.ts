// SEC-001: a credential-shaped environment variable holds a literal value.
import type { Rule, RuleHit } from '../types.js';
import { isCredentialKey, isTrivialValue } from './helpers.js';

export const SEC_001: Rule = {
  id: 'SEC-001',
  title: 'Literal credential in environment',
  category: 'secrets',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'A password, token or key written into the compose file ends up in version control, in `docker inspect` output and in every process that can read the container config.',
  fix: 'Use `${VAR}` from an untracked `.env`, or Docker secrets / `*_FILE` variables pointing at mounted secret files.',
  sources: ['compose-lint CL-0020', 'OWASP Docker Security Cheat Sheet rule 12', 'hadolint DL3064'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const e of svc.environment) {
        if (!e.literal || isTrivialValue(e.value) || !isCredentialKey(e.key)) continue;
        hits.push({ service: svc, severity: 'high', ...(model.mode === 'compose' ? { path: e.path } : {}), evidenceKey: e.key, evidence: { variable: e.key }, message: `${svc.name} sets ${e.key} to a literal value` });
      }
    }
    return hits;
  },
};
