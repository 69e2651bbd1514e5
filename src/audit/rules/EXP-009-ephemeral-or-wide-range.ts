// EXP-009: a bare/ephemeral publish (Docker picks a host port on all interfaces) or a wide port range.
import { bindScope, rangeSize } from '../ports.js';
import type { Rule, RuleHit } from '../types.js';
import { bindingEvidence, bindingKey } from './helpers.js';

/** Ranges wider than this many ports are reported. */
export const WIDE_RANGE = 100;

export const EXP_009: Rule = {
  id: 'EXP-009',
  title: 'Ephemeral or wide-range publish',
  category: 'exposure',
  severityText: 'Medium for an ephemeral port beyond loopback, a many-to-one range, or a range wider than 100 ports; low for smaller ranges.',
  defaultSeverity: 'medium',
  description: '`- "3000"` publishes the container port on a random host port on all interfaces, which nobody firewalls because nobody knows it. Wide ranges open many ports at once.',
  fix: 'Give an explicit host address and port (`"127.0.0.1:3000:3000"`), or use `expose` when only other containers need it.',
  sources: ['compose-spec 05-services.md (ports)', 'compose-lint CL-0005'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const b of svc.ports) {
        const base = { service: svc, path: b.path, evidenceKey: bindingKey(b), evidence: bindingEvidence(b) };
        if (!b.hostPort) {
          if (bindScope(b.hostIp) !== 'loopback' && svc.networkMode !== 'host') hits.push({ ...base, severity: 'medium', message: `"${b.raw}" of ${svc.name} publishes on an ephemeral host port on all interfaces` });
          continue;
        }
        const hs = rangeSize(b.hostPort);
        const cs = rangeSize(b.containerPort);
        if (hs === 1) continue;
        const manyToOne = cs === 1;
        hits.push({ ...base, severity: manyToOne || hs > WIDE_RANGE ? 'medium' : 'low', message: `"${b.raw}" of ${svc.name} publishes a range of ${hs} host ports${manyToOne ? ' onto one container port' : ''}` });
      }
    }
    return hits;
  },
};
