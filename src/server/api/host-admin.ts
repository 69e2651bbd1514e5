// Host management: add an agent host (token and command shown once), retag, rotate its token, revoke it.
import { z } from 'zod';
import { authorize, hashToken } from '../../auth/index.js';
import type { Host as StoredHost } from '../../store/index.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { CLOSE_CODES, generateAgentToken } from '../hub/index.js';
import { auditRequest, stateOf } from '../pipeline.js';
import { defineRoute, type HandlerContext, type RouteSpec } from '../route-def.js';
import { findHostRow, hostRef, viewHost } from './hosts.js';

const hostName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, underscore and dash; starts with a letter or digit');
const tag = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : -');
const tags = z.array(tag).max(32);

/** The public URL agents dial: PORTCULLIS_PUBLIC_URL, else this request's own origin. */
function publicUrl(services: Services, req: HandlerContext<undefined, undefined, undefined>['req']): string {
  if (services.config.publicUrl) return services.config.publicUrl.replace(/\/+$/, '');
  const proto = services.config.tls ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? '127.0.0.1:18282'}${services.config.basePath}`;
}

/** The command that starts the agent on the new host (the token goes to a 0600 file, never to the command line). */
export function agentCommand(httpUrl: string, token: string, tls: boolean): string {
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  const lines = [
    "install -d -m 700 /etc/portcullis-agent && umask 077 && printf '%s\\n' '" + token + "' > /etc/portcullis-agent/token",
    `CONTROL_PLANE_URL=${wsUrl} AGENT_TOKEN_FILE=/etc/portcullis-agent/token AGENT_POLICY=operator \\`,
    `  portcullis agent${tls ? ' --ca-file /etc/portcullis-agent/ca.pem' : ''}`,
  ];
  return lines.join('\n');
}

/** The host behind `ref` on which the caller holds host.manage, or 404/403 (audited). */
async function requireManaged(ctx: HandlerContext<z.ZodType, undefined, undefined>, ref: string): Promise<StoredHost> {
  const { services, req, principal, audit } = ctx;
  audit.target = ref;
  const row = await findHostRow(services, ref);
  if (!row) throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  audit.target = row.id;
  const hostRefView = { id: row.id, name: row.name, tags: row.tags };
  if (!authorize(principal!.actor, 'host.read', hostRefView).allow) throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  const d = authorize(principal!.actor, 'host.manage', hostRefView);
  if (!d.allow) {
    await auditRequest(services, req, stateOf(req)!, 'denied', { reason: d.reason });
    throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${d.reason}`);
  }
  return row;
}

const create = defineRoute({
  method: 'POST', url: '/api/v1/hosts', summary: 'Adds an agent host; answers its token and the agent command once (only the hash is kept)',
  access: { kind: 'permission', permission: 'host.manage' }, action: 'host.create', rateClass: 'hosts', status: 201,
  body: z.object({ name: hostName, tags: tags.optional() }).strict(),
  handler: async ({ body, services, req, audit }) => {
    const token = generateAgentToken();
    const row = await services.store.hosts.create({ name: body.name, kind: 'agent', tags: [...new Set((body.tags ?? []).map((t) => t.toLowerCase()))], agentTokenHash: hashToken(token) });
    audit.target = row.id;
    audit.details = { name: row.name, tags: row.tags };
    services.agents.register(row);
    const url = publicUrl(services, req);
    return { host: await viewHost(services, row), token, command: agentCommand(url, token, services.config.tls) };
  },
});

const update = defineRoute({
  method: 'PATCH', url: '/api/v1/hosts/:id', summary: "Replaces a host's tags (host.manage on that host)",
  access: { kind: 'user' }, action: 'host.update', rateClass: 'hosts',
  params: z.object({ id: hostRef }).strict(), body: z.object({ tags }).strict(),
  handler: async (ctx) => {
    const row = await requireManaged(ctx as unknown as HandlerContext<z.ZodType, undefined, undefined>, ctx.params.id);
    const next = [...new Set(ctx.body.tags.map((t) => t.toLowerCase()))];
    const updated = (await ctx.services.store.hosts.update(row.id, { tags: next })) ?? row;
    ctx.services.hosts.get(row.id)?.setTags(next);
    ctx.audit.details = { tags: next };
    return { host: await viewHost(ctx.services, updated) };
  },
});

const rotate = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:id/token/rotate', summary: "Issues a new agent token; the old one stops working and the live tunnel is closed",
  access: { kind: 'user' }, action: 'host.token.rotate', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  handler: async (ctx) => {
    const row = await requireManaged(ctx, ctx.params.id);
    if (row.kind !== 'agent') throw new ApiError('PC_ERR_HOST_LOCAL', 'the local host has no agent token');
    const token = generateAgentToken();
    await ctx.services.store.hosts.update(row.id, { agentTokenHash: hashToken(token) });
    ctx.services.agents.disconnect(row.id, CLOSE_CODES.rotated, 'agent token rotated');
    return { token, command: agentCommand(publicUrl(ctx.services, ctx.req), token, ctx.services.config.tls) };
  },
});

const resetEnrollment = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:id/enrollment/reset',
  summary: "Forgets the host's enrolled agent key (e.g. someone enrolled first with a stolen token, or the agent's key was lost): the live tunnel closes and the next agent to connect with the token enrolls its key. Rotate the token too when it may have leaked.",
  access: { kind: 'user' }, action: 'host.enrollment.reset', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  handler: async (ctx) => {
    const row = await requireManaged(ctx, ctx.params.id);
    if (row.kind !== 'agent') throw new ApiError('PC_ERR_HOST_LOCAL', 'the local host has no agent key');
    await ctx.services.store.hosts.update(row.id, { agentPublicKey: null, agentEnrolledAt: null });
    ctx.services.agents.disconnect(row.id, CLOSE_CODES.revoked, 'agent enrollment reset');
    ctx.audit.details = { hadKey: row.agentPublicKey !== null };
    return { ok: true };
  },
});

const revoke = defineRoute({
  method: 'DELETE', url: '/api/v1/hosts/:id', summary: 'Revokes an agent host: its tunnel closes at once, its token and grants are deleted',
  access: { kind: 'user' }, action: 'host.revoke', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  handler: async (ctx) => {
    const row = await requireManaged(ctx, ctx.params.id);
    if (row.kind !== 'agent') throw new ApiError('PC_ERR_HOST_LOCAL', 'the local host is not removed through the API (unset the Docker socket instead)');
    await ctx.services.agents.unregister(row.id);
    await ctx.services.store.hosts.remove(row.id);
    ctx.audit.details = { name: row.name };
    return { ok: true };
  },
});

/** The host management routes. */
export const hostAdminRoutes: RouteSpec[] = [create, update, rotate, resetEnrollment, revoke];
