// IMG-004: the daemon trusts insecure (plain HTTP / unverified TLS) registries beyond loopback.
import type { Rule, RuleHit } from '../types.js';

const LOOPBACK = new Set(['127.0.0.0/8', '::1/128']);

export const IMG_004: Rule = {
  id: 'IMG-004',
  title: 'Insecure registry in use',
  category: 'image',
  severityText: 'Medium.',
  defaultSeverity: 'medium',
  description: 'Images pulled from an insecure registry can be swapped in transit; anyone on the path can run code on the host.',
  fix: 'Serve the registry over TLS with a trusted certificate and remove it from `insecure-registries`.',
  sources: ['CIS Docker Benchmark 2.5'],
  modes: ['host'],
  check(model) {
    const hits: RuleHit[] = [];
    const insecure = (model.daemon?.insecureRegistries ?? []).filter((r) => !LOOPBACK.has(r));
    for (const r of insecure) {
      hits.push({ severity: 'medium', evidenceKey: `registry|${r}`, evidence: { registry: r }, message: `dockerd trusts insecure registry ${r}` });
    }
    for (const svc of model.services) {
      const host = svc.image?.split('/')[0] ?? '';
      if (!host.includes('.') && !host.includes(':')) continue;
      if (insecure.some((r) => r === host || r.split('/')[0] === host.split(':')[0])) {
        hits.push({ service: svc, severity: 'medium', evidenceKey: `image|${svc.image ?? ''}`, evidence: { image: svc.image ?? '' }, message: `${svc.name} runs ${svc.image ?? ''} from an insecure registry` });
      }
    }
    return hits;
  },
};
