// EXP-001: a port of an app or edge service published on all interfaces.
import { classifyBinding, classifyService } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey, exposedBindings, exposureSeverity, verdictOf, verdictWords } from './helpers.js';

export const EXP_001: Rule = {
  id: 'EXP-001',
  title: 'Port published beyond loopback',
  category: 'exposure',
  severityText: 'Medium for an app reachable from the internet (low from the LAN), info for an edge proxy; datastores, admin UIs, debug ports and the Docker API are EXP-002…004.',
  defaultSeverity: 'medium',
  description: 'A port published without a host address (or on 0.0.0.0 / ::) listens on every interface. Docker publishes it through the NAT table, so host firewalls such as UFW do not filter it.',
  fix: 'Publish on 127.0.0.1 (`"127.0.0.1:8080:8080"` or `host_ip: 127.0.0.1`) and put a reverse proxy in front, or remove the mapping and use `expose`.',
  sources: ['CIS Docker Benchmark 5.14', 'torrust deployer security guide (UFW bypass ADR)', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const sc = classifyService(svc);
      for (const b of exposedBindings(svc)) {
        const cls = classifyBinding(svc, b, sc);
        if (cls !== 'app' && cls !== 'edge') continue;
        const v = verdictOf(b);
        const severity = exposureSeverity(cls, v);
        if (!severity) continue;
        hits.push({
          service: svc, severity, path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b, cls),
          ...(b.reachability ? { reachability: b.reachability } : {}),
          message: `"${b.raw}" of ${cls === 'edge' ? 'edge proxy' : 'service'} ${svc.name} is ${verdictWords(v)}`,
        });
      }
    }
    return hits;
  },
};
