// Fastify wiring of a WebSocket route: the pipeline's guard, an Origin check, the route's checks before the upgrade, then the socket.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Services } from '../context.js';
import { ApiError, errorBody } from '../errors.js';
import { guard, stateOf } from '../pipeline.js';
import type { HandlerContext, RouteSpec } from '../route-def.js';

/**
 * Whether a WebSocket upgrade may proceed given its Origin. Browsers send Origin on every upgrade and
 * attach cookies whatever page opened the socket, so a page elsewhere could drive a user's session
 * (cross-site WebSocket hijacking): only this server's own origin is accepted. No Origin means no
 * browser (curl, scripts), which no other site can make send the user's cookie.
 * @example originAllowed('https://pc.example:8443', 'pc.example:8443') === true
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined || host === '') return false;
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    // Parse the Host under the Origin's scheme, so default ports compare equal (example.com vs example.com:443).
    return o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, file://) and malformed values
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by markWebSocketRoutes on WebSocket routes (the only ones an upgrade may reach). */
    wsRoute?: boolean;
  }
}

function contextOf(services: Services, req: FastifyRequest, reply: FastifyReply): HandlerContext<undefined, undefined, undefined> {
  const st = stateOf(req)!;
  return {
    params: req.params as undefined, query: req.query as undefined, body: undefined,
    principal: st.principal, services, req, reply, clientIp: req.ip, audit: st.audit,
  };
}

/**
 * Registers a route of the map that has `websocket`: authenticate, authorize and rate-limit (class of
 * the spec, `ws`) through the same guard as every route, refuse foreign origins (403, audited), validate
 * params and query, run `spec.handler` (per-host checks) — all before the 101 — then hand the socket over.
 */
export function registerWsRoute(app: FastifyInstance, services: Services, spec: RouteSpec): void {
  const open = spec.websocket!;
  const pending = new WeakMap<FastifyRequest, { ctx: HandlerContext<undefined, undefined, undefined>; prepared: unknown }>();
  const upgradeRequired = (): ApiError => new ApiError('PC_ERR_WS_UPGRADE_REQUIRED', 'this endpoint is a WebSocket; connect with Upgrade: websocket');
  app.route({
    method: 'GET',
    url: `${services.config.basePath}${spec.url}`,
    schema: { ...(spec.params ? { params: spec.params } : {}), ...(spec.query ? { querystring: spec.query } : {}) },
    onRequest: [
      guard(services, spec),
      (req: FastifyRequest): Promise<void> => {
        const origin = req.headers.origin;
        if (originAllowed(origin, req.host)) return Promise.resolve();
        // The refusal is audited with the foreign origin and the object aimed at (bounded; it is the caller's input).
        const st = stateOf(req)!;
        const id = (req.params as Record<string, unknown> | undefined)?.id;
        if (typeof id === 'string') st.audit.target = id.slice(0, 200);
        st.audit.details = { ...st.audit.details, origin: String(origin).slice(0, 200) };
        return Promise.reject(new ApiError('PC_ERR_WS_ORIGIN', 'WebSocket upgrade from another origin refused (the Origin must match this server)'));
      },
    ],
    preHandler: async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (!req.ws) throw upgradeRequired();
      const ctx = contextOf(services, req, reply);
      pending.set(req, { ctx, prepared: await spec.handler(ctx) });
    },
    handler: () => Promise.reject(upgradeRequired()),
    wsHandler: (socket, req) => {
      const p = pending.get(req);
      pending.delete(req);
      if (!p) {
        socket.close(1011, 'not prepared');
        return;
      }
      return open(socket, p.ctx, p.prepared);
    },
  });
}

/** Whether a request asks to upgrade to a WebSocket. */
function isUpgrade(req: FastifyRequest): boolean {
  return typeof req.headers.upgrade === 'string' && req.headers.upgrade.toLowerCase() === 'websocket';
}

/**
 * A root onRoute hook: marks every WebSocket route (ours, the agent hub's, any `websocket: true` or
 * `wsHandler` route) in its config, so {@link rejectStrayUpgrade} knows where an upgrade may go.
 */
export function markWebSocketRoutes(route: RouteOptions): void {
  if (route.websocket === true || typeof route.wsHandler === 'function') route.config = { ...route.config, wsRoute: true };
}

/**
 * The first root onRequest hook. For an upgrade request: any HTTP answer (a refusal by an earlier hook
 * than the websocket plugin's, which would leave the socket open) closes the socket once sent; and an
 * upgrade aimed at a route that is not a WebSocket route answers 404 at once. Without that the plugin
 * would accept (101) and then drop the socket, so a route that does not exist (the exec terminal while
 * disabled) would look like one that does.
 */
export function rejectStrayUpgrade(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (!isUpgrade(req)) return done();
  reply.raw.once('finish', () => req.raw.socket?.destroy());
  if (req.routeOptions.config?.wsRoute === true) return done();
  void reply.code(404).header('connection', 'close').send(errorBody('PC_ERR_ROUTE_NOT_FOUND', 'no such route'));
}
