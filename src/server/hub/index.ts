// The agent hub: WSS /agent/v1/connect, where enrolled agents dial in and open their tunnel.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.js';

/** Registers the agent endpoint. */
export function registerHub(_app: FastifyInstance, _services: Services): void {
  // Filled in by the agents work (issue 4).
}
