// The agent hub endpoint: WSS /agent/v1/connect, token checked at the upgrade, then AgentHub's handshake.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../../auth/index.js';
import type { Host as StoredHost } from '../../store/index.js';
import { AGENT_CONNECT_PATH } from '../../tunnel/index.js';
import type { Services } from '../context.js';
import { errorBody } from '../errors.js';
import { userAgent } from '../pipeline.js';

export { AgentHub, CLOSE_CODES, type AgentHubOptions } from './agent-hub.js';
export { generateAgentToken, isAgentTokenFormat, AGENT_TOKEN_PREFIX } from './agent-token.js';
import { isAgentTokenFormat } from './agent-token.js';

/** Failed agent upgrades one client address may make per window before it gets 429. */
export const AGENT_AUTH_MAX_FAILURES = 30;
export const AGENT_AUTH_WINDOW_MS = 60_000;

/** Registers the agent endpoint. */
export function registerHub(app: FastifyInstance, services: Services): void {
  const rows = new WeakMap<FastifyRequest, StoredHost>();
  const failures = new Map<string, { count: number; until: number }>();
  const refusedIp = (ip: string): boolean => {
    const f = failures.get(ip);
    if (!f || f.until < Date.now()) return false;
    return f.count >= AGENT_AUTH_MAX_FAILURES;
  };
  const fail = (ip: string): void => {
    const now = Date.now();
    const f = failures.get(ip);
    if (!f || f.until < now) failures.set(ip, { count: 1, until: now + AGENT_AUTH_WINDOW_MS });
    else f.count += 1;
    if (failures.size > 10_000) for (const [k, v] of failures) if (v.until < now) failures.delete(k);
  };
  app.get(`${services.config.basePath}${AGENT_CONNECT_PATH}`, {
    websocket: true,
    onRequest: async (req, reply) => {
      const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
      const token = m?.[1];
      // the token is looked up first: a valid token is never refused, whatever failures came from its address
      const row = token !== undefined && isAgentTokenFormat(token) ? await services.store.hosts.findByTokenHash(hashToken(token)) : undefined;
      if (!row || row.kind !== 'agent' || row.revokedAt !== null) {
        if (refusedIp(req.ip)) {
          return reply.code(429).header('retry-after', String(Math.ceil(AGENT_AUTH_WINDOW_MS / 1000))).send(errorBody('PC_ERR_RATE_LIMITED', 'too many failed agent connections from this address; retry later'));
        }
        fail(req.ip);
        await services.audit({
          actor: 'anonymous', actorType: 'agent', action: 'agent.connect', result: 'denied', target: null, clientIp: req.ip, userAgent: userAgent(req),
          details: { reason: token === undefined ? 'no-token' : 'unknown-token' },
        });
        return reply.code(401).send(errorBody('PC_ERR_AUTH_REQUIRED', 'the agent token is missing, unknown, rotated or revoked'));
      }
      rows.set(req, row);
    },
  }, (socket, req) => {
    const row = rows.get(req);
    if (!row) {
      socket.close(1008, 'not authenticated');
      return;
    }
    services.agents.accept(socket, row, req.ip);
  });
}
