// PRIV-007: seccomp, AppArmor or SELinux confinement disabled.
import type { Rule, RuleHit } from '../types.js';

const DISABLED = /^(seccomp[:=]unconfined|apparmor[:=]unconfined|label[:=]disable)$/i;

export const PRIV_007: Rule = {
  id: 'PRIV-007',
  title: 'Security profile disabled',
  category: 'privilege',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'seccomp=unconfined re-enables ~50 syscalls blocked by default (keyctl, unshare…); apparmor=unconfined and label=disable remove mandatory access control.',
  fix: 'Remove the option; if a syscall is really needed, ship a custom seccomp profile that allows just it.',
  sources: ['CIS Docker Benchmark 5.2, 5.3, 5.22', 'KICS 404fde2c', 'compose-lint CL-0009'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      svc.securityOpt.forEach((o, i) => {
        if (!DISABLED.test(o.trim())) return;
        hits.push({ service: svc, severity: 'high', path: ['security_opt', i], evidenceKey: o.trim().toLowerCase().replace('=', ':'), evidence: { option: o }, message: `${svc.name} sets security_opt ${o}` });
      });
    }
    return hits;
  },
};
