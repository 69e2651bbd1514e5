// EXP-006: a DOCKER-USER rule that cannot do what it looks like (host port after DNAT) or leaves the LAN open.
import type { Rule, RuleHit } from '../types.js';

export const EXP_006: Rule = {
  id: 'EXP-006',
  title: 'Ineffective or LAN-open DOCKER-USER rule',
  category: 'exposure',
  severityText: 'Medium.',
  defaultSeverity: 'medium',
  description: 'DOCKER-USER sees packets after DNAT: `--dport` is the container port and `-d` the container address. A rule written with the host port or host address never matches. The ufw-docker block also RETURNs every RFC 1918 source, so every published port stays open to the LAN.',
  fix: 'Match the original destination with `-m conntrack --ctorigdstport <host port>` / `--ctorigdst <host ip>`, or use the container port; restrict LAN sources explicitly if the LAN is not trusted.',
  sources: ['https://docs.docker.com/engine/network/packet-filtering-firewalls/ (match the original IP and ports)', 'chaifeng/ufw-docker'],
  modes: ['compose', 'host'],
  check(model) {
    const fw = model.firewall;
    if (!fw) return [];
    const hits: RuleHit[] = [];
    for (const i of fw.ineffective) {
      const service = model.services.find((s) => s.name === i.service);
      hits.push({ ...(service ? { service } : {}), severity: 'medium', evidenceKey: `ineffective|${i.rule}`, evidence: { rule: i.rule }, message: `${i.rule} ${i.reason}` });
    }
    for (const rule of fw.lanOpen) {
      hits.push({ severity: 'medium', evidenceKey: `lan-open|${rule}`, evidence: { rule }, message: `${rule} lets every private-range source reach all published ports (LAN-open)` });
    }
    return hits;
  },
};
