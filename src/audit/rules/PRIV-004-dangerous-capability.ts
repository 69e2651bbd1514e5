// PRIV-004: a dangerous Linux capability is added.
import type { Rule, RuleHit } from '../types.js';

/** Capabilities that make escape or host tampering straightforward. */
export const CRITICAL_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE']);
export const DANGEROUS_CAPS = new Set(['SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'NET_ADMIN', 'BPF', 'PERFMON', 'SYS_BOOT', 'SYS_TIME', 'MAC_ADMIN', 'MAC_OVERRIDE', 'DAC_OVERRIDE', 'SYSLOG', 'SYS_RESOURCE', 'LINUX_IMMUTABLE', 'NET_RAW']);

export const PRIV_004: Rule = {
  id: 'PRIV-004',
  title: 'Dangerous capability added',
  category: 'privilege',
  severityText: 'Critical for ALL, SYS_ADMIN and SYS_MODULE; high for the others (SYS_PTRACE, DAC_READ_SEARCH, NET_ADMIN, BPF, SYS_RAWIO…).',
  defaultSeverity: 'high',
  description: 'SYS_ADMIN allows mounting and most of what root can do; SYS_MODULE loads kernel modules; DAC_READ_SEARCH enables the shocker escape; SYS_PTRACE can inject into other processes.',
  fix: 'Drop the capability; if the workload truly needs one, run it isolated and document why.',
  sources: ['CIS Docker Benchmark 5.4', 'docker-bench-security C.5.3.1–4', 'compose-lint CL-0011, CL-0024, CL-0028'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      svc.capAdd.forEach((cap, i) => {
        if (!CRITICAL_CAPS.has(cap) && !DANGEROUS_CAPS.has(cap)) return;
        hits.push({ service: svc, severity: CRITICAL_CAPS.has(cap) ? 'critical' : 'high', path: ['cap_add', i], evidenceKey: cap, evidence: { capability: cap }, message: `${svc.name} adds capability ${cap}` });
      });
    }
    return hits;
  },
};
