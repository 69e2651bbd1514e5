// Serves the built web UI (dist/web) under the base path: hashed assets cached for a year, index.html for client routes.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../context.js';

/** Cache-Control of hashed assets: their name changes with their content. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** Cache-Control of index.html: always revalidated, so a new build is picked up at once. */
export const INDEX_CACHE = 'no-cache';

/** Paths (under the base path) that belong to the server, never to the UI: unknown ones answer the API's 404. */
const RESERVED = /^(?:api|agent)(?:\/|$)|^(?:healthz|metrics)$/;
const ASSET = /^assets\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TOP_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.[A-Za-z0-9]+$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portcullis</title></head>
<body><h1>Portcullis</h1><p>The web UI is not built. Run <code>npm run build</code> and reload this page.
The API is available under /api/v1.</p></body></html>
`;

/** The dist/web folder of this installation: found from this module's location (src/server/web or dist/server/web). */
export function webRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'web');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** index.html with its <base href> set to the base path, so relative asset URLs and client routes resolve under it. */
export function withBase(html: string, basePath: string): string {
  return html.replace(/<base href="[^"]*"\s*\/?>/, `<base href="${escapeAttr(`${basePath}/`)}" />`);
}

/** The API's own 404 (same body as any unknown route). */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

/** The request path below the base path, without query or leading slash (undefined when outside the base path). */
function relativePath(url: string, basePath: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(`${basePath}/`)) return undefined;
  return path.slice(basePath.length + 1);
}

/**
 * Registers the web UI's static files and its index fallback. Without a build (dist/web/index.html missing)
 * every UI path answers a short page saying how to build it; the API is unaffected either way.
 */
export function registerWebUi(app: FastifyInstance, services: Services): void {
  registerWebUiFrom(app, services.config.basePath, webRoot());
}

/** registerWebUi with an explicit build folder (tests serve a temporary one). */
export function registerWebUiFrom(app: FastifyInstance, basePath: string, root: string): void {  // serve: false — files are sent by the handler below, which decides between asset, 404 and the index fallback.
  // preCompressed: the build writes .gz next to each asset; browsers that accept gzip get it without runtime compression.
  void app.register(fastifyStatic, { root, serve: false, decorateReply: true, index: false, preCompressed: true, suppressWarning: true });

  const sendIndex = async (reply: FastifyReply): Promise<FastifyReply> => {
    let html: string;
    try {
      html = await readFile(join(root, 'index.html'), 'utf8');
    } catch {
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', INDEX_CACHE).send(withBase(html, basePath));
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const rel = relativePath(req.url, basePath);
    if (rel === undefined) return reply.redirect(`${basePath}/`);
    if (RESERVED.test(rel)) return notFound(reply);
    if (rel.startsWith('assets/')) {
      if (!ASSET.test(rel) || !existsSync(join(root, rel))) return notFound(reply);
      void reply.header('cache-control', ASSET_CACHE);
      return reply.sendFile(rel, root, { cacheControl: false });
    }
    if (TOP_FILE.test(rel)) {
      if (rel === 'index.html') return sendIndex(reply);
      if (!existsSync(join(root, rel))) return notFound(reply);
      void reply.header('cache-control', INDEX_CACHE);
      return reply.sendFile(rel, root, { cacheControl: false });
    }
    // Client-side routes (/containers/…, /audit …) all load the one page.
    return sendIndex(reply);
  };

  if (basePath !== '') app.get(basePath, (_req, reply) => reply.redirect(`${basePath}/`));
  app.get(`${basePath}/`, handler);
  app.get(`${basePath}/*`, handler);
}
