// SEG-001: a datastore shares the single network of the stack with published services.
import type { Rule, RuleHit } from '../types.js';
import { publishesBeyondLoopback } from './helpers.js';
import { datastores, networkMembers, networksOfService } from './seg-graph.js';

export const SEG_001: Rule = {
  id: 'SEG-001',
  title: 'Flat network: datastore shares the only network with published services',
  category: 'segmentation',
  severityText: 'Medium.',
  defaultSeverity: 'medium',
  description: 'When every service sits on one network, compromising any published service gives network access to the datastore. Segmenting by need limits the blast radius.',
  fix: 'Put the datastore on its own network shared only with the services that use it; keep published services on a front network.',
  sources: ['torrust deployer docker-network-segmentation-analysis', 'KICS ce14a68b (networks not set)'],
  modes: ['compose', 'host'],
  check(model) {
    const members = networkMembers(model);
    const used = [...members.keys()].filter((n) => n !== 'host' && n !== 'none');
    if (used.length > 1) return [];
    const hits: RuleHit[] = [];
    for (const db of datastores(model)) {
      const nets = networksOfService(db, model);
      const net = nets[0];
      if (!net) continue;
      const published = (members.get(net) ?? []).filter((s) => s !== db && publishesBeyondLoopback(s));
      if (published.length === 0) continue;
      hits.push({
        service: db, severity: 'medium', path: db.networkMode ? ['network_mode'] : ['networks'], evidenceKey: `flat|${net}`,
        evidence: { network: net, publishedPeers: published.map((s) => s.name).join(',') },
        message: `datastore ${db.name} shares the only network "${net}" with published service(s) ${published.map((s) => s.name).join(', ')}`,
      });
    }
    return hits;
  },
};
