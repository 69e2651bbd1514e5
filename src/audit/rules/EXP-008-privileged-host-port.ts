// EXP-008: a host port below 1024 mapped for a service that is not an edge proxy.
import { classifyService } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey, exposedBindings } from './helpers.js';

/** Host ports below this are privileged. */
export const PRIVILEGED_PORT_LIMIT = 1024;

export const EXP_008: Rule = {
  id: 'EXP-008',
  title: 'Privileged host port mapped',
  category: 'exposure',
  severityText: 'Low (edge proxies on 80/443 are exempt).',
  defaultSeverity: 'low',
  description: 'Host ports below 1024 are reserved for system services; mapping one for an ordinary service usually means a well-known protocol (SSH, SMB, DNS…) is served from a container.',
  fix: 'Map a high host port, or front the service with the edge proxy.',
  sources: ['CIS Docker Benchmark 5.8', 'KICS bc2908f3'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (classifyService(svc) === 'edge') continue;
      for (const b of exposedBindings(svc)) {
        if (!b.hostPort || b.hostPort.from >= PRIVILEGED_PORT_LIMIT) continue;
        hits.push({ service: svc, severity: 'low', path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b), message: `${svc.name} maps privileged host port ${b.hostPort.from} ("${b.raw}")` });
      }
    }
    return hits;
  },
};
