// Unit tests of serving the UI build: base href, cache headers, index fallback, API 404s kept, and a missing build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSET_CACHE, INDEX_CACHE, registerWebUiFrom, webRoot, withBase } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function build(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-web-'));
  dirs.push(root);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), body);
  }
  return root;
}

async function app(basePath: string, root: string): Promise<FastifyInstance> {
  const a = Fastify();
  registerWebUiFrom(a, basePath, root);
  a.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'PC_ERR_ROUTE_NOT_FOUND', message: 'no such route' } }));
  await a.ready();
  return a;
}

const INDEX = '<!doctype html><html><head><base href="/" /><script type="module" src="./assets/app-1a2b.js"></script></head></html>';

describe('serving the web UI build', () => {
  it('answers client routes with index.html (no-cache) whose base href is the base path', async () => {
    const a = await app('/pc', build({ 'index.html': INDEX, 'assets/app-1a2b.js': 'export {};' }));
    for (const url of ['/pc/', '/pc/containers/local/abc', '/pc/audit?actor=x']) {
      const res = await a.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe(INDEX_CACHE);
      expect(res.body).toContain('<base href="/pc/" />');
    }
    expect((await a.inject({ url: '/pc' })).headers.location).toBe('/pc/');
  });

  it('sends hashed assets with a year of caching, and 404s for missing ones and for server paths', async () => {
    const a = await app('', build({ 'index.html': INDEX, 'assets/app-1a2b.js': 'export {};' }));
    const js = await a.inject({ url: '/assets/app-1a2b.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe(ASSET_CACHE);
    for (const url of ['/assets/nope.js', '/api/v1/nope', '/agent/v1/x', '/healthz', '/metrics', '/missing.png', '/assets/..%2Findex.html']) {
      const res = await a.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('PC_ERR_ROUTE_NOT_FOUND');
    }
  });

  it('answers a short page naming the build command when there is no build, and never crashes', async () => {
    const a = await app('', join(build({}), 'absent'));
    const res = await a.inject({ url: '/containers' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect(res.body).not.toMatch(/<script/);
    expect((await a.inject({ url: '/assets/app.js' })).statusCode).toBe(404);
  });

  it('escapes the base path it writes into the page, and finds dist/web under the package root', () => {
    expect(withBase('<base href="/" />', '/a"b<c')).toBe('<base href="/a&quot;b&lt;c/" />');
    expect(webRoot()).toMatch(/[/\\]dist[/\\]web$/);
  });
});
