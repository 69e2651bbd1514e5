// Public face of src/server/ws: WebSocket routes of the route map (defineWsRoute), their Fastify wiring, connections and paced sends.
import type { z } from 'zod';
import type { RouteSpec } from '../route-def.js';
import { ApiError } from '../errors.js';
import { WsConnection, type WsContext } from './connection.js';

export { WsConnection, WS_RECHECK_MS, WS_CLOSE_ERROR, WS_CLOSE_NORMAL, WS_CLOSE_POLICY, type WsContext } from './connection.js';
export { markWebSocketRoutes, registerWsRoute, rejectStrayUpgrade, originAllowed } from './register.js';
export { pump, sendPaced, WS_HIGH_WATER_BYTES, type PacedSocket } from './send.js';
export { currentActor } from './recheck.js';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** A WebSocket route: checks before the upgrade (`prepare`), then the open socket (`open`). */
export interface WsRouteDef<P extends Schema, Q extends Schema, R> {
  url: string;
  summary: string;
  /** Audit action of the connection. */
  action: string;
  params?: P;
  query?: Q;
  /** Before the 101: resolve the host, authorize, validate. A throw refuses the upgrade with that HTTP error. */
  prepare: (ctx: WsContext<Out<P>, Out<Q>>) => Promise<R>;
  /** On the open socket; a throw is reported to the client as `{ type: 'error' }` and closes it. */
  open: (conn: WsConnection, prepared: R) => void | Promise<void>;
  /** The route writes its audit record itself (exec: once the command runs); otherwise a success record is written on open. */
  auditsItself?: boolean;
}

/**
 * Builds the route-map entry of a WebSocket route: GET, any authenticated caller (per-host permissions
 * are checked in `prepare`), rate class `ws` on upgrades.
 * @example defineWsRoute({ url: '/api/v1/live', summary: '…', action: 'live.connect', prepare: async () => ({}), open: (c) => c.send({ type: 'hello' }) })
 */
export function defineWsRoute<P extends Schema = undefined, Q extends Schema = undefined, R = unknown>(def: WsRouteDef<P, Q, R>): RouteSpec {
  return {
    method: 'GET', url: def.url, summary: `WebSocket: ${def.summary}`, access: { kind: 'user' }, action: def.action, rateClass: 'ws',
    ...(def.params ? { params: def.params } : {}),
    ...(def.query ? { query: def.query } : {}),
    handler: (ctx) => def.prepare(ctx as WsContext<Out<P>, Out<Q>>),
    websocket: async (socket, ctx, prepared) => {
      const conn = new WsConnection(socket, ctx as WsContext);
      if (!def.auditsItself) await conn.audit('success');
      try {
        await def.open(conn, prepared as R);
      } catch (err) {
        if (err instanceof ApiError) return conn.fail(err);
        ctx.services.log?.error({ err }, `websocket ${def.url} failed`);
        conn.fail({ code: 'PC_ERR_SYSTEM_INTERNAL', message: 'internal error (see the server log)' });
      }
    },
  };
}
