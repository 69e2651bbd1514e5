// Volumes of a host: list, inspect (volume.read), remove and prune (volume.manage).
import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { hostParams, hostRef, onHost, queryFlag, requireHost } from './host-access.js';

/** A volume name as dockerd accepts it. */
const volumeName = z.string().min(1).max(255).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a volume name: letters, digits, _ . -');
const volumeParams = z.object({ host: hostRef, name: volumeName }).strict();

const list = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/volumes', summary: 'Volumes of a host (volume.read), as the Engine lists them',
  access: { kind: 'user' }, action: 'volume.list', rateClass: 'containers', params: hostParams,
  response: z.object({ volumes: z.array(z.record(z.string(), z.unknown())), warnings: z.array(z.string()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    const t = await requireHost({ services, req, principal, audit }, params.host, 'volume.read');
    const res = await onHost(() => t.live.listVolumes());
    return { volumes: res.Volumes ?? [], warnings: res.Warnings ?? [] };
  },
});

const inspect = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/volumes/:name', summary: 'Inspect a volume (volume.read)',
  access: { kind: 'user' }, action: 'volume.inspect', rateClass: 'containers', params: volumeParams,
  response: z.object({ volume: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.name;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'volume.read');
    return { volume: await onHost(() => t.live.inspectVolume(params.name)) };
  },
});

const remove = defineRoute({
  method: 'DELETE', url: '/api/v1/hosts/:host/volumes/:name', summary: 'Remove a volume (volume.manage); refused (409) while a container uses it',
  access: { kind: 'user' }, action: 'volume.delete', rateClass: 'containers', params: volumeParams, query: z.object({ force: queryFlag.optional() }).strict(),
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ params, query, principal, services, req, audit }) => {
    audit.target = params.name;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'volume.manage');
    await onHost(() => t.live.removeVolume(params.name, { force: query.force === true }));
    return { ok: true };
  },
});

const prune = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:host/volumes/prune',
  summary: 'Remove volumes no container uses (volume.manage); { labels } narrows to volumes carrying them. Answers Docker\'s { VolumesDeleted, SpaceReclaimed }',
  access: { kind: 'user' }, action: 'volume.prune', rateClass: 'containers', params: hostParams,
  body: z.object({ labels: z.array(z.string().min(1).max(256)).max(16).optional() }).strict().nullish(),
  response: z.object({ VolumesDeleted: z.array(z.string()), SpaceReclaimed: z.number() }),
  handler: async ({ params, body, principal, services, req, audit }) => {
    audit.details = { labels: body?.labels ?? [] };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'volume.manage');
    const res = await onHost(() => t.live.pruneVolumes(body?.labels?.length ? { label: body.labels } : undefined));
    audit.details = { ...audit.details, deleted: res.VolumesDeleted?.length ?? 0 };
    return { VolumesDeleted: res.VolumesDeleted ?? [], SpaceReclaimed: res.SpaceReclaimed };
  },
});

/** The volume routes. */
export const volumeRoutes: RouteSpec[] = [list, prune, inspect, remove];
