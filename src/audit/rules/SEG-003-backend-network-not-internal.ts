// SEG-003: a backend-only network (a datastore, nothing published) is not marked internal.
import type { Rule, RuleHit } from '../types.js';
import { publishesBeyondLoopback } from './helpers.js';
import { datastores, networkMembers } from './seg-graph.js';

export const SEG_003: Rule = {
  id: 'SEG-003',
  title: 'Backend-only network not internal',
  category: 'segmentation',
  severityText: 'Low.',
  defaultSeverity: 'low',
  description: 'A network that only carries backend traffic (it holds a datastore and none of its members publish ports) still routes to the outside unless it is `internal: true`, so a compromised datastore can exfiltrate or fetch payloads.',
  fix: 'Set `internal: true` on the network (members keep talking to each other, but lose the route out).',
  sources: ['compose-spec 06-networks.md (internal)', 'https://docs.docker.com/engine/network/drivers/bridge/ (gateway mode isolated)'],
  modes: ['compose'],
  check(model) {
    const members = networkMembers(model);
    const dbs = new Set(datastores(model));
    const hits: RuleHit[] = [];
    for (const net of model.networks) {
      const list = members.get(net.name) ?? [];
      if (net.internal || net.external || list.length < 2) continue;
      if (!list.some((s) => dbs.has(s)) || list.some((s) => publishesBeyondLoopback(s))) continue;
      const db = list.find((s) => dbs.has(s));
      hits.push({ ...(db ? { service: db } : {}), severity: 'low', evidenceKey: `network|${net.name}`, evidence: { network: net.name, members: list.map((s) => s.name).join(',') }, message: `network "${net.name}" carries only backend traffic (${list.map((s) => s.name).join(', ')}) but is not internal: true` });
    }
    return hits;
  },
};
