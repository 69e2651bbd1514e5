// EXP-002: a datastore publishes a port.
import { classifyBinding, classifyService, shiftSeverity } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { authDisabled, bindingEvidence, bindingKey, exposedBindings, exposureSeverity, verdictOf, verdictWords, weakPassword } from './helpers.js';

export const EXP_002: Rule = {
  id: 'EXP-002',
  title: 'Datastore publishes a port',
  category: 'exposure',
  severityText: 'High when reachable from the internet or undecided, critical when the datastore also has no authentication or a weak password; medium from the LAN, low on loopback, info when the firewall blocks it.',
  defaultSeverity: 'high',
  description: 'Databases, caches and brokers should only be reachable on an internal network. A published datastore port is a direct target for credential stuffing and known exploits.',
  fix: 'Remove `ports:` from the datastore and reach it over a dedicated internal network; if a host tool needs it, publish on 127.0.0.1 only.',
  sources: ['torrust deployer security guide (PORT-11, MySQL without ports, issue #277)', 'CIS Docker Benchmark 5.14'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const sc = classifyService(svc);
      const noAuth = authDisabled(svc);
      const weak = svc.environment.find((e) => e.literal && e.value && /PASSWORD$/i.test(e.key) && weakPassword(e.value, undefined));
      for (const b of exposedBindings(svc)) {
        if (classifyBinding(svc, b, sc) !== 'datastore') continue;
        const v = verdictOf(b);
        let severity = exposureSeverity('datastore', v);
        if (!severity) continue;
        const worse = noAuth ?? (weak ? `weak ${weak.key}` : undefined);
        if (worse && (v === 'public' || v === 'unknown' || v === 'lan')) severity = shiftSeverity(severity, 1);
        hits.push({
          service: svc, severity, path: b.path, evidenceKey: bindingKey(b),
          evidence: { ...bindingEvidence(b, 'datastore'), ...(worse ? { authentication: worse } : {}) },
          ...(b.reachability ? { reachability: b.reachability } : {}),
          message: `datastore ${svc.name} publishes "${b.raw}", ${verdictWords(v)}${worse ? ` (and ${worse})` : ''}`,
        });
      }
    }
    return hits;
  },
};
