// Network membership helpers for the segmentation rules (which services share which networks).
import { classifyService } from '../classify.js';
import type { AuditModel, Service } from '../types.js';

/** Networks a service is attached to, following `network_mode: service:x` / `container:x`. */
export function networksOfService(svc: Service, model: AuditModel, depth = 0): string[] {
  const m = /^(?:service|container):(.+)$/.exec(svc.networkMode ?? '');
  if (m && depth < 5) {
    const other = model.services.find((s) => s.name === m[1] || s.container?.name === m[1] || s.container?.id.startsWith(m[1] ?? '\0'));
    return other ? networksOfService(other, model, depth + 1) : [];
  }
  if (svc.networkMode === 'host' || svc.networkMode === 'none') return [];
  if (svc.networkMode === 'bridge' || svc.networkMode === 'default') return svc.networks.length ? svc.networks : ['bridge'];
  return svc.networks;
}

/** Members of each network. */
export function networkMembers(model: AuditModel): Map<string, Service[]> {
  const out = new Map<string, Service[]>();
  for (const svc of model.services) {
    for (const n of networksOfService(svc, model)) {
      const list = out.get(n) ?? [];
      list.push(svc);
      out.set(n, list);
    }
  }
  return out;
}

/** Datastore services of the model. */
export function datastores(model: AuditModel): Service[] {
  return model.services.filter((s) => classifyService(s) === 'datastore');
}

/** Whether `a` declares a need for `b`: depends_on, links, or b's name in its environment, command or labels. */
export function needs(a: Service, b: Service): boolean {
  if (a.dependsOn.includes(b.name)) return true;
  const names = [b.name, b.container?.name].filter((n): n is string => Boolean(n));
  const re = new RegExp(`(^|[^A-Za-z0-9_-])(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})([^A-Za-z0-9_-]|$)`);
  if (re.test(a.command)) return true;
  return a.environment.some((e) => e.value !== undefined && re.test(e.value));
}
