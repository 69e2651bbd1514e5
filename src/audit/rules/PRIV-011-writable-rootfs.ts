// PRIV-011: the root filesystem is writable, or a mount uses shared propagation.
import type { Rule, RuleHit } from '../types.js';

export const PRIV_011: Rule = {
  id: 'PRIV-011',
  title: 'Writable root filesystem or shared mount propagation',
  category: 'privilege',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: 'A writable root filesystem lets an intruder modify binaries and persist; shared propagation lets mounts made in the container appear on the host.',
  fix: 'Set `read_only: true` with `tmpfs` for scratch paths; use private propagation (the default).',
  sources: ['CIS Docker Benchmark 5.13, 5.20', 'compose-lint CL-0007, CL-0017', 'KICS baa452f0'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (!svc.readOnly) hits.push({ service: svc, severity: 'low', evidenceKey: 'read-only', message: `${svc.name} has a writable root filesystem` });
      for (const m of svc.mounts) {
        if (m.propagation && /^r?shared$/.test(m.propagation)) {
          hits.push({ service: svc, severity: 'low', path: m.path, evidenceKey: `propagation|${m.target}`, evidence: { target: m.target, propagation: m.propagation }, message: `${svc.name} mounts ${m.target} with ${m.propagation} propagation` });
        }
      }
    }
    return hits;
  },
};
