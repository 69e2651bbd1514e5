// Container stats: GET …/containers/:id/stats (one sample), WS …/stats/stream (one per second, paced), GET …/hosts/:host/stats (summary).
import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { defineWsRoute, pump } from '../ws/index.js';
import { containerParams, hostFailure, hostParams, onHost, requireHost } from './host-access.js';
import { statsView } from './stats-view.js';

/** Running containers sampled at once for a host summary, and the most sampled (the rest are counted, not measured). */
export const HOST_STATS_CONCURRENCY = 16;
export const HOST_STATS_MAX_SAMPLED = 200;

const statsSchema = z.object({
  cpuPercent: z.number(), memoryBytes: z.number(), memoryLimitBytes: z.number(), networkRxBytes: z.number(), networkTxBytes: z.number(),
  blockReadBytes: z.number(), blockWriteBytes: z.number(), pids: z.number(), time: z.string(),
});

const one = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/containers/:id/stats',
  summary: 'One resource sample of a container (container.read): CPU % (as docker stats), memory without page cache, network and block I/O, pids',
  access: { kind: 'user' }, action: 'container.stats', rateClass: 'containers', params: containerParams, response: statsSchema,
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    return statsView(await onHost(() => t.live.containerStats(params.id)));
  },
});

const stream = defineWsRoute({
  url: '/api/v1/hosts/:host/containers/:id/stats/stream',
  summary: 'Container stats (container.read) as { type: "stats", …same fields as GET …/stats } about once a second, until the container stops ({ type: "end" })',
  action: 'container.stats.stream', params: containerParams,
  prepare: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    await onHost(() => t.live.inspectContainer(params.id));
    return { t, id: params.id };
  },
  open: async (conn, { t, id }) => {
    conn.requirePermission('container.read', t.scope);
    let ended: boolean;
    try {
      ended = await pump(conn.socket, t.live.streamContainerStats(id, { signal: conn.signal }), (s) => [{ type: 'stats', ...statsView(s) }]);
    } catch (err) {
      throw hostFailure(err);
    }
    if (!ended) return;
    await conn.sendPaced({ type: 'end' });
    conn.close();
  },
});

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const hostSummary = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/stats',
  summary: `Container counts of a host and the CPU % and memory summed over its running containers (container.read; at most ${HOST_STATS_MAX_SAMPLED} sampled)`,
  access: { kind: 'user' }, action: 'host.stats', rateClass: 'containers', params: hostParams,
  response: z.object({
    containers: z.object({ running: z.number(), paused: z.number(), stopped: z.number(), total: z.number() }), cpuPercent: z.number(), memoryBytes: z.number(),
  }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.host;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    const all = await onHost(() => t.live.listContainers({ all: true }));
    const running = all.filter((c) => c.State === 'running');
    const paused = all.filter((c) => c.State === 'paused').length;
    let cpuPercent = 0;
    let memoryBytes = 0;
    await eachLimited(running.slice(0, HOST_STATS_MAX_SAMPLED), HOST_STATS_CONCURRENCY, async (c) => {
      try {
        const v = statsView(await t.live.containerStats(c.Id));
        cpuPercent += v.cpuPercent;
        memoryBytes += v.memoryBytes;
      } catch {
        // stopped between the listing and the sample: it uses nothing any more
      }
    });
    return {
      containers: { running: running.length, paused, stopped: all.length - running.length - paused, total: all.length },
      cpuPercent: Math.round(cpuPercent * 100) / 100, memoryBytes,
    };
  },
});

/** The stats routes. */
export const containerStatsRoutes: RouteSpec[] = [one, stream, hostSummary];
