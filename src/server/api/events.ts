// GET …/hosts/:host/events: Docker's events of a host between since and until (finite: until is at most now), system.read.
import { z } from 'zod';
import type { DockerEvent } from '../../docker/index.js';
import { ApiError } from '../errors.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { hostParams, onHost, requireHost, timeParam } from './host-access.js';

/** Most events in one answer (the oldest first; `truncated` says when more were there). */
export const MAX_EVENTS = 1_000;
/** Window when no `since` is given. */
export const DEFAULT_EVENTS_WINDOW_S = 3_600;
/** Time the read may take. */
export const EVENTS_TIMEOUT_MS = 15_000;

const events = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/events',
  summary: `Docker events of a host (system.read) from since (default an hour before until) to until (default and at most now); at most ${MAX_EVENTS}, oldest first`,
  access: { kind: 'user' }, action: 'system.events', rateClass: 'containers', params: hostParams,
  query: z.object({ since: timeParam.optional(), until: timeParam.optional() }).strict(),
  response: z.object({ events: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() }),
  handler: async ({ params, query, principal, services, req, audit }) => {
    const t = await requireHost({ services, req, principal, audit }, params.host, 'system.read');
    const now = Date.now() / 1000;
    // An until in the future would hold the stream open until then; the answer must be finite.
    const until = Math.min(query.until ?? now, now);
    const since = query.since ?? until - DEFAULT_EVENTS_WINDOW_S;
    if (since > until) throw new ApiError('PC_ERR_REQUEST_INVALID', 'since must not be after until');
    const signal = AbortSignal.timeout(EVENTS_TIMEOUT_MS);
    const out: DockerEvent[] = [];
    let truncated = false;
    await onHost(async () => {
      for await (const ev of t.live.events({ since: since.toFixed(3), until: until.toFixed(3), signal })) {
        if (out.length >= MAX_EVENTS) {
          truncated = true;
          break;
        }
        out.push(ev);
      }
    });
    if (signal.aborted) throw new ApiError('PC_ERR_HOST_TIMEOUT', `the host did not finish sending its events within ${EVENTS_TIMEOUT_MS / 1000} s`);
    return { events: out, truncated };
  },
});

/** The events route. */
export const eventRoutes: RouteSpec[] = [events];
