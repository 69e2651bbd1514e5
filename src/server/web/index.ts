// Serves the built web UI (dist/web) under the base path; owned by the UI work (issue 5).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.js';

/** Registers the web UI's static files and its index fallback. A no-op until the UI is built. */
export function registerWebUi(_app: FastifyInstance, _services: Services): void {
  // Filled in by the UI work.
}
