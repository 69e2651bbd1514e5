// Public face of src/server/live: the WS /api/v1/live route and its hub (one per app).
import type { RouteSpec } from '../route-def.js';
import type { Services } from '../context.js';
import { defineWsRoute } from '../ws/index.js';
import { LiveHub } from './hub.js';

export { LiveHub, LIVE_MAX_BUFFERED_BYTES, LIVE_RETRY_MAX_MS, LIVE_RETRY_MS } from './hub.js';
export { liveMessage, LIVE_ACTIONS, type LiveAction, type LiveContainerMessage } from './messages.js';

const hubs = new WeakMap<Services, LiveHub>();

/** The live hub of an app (created on first use). */
export function liveHubOf(services: Services): LiveHub {
  let hub = hubs.get(services);
  if (!hub) {
    hub = new LiveHub(services.hosts, services.log);
    hubs.set(services, hub);
  }
  return hub;
}

const live = defineWsRoute({
  url: '/api/v1/live',
  summary: 'Live changes for any authenticated caller: { type: "hello" } on connect, then { type: "container", hostId, hostName, id, name, action, state?, time } and { type: "host", hostId, online }, each only for hosts the caller holds container.read on',
  action: 'live.connect',
  prepare: () => Promise.resolve(undefined),
  open: (conn) => {
    conn.send({ type: 'hello' });
    liveHubOf(conn.services).add(conn);
  },
});

/** The live route. */
export const liveRoutes: RouteSpec[] = [live];
