// IMG-003: a running container's image differs from what its reference points to now.
import type { Rule, RuleHit } from '../types.js';

export const IMG_003: Rule = {
  id: 'IMG-003',
  title: 'Running image drifted from its reference',
  category: 'image',
  severityText: 'Info.',
  defaultSeverity: 'info',
  description: 'The container runs an image id that its tag no longer points to: it was pulled again (or retagged) without recreating the container, so what runs is not what the reference says.',
  fix: 'Recreate the container (`docker compose up -d`) or pin the digest so references cannot move.',
  sources: ['Portcullis (live host check)'],
  modes: ['host'],
  check(model) {
    const hits: RuleHit[] = [];
    const ids = model.daemon?.imageIds ?? {};
    for (const svc of model.services) {
      const running = svc.container?.imageId;
      const current = svc.image ? ids[svc.image] : undefined;
      if (!running || !current || running === current) continue;
      hits.push({ service: svc, severity: 'info', evidenceKey: `${svc.image ?? ''}|${current}`, evidence: { image: svc.image ?? '', running, current }, message: `${svc.name} runs ${running.slice(0, 19)} but ${svc.image ?? ''} now points to ${current.slice(0, 19)}` });
    }
    return hits;
  },
};
