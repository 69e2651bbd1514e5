// GET /api/v1/containers (across the hosts the caller holds container.read on) and GET …/hosts/:host/containers/:id (inspect, env redacted).
import { z } from 'zod';
import type { ContainerInspect, ContainerSummary } from '../../docker/index.js';
import type { HostListing } from '../../hosts/index.js';
import type { Host as StoredHost } from '../../store/index.js';
import type { Services } from '../context.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { catalogued, containerParams, hostAccess, hostRef, onHost, repeated, requireHost, scopeOf } from './host-access.js';

const filterValue = z.string().min(1).max(256);
const listQuery = z.object({
  host: repeated(hostRef), state: repeated(filterValue), name: repeated(filterValue), label: repeated(filterValue), tag: repeated(filterValue),
}).strict();

const portView = z.object({ ip: z.string().optional(), privatePort: z.number(), publicPort: z.number().optional(), type: z.string() });
const containerView = z.object({
  hostId: z.string(), hostName: z.string(), id: z.string(), name: z.string(), names: z.array(z.string()), image: z.string(), imageId: z.string(),
  state: z.string(), status: z.string(), created: z.number(), labels: z.record(z.string(), z.string()), ports: z.array(portView),
});
export type ContainerView = z.infer<typeof containerView>;
const hostEntry = z.object({ hostId: z.string(), hostName: z.string(), error: z.object({ code: z.string(), message: z.string() }).optional() });

/** The listing view of one container (Docker's strings passed on as data). */
export function viewContainer(hostId: string, hostName: string, c: ContainerSummary): ContainerView {
  const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  return {
    hostId, hostName, id: c.Id, name: names[0] ?? '', names, image: c.Image, imageId: c.ImageID ?? '', state: c.State, status: c.Status,
    created: c.Created ?? 0, labels: c.Labels ?? {},
    ports: (c.Ports ?? []).map((p) => ({
      ...(p.IP ? { ip: p.IP } : {}), privatePort: p.PrivatePort, ...(p.PublicPort !== undefined ? { publicPort: p.PublicPort } : {}), type: p.Type,
    })),
  };
}

/** Replaces every Config.Env value by `<redacted>` (the names stay): env often carries passwords and keys. */
export function redactEnv(c: ContainerInspect): ContainerInspect {
  const env = c.Config?.Env;
  if (!Array.isArray(env)) return c;
  return { ...c, Config: { ...c.Config, Env: env.map((e) => `${String(e).split('=', 1)[0] ?? ''}=<redacted>`) } };
}

function matchesRef(row: StoredHost, refs: string[] | undefined): boolean {
  return refs === undefined || refs.some((r) => r === row.id || r.toLowerCase() === row.name.toLowerCase());
}

function matchesTag(row: StoredHost, tags: string[] | undefined): boolean {
  return tags === undefined || tags.some((t) => row.tags.includes(t.trim().toLowerCase()));
}

/** The host rows the caller may list containers of, narrowed by the host and tag filters. */
async function listableRows(services: Services, actor: Parameters<typeof hostAccess>[0], q: z.output<typeof listQuery>): Promise<StoredHost[]> {
  const rows = (await services.store.hosts.list()).filter((r) => r.revokedAt === null);
  return rows.filter((r) => matchesRef(r, q.host) && matchesTag(r, q.tag) && hostAccess(actor, 'container.read', scopeOf(r)).verdict === 'allow');
}

const list = defineRoute({
  method: 'GET', url: '/api/v1/containers',
  summary: 'Containers (all states) on every host the caller holds container.read on; filters host, tag, state, name, label may repeat. A host that fails reports its error in `hosts`.',
  access: { kind: 'user' }, action: 'container.list', rateClass: 'containers', query: listQuery,
  response: z.object({ containers: z.array(containerView), hosts: z.array(hostEntry) }),
  handler: async ({ query, principal, services }) => {
    const rows = await listableRows(services, principal!.actor, query);
    const filters = { ...(query.state ? { state: query.state } : {}), ...(query.name ? { name: query.name } : {}), ...(query.label ? { label: query.label } : {}) };
    const listings = await onHost(() => Promise.all(rows.map(async (row): Promise<HostListing> => {
      if (!services.hosts.get(row.id)) {
        return { hostId: row.id, hostName: row.name, kind: row.kind, tags: [...row.tags], containers: [], error: { code: 'PC_ERR_HOST_OFFLINE', status: 503, message: `host "${row.name}" is not connected` } };
      }
      // One host per call: the registry caps a filter at 32 values, and a caller may see more hosts than that.
      const res = await services.hosts.aggregateContainers({ ...filters, host: row.id });
      return res.hosts[0]!;
    })));
    return {
      containers: listings.flatMap((l) => l.containers.map((c) => viewContainer(l.hostId, l.hostName, c))),
      hosts: listings.map((l) => ({ hostId: l.hostId, hostName: l.hostName, ...(l.error ? { error: catalogued(l.error) } : {}) })),
    };
  },
});

const inspect = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/containers/:id',
  summary: 'Inspect a container (container.read on the host); Config.Env values are redacted unless the caller holds container.exec there',
  access: { kind: 'user' }, action: 'container.inspect', rateClass: 'containers', params: containerParams,
  response: z.object({ container: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    const container = await onHost(() => t.live.inspectContainer(params.id));
    const mayExec = hostAccess(principal!.actor, 'container.exec', t.scope).verdict === 'allow';
    return { container: mayExec ? container : redactEnv(container) };
  },
});

/** The container listing and inspect routes. */
export const containerRoutes: RouteSpec[] = [list, inspect];
