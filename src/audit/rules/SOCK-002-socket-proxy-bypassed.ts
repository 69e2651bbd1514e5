// SOCK-002: a stack has a socket proxy but still mounts the socket elsewhere, or the proxy grants dangerous sections.
import { isSocketProxy } from '../classify.js';
import type { Rule, RuleHit } from '../types.js';
import { isRuntimeSocket } from './SOCK-001-runtime-socket-mounted.js';

/** Proxy env switches that grant host-root-equivalent operations. */
export const DANGEROUS_PROXY_SECTIONS = ['POST', 'EXEC', 'AUTH', 'SECRETS', 'BUILD', 'PLUGINS', 'SWARM', 'SERVICES', 'ALLOW_START', 'ALLOW_RESTARTS'];

export const SOCK_002: Rule = {
  id: 'SOCK-002',
  title: 'Socket proxy bypassed or too permissive',
  category: 'socket',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'A socket proxy only helps if nothing else mounts the socket and it grants read-only sections. POST=1, EXEC=1, BUILD=1 and similar switches let the proxy\'s clients create privileged containers.',
  fix: 'Point every Docker-API consumer at the proxy, remove their socket mounts, and enable only the sections they read (CONTAINERS=1, POST=0).',
  sources: ['Tecnativa docker-socket-proxy README (security recommendations)', 'CIS Docker Benchmark 5.32'],
  modes: ['compose', 'host'],
  check(model) {
    const proxies = model.services.filter(isSocketProxy);
    if (proxies.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      if (proxies.includes(svc)) continue;
      for (const m of svc.mounts) {
        if (!isRuntimeSocket(m)) continue;
        hits.push({ service: svc, severity: 'high', path: m.path, evidenceKey: `bypass|${m.source}`, evidence: { source: m.source, proxy: proxies.map((p) => p.name).join(',') }, message: `${svc.name} mounts ${m.source} directly although the stack runs socket proxy ${proxies.map((p) => p.name).join(', ')}` });
      }
    }
    for (const p of proxies) {
      for (const e of p.environment) {
        if (!DANGEROUS_PROXY_SECTIONS.includes(e.key.toUpperCase()) || !/^(1|true|yes)$/i.test(e.value ?? '')) continue;
        hits.push({ service: p, severity: 'high', path: e.path, evidenceKey: `grant|${e.key}`, evidence: { setting: `${e.key}=${e.value ?? ''}` }, message: `socket proxy ${p.name} grants ${e.key}=${e.value ?? ''}` });
      }
    }
    return hits;
  },
};
