// Container writes: start/stop/restart/kill/pause/unpause, rename, remove, and bulk actions with a result per target.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Permission } from '../../auth/index.js';
import type { Host as LiveHost } from '../../hosts/index.js';
import type { AuditResult } from '../../store/index.js';
import type { Principal, Services } from '../context.js';
import { ApiError } from '../errors.js';
import { auditActor, stateOf, userAgent } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { containerParams, containerRef, errorInfo, findHostRow, hostAccess, hostRef, onHost, queryFlag, requireHost, scopeOf } from './host-access.js';

const ACTIONS = ['start', 'stop', 'restart', 'kill', 'pause', 'unpause'] as const;
type Action = (typeof ACTIONS)[number];
const BULK_ACTIONS = [...ACTIONS, 'remove'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];

/** Most targets in one bulk request, and how many of them run at once. */
export const MAX_BULK_TARGETS = 100;
export const BULK_CONCURRENCY = 8;
/** Longest stop/restart grace period accepted, in seconds. */
export const MAX_STOP_SECONDS = 600;

/** A signal name (SIGTERM, TERM, SIGRTMIN+3) or number, as dockerd parses them. */
const signal = z.string().max(16).regex(/^(SIG)?[A-Z][A-Z0-9]*([+-]\d{1,2})?$|^\d{1,2}$/, 'must be a signal name such as SIGTERM, or its number');
const bodies: Record<Action, z.ZodType> = {
  start: z.object({}).strict().nullish(),
  pause: z.object({}).strict().nullish(),
  unpause: z.object({}).strict().nullish(),
  stop: z.object({ t: z.number().int().min(0).max(MAX_STOP_SECONDS).optional() }).strict().nullish(),
  restart: z.object({ t: z.number().int().min(0).max(MAX_STOP_SECONDS).optional() }).strict().nullish(),
  kill: z.object({ signal: signal.optional() }).strict().nullish(),
};
interface ActionOptions { t?: number; signal?: string; force?: boolean; volumes?: boolean }

/** Carries out one action on one container. */
function perform(host: LiveHost, action: BulkAction, id: string, o: ActionOptions = {}): Promise<void> {
  switch (action) {
    case 'start': return host.startContainer(id);
    case 'stop': return host.stopContainer(id, o.t !== undefined ? { t: o.t } : {});
    case 'restart': return host.restartContainer(id, o.t !== undefined ? { t: o.t } : {});
    case 'kill': return host.killContainer(id, o.signal !== undefined ? { killSignal: o.signal } : {});
    case 'pause': return host.pauseContainer(id);
    case 'unpause': return host.unpauseContainer(id);
    case 'remove': return host.removeContainer(id, { force: o.force === true, volumes: o.volumes === true });
  }
}

const auditAction = (a: BulkAction): string => `container.${a === 'remove' ? 'delete' : a}`;

const actionRoutes: RouteSpec[] = ACTIONS.map((action) => defineRoute({
  method: 'POST', url: `/api/v1/hosts/:host/containers/:id/${action}`,
  summary: `${action[0]!.toUpperCase()}${action.slice(1)} a container (container.operate on the host)${action === 'stop' || action === 'restart' ? '; body { t: seconds before SIGKILL }' : action === 'kill' ? '; body { signal }' : ''}`,
  access: { kind: 'user' }, action: auditAction(action), rateClass: 'containers', params: containerParams, body: bodies[action],
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ params, body, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.operate');
    const o = (body ?? {}) as ActionOptions;
    audit.details = { ...audit.details, ...(o.t !== undefined ? { t: o.t } : {}), ...(o.signal !== undefined ? { signal: o.signal } : {}) };
    await onHost(() => perform(t.live, action, params.id, o));
    return { ok: true };
  },
}));

const rename = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:host/containers/:id/rename', summary: 'Rename a container (container.operate on the host)',
  access: { kind: 'user' }, action: 'container.rename', rateClass: 'containers', params: containerParams,
  body: z.object({ name: z.string().regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'must be a container name: letters, digits, _ . -') }).strict(),
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ params, body, principal, services, req, audit }) => {
    audit.target = params.id;
    audit.details = { newName: body.name };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.operate');
    await onHost(() => t.live.renameContainer(params.id, body.name));
    return { ok: true };
  },
});

const remove = defineRoute({
  method: 'DELETE', url: '/api/v1/hosts/:host/containers/:id', summary: 'Remove a container (container.delete on the host); force kills a running one, volumes removes its anonymous volumes',
  access: { kind: 'user' }, action: 'container.delete', rateClass: 'containers', params: containerParams,
  query: z.object({ force: queryFlag.optional(), volumes: queryFlag.optional() }).strict(),
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ params, query, principal, services, req, audit }) => {
    audit.target = params.id;
    audit.details = { force: query.force === true, volumes: query.volumes === true };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.delete');
    await onHost(() => perform(t.live, 'remove', params.id, { force: query.force === true, volumes: query.volumes === true }));
    return { ok: true };
  },
});

interface BulkResult { host: string; id: string; ok: boolean; error?: { code: string; message: string } }

/** One audit record per bulk target, under the action's own name, so a bulk stop reads like single stops. */
async function auditItem(services: Services, req: FastifyRequest, action: BulkAction, result: AuditResult, id: string, details: Record<string, unknown>): Promise<void> {
  const st = stateOf(req);
  await services.audit({
    ...auditActor(st), action: auditAction(action), result, target: id, clientIp: req.ip, userAgent: userAgent(req),
    details: { ...details, bulk: true, ...(st?.principal?.token ? { apiKeyId: st.principal.token.id } : {}) },
  });
}

async function bulkOne(services: Services, req: FastifyRequest, principal: Principal, action: BulkAction, o: ActionOptions, target: { host: string; id: string }): Promise<BulkResult> {
  const base = { host: target.host, id: target.id };
  const row = await findHostRow(services, target.host);
  if (!row) return { ...base, ok: false, error: { code: 'PC_ERR_HOST_NOT_FOUND', message: 'no such host' } };
  const details = { hostId: row.id, hostName: row.name };
  const permission: Permission = action === 'remove' ? 'container.delete' : 'container.operate';
  const access = hostAccess(principal.actor, permission, scopeOf(row));
  if (access.verdict !== 'allow') {
    await auditItem(services, req, action, 'denied', target.id, { ...details, reason: access.reason });
    return access.verdict === 'hidden'
      ? { ...base, ok: false, error: { code: 'PC_ERR_HOST_NOT_FOUND', message: 'no such host' } }
      : { ...base, ok: false, error: { code: 'PC_ERR_AUTH_FORBIDDEN', message: `not allowed: ${access.reason}` } };
  }
  const live = services.hosts.get(row.id);
  try {
    if (!live) throw new ApiError('PC_ERR_HOST_OFFLINE', `host "${row.name}" is not connected`);
    await perform(live, action, target.id, o);
    await auditItem(services, req, action, 'success', target.id, details);
    return { ...base, ok: true };
  } catch (err) {
    const error = errorInfo(err);
    await auditItem(services, req, action, 'error', target.id, { ...details, code: error.code });
    return { ...base, ok: false, error };
  }
}

const bulk = defineRoute({
  method: 'POST', url: '/api/v1/containers/bulk',
  summary: `One action on up to ${MAX_BULK_TARGETS} containers (t for stop/restart, force for remove); each target is authorized on its own host and answered in results (one failure does not stop the others)`,
  access: { kind: 'user' }, action: 'container.bulk', rateClass: 'containers',
  body: z.object({
    action: z.enum(BULK_ACTIONS),
    targets: z.array(z.object({ host: hostRef, id: containerRef }).strict()).min(1).max(MAX_BULK_TARGETS),
    force: z.boolean().optional(),
    t: z.number().int().min(0).max(MAX_STOP_SECONDS).optional(),
  }).strict(),
  response: z.object({ results: z.array(z.object({ host: z.string(), id: z.string(), ok: z.boolean(), error: z.object({ code: z.string(), message: z.string() }).optional() })) }),
  handler: async ({ body, principal, services, req, audit }) => {
    const results: BulkResult[] = new Array<BulkResult>(body.targets.length);
    const options: ActionOptions = { force: body.force === true, ...(body.t !== undefined ? { t: body.t } : {}) };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < body.targets.length; i = next++) {
        results[i] = await bulkOne(services, req, principal!, body.action, options, body.targets[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, body.targets.length) }, worker));
    audit.details = { action: body.action, targets: results.length, failed: results.filter((r) => !r.ok).length };
    return { results };
  },
});

/** The container write routes. */
export const containerActionRoutes: RouteSpec[] = [...actionRoutes, rename, remove, bulk];
