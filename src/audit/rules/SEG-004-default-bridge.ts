// SEG-004: containers on the default bridge (docker0), where every container can talk to every other.
import type { Rule, RuleHit } from '../types.js';

export const SEG_004: Rule = {
  id: 'SEG-004',
  title: 'Default bridge used',
  category: 'segmentation',
  severityText: 'Low.',
  defaultSeverity: 'low',
  description: 'The default bridge has inter-container communication on by default and no name resolution; every container started without a network joins it, so unrelated workloads can reach each other.',
  fix: 'Use user-defined networks per application; start dockerd with `"icc": false` if containers must stay on the default bridge.',
  sources: ['CIS Docker Benchmark 5.30, 2.2', 'KICS ce14a68b'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const onBridge = svc.networkMode === 'bridge' || (model.mode === 'host' && svc.networks.includes('bridge'));
      if (!onBridge) continue;
      hits.push({ service: svc, severity: 'low', ...(model.mode === 'compose' ? { path: ['network_mode'] } : {}), evidenceKey: 'default-bridge', message: `${svc.name} runs on the default bridge` });
    }
    if (model.daemon?.defaultBridgeIcc === true && hits.length > 0) {
      hits.push({ severity: 'low', evidenceKey: 'icc', evidence: { icc: true }, message: 'inter-container communication is on for the default bridge (com.docker.network.bridge.enable_icc=true)' });
    }
    return hits;
  },
};
