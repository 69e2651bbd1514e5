// buildApp: the Fastify instance with security headers, cookies, zod validation, the route map and one error edge.
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { TrustProxy } from '../config/index.js';
import { isSafeHost } from '../policy/index.js';
import { createServices, type AppDeps, type Services } from './context.js';
import { ApiError, ERRORS, errorBody, type ErrorCode } from './errors.js';
import { auditRequest, auditsFailure, clearSessionCookie, guard, SESSION_COOKIE, stateOf } from './pipeline.js';
import { isWrite, type RouteSpec } from './route-def.js';
import { buildRouteMap } from './routes.js';
import { registerHub } from './hub/index.js';
import { registerWebUi } from './web/index.js';
import { markWebSocketRoutes, registerWsRoute, rejectStrayUpgrade } from './ws/index.js';

// The hosts ride in AppDeps/Services (declared in context.ts) by augmentation; the fields belong in context.ts itself.
/** Time allowed to receive a whole request (headers and body). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive connections are closed after this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** Largest WebSocket message accepted from a browser or an agent (agent tunnel frames stay below it). */
export const WS_MAX_PAYLOAD = 1024 * 1024;
/** Longest accepted path parameter (longer ids are 404 before any handler). */
export const MAX_PARAM_LENGTH = 200;

const CSP = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"],
  fontSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

/**
 * Fastify's trustProxy from the setting. A hop count trusts that many hops nearest the server, whoever
 * they are (Fastify itself refuses numbers, since a direct client could then spoof the header): use it
 * only when the server is reachable through the proxy alone; a list of addresses is the safer choice.
 */
export function trustProxyOption(tp: TrustProxy): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_addr, hop) => hop < tp;
  return tp;
}

/** Turns anything thrown into an ApiError; unknown errors become PC_ERR_SYSTEM_INTERNAL (logged, never shown). */
export function toApiError(err: unknown, req: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError> & { code?: string };
  if (e.code === 'PC_ERR_STORE_CONFLICT' || e.code === 'PC_ERR_STORE_INPUT') return new ApiError(e.code, e.message ?? 'refused by the store', {}, { cause: err });
  if (e.validation !== undefined || e.code === 'FST_ERR_VALIDATION') return new ApiError('PC_ERR_REQUEST_INVALID', e.message ?? 'invalid request');
  if (e.statusCode === 413) return new ApiError('PC_ERR_REQUEST_TOO_LARGE', 'request body too large');
  if (e.statusCode === 415) return new ApiError('PC_ERR_REQUEST_MEDIA_TYPE', 'send the body as application/json');
  if (e.statusCode === 400) return new ApiError('PC_ERR_REQUEST_INVALID', e.message ?? 'bad request');
  if (e.statusCode === 404) return new ApiError('PC_ERR_ROUTE_NOT_FOUND', 'no such route');
  req.log.error({ err }, 'unhandled error');
  return new ApiError('PC_ERR_SYSTEM_INTERNAL', 'internal error (see the server log)', {}, { cause: err });
}

function registerRoute(app: FastifyInstance, services: Services, spec: RouteSpec): void {
  if (spec.websocket) {
    registerWsRoute(app, services, spec);
    return;
  }
  const schema = {
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
  };
  app.route({
    method: spec.method,
    url: `${services.config.basePath}${spec.url}`,
    schema,
    onRequest: guard(services, spec),
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const st = stateOf(req)!;
      const result = await spec.handler({
        params: req.params, query: req.query, body: req.body,
        principal: st.principal, services, req, reply, clientIp: req.ip, audit: st.audit,
      });
      if (isWrite(spec.method) || spec.auditReads) await auditRequest(services, req, st, 'success');
      if (reply.sent) return reply;
      void reply.code(spec.status ?? 200);
      return result ?? {};
    },
  });
}

/**
 * Builds the app over a migrated store. Use `app.inject()` in tests; startServer() listens.
 * @example const app = buildApp({ store, config }); const res = await app.inject({ url: '/healthz' });
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const services = createServices(deps);
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    ...(deps.https ? { https: deps.https } : {}),
    trustProxy: trustProxyOption(deps.config.trustProxy),
    bodyLimit: deps.config.maxBodyBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Router errors (over-long parameter, malformed %-encoding) answer in the catalogue's shape too.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      void reply.code(400).send(errorBody('PC_ERR_REQUEST_INVALID', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path parameter too long' : 'malformed URL'));
    },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: a text/plain body is what a cross-site form can send without a CORS preflight.
  app.removeContentTypeParser(['text/plain']);
  void app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: deps.config.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRoute', markWebSocketRoutes);
  app.addHook('onRequest', rejectStrayUpgrade);
  // DNS rebinding: a page on evil.example resolved to this address must not reach the API at all.
  const allowedHosts = deps.config.allowedHosts ?? [];
  app.addHook('onRequest', (req, reply, done) => {
    const host = req.headers.host;
    if (host === undefined || isSafeHost(host, allowedHosts)) return done();
    void reply.code(403).send(errorBody('PC_ERR_REQUEST_HOST', 'this server does not answer for that Host name; set PORTCULLIS_ALLOWED_HOSTS if it is yours'));
  });
  void app.register(fastifyCookie);
  void app.register(fastifyWebsocket, { options: { maxPayload: WS_MAX_PAYLOAD } });
  void app.register((instance, _opts, done) => {
    for (const spec of buildRouteMap({ execEnabled: deps.config.execEnabled === true })) registerRoute(instance, services, spec);
    registerHub(instance, services);
    registerWebUi(instance, services);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    services.metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    services.metrics.duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('PC_ERR_ROUTE_NOT_FOUND', 'no such route')));
  app.setErrorHandler(async (err, req, reply) => {
    const api = toApiError(err, req);
    const st = stateOf(req);
    if (st && auditsFailure(st, api.status, api.code)) {
      await auditRequest(services, req, st, api.status === 401 || api.status === 403 || api.status === 429 ? 'denied' : 'error', { code: api.code });
    }
    // A session cookie that no longer works is expired in the browser too.
    if (api.code === 'PC_ERR_AUTH_REQUIRED' && req.cookies[SESSION_COOKIE] !== undefined && !req.headers.authorization) clearSessionCookie(services, reply);
    return reply.code(api.status).headers(api.headers).send(errorBody(api.code, api.message));
  });
  app.decorate('portcullis', services);
  return app;
}

/** The services of an app built by buildApp (for tests and startServer). */
export function servicesOf(app: FastifyInstance): Services {
  return (app as unknown as { portcullis: Services }).portcullis;
}

/** The HTTP status of an error code (for docs and tests). */
export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}
