// DMN-002: the firewall could not be assessed (no snapshot, nftables backend, bridge-nf-call-iptables off).
import type { Rule, RuleHit } from '../types.js';

export const DMN_002: Rule = {
  id: 'DMN-002',
  title: 'Firewall not assessable',
  category: 'daemon',
  severityText: 'Info: reachability falls back to the bind address or is unknown.',
  defaultSeverity: 'info',
  description: 'Without an iptables-save snapshot, with Docker\'s nftables backend, or with bridge-nf-call-iptables disabled, Portcullis cannot simulate the firewall, so it judges published ports by their bind address alone.',
  fix: 'Pass `--firewall <iptables-save output>` or run with `--collect-firewall` as root; for the nftables backend review the forward-hook chains by hand.',
  sources: ['https://docs.docker.com/engine/network/firewall-nftables/', 'dockerd /info Warnings'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    const fw = model.firewall;
    if (fw?.notAssessable) hits.push({ severity: 'info', evidenceKey: 'nft', evidence: { kind: fw.kind }, message: `firewall not assessable: ${fw.notAssessable}` });
    if (model.mode === 'host' && !fw) {
      const backend = model.daemon?.firewallBackend;
      hits.push({ severity: 'info', evidenceKey: 'no-snapshot', message: `no firewall snapshot: reachability judged by bind address only${backend ? ` (daemon firewall backend: ${backend})` : ''}` });
    }
    for (const w of model.daemon?.warnings ?? []) {
      if (/bridge-nf-call-ip6?tables is disabled/i.test(w)) hits.push({ severity: 'info', evidenceKey: `warning|${w.trim()}`, message: `dockerd warns: ${w.trim()} (inter-container filtering on bridges is not effective)` });
    }
    return hits;
  },
};
