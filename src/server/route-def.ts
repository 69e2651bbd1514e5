// The shape of one route in the route map: access rule, audit action, rate class, zod schemas and handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { WebSocket } from 'ws';
import type { Permission } from '../auth/index.js';
import type { Principal, Services } from './context.js';
import type { RateClass } from './rate-limiter.js';

/**
 * Who may call a route:
 * - `public`: nobody is authenticated (only /healthz and login);
 * - `user`: any authenticated caller; `session` requires a cookie session (no API token);
 *   `duringPasswordChange` keeps it open while the password must be changed (me, password, logout);
 * - `permission`: an authenticated caller whose grants allow `permission` (on all hosts);
 *   `tokenOnly` answers only to API tokens (/metrics, for scrapers).
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'user'; session?: boolean; duringPasswordChange?: boolean }
  | { kind: 'permission'; permission: Permission; tokenOnly?: boolean; session?: boolean };

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: validated input, the caller, the services, and a place to note audit details. */
export interface HandlerContext<P extends Schema, Q extends Schema, B extends Schema> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  services: Services;
  req: FastifyRequest;
  reply: FastifyReply;
  clientIp: string;
  /** Target and details for the audit record of this request (never secrets). */
  audit: { target?: string; details?: Record<string, unknown>; actor?: string };
}

export interface RouteSpec<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: Method;
  /** Path under the base path, Fastify style (`/api/v1/users/:id`). */
  url: string;
  summary: string;
  access: Access;
  /** Audit action name (`user.create`); written on success (writes, or reads with auditReads), failure and denial. */
  action: string;
  /** Also audit successful GETs (audit export, for example). */
  auditReads?: boolean;
  rateClass?: RateClass;
  params?: P;
  query?: Q;
  body?: B;
  /** Success status (default 200). */
  status?: number;
  /** Response schema, for the OpenAPI document only. */
  response?: z.ZodType;
  handler: (ctx: HandlerContext<P, Q, B>) => Promise<unknown>;
  /**
   * Makes this a WebSocket route (GET only, see src/server/ws): `handler` then runs before the upgrade
   * (authorize and validate there; a throw refuses the upgrade with an HTTP answer) and this runs on the
   * open socket with what `handler` returned. A plain GET without Upgrade answers 426.
   */
  websocket?: (socket: WebSocket, ctx: HandlerContext<P, Q, B>, prepared: unknown) => void | Promise<void>;
}

/** Type helper: infers the handler's input types from the schemas. */
export function defineRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec;
}

/** True for methods that change state (CSRF-checked under a cookie, always audited). */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
