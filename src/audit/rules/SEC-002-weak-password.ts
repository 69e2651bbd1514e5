// SEC-002: a default or weak password (known default, equal to the user name, or short).
import type { Rule, RuleHit } from '../types.js';
import { publishesBeyondLoopback, weakPassword } from './helpers.js';

function userFor(key: string, env: { key: string; value: string | undefined }[]): string | undefined {
  const prefix = key.replace(/_?(ROOT_)?PASSWORD$/i, '');
  const u = env.find((e) => e.key === `${prefix}_USER` || e.key === `${prefix}_USERNAME` || (prefix === '' && e.key === 'USER'));
  return u?.value;
}

export const SEC_002: Rule = {
  id: 'SEC-002',
  title: 'Default or weak password',
  category: 'secrets',
  severityText: 'High; critical when the service publishes ports beyond loopback.',
  defaultSeverity: 'high',
  description: 'Passwords such as `postgres`, `root`, `changeme`, the user name itself, or anything shorter than 12 characters fall to the first guessing round.',
  fix: 'Generate a long random password (`openssl rand -base64 32`), keep it in an untracked `.env` or a secret.',
  sources: ['torrust deployer security guide ("Don\'t use default passwords")', 'awesome-compose / paperless / supabase default credentials'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      for (const e of svc.environment) {
        if (!/(PASSWORD|PASSWD|_PASS|_PWD)$/i.test(e.key) || e.value === undefined || e.value === '') continue;
        const why = weakPassword(e.value, userFor(e.key, svc.environment));
        if (!why) continue;
        hits.push({ service: svc, severity: publishesBeyondLoopback(svc) ? 'critical' : 'high', ...(model.mode === 'compose' ? { path: e.path } : {}), evidenceKey: e.key, evidence: { variable: e.key, weakness: why, fromInterpolation: !e.literal }, message: `${svc.name}: ${e.key} is ${why}` });
      }
    }
    return hits;
  },
};
