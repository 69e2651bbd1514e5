// EXP-013: a UDP service prone to amplification (DNS, NTP, memcached, SSDP, SNMP) published beyond loopback.
import { inRange } from '../ports.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey, exposedBindings, verdictOf, verdictWords } from './helpers.js';

/** UDP ports used in reflection/amplification attacks. */
export const AMPLIFIER_PORTS = [53, 123, 161, 1900, 11211, 19, 389];

export const EXP_013: Rule = {
  id: 'EXP-013',
  title: 'Open UDP amplifier published',
  category: 'exposure',
  severityText: 'Medium when reachable from the internet or undecided; nothing for LAN or loopback bindings.',
  defaultSeverity: 'medium',
  description: 'An open resolver (53/udp), NTP (123), SNMP (161), SSDP (1900) or memcached (11211/udp) on a public address is abused for reflection DDoS.',
  fix: 'Publish on the LAN address or 127.0.0.1 only, or restrict sources in DOCKER-USER.',
  sources: ['pi-hole docker-compose example (53/udp)', 'US-CERT TA14-017A (UDP amplification)'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const b of exposedBindings(svc)) {
        if (b.protocol !== 'udp' || !AMPLIFIER_PORTS.some((p) => inRange(p, b.containerPort))) continue;
        const v = verdictOf(b);
        if (v !== 'public' && v !== 'unknown') continue;
        hits.push({ service: svc, severity: 'medium', path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b), ...(b.reachability ? { reachability: b.reachability } : {}), message: `UDP "${b.raw}" of ${svc.name} is ${verdictWords(v)} and can be used for amplification` });
      }
    }
    return hits;
  },
};
