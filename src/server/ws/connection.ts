// One open WebSocket of an authenticated caller: JSON messages, paced sends, an abort signal for the work behind it, periodic re-checks.
import { WebSocket } from 'ws';
import { authorize, type Actor, type HostRef, type Permission } from '../../auth/index.js';
import type { AuditResult } from '../../store/index.js';
import type { Principal, Services } from '../context.js';
import type { ErrorCode } from '../errors.js';
import { auditRequest, stateOf } from '../pipeline.js';
import type { HandlerContext } from '../route-def.js';
import { currentActor } from './recheck.js';
import { sendPaced } from './send.js';

/** How often an open socket re-checks its session or token and the caller's grants (AppConfig.wsRecheckMs overrides). */
export const WS_RECHECK_MS = 60_000;
/** Close codes: normal end, credential or grant gone (policy violation), server-side failure. */
export const WS_CLOSE_NORMAL = 1000;
export const WS_CLOSE_POLICY = 1008;
export const WS_CLOSE_ERROR = 1011;

/** The context a WebSocket route's handler ran with (no body). */
export type WsContext<P = unknown, Q = unknown> = Omit<HandlerContext<undefined, undefined, undefined>, 'params' | 'query'> & { params: P; query: Q };

/**
 * Wraps an accepted socket. Its `signal` aborts when the socket closes, so the Docker stream feeding it
 * ends too. Every WS_RECHECK_MS the credential is checked again and the grants reloaded; a revoked
 * session or token, or a lost permission registered with {@link requirePermission}, closes the socket.
 */
export class WsConnection {
  readonly signal: AbortSignal;
  private readonly ac = new AbortController();
  private actorNow: Actor;
  private readonly checks: { permission: Permission; scope: HostRef }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly socket: WebSocket,
    readonly ctx: WsContext,
  ) {
    this.actorNow = ctx.principal!.actor;
    this.signal = this.ac.signal;
    this.timer = setInterval(() => void this.recheck(), ctx.services.config.wsRecheckMs ?? WS_RECHECK_MS);
    this.timer.unref();
    socket.once('close', () => {
      clearInterval(this.timer);
      this.ac.abort();
    });
  }

  get services(): Services {
    return this.ctx.services;
  }

  get principal(): Principal {
    return this.ctx.principal!;
  }

  /** The caller's actor as of the last re-check (grants may have changed since the upgrade). */
  get actor(): Actor {
    return this.actorNow;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one JSON message now (dropped when the socket is no longer open). */
  send(message: unknown): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message));
  }

  /** Sends one JSON message; waits while the socket's buffer is full (see sendPaced). */
  sendPaced(message: unknown): Promise<void> {
    return sendPaced(this.socket, JSON.stringify(message));
  }

  /** Tells the client what went wrong, then closes. */
  fail(error: { code: ErrorCode; message: string }, closeCode = WS_CLOSE_ERROR): void {
    this.send({ type: 'error', code: error.code, message: error.message });
    this.close(closeCode, error.code);
  }

  close(code = WS_CLOSE_NORMAL, reason = ''): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason.slice(0, 120));
  }

  /** Writes this socket's audit record (once per connection; the route's action, target and details). */
  async audit(result: AuditResult, extra: Record<string, unknown> = {}): Promise<void> {
    await auditRequest(this.services, this.ctx.req, stateOf(this.ctx.req)!, result, extra);
  }

  /** Keeps `permission` on `scope` a condition of the socket: re-checked with the grants, closing it once lost. */
  requirePermission(permission: Permission, scope: HostRef): void {
    this.checks.push({ permission, scope });
  }

  /** Re-checks the credential and the registered permissions now (the timer calls this). */
  async recheck(): Promise<void> {
    if (!this.isOpen) return;
    let actor: Actor | undefined;
    try {
      actor = await currentActor(this.services, this.ctx.req, this.principal);
    } catch (err) {
      this.services.log?.warn({ err: { message: (err as Error).message } }, 'websocket re-check failed; closing the socket');
    }
    if (!actor) {
      this.fail({ code: 'PC_ERR_AUTH_REQUIRED', message: 'the session or token behind this socket has ended; log in again' }, WS_CLOSE_POLICY);
      return;
    }
    this.actorNow = actor;
    for (const c of this.checks) {
      const d = authorize(actor, c.permission, c.scope);
      if (!d.allow) {
        this.fail({ code: 'PC_ERR_AUTH_FORBIDDEN', message: `not allowed any more: ${d.reason}` }, WS_CLOSE_POLICY);
        return;
      }
    }
  }
}
