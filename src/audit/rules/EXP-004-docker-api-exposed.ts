// EXP-004: the Docker Engine API (2375/2376 or a socket proxy's port) is published or served on plain TCP.
import { classifyBinding, classifyService } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey, exposedBindings, exposureSeverity, verdictOf, verdictWords } from './helpers.js';

export const EXP_004: Rule = {
  id: 'EXP-004',
  title: 'Docker Engine API exposed',
  category: 'exposure',
  severityText: 'Critical when reachable beyond the host or undecided; medium on loopback; low when the firewall blocks it. Critical when dockerd itself warns that its API is served without TLS.',
  defaultSeverity: 'critical',
  description: 'Whoever reaches the Docker API controls the host as root. A published 2375/2376 or a socket-proxy port hands that to the network.',
  fix: 'Do not publish the socket proxy or dockerd TCP ports; connect consumers over an internal network, or use SSH/TLS with client certificates for remote access.',
  sources: ['CIS Docker Benchmark 2.7', "Tecnativa docker-socket-proxy README (\"never expose this container's port\")"],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const sc = classifyService(svc);
      for (const b of exposedBindings(svc)) {
        if (classifyBinding(svc, b, sc) !== 'docker-api') continue;
        const v = verdictOf(b);
        const severity = exposureSeverity('docker-api', v);
        if (!severity) continue;
        hits.push({
          service: svc, severity, path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b, 'docker-api'),
          ...(b.reachability ? { reachability: b.reachability } : {}),
          message: `Docker API port "${b.raw}" of ${svc.name} is ${verdictWords(v)}`,
        });
      }
    }
    for (const w of model.daemon?.warnings ?? []) {
      if (/API is accessible on http:\/\//i.test(w)) {
        hits.push({ severity: 'critical', evidenceKey: 'daemon-plain-tcp', evidence: { warning: w.slice(0, 200) }, message: `dockerd serves its API without TLS: ${w.trim()}` });
      }
    }
    return hits;
  },
};
