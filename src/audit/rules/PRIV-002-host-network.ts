// PRIV-002: the container shares the host's network namespace.
import type { Rule, RuleHit } from '../types.js';

export const PRIV_002: Rule = {
  id: 'PRIV-002',
  title: 'Host network mode',
  category: 'privilege',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: '`network_mode: host` puts the container in the host network namespace: it can bind any host port, sniff host traffic with NET_RAW and reach services bound to 127.0.0.1. (UFW does filter its listeners, unlike published ports.)',
  fix: 'Use a bridge network and publish only the ports needed, on 127.0.0.1 when possible.',
  sources: ['CIS Docker Benchmark 5.10', 'KICS 071a71ff', 'compose-lint CL-0008'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (svc.networkMode === 'host') hits.push({ service: svc, severity: 'high', path: ['network_mode'], evidenceKey: 'host-network', message: `${svc.name} uses the host network namespace` });
    }
    return hits;
  },
};
