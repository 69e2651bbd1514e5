// Images of a host: list, inspect, pull (NDJSON progress), remove, prune; each authorized on that host.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { auditRequest, stateOf } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { errorInfo, hostFailure, hostParams, hostRef, onHost, queryFlag, requireHost } from './host-access.js';

/** An image reference: [registry[:port]/]path[:tag][@digest], or an id (sha256:…). Slashes arrive %2F-encoded in a path. */
export const imageRef = z.string().min(1).max(255).regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'must be an image name, reference or id');
const imageTag = z.string().max(128).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be a tag: letters, digits, _ . -');
const imageParams = z.object({ host: hostRef, id: imageRef }).strict();
/** Label filters of a prune (`key` or `key=value`). */
const labelFilters = z.array(z.string().min(1).max(256)).max(16);

const list = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/images', summary: 'Images of a host (image.read), as the Engine lists them',
  access: { kind: 'user' }, action: 'image.list', rateClass: 'containers', params: hostParams,
  query: z.object({ all: queryFlag.optional() }).strict(),
  response: z.object({ images: z.array(z.record(z.string(), z.unknown())) }),
  handler: async ({ params, query, principal, services, req, audit }) => {
    const t = await requireHost({ services, req, principal, audit }, params.host, 'image.read');
    return { images: await onHost(() => t.live.listImages({ all: query.all === true })) };
  },
});

const inspect = defineRoute({
  method: 'GET', url: '/api/v1/hosts/:host/images/:id', summary: 'Inspect an image by id or name (image.read); encode a / in the name as %2F',
  access: { kind: 'user' }, action: 'image.inspect', rateClass: 'containers', params: imageParams,
  response: z.object({ image: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, principal, services, req, audit }) => {
    audit.target = params.id;
    const t = await requireHost({ services, req, principal, audit }, params.host, 'image.read');
    return { image: await onHost(() => t.live.inspectImage(params.id)) };
  },
});

const pull = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:host/images/pull',
  summary: 'Pull an image (image.pull). Answers application/x-ndjson: progress lines { status, id?, progress? }, then { done: true } or { error: { code, message } }; a failure before any progress is an ordinary error answer',
  access: { kind: 'user' }, action: 'image.pull', rateClass: 'containers', params: hostParams,
  body: z.object({ image: imageRef, tag: imageTag.optional() }).strict(),
  handler: async ({ params, body, principal, services, req, reply, audit }) => {
    audit.target = body.tag !== undefined ? `${body.image}:${body.tag}` : body.image;
    audit.details = { image: body.image, ...(body.tag !== undefined ? { tag: body.tag } : {}) };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'image.pull');
    const ac = new AbortController();
    const raw = reply.raw;
    // A client that goes away cancels the pull in dockerd too.
    raw.once('close', () => { if (!raw.writableFinished) ac.abort(); });
    let started = false;
    const write = (line: unknown): void => {
      if (!started) {
        // Headers wait for the first line, so an early failure (unknown host, refused registry) keeps its HTTP status.
        started = true;
        reply.hijack();
        // The security headers set so far (helmet) go out too: a hijacked reply writes its own head.
        for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) raw.setHeader(k, v);
        raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      }
      if (!raw.destroyed) raw.write(`${JSON.stringify(line)}\n`);
    };
    try {
      await t.live.pullImage(body.image, body.tag, {
        signal: ac.signal,
        onProgress: (p) => write({
          ...(p.status !== undefined ? { status: p.status } : {}), ...(p.id !== undefined ? { id: p.id } : {}), ...(p.progress !== undefined ? { progress: p.progress } : {}),
        }),
      });
      write({ done: true });
      raw.end();
    } catch (err) {
      if (!started) throw hostFailure(err);
      const error = errorInfo(err);
      write({ error });
      raw.end();
      await auditRequest(services, req, stateOf(req)!, 'error', { code: error.code });
    }
  },
});

const remove = defineRoute({
  method: 'DELETE', url: '/api/v1/hosts/:host/images/:id', summary: 'Remove an image or one of its tags (image.delete); force also removes it from stopped containers\' use',
  access: { kind: 'user' }, action: 'image.delete', rateClass: 'containers', params: imageParams, query: z.object({ force: queryFlag.optional() }).strict(),
  response: z.object({ deleted: z.array(z.record(z.string(), z.unknown())) }),
  handler: async ({ params, query, principal, services, req, audit }) => {
    audit.target = params.id;
    audit.details = { force: query.force === true };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'image.delete');
    return { deleted: await onHost(() => t.live.removeImage(params.id, { force: query.force === true })) };
  },
});

const prune = defineRoute({
  method: 'POST', url: '/api/v1/hosts/:host/images/prune',
  summary: 'Remove unused images (image.delete): dangling ones, or all unused with { all: true }; { labels } narrows to images carrying them. Answers Docker\'s { ImagesDeleted, SpaceReclaimed }',
  access: { kind: 'user' }, action: 'image.prune', rateClass: 'containers', params: hostParams,
  body: z.object({ all: z.boolean().optional(), labels: labelFilters.optional() }).strict().nullish(),
  response: z.record(z.string(), z.unknown()),
  handler: async ({ params, body, principal, services, req, audit }) => {
    audit.details = { all: body?.all === true, labels: body?.labels ?? [] };
    const t = await requireHost({ services, req, principal, audit }, params.host, 'image.delete');
    const filters = { dangling: [body?.all === true ? 'false' : 'true'], ...(body?.labels?.length ? { label: body.labels } : {}) };
    const res = await onHost(() => t.live.pruneImages(filters));
    if (!res) throw new ApiError('PC_ERR_DOCKER_ERROR', 'the daemon sent no prune report');
    return res;
  },
});

/** The image routes. */
export const imageRoutes: RouteSpec[] = [list, pull, prune, inspect, remove];
