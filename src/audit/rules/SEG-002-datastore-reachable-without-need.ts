// SEG-002: a service shares a network with a datastore it does not use.
import { classifyService } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { authDisabled, verdictOf } from './helpers.js';
import { datastores, needs, networksOfService } from './seg-graph.js';

export const SEG_002: Rule = {
  id: 'SEG-002',
  title: 'Datastore reachable from a service without need',
  category: 'segmentation',
  severityText: 'Medium; high when that service is reachable from the internet and the datastore has no authentication.',
  defaultSeverity: 'medium',
  description: 'A service that shares a network with a datastore but neither depends on it nor names it in its configuration can reach it for no reason (the "Grafana → MySQL" path).',
  fix: 'Move the datastore to a network shared only with its clients, or declare the dependency (`depends_on`) if it is real.',
  sources: ['torrust deployer docker-network-segmentation-analysis (Grafana compromised → MySQL)'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const db of datastores(model)) {
      const dbNets = new Set(networksOfService(db, model));
      const noAuth = authDisabled(db);
      for (const other of model.services) {
        if (other === db || classifyService(other) === 'datastore') continue;
        const shared = networksOfService(other, model).filter((n) => dbNets.has(n));
        if (shared.length === 0 || needs(other, db)) continue;
        const publicPeer = other.ports.some((b) => verdictOf(b) === 'public');
        hits.push({
          service: other, severity: publicPeer && noAuth ? 'high' : 'medium', path: other.networkMode ? ['network_mode'] : ['networks'],
          evidenceKey: `reach|${db.name}`, evidence: { datastore: db.name, networks: shared.join(',') },
          message: `${other.name} can reach datastore ${db.name} over ${shared.join(', ')} but does not use it (no depends_on, no reference)`,
        });
      }
    }
    return hits;
  },
};
