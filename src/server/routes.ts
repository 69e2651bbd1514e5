// The one route map: every route of the server, in one list (the anonymous-access test walks it).
import { z } from 'zod';
import { accessRoutes } from './api/access.js';
import { auditRoutes } from './api/audit.js';
import { authRoutes } from './api/auth.js';
import { twoFactorRoutes } from './api/auth-2fa.js';
import { oidcRoutes } from './api/auth-oidc.js';
import { hostAdminRoutes } from './api/host-admin.js';
import { hostRoutes } from './api/hosts.js';
import { containerActionRoutes } from './api/container-actions.js';
import { containerExecRoutes } from './api/container-exec.js';
import { containerLogRoutes } from './api/container-logs.js';
import { containerStatsRoutes } from './api/container-stats.js';
import { containerRoutes } from './api/containers.js';
import { eventRoutes } from './api/events.js';
import { imageRoutes } from './api/images.js';
import { networkRoutes } from './api/networks.js';
import { volumeRoutes } from './api/volumes.js';
import { liveRoutes } from './live/index.js';
import { tokenRoutes } from './api/tokens.js';
import { userRoutes } from './api/users.js';
import { ApiError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { defineRoute, type RouteSpec } from './route-def.js';

const healthz = defineRoute({
  method: 'GET', url: '/healthz', summary: 'Liveness and database reachability (no authentication)', access: { kind: 'public' }, action: 'system.health',
  response: z.object({ status: z.literal('ok') }),
  handler: async ({ services }) => {
    try {
      await services.store.ping();
    } catch (err) {
      throw new ApiError('PC_ERR_SYSTEM_UNAVAILABLE', 'the database is not answering', {}, { cause: err });
    }
    return { status: 'ok' };
  },
});

const metrics = defineRoute({
  method: 'GET', url: '/metrics', summary: 'Prometheus metrics (API token with system.read)',
  access: { kind: 'permission', permission: 'system.read', tokenOnly: true }, action: 'system.metrics',
  handler: async ({ services, reply }) => {
    void reply.type(services.metrics.registry.contentType);
    return services.metrics.registry.metrics();
  },
});

/** Switches that decide whether some routes exist at all. */
export interface RouteMapOptions {
  /** PORTCULLIS_EXEC_ENABLED: the exec terminal WebSocket. */
  execEnabled?: boolean;
}

/** The operations API (issue 4): containers, logs, stats, images, networks, volumes, events, live; exec only when enabled. */
function operationRoutes(opts: RouteMapOptions): RouteSpec[] {
  return [
    ...containerRoutes, ...containerActionRoutes, ...containerLogRoutes, ...containerStatsRoutes, ...(opts.execEnabled ? containerExecRoutes : []),
    ...imageRoutes, ...networkRoutes, ...volumeRoutes, ...eventRoutes, ...liveRoutes,
  ];
}

/** Every route of the server (paths relative to the base path). */
export function buildRouteMap(opts: RouteMapOptions = {}): RouteSpec[] {
  const routes: RouteSpec[] = [
    healthz, metrics, ...authRoutes, ...twoFactorRoutes, ...oidcRoutes, ...userRoutes, ...accessRoutes, ...tokenRoutes, ...auditRoutes, ...hostRoutes, ...hostAdminRoutes, ...operationRoutes(opts),
  ];
  let doc: unknown;
  const openapi = defineRoute({
    method: 'GET', url: '/api/v1/openapi.json', summary: 'This API as an OpenAPI 3.1 document (generated from the zod schemas)',
    access: { kind: 'user' }, action: 'system.openapi',
    handler: ({ services }) => Promise.resolve((doc ??= openApiDocument(routes, services.config.basePath))),
  });
  routes.push(openapi);
  return routes;
}
