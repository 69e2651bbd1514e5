// IMG-002: the image is tagged but not pinned by digest (floating tags like `16` or `alpine` especially).
import type { Rule, RuleHit } from '../types.js';
import { MUTABLE_TAGS, parseImageRef } from './IMG-001-mutable-tag.js';

export const IMG_002: Rule = {
  id: 'IMG-002',
  title: 'Image not pinned by digest',
  category: 'image',
  severityText: 'Low (hygiene).',
  defaultSeverity: 'low',
  description: 'Tags can be re-pushed; floating tags such as `16`, `7-alpine` or `alpine` move with every patch release. Only a digest names exact content.',
  fix: 'Append the digest: `image: postgres:16.4@sha256:<digest>` (Renovate/Dependabot keep it current).',
  sources: ['compose-lint CL-0019', 'CIS Docker Benchmark 5.28'],
  modes: ['compose'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (!svc.image) continue;
      const ref = parseImageRef(svc.image);
      if (ref.digest || ref.tag === undefined || MUTABLE_TAGS.has(ref.tag.toLowerCase())) continue;
      const floating = /^(\d+(\.\d+)?)(-[a-z0-9.]+)?$|^[a-z]+$/.test(ref.tag) && !/^\d+\.\d+\.\d+/.test(ref.tag);
      hits.push({ service: svc, severity: 'low', path: ['image'], evidenceKey: svc.image, evidence: { image: svc.image, floating }, message: `${svc.name}: ${svc.image} is not pinned by digest${floating ? ` and "${ref.tag}" is a floating tag` : ''}` });
    }
    return hits;
  },
};
