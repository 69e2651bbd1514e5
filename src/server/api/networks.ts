// Networks of a host: list, inspect (network.read), create and remove (network.manage).
import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { hostParams, hostRef, onHost, requireHost } from './host-access.js';

/** Network drivers the API creates; others (macvlan, ipvlan, host) need options that reach into the host's network. */
export const NETWORK_DRIVERS = ['bridge', 'overlay'] as const;
/** A network id or name. */
const networkRef = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a network id or name');
const networkParams = z.object({ host: hostRef, id: networkRef }).strict();
/** Labels as Docker takes them, bounded. */
export const labelMap = z.record(z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'label keys: letters, digits, . _ / -'), z.string().max(256))
  .refine((m) => Object.keys(m).length <= 32, 'at most 32 labels');

const list = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/networks', summary: 'Networks of a host (network.read), as the Engine lists them',
  access: { kind: 'user' }, action: 'network.list', rateClass: 'containers', params: hostParams,
  response: z.object({ networks: z.array(z.record(z.string(), z.unknown())) }),
  handler: async ({ params, principal, services, req, audit }) => {
    const t = await requireHost({ services, req, principal, audit }, params.host, 'network.read');
    return { networks: await onHost(() => t.live.listNetworks()) };
  },
});

const inspect = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/networks/:id', summary: 'Inspect a network by id or name (network.read)',
  access: { kind: 'user' }, action: 'network.inspect', rateClass: 'containers', params: networkParams,
  response: z.object({ network: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'network.read');
    return { network: await onHost(() => t.live.inspectNetwork(params.id)) };
  },
});

const create = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:host/networks', summary: `Create a network (network.manage): name, driver (${NETWORK_DRIVERS.join(' or ')}, default bridge), internal, labels`,
  access: { kind: 'user' }, action: 'network.create', rateClass: 'containers', params: hostParams, status: 201,
  body: z.object({
    name: z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a network name: letters, digits, _ . -'),
    driver: z.enum(NETWORK_DRIVERS).optional(), internal: z.boolean().optional(), labels: labelMap.optional(),
  }).strict(),
  response: z.object({ id: z.string(), warning: z.string().optional() }),
  handler: async ({ params, body, principal, services, req, audit }) => {
    audit.target = body.name;
    audit.details = { name: body.name, driver: body.driver ?? 'bridge', internal: body.internal === true };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'network.manage');
    const res = await onHost(() => t.live.createNetwork({
      Name: body.name, Driver: body.driver ?? 'bridge', Internal: body.internal === true, Labels: body.labels ?? {}, CheckDuplicate: true,
    }));
    audit.details = { ...audit.details, id: res.Id };
    return { id: res.Id, ...(res.Warning ? { warning: res.Warning } : {}) };
  },
});

const remove = defineRoute({
  method: 'DELETE', url: '/api/v1/hosts/:host/networks/:id', summary: 'Remove a network (network.manage); refused (409) while containers use it',
  access: { kind: 'user' }, action: 'network.delete', rateClass: 'containers', params: networkParams,
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'network.manage');
    await onHost(() => t.live.removeNetwork(params.id));
    return { ok: true };
  },
});

/** The network routes. */
export const networkRoutes: RouteSpec[] = [list, inspect, create, remove];
