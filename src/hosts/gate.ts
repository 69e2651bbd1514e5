// The policy gate of a host: turns an EngineRequest into the checked request target and body, or a denial.
import { encodeQuery } from '../docker/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';
import { HostPolicyDenied } from './errors.js';
import type { EngineRequest } from './types.js';

/** What passed the gate: the exact target and body to send, and the decision behind them. */
export interface GatedRequest {
  /** Path plus query string, unversioned (the channel adds `/v<version>`). */
  target: string;
  /** The body to send: the policy's re-serialised body when it was inspected. */
  body: Buffer | undefined;
  decision: Decision;
  /** True when the policy denied but runs in observe mode, so the call goes through anyway. */
  observed: boolean;
}

/** The request target (path and query) a request is checked and sent as. */
export function requestTarget(req: Pick<EngineRequest, 'path' | 'query'>): string {
  return `${req.path}${encodeQuery(req.query)}`;
}

/**
 * Runs a request through `engine` the way the socket proxy does: the head (transport, path, route,
 * profile), then the body of operations that can grant host root. Throws HostPolicyDenied on a
 * denial; in observe mode a 403 is let through with `observed` set. A request the policy does not
 * read as `req.operation` (unknown route, non-canonical path, other operation) is always refused.
 *
 * @example
 * const gated = gateRequest(engine, 'local', { operation: 'container.start', method: 'POST', path: '/containers/abc/start' });
 */
export function gateRequest(engine: PolicyEngine, hostId: string, req: EngineRequest): GatedRequest {
  const target = requestTarget(req);
  const raw = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
  const contentType = raw === undefined ? undefined : 'application/json';
  const ev = engine.evaluate(req.method, target, contentType === undefined ? {} : { 'content-type': contentType });
  let decision = ev.decision;
  // Even in observe mode, a request that does not parse as the operation it was built for never goes out.
  if (decision.operation !== req.operation) {
    throw new HostPolicyDenied(hostId, decision.allow ? {
      allow: false, operation: decision.operation, rule: 'host:operation-mismatch', status: 403,
      reason: `the request was built for ${req.operation} but the policy reads it as ${decision.operation}`,
    } : decision);
  }
  const observe = engine.mode === 'observe';
  if (!decision.allow) {
    if (!(observe && decision.status === 403)) throw new HostPolicyDenied(hostId, decision);
    return { target, body: raw, decision, observed: true };
  }
  if (!ev.needsBody) return { target, body: raw, decision, observed: false };
  const verdict = engine.inspectBody(ev, contentType, raw ?? Buffer.alloc(0));
  if (verdict.allow) return { target, body: verdict.body, decision, observed: false };
  decision = { ...decision, allow: false, rule: verdict.rule, reason: verdict.reason, status: verdict.status };
  if (!(observe && verdict.status === 403)) throw new HostPolicyDenied(hostId, decision);
  return { target, body: raw, decision, observed: true };
}
