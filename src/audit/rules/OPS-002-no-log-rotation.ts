// OPS-002: logging disabled, or json-file logs without rotation.
import type { Rule, RuleHit } from '../types.js';

export const OPS_002: Rule = {
  id: 'OPS-002',
  title: 'No log rotation / logging disabled',
  category: 'operations',
  severityText: 'Medium when logging is disabled (driver none); low for json-file without max-size.',
  defaultSeverity: 'medium',
  description: 'The default json-file driver keeps logs forever unless max-size is set, filling the disk; driver none throws away the evidence of an intrusion.',
  fix: 'Set `logging: {driver: json-file, options: {max-size: "10m", max-file: "10"}}` (or configure daemon-wide log-opts / a central driver).',
  sources: ['torrust deployer x-defaults (10m × 10)', 'compose-lint CL-0014', 'CIS Docker Benchmark 2.13'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const driver = svc.logging?.driver ?? (model.mode === 'host' ? undefined : model.daemon?.loggingDriver);
      if (driver === 'none') {
        hits.push({ service: svc, severity: 'medium', ...(model.mode === 'compose' ? { path: ['logging', 'driver'] } : {}), evidenceKey: 'none', message: `${svc.name} disables logging (driver none)` });
      } else if ((driver === undefined || driver === 'json-file') && !svc.logging?.options['max-size']) {
        hits.push({ service: svc, severity: 'low', ...(svc.logging && model.mode === 'compose' ? { path: ['logging'] } : {}), evidenceKey: 'rotation', message: `${svc.name} logs to json-file without max-size (no rotation)` });
      }
    }
    return hits;
  },
};
