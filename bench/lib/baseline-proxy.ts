// A minimal Node reference proxy (node:http in, undici Pool.stream out, a regex allowlist, no logging):
// run as `node --import tsx bench/lib/baseline-proxy.ts` with LISTEN_PORT and SOCKET_PATH set.
// It shows what Node itself costs on this machine, so Portcullis' own overhead can be told apart.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);
const ALLOW = /^(\/v[\d.]+)?\/(_ping|containers|events|version)/i;
const FLUSH_HEADERS = process.env.BASELINE_FLUSH_HEADERS === '1';

function strip(h: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

const pool = new Pool('http://localhost', { socketPath: process.env.SOCKET_PATH ?? '/var/run/docker.sock', connections: 128, headersTimeout: 0, bodyTimeout: 0 });

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (!ALLOW.test(url.split('?')[0] ?? '') || req.method === 'POST') {
    res.writeHead(403, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
    return;
  }
  pool
    .stream({ path: url, method: 'GET', headers: strip(req.headers) }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, strip(headers));
      if (FLUSH_HEADERS) res.flushHeaders();
      return res;
    })
    .catch(() => res.destroy());
});
server.listen(Number(process.env.LISTEN_PORT), '127.0.0.1', () => process.stdout.write('{"msg":"listening"}\n'));
process.once('SIGTERM', () => {
  server.close();
  void pool.close();
  server.closeAllConnections();
});
