// Per-host access for the operations API: resolve `:host`, authorize a permission on it (hidden hosts answer 404), map host errors to the catalogue.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorize, type Actor, type HostRef, type Permission } from '../../auth/index.js';
import { hostErrorInfo, type Host as LiveHost, type HostErrorInfo } from '../../hosts/index.js';
import type { Host as StoredHost } from '../../store/index.js';
import type { Principal, Services } from '../context.js';
import { ApiError, type ErrorCode } from '../errors.js';
import { auditRequest, stateOf } from '../pipeline.js';

/** A host id (UUID) or name: letters, digits, dot, underscore, dash. */
export const hostRef = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a host id or name');
/** A container id (hex, full or short) or name, as dockerd accepts them. */
export const containerRef = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a container id or name');
export const hostParams = z.object({ host: hostRef }).strict();
export const containerParams = z.object({ host: hostRef, id: containerRef }).strict();

/** A `0/1/true/false` query flag as a boolean. */
export const queryFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** A query key that may repeat (`?state=running&state=paused`), as an array of at most `max` values. */
export function repeated(item: z.ZodString, max = 32): z.ZodType<string[] | undefined> {
  return z.union([item, z.array(item).max(max)]).optional().transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));
}

/** A resolved, authorized host: its store row, its scope for authorize(), and the live connection. */
export interface HostTarget {
  row: StoredHost;
  scope: HostRef;
  live: LiveHost;
}

/** What a handler passes to {@link requireHost}. */
export interface AccessContext {
  services: Services;
  req: FastifyRequest;
  principal: Principal | undefined;
  audit: { target?: string; details?: Record<string, unknown> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The host row behind an id or name, unless revoked. */
export async function findHostRow(services: Services, ref: string): Promise<StoredHost | undefined> {
  const row = (UUID.test(ref) ? await services.store.hosts.findById(ref) : undefined) ?? (await services.store.hosts.findByName(ref));
  return row?.revokedAt === null ? row : undefined;
}

/** The scope authorize() checks for a host row or live host. */
export function scopeOf(h: { id: string; name: string; tags: readonly string[] }): HostRef {
  return { id: h.id, name: h.name, tags: [...h.tags] };
}

/**
 * How `actor` stands with `permission` on a host: allowed; forbidden (the host is visible to it, through
 * host.read, so a 403 tells nothing new); or hidden (answered like an unknown host).
 */
export function hostAccess(actor: Actor, permission: Permission, scope: HostRef): { verdict: 'allow' | 'forbidden' | 'hidden'; reason: string } {
  const d = authorize(actor, permission, scope);
  if (d.allow) return { verdict: 'allow', reason: d.reason };
  return { verdict: authorize(actor, 'host.read', scope).allow ? 'forbidden' : 'hidden', reason: d.reason };
}

/**
 * Resolves `ref` to a connected host on which the caller holds `permission`. Unknown and hidden hosts
 * are 404 (a hidden one's denial is audited), a visible host without the permission 403, a host that
 * is not connected 503.
 */
export async function requireHost(ctx: AccessContext, ref: string, permission: Permission): Promise<HostTarget> {
  const { services, req, principal, audit } = ctx;
  const row = await findHostRow(services, ref);
  if (!row) throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  audit.details = { ...audit.details, hostId: row.id, hostName: row.name };
  const scope = scopeOf(row);
  const access = hostAccess(principal!.actor, permission, scope);
  if (access.verdict === 'hidden') {
    await auditRequest(services, req, stateOf(req)!, 'denied', { reason: access.reason, code: 'PC_ERR_HOST_NOT_FOUND' });
    throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  }
  if (access.verdict === 'forbidden') throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${access.reason}`);
  const live = services.hosts.get(row.id);
  if (!live) throw new ApiError('PC_ERR_HOST_OFFLINE', `host "${row.name}" is not connected`);
  return { row, scope, live };
}

const PASS_THROUGH: readonly ErrorCode[] = ['PC_ERR_HOST_NOT_FOUND', 'PC_ERR_HOST_OFFLINE', 'PC_ERR_HOST_TIMEOUT', 'PC_ERR_HOST_UNREACHABLE', 'PC_ERR_HOST_POLICY_DENIED'];

function dockerCode(status: number): ErrorCode {
  if (status === 404) return 'PC_ERR_DOCKER_NOT_FOUND';
  if (status === 409) return 'PC_ERR_DOCKER_CONFLICT';
  if (status === 400) return 'PC_ERR_DOCKER_INVALID';
  return 'PC_ERR_DOCKER_ERROR';
}

/** A host error summary (hostErrorInfo) as a catalogue code and message; the daemon's message is passed on as text. */
export function catalogued(info: HostErrorInfo): { code: ErrorCode; message: string } {
  if ((PASS_THROUGH as readonly string[]).includes(info.code)) return { code: info.code as ErrorCode, message: info.message };
  if (info.code === 'PC_ERR_HOST_DOCKER_ERROR') return { code: dockerCode(info.status), message: info.message };
  if (info.code === 'PC_ERR_HOST_BAD_FILTER') return { code: 'PC_ERR_REQUEST_INVALID', message: info.message };
  return { code: 'PC_ERR_SYSTEM_INTERNAL', message: 'internal error (see the server log)' };
}

/**
 * Any failure of a host call as an ApiError: the host's policy (403), its reachability (502/503/504),
 * or the daemon's own answer (404/409/400/502).
 */
export function hostFailure(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const c = catalogued(hostErrorInfo(err));
  return new ApiError(c.code, c.message, {}, { cause: err });
}

/** `{ code, message }` of any failure, for per-item results and WebSocket error messages. */
export function errorInfo(err: unknown): { code: ErrorCode; message: string } {
  const e = hostFailure(err);
  return { code: e.code, message: e.message };
}

/** Runs a host call, turning its failure into the catalogue's error. */
export async function onHost<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = hostFailure(err);
    // An unexpected error goes on as it is, so the error edge logs it (the answer still says only "internal").
    throw e.code === 'PC_ERR_SYSTEM_INTERNAL' && !(err instanceof ApiError) ? err : e;
  }
}

/** A point in time as Docker takes it: Unix seconds (fractions allowed) or an RFC 3339 date; parsed to Unix seconds. */
export const timeParam = z.string().max(40).transform((v, ctx) => {
  if (/^\d{1,12}(\.\d{1,9})?$/.test(v)) return Number(v);
  const ms = /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isNaN(ms)) return ms / 1000;
  ctx.addIssue({ code: 'custom', message: 'must be Unix seconds or an RFC 3339 time such as 2024-05-01T10:00:00Z' });
  return z.NEVER;
});
