// EXP-007: loopback-published ports reachable from L2 neighbours on Docker < 28.0.0 (moby#45610).
import { bindScope } from '../ports.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey } from './helpers.js';

/** Compares dotted versions numerically; `20.10.24+dfsg1` < `28.0.0`. */
export function versionBelow(version: string, floor: number[]): boolean {
  const parts = version.split(/[.+-]/).slice(0, floor.length).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < floor.length; i++) {
    const a = parts[i] ?? 0;
    const b = floor[i] ?? 0;
    if (Number.isNaN(a)) return false;
    if (a !== b) return a < b;
  }
  return false;
}

export const EXP_007: Rule = {
  id: 'EXP-007',
  title: 'Loopback publish reachable from L2 neighbours',
  category: 'exposure',
  severityText: 'Medium (live hosts running Docker before 28.0.0).',
  defaultSeverity: 'medium',
  description: 'Before Docker 28.0.0, a port published on 127.0.0.1 was reachable from hosts on the same L2 segment that route 127.0.0.1 to this host (moby#45610).',
  fix: 'Upgrade Docker Engine to 28.0.0 or later, or add a raw/PREROUTING rule dropping packets to 127.0.0.0/8 that do not arrive on lo.',
  sources: ['moby/moby#45610', 'torrust deployer ADR docker-ufw-firewall-security-strategy'],
  modes: ['host'],
  check(model) {
    const version = model.daemon?.serverVersion;
    if (!version || !versionBelow(version, [28, 0, 0])) return [];
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const b of svc.ports) {
        if (bindScope(b.hostIp) !== 'loopback') continue;
        hits.push({ service: svc, severity: 'medium', path: b.path, evidenceKey: bindingKey(b), evidence: { ...bindingEvidence(b), engine: version }, message: `"${b.raw}" of ${svc.name} is on loopback, but Docker ${version} (< 28.0.0) lets L2 neighbours reach it` });
      }
    }
    return hits;
  },
};
