// EXP-003: an admin/monitoring UI or a debugger port is published.
import { classifyBinding, classifyService } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey, exposedBindings, exposureSeverity, verdictOf, verdictWords } from './helpers.js';

export const EXP_003: Rule = {
  id: 'EXP-003',
  title: 'Admin, monitoring or debug endpoint published',
  category: 'exposure',
  severityText: 'Admin UI: high from the internet, medium from the LAN or undecided. Debug port: critical from the internet, high from the LAN or undecided. Nothing on loopback.',
  defaultSeverity: 'high',
  description: 'Prometheus, cAdvisor, pgAdmin, Portainer, Traefik with --api.insecure and similar UIs often ship without authentication; debugger ports (9229 node, 5005 JDWP, 2345 delve, 5678 debugpy) give code execution.',
  fix: 'Publish on 127.0.0.1 and reach it through an SSH tunnel or an authenticating reverse proxy; never publish debugger ports outside development.',
  sources: ['torrust deployer security guide (PORT-10, Prometheus on 127.0.0.1)', 'Traefik docs (api.insecure)', 'CIS Docker Benchmark 5.9'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const sc = classifyService(svc);
      for (const b of exposedBindings(svc)) {
        const cls = classifyBinding(svc, b, sc);
        if (cls !== 'admin' && cls !== 'debug') continue;
        const v = verdictOf(b);
        const severity = exposureSeverity(cls, v);
        if (!severity || v === 'local-only') continue;
        hits.push({
          service: svc, severity, path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b, cls),
          ...(b.reachability ? { reachability: b.reachability } : {}),
          message: `${cls === 'debug' ? 'debug port' : 'admin/monitoring endpoint'} "${b.raw}" of ${svc.name} is ${verdictWords(v)}`,
        });
      }
    }
    return hits;
  },
};
