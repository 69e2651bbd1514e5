// IMG-001: the image has no tag or a mutable tag (latest, develop, main…).
import type { Rule, RuleHit } from '../types.js';

/** Tags that move by design. */
export const MUTABLE_TAGS = new Set(['latest', 'develop', 'dev', 'main', 'master', 'nightly', 'edge', 'stable', 'release', 'beta', 'canary', 'test', 'lts', 'next', 'unstable', 'rolling']);

/** Splits an image reference into repository, tag and digest. */
export function parseImageRef(image: string): { repo: string; tag?: string; digest?: string } {
  const [nameTag = '', digest] = image.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const repo = colon > slash ? nameTag.slice(0, colon) : nameTag;
  const tag = colon > slash ? nameTag.slice(colon + 1) : undefined;
  return { repo, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export const IMG_001: Rule = {
  id: 'IMG-001',
  title: 'Mutable or missing image tag',
  category: 'image',
  severityText: 'Medium.',
  defaultSeverity: 'medium',
  description: 'Without a tag (implicitly `latest`) or with a moving tag, every pull may run different code: deployments are not reproducible and a compromised upstream lands silently.',
  fix: 'Pin a release tag (`postgres:16.4`) and ideally its digest (`postgres:16.4@sha256:…`).',
  sources: ['CIS Docker Benchmark 5.28', 'dclint service-image-require-explicit-tag', 'hadolint DL3006/DL3007', 'torrust deployer checklist (pin images)'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (!svc.image || svc.image.startsWith('sha256:')) continue;
      const ref = parseImageRef(svc.image);
      if (ref.digest) continue;
      if (ref.tag !== undefined && !MUTABLE_TAGS.has(ref.tag.toLowerCase())) continue;
      hits.push({ service: svc, severity: 'medium', ...(model.mode === 'compose' ? { path: ['image'] } : {}), evidenceKey: svc.image, evidence: { image: svc.image }, message: `${svc.name} uses ${ref.tag === undefined ? 'an untagged image' : `mutable tag "${ref.tag}"`}: ${svc.image}` });
    }
    return hits;
  },
};
