// EXP-010: two services publish the same host address, port and protocol.
import { bindScope } from '../ports.js';
import type { PortBinding, Rule, RuleHit, Service } from '../types.js';
import { bindingEvidence, bindingKey } from './helpers.js';

function overlaps(a: PortBinding, b: PortBinding): boolean {
  if (!a.hostPort || !b.hostPort || a.protocol !== b.protocol) return false;
  if (a.hostPort.to < b.hostPort.from || b.hostPort.to < a.hostPort.from) return false;
  const wa = bindScope(a.hostIp) === 'all';
  const wb = bindScope(b.hostIp) === 'all';
  return wa || wb || a.hostIp === b.hostIp;
}

export const EXP_010: Rule = {
  id: 'EXP-010',
  title: 'Duplicate host port binding',
  category: 'exposure',
  severityText: 'Medium.',
  defaultSeverity: 'medium',
  description: 'Two services bind the same host address, port and protocol (a wildcard overlaps every address). Only one can start; which one wins depends on start order.',
  fix: 'Give each service its own host port, or front them with one reverse proxy.',
  sources: ['dclint no-duplicate-exported-ports', 'torrust deployer topology invariant (no two services bind the same host port)'],
  modes: ['compose'],
  check(model) {
    const hits: RuleHit[] = [];
    const seen: { svc: Service; b: PortBinding }[] = [];
    for (const svc of model.services) {
      for (const b of svc.ports) {
        const clash = seen.find((s) => s.svc !== svc && overlaps(s.b, b));
        if (clash) {
          hits.push({ service: svc, severity: 'medium', path: b.path, evidenceKey: `${bindingKey(b)}|${clash.svc.name}`, evidence: { ...bindingEvidence(b), conflictsWith: clash.svc.name }, message: `"${b.raw}" of ${svc.name} binds the same host port as "${clash.b.raw}" of ${clash.svc.name}` });
        }
        seen.push({ svc, b });
      }
    }
    return hits;
  },
};
