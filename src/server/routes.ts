// The one route map: every route of the server, in one list (the anonymous-access test walks it).
import { z } from 'zod';
import { accessRoutes } from './api/access.js';
import { auditRoutes } from './api/audit.js';
import { authRoutes } from './api/auth.js';
import { hostRoutes } from './api/hosts.js';
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

/** Every route of the server (paths relative to the base path). */
export function buildRouteMap(): RouteSpec[] {
  const routes: RouteSpec[] = [healthz, metrics, ...authRoutes, ...userRoutes, ...accessRoutes, ...tokenRoutes, ...auditRoutes, ...hostRoutes];
  let doc: unknown;
  const openapi = defineRoute({
    method: 'GET', url: '/api/v1/openapi.json', summary: 'This API as an OpenAPI 3.1 document (generated from the zod schemas)',
    access: { kind: 'user' }, action: 'system.openapi',
    handler: ({ services }) => Promise.resolve((doc ??= openApiDocument(routes, services.config.basePath))),
  });
  routes.push(openapi);
  return routes;
}
