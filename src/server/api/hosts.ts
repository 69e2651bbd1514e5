// /api/v1/hosts: the Docker hosts the caller may read (host.read authorized per host), with their live status.
import { z } from 'zod';
import { auditHostSnapshot, collectHost, renderJson } from '../../audit/index.js';
import { authorize, type Actor } from '../../auth/index.js';
import { hostErrorInfo, type Host as LiveHost } from '../../hosts/index.js';
import { keyFingerprint } from '../../tunnel/index.js';
import type { Host as StoredHost } from '../../store/index.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { auditRequest, stateOf } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';

/** Time one host gets to answer its status check (ping, version, info) before it is reported offline. */
export const HOST_STATUS_TIMEOUT_MS = 3_000;

/** A host id (UUID) or name: letters, digits, dot, underscore, dash. */
export const hostRef = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a host id or name');

const statusView = z.object({
  online: z.boolean(),
  dockerVersion: z.string().optional(),
  containers: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
const hostView = z.object({
  id: z.string(), name: z.string(), kind: z.enum(['local', 'agent']), tags: z.array(z.string()), status: statusView,
  lastSeenAt: z.string().nullable(), enrolled: z.boolean(), agentVersion: z.string().nullable(), agentPolicy: z.string().nullable(),
  /** SHA256 fingerprint of the enrolled agent key (the agent logs its own at start: they must match). */
  agentKeyFingerprint: z.string().nullable(),
});
export type HostView = z.infer<typeof hostView>;

/** Whether `actor` holds host.read on `row`. */
function mayRead(actor: Actor, row: StoredHost): boolean {
  return authorize(actor, 'host.read', { id: row.id, name: row.name, tags: row.tags }).allow;
}

/** The status part of a view: from the live host within the timeout, or offline when no live host serves the row. */
async function statusOf(live: LiveHost | undefined): Promise<HostView['status']> {
  if (!live) return { online: false, error: { code: 'PC_ERR_HOST_UNREACHABLE', message: 'the host is not connected' } };
  const s = await live.status({ signal: AbortSignal.timeout(HOST_STATUS_TIMEOUT_MS) });
  const out: HostView['status'] = { online: s.online };
  if (s.docker?.version) out.dockerVersion = s.docker.version;
  if (s.counts) out.containers = s.counts.containers;
  if (s.error) out.error = { code: s.error.code, message: s.error.message };
  return out;
}

/** The API view of a host row, with its live status. */
export async function viewHost(services: Services, row: StoredHost): Promise<HostView> {
  const agent = row.kind === 'agent';
  return {
    id: row.id, name: row.name, kind: row.kind, tags: [...row.tags], status: await statusOf(services.hosts.get(row.id)),
    lastSeenAt: agent ? (services.agents.isOnline(row.id) ? new Date().toISOString() : row.lastSeenAt) : null,
    enrolled: !agent || row.agentPublicKey !== null, agentVersion: row.agentVersion, agentPolicy: row.agentPolicy,
    agentKeyFingerprint: row.agentPublicKey !== null ? keyFingerprint(row.agentPublicKey) : null,
  };
}

const list = defineRoute({
  method: 'GET', url: '/api/v1/hosts', summary: 'Docker hosts the caller holds host.read on, with their live status',
  access: { kind: 'user' }, action: 'host.list', rateClass: 'hosts',
  response: z.object({ hosts: z.array(hostView) }),
  handler: async ({ principal, services }) => {
    const rows = (await services.store.hosts.list()).filter((r) => r.revokedAt === null && mayRead(principal!.actor, r));
    return { hosts: await Promise.all(rows.map((r) => viewHost(services, r))) };
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The non-revoked host row behind an id or a name. */
export async function findHostRow(services: Services, ref: string): Promise<StoredHost | undefined> {
  const row = (UUID.test(ref) ? await services.store.hosts.findById(ref) : undefined) ?? (await services.store.hosts.findByName(ref));
  return row?.revokedAt === null ? row : undefined;
}

/** The visible host row behind `ref`, or 404 (a hidden host answers like an unknown one; the denial is audited). */
async function requireReadable(ctx: { services: Services; req: Parameters<typeof stateOf>[0]; principal: { actor: Actor } | undefined; audit: { target?: string } }, ref: string): Promise<StoredHost> {
  const { services, req, principal, audit } = ctx;
  const row = await findHostRow(services, ref);
  if (!row) throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  if (!mayRead(principal!.actor, row)) {
    audit.target = row.id;
    await auditRequest(services, req, stateOf(req)!, 'denied', { reason: 'no grant of host.read covers this host' });
    throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  }
  return row;
}

const inspect = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:id', summary: 'One Docker host (by id or name) with its live status; 404 unless the caller holds host.read on it',
  access: { kind: 'user' }, action: 'host.inspect', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  response: z.object({ host: hostView }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const row = await requireReadable({ services, req, principal, audit }, params.id);
    return { host: await viewHost(services, row) };
  },
});

const exposure = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:id/exposure',
  summary: "The auditor's exposure report for a live host (portcullis audit host, JSON envelope); 404 unless the caller holds host.read on it",
  access: { kind: 'user' }, action: 'host.exposure', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  response: z.record(z.string(), z.unknown()),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const row = await requireReadable({ services, req, principal, audit }, params.id);
    const live = services.hosts.get(row.id);
    if (!live) throw new ApiError('PC_ERR_HOST_UNREACHABLE', 'the host is not connected');
    let snapshot;
    try {
      snapshot = await collectHost(live);
    } catch (err) {
      throw new ApiError('PC_ERR_HOST_UNREACHABLE', `the host did not answer: ${(err as Error).message}`, {}, { cause: err });
    }
    const report = auditHostSnapshot(snapshot, { hostName: row.name });
    return JSON.parse(renderJson(report)) as Record<string, unknown>;
  },
});

const info = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:id/info', summary: "The host's Docker version and system info (system.read on the host); 404 unless the caller holds host.read on it",
  access: { kind: 'user' }, action: 'host.info', rateClass: 'hosts', params: z.object({ id: hostRef }).strict(),
  response: z.object({ version: z.record(z.string(), z.unknown()), info: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const row = await requireReadable({ services, req, principal, audit }, params.id);
    const d = authorize(principal!.actor, 'system.read', { id: row.id, name: row.name, tags: row.tags });
    if (!d.allow) {
      await auditRequest(services, req, stateOf(req)!, 'denied', { reason: d.reason });
      throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${d.reason}`);
    }
    const live = services.hosts.get(row.id);
    if (!live) throw new ApiError('PC_ERR_HOST_UNREACHABLE', 'the host is not connected');
    try {
      const signal = AbortSignal.timeout(HOST_STATUS_TIMEOUT_MS * 3);
      const [version, sys] = await Promise.all([live.version({ signal }), live.info({ signal })]);
      return { version, info: sys };
    } catch (err) {
      const e = hostErrorInfo(err);
      const code = e.code === 'PC_ERR_HOST_OFFLINE' ? 'PC_ERR_HOST_OFFLINE' : e.code === 'PC_ERR_HOST_POLICY_DENIED' ? 'PC_ERR_HOST_POLICY_DENIED' : 'PC_ERR_HOST_UNREACHABLE';
      throw new ApiError(code, e.message, {}, { cause: err });
    }
  },
});

/** The host routes. */
export const hostRoutes: RouteSpec[] = [list, inspect, exposure, info];
