// Unit tests of the transport against a local unix-socket HTTP server: versioning, timeout classes, abort, close.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerClient } from './client.js';
import { DockerError } from './errors.js';
import { compareApiVersions, encodeQuery } from './transport.js';

let dir: string;
let server: Server;
let socketPath: string;
let serverApiVersion = '1.41';
const seenPaths: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  seenPaths.push(url);
  if (url === '/_ping') {
    res.writeHead(200, { 'Api-Version': serverApiVersion, 'Content-Type': 'text/plain' }).end('OK');
  } else if (url.endsWith('/hang')) {
    // never answers: finite calls must time out
  } else if (url.startsWith('/v1.41/events')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    let n = 0;
    const timer = setInterval(() => {
      res.write(`{"n":${n++}}\n`);
    }, 150);
    res.on('close', () => clearInterval(timer));
  } else if (url.endsWith('/missing')) {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"No such thing: x"}');
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-docker-unit-'));
  socketPath = join(dir, 'fake.sock');
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: AsyncIterable<unknown>, max: number, onItem?: (n: number) => void): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of stream) {
    out.push(v);
    onItem?.(out.length);
    if (out.length >= max) break;
  }
  return out;
}

describe('API version negotiation', () => {
  it('uses min(1.47, daemon version) as the path prefix, negotiated once', async () => {
    serverApiVersion = '1.99';
    const high = new DockerClient({ socketPath });
    expect(await high.negotiate()).toBe('1.47');
    serverApiVersion = '1.30';
    const low = new DockerClient({ socketPath });
    seenPaths.length = 0;
    await low.request({ method: 'GET', path: '/a' });
    await low.request({ method: 'GET', path: '/b' });
    expect(seenPaths).toEqual(['/_ping', '/v1.30/a', '/v1.30/b']);
    await Promise.all([high.close(), low.close()]);
    serverApiVersion = '1.41';
  });

  it('skips negotiation when the version is pinned', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.40' });
    seenPaths.length = 0;
    await c.request({ method: 'GET', path: '/info' });
    expect(seenPaths).toEqual(['/v1.40/info']);
    await c.close();
  });

  it('refuses a pinned version that is not MAJOR.MINOR (it would be spliced into every path)', () => {
    expect(() => new DockerClient({ socketPath, apiVersion: '1.41/../../x' })).toThrow(/apiVersion must look like 1\.41/);
  });

  it('falls back to 1.24 when the daemon sends a malformed Api-Version header', async () => {
    serverApiVersion = '1.41/../evil';
    const c = new DockerClient({ socketPath });
    expect(await c.negotiate()).toBe('1.24');
    serverApiVersion = '1.41';
    await c.close();
  });

  it('orders versions numerically, not as text', () => {
    expect(compareApiVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareApiVersions('1.47', '1.47')).toBe(0);
  });
});

describe('query encoding', () => {
  it('writes booleans as 1/0, filters as JSON and skips undefined values', () => {
    expect(encodeQuery({ all: true, force: false, skip: undefined, filters: { label: ['a=1'] } })).toBe('?all=1&force=0&filters=%7B%22label%22%3A%5B%22a%3D1%22%5D%7D');
  });
});

describe('timeouts, abort and close', () => {
  it('ends a finite call at requestTimeoutMs with a DockerError ETIMEDOUT', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41', requestTimeoutMs: 200 });
    const started = Date.now();
    const err = await c.request({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ statusCode: 0, code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await c.close();
  });

  it('applies no total or idle timeout to streams: items keep coming past requestTimeoutMs', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41', requestTimeoutMs: 100 });
    const items = await collect(c.events(), 5); // 5 items × 150 ms spacing > 100 ms limits
    expect(items).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    await c.close();
  });

  it('ends a stream quietly when its signal aborts', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41' });
    const ac = new AbortController();
    const items = await collect(c.events({ signal: ac.signal }), 100, (n) => {
      if (n === 2) ac.abort();
    });
    expect(items.length).toBe(2);
    await c.close();
  });

  it('rejects a finite call aborted by its signal with code ABORTED', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(c.request({ method: 'GET', path: '/hang', signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    await c.close();
  });

  it('close() ends open streams and later calls fail with code CLOSED', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41' });
    const consumed = collect(c.events(), 1000);
    await new Promise((r) => setTimeout(r, 400));
    await c.close();
    expect((await consumed).length).toBeGreaterThan(0);
    await expect(c.info()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('turns a daemon error answer into a DockerError carrying status, operation and message', async () => {
    const c = new DockerClient({ socketPath, apiVersion: '1.41' });
    await expect(c.inspectNetwork('missing')).rejects.toMatchObject({ statusCode: 404, operation: 'network.inspect', message: 'No such thing: x' });
    await c.close();
  });
});
