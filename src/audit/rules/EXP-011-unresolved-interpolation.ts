// EXP-011: an unset ${VAR} with no default in an exposure-relevant field (ports, image, volumes, network_mode).
import type { Rule, RuleHit } from '../types.js';

export const EXP_011: Rule = {
  id: 'EXP-011',
  title: 'Unresolved interpolation in an exposure-relevant field',
  category: 'exposure',
  severityText: 'Info: the audit judged the value Compose would use (the empty string), which may not be what runs.',
  defaultSeverity: 'info',
  description: 'A `${VAR}` without a value in `.env` or the environment and without a default becomes an empty string; `${BIND}:5432:5432` then publishes on all interfaces.',
  fix: 'Set the variable in `.env`, or give a safe default (`${BIND:-127.0.0.1}`), or require it (`${BIND:?set BIND}`).',
  sources: ['compose-spec 12-interpolation.md', 'compose-lint ADR-026'],
  modes: ['compose'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const u of svc.unresolved) {
        hits.push({ service: svc, severity: 'info', path: u.path, evidenceKey: `${u.path.join('.')}|${u.vars.join(',')}`, evidence: { variables: u.vars.join(',') }, message: `${svc.name}: ${u.vars.map((v) => `\${${v}}`).join(', ')} unset with no default in ${u.path.join('.')}` });
      }
    }
    return hits;
  },
};
