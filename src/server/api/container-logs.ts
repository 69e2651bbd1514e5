// Container logs: GET …/logs (tail, since/until, search, JSON lines or a text/plain download) and WS …/logs/follow (paced by the socket).
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { LogChunk } from '../../docker/index.js';
import type { HostLogsOptions } from '../../hosts/index.js';
import { ApiError } from '../errors.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { defineWsRoute, pump, type WsConnection } from '../ws/index.js';
import { containerParams, errorInfo, hostFailure, onHost, queryFlag, requireHost, timeParam, type HostTarget } from './host-access.js';
import { LogLineSplitter, type LogLine } from './log-lines.js';

/** Lines of the JSON answer when no tail is given, and the most it holds (older lines are dropped first). */
export const DEFAULT_LOG_TAIL = 500;
export const MAX_LOG_LINES = 10_000;
/** Lines sent first by a follow socket when no tail is given. */
export const DEFAULT_FOLLOW_TAIL = 100;
/** Largest tail accepted (a download may ask for `all`). */
export const MAX_LOG_TAIL = 1_000_000;
/** Time a finite logs read may take. */
export const LOGS_TIMEOUT_MS = 30_000;

const tail = z.union([z.literal('all'), z.coerce.number().int().min(0).max(MAX_LOG_TAIL)]);
const search = z.string().min(1).max(256);
const logsQuery = z.object({
  tail: tail.optional(), since: timeParam.optional(), until: timeParam.optional(), timestamps: queryFlag.optional(), search: search.optional(),
  stdout: queryFlag.optional(), stderr: queryFlag.optional(), download: queryFlag.optional(),
}).strict();
const lineView = z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string(), time: z.string().optional(), truncated: z.literal(true).optional() });

type LogsQuery = z.output<typeof logsQuery>;

function dockerOptions(q: LogsQuery, fallbackTail: number | 'all', signal: AbortSignal): HostLogsOptions {
  return {
    tail: q.tail ?? fallbackTail, stdout: q.stdout ?? true, stderr: q.stderr ?? true, timestamps: q.timestamps === true, signal,
    ...(q.since !== undefined ? { since: q.since } : {}), ...(q.until !== undefined ? { until: q.until } : {}),
  };
}

/** Starts the logs stream and waits for the daemon's answer, so an unknown container is a 404 rather than a broken stream. */
async function openLogs(t: HostTarget, id: string, o: HostLogsOptions): Promise<AsyncIterator<LogChunk> & { first: IteratorResult<LogChunk> }> {
  const it = t.live.containerLogs(id, o)[Symbol.asyncIterator]();
  const first = await onHost(() => it.next());
  return Object.assign(it, { first });
}

async function* lines(it: AsyncIterator<LogChunk> & { first: IteratorResult<LogChunk> }, sp: LogLineSplitter): AsyncGenerator<LogLine> {
  try {
    for (let r = it.first; !r.done; r = await it.next()) yield* sp.push(r.value);
    yield* sp.flush();
  } finally {
    await it.return?.(); // a consumer that stops early ends the Docker stream too
  }
}

/** The download body: one line per log line (`time text` with timestamps); a failure midway is written as a last line. */
async function* downloadText(source: AsyncGenerator<LogLine>): AsyncGenerator<string> {
  try {
    for await (const l of source) yield `${l.time !== undefined ? `${l.time} ` : ''}${l.text}\n`;
  } catch (err) {
    yield `[portcullis] the log stream broke off: ${errorInfo(err).message}\n`;
  }
}

const logs = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/containers/:id/logs',
  summary: `Container logs (container.read): last \`tail\` lines (default ${DEFAULT_LOG_TAIL}, at most ${MAX_LOG_LINES} returned), since/until, plain case-insensitive search; download=1 streams text/plain`,
  access: { kind: 'user' }, action: 'container.logs', rateClass: 'containers', params: containerParams, query: logsQuery,
  response: z.object({ lines: z.array(lineView) }),
  handler: async ({ params, query, principal, services, req, reply, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    const sp = new LogLineSplitter({ timestamps: query.timestamps === true, ...(query.search !== undefined ? { search: query.search } : {}) });
    if (query.download === true) {
      const ac = new AbortController();
      // Ends the Docker stream when the client goes away before the download finished.
      reply.raw.once('close', () => ac.abort());
      const it = await openLogs(t, params.id, dockerOptions(query, 'all', ac.signal));
      const file = `${params.id.replace(/[^A-Za-z0-9_.-]/g, '_')}-logs.txt`;
      void reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'no-store');
      return Readable.from(downloadText(lines(it, sp)));
    }
    const deadline = AbortSignal.timeout(LOGS_TIMEOUT_MS);
    const it = await openLogs(t, params.id, dockerOptions(query, DEFAULT_LOG_TAIL, deadline));
    const out: LogLine[] = [];
    await onHost(async () => {
      for await (const l of lines(it, sp)) {
        out.push(l);
        if (out.length > MAX_LOG_LINES * 2) out.splice(0, out.length - MAX_LOG_LINES);
      }
    });
    // The stream ends quietly on abort: a read cut short by the deadline must not pass for the whole log.
    if (deadline.aborted) throw new ApiError('PC_ERR_HOST_TIMEOUT', `reading the logs took longer than ${LOGS_TIMEOUT_MS / 1000} s; ask for a smaller tail or download=1`);
    return { lines: out.slice(-MAX_LOG_LINES) };
  },
});

const followQuery = z.object({
  tail: tail.optional(), search: search.optional(), stdout: queryFlag.optional(), stderr: queryFlag.optional(), since: timeParam.optional(),
}).strict();

/** Streams new lines to the socket until the container stops (`end`) or the socket closes (the Docker stream is ended then). */
async function follow(conn: WsConnection, p: { t: HostTarget; id: string; q: z.output<typeof followQuery> }): Promise<void> {
  const sp = new LogLineSplitter({ timestamps: true, ...(p.q.search !== undefined ? { search: p.q.search } : {}) });
  const o: HostLogsOptions = {
    follow: true, timestamps: true, tail: p.q.tail ?? DEFAULT_FOLLOW_TAIL, stdout: p.q.stdout ?? true, stderr: p.q.stderr ?? true, signal: conn.signal,
    ...(p.q.since !== undefined ? { since: p.q.since } : {}),
  };
  let ended: boolean;
  try {
    ended = await pump(conn.socket, p.t.live.containerLogs(p.id, o), (chunk) => sp.push(chunk).map((l) => ({ type: 'line', ...l })));
  } catch (err) {
    throw hostFailure(err);
  }
  if (!ended) return;
  for (const l of sp.flush()) await conn.sendPaced({ type: 'line', ...l });
  await conn.sendPaced({ type: 'end' });
  conn.close();
}

const logsFollow = defineWsRoute({
  url: '/api/v1/hosts/:host/containers/:id/logs/follow',
  summary: `Follow container logs (container.read): sends { type: "line", stream, text, time } (after the last \`tail\` lines, default ${DEFAULT_FOLLOW_TAIL}), then { type: "end" } when the container stops`,
  action: 'container.logs.follow', params: containerParams, query: followQuery,
  prepare: async ({ params, query, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'container.read');
    // An unknown container is a 404 before the upgrade, not an error message after it.
    await onHost(() => t.live.inspectContainer(params.id));
    return { t, id: params.id, q: query };
  },
  open: async (conn, p) => {
    conn.requirePermission('container.read', p.t.scope);
    await follow(conn, p);
  },
});

/** The logs routes. */
export const containerLogRoutes: RouteSpec[] = [logs, logsFollow];
