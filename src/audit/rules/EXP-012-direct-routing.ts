// EXP-012: container ports routable without NAT (gateway mode routed/nat-unprotected, or a daemon with iptables=false).
import type { Rule, RuleHit } from '../types.js';

const ROUTED = /^(routed|nat-unprotected)$/;

export const EXP_012: Rule = {
  id: 'EXP-012',
  title: 'Direct-routing / no-NAT exposure',
  category: 'exposure',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'With gateway mode `routed` or `nat-unprotected`, or with a daemon started with `--iptables=false`, container addresses are reachable by routing, whatever the published bindings say.',
  fix: 'Keep the default `nat` gateway mode; let Docker manage iptables and restrict in DOCKER-USER instead of disabling it.',
  sources: ['https://docs.docker.com/engine/network/packet-filtering-firewalls/ (gateway modes, iptables=false)', 'CIS Docker Benchmark 2.4'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const n of model.networks) {
      for (const key of ['com.docker.network.bridge.gateway_mode_ipv4', 'com.docker.network.bridge.gateway_mode_ipv6']) {
        const mode = n.options[key];
        if (mode && ROUTED.test(mode)) {
          hits.push({ severity: 'high', evidenceKey: `network|${n.name}|${key}`, evidence: { network: n.name, option: key, mode }, message: `network ${n.name} sets ${key}=${mode}: its containers' ports are reachable by direct routing` });
        }
      }
    }
    if (model.firewall?.kind === 'iptables' && !model.firewall.dockerNat) {
      hits.push({ severity: 'high', evidenceKey: 'iptables-false', evidence: { dockerNat: false }, message: 'the firewall snapshot has no Docker NAT chain: dockerd runs with --iptables=false, so container addresses may be routable and published ports are served by docker-proxy' });
    }
    return hits;
  },
};
