// EXP-005: a published port is reachable although UFW/firewalld is active (Docker's DNAT bypasses them).
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey } from './helpers.js';

export const EXP_005: Rule = {
  id: 'EXP-005',
  title: 'Published port bypasses the active host firewall',
  category: 'exposure',
  severityText: 'High: the firewall the operator relies on does not apply.',
  defaultSeverity: 'high',
  description: 'UFW and firewalld filter INPUT, but Docker publishes ports through nat/PREROUTING DNAT and filter/FORWARD, so a `ufw deny` never sees the packets. Only a DOCKER-USER rule can restrict them.',
  fix: 'Publish on 127.0.0.1, or restrict in DOCKER-USER (`iptables -I DOCKER-USER -i eth0 ! -s 192.0.2.0/24 -j DROP`, matching host ports with `-m conntrack --ctorigdstport`), or install the ufw-docker rules and allow per container port.',
  sources: ['torrust deployer ADR docker-ufw-firewall-security-strategy', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/', 'chaifeng/ufw-docker'],
  modes: ['compose', 'host'],
  check(model) {
    const fw = model.firewall;
    if (fw?.kind !== 'iptables' || !(fw.ufwActive || fw.firewalldActive)) return [];
    const which = fw.ufwActive ? 'UFW' : 'firewalld';
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const b of svc.ports) {
        const r = b.reachability;
        if (r?.verdict !== 'public' || !/Docker's own rules|FORWARD policy ACCEPT/.test(r.decidedBy)) continue;
        hits.push({
          service: svc, severity: 'high', path: b.path, evidenceKey: bindingKey(b), evidence: { ...bindingEvidence(b), firewall: which }, reachability: r,
          message: `${which} is active, yet "${b.raw}" of ${svc.name} is reachable from the internet: ${r.decidedBy}`,
        });
      }
    }
    return hits;
  },
};
