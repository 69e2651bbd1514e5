// SEC-004: authentication disabled or an empty password.
import type { Rule, RuleHit } from '../types.js';
import { authDisabled, publishesBeyondLoopback } from './helpers.js';

export const SEC_004: Rule = {
  id: 'SEC-004',
  title: 'Authentication disabled',
  category: 'secrets',
  severityText: 'High; critical when the service publishes ports beyond loopback.',
  defaultSeverity: 'high',
  description: 'POSTGRES_HOST_AUTH_METHOD=trust, MYSQL_ALLOW_EMPTY_PASSWORD, ALLOW_EMPTY_PASSWORD=yes, anonymous Grafana or xpack.security.enabled=false let anyone who reaches the service in.',
  fix: 'Remove the switch and set a strong password (from a secret or an untracked `.env`).',
  sources: ['getsentry/self-hosted compose (trust auth on an internal network)', 'nextcloud/docker insecure example'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      const why = authDisabled(svc);
      if (!why) continue;
      const key = why.split(/[= ]/)[0] ?? why;
      hits.push({ service: svc, severity: publishesBeyondLoopback(svc) ? 'critical' : 'high', ...(model.mode === 'compose' ? { path: ['environment', key] } : {}), evidenceKey: key, evidence: { setting: why }, message: `${svc.name} disables authentication (${why})` });
    }
    return hits;
  },
};
