// SEC-003: a credential embedded in a URL or DSN (scheme://user:pass@host).
import type { Rule, RuleHit } from '../types.js';

const URL_CRED = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;

export const SEC_003: Rule = {
  id: 'SEC-003',
  title: 'Credential embedded in a URL',
  category: 'secrets',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'Connection strings like `postgres://app:s3cret@db/app` carry the password in clear text in the file, in `docker inspect` and often in logs.',
  fix: 'Build the URL from `${DB_PASSWORD}` kept in an untracked `.env`, or pass the password separately through a secret file.',
  sources: ['compose-lint CL-0021'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const e of svc.environment) {
        const m = URL_CRED.exec(e.value ?? '');
        if (!m || !e.literal || (m[1] ?? '').startsWith('$')) continue;
        hits.push({ service: svc, severity: 'high', ...(model.mode === 'compose' ? { path: e.path } : {}), evidenceKey: e.key, evidence: { variable: e.key }, message: `${svc.name}: ${e.key} embeds a password in a URL` });
      }
      const cm = URL_CRED.exec(svc.command);
      if (cm && !(cm[1] ?? '').startsWith('$')) hits.push({ service: svc, severity: 'high', ...(model.mode === 'compose' ? { path: ['command'] } : {}), evidenceKey: 'command', message: `${svc.name}: the command embeds a password in a URL` });
    }
    return hits;
  },
};
